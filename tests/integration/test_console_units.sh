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
PY=/usr/bin/python3
"$PY" -c 'import selenium' 2>/dev/null && command -v chromium >/dev/null &&
    command -v chromedriver >/dev/null ||
    fail "chromium, chromium-driver or python3-selenium missing (scripts/deps.sh)"

SHOTS=${SHOTS:-$TOP/build/tests/console_units}
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

start_sim
mkdir -p "$T/profiles"
cp "$TOP/tests/integration/data/maya.conf" \
    "$TOP/tests/integration/data/ivy.conf" "$T/profiles/"
grep -q '^ *units = "imperial";' "$T/profiles/ivy.conf" ||
    fail "ivy.conf does not say imperial"
# A browser beside the belt on a loaded machine: a tick of 200 ms and a
# 100 ms response timeout, so that what is tested is the page, not the
# machine's load (a late reply is a comm-loss stop, as it must be).
TICK_HZ=5 RESP_MS=100 WATCHDOG_MS=2000 WARMUP_MIN=0.1 write_conf
HP=$(free_port)
echo "http = { listen = \"127.0.0.1:$HP\"; web_dir = \"$TOP/web\"; units = \"metric\"; };" \
    >>"$T/treadmilld.conf"
start_daemon
printf '4821\n' | ctl set-pin maya >/dev/null || fail "set-pin refused"
printf '5555\n' | ctl set-pin ivy >/dev/null || fail "set-pin refused"
ctl log-run ivy --date "$(day -5)" --minutes 32 >/dev/null &&
    ctl log-run ivy --date "$(day -4)" --minutes 20 >/dev/null &&
    ctl log-run ivy --date "$(day -3)" --minutes 33 >/dev/null ||
    fail "log-run refused"

cat >"$T/ctl.sh" <<EOS
#!/bin/sh
exec "$BIN/treadctl" -s "$T/ctl.sock" "\$@"
EOS
echo "screenshots: $SHOTS"
t0=$(date +%s)
"$PY" "$TOP/tests/integration/console_units.py" "http://127.0.0.1:$HP/" \
    "$SHOTS" "$T/ctl.sh" ivy "Ivy (test)" 5555 maya "Maya (test)" 4821 \
    >"$T/page.out" 2>&1 ||
    { cat "$T/page.out"; fail "the page (screenshots in $SHOTS)"; }
cat "$T/page.out"
echo "the browser's part: $(($(date +%s) - t0)) s"
pass
