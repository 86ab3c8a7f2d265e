#!/usr/bin/env bash
# End-to-end browser suite: the Svelte UI in Debian's Chromium
# (playwright-core, no downloaded browser) against the app's dev build
# (what `wails dev` runs) with live Go bindings, the fake providers, a
# virtual X display and a real, private gnome-keyring.
#
#   tests/e2e/run.sh                 everything (make test-e2e runs this)
#   tests/e2e/run.sh --test-name-pattern=search   extra arguments go to node --test
#
# Screenshots (e2e-*.png) and the app's and vite's log (e2e-app.log) land
# in build/test-artifacts/. The exit code is the suite's.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start=$(date +%s)

need() {
	if ! command -v "$1" >/dev/null 2>&1 && [[ ! -x "$1" ]]; then
		echo "e2e: $1 is missing ($2)" >&2
		exit 1
	fi
}
need /usr/bin/chromium "apt-get install chromium"
need Xvfb "apt-get install xvfb"
need node "apt-get install nodejs npm"
need go "see build/deps.sh"

# npm packages: playwright-core only, and it never downloads a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -d "$here/node_modules/playwright-core" || "$here/package-lock.json" -nt "$here/node_modules" ]]; then
	echo "e2e: npm ci" >&2
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	touch "$here/node_modules"
fi
# The harness runs vite from frontend/.
if [[ ! -x "$root/frontend/node_modules/.bin/vite" ]]; then
	echo "e2e: npm ci in frontend/" >&2
	(cd "$root/frontend" && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/thinkcloud-e2e-run.XXXXXX")"
xvfb_pid=""
suite_pid=""
pidfile="$tmp/pids"
: >"$pidfile"

# descendants PID: every process below PID.
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

any_alive() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# Ends what this script started: the suite and everything below it (node
# stops wails dev and the browser on SIGTERM), whatever the suite recorded
# in $pidfile (pid + start time, so a recycled pid is left alone), Xvfb.
cleanup() {
	local pid st stat fields tree
	if [[ -n "$suite_pid" ]] && kill -0 "$suite_pid" 2>/dev/null; then
		tree="$suite_pid $(descendants "$suite_pid" | tr '\n' ' ')"
		# shellcheck disable=SC2086
		kill -TERM $tree 2>/dev/null || true
		for _ in $(seq 1 100); do
			# shellcheck disable=SC2086
			any_alive $tree || break
			sleep 0.1
		done
		# shellcheck disable=SC2086
		kill -KILL $tree 2>/dev/null || true
	fi
	while read -r pid st; do
		[[ -n "$pid" ]] || continue
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		read -ra fields <<<"${stat##*) }"
		if [[ "${fields[19]:-}" == "$st" ]]; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done <"$pidfile"
	if [[ -n "$xvfb_pid" ]]; then
		kill -TERM "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Builds first, each its own step with no time limit: on a cold cache and a
# busy machine compiling the app takes minutes, and nothing that starts
# afterwards waits on a compiler. The app is the dev build `wails dev`
# would compile (its dev server serves the UI from vite to the browser),
# with the e2e tag (scripted file dialogs); the harness starts it.
echo "e2e: building the fake providers" >&2
(cd "$root" && go build -o "$tmp/fakeupstream" ./tests/fakeupstream)
# The app refuses to start without frontend/dist/index.html in its embed,
# though here vite serves the UI: build it only when missing (a fresh
# clone), since a build empties dist/ under anyone else using it.
if [[ ! -f "$root/frontend/dist/index.html" ]]; then
	echo "e2e: building the frontend (frontend/dist is empty)" >&2
	(cd "$root" && make --no-print-directory frontend/dist/index.html)
fi
echo "e2e: building the app (-tags dev,webkit2_41,e2e)" >&2
t0=$(date +%s)
(cd "$root" && CGO_ENABLED=1 go build -tags dev,webkit2_41,e2e -o "$tmp/thinkcloud-e2e" .)
echo "e2e: built the app in $(($(date +%s) - t0)) s" >&2

# A virtual display on a free number: Xvfb picks it and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
# (Up in well under a second; two minutes only bound a hang.)
deadline=$((SECONDS + 120))
until [[ -s "$tmp/display" ]]; do
	if ! kill -0 "$xvfb_pid" 2>/dev/null || ((SECONDS > deadline)); then
		echo "e2e: Xvfb did not start:" >&2
		cat "$tmp/xvfb.log" >&2
		exit 1
	fi
	sleep 0.1
done
display=":$(tr -d '[:space:]' <"$tmp/display")"
echo "e2e: Xvfb on $display" >&2

mkdir -p "$root/build/test-artifacts"
set +e
DISPLAY="$display" FAKEUPSTREAM_BIN="$tmp/fakeupstream" E2E_APP_BIN="$tmp/thinkcloud-e2e" E2E_PIDFILE="$pidfile" \
	"$root/tests/keyring-test.sh" node --test --test-reporter=spec "$@" "$here/e2e.test.mjs" &
suite_pid=$!
wait "$suite_pid"
status=$?
suite_pid=""
set -e

echo "e2e: $( ((status == 0)) && echo passed || echo "FAILED (exit $status)") in $(($(date +%s) - start)) s; screenshots in build/test-artifacts/e2e-*.png" >&2
exit "$status"
