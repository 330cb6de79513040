#!/bin/sh
# transports: tcp
# The installed unit's exposure, as `systemd-analyze security` scores it
# offline, is at most 2.0 (0 is fully sandboxed, 10 not at all).
. "$(dirname "$0")/lib.sh"
MAX=${MAX_EXPOSURE:-2.0}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP: $NAME: systemd-analyze is missing (Debian package systemd; sh scripts/deps.sh installs it)"
	exit 0
fi
D=$T/root
B=${BIN#$TOP/}
make -s -C "$TOP" install DESTDIR="$D" B="$B" >"$T/install.log" 2>&1 ||
    fail "install failed: $(tail -5 "$T/install.log")"
unit=$D/lib/systemd/system/treadmilld.service
[ -f "$unit" ] || fail "unit not installed"
systemd-analyze security --offline=true --root="$D" treadmilld.service \
    >"$T/security.txt" 2>&1 || fail "systemd-analyze security failed: $(tail -3 "$T/security.txt")"
score=$(sed -n 's/.*Overall exposure level for treadmilld.service: \([0-9.]*\).*/\1/p' "$T/security.txt")
[ -n "$score" ] || fail "no exposure level in: $(tail -3 "$T/security.txt")"
echo "exposure $score (at most $MAX)"
awk -v s="$score" -v m="$MAX" 'BEGIN { exit !(s + 0 <= m + 0) }' ||
    fail "exposure $score above $MAX: $(grep '✗' "$T/security.txt" | awk '{ print $2 }' | tr '\n' ' ')"
# The directives the daemon's behaviour depends on (treadmilld(8)).
for d in UMask=0077 RestrictRealtime=yes ProtectProc=invisible \
    ProcSubset=pid PrivateMounts=yes RemoveIPC=yes ProtectKernelLogs=yes \
    MemoryDenyWriteExecute=yes; do
	grep -q "^$d\$" "$unit" || fail "unit lacks $d"
done
pass
