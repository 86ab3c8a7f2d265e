# Shared plumbing of the real-window tests: an Xvfb display, the app with
# its own XDG dirs, its window, screenshots. Source it; it sets WORK, DISP,
# PIDS and a cleanup trap.
set -euo pipefail
WORK=$(mktemp -d)
SHOTS=$(mktemp -d) # scratch screenshots, apart from the files the tests look for in WORK
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK" "$SHOTS"
}
trap cleanup EXIT
fail() { echo "$(basename "$0"): FAIL: $*" >&2; [ -f "$WORK/app.log" ] && tail -20 "$WORK/app.log" >&2; exit 1; }

# HANG: seconds any one wait may take before it counts as a hang. Waits end
# as soon as their condition holds; the bound is generous so that a busy
# machine (two shared cores) makes these scripts slower, never failing.
HANG=${HANG:-120}

# wait_until DESCRIPTION COMMAND...: runs COMMAND until it succeeds, for at
# most HANG seconds.
wait_until() {
  local what=$1 deadline=$((SECONDS + HANG))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${HANG}s waiting for $what"
    sleep 0.2
  done
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    [ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
  done
}

# Two scripts starting at once may pick the same free-looking number: the
# X server that loses finds the lock taken and exits, so a display only
# counts as ours when our server is alive and its pid is in the lock file
# (otherwise we would draw on the other script's screen).
start_xvfb() {
  local n pid
  for n in $(seq 90 140); do
    [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ] && continue
    Xvfb ":$n" -screen 0 1280x900x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
    pid=$!
    local deadline=$((SECONDS + HANG))
    while ((SECONDS < deadline)); do
      kill -0 "$pid" 2>/dev/null || break
      if [ "$(cat "/tmp/.X$n-lock" 2>/dev/null | tr -d ' ')" = "$pid" ] && xdpyinfo -display ":$n" >/dev/null 2>&1; then
        PIDS+=("$pid")
        DISP=:$n
        export DISPLAY=$DISP
        return
      fi
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  fail "Xvfb did not start"
}

# use_dirs DIR: the app's HOME and XDG dirs live under DIR.
use_dirs() {
  # Go finds its module and build caches under HOME, which moves here: pin
  # them first, or a later go build/run downloads every module again.
  if command -v go >/dev/null; then
    export GOMODCACHE GOCACHE GOPATH
    GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
  fi
  export HOME="$1/home" XDG_CONFIG_HOME="$1/config" XDG_DATA_HOME="$1/data" XDG_CACHE_HOME="$1/cache"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME/thinkcloud"
}

# start_app BIN PORT: runs the window on $DISP; sets APP. Waits until the
# app process itself answers /health.
start_app() {
  (cd "$WORK" && DISPLAY=$DISP DBUS_SESSION_BUS_ADDRESS=disabled: exec "$1" --port "$2" >>"$WORK/app.log" 2>&1) &
  APP=$!
  PIDS+=($APP)
  local deadline=$((SECONDS + HANG))
  until curl -fsS "http://127.0.0.1:$2/health" >"$WORK/health.json" 2>/dev/null; do
    kill -0 $APP 2>/dev/null || fail "the app exited early"
    ((SECONDS < deadline)) || break
    sleep 0.1
  done
  grep -q '"status":"healthy"' "$WORK/health.json" || fail "/health did not answer"
  local owner
  owner=$(ss -Hltnp "sport = :$2" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [ "$owner" = "$APP" ] || fail "port $2 is served by pid $owner, not the app ($APP)"
}

stop_app() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; }

# find_window: sets WID to the visible window titled ThinkCloud.
find_window() {
  WID=$(DISPLAY=$DISP timeout "$HANG" xdotool search --sync --onlyvisible --name '^ThinkCloud$' | head -1) || fail "no visible window titled ThinkCloud"
}

shot() { DISPLAY=$DISP import -window root "$1"; }

# pixels_differ A.png B.png: how many pixels differ between two screenshots.
pixels_differ() {
  local d
  d=$(compare -metric AE "$1" "$2" null: 2>&1 || true)
  d=${d%% *}
  echo "${d%%.*}"
}

# settled PNG [WINDOW]: takes screenshots (of the screen, or of WINDOW)
# until two in a row, 0.3 s apart, differ in under 300 pixels (a blinking
# caret is a few dozen), and keeps the last as PNG. What is on screen then
# is what the app drew, not a frame of it drawing. At most HANG seconds.
# (Scratch shots are PPM: no compression to wait for.)
settled() {
  local out=$1 win=${2:-root} prev="$SHOTS/settle-a.ppm" cur="$SHOTS/settle-b.ppm" deadline=$((SECONDS + HANG))
  DISPLAY=$DISP import -window "$win" "$prev"
  while :; do
    sleep 0.3
    DISPLAY=$DISP import -window "$win" "$cur"
    { cmp -s "$prev" "$cur" || [ "$(pixels_differ "$prev" "$cur")" -lt 300 ]; } && break
    ((SECONDS < deadline)) || fail "the screen was still changing after ${HANG}s"
    mv "$cur" "$prev"
  done
  convert "$cur" "$out"
}

# not_blank PNG: many colours and real contrast (assert_not_blank, quietly).
not_blank() {
  local colors stddev
  colors=$(identify -format '%k' "$1")
  stddev=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  [ "$colors" -ge 16 ] && awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }'
}

# wait_painted PNG: waits until the window has drawn its page (the screen
# is settled and not blank), and keeps that screen as PNG. Instead of
# sleeping a fixed time "to let the page paint", which a busy machine
# outlasts.
wait_painted() {
  local deadline=$((SECONDS + HANG))
  until settled "$1" && not_blank "$1"; do
    ((SECONDS < deadline)) || fail "the window drew nothing but a blank page in ${HANG}s"
    sleep 0.3
  done
}

# wait_changed DESCRIPTION BEFORE.png PIXELS PNG: waits until the window
# shows a drawn page (settled, not blank) that differs from BEFORE in more
# than PIXELS pixels, and keeps it as PNG.
wait_changed() {
  local what=$1 before=$2 pixels=$3 out=$4 deadline=$((SECONDS + HANG))
  while :; do
    settled "$out"
    not_blank "$out" && [ "$(pixels_differ "$before" "$out")" -gt "$pixels" ] && return
    ((SECONDS < deadline)) || fail "timed out after ${HANG}s waiting for $what ($(pixels_differ "$before" "$out") pixels differ)"
  done
}

# click_rel X Y: click at a point relative to the window's top-left corner.
click_rel() {
  DISPLAY=$DISP xdotool mousemove --window "$WID" "$1" "$2" click 1
}

# doc_shot PNG: once the screen has settled, saves the window (not the
# whole screen) as PNG, a README screenshot, and checks it is not blank.
doc_shot() {
  settled "$SHOTS/doc.ppm"
  DISPLAY=$DISP import -window "$WID" "$1"
  assert_not_blank "$1"
}

# assert_not_blank PNG: many colours and real contrast.
assert_not_blank() {
  local colors stddev
  colors=$(identify -format '%k' "$1")
  stddev=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  echo "$(basename "$0"): $1 has $colors colours, grey stddev $stddev"
  [ "$colors" -ge 16 ] || fail "$1 is blank ($colors colours)"
  awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || fail "$1 is nearly uniform (stddev $stddev)"
}

# start_fakes [ARGS…]: the fake providers (tests/fakeupstream ARGS…) on
# loopback, with every <ID>_BASE_URL and <ID>_API_KEY exported for the app.
# They exit when our end of their stdin fifo (fd 3) closes.
start_fakes() {
  go build -o "$WORK/fake" ./tests/fakeupstream
  mkfifo "$WORK/fake.in"
  "$WORK/fake" "$@" <"$WORK/fake.in" >"$WORK/fake.json" &
  PIDS+=($!)
  exec 3>"$WORK/fake.in"
  wait_until "the fake providers' addresses" test -s "$WORK/fake.json"
  local p P url
  for p in cerebras deepseek openai dashscope kimi; do
    url=$(grep -o "\"$p\":{[^}]*}" "$WORK/fake.json" | grep -o "\"baseURL\":\"[^\"]*\"" | sed 's/.*"baseURL":"//; s/"$//')
    [ -n "$url" ] || fail "no fake for $p"
    P=$(echo "$p" | tr a-z A-Z)
    export "${P}_BASE_URL=$url" "${P}_API_KEY=test-key-$p"
  done
}

# start_tray_bus: a private D-Bus session bus without service activation,
# so nothing but our processes appears on it (no keyring daemon, no
# accessibility bus), with the test StatusNotifierWatcher (tests/sniwatcher)
# on it; exports DBUS_SESSION_BUS_ADDRESS. The watcher prints "registered
# NAME" to $WORK/watcher.out for each tray item.
start_tray_bus() {
  cat >"$WORK/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=$WORK</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  dbus-daemon --config-file="$WORK/bus.conf" --nofork --print-address=1 >"$WORK/bus.addr" 2>"$WORK/bus.log" &
  PIDS+=($!)
  wait_until "the test session bus" test -s "$WORK/bus.addr"
  export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$WORK/bus.addr")
  (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && go build -o "$WORK/sniwatcher" ./tests/sniwatcher) || fail "build the test watcher"
  "$WORK/sniwatcher" >"$WORK/watcher.out" 2>&1 &
  PIDS+=($!)
  wait_until "the test watcher" grep -q '^ready$' "$WORK/watcher.out"
}

# tray_click PID ID: clicks menu item ID of PID's tray item over D-Bus
# (2 Open, 3 the endpoint switch, 5 Quit).
tray_click() {
  dbus-send --session --print-reply --dest="org.kde.StatusNotifierItem-$1-1" /MenuBar com.canonical.dbusmenu.Event int32:"$2" string:clicked variant:int32:0 uint32:0 >/dev/null
}
