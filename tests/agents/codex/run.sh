#!/usr/bin/env bash
# The real Codex CLI against `thinkcloud serve` and a scripted fake
# provider, all on 127.0.0.1 (see README.md).
#
#   tests/agents/codex/run.sh     build both binaries, npm ci if needed, node --test
#
# THINKCLOUD_BIN / FAKEUPSTREAM_BIN, when set, skip the builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

bindir="$(mktemp -d "${TMPDIR:-/tmp}/thinkcloud-codex-bin.XXXXXX")"
trap 'rm -rf "$bindir"' EXIT

if [[ -z "${THINKCLOUD_BIN:-}" ]]; then
	echo "codex: building thinkcloud (headless)" >&2
	(cd "$root" && CGO_ENABLED=0 go build -o "$bindir/thinkcloud" .)
	export THINKCLOUD_BIN="$bindir/thinkcloud"
fi
if [[ -z "${FAKEUPSTREAM_BIN:-}" ]]; then
	echo "codex: building fakeupstream" >&2
	(cd "$root" && go build -o "$bindir/fakeupstream" ./tests/fakeupstream)
	export FAKEUPSTREAM_BIN="$bindir/fakeupstream"
fi

# The test reuses the compatibility suite's harness (fakes + serve), which
# imports the openai package from tests/compat.
for dir in "$here" "$root/tests/compat"; do
	if [[ ! -f "$dir/node_modules/.package-lock.json" ]]; then
		echo "codex: npm ci in $dir" >&2
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done

cd "$here"
node --test --test-concurrency=1 ./*.test.mjs
