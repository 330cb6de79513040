#!/bin/sh
# transports: tcp
# The manual pages: mandoc has nothing to warn about, each page renders,
# and every name the sources define -- configuration keys, profile keys,
# register map keys, control commands (staff-only ones among the staff
# commands), status JSON fields, options, treadsim ctl commands and model
# parameters -- is documented in the right page.  The names are read from
# the sources, so adding one without documenting it fails here.
. "$(dirname "$0")/lib.sh"

MAN=$TOP/man
SRC=$TOP/src
PAGES="treadmilld.8 treadmilld.conf.5 treadctl.1 treadsim.1"

command -v mandoc >/dev/null 2>&1 || fail "mandoc is not installed"

# --- lint and render -------------------------------------------------------

for p in $PAGES; do
	[ -f "$MAN/$p" ] || fail "man/$p is missing"
	if ! mandoc -T lint -W warning "$MAN/$p" >"$T/lint" 2>&1 ||
	    [ -s "$T/lint" ]; then
		cat "$T/lint"
		fail "mandoc -T lint -W warning man/$p is not clean"
	fi
	mandoc -T utf8 "$MAN/$p" >"$T/render" 2>&1 ||
	    fail "mandoc -T utf8 man/$p failed: $(cat "$T/render")"
	# The header line names the page: "TREADCTL(1) ... TREADCTL(1)".
	head=$(printf '%s(%s)' "${p%.*}" "${p##*.}" | tr '[:lower:]' '[:upper:]')
	grep -qF "$head" "$T/render" || fail "man/$p renders without $head"
	if command -v man >/dev/null 2>&1; then
		MANPAGER=cat PAGER=cat MANWIDTH=80 man -l "$MAN/$p" \
		    >"$T/render" 2>"$T/man.err" ||
		    fail "man -l man/$p failed: $(cat "$T/man.err")"
		[ -s "$T/render" ] || fail "man -l man/$p printed nothing"
		[ -s "$T/man.err" ] &&
		    fail "man -l man/$p complained: $(cat "$T/man.err")"
	fi
done

# --- names from the sources ------------------------------------------------

# arrays FILE...: the names of the "static const char *const X_keys[]"
# arrays (the lists the parsers check unknown settings against).
arrays() {
	sed -n 's/^static const char \*const \([a-z_]*_keys\)\[\] = {.*/\1/p' \
	    "$@"
}

# strings_of ARRAY FILE...: the quoted strings of that array.
strings_of() {
	_a=$1; shift
	awk -v a="*const ${_a}[] = {" '
	    !on && index($0, a) { on = 1 }
	    on {
		s = $0
		while (match(s, /"[^"]*"/)) {
			print substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
		if (index($0, "};")) exit
	    }' "$@"
}

# part PAGE Sh|Ss TITLE: the source lines of one section or subsection
# (a section keeps its subsections).
part() {
	awk -v h=".$2 $3" -v kind="$2" '
	    $0 == h { on = 1; next }
	    on && /^\.Sh / { exit }
	    on && kind == "Ss" && /^\.Ss / { exit }
	    on' "$1"
}

# has MACRO NAME [items]: stdin documents NAME under MACRO (Ic, Cm, Fl);
# with "items", only on .It lines (and inside .It Xo ... .Xc).  A name
# counts while MACRO is in force: up to the next macro on the line.
has() {
	awk -v m="$1" -v k="$2" -v items="${3:-}" '
	    /^\.It Xo/ { xo = 1 }
	    /^\.Xc/ { xo = 0 }
	    {
		if (items != "" && !xo && $0 !~ /^\.It /) next
		n = split($0, f, /[ \t]+/)
		on = 0
		for (i = 1; i <= n; i++) {
			t = f[i]
			sub(/^\./, "", t)
			if (t == m) on = 1
			else if (t ~ /^[A-Z][a-z][a-z]?$/) on = 0
			else if (on && t == k) { found = 1; exit }
		}
	    }
	    END { exit !found }'
}

MISSING=""
miss() { MISSING="$MISSING
  $*"; }

# check_names TEXTFILE WHERE MACRO NAME...: each NAME is an item there.
check_names() {
	_f=$1; _w=$2; _m=$3; shift 3
	[ -s "$_f" ] || { miss "$_w: the section is missing"; return 0; }
	for _k in "$@"; do
		has "$_m" "$_k" items <"$_f" || miss "$_w: $_k"
	done
}

CONF5=$MAN/treadmilld.conf.5
n=0

# treadmilld.conf: each group of src/conf/config*.c is a subsection of
# CONFIGURATION FILE holding every key of that group.
part "$CONF5" Sh "CONFIGURATION FILE" >"$T/conf"
CONFSRC=$(ls "$SRC"/conf/config*.c)
# shellcheck disable=SC2086
for a in $(arrays $CONFSRC); do
	n=$((n + 1))
	if [ "$a" = top_keys ]; then
		for g in $(strings_of top_keys "$SRC/conf/config.c"); do
			grep -qx "\.Ss $g" "$T/conf" ||
			    miss "treadmilld.conf.5: no subsection for group $g"
		done
		continue
	fi
	g=${a%_keys}
	part "$T/conf" Ss "$g" >"$T/group"
	# shellcheck disable=SC2046
	check_names "$T/group" "treadmilld.conf.5 $g" Ic \
	    $(strings_of "$a" $CONFSRC)
done
[ "$n" -ge 8 ] || fail "found only $n key arrays in src/conf/config*.c"

# Runner profiles: each group of src/conf/profile*.c is a subsection of RUNNER
# PROFILES; interval templates are described under intervals, walk-run
# stages under walkrun.
part "$CONF5" Sh "RUNNER PROFILES" >"$T/prof"
n=0
for f in "$SRC"/conf/profile*.c; do
	for a in $(arrays "$f"); do
		n=$((n + 1))
		if [ "$a" = top_keys ]; then
			for g in $(strings_of top_keys "$f"); do
				grep -qx "\.Ss $g" "$T/prof" || miss \
				    "treadmilld.conf.5: no profile subsection $g"
			done
			continue
		fi
		case $a in
		template_keys|interval_keys) g=intervals ;;
		stage_keys) g=walkrun ;;
		*) g=${a%_keys} ;;
		esac
		part "$T/prof" Ss "$g" >"$T/group"
		# shellcheck disable=SC2046
		check_names "$T/group" "treadmilld.conf.5 profile $g" Ic \
		    $(strings_of "$a" "$f")
	done
done
[ "$n" -ge 10 ] || fail "found only $n key arrays in src/conf/profile*.c"

# Register maps: every key src/drive/regmap.c accepts, in REGISTER MAPS.
part "$CONF5" Sh "REGISTER MAPS" >"$T/maps"
n=0
for a in $(arrays "$SRC/drive/regmap.c"); do
	n=$((n + 1))
	for k in $(strings_of "$a" "$SRC/drive/regmap.c"); do
		has Ic "$k" <"$T/maps" || miss "treadmilld.conf.5 map: $k"
	done
done
[ "$n" -ge 4 ] || fail "found only $n key arrays in src/drive/regmap.c"

# Control commands: the cmds[] table of src/control/commands.c, each in treadctl.1
# under "Staff commands" if it needs ACCESS_STAFF, "Runner commands"
# otherwise.
awk '
    /^static const struct cmd cmds\[\] = \{/ { on = 1; next }
    on && /^\};/ { flush(); exit }
    on && /^\t\{ "/ { flush() }
    on { e = e " " $0 }
    function flush(   s, f, name) {
	if (e == "") return
	match(e, /"[^"]*"/)
	name = substr(e, RSTART + 1, RLENGTH - 2)
	s = e
	gsub(/"([^"\\]|\\.)*"/, "S", s)
	split(s, f, ",")
	gsub(/[ \t]/, "", f[5])
	print name, f[5]
	e = ""
    }' "$SRC/control/commands.c" >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 10 ] ||
    fail "found only $(wc -l <"$T/cmds") commands in src/control/commands.c"
CTL1=$MAN/treadctl.1
part "$CTL1" Ss "Staff commands" >"$T/staff"
part "$CTL1" Ss "Runner commands" >"$T/runner"
while read -r name staff; do
	case $staff in
	ACCESS_STAFF) has Ic "$name" items <"$T/staff" ||
		miss "treadctl.1: staff command $name (not under Staff commands)" ;;
	ACCESS_ANYONE|ACCESS_HEALTH) has Ic "$name" items <"$T/runner" ||
		miss "treadctl.1: command $name (not under Runner commands)" ;;
	*) fail "cannot read the staff field of command $name: '$staff'" ;;
	esac
done <"$T/cmds"
# treadctl's own command.
grep -q '"watch"' "$SRC/treadctl/treadctl.c" &&
    { has Ic watch items <"$CTL1" || miss "treadctl.1: watch"; }

# status json: every field status_json writes.
part "$CTL1" Sh "STATUS IN JSON" >"$T/json"
sed -n '/^status_json(/,/^}/p' "$SRC/control/status.c" |
    grep -o 'json_object_set_new(o, "[a-z_]*"' | sed 's/.*"\([a-z_]*\)"/\1/' \
    >"$T/fields"
[ "$(wc -l <"$T/fields")" -ge 20 ] || fail "found too few JSON fields"
# shellcheck disable=SC2046
check_names "$T/json" "treadctl.1 STATUS IN JSON" Cm $(cat "$T/fields")

# Options: each getopt letter is an item in its page.
opts() {
	sed -n 's/.*getopt[_a-z]*(argc, argv, "\([^"]*\)".*/\1/p' "$1" |
	    head -n 1 | tr -d '+:' | sed 's/./& /g'
}
for pair in "src/treadmilld.c treadmilld.8" \
    "src/treadctl/treadctl.c treadctl.1" "hw/sim/main.c treadsim.1"; do
	# shellcheck disable=SC2086
	set -- $pair
	o=$(opts "$TOP/$1")
	[ -n "$o" ] || fail "no getopt string found in $1"
	# shellcheck disable=SC2086
	check_names "$MAN/$2" "$2 option" Fl $o
done

# treadsim: ctl commands (the table in hw/sim/ctlcmd.c and "quit") and
# the model's parameters (hw/sim/model.c), in their sections.
SIM1=$MAN/treadsim.1
part "$SIM1" Sh "CONTROL COMMANDS" >"$T/simctl"
sed -n '/^} cmds\[\] = {/,/^};/s/^\t{ "\([a-z_]*\)",.*/\1/p' \
    "$TOP/hw/sim/ctlcmd.c" >"$T/simcmds"
sed -n 's/.*strcmp(av\[0\], "\([a-z_]*\)").*/\1/p' "$TOP/hw/sim/ctlcmd.c" \
    >>"$T/simcmds"
[ "$(wc -l <"$T/simcmds")" -ge 10 ] || fail "found too few treadsim commands"
# shellcheck disable=SC2046
check_names "$T/simctl" "treadsim.1 ctl command" Ic $(sort -u "$T/simcmds")
sed -n 's/^\t{ "\([a-z_]*\)",[ \t]*offsetof.*/\1/p' "$TOP/hw/sim/model.c" \
    >"$T/params"
[ "$(wc -l <"$T/params")" -ge 5 ] || fail "found too few treadsim parameters"
# shellcheck disable=SC2046
check_names "$T/simctl" "treadsim.1 parameter" Cm $(cat "$T/params")

[ -z "$MISSING" ] || fail "undocumented:$MISSING"
pass
