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
PY=/usr/bin/python3
"$PY" -c 'import selenium' 2>/dev/null && command -v chromium >/dev/null &&
    command -v chromedriver >/dev/null ||
    fail "chromium, chromium-driver or python3-selenium missing (scripts/deps.sh)"

SHOTS=${SHOTS:-$TOP/build/tests/console_page}
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

start_sim
# A browser beside the belt on a loaded machine: a tick of 200 ms and a
# 100 ms response timeout, so that what is tested is the page, not the
# machine's load (a late reply is a comm-loss stop, as it must be).
TICK_HZ=5 RESP_MS=100 WATCHDOG_MS=2000 WARMUP_MIN=0.1 write_conf
HP=$(free_port)
echo "http = { listen = \"127.0.0.1:$HP\"; web_dir = \"$TOP/web\"; };" \
    >>"$T/treadmilld.conf"
start_daemon
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
cat >"$T/ctl.sh" <<EOS
#!/bin/sh
exec "$BIN/treadctl" -s "$T/ctl.sock" "\$@"
EOS
echo "screenshots: $SHOTS"
t0=$(date +%s)
"$PY" "$TOP/tests/integration/console_page.py" "http://127.0.0.1:$HP/" \
    maya "Maya (test)" "$PIN" "$SHOTS" "$T/drive.sh" "$T/stopped.sh" \
    "$T/ctl.sh" >"$T/page.out" 2>&1 ||
    { cat "$T/page.out"; fail "the page (screenshots in $SHOTS)"; }
cat "$T/page.out"
echo "the browser's part: $(($(date +%s) - t0)) s"
pass
