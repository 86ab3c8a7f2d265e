#!/usr/bin/env bash
# Start-up of the real window with an empty history and with a given big
# database (e.g. the 1M-message one BenchmarkHistory builds), N runs each:
# time from exec to the window being visible, and to the sidebar showing
# conversations (a screenshot of the list area differs from the empty
# shell). Prints medians. A measurement, not a test.
#   tests/window/startup.sh build/bin/thinkcloud /path/to/bench.db [runs]
BIN=$(realpath "$1")
BIG=$(realpath "$2")
RUNS=${3:-5}
source "$(dirname "$0")/lib.sh"
ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%d", (b-a)*1000}'; }

# one DIR: starts the app on DIR's data, prints "window_ms list_ms".
one() {
  start_xvfb # a fresh X server per run: repeated runs on one server began to fail to connect
  local xvfb=${PIDS[-1]}
  use_dirs "$1"
  local t0 t1 t2 port
  port=$(free_port)
  : >"$WORK/app.log"
  t0=$(date +%s.%N)
  (cd "$WORK" && DISPLAY=$DISP DBUS_SESSION_BUS_ADDRESS=disabled: exec "$BIN" --port "$port" >>"$WORK/app.log" 2>&1) &
  APP=$!
  WID=$(DISPLAY=$DISP timeout 60 xdotool search --sync --onlyvisible --name '^ThinkCloud$' | head -1) || fail "no window"
  t1=$(date +%s.%N)
  # The list area of the sidebar, below the search box: wait until it shows
  # what it shows once settled (the reference, taken 3 s after start in a
  # warm-up run).
  if [ ! -f "$WORK/ref-$3.rgb" ]; then
    sleep 3
    import -window "$WID" -crop 200x120+10+140 "$WORK/ref-$3.png"
    convert "$WORK/ref-$3.png" "rgb:$WORK/ref-$3.rgb"
  fi
  for _ in $(seq 400); do
    import -window "$WID" -crop 200x120+10+140 "$WORK/list.png" 2>/dev/null &&
      convert "$WORK/list.png" "rgb:$WORK/list.rgb" 2>/dev/null &&
      cmp -s "$WORK/list.rgb" "$WORK/ref-$3.rgb" && break
    sleep 0.02
  done
  t2=$(date +%s.%N)
  [ -n "${KEEP:-}" ] && cp "$WORK/list.png" "$KEEP/list-$3.png" && cp "$WORK/ref-$3.png" "$KEEP/ref-$3.png"
  [ -n "${KEEP:-}" ] && import -window "$WID" "$KEEP/window-$3.png"
  stop_app
  kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null || true
  echo "$(ms "$t0" "$t1") $(ms "$t0" "$t2")"
}

mkdir -p "$WORK/empty" "$WORK/big/data/thinkcloud"
ln -s "$BIG" "$WORK/big/data/thinkcloud/thinkcloud.db"
# A first run of each fills the reference screenshot of its settled list.
one "$WORK/empty" x empty >/dev/null
one "$WORK/big" x big >/dev/null
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for kind in empty big; do
  for _ in $(seq "$RUNS"); do one "$WORK/$kind" x "$kind"; done >"$WORK/$kind.txt"
  echo "$kind: median window visible $(awk '{print $1}' "$WORK/$kind.txt" | median) ms," \
    "conversation list shown $(awk '{print $2}' "$WORK/$kind.txt" | median) ms (runs: $(tr '\n' ';' <"$WORK/$kind.txt"))"
done
