#!/usr/bin/env bash
# The Usage view in a real window over a seeded request log (100,000 rows
# over 90 days, tests/window/seedusage): the window reopens on the view it
# showed last, so window.json says "usage". The screenshot goes to DOCS as
# usage-THEME-LANG.png (THEME=light|dark, LANGUAGE_SETTING=en|zh-CN).
#   THEME=dark LANGUAGE_SETTING=zh-CN tests/window/usage.sh build/bin/thinkcloud build/test-artifacts docs/screenshots
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
DOCS=$(realpath -m "${3:-$OUT}")
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT" "$DOCS"
THEME=${THEME:-light}
LANG_SETTING=${LANGUAGE_SETTING:-en}

start_xvfb
use_dirs "$WORK/app"
mkdir -p "$XDG_DATA_HOME/thinkcloud"
go run ./tests/window/seedusage -db "$XDG_DATA_HOME/thinkcloud/usage.db" -rows 100000 -days 89 || fail "seeding the log"
cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"theme":"$THEME","language":"$LANG_SETTING","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
cat >"$XDG_CONFIG_HOME/thinkcloud/window.json" <<JSON
{"width":1270,"height":890,"x":0,"y":0,"placed":true,"view":"usage"}
JSON
PORT=$(free_port)
start_app "$BIN" "$PORT"
find_window
DISPLAY=$DISP xdotool mousemove --window "$WID" 1260 880 # no hover tooltip
wait_painted "$OUT/usage-first.png"
# The charts draw after the queries answer: wait until two settled screens agree.
settled "$SHOTS/usage.ppm"
name="usage-$THEME-${LANG_SETTING%%-*}.png"
DISPLAY=$DISP import -window "$WID" "$DOCS/$name"
assert_not_blank "$DOCS/$name"
echo "usage: saved $DOCS/$name"
echo "usage: PASS"
