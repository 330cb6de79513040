#!/bin/sh
# transports: tcp rtu
# A drive that answers wrongly, during a running session, for each way a
# reply can go wrong: it trickles out, claims more data than it carries,
# carries less, names another transaction (another unit on RTU), is
# garbage, or never comes.  Each time the belt is commanded to stop within
# the comm-loss window, `treadctl stop` still answers at once, the daemon
# stays up, and the belt does not restart when the drive behaves again.
. "$(dirname "$0")/lib.sh"
setup

# comm_loss_ticks 3 at 20 Hz, two ticks of slack and 0.2 s for a busy
# machine: well under the 13 s a trickling reply took to be noticed when
# every byte restarted the timeout.
WINDOW=0.45

# first_stop_after PATTERN: time of the first RUN=0 command write logged
# after the first line matching PATTERN.
first_stop_after() {
	awk -v p="$1" '
	    !seen { if (index($0, p)) seen = 1; next }
	    / fc=6 / && !/ addr=(16|512) / { next }
	    / ev=write / && / run=0 / { print substr($1, 3); exit }' "$T/sim.log"
}

has_stop_after() { [ -n "$(first_stop_after "$1")" ]; }

# run1_after_last PATTERN: RUN=1 command writes after the last line
# matching PATTERN.
run1_after_last() {
	awk -v p="$1" '
	    index($0, p) { n = 0; next }
	    / fc=6 / && !/ addr=(16|512) / { next }
	    / ev=write / && / run=1 / { n++ }
	    END { print n + 0 }' "$T/sim.log"
}

check_mode() {
	_mode=$1; shift
	start_running 4
	_w0=$(sim_state writes)
	sim misbehave "$_mode" "$@" >/dev/null || fail "misbehave $_mode refused"
	_t0=$(event_time "misbehave mode=$_mode")
	wait_for 5 "RUN=0 written after misbehave $_mode" \
	    has_stop_after "misbehave mode=$_mode"
	_t1=$(first_stop_after "misbehave mode=$_mode")
	awk -v a="$_t0" -v b="$_t1" -v w="$WINDOW" 'BEGIN { exit !(b - a <= w) }' ||
	    fail "$_mode: RUN=0 reached the drive $(awk -v a="$_t0" -v b="$_t1" \
	    'BEGIN { printf "%.0f", (b - a) * 1000 }') ms after the fault (window ${WINDOW}s)"
	wait_for 5 "$_mode: daemon latches comm loss" sh -c \
	    "'$BIN/treadctl' -s '$T/ctl.sock' -j status |
	    grep -q '\"stop_causes\":\[[^]]*comm loss'"
	# The control socket is not held up by the drive.
	timeout 1 "$BIN/treadctl" -s "$T/ctl.sock" stop >/dev/null ||
	    fail "$_mode: treadctl stop did not answer within 1 s"
	kill -0 "$DAEMON_PID" || fail "$_mode: daemon died"
	[ "$(sim_state watchdog)" = 0 ] || fail "$_mode: drive watchdog tripped"

	sim misbehave none >/dev/null
	wait_for 10 "$_mode: daemon talks to the drive again" \
	    sim_ge writes $(( $(sim_state writes) + 20 ))
	[ "$(run1_after_last "misbehave mode=none")" = 0 ] ||
	    fail "$_mode: RUN=1 written after the drive behaved again"
	[ "$(sim_state run)" = 0 ] || fail "$_mode: RUN is set"
	[ "$(status_field state)" = stopped ] ||
	    fail "$_mode: state is not stopped after the fault cleared"
	[ "$(sim_state writes)" -gt "$_w0" ] || fail "$_mode: no writes at all"
	wait_for 15 "$_mode: belt at rest" sim_le speed 0
	ctl end >/dev/null 2>&1 || true
	wait_for 10 "$_mode: session over" status_is session idle
}

check_mode trickle 15
check_mode overlong
check_mode wronglen
check_mode wrongtid
check_mode garbage
check_mode silence
pass
