#!/usr/bin/env bash
# Real-window smoke test: start the built app in Xvfb with empty XDG dirs,
# wait until the window process itself answers /health, find the window
# titled ThinkCloud, take a screenshot and check that it is not blank.
#   scripts/window-smoke.sh build/bin/thinkcloud build/test-artifacts
set -euo pipefail
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
mkdir -p "$OUT"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "window-smoke: FAIL: $*" >&2; [ -f "$WORK/app.log" ] && tail -20 "$WORK/app.log" >&2; exit 1; }

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    [ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
  done
}
PORT=$(free_port)

# Our own X server on a free display number.
for n in $(seq 90 120); do [ -e /tmp/.X11-unix/X$n ] || { DISP=:$n; break; }; done
Xvfb "$DISP" -screen 0 1280x900x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do xdpyinfo -display "$DISP" >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo -display "$DISP" >/dev/null 2>&1 || fail "Xvfb did not start"

export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
mkdir -p "$HOME"
start=$(date +%s.%N)
(cd "$WORK" && DISPLAY=$DISP DBUS_SESSION_BUS_ADDRESS=disabled: exec "$BIN" --port "$PORT" >"$WORK/app.log" 2>&1) &
APP=$!
PIDS+=($APP)

# /health must be answered by the window process, not some other server.
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$PORT/health" >"$WORK/health.json" 2>/dev/null && break
  kill -0 $APP 2>/dev/null || fail "the app exited early"
  sleep 0.1
done
grep -q '"status":"healthy"' "$WORK/health.json" || fail "/health did not answer"
owner=$(ss -Hltnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ "$owner" = "$APP" ] || fail "port $PORT is served by pid $owner, not the app ($APP)"

WID=$(DISPLAY=$DISP timeout 30 xdotool search --sync --onlyvisible --name '^ThinkCloud$' | head -1) || fail "no visible window titled ThinkCloud"
ready=$(date +%s.%N)
sleep 2 # let the page paint
DISPLAY=$DISP import -window root "$OUT/window-smoke.png"
colors=$(identify -format '%k' "$OUT/window-smoke.png")
stddev=$(convert "$OUT/window-smoke.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "window-smoke: window $WID up in $(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.1f", b-a}')s; screenshot $OUT/window-smoke.png has $colors colours, grey stddev $stddev"
[ "$colors" -ge 16 ] || fail "the screenshot is blank ($colors colours)"
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || fail "the screenshot is nearly uniform (stddev $stddev)"
# The page must show its own text, not an empty WebView: Wails' blank
# page is a single colour, the shell has text in two panes.
kill -0 $APP || fail "the app died after showing the window"
echo "window-smoke: PASS"
