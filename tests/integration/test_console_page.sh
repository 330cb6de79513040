#!/bin/sh
# transports: tcp
# The console page in a real headless browser (Chromium, Selenium)
# against the real daemon and simulator: pick a runner, enter her PIN,
# check in, read the plan, start, close the page and come back (the belt
# runs on), speed up past the cap and see it
# capped, report a leak and see the walk-down, press STOP and see RUN=0
# at the drive, end the run: the end screen (time, running minutes,
# distance, heart-rate chart, why the run did not count, her unlock
# progress) and her history (a chart of back-filled runs and this one)
# match what the daemon recorded.  Screenshots of each screen stay in
# $SHOTS (printed).
. "$(dirname "$0")/lib.sh"
browser_test console_page

start_sim
start_console
PIN=4821
printf '%s\n' "$PIN" | ctl set-pin maya >/dev/null ||
    fail "set-pin refused"
# Her history before today: a run that counts, a short one, one with a
# walk in it.
ctl log-run maya --date "$(day -6)" --minutes 32 >/dev/null &&
    ctl log-run maya --date "$(day -4)" --minutes 20 >/dev/null &&
    ctl log-run maya --date "$(day -2)" --minutes 36 --running 31 \
    >/dev/null || fail "log-run refused"

cat >"$T/stopped.sh" <<EOS
#!/bin/sh
"$BIN/treadsim" ctl -c "$T/sim.sock" state | tr ' ' '\n' | grep -qx 'run=0'
EOS
cat >"$T/drive.sh" <<EOS
#!/bin/sh
"$BIN/treadsim" ctl -c "$T/sim.sock" state | tr ' ' '\n' |
    awk -F= '\$1 == "writes" { w = \$2 } \$1 == "run" { r = \$2 } END { print w, r }'
EOS
run_page console_page.py "http://127.0.0.1:$HP/" maya "Maya (test)" \
    "$PIN" "$SHOTS" "$T/drive.sh" "$T/stopped.sh" "$T/ctl.sh"
pass
