#!/usr/bin/env bash
# Real-window smoke test: start the built app in Xvfb with empty XDG dirs,
# wait until the window process itself answers /health, find the window
# titled ThinkCloud, take a screenshot and check that it is not blank.
#   scripts/window-smoke.sh build/bin/thinkcloud build/test-artifacts
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
source "$(dirname "$0")/window-lib.sh"
mkdir -p "$OUT"
start_xvfb
use_dirs "$WORK"
start=$(date +%s.%N)
start_app "$BIN" "$(free_port)"
find_window
ready=$(date +%s.%N)
sleep 2 # let the page paint
shot "$OUT/window-smoke.png"
assert_not_blank "$OUT/window-smoke.png"
kill -0 "$APP" || fail "the app died after showing the window"
echo "window-smoke: window up $(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.1f", b-a}')s after start; PASS"
