#!/usr/bin/env bash
# Real-window smoke test: start the built app in Xvfb with empty XDG dirs,
# wait until the window process itself answers /health, find the window
# titled ThinkCloud, take a screenshot and check that it is not blank.
# Then start it again over a chat history that is not a database: the
# window must still come up, the endpoint still answer, the window show
# the history banner (the screenshot differs from the healthy one) and the
# file stay byte for byte as it was.
#   tests/window/smoke.sh build/bin/thinkcloud build/test-artifacts
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"
start_xvfb
use_dirs "$WORK"
start=$(date +%s.%N)
start_app "$BIN" "$(free_port)"
find_window
ready=$(date +%s.%N)
wait_painted "$OUT/window-smoke.png"
assert_not_blank "$OUT/window-smoke.png"
kill -0 "$APP" || fail "the app died after showing the window"
echo "window-smoke: window up $(awk -v a="$start" -v b="$ready" 'BEGIN{printf "%.1f", b-a}')s after start"
stop_app

use_dirs "$WORK/broken"
mkdir -p "$XDG_DATA_HOME/thinkcloud"
DB="$XDG_DATA_HOME/thinkcloud/thinkcloud.db"
head -c 65536 /dev/urandom >"$DB"
sum=$(sha256sum <"$DB")
start_app "$BIN" "$(free_port)"
find_window
# The banner comes once the history has failed to open: wait for it to
# be on screen rather than for a fixed time.
wait_changed "the history banner" "$OUT/window-smoke.png" 5000 "$OUT/window-smoke-broken-history.png"
kill -0 "$APP" || fail "the app died over a broken history"
wait_until "the log to say the history is unavailable" grep -q "chat history unavailable" "$WORK/app.log"
diff=$(pixels_differ "$OUT/window-smoke.png" "$OUT/window-smoke-broken-history.png")
echo "window-smoke: broken history: $diff pixels differ from the healthy window"
[ "$(sha256sum <"$DB")" = "$sum" ] || fail "the broken history file was changed"
echo "window-smoke: PASS"
