#!/usr/bin/env bash
# The real Claude Code CLI (npm @anthropic-ai/claude-code, pinned in
# package.json) against `thinkcloud serve` and the scripted fake providers,
# with nothing but loopback reachable: the suite re-runs itself in a
# private network namespace (unshare -n) whose only interface is lo, so
# every outside lookup Claude Code tries fails, and the test must pass
# anyway.
#
#   tests/agents/claude/run.sh          build, npm ci if needed, node --test
#
# THINKCLOUD_BIN / FAKEUPSTREAM_BIN, when set, skip the builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

if [[ "${THINKCLOUD_AGENT_NETNS:-}" == "" ]]; then
	bindir="$(mktemp -d "${TMPDIR:-/tmp}/thinkcloud-agents-bin.XXXXXX")"
	trap 'rm -rf "$bindir"' EXIT
	if [[ -z "${THINKCLOUD_BIN:-}" ]]; then
		echo "agents: building thinkcloud (headless)" >&2
		(cd "$root" && CGO_ENABLED=0 go build -o "$bindir/thinkcloud" .)
		export THINKCLOUD_BIN="$bindir/thinkcloud"
	fi
	if [[ -z "${FAKEUPSTREAM_BIN:-}" ]]; then
		echo "agents: building fakeupstream" >&2
		(cd "$root" && go build -o "$bindir/fakeupstream" ./tests/fakeupstream)
		export FAKEUPSTREAM_BIN="$bindir/fakeupstream"
	fi
	if [[ ! -x "$here/node_modules/.bin/claude" ]]; then
		echo "agents: npm ci" >&2
		(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
	fi
	if command -v ip >/dev/null && unshare -n true 2>/dev/null; then
		THINKCLOUD_AGENT_NETNS=1 unshare -n "$0" "$@"
		exit $?
	fi
	echo "agents: no private network namespace here (needs root and iproute2); outside addresses go to a dead proxy instead" >&2
	export THINKCLOUD_AGENT_NETNS=proxy
fi
if [[ "$THINKCLOUD_AGENT_NETNS" == 1 ]]; then
	ip link set lo up
fi

cd "$here"
node --test --test-concurrency=1 ./*.test.mjs
