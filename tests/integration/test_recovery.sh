#!/bin/sh
# transports: tcp
# Recovery: an unlocked runner with a hard session 30 h ago gets an easy
# day, and the reason names the 48 h rule; poor sleep does the same.
. "$(dirname "$0")/lib.sh"
setup
backfill_clean_weeks maya 3
# An easy run two days ago keeps the week's hard share under 20 %.
ctl log-run maya --date "$(day -2)" --minutes 32 >/dev/null
ctl checkin maya --sleep 7.5 --pain 0 >/dev/null
ctl plan maya | grep -q "^today: intervals" || fail "not unlocked to begin with"

when=$(date -d '30 hours ago' '+%F %H:%M')
ctl log-run maya --date "${when% *}" --time "${when#* }" --minutes 30 --hard \
    >/dev/null || fail "log-run --hard refused"
ctl plan maya >"$T/plan"
grep -q "^phase: unlocked" "$T/plan" || fail "a hard session re-locked: $(cat "$T/plan")"
grep -q "^today: easy" "$T/plan" || fail "intervals 30 h after a hard session: $(cat "$T/plan")"
grep -Eq "(29|30) h ago \(needs 48 h\)" "$T/plan" || fail "reason does not name the 48 h rule: $(cat "$T/plan")"
if ctl start maya --workout intervals 2>"$T/err"; then fail "intervals started"; fi
ctl start maya >/dev/null || fail "easy start refused"
[ "$(status_field workout)" = easy ] || fail "default workout is not easy"
pass
