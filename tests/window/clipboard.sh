#!/bin/sh
# Pasting an image in WebKitGTK: the window asks Go, which reads the X
# clipboard with xclip. This puts a real PNG on a real X clipboard (Xvfb)
# and checks that Go reads back the same bytes, then that an empty
# clipboard gives no image. Needs: Xvfb, xclip, convert (imagemagick).
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
disp=:$((200 + $$ % 500))
Xvfb "$disp" -screen 0 800x600x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
xclipPid=
trap 'kill $xvfb ${xclipPid:-} 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export DISPLAY="$disp"
unset WAYLAND_DISPLAY || true
i=0; until xdpyinfo >/dev/null 2>&1 || [ $i -ge 100 ]; do i=$((i+1)); sleep 0.1; done
convert -size 32x16 xc:orange "$tmp/copied.png"
xclip -selection clipboard -t image/png -i "$tmp/copied.png" &
xclipPid=$!
i=0; until xclip -selection clipboard -t TARGETS -o 2>/dev/null | grep -q image/png || [ $i -ge 100 ]; do i=$((i+1)); sleep 0.1; done
CLIPBOARD_PNG="$tmp/copied.png" go test -count=1 -tags clipboardx11 -run 'TestClipboardImageXclip$' ./backend/desktop/
