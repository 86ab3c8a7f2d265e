#!/usr/bin/env bash
# Real-window export/import test: the built app in Xvfb, fake providers on
# loopback, xdotool driving the real GTK file chooser.
#  1. Export Markdown, accepting the name and folder the dialog proposes:
#     the file is named after the conversation's title, made safe for file
#     systems, and holds the conversation.
#  2. Export JSON, cancelled in the dialog: nothing is written.
#  3. Export JSON to a path typed into the dialog: a complete export, no
#     temporary file left beside it.
#  4. Export Markdown again: the dialog now opens in the folder of step 3.
#  5. Import that JSON through the open dialog: a second conversation with
#     the same messages.
# Screenshots of every step go to OUT (export-*.png).
#   tests/window/export.sh build/bin/thinkcloud build/test-artifacts
BIN=$(realpath "$1")
OUT=$(realpath -m "${2:-build/test-artifacts}")
source "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"

start_fakes # the fake providers, keys and base URLs exported

start_xvfb
use_dirs "$WORK/app"
cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"lastModel":"deepseek-flash","theme":"light","language":"en","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
PORT=$(free_port)
start_app "$BIN" "$PORT"
find_window
wait_painted "$SHOTS/shell.ppm" # the composer is there to click
eval "$(DISPLAY=$DISP xdotool getwindowgeometry --shell "$WID")"
DB="$XDG_DATA_HOME/thinkcloud/thinkcloud.db"
x() { DISPLAY=$DISP xdotool "$@"; }

# Points in the window (1200×800, light theme, English), measured on
# screenshots: the first conversation's "…" button, its menu entries, the
# export dialog's Save as… button, the sidebar's import button.
CONV_MENU="243 180"
MENU_EXPORT_MD="173 284"
MENU_EXPORT_JSON="173 317"
EXPORT_SAVE="905 641"
IMPORT="213 $((HEIGHT - 26))"

# Each step waits for what it needs to be on screen, not for a fixed time:
# a click is acted on when the page gets to it, however busy the machine.

# wait_for DESCRIPTION COMMAND...: retries COMMAND for up to HANG s.
wait_for() {
  local what=$1 deadline=$((SECONDS + HANG))
  shift
  until "$@"; do
    if ((SECONDS > deadline)); then
      shot "$OUT/export-timeout.png"
      fail "timed out waiting for $what"
    fi
    sleep 0.1
  done
}

dialog_up() { x search --onlyvisible --name "^$1\$" >/dev/null 2>&1; }
dialog_gone() { ! dialog_up "$1"; }

# file_dialog TITLE: waits for the GTK file chooser titled TITLE, gives it
# the keyboard (there is no window manager to do that) and waits until it
# has filled its file list and proposed a name (its picture settles).
file_dialog() {
  DLG=$(DISPLAY=$DISP timeout "$HANG" xdotool search --sync --onlyvisible --name "^$1\$" | head -1) ||
    { shot "$OUT/export-no-dialog.png"; fail "no file dialog titled '$1'"; }
  x windowfocus --sync "$DLG"
  settled "$SHOTS/chooser.ppm" "$DLG"
}

# save_via_menu ENTRY TITLE: opens the export dialog from the conversation
# menu and presses Save as… until the file chooser titled TITLE is up. The
# button does nothing while the dialog loads its preview, and is disabled
# while a chooser is open, so a press that comes late is harmless; it is
# pressed again only while no chooser is on screen.
save_via_menu() {
  settled "$SHOTS/before-menu.ppm"
  click_rel $CONV_MENU
  wait_changed "the conversation menu" "$SHOTS/before-menu.ppm" 3000 "$SHOTS/menu.ppm"
  click_rel $1
  wait_changed "the export dialog" "$SHOTS/menu.ppm" 20000 "$SHOTS/export-dialog.ppm"
  local deadline=$((SECONDS + HANG))
  until dialog_up "$2"; do
    if ((SECONDS > deadline)); then
      shot "$OUT/export-no-dialog.png"
      fail "no file dialog titled '$2'"
    fi
    click_rel $EXPORT_SAVE
    DISPLAY=$DISP timeout 5 xdotool search --sync --onlyvisible --name "^$2\$" >/dev/null 2>&1 || true
  done
  file_dialog "$2"
}

# New files anywhere under WORK since the marker, apart from the app's own.
new_files() { find "$WORK" -newer "$WORK/marker" -type f -not -path "$XDG_DATA_HOME/*" -not -path "$XDG_CACHE_HOME/*" -not -name app.log | sort; }
# A saved file, not the hidden temporary one it is renamed from; once it
# exists, new_files would also show a temporary file left behind.
any_new_file() { new_files | grep -qv '/\.[^/]*\.tmp-[^/]*$'; }

# A conversation to export.
QUESTION="Export test: 天空 / why?" # xdotool may drop a CJK character; the title is read back
click_rel $((WIDTH / 2 + 150)) $((HEIGHT - 38))
x type --delay 15 "$QUESTION"
x key Return
answer() { [ "$(sqlite3 "$DB" "select status from messages where role='assistant'" 2>/dev/null)" = complete ]; }
wait_for "the answer in the history" answer
# The proposed file name is the title with the characters Windows refuses
# replaced by "-".
TITLE=$(sqlite3 "$DB" "select title from conversations")
NAME="$(printf '%s' "$TITLE" | sed 's#[/\\:*?"<>|]#-#g').md"
echo "window-export: title '$TITLE', expected file name '$NAME'"

# 1. Markdown, accepting what the dialog proposes.
touch "$WORK/marker"
save_via_menu "$MENU_EXPORT_MD" "Export conversation as Markdown"
shot "$OUT/export-1-save-dialog.png"
x key Return
wait_for "the Markdown export" any_new_file
MD=$(new_files)
echo "window-export: Markdown saved as $MD ($(stat -c %s "$MD") bytes)"
[ "$(basename "$MD")" = "$NAME" ] || fail "the proposed name was '$(basename "$MD")', not '$NAME'"
for want in "# $TITLE" "## User" "## Assistant (\`deepseek-flash\`)" "Hello from deepseek (deepseek-flash)."; do
  grep -qF -- "$want" "$MD" || fail "the Markdown export lacks '$want'"
done
wait_for "the dialog to close" dialog_gone "Export conversation as Markdown"
settled "$OUT/export-1-saved.png"

# 2. JSON, cancelled.
touch "$WORK/marker"
save_via_menu "$MENU_EXPORT_JSON" "Export conversation as JSON"
x key Escape
wait_for "the cancelled dialog to close" dialog_gone "Export conversation as JSON"
sleep 1 # time for a write that should not happen (no wait can tell it will not)
[ -z "$(new_files)" ] || fail "a cancelled export wrote $(new_files)"
settled "$OUT/export-2-cancelled.png"
x key Escape # the export dialog stays open after a cancel; close it
wait_changed "the export dialog to close" "$OUT/export-2-cancelled.png" 20000 "$SHOTS/closed.ppm"

# 3. JSON to a typed path, in a folder the dialog did not propose.
mkdir -p "$WORK/typed"
JSON_FILE="$WORK/typed/exported.json"
touch "$WORK/marker"
save_via_menu "$MENU_EXPORT_JSON" "Export conversation as JSON"
x key ctrl+a
x type --delay 10 "$JSON_FILE"
shot "$OUT/export-3-typed-path.png"
x key Return
wait_for "the JSON export" test -s "$JSON_FILE" # written beside, then renamed: complete
wait_for "the dialog to close" dialog_gone "Export conversation as JSON"
echo "window-export: JSON saved as $JSON_FILE ($(stat -c %s "$JSON_FILE") bytes)"
grep -qF '"format": "thinkcloud.conversation"' "$JSON_FILE" || fail "the JSON export has no format header"
grep -qF "\"content\": \"Hello from deepseek (deepseek-flash).\"" "$JSON_FILE" || fail "the JSON export lacks the answer"
[ "$(ls -A "$WORK/typed")" = exported.json ] || fail "the folder holds $(ls -A "$WORK/typed" | tr '\n' ' ')"

# 4. The next dialog opens where the last export went.
touch "$WORK/marker"
save_via_menu "$MENU_EXPORT_MD" "Export conversation as Markdown"
x key Return
wait_for "the second Markdown export" any_new_file
[ "$(new_files)" = "$WORK/typed/$NAME" ] || fail "the second export went to $(new_files), not beside the JSON"
wait_for "the dialog to close" dialog_gone "Export conversation as Markdown"
settled "$SHOTS/before-import.ppm"

# 5. Import the JSON through the open dialog.
ORIG=$(sqlite3 "$DB" "select id from conversations")
click_rel $IMPORT
file_dialog "Import conversation from JSON"
x type --delay 10 "$JSON_FILE" # a leading / opens the location field
shot "$OUT/export-5-import-dialog.png"
x key Return
imported() { [ "$(sqlite3 "$DB" "select count(*) from conversations")" = 2 ]; }
wait_for "the imported conversation" imported
COPY=$(sqlite3 "$DB" "select id from conversations where id <> '$ORIG'")
msgs() { sqlite3 "$DB" "select role || ': ' || status || ': ' || content from messages where conversation_id = '$1' order by position"; }
[ "$(msgs "$COPY")" = "$(msgs "$ORIG")" ] || fail "the imported messages differ: $(msgs "$COPY")"
echo "window-export: imported $(msgs "$COPY" | wc -l) messages into a second conversation"
settled "$OUT/export-5-imported.png"
assert_not_blank "$OUT/export-5-imported.png"
kill -0 "$APP" || fail "the app died"
echo "window-export: PASS"
