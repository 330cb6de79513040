#!/bin/sh
# transports: tcp
# Reload mid-session (treadctl reload and SIGHUP): broken profiles are
# refused with file:line, the good ones apply, and the belt does not
# notice; a broken treadmilld.conf keeps everything; a lowered cap ramps the command down to it; a
# drive address change waits for the end of the session.
. "$(dirname "$0")/lib.sh"
SPEED=8.0 CAP=9.0 ACCEL=4 DECEL=1.0
# nobody (group nogroup) may connect, as the console, to be refused reload.
CONTROL_CONF='group = "nogroup";'
setup
start_running 7.9

# plan_cap RUNNER: the easy speed cap `treadctl plan` shows.
plan_cap() { ctl plan "$1" | sed -n 's/^caps: speed <= \([0-9.]*\) km\/h.*/\1/p'; }

# Only staff may reload.
chmod 755 "$T"
rc=0
setpriv --reuid=nobody --regid=nogroup --clear-groups "$BIN/treadctl" \
    -s "$T/ctl.sock" reload >"$T/reload.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "'reload' is for staff" "$T/reload.out" ||
    fail "reload by a non-staff user: exit $rc, $(cat "$T/reload.out")"

# One reload, three profiles: kim's change is good, maya's edit is broken
# (her running version stays), broken.conf is new and broken (not
# loaded).  `treadctl reload` applies what it can and fails, naming
# which; SIGHUP does the same, in the log only.
cp "$T/profiles/maya.conf" "$T/profiles/kim.conf"
ctl reload >"$T/reload.out" 2>&1 || fail "clean reload failed: $(cat "$T/reload.out")"
grep -q "configuration reloaded (2 runner profiles)" "$T/reload.out" || fail "clean reload: $(cat "$T/reload.out")"
[ "$(plan_cap kim)" = 7.50 ] || fail "kim not loaded: $(ctl plan kim)"
t0=$(sim_state t)
sed -i 's/max_speed = 7.5;/max_speed = 7.0;/' "$T/profiles/kim.conf"
sed -i 's/max_speed = 7.5;/max_speed = 7.2;/; s/hr_max = 180;/hr_max = 999;/' "$T/profiles/maya.conf"
printf 'runner = { hr_max = 999; };\neasy = { min_speed = 9.0; max_speed = 6.0; };\n' >"$T/profiles/broken.conf"
rc=0
ctl reload >"$T/reload.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "reload with bad profiles exited $rc: $(cat "$T/reload.out")"
grep -q "^$T/profiles/maya.conf:2: " "$T/reload.out" || fail "no file:line for maya: $(cat "$T/reload.out")"
grep -q "^$T/profiles/broken.conf:1: " "$T/reload.out" || fail "no file:line for the broken profile"
grep -q "^$T/profiles/broken.conf:2: " "$T/reload.out" || fail "not every error shown"
grep -q "kept the running version of profile maya" "$T/reload.out" || fail "verdict does not name maya: $(cat "$T/reload.out")"
grep -q "did not load new profile broken" "$T/reload.out" || fail "verdict does not name broken: $(cat "$T/reload.out")"
grep -q "$T/profiles/maya.conf:2: " "$T/daemon.log" || fail "errors not logged"
[ "$(plan_cap kim)" = 7.00 ] || fail "good profile's change not applied: $(ctl plan kim)"
[ "$(plan_cap maya)" = 7.50 ] || fail "bad profile's running version not kept: $(ctl plan maya)"
ctl plan broken >/dev/null 2>&1 && fail "a new bad profile was loaded"
wait_writes 10
sim_ge speed 7.9 || fail "belt slowed by a partial reload"
[ "$(status_field state)" = running ] || fail "session disturbed"
[ "$(writes_after "$t0" 0)" = 0 ] || fail "RUN=0 written during the reload"

# A bad treadmilld.conf keeps everything, good profiles too.
sed -i 's/max_speed = 7.0;/max_speed = 6.8;/' "$T/profiles/kim.conf"
echo "bogus = 1;" >>"$T/treadmilld.conf"
rc=0
ctl reload >"$T/reload.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "reload with a bad treadmilld.conf exited $rc"
L=$(wc -l <"$T/treadmilld.conf")
grep -q "^$T/treadmilld.conf:$L: " "$T/reload.out" || fail "no file:line for treadmilld.conf: $(cat "$T/reload.out")"
grep -q "reload refused: .*keeping the running configuration" "$T/reload.out" || fail "not refused: $(cat "$T/reload.out")"
[ "$(plan_cap kim)" = 7.00 ] || fail "a refused reload applied a profile"
sed -i '/^bogus = 1;$/d' "$T/treadmilld.conf"

# SIGHUP still reloads, and says the same in the log.
kill -HUP "$DAEMON_PID"
wait_for 5 "SIGHUP reload" grep -q "did not load new profile broken.*" "$T/daemon.log"
[ "$(plan_cap kim)" = 6.80 ] || fail "SIGHUP did not apply kim's change"
rm -f "$T/profiles/broken.conf" "$T/profiles/kim.conf"
git_maya=$TOP/tests/integration/data/maya.conf
cp "$git_maya" "$T/profiles/maya.conf"
ctl reload >/dev/null 2>&1 || fail "reload after the fix failed"
[ "$(writes_after "$t0" 0)" = 0 ] || fail "RUN=0 written during the reloads"

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
