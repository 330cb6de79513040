#!/bin/sh
# transports: tcp
# Files that are not plain configuration: a FIFO, a device and an
# @include of a directory (libconfig's scanner would call exit() on it).
# `treadmilld -n` refuses each with a clear message, at once; the same
# profiles arriving by SIGHUP mid-session are not loaded and the daemon
# and its belt carry on.
. "$(dirname "$0")/lib.sh"

# check FILE EXPECTED: treadmilld -n refuses FILE within 5 s, saying so.
check() {
	rc=0
	timeout 5 "$BIN/treadmilld" -n -c "$1" >"$T/out" 2>&1 || rc=$?
	[ "$rc" = 124 ] && fail "treadmilld -n hung on $1"
	[ "$rc" = 1 ] || fail "treadmilld -n exited $rc on $1: $(cat "$T/out")"
	grep -qx "$2" "$T/out" || fail "no '$2' in: $(cat "$T/out")"
}

mkfifo "$T/fifo.conf"
check "$T/fifo.conf" "$T/fifo.conf: not a regular file"
check /dev/zero "/dev/zero: not a regular file"
printf 'drive = { port = 1502; };\n  @include "."\n' >"$T/inc.conf"
check "$T/inc.conf" "$T/inc.conf:2: @include is not supported: write the settings in this file"

# The same in profiles.d, by -n and then by a reload mid-session.
setup
start_running 5.9
write_conf
mkfifo "$T/profiles/piped.conf"
printf '@include "%s"\n' "$T" >"$T/profiles/included.conf"
rc=0
timeout 5 "$BIN/treadmilld" -n -c "$T/treadmilld.conf" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "-n exited $rc with bad profiles: $(cat "$T/out")"
grep -qx "$T/profiles/piped.conf: not a regular file" "$T/out" ||
    fail "FIFO profile: $(cat "$T/out")"
grep -qx "$T/profiles/included.conf:1: @include is not supported: write the settings in this file" \
    "$T/out" || fail "@include profile: $(cat "$T/out")"
kill -HUP "$DAEMON_PID"
wait_for 5 "profiles refused" grep -q "did not load new profiles included piped" "$T/daemon.log"
kill -0 "$DAEMON_PID" || fail "the daemon died on the reload"
wait_writes 10
sim_ge speed 5.9 || fail "belt slowed by a partly refused reload"
[ "$(status_field state)" = running ] || fail "session disturbed"
pass
