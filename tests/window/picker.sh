#!/usr/bin/env bash
# The model picker in a real window, fake providers on loopback: Ctrl+M
# opens it, typing "deepseek" filters it, and the live models show their
# badges (reasoning, vision, tools, price, context) while the retired ids
# appear only under the "Retired" heading with their successor. The
# screenshot goes to DOCS (the README's picker image).
#   tests/window/picker.sh build/bin/thinkcloud build/test-artifacts docs/screenshots
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
DOCS=$(realpath -m "${3:-$OUT}")
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT" "$DOCS"

start_fakes
start_xvfb
use_dirs "$WORK/app"
cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"lastModel":"deepseek-flash","theme":"light","language":"${LANGUAGE_SETTING:-en}","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
PORT=$(free_port)
start_app "$BIN" "$PORT"
find_window
wait_painted "$OUT/picker-before.png"
eval "$(DISPLAY=$DISP xdotool getwindowgeometry --shell "$WID")"
click_rel $((WIDTH / 2 + 150)) $((HEIGHT - 38)) # the composer: the window has the focus
DISPLAY=$DISP xdotool key ctrl+m
sleep 1 # the popover opens (screenshot only, not a check)
DISPLAY=$DISP xdotool type --delay 30 "deepseek"
DISPLAY=$DISP xdotool mousemove --window "$WID" 1200 880 # no hover tooltip
wait_changed "the picker on screen" "$OUT/picker-before.png" 20000 "$OUT/picker-open.png"
name="picker-${LANGUAGE_SETTING:-en}.png"
doc_shot "$DOCS/$name"
echo "picker: $(pixels_differ "$OUT/picker-before.png" "$DOCS/$name") pixels changed; saved $DOCS/$name"
echo "picker: PASS"
