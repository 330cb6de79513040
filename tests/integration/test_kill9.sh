#!/bin/sh
# transports: tcp rtu
# kill -9 of the daemon mid-run: the drive's watchdog stops the belt within
# watchdog_ms of the last heartbeat.
. "$(dirname "$0")/lib.sh"
WATCHDOG_MS=500
setup
start_running 4

kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
wait_for 5 "drive watchdog" grep -q "ev=watchdog" "$T/sim.log"
t_wd=$(event_time "ev=watchdog")
t_last=$(awk '/ ev=write / { t = substr($1, 3) } END { print t }' "$T/sim.log")
ms=$(awk -v a="$t_wd" -v b="$t_last" 'BEGIN { printf "%d", (a - b) * 1000 }')
# The simulator checks every 10 ms; the watchdog is 500 ms.
[ "$ms" -le $((WATCHDOG_MS + 30)) ] || fail "watchdog fired ${ms} ms after the last write (watchdog_ms $WATCHDOG_MS)"
[ "$ms" -ge $((WATCHDOG_MS - 30)) ] || fail "watchdog fired early: ${ms} ms"
wait_for 10 "belt stopped" sim_le speed 0
[ "$(sim_state watchdog)" = 1 ] || fail "WATCHDOG bit not set"
echo "watchdog fired ${ms} ms after the last heartbeat"
pass
