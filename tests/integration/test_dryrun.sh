#!/bin/sh
# transports: tcp
# treadmilld -n: "configuration OK" and exit 0 for a good file; for a bad
# one, every error with file:line and exit 1 (exact text).
. "$(dirname "$0")/lib.sh"
PORT=1502
write_conf
out=$("$BIN/treadmilld" -n -c "$T/treadmilld.conf") || fail "good config refused: $out"
[ "$out" = "configuration OK" ] || fail "unexpected output: $out"

cat >"$T/bad.conf" <<EOC
drive = {
  transport = "usb";
  map = "reference";
  map_dir = "$TOP/hw/maps";
  tick_hz = 20.0;
  response_timeout_ms = 40;
};
machine = {
  max_speed = 30.0;
  colour = "red";
};
profiles = { dir = "$T/profiles"; };
EOC
if "$BIN/treadmilld" -n -c "$T/bad.conf" >"$T/out" 2>&1; then
	fail "bad config accepted"
fi
cat >"$T/expected" <<EOC
$T/bad.conf:2: transport is "usb", must be "tcp" or "rtu"
$T/bad.conf:6: response_timeout_ms (40) must be at most half the tick (50 ms at tick_hz 20)
$T/bad.conf:10: unknown setting 'colour' in group machine
$T/bad.conf:9: max_speed (30 km/h) is above what the drive map 'reference' allows (25 km/h)
treadmilld: 4 errors in the configuration
EOC
diff -u "$T/expected" "$T/out" || fail "error text differs"

printf 'drive = {\n  port = 502;\n  host = ;\n};\n' >"$T/syntax.conf"
if "$BIN/treadmilld" -n -c "$T/syntax.conf" >"$T/out" 2>&1; then
	fail "syntax error accepted"
fi
grep -q "^$T/syntax.conf:3: syntax error" "$T/out" || fail "syntax error text: $(cat "$T/out")"
pass
