#!/bin/sh
# transports: tcp
# An easy run whose heart rate rises fast: the governor slows the belt so
# that, once settled, HR stays within the ceiling plus 3 bpm.
. "$(dirname "$0")/lib.sh"
setup
ceiling=135    # 75 % of maya's HRmax 180
# A runner whose HR climbs quickly and high with speed, and who has a
# steady speed for every heart rate: her gait blends from walking to
# running (the default runner's gait step is test_hr_loss's and the
# run/walk unit tests').
sim set hr_tau 20 >/dev/null
sim set hr_k_speed 14 >/dev/null
sim set hr_gait 7 >/dev/null
sim set hr_gait_width 2 >/dev/null
checkin maya
ctl start maya --workout easy >/dev/null || fail "start refused"
[ "$(status_field hr_ceiling)" = "$ceiling" ] || fail "HR ceiling is $(status_field hr_ceiling), not $ceiling"
# Warm-up walk, then the easy run pushes HR up: wait for the hold to act.
wait_for 60 "the easy run" sh -c "'$BIN/treadctl' -s '$T/ctl.sock' -j status | grep -q '\"segment\":\"easy run\"'"
t_run=$(sim_state t)
# Settle for 100 s of running, then watch HR for 40 s.
wait_for 200 "100 s into the easy run" sh -c "awk -v a=\$('$BIN/treadsim' ctl -c '$T/sim.sock' state | tr ' ' '\n' | sed -n 's/^t=//p') -v b=$t_run 'BEGIN{exit !(a-b >= 100)}'"
max=0; n=0
while [ $n -lt 80 ]; do
	hr=$(sim_state hr)
	[ "$hr" -gt "$max" ] && max=$hr
	sleep 0.5
	n=$((n + 1))
done
speed=$(sim_state speed)
echo "settled: max HR $max bpm over 40 s (ceiling $ceiling), belt $speed km/h"
[ "$max" -le $((ceiling + 3)) ] || fail "HR $max above the ceiling $ceiling + 3"
awk -v s="$speed" 'BEGIN { exit !(s < 7.4) }' || fail "belt not slowed ($speed km/h)"
# Held, not stopped: the session still runs, above a walk.
[ "$(status_field state)" = running ] ||
    fail "the session is no longer running: $(ctl status)"
awk -v s="$speed" 'BEGIN { exit !(s > 5.5) }' ||
    fail "belt at $speed km/h: the hold walked her, or the belt stopped"
pass
