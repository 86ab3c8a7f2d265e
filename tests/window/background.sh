#!/usr/bin/env bash
# The app's life in the background, in a real window under Xvfb, on a
# private D-Bus session bus that has a test StatusNotifierWatcher
# (tests/sniwatcher) and nothing else:
#   - the tray item registers with the watcher;
#   - a second launch exits and leaves one process; the first keeps serving;
#   - `serve` on the window's port names the running ThinkCloud and exits 1;
#   - closing the window hides it and the endpoint keeps answering;
#   - launching again shows the window;
#   - the tray's switch stops and starts the endpoint;
#   - Quit from the tray ends the process and frees the port.
#   tests/window/background.sh build/bin/thinkcloud
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8 # the tray menu is checked by its English labels
start_xvfb
use_dirs "$WORK/d"

start_tray_bus # a private session bus with the test watcher

PORT=$(free_port)
health() { curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '"status":"healthy"'; }
(cd "$WORK" && exec "$BIN" --port "$PORT" >>"$WORK/app.log" 2>&1) &
APP=$!
PIDS+=($APP)
wait_until "the endpoint" health
find_window
echo "window $WID, app $APP, port $PORT"

# The tray item registers under the app's pid.
ITEM=org.kde.StatusNotifierItem-$APP-1
wait_until "the tray item to register" grep -qx "registered $ITEM" "$WORK/watcher.out"
click() { tray_click "$APP" "$1"; }
menu_has() { dbus-send --session --print-reply --dest="$ITEM" /MenuBar com.canonical.dbusmenu.GetLayout int32:0 int32:-1 array:string: | grep -q "$1"; }
wait_until "the menu to show the endpoint" menu_has "Endpoint: 127.0.0.1:$PORT (listening)"

# A second launch hands over and exits at once (status 0, before any
# window or endpoint of its own): one process keeps serving.
timeout "$HANG" "$BIN" --port "$PORT" >"$WORK/second.log" 2>&1 || fail "the second launch exited with $?: $(cat "$WORK/second.log")"
grep -q "already running" "$WORK/second.log" || fail "the second launch did not say it handed over: $(cat "$WORK/second.log")"
! grep -q "endpoint not started" "$WORK/second.log" || fail "the second launch tried to start its own endpoint"
kill -0 "$APP" 2>/dev/null || fail "the first instance died on a second launch"
health || fail "the endpoint stopped answering after a second launch"
owner=$(ss -Hltnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | sort -u)
[ "$owner" = "pid=$APP" ] || fail "port $PORT is held by $owner; want only pid=$APP"
# The app's log is written a tenth of a second at a time (backend/logbuf).
wait_until "the first instance to hear of the second launch" grep -q "launched again" "$WORK/app.log"

# serve on the window's port names the running instance and exits 1.
rc=0
timeout "$HANG" "$BIN" serve --port "$PORT" >"$WORK/serve.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "serve on the window's port exited with $rc; want 1: $(cat "$WORK/serve.log")"
grep -q "ThinkCloud is already running and serving http://127.0.0.1:$PORT/v1" "$WORK/serve.log" || fail "serve did not name the running instance: $(cat "$WORK/serve.log")"

# Closing the window hides it; the endpoint keeps answering.
python3 "$(dirname "$0")/close-window.py" "$WID"
gone() { ! DISPLAY=$DISP xdotool search --onlyvisible --name '^ThinkCloud$' >/dev/null 2>&1; }
wait_until "the window to hide" gone
kill -0 "$APP" 2>/dev/null || fail "closing the window ended the app (keep-running is on by default)"
health || fail "the endpoint stopped answering with the window closed"

# Launching again shows the window.
timeout "$HANG" "$BIN" --port "$PORT" >>"$WORK/second.log" 2>&1 || fail "the relaunch exited with $?"
find_window
kill -0 "$APP" 2>/dev/null || fail "the app died on relaunch"

# The tray's switch stops and starts the endpoint.
click 3
down() { ! curl -fsS --max-time 2 "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; }
wait_until "the endpoint to stop from the tray" down
wait_until "the menu to show it stopped" menu_has "Start the endpoint"
click 3
wait_until "the endpoint to start again from the tray" health

# Quit from the tray ends the process and frees the port.
click 5
ended() { ! kill -0 "$APP" 2>/dev/null; }
wait_until "the app to quit" ended
wait "$APP" 2>/dev/null || true
[ -z "$(ss -Hltn "sport = :$PORT")" ] || fail "port $PORT is still taken after Quit"
echo "background.sh: ok (tray, one instance, hide on close, relaunch shows, tray switch, Quit frees the port)"
