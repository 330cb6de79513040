#!/bin/sh
# transports: tcp
# No runner's session without today's check-in: the refusal says how to
# check in, and the belt never moves.  A guest needs none.  A gym that
# checks in on paper turns it off with session.require_checkin = false.
. "$(dirname "$0")/lib.sh"
setup
if ctl start maya 2>"$T/err"; then fail "started without a check-in"; fi
grep -q "maya has not checked in today: treadctl checkin maya --sleep HOURS" "$T/err" ||
    fail "refusal does not say how to check in: $(cat "$T/err")"
[ "$(status_field session)" = idle ] || fail "not idle after the refusal"
[ "$(sim_state run)" = 0 ] || fail "RUN=1 after a refused start"
# A guest session is not a runner's.
ctl start >/dev/null || fail "guest start refused"
[ "$(status_field session)" = running ] || fail "guest session not running"
ctl end >/dev/null
wait_for 30 "guest session over" status_is session idle
checkin maya
ctl start maya >/dev/null || fail "start refused after the check-in"
ctl end >/dev/null
wait_for 30 "session over" status_is session idle
stop_daemon

# Check-ins on paper: the site turns the rule off.
SESSION_CONF='  require_checkin = false;'
HISTORY=$T/history2.db
write_conf
start_daemon
ctl start maya >/dev/null || fail "start refused with require_checkin = false"
pass
