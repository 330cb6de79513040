#!/bin/sh
# transports: tcp
# A runner's own units on the console page, in a real headless browser
# against the real daemon and simulator.  The site is metric; Ivy's
# profile says imperial (runner.units): signed in, she sees her plan in
# mph, speed in mph, pace per mile and distance in miles matching the
# belt, and her end screen and history (two runs that counted, one too
# short, and today's, ended early) in miles.  Maya, signed in after her
# on the same page, sees km/h, pace per km and km.  Screenshots of each
# screen stay in $SHOTS (printed).
. "$(dirname "$0")/lib.sh"
browser_test console_units

start_sim
mkdir -p "$T/profiles"
cp "$TOP/tests/integration/data/maya.conf" \
    "$TOP/tests/integration/data/ivy.conf" "$T/profiles/"
grep -q '^ *units = "imperial";' "$T/profiles/ivy.conf" ||
    fail "ivy.conf does not say imperial"
start_console 'units = "metric";'
printf '4821\n' | ctl set-pin maya >/dev/null || fail "set-pin refused"
printf '5555\n' | ctl set-pin ivy >/dev/null || fail "set-pin refused"
ctl log-run ivy --date "$(day -5)" --minutes 32 >/dev/null &&
    ctl log-run ivy --date "$(day -4)" --minutes 20 >/dev/null &&
    ctl log-run ivy --date "$(day -3)" --minutes 33 >/dev/null ||
    fail "log-run refused"

run_page console_units.py "http://127.0.0.1:$HP/" "$SHOTS" "$T/ctl.sh" \
    ivy "Ivy (test)" 5555 maya "Maya (test)" 4821
pass
