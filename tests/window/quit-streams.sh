#!/usr/bin/env bash
# Quit during streams ends every stream cleanly (issue 15). In a real
# window under Xvfb, on a private session bus with the test tray watcher,
# against the fake providers (a slow paced answer, trigger:tokens=N@R):
#   - a client streams from the local endpoint, and the window streams a
#     chat answer, both still mid-answer;
#   - Quit from the tray;
#   - the client's stream ended properly: curl exits 0 (no reset or cut
#     chunked body), every data line is whole JSON, and the last event is
#     an error event or [DONE];
#   - the window's partial answer is in history.db as stopped or
#     interrupted, with the text that had arrived;
#   - the process exits with status 0 and the port is free.
#   tests/window/quit-streams.sh build/bin/thinkcloud
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8
start_fakes
start_xvfb
use_dirs "$WORK/d"
cat >"$XDG_CONFIG_HOME/thinkcloud/settings.json" <<JSON
{"version":1,"lastModel":"deepseek-v4-pro","theme":"light","language":"en","endpoint":{"enabled":true,"host":"127.0.0.1","port":8000},"updates":{"check":"off"}}
JSON
start_tray_bus

PORT=$(free_port)
health() { curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '"status":"healthy"'; }
(cd "$WORK" && exec "$BIN" --port "$PORT" >>"$WORK/app.log" 2>&1) &
APP=$!
PIDS+=($APP)
wait_until "the endpoint" health
find_window
wait_until "the tray item to register" grep -qx "registered org.kde.StatusNotifierItem-$APP-1" "$WORK/watcher.out"

# A slow answer (20 words a second, far more words than the test waits
# for) streamed to a client of the endpoint.
SLOW="trigger:tokens=100000@20"
curl -sS -N --max-time "$HANG" "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Content-Type: application/json' \
  -d "{\"model\":\"deepseek-v4-pro\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"$SLOW\"}]}" \
  >"$WORK/client.sse" 2>"$WORK/client.err" &
CURL=$!
PIDS+=($CURL)

# The same slow answer in the window's chat.
wait_painted "$WORK/before.png"
eval "$(DISPLAY=$DISP xdotool getwindowgeometry --shell "$WID")"
click_rel $((WIDTH / 2 + 150)) $((HEIGHT - 38))
DISPLAY=$DISP xdotool type --delay 15 "$SLOW"
DISPLAY=$DISP xdotool key Return

DB="$XDG_DATA_HOME/thinkcloud/thinkcloud.db"
# While it streams the window saves the partial answer (in draft) every second.
assistant() { sqlite3 "$DB" "select status || '|' || length(draft) from messages where role='assistant' order by seq desc limit 1" 2>/dev/null; }
streaming() { case "$(assistant)" in streaming\|[1-9]*) return 0 ;; esac; return 1; }
wait_until "the window's answer to stream" streaming
chunks() { grep -c '^data: {' "$WORK/client.sse" 2>/dev/null || true; }
client_streaming() { [ "$(chunks)" -ge 5 ]; }
wait_until "the client's answer to stream" client_streaming
kill -0 "$CURL" 2>/dev/null || fail "the client's stream ended before Quit: $(tail -3 "$WORK/client.sse")"
echo "before Quit: window answer $(assistant), client $(chunks) chunks"

tray_click "$APP" 5
ended() { ! kill -0 "$APP" 2>/dev/null; }
wait_until "the app to quit" ended
rc=0
wait "$APP" || rc=$?
[ "$rc" = 0 ] || fail "the app exited with status $rc after Quit"
[ -z "$(ss -Hltn "sport = :$PORT")" ] || fail "port $PORT is still taken after Quit"

crc=0
wait "$CURL" || crc=$?
[ "$crc" = 0 ] || fail "the client's stream did not end cleanly (curl exit $crc: $(cat "$WORK/client.err")); last bytes: $(tail -c 200 "$WORK/client.sse")"
python3 - "$WORK/client.sse" <<'PY' || fail "the client's stream is not a whole SSE stream"
import json, sys
events = [l[6:] for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l.startswith("data: ")]
for e in events:
    if e != "[DONE]":
        json.loads(e)  # a cut event raises
last = events[-1]
if last != "[DONE]" and "error" not in json.loads(last):
    sys.exit("the stream ends with neither [DONE] nor an error event: " + last)
print(f"client: {len(events)} events, ends with {last[:120]}")
PY

row=$(sqlite3 "$DB" "select status || '|' || length(content) from messages where role='assistant' order by seq desc limit 1")
case "$row" in
  stopped\|[1-9]* | interrupted\|[1-9]*) ;;
  *) fail "the window's partial answer is saved as '$row'; want stopped or interrupted with its text" ;;
esac
echo "quit-streams.sh: ok (window answer saved as $row; client stream ended cleanly; exit 0; port free)"
