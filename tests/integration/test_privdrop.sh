#!/bin/sh
# transports: tcp rtu
# Started as root without systemd: the daemon opens the drive link and the
# control socket, then runs as daemon.user; the belt and the history still
# work, and the serial line survives a drive that goes quiet.
. "$(dirname "$0")/lib.sh"
skip_unless_root_nobody
start_sim
# nobody (group nogroup) connects as the console.
CONTROL_CONF='group = "nogroup";'
write_conf
sed -i 's/daemon = { name = "tm-test"; user = ""; };/daemon = { name = "tm-test"; user = "nobody"; group = "nogroup"; };/' "$T/treadmilld.conf"
grep -q 'user = "nobody"' "$T/treadmilld.conf" || fail "config not rewritten"
chmod 0755 "$T"
chmod -R a+rX "$T/profiles"
start_daemon
grep -q "running as user nobody" "$T/daemon.log" || fail "no privilege drop logged"
uid=$(awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$DAEMON_PID/status")
[ "$uid" = "65534 65534 65534 65534" ] || fail "daemon uids are $uid"
checkin maya
ctl start maya --workout easy >/dev/null || fail "start refused after the drop"
wait_for 15 "belt moving" sim_ge speed 4
[ "$(stat -c %U "$T/history.db")" = nobody ] || fail "history not written as nobody"
sim mute on >/dev/null
wait_for 5 "comm loss" status_is state stopped
sim mute off >/dev/null
wait_writes 20
ctl resume >/dev/null || fail "resume refused after the link came back"
wait_for 15 "belt moving again" sim_ge speed 2
# Staff commands are checked against who is asking, not who runs.
if setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$BIN/treadctl" -s "$T/ctl.sock" unlock maya --reason "no staff" 2>"$T/err"; then
	fail "an unprivileged user unlocked a runner"
fi
grep -q "is for staff" "$T/err" || fail "staff refusal: $(cat "$T/err")"
# The socket (0660, control.group nogroup) was made before the drop.
[ "$(stat -c %a:%G "$T/ctl.sock")" = 660:nogroup ] || fail "socket $(stat -c %a:%G "$T/ctl.sock")"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$BIN/treadctl" -s "$T/ctl.sock" plan maya >/dev/null || fail "the console cannot read a plan"
pass
