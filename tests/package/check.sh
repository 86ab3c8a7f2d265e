#!/usr/bin/env bash
# make test-package: checks what `make package` put in build/dist/
# (docs/PACKAGING.md): lintian on the .deb, desktop-file-validate and
# appstreamcli on the metadata it carries, a dpkg -i / dpkg -r round trip
# that leaves nothing behind, the .rpm's file list and an rpm -i / rpm -e
# round trip in a scratch root, the Windows programs'
# format and version resources, the archives' contents and SHA256SUMS.
# Installs into this machine's dpkg database: as root, or through sudo
# (as build/deps.sh installs what is missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

DIST=build/dist
APPID=io.github.thinkcloud.ThinkCloud
eval "$(build/version.sh)"
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
step() { echo "test-package: $*"; }

deb=$DIST/thinkcloud_${PKG_VERSION}_amd64.deb
rpm=$(ls "$DIST"/thinkcloud-*.x86_64.rpm 2>/dev/null || true)
for f in "$deb" "$rpm" "$DIST/thinkcloud-setup.exe" "$DIST/SHA256SUMS" \
  "$DIST/thinkcloud_${PKG_VERSION}_windows_amd64.zip" \
  "$DIST/thinkcloud-headless_${PKG_VERSION}_linux_amd64.tar.gz"; do
  [ -n "$f" ] && [ -s "$f" ] || fail "missing ${f:-the .rpm} (run make package from this commit)"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

step "SHA256SUMS covers every file and matches"
(cd "$DIST" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
listed=$(awk '{print $2}' "$DIST/SHA256SUMS" | sort | tr '\n' ' ')
present=$(cd "$DIST" && ls | grep -vx SHA256SUMS | sort | tr '\n' ' ')
[ "$listed" = "$present" ] || fail "SHA256SUMS lists [$listed]; build/dist has [$present]"

step "lintian $(basename "$deb")"
lintian --fail-on error,warning --suppress-tags-from-file /dev/null "$deb" || fail "lintian"

step "metadata in the .deb: desktop-file-validate, appstreamcli validate"
dpkg-deb -x "$deb" "$tmp/deb"
out=$(desktop-file-validate "$tmp/deb/usr/share/applications/$APPID.desktop" 2>&1) || fail "desktop-file-validate: $out"
[ -z "$out" ] || fail "desktop-file-validate: $out"
appstreamcli validate --no-net --explain "$tmp/deb/usr/share/metainfo/$APPID.metainfo.xml" || fail "appstreamcli validate"
grep -q "<release version=\"$PKG_VERSION\"" "$tmp/deb/usr/share/metainfo/$APPID.metainfo.xml" || fail "metainfo has no release $PKG_VERSION"
deps=$(dpkg-deb -f "$deb" Depends)
for d in libgtk-3-0 libwebkit2gtk-4.1-0; do grep -q "$d" <<<"$deps" || fail "Depends lacks $d: $deps"; done
dpkg-deb -f "$deb" Recommends | grep -q gnome-keyring || fail "Recommends lacks a Secret Service provider"

SUDO=
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || fail "installing the .deb needs root or sudo"
  SUDO=sudo
fi
step "dpkg -i, then dpkg -r leaves nothing behind"
if dpkg-query -W -f='${Status}' thinkcloud 2>/dev/null | grep -q installed; then
  fail "a thinkcloud package is already installed here; remove it first (dpkg -r thinkcloud)"
fi
dpkg-deb -c "$deb" | awk '{print substr($6, 2)}' | grep -v '/$' >"$tmp/files"
[ -s "$tmp/files" ] || fail "the .deb lists no files"
while read -r f; do [ ! -e "$f" ] || fail "$f exists before install: the round trip would not prove anything"; done <"$tmp/files"
$SUDO dpkg -i "$deb" >/dev/null || fail "dpkg -i"
installed=1
cleanup_pkg() { [ -n "${installed:-}" ] && $SUDO dpkg -r thinkcloud >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup_pkg EXIT
[ "$(command -v thinkcloud)" = /usr/bin/thinkcloud ] || fail "thinkcloud is not /usr/bin/thinkcloud"
got=$(env -u DISPLAY -u WAYLAND_DISPLAY thinkcloud --version) || fail "thinkcloud --version exited $?"
[ "$got" = "thinkcloud $PKG_VERSION" ] || fail "thinkcloud --version: got '$got'; want 'thinkcloud $PKG_VERSION'"
[ -f /usr/share/applications/$APPID.desktop ] || fail "no menu entry"
grep -qx "Icon=$APPID" /usr/share/applications/$APPID.desktop || fail "menu entry names another icon"
for s in 16 22 24 32 48 64 128 256 512; do
  icon=/usr/share/icons/hicolor/${s}x${s}/apps/$APPID.png
  [ -f "$icon" ] || fail "no $icon"
  file -b "$icon" | grep -q "PNG image data, $s x $s" || fail "$icon is $(file -b "$icon")"
done
[ -f /usr/share/man/man1/thinkcloud.1.gz ] || fail "no man page"
$SUDO dpkg -r thinkcloud >/dev/null || fail "dpkg -r"
installed=""
while read -r f; do [ ! -e "$f" ] || fail "dpkg -r left $f behind"; done <"$tmp/files"
[ ! -e /usr/share/doc/thinkcloud ] || fail "dpkg -r left /usr/share/doc/thinkcloud behind"
st=$(dpkg-query -W -f='${db:Status-Abbrev}' thinkcloud 2>/dev/null || true)
case "$st" in ""|"un "*) ;; *) fail "dpkg still knows thinkcloud after dpkg -r: '$st'" ;; esac
[ ! -e /var/lib/dpkg/info/thinkcloud.list ] || fail "dpkg -r left /var/lib/dpkg/info/thinkcloud.list"

step "rpm -qlp $(basename "$rpm")"
rpm -qlp "$rpm" >"$tmp/rpm-files" 2>/dev/null || fail "rpm -qlp"
for f in /usr/bin/thinkcloud /usr/share/applications/$APPID.desktop /usr/share/metainfo/$APPID.metainfo.xml \
  /usr/share/icons/hicolor/256x256/apps/$APPID.png /usr/share/man/man1/thinkcloud.1.gz; do
  grep -qx "$f" "$tmp/rpm-files" || fail "the .rpm lacks $f"
done
req=$(rpm -qp --requires "$rpm" 2>/dev/null)
for d in gtk3 webkit2gtk4.1; do grep -qx "$d" <<<"$req" || fail "the .rpm does not require $d: $req"; done
[ "$(rpm -qp --qf '%{VERSION}' "$rpm" 2>/dev/null)" = "$PKG_VERSION" ] || fail "the .rpm's version is not $PKG_VERSION"

step "rpm -i into a scratch root, then rpm -e: the files land and go"
# Debian's rpm installs into an empty root with its own database. The
# root has no shell and none of the dependencies, so no scriptlets and no
# dependency checks (the package's scriptlets only refresh the icon and
# menu caches); the files and what rpm records are what is tested.
rroot=$tmp/rpmroot
mkdir -p "$rroot"
# Debian's rpm keeps its database under $HOME; name one inside the root.
rr() { rpm --root "$rroot" --dbpath /var/lib/rpm "$@"; }
rr --initdb || fail "rpm --initdb in $rroot"
rr -i --nodeps --noscripts "$rpm" 2>"$tmp/rpm-i.err" || fail "rpm -i: $(cat "$tmp/rpm-i.err")"
rr -q thinkcloud >/dev/null || fail "rpm does not know thinkcloud after rpm -i"
while read -r f; do [ -e "$rroot$f" ] || fail "rpm -i did not install $f"; done <"$tmp/rpm-files"
got=$("$rroot/usr/bin/thinkcloud" --version 2>/dev/null) || true
[ "$got" = "thinkcloud $PKG_VERSION" ] || fail "the .rpm's thinkcloud --version: got '$got'"
rr -e --nodeps --noscripts thinkcloud || fail "rpm -e"
! rr -q thinkcloud >/dev/null 2>&1 || fail "rpm still knows thinkcloud after rpm -e"
left=$(cd "$rroot" && find . -mindepth 1 -not -type d -not -path './var/lib/rpm/*' | head)
[ -z "$left" ] || fail "rpm -e left files behind: $left"

step "headless .tar.gz: a static binary of the same version"
tar -xzf "$DIST/thinkcloud-headless_${PKG_VERSION}_linux_amd64.tar.gz" -C "$tmp"
hb=$tmp/thinkcloud-headless_${PKG_VERSION}_linux_amd64/thinkcloud
file -b "$hb" | grep -q 'statically linked' || fail "headless binary: $(file -b "$hb")"
got=$("$hb" --version)
[ "$got" = "thinkcloud $PKG_VERSION" ] || fail "headless --version: got '$got'"
out=$(DISPLAY=:0 "$hb" 2>&1) && fail "the headless build opened a window?" || grep -q 'headless build' <<<"$out" || fail "headless window mode: $out"

step "Windows: thinkcloud.exe (PE32+, version resource) and thinkcloud-setup.exe"
unzip -q "$DIST/thinkcloud_${PKG_VERSION}_windows_amd64.zip" -d "$tmp/zip"
exe=$tmp/zip/thinkcloud_${PKG_VERSION}_windows_amd64/thinkcloud.exe
file -b "$exe" | grep -q '^PE32+ executable (GUI) x86-64' || fail "thinkcloud.exe: $(file -b "$exe")"
check_version() { # file, field, want
  local got
  got=$(exiftool -s3 -"$2" "$1")
  [ "$got" = "$3" ] || fail "$(basename "$1") $2: got '$got'; want '$3'"
}
for field in FileVersionNumber ProductVersionNumber FileVersion ProductVersion; do
  check_version "$exe" $field "$WIN_VERSION"
done
check_version "$exe" ProductName ThinkCloud
check_version "$exe" OriginalFileName thinkcloud.exe
setup=$DIST/thinkcloud-setup.exe
file -b "$setup" | grep -q '^PE32 executable (GUI) Intel 80386.*Nullsoft Installer' || fail "thinkcloud-setup.exe: $(file -b "$setup")"
check_version "$setup" FileVersionNumber "$WIN_VERSION"
check_version "$setup" ProductVersion "$WIN_VERSION"
check_version "$setup" ProductName ThinkCloud
echo "test-package: all package checks passed"
