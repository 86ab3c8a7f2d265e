#!/usr/bin/env bash
# Prints the package versions of this checkout as shell assignments, from
# `git describe` (docs/PACKAGING.md, "Versions"):
#   PKG_VERSION  deb/rpm/archives: 1.2.0 on the tag v1.2.0, 1.2.0+3.gabc1234
#                three commits later, 0.1.0~git42.gabc1234 before any tag
#                (0.1.0 from wails.json); ".dirty" when the tree has changes
#   WIN_VERSION  Windows version resource, four numbers: 1.2.0.3
#   SOURCE_DATE  the commit's date (RFC 3339), for reproducible archives
set -euo pipefail
cd "$(dirname "$0")/.."

hash=g$(git rev-parse --short=7 HEAD)
dirty=""
git diff --quiet HEAD -- 2>/dev/null || dirty=.dirty
if d=$(git describe --tags --match 'v[0-9]*' --long 2>/dev/null); then
  base=${d%-*-g*}; base=${base#v}
  n=${d%-g*}; n=${n##*-}
  if [ "$n" = 0 ]; then pkg=$base; else pkg=$base+$n.$hash; fi
else
  base=$(sed -n 's/.*"productVersion": *"\([0-9.]*\)".*/\1/p' wails.json)
  n=$(git rev-list --count HEAD)
  pkg=$base~git$n.$hash
fi
[ -n "$base" ] || { echo "version: no version in the tag or in wails.json" >&2; exit 1; }
pkg=$pkg$dirty
IFS=. read -r a b c _ <<<"$base.0.0"
((n > 65535)) && n=65535
echo "PKG_VERSION=$pkg"
echo "WIN_VERSION=$a.$b.$c.$n"
echo "SOURCE_DATE=$(git log -1 --format=%cI HEAD)"
