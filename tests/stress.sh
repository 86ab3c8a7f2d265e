#!/usr/bin/env bash
# make test-stress: `make test` RUNS times in a row (default 5) while two
# busy loops keep two cores busy, the way CI's shared 2-core machines may
# be. Stops at the first failing run; prints each run's wall time and a
# summary. Not part of `make test`.
#   RUNS=3 tests/stress.sh      (make test-stress RUNS=3)
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
	echo "test-stress: RUNS must be a positive whole number, not '$runs'" >&2
	exit 2
fi

busy=()
stop_busy() {
	local p
	for p in "${busy[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${busy[@]}"; do wait "$p" 2>/dev/null; done
	busy=()
}
# The trap ends the loops when this script exits, also on Ctrl-C (make
# gets the SIGINT too and stops; a TERM sent to this script alone takes
# effect when the running make does). Each loop also checks now and then
# that the script is still there, so even a kill -9 leaves none spinning.
trap stop_busy EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for i in 1 2; do
	(while kill -0 $$ 2>/dev/null; do for ((j = 0; j < 200000; j++)); do :; done; done) &
	busy+=($!)
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

echo "test-stress: $runs run(s) of make test beside ${#busy[@]} busy loops (pids ${busy[*]}); load $(load)"
walls=()
failed=0
for ((r = 1; r <= runs; r++)); do
	echo "test-stress: run $r/$runs starting; load $(load)"
	t0=$(now)
	"${MAKE:-make}" --no-print-directory test
	rc=$?
	wall=$(secs "$t0" "$(now)")
	walls+=("$wall")
	if ((rc != 0)); then
		echo "test-stress: run $r/$runs FAILED (exit $rc) after $wall s; load $(load)"
		failed=$r
		break
	fi
	echo "test-stress: run $r/$runs passed in $wall s; load $(load)"
done

stop_busy
sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
summary="wall time per run: $(tr '\n' ' ' <<<"${walls[*]}" | sed 's/ $//') s (min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"))"
if ((failed)); then
	echo "test-stress: FAILED: $((failed - 1)) of $runs runs passed, run $failed failed; $summary"
	exit 1
fi
echo "test-stress: PASSED: $runs of $runs runs passed beside two busy loops; $summary"
