#!/usr/bin/env bash
# The installed app's footprint, in a real window under Xvfb, on a private
# D-Bus session bus with a test tray host (tests/sniwatcher), in a temp
# HOME whose history holds one seeded 1,000-message conversation
# (tests/seedhistory, through the history package). A benchmark, not a test.
#   (a) first paint: from exec to the first capture of the window that is
#       not blank (>= 16 colours and real contrast, lib.sh's not_blank),
#       RUNS runs on a fresh X server each, median. tests/paintwatch reads
#       the window's pixels (X GetImage) every ~10-20 ms, from the moment it
#       is mapped (also printed); the figure is the end of the first
#       non-blank capture, an upper bound late by at most one capture period
#       (printed). ImageMagick then checks that capture's verdict once.
#   (b) PSS (/proc/PID/smaps_rollup) of the app and all its descendants
#       (WebKitWebProcess, WebKitNetworkProcess, …): idle once the page has
#       settled; with the window hidden (keep-running on, closed through
#       WM_DELETE_WINDOW) after the CPU minute; after showing it again and
#       opening the 1,000-message conversation.
#   (c) CPU (utime+stime+cutime+cstime of the same processes, from
#       /proc/PID/stat) used over 60 s with the window hidden.
#   tests/window/footprint.sh build/bin/thinkcloud [runs]
BIN=$(realpath "$1")
RUNS=${2:-5}
HIDDEN_S=${HIDDEN_S:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%d", (b-a)*1000}'; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

# tree PID: PID and all its descendants, from the ppid field of /proc/*/stat.
tree() {
  # (cat, not awk on the files: a process that ends between the glob and
  # the read would make awk fail.)
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
    { pid = $1; sub(/^.*\) /, ""); ppid[pid] = $2 }
    END {
      keep[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (p in ppid) if (!(p in keep) && (ppid[p] in keep)) { keep[p] = 1; changed = 1 }
      }
      for (k in keep) print k
    }' || true
}
# pss_mb PID: sets PSS to the summed PSS of PID's tree, in MB, and
# PSS_PARTS to each process's share by name.
pss_mb() {
  local p total=0 kb name
  PSS_PARTS=""
  for p in $(tree "$1"); do
    kb=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
    [ -n "$kb" ] || continue
    name=$(cat "/proc/$p/comm" 2>/dev/null)
    total=$((total + kb))
    PSS_PARTS+="$name $((kb / 1024)) MB; "
  done
  PSS=$((total / 1024))
}
# cpu_ticks PID: utime+stime+cutime+cstime summed over PID's tree (children
# that ended are counted in their parent's cutime/cstime); with a second
# argument, one "comm ticks" line per process instead, to say who used it.
cpu_ticks() {
  local p t=0 v
  for p in $(tree "$1"); do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}') || continue
    [ -n "${2:-}" ] && echo "$(cat "/proc/$p/comm" 2>/dev/null) ${v:-0}"
    t=$((t + ${v:-0}))
  done
  [ -n "${2:-}" ] || echo "$t"
}
# cpu_parts BEFORE AFTER: "name N ms; …" from two cpu_ticks PID x listings.
cpu_parts() {
  awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { b[$1] += $2; next } { a[$1] += $2 }
    END { for (n in a) printf "%s %d ms; ", n, (a[n] - b[n]) * 1000 / hz }' "$1" "$2"
}

(cd "$ROOT" && go build -o "$WORK/seed" ./tests/seedhistory && go build -o "$WORK/paintwatch" ./tests/paintwatch) ||
  fail "build the helpers"
use_dirs "$WORK/d"
"$WORK/seed" -db "$XDG_DATA_HOME/thinkcloud/thinkcloud.db" -messages 1000 >/dev/null || fail "seed the history"
start_tray_bus # lib.sh: the private bus and the test watcher
health() { curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '"status":"healthy"'; }
launch() {
  : >"$WORK/app.log"
  (cd "$WORK" && exec "$BIN" --port "$PORT" >>"$WORK/app.log" 2>&1) &
  APP=$!
  PIDS+=($APP)
}

# stop: SIGTERM, then SIGKILL for the app and its tree if it has not ended
# within 10 s (a SIGTERM'd window with a tray could hang here).
stop() {
  local kids
  kids=$(tree "$APP")
  kill "$APP" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$APP" 2>/dev/null || break; sleep 0.2; done
  kill -9 $kids 2>/dev/null || true
  wait "$APP" 2>/dev/null || true
}

# (a) first paint, on a fresh X server per run.
PERIODS=()
LATE=()
for run in $(seq "$RUNS"); do
  start_xvfb
  xvfb=${PIDS[-1]}
  PORT=$(free_port)
  t0=$(now)
  launch
  out=$("$WORK/paintwatch" -start "$t0" -pid "$APP" -timeout "${HANG}s") || fail "no first paint (run $run)"
  kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$out"; }
  VISIBLE+=("$(kv mapped)")
  PAINT+=("$(kv paint)")
  PERIODS+=("$(kv period)")
  LATE+=("$(kv late)")
  # Cross-check paintwatch's verdict with lib.sh's rule on the same window.
  DISPLAY=$DISP import -window "$(kv window)" "$SHOTS/paint.ppm" && not_blank "$SHOTS/paint.ppm" ||
    fail "paintwatch saw a painted window that ImageMagick calls blank (run $run)"
  echo "run $run: mapped ${VISIBLE[-1]} ms, first paint ${PAINT[-1]} ms ($(kv captures) captures, every $(kv period) ms, late by <= ${LATE[-1]} ms)"
  stop
  wait_until "the port to be free" test -z "$(ss -Hltn "sport = :$PORT")"
  kill "$xvfb" 2>/dev/null
  wait "$xvfb" 2>/dev/null || true
done
PAINT_MS=$(printf '%s\n' "${PAINT[@]}" | median)

# (b, c) one more start, kept running.
start_xvfb
PORT=$(free_port)
launch
wait_until "the endpoint" health
find_window
wait_until "the tray item to register" grep -qx "registered org.kde.StatusNotifierItem-$APP-1" "$WORK/watcher.out"
wait_painted "$SHOTS/shell.png"
pss_mb "$APP"
IDLE=$PSS
IDLE_PARTS=$PSS_PARTS
echo "idle: PSS $IDLE MB ($IDLE_PARTS)"

python3 "$(dirname "$0")/close-window.py" "$WID"
gone() { ! xdotool search --onlyvisible --name '^ThinkCloud$' >/dev/null 2>&1; }
wait_until "the window to hide" gone
kill -0 "$APP" 2>/dev/null || fail "closing the window ended the app"
HZ=$(getconf CLK_TCK)
c0=$(cpu_ticks "$APP")
cpu_ticks "$APP" x >"$WORK/cpu0"
sleep "$HIDDEN_S" # the measured minute, not a wait for anything
c1=$(cpu_ticks "$APP")
cpu_ticks "$APP" x >"$WORK/cpu1"
CPU_MS=$(((c1 - c0) * 1000 / HZ))
pss_mb "$APP"
HIDDEN=$PSS
HIDDEN_PARTS=$PSS_PARTS
echo "hidden: ${CPU_MS} ms CPU in ${HIDDEN_S} s ($(cpu_parts "$WORK/cpu0" "$WORK/cpu1")); PSS $HIDDEN MB ($HIDDEN_PARTS)"
health || fail "the endpoint stopped answering with the window hidden"

# Launching again shows the window; open the seeded conversation, first in
# the sidebar.
timeout "$HANG" "$BIN" --port "$PORT" >>"$WORK/second.log" 2>&1 || fail "the relaunch exited with $?"
find_window
settled "$SHOTS/before.png" "$WID"
click_rel 150 190
wait_changed "the 1,000-message conversation" "$SHOTS/before.png" 20000 "$SHOTS/conv.png"
# The first change may be "Loading conversation…" alone in an empty pane:
# wait for the messages (ink, the share of dark pixels in the pane: ~0.1 %
# while loading, ~2 % with the messages drawn).
ink() { convert "$1" -crop 900x580+340+150 -colorspace Gray -threshold 75% -format '%[fx:(1-mean)*1000]' info: | cut -d. -f1; }
deadline=$((SECONDS + HANG))
until [ "$(ink "$SHOTS/conv.png")" -ge 5 ]; do
  ((SECONDS < deadline)) || fail "the conversation was not drawn within ${HANG}s"
  settled "$SHOTS/conv.png" "$WID"
done
pss_mb "$APP"
CONV=$PSS
CONV_PARTS=$PSS_PARTS
echo "1,000 messages: PSS $CONV MB ($CONV_PARTS)"
[ -n "${KEEP:-}" ] && cp "$SHOTS/conv.png" "$KEEP/footprint-conversation.png"
stop

met() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "met" : "MISSED") }'; }
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
printf '%-40s %12s %10s %s\n' measure value target result
printf '%-40s %9s ms %7s ms %s\n' "first paint (median of $RUNS)" "$PAINT_MS" 1000 "$(met "$PAINT_MS" 1000)"
printf '%-40s %9s MB %7s MB %s\n' "PSS idle" "$IDLE" 200 "$(met "$IDLE" 200)"
printf '%-40s %9s MB %10s %s\n' "PSS window hidden" "$HIDDEN" - -
printf '%-40s %9s MB %10s %s\n' "PSS 1,000-message conversation open" "$CONV" - -
printf '%-40s %9s ms %7s ms %s\n' "CPU over ${HIDDEN_S} s, window hidden" "$CPU_MS" 100 "$(met "$CPU_MS" 100)"
echo "window mapped (ms): ${VISIBLE[*]}; first paint runs (ms): ${PAINT[*]}; capture period (ms): ${PERIODS[*]}; late by at most (ms): ${LATE[*]}"
