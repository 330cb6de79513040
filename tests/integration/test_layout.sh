#!/bin/sh
# transports: tcp
# The layout ARCHITECTURE.md describes, checked on the sources:
#  - src/core/ is pure: its files include only headers of src/core/,
#    xmalloc.h, and system headers (none of the libraries that do I/O);
#  - the repository speaks only of itself: no file cites the team's
#    design notes kept outside it;
#  - the paths ARCHITECTURE.md names exist, and the README links it.
. "$(dirname "$0")/lib.sh"

cd "$TOP"
[ -f ARCHITECTURE.md ] || fail "ARCHITECTURE.md is missing"

# --- core includes nothing from outside core --------------------------------

bad=""
for f in src/core/*.[ch]; do
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		[ "$h" = xmalloc.h ] && continue
		[ -f "src/core/$h" ] && continue
		bad="$bad $f:\"$h\""
	done
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
		case $h in
		modbus*|event*|libconfig*|sqlite*|libpq*|systemd/*|cmocka*|treadmill/*)
			bad="$bad $f:<$h>" ;;
		esac
	done
done
[ -z "$bad" ] || fail "src/core/ includes from outside it:$bad"

# --- nobody cites the notes outside the repository -----------------------------

# The pattern is written so that this file does not match itself.
notes='DESIGN[.]md'
cites=$(grep -rIlE "$notes" --exclude-dir=.git --exclude-dir=build \
    --exclude-dir=build-san . || true)
[ -z "$cites" ] || fail "these files cite the notes outside the repository: $cites"

# --- ARCHITECTURE.md names real paths; README links it -------------------------

for p in $(grep -oE '`(src|hw|plugins|include|tests|man|etc|bench)/[^` ]*`' \
    ARCHITECTURE.md | tr -d '`' | sort -u); do
	# a glob such as hw/maps/*.conf: at least one file
	set -- $p
	[ -e "$1" ] || fail "ARCHITECTURE.md names $p, which does not exist"
done
sed -n '/^## Layout/,/^## /p' README.md | grep -qF '(ARCHITECTURE.md)' ||
    fail "README's Layout section does not link ARCHITECTURE.md"
pass
