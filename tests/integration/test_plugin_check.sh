#!/bin/sh
# transports: tcp
# treadmilld -n asks each plugin about its settings (plugins.NAME) and
# prints what it finds as treadmilld.conf:LINE: unknown keys and bad
# values, at the line of the key; a missing plugin directory and a group
# with no NAME.so are errors too.  A plugin without the check entry
# (revision 0 of the ABI) still loads, and what it leaves in that room
# is never called.
. "$(dirname "$0")/lib.sh"
PORT=1502
write_conf
C=$T/treadmilld.conf

# check_n EXPECTED_RC: run -n on $C into $T/out.
check_n() {
	rc=0
	"$BIN/treadmilld" -n -c "$C" >"$T/out" 2>&1 || rc=$?
	[ "$rc" = "$1" ] || fail "-n exited $rc, not $1: $(cat "$T/out")"
}
# has TEXT: $T/out has TEXT, literally.
has() { grep -qF -- "$1" "$T/out" || fail "no '$1' in: $(cat "$T/out")"; }

check_n 0
has "configuration OK"

# The issue's example: one line, two errors, each naming its key.
sed -i 's/^  easy = {.*/  easy = { warmup_mins = 0.5; cooldown_min = -1; };/' "$C"
L=$(grep -n "^  easy = " "$C" | cut -d: -f1)
check_n 1
has "$C:$L: plugins.easy.warmup_mins: unknown setting"
has "$C:$L: plugins.easy.cooldown_min: -1 is out of range: must be between 0 and 30"
has "2 errors in the configuration"

# One key a line: each error at its own key's line.
sed -i "s/^  easy = {.*/  easy = {\n    warmup_min = 2;\n    hr_tau = \"slow\";\n    cooldown = 3;\n  };/" "$C"
L=$(grep -n "hr_tau" "$C" | cut -d: -f1)
check_n 1
has "$C:$L: plugins.easy.hr_tau: must be a number between 10 and 300, not a string"
has "$C:$((L + 1)): plugins.easy.cooldown: unknown setting"
grep -q "warmup_min" "$T/out" && fail "a good key reported: $(cat "$T/out")"

# The other two plugins check theirs.
write_conf
PLUGIN_CONF='  intervals = { recovery = "run"; };
  walkrun = { warmup_min = 31; };' write_conf
check_n 1
has "plugins.intervals.recovery: is \"run\", must be \"walk\" or \"jog\""
has "plugins.walkrun.warmup_min: 31 is out of range: must be between 0 and 30"

# A group for a plugin that is not there.
PLUGIN_CONF='  elliptical = { speed = 3; };' write_conf
L=$(grep -n "elliptical" "$C" | cut -d: -f1)
check_n 1
has "$C:$L: plugins.elliptical: no plugin elliptical in $BIN/plugins"

# A missing plugin directory.
PLUGIN_DIR=$T/no-such-dir write_conf
L=$(grep -n "^  dir = " "$C" | cut -d: -f1)
check_n 1
has "$C:$L: plugins.dir: plugin directory $T/no-such-dir: No such file or directory"

# The test plugins: one with a check (revision 1), one without (good,
# as built before revision 1), one of revision 0 whose leftover check
# must not run.
sed -i '/^  easy = /d' "$C"
sed -i "s|^  dir = .*|  dir = \"$BIN/tests/plugins\";\n  good = { anything = 1; };\n  oldrev = { anything = 1; };\n  checked = { speed = 5; };|" "$C"
check_n 0
has "configuration OK"
sed -i 's/checked = { speed = 5; };/checked = { speed = 50; sped = 5; };/' "$C"
check_n 1
has "plugins.checked.speed: 50 is not between 1 and 10"
has "plugins.checked.sped: unknown setting"
grep -q "good\|oldrev" "$T/out" && fail "a plugin without a check reported: $(cat "$T/out")"
pass
