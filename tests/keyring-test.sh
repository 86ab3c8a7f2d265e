#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real, unlocked
# gnome-keyring, so keyring code can be tested against the actual Secret
# Service without touching the developer's own keyring.
#
# Usage: tests/keyring-test.sh go test -race -tags keyring_integration ./backend/secrets/
#
# Everything runs with a fresh temporary HOME and XDG directories; the Go
# build and module caches of the caller are kept so nothing is rebuilt or
# downloaded again.
set -euo pipefail

if [[ $# -eq 0 ]]; then
	echo "usage: $0 command [args...]" >&2
	exit 2
fi

need_cmds=(dbus-run-session dbus-send gnome-keyring-daemon secret-tool)

missing_cmds() {
	local c
	for c in "${need_cmds[@]}"; do
		command -v "$c" >/dev/null 2>&1 || return 0
	done
	return 1
}

# apt_install retries while another apt/dpkg holds the lock (up to ~5 min)
# and refreshes the package lists once if they are missing.
apt_install() {
	local updated=0 try
	for try in $(seq 1 60); do
		if fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1; then
			echo "keyring-test: dpkg is locked by another process, waiting ($try/60)..." >&2
			sleep 5
			continue
		fi
		if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 install -y --no-install-recommends \
			gnome-keyring dbus-x11 libsecret-tools; then
			return 0
		fi
		if [[ $updated -eq 0 ]]; then
			updated=1
			apt-get -o DPkg::Lock::Timeout=60 update || true
			continue
		fi
		sleep 5
	done
	echo "keyring-test: could not install gnome-keyring dbus-x11 libsecret-tools" >&2
	return 1
}

if missing_cmds; then
	if [[ $(id -u) -ne 0 ]]; then
		echo "keyring-test: missing tools; install them with: sudo apt-get install gnome-keyring dbus-x11 libsecret-tools" >&2
		exit 1
	fi
	apt_install
fi

# Keep the caller's Go caches before HOME changes; GOPATH also holds the
# module cache.
if command -v go >/dev/null 2>&1; then
	GOPATH=$(go env GOPATH)
	GOCACHE=$(go env GOCACHE)
	GOMODCACHE=$(go env GOMODCACHE)
	export GOPATH GOCACHE GOMODCACHE
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keyring-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
# The login keyring's password; tests that lock the keyring use it to
# unlock it again. gnome-keyring keeps the trailing newline printed below.
export KEYRING_TEST_PASSWORD=test

# The inner script receives the command as its arguments.
# shellcheck disable=SC2016
inner='
set -euo pipefail
log="$XDG_RUNTIME_DIR/gnome-keyring.log"
printf "%s\n" "$KEYRING_TEST_PASSWORD" | gnome-keyring-daemon --foreground --unlock --components=secrets >"$log" 2>&1 &
daemon=$!
cleanup() {
	kill "$daemon" 2>/dev/null || true
	wait "$daemon" 2>/dev/null || true
}
trap cleanup EXIT

# wait_for runs "$@" every 0.1 s until it succeeds, for at most 2 min: the
# daemon is up in about a second, so the bound is for a hang, not for a
# busy machine.
wait_for() {
	local what=$1
	shift
	local deadline=$((SECONDS + 120))
	while ((SECONDS <= deadline)); do
		if "$@"; then
			return 0
		fi
		if ! kill -0 "$daemon" 2>/dev/null; then
			echo "keyring-test: gnome-keyring-daemon exited while waiting for $what:" >&2
			cat "$log" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "keyring-test: timed out after 2 min waiting for $what; daemon log:" >&2
	cat "$log" >&2
	return 1
}

# Only ask org.freedesktop.DBus whether the name is owned; calling
# org.freedesktop.secrets before that would activate a second daemon.
name_owned() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"
}
login_unlocked() {
	dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
		org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked 2>/dev/null |
		grep -q "boolean false"
}
wait_for "org.freedesktop.secrets to be owned" name_owned
wait_for "the login keyring to be unlocked" login_unlocked

set +e
"$@"
status=$?
set -e
exit "$status"
'
dbus-run-session -- bash -c "$inner" keyring-test "$@"
