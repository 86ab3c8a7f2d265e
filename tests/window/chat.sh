#!/usr/bin/env bash
# Real-window chat test: the built app in Xvfb, fake providers on loopback.
# xdotool types a message into the composer and presses Enter; the fake
# DeepSeek reasoner answers; the answer must land in the SQLite history and
# change what is on screen (screenshots kept in OUT).
# With a third argument DOCS, also takes the README screenshots (light and
# dark, English and Chinese) of that conversation into DOCS.
#   tests/window/chat.sh build/bin/thinkcloud build/test-artifacts [docs/screenshots]
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
DOCS=${3:+$(realpath -m "$3")}
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"

start_fakes # the fake providers, keys and base URLs exported

settings() { # theme language
  cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"lastModel":"deepseek-v4-pro","theme":"$1","language":"$2","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
}

start_xvfb
use_dirs "$WORK/app"
settings light en
PORT=$(free_port)
start_app "$BIN" "$PORT"
find_window
wait_painted "$OUT/chat-before.png" # the composer is there to click
eval "$(DISPLAY=$DISP xdotool getwindowgeometry --shell "$WID")"
# The composer spans the bottom of the main pane.
click_rel $((WIDTH / 2 + 150)) $((HEIGHT - 38))
DISPLAY=$DISP xdotool type --delay 15 "What is the answer? "
# A character the keymap lacks is typed by binding it to a spare key for
# half the delay, then unbinding it; a window that reads the keymap after
# that (a busy machine) gets nothing. Half a second each is plenty.
DISPLAY=$DISP xdotool type --delay 1000 "你好"
DISPLAY=$DISP xdotool key Return

DB="$XDG_DATA_HOME/thinkcloud/thinkcloud.db"
row=""
stored() {
  row=$(sqlite3 "$DB" "select status || '|' || content || '|' || reasoning from messages where role='assistant' order by seq desc limit 1" 2>/dev/null || true)
  case "$row" in complete*) return 0 ;; esac
  return 1
}
deadline=$((SECONDS + HANG))
until stored || ((SECONDS > deadline)); do sleep 0.1; done
echo "window-chat: stored answer: $row"
case "$row" in
  "complete|Hello from deepseek (deepseek-v4-pro).|Let me think about this step by step.") ;;
  *) fail "the answer did not reach the history (got '$row')" ;;
esac
user=$(sqlite3 "$DB" "select content from messages where role='user' order by seq desc limit 1")
[ "$user" = "What is the answer? 你好" ] || fail "typed message stored as '$user'"
# The question and the answer on screen: wait for them to be drawn.
wait_changed "the conversation on screen" "$OUT/chat-before.png" 20000 "$OUT/chat-after.png"
assert_not_blank "$OUT/chat-after.png"
echo "window-chat: $(pixels_differ "$OUT/chat-before.png" "$OUT/chat-after.png") pixels changed on screen"

if [ -n "$DOCS" ]; then
  mkdir -p "$DOCS"
  for variant in "light en" "dark en" "light zh-CN" "dark zh-CN"; do
    set -- $variant
    stop_app
    settings "$1" "$2"
    start_app "$BIN" "$PORT"
    find_window
    wait_painted "$SHOTS/shell.ppm"
    click_rel 150 190 # the conversation, first in the sidebar
    DISPLAY=$DISP xdotool mousemove --window "$WID" 700 500 # no hover tooltip
    sleep 1.5 # the click reaches the page (screenshots only, not a check)
    settled "$SHOTS/open.ppm"
    name="chat-$1-${2%%-*}.png"
    DISPLAY=$DISP import -window "$WID" "$DOCS/$name"
    assert_not_blank "$DOCS/$name"
  done
fi
echo "window-chat: PASS"
