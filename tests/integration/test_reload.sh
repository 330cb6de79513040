#!/bin/sh
# transports: tcp
# SIGHUP mid-session: a broken profile is refused with file:line and the
# belt does not notice; a lowered cap ramps the command down to it; a
# drive address change waits for the end of the session.
. "$(dirname "$0")/lib.sh"
SPEED=8.0 CAP=9.0 ACCEL=4 DECEL=1.0
setup
start_running 7.9

# A broken profile: the reload is refused, the old configuration stays.
t0=$(sim_state t)
printf 'runner = { hr_max = 999; };\neasy = { min_speed = 9.0; max_speed = 6.0; };\n' >"$T/profiles/broken.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 "reload refused" grep -q "reload failed" "$T/daemon.log"
grep -q "$T/profiles/broken.conf:1: " "$T/daemon.log" || fail "no file:line for the broken profile"
grep -q "$T/profiles/broken.conf:2: " "$T/daemon.log" || fail "not every error logged"
wait_writes 10
sim_ge speed 7.9 || fail "belt slowed by a failed reload"
[ "$(status_field state)" = running ] || fail "session disturbed"
[ "$(writes_after "$t0" 0)" = 0 ] || fail "RUN=0 written during the failed reload"
rm -f "$T/profiles/broken.conf"

# Lower the cap: the command ramps down at the decel limit, no jolt.
sed -i 's/max_speed = 9.0;/max_speed = 6.0;/; s/speed = 8.0;/speed = 5.5;/' "$T/treadmilld.conf"
sed -i "s/port = $PORT;/port = $((PORT + 1));/" "$T/treadmilld.conf"
t_hup=$(sim_state t)
kill -HUP "$DAEMON_PID"
wait_for 5 "reload accepted" grep -q "configuration reloaded" "$T/daemon.log"
grep -q "drive link changes after the session" "$T/daemon.log" || fail "link change not deferred"
wait_for 10 "belt at the new cap" sim_le speed 6.0
awk -v t0="$t_hup" '
    / ev=write / && / fc=23 / { t = substr($1, 3) + 0; sp = $0; sub(/.* speed=/, "", sp); sp += 0
        if (t >= t0 && have && sp < prev - 0.1 && (prev - sp) / (t - pt) > 1.2) { print "jump " prev " -> " sp; bad = 1 }
        have = 1; prev = sp; pt = t }
    END { exit bad }' "$T/sim.log" || fail "the cap cut was not ramped"
wait_writes 20
sim_le setpoint 6.0 || fail "setpoint above the new cap"
[ "$(status_field connected)" = true ] || fail "drive link dropped mid-session"
pass
