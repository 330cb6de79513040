#!/bin/sh
# The control socket is mode 0660, group control.group: a local user
# outside it cannot connect at all; the console's group may check in,
# plan and start a runner but not run staff commands; a user who can
# connect without being staff or console (the socket's group when
# control.group does not exist) sees the belt's state and no health data.
. "$(dirname "$0")/lib.sh"
skip_unless_root_nobody
getent group nogroup >/dev/null || { echo "SKIP: $NAME needs group nogroup"; pass; }
as() { _g=$1; shift; setpriv --reuid=nobody --regid="$_g" --clear-groups "$BIN/treadctl" -s "$T/ctl.sock" "$@"; }

CONTROL_CONF='group = "nogroup";'
setup
chmod 0755 "$T"
[ "$(stat -c %a "$T/ctl.sock")" = 660 ] || fail "socket mode $(stat -c %a "$T/ctl.sock")"
[ "$(stat -c %G "$T/ctl.sock")" = nogroup ] || fail "socket group $(stat -c %G "$T/ctl.sock")"

# Outside the group: the kernel refuses the connection.
rc=0; as 4242 status >"$T/out" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q "Permission denied" "$T/out" || fail "outsider: exit $rc, $(cat "$T/out")"
rc=0; as 4242 plan maya >"$T/out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "outsider read a plan: exit $rc, $(cat "$T/out")"
grep -qi "heaviness\|reason\|easy" "$T/out" && fail "outsider saw health data: $(cat "$T/out")"

# The console's group: the runner's own commands, not staff's.
as nogroup checkin maya --sleep 7 --pain 0 >"$T/out" 2>&1 || fail "console checkin: $(cat "$T/out")"
as nogroup plan maya >"$T/out" 2>&1 || fail "console plan: $(cat "$T/out")"
for c in "history maya" "unlock maya --reason test" "log-level debug"; do
	rc=0
	# shellcheck disable=SC2086
	as nogroup $c >"$T/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q "is for staff: uid 65534" "$T/out" || fail "console ran '$c': exit $rc, $(cat "$T/out")"
done
if printf '1234\n' | as nogroup set-pin maya >"$T/out" 2>&1; then fail "console set a PIN"; fi
stop_daemon

# control.group missing: the socket keeps the group it was made with
# (root's here),
# whose members connect but are neither staff nor console.
CONTROL_CONF='group = "no-such-group-here";'
write_conf
start_daemon
grep -q "control.group 'no-such-group-here' does not exist" "$T/daemon.log" || fail "missing group not warned"
[ "$(stat -c %a "$T/ctl.sock")" = 660 ] || fail "socket mode $(stat -c %a "$T/ctl.sock")"
as root status >"$T/out" 2>&1 || fail "status refused: $(cat "$T/out")"
grep -qi "symptom\|reason" "$T/out" && fail "status shows health data: $(cat "$T/out")"
for c in "checkin maya --sleep 7 --pain 0 --leak" "plan maya" "start maya" "history maya" "symptom leak"; do
	rc=0
	# shellcheck disable=SC2086
	as root $c >"$T/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "'$c' by a non-staff non-console user: exit $rc, $(cat "$T/out")"
	grep -q "uid 65534 is not root nor in group" "$T/out" || fail "'$c': $(cat "$T/out")"
	grep -qi "heaviness\|easy\|walk" "$T/out" && fail "'$c' showed health data: $(cat "$T/out")"
done
[ "$(sqlite3 "$T/history.db" "SELECT count(*) FROM checkins WHERE leak")" = 0 ] || fail "a refused check-in was recorded"
# The belt's own: a guest session and its stop.
as root start >"$T/out" 2>&1 || fail "guest start refused: $(cat "$T/out")"
wait_for 15 "belt moving" sim_ge speed 1
as root stop >"$T/out" 2>&1 || fail "stop refused: $(cat "$T/out")"
wait_for 5 "stopped" status_is state stopped
pass
