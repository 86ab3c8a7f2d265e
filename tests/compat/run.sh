#!/usr/bin/env bash
# Compatibility suite: the official openai and @anthropic-ai/sdk npm packages against
# `thinkcloud serve` in front of the fake providers, all on 127.0.0.1.
#
#   tests/compat/run.sh              build both binaries, npm ci if needed, node --test
#   tests/compat/run.sh file.test.mjs   only some files
#
# THINKCLOUD_BIN / FAKEUPSTREAM_BIN, when set, skip the builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

bindir="$(mktemp -d "${TMPDIR:-/tmp}/thinkcloud-compat-bin.XXXXXX")"
trap 'rm -rf "$bindir"' EXIT

if [[ -z "${THINKCLOUD_BIN:-}" ]]; then
	echo "compat: building thinkcloud (headless)" >&2
	(cd "$root" && CGO_ENABLED=0 go build -o "$bindir/thinkcloud" .)
	export THINKCLOUD_BIN="$bindir/thinkcloud"
fi
if [[ -z "${FAKEUPSTREAM_BIN:-}" ]]; then
	echo "compat: building fakeupstream" >&2
	(cd "$root" && go build -o "$bindir/fakeupstream" ./tests/fakeupstream)
	export FAKEUPSTREAM_BIN="$bindir/fakeupstream"
fi

cd "$here"
if [[ ! -d node_modules/openai || ! -d node_modules/@anthropic-ai/sdk ]]; then
	echo "compat: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error
fi

if [[ $# -eq 0 ]]; then
	set -- ./*.test.mjs
fi
# Files run one after another: each starts its own fakes and serve, and the
# machine may have two cores.
node --test --test-concurrency=1 "$@"
