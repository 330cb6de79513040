#!/bin/sh
# transports: tcp
# One failed transaction on a slow tick: the drive link is told RUN=0
# before it is closed, and reconnects before comm loss would latch (at
# 5 Hz the 100 ms reconnect backoff is shorter than a tick).  A RUN=1
# after the reconnect would be a new RUN edge, a restart nobody asked
# for: the belt must stay stopped until a person resumes.
. "$(dirname "$0")/lib.sh"
TICK_HZ=5 WATCHDOG_MS=1000
setup
start_running 5.9
sim misbehave silence >/dev/null || fail "misbehave refused"
wait_for 5 "a transaction left unanswered" sim_ge misreplies 1
sim misbehave none >/dev/null
t0=$(sim_state t)
wait_for 10 "the daemon talking to the drive again" daemon_ready
wait_writes 5
[ "$(writes_after "$t0" 1)" = 0 ] || fail "RUN=1 written after the link blip: an automatic restart"
status_field stop_causes | grep -q "comm loss" ||
    fail "no comm loss latched: $(ctl status)"
ctl resume >/dev/null || fail "resume refused after the blip"
wait_for 15 "belt running again after a person resumed" sim_ge speed 5.0
pass
