#!/usr/bin/env bash
# make package: the Linux .deb, .rpm and headless .tar.gz, the Windows
# installer and portable .zip, and SHA256SUMS, in build/dist/
# (docs/PACKAGING.md). Everything comes from this checkout, the Go module
# proxy (nfpm, pinned in build/tools/go.mod) and Debian packages
# (build/deps.sh package): nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=build/dist
WORK=build/bin/package
APPID=io.github.thinkcloud.ThinkCloud
WAILS="$(go env GOPATH)/bin/wails"
PLATFORMS=${PLATFORMS:-linux windows}
has() { [[ " $PLATFORMS " == *" $1 "* ]]; }

ROOT=$(pwd)
eval "$(build/version.sh)" # PKG_VERSION, WIN_VERSION, SOURCE_DATE
# nfpm reads both: the version, and the files' times (reproducible builds).
SOURCE_DATE_EPOCH=$(date -d "$SOURCE_DATE" +%s)
export PKG_VERSION SOURCE_DATE_EPOCH
echo "package: version $PKG_VERSION (Windows $WIN_VERSION)"

rm -rf "$DIST" "$WORK"
mkdir -p "$DIST" "$WORK/stage"
STAGE=$ROOT/$WORK/stage

(cd build/tools && go build -o ../bin/nfpm github.com/goreleaser/nfpm/v2/cmd/nfpm && go build -o ../bin/icons ./icons)
make --no-print-directory frontend/dist/index.html

if has linux; then
# Linux desktop build. Wails adds -s -w (no symbol tables: Debian policy,
# lintian's unstripped-binary-or-object); -trimpath keeps paths out; PIE
# so the kernel can randomise where it loads (lintian's hardening-no-pie).
GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildmode=pie" "$WAILS" build -s -m -skipbindings -trimpath -tags webkit2_41 \
  -ldflags "-X main.version=$PKG_VERSION" -o thinkcloud-package >/dev/null
mv build/bin/thinkcloud-package "$STAGE/thinkcloud"

# Files around it.
cp build/linux/$APPID.desktop build/linux/copyright "$STAGE/"
sed "s|<content_rating type=\"oars-1.1\"/>|&\n  <releases>\n    <release version=\"$PKG_VERSION\" date=\"${SOURCE_DATE%%T*}\"/>\n  </releases>|" \
  build/linux/$APPID.metainfo.xml >"$STAGE/$APPID.metainfo.xml"
gzip -9n <build/linux/thinkcloud.1 >"$STAGE/thinkcloud.1.gz"
build/bin/icons -src build/appicon.png -name "$APPID" -out "$STAGE/icons"
mkdir -p "$STAGE/lintian"
cp build/linux/lintian-overrides "$STAGE/lintian/thinkcloud"
{
  printf 'thinkcloud (%s) unstable; urgency=medium\n\n' "$PKG_VERSION"
  printf '  * Built from %s.\n\n' "$(git describe --tags --always --dirty)"
  printf ' -- ThinkCloud Desktop <thinkcloud@users.noreply.github.com>  %s\n' "$(date -u -R -d "$SOURCE_DATE")"
} | gzip -9n >"$STAGE/changelog.gz"
find "$STAGE" -type f -exec chmod 0644 {} + ; chmod 0755 "$STAGE/thinkcloud"

for fmt in deb rpm; do
  (cd "$STAGE" && "$ROOT/build/bin/nfpm" package -f "$ROOT/build/linux/nfpm.yaml" -p $fmt -t "$ROOT/$DIST/" >/dev/null)
done

# The headless build for servers: static, no GTK (Makefile build-headless).
H=thinkcloud-headless_${PKG_VERSION}_linux_amd64
mkdir -p "$WORK/$H"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$PKG_VERSION" -o "$WORK/$H/thinkcloud" .
cp README.md "$WORK/$H/"
cp build/linux/copyright "$WORK/$H/COPYRIGHT"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$SOURCE_DATE" \
  -C "$WORK" -czf "$DIST/$H.tar.gz" "$H"
fi

if has windows; then
# Windows: wails.json's productVersion feeds the version resource and the
# installer, and must be numeric there: set it for this build only.
# Wails also fills in build/windows/installer/wails_tools.nsh in place.
NSH=build/windows/installer/wails_tools.nsh
cp wails.json "$WORK/wails.json.orig"; cp "$NSH" "$WORK/wails_tools.nsh.orig"
trap 'cp "$WORK/wails.json.orig" wails.json; cp "$WORK/wails_tools.nsh.orig" "$NSH"' EXIT
sed -i "s|\"productVersion\": *\"[^\"]*\"|\"productVersion\": \"$WIN_VERSION\"|" wails.json
"$WAILS" build -s -m -skipbindings -trimpath -nsis -platform windows/amd64 \
  -ldflags "-X main.version=$PKG_VERSION" -o thinkcloud.exe >/dev/null
cp "$WORK/wails.json.orig" wails.json; cp "$WORK/wails_tools.nsh.orig" "$NSH"
trap - EXIT
cp build/bin/ThinkCloud-amd64-installer.exe "$DIST/thinkcloud-setup.exe"
W=thinkcloud_${PKG_VERSION}_windows_amd64
mkdir -p "$WORK/$W"
cp build/bin/thinkcloud.exe "$WORK/$W/"
cp README.md "$WORK/$W/"
(cd "$WORK" && TZ=UTC find "$W" -exec touch -d "$SOURCE_DATE" {} + && zip -qrX "../../dist/$W.zip" "$W")
fi

(cd "$DIST" && sha256sum -- * >SHA256SUMS)

printf '\n%-58s %10s\n' "build/dist/" "size"
for f in "$DIST"/*; do
  printf '%-58s %10s\n' "$(basename "$f")" "$(numfmt --to=iec --suffix=B "$(stat -c %s "$f")")"
done
