#!/usr/bin/env bash
# README screenshots of two stored conversations in the real window (Xvfb,
# WebKitGTK): "branches", an answer regenerated twice and shown at ‹ 2/3 ›
# with a follow-up turn under that version, and "math", an answer typeset
# by KaTeX ($…$, $$…$$, \(…\), \[…\]) with a task list. Each is written
# into a fresh history by tests/window/seedchat (the history package, as the
# chat stores turns), opened from the sidebar, and taken in light and dark,
# English, as DOCS/KIND-THEME-en.png.
#   tests/window/conversations.sh build/bin/thinkcloud build/test-artifacts docs/screenshots
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
DOCS=$(realpath -m "${3:-$OUT}")
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT" "$DOCS"

start_fakes # deepseek-v4-pro shows as an available model, as it would with a key
start_xvfb
go build -o "$WORK/seedchat" ./tests/window/seedchat
PORT=$(free_port)
for kind in branches math; do
  for theme in light dark; do
    use_dirs "$WORK/$kind-$theme"
    mkdir -p "$XDG_DATA_HOME/thinkcloud"
    "$WORK/seedchat" -db "$XDG_DATA_HOME/thinkcloud/thinkcloud.db" -kind "$kind" || fail "seeding $kind"
    cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"lastModel":"deepseek-v4-pro","theme":"$theme","language":"en","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
    start_app "$BIN" "$PORT"
    find_window
    wait_painted "$OUT/$kind-$theme-before.png"
    click_rel 150 190 # the conversation, alone in the sidebar
    DISPLAY=$DISP xdotool mousemove --window "$WID" 700 880 # no hover tooltip
    # The conversation replaces the empty chat: a large part of the window changes.
    wait_changed "the $kind conversation on screen" "$OUT/$kind-$theme-before.png" 20000 "$OUT/$kind-$theme-open.png"
    name="$kind-$theme-en.png"
    doc_shot "$DOCS/$name"
    echo "conversations: saved $DOCS/$name ($(pixels_differ "$OUT/$kind-$theme-before.png" "$DOCS/$name") pixels differ from the empty chat)"
    stop_app
  done
done
echo "conversations: PASS"
