#!/usr/bin/env bash
# Installs what ThinkCloud needs to build (and, with "test", to test) on
# Debian/Ubuntu: apt packages, the pinned Wails CLI, npm packages.
# `deps.sh package` adds what `make package` needs, `package-test` what
# `make test-package` needs.
# Idempotent and fast when everything is there: dpkg-query and a version
# check, no network.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.16.0
BUILD_PKGS=(libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential)
# make package: makensis for the Windows installer, zip for the portable
# archive. make test-package also checks what they made.
PACKAGE_PKGS=(nsis zip)
PACKAGE_TEST_PKGS=(lintian desktop-file-utils appstream rpm libimage-exiftool-perl file unzip)
# fonts-wqy-microhei: a CJK font, so the Chinese UI in the window tests and
# `make screenshots` shows glyphs, not boxes (a bare Debian has none).
TEST_PKGS=(xvfb xauth xdotool imagemagick x11-utils gnome-keyring dbus-x11 libsecret-tools chromium iproute2 sqlite3 fonts-wqy-microhei)

pkgs=("${BUILD_PKGS[@]}")
case "${1:-}" in
  test) pkgs+=("${TEST_PKGS[@]}" "${PACKAGE_PKGS[@]}" "${PACKAGE_TEST_PKGS[@]}") ;;
  package) pkgs+=("${PACKAGE_PKGS[@]}") ;;
  package-test) pkgs+=("${PACKAGE_PKGS[@]}" "${PACKAGE_TEST_PKGS[@]}") ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "deps: missing ${missing[*]}; this script installs them on Debian/Ubuntu only (see README for other systems)" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps: missing ${missing[*]}; run as root or install sudo" >&2; exit 1; }
    SUDO=sudo
  fi
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v go >/dev/null || { echo "deps: Go 1.26+ is required (https://go.dev/dl); Debian's golang package is too old" >&2; exit 1; }
command -v npm >/dev/null || { echo "deps: Node.js 20.19+ with npm is required" >&2; exit 1; }

WAILS="$(go env GOPATH)/bin/wails"
# Capture first: `wails version | grep -q` dies of SIGPIPE under pipefail.
have=$([ -x "$WAILS" ] && "$WAILS" version 2>/dev/null || true)
if ! grep -q "^${WAILS_VERSION}" <<<"$have"; then
  echo "deps: installing the Wails CLI ${WAILS_VERSION}"
  go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
fi

# npm ci only when package-lock.json changed since the last install.
npm_install() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install frontend
if [ "${1:-}" = test ]; then
  for d in tests/compat tests/e2e tests/agents/claude tests/agents/codex; do
    [ -f "$d/package-lock.json" ] && npm_install "$d"
  done
fi
exit 0
