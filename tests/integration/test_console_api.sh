#!/bin/sh
# transports: tcp
# The console's JSON API refuses what it must: bad JSON, an oversized
# body, missing or bad fields, an unknown runner, a wrong PIN, no token,
# another runner's data, the right PIN after five wrong ones: each a 4xx
# with a JSON error, and nothing
# changes (the runner's history and the belt read the same before and
# after).  The units are the site's before sign-in, and a runner's own
# (runner.units) once she has signed in.
. "$(dirname "$0")/lib.sh"

start_sim
mkdir -p "$T/profiles"
cp "$TOP/tests/integration/data/maya.conf" \
    "$TOP/tests/integration/data/ivy.conf" "$T/profiles/"
write_conf
HP=$(free_port)

# Units that are neither: refused, at their line.
cp "$T/treadmilld.conf" "$T/bad.conf"
printf 'http = {\n  listen = "127.0.0.1:%s";\n  units = "furlongs";\n};\n' \
    "$HP" >>"$T/bad.conf"
line=$(($(wc -l <"$T/treadmilld.conf") + 3))
out=$("$BIN/treadmilld" -n -c "$T/bad.conf" 2>&1) && fail "bad units accepted"
echo "$out" | grep -q "bad.conf:$line: http units is \"furlongs\"" ||
    fail "bad units not reported at bad.conf:$line: $out"

echo "http = { listen = \"127.0.0.1:$HP\"; web_dir = \"$TOP/web\"; timeout_s = 1; };" \
    >>"$T/treadmilld.conf"
start_daemon
PIN=4821
printf '%s\n' "$PIN" | ctl set-pin maya >/dev/null ||
    fail "set-pin refused"
printf '5555\n' | ctl set-pin ivy >/dev/null || fail "set-pin refused"

cat >"$T/state.sh" <<EOS
#!/bin/sh
"$BIN/treadctl" -s "$T/ctl.sock" -j history maya
"$BIN/treadctl" -s "$T/ctl.sock" -j history ivy
"$BIN/treadctl" -s "$T/ctl.sock" -j status |
    tr ',' '\n' | grep -E '"(state|session|runner|cmd_kmh)"'
EOS
python3 "$TOP/tests/integration/console_api.py" "http://127.0.0.1:$HP" \
    maya "$PIN" ivy 5555 metric imperial sh "$T/state.sh" >"$T/api.out" 2>&1 ||
    { cat "$T/api.out"; fail "the API answered wrong"; }
cat "$T/api.out"
pass
