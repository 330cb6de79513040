#!/bin/sh
# transports: tcp
# sd_notify: READY=1 once the drive link is up, and WATCHDOG=1 pings from
# the loop, received on a NOTIFY_SOCKET like systemd's.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_sim
write_conf
socat -u "UNIX-RECV:$T/notify" "OPEN:$T/notify.log,creat,append" &
PIDS="$PIDS $!"
wait_for 5 "notify socket" test -S "$T/notify"
NOTIFY_SOCKET=$T/notify WATCHDOG_USEC=400000 "$BIN/treadmilld" -f -c "$T/treadmilld.conf" \
    >"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
wait_for 10 "READY=1" grep -q "READY=1" "$T/notify.log"
wait_for 5 "WATCHDOG=1 pings" sh -c "[ \$(grep -o WATCHDOG=1 '$T/notify.log' | wc -l) -ge 5 ]"
# Ready came after the link was up.
grep -q "STATUS=drive link up" "$T/notify.log" || fail "READY without the link status"
# A stalled loop stops the pings: freeze the daemon, count, thaw.
kill -STOP "$DAEMON_PID"
n1=$(grep -o WATCHDOG=1 "$T/notify.log" | wc -l)
t0=$(sim_state t)
wait_for 5 "a second with the daemon frozen" sh -c "awk -v a=\$('$BIN/treadsim' ctl -c '$T/sim.sock' state | tr ' ' '\n' | sed -n 's/^t=//p') -v b=$t0 'BEGIN{exit !(a-b >= 1.0)}'"
n2=$(grep -o WATCHDOG=1 "$T/notify.log" | wc -l)
kill -CONT "$DAEMON_PID"
[ "$n1" = "$n2" ] || fail "pings while the loop was stopped"
pass
