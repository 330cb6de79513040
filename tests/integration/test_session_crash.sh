#!/bin/sh
# transports: tcp
# kill -9 mid-session, then a restart: the session is marked interrupted
# with its figures up to the last checkpoint, and no earlier row is lost.
. "$(dirname "$0")/lib.sh"
setup
backfill_clean_weeks maya 2
checkin maya
ctl start maya >/dev/null || fail "start refused"
wait_for 15 "belt moving" sim_ge speed 4
# Let a few checkpoints (every 2 s) land.
e0=$(status_field elapsed_s)
wait_for 20 "six seconds of session" sh -c "[ \$(printf '%.0f' \$('$BIN/treadctl' -s '$T/ctl.sock' -j status | sed 's/.*\"elapsed_s\":\([0-9.]*\).*/\1/')) -ge 8 ]"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
start_daemon
grep -q "1 session left open by a crash or power loss marked interrupted" "$T/daemon.log" || fail "no recovery message"
ctl history maya --limit 100 >"$T/hist" || fail "history refused"
grep -c "back-filled" "$T/hist" | grep -qx 6 || fail "back-filled rows lost: $(cat "$T/hist")"
line=$(grep " interrupted" "$T/hist") || fail "no interrupted session: $(cat "$T/hist")"
mins=$(echo "$line" | awk '{ print $4 }')
awk -v m="$mins" 'BEGIN { exit !(m >= 0.08) }' || fail "interrupted session lost its figures: $line"
echo "interrupted row: $line (started at $e0 s)"
# The belt stayed still through all of it.
[ "$(sim_state run)" = 0 ] || fail "RUN=1 after the restart"
pass
