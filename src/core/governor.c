/*
 * The session governor: the runner rules of ARCHITECTURE.md as one pure
 * function of (profile, history, now, today).  Nothing is remembered
 * between calls, so a decision cannot drift from what happened.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "governor.h"
#include "governor_int.h"

#define PHYSIO_ADVICE	"see a pelvic-health physiotherapist"

/* Cut a truncated string back to whole UTF-8 characters. */
static void
utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0x80)
		return;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

static void
vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
	if ((size_t)vsnprintf(buf, len, fmt, ap) >= len)
		utf8_trim(buf);
}

void
gov_reason(struct decision *d, const char *fmt, ...)
{
	va_list ap;

	/* Past the limit a reason is dropped: the first ones matter most. */
	if (d->nreasons >= GOV_REASONS_MAX)
		return;
	va_start(ap, fmt);
	vformat(d->reasons[d->nreasons++], GOV_REASON_LEN, fmt, ap);
	va_end(ap);
}

void
gov_progress(struct decision *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(d->progress, sizeof(d->progress), fmt, ap);
	va_end(ap);
}

/* A number for people: at most one decimal, no trailing zeros. */
const char *
gov_num(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%g", round(v * 10) / 10);
	return buf;
}

hday_t
gov_session_day(const struct hist_session *s)
{
	return hday_from_time(s->start);
}

bool
gov_is_walk(const struct hist_session *s)
{
	return strcmp(s->workout, "walk") == 0;
}

/* Completed, no symptom, easy intensity, actually running. */
bool
gov_clean_run(const struct hist_session *s)
{
	return !s->hard && !s->symptom && s->outcome == HO_COMPLETED &&
	    !gov_is_walk(s);
}

bool
gov_red_flag(const struct profile *p, const struct hist_checkin *c)
{
	return c->leak || c->heaviness || c->bleeding ||
	    c->pain >= p->recovery.pain_threshold;
}

/* Today's check-in: the latest recorded for today, or NULL. */
static const struct hist_checkin *
checkin_today(const struct runner_history *h, hday_t today)
{
	const struct hist_checkin *best = NULL;

	for (size_t i = 0; i < h->ncheckins; i++)
		if (h->checkins[i].day == today &&
		    (best == NULL || h->checkins[i].at >= best->at))
			best = &h->checkins[i];
	return best;
}

/* Red flags today and postnatal timing; true if today is walk-only. */
static bool
walk_only(const struct profile *p, const struct runner_history *h,
    hday_t today, struct decision *d)
{
	bool walk = false, advice = false, leak = false, heavy = false;
	bool bleed = false;
	const char *kind = NULL;
	int pain = 0;
	char d1[16], d2[16];

	/* A red flag stands for the day: checking in again cannot clear it. */
	for (size_t i = 0; i < h->ncheckins; i++) {
		const struct hist_checkin *c = &h->checkins[i];

		if (c->day != today)
			continue;
		leak |= c->leak;
		heavy |= c->heaviness;
		bleed |= c->bleeding;
		if (c->pain > pain)
			pain = c->pain;
	}
	if (leak)
		gov_reason(d, "leak reported at check-in");
	if (heavy)
		gov_reason(d, "heaviness or dragging reported at check-in");
	if (bleed)
		gov_reason(d, "bleeding reported at check-in");
	if (pain >= p->recovery.pain_threshold)
		gov_reason(d, "pain %d/10 at check-in (red flag from %d)",
		    pain, p->recovery.pain_threshold);
	walk = advice = leak || heavy || bleed ||
	    pain >= p->recovery.pain_threshold;
	/* A symptom reported in a run today is a red flag for the day. */
	for (size_t i = 0; kind == NULL && i < h->nsymptoms; i++)
		if (h->symptoms[i].day == today)
			kind = h->symptoms[i].kind[0] ? h->symptoms[i].kind :
			    "symptom";
	for (size_t i = 0; kind == NULL && i < h->nsessions; i++)
		if (h->sessions[i].symptom &&
		    gov_session_day(&h->sessions[i]) == today)
			kind = "symptom";
	if (kind != NULL) {
		gov_reason(d, "%s reported today during a session", kind);
		walk = advice = true;
	}
	if (advice)
		gov_reason(d, "walking only today: " PHYSIO_ADVICE
		    " before running again");

	if (p->has_delivery) {
		hday_t born = hday_from_ymd(p->delivery_y, p->delivery_m,
		    p->delivery_d);
		hday_t from = born + p->postnatal.min_weeks * 7;

		hday_format(born, d1, sizeof(d1));
		hday_format(from, d2, sizeof(d2));
		if (today < born) {
			gov_reason(d, "delivery date %s is in the future: "
			    "walking only", d1);
			walk = true;
		} else if (today < from) {
			gov_reason(d, "week %d after delivery (%s): walking "
			    "only; running may start on %s, %d weeks after "
			    "delivery", (today - born) / 7 + 1, d1, d2,
			    p->postnatal.min_weeks);
			walk = true;
		}
	}
	return walk;
}

/* Spike guard: today's run is at most growth x the longest clean run. */
static double
spike_guard(const struct profile *p, const struct runner_history *h,
    hday_t today, struct decision *d, bool say)
{
	double longest = 0, planned;
	bool any = false;
	char n1[16], n2[16];

	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		hday_t day = gov_session_day(s);

		if (day > today - p->progression.window_days && day <= today &&
		    gov_clean_run(s) && s->actual_min > 0) {
			any = true;
			longest = fmax(longest, s->actual_min);
		}
	}
	planned = fmin(p->easy.max_minutes, fmax(p->easy.start_minutes,
	    p->progression.max_growth * longest));
	if (!say || planned >= p->easy.max_minutes)
		return planned;
	gov_num(n2, sizeof(n2), planned);
	if (!any)
		gov_reason(d, "spike guard: no clean run in the last %d days, "
		    "so at most %s min today (the starting length)",
		    p->progression.window_days, n2);
	else
		gov_reason(d, "spike guard: longest clean run in the last %d "
		    "days was %s min, so at most %s min today%s",
		    p->progression.window_days, gov_num(n1, sizeof(n1), longest),
		    n2, planned == p->easy.start_minutes &&
		    p->progression.max_growth * longest < planned ?
		    " (the starting length)" : "");
	return planned;
}

static double
template_total(const struct interval_template *t)
{
	return t->warmup_min + t->reps * (t->work_s + t->recovery_s) / 60 +
	    t->cooldown_min;
}

/* Every interval-day condition after the unlock; true if all hold. */
static bool
recovered(const struct profile *p, const struct runner_history *h,
    const struct hist_checkin *ci, time_t now, hday_t today,
    struct decision *d)
{
	const struct hist_session *last = NULL;
	double hard7 = 0, run7 = 0, ph, pt, hours;
	bool ok = true, yesterday = false, again = false;
	char n1[16], n2[16];

	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		hday_t day = gov_session_day(s);

		if (day > today || s->start > now)
			continue;
		if (s->hard && (last == NULL || s->end > last->end))
			last = s;
		yesterday |= s->hard && day == today - 1;
		again |= s->hard && day == today;
		if (day > today - 7) {
			hard7 += s->hard_min;
			if (!gov_is_walk(s))
				run7 += s->actual_min;
		}
	}
	if (last != NULL) {
		hours = difftime(now, last->end > last->start ? last->end :
		    last->start) / 3600;
		if (hours < p->recovery.min_hours) {
			gov_reason(d, "last hard session %.0f h ago (needs %s "
			    "h)", floor(fmax(hours, 0)),
			    gov_num(n1, sizeof(n1), p->recovery.min_hours));
			ok = false;
		}
	}
	if (again) {
		gov_reason(d, "hard session already today");
		ok = false;
	} else if (yesterday) {
		gov_reason(d, "hard session yesterday");
		ok = false;
	}
	if (ci == NULL) {
		/* Said once, with the check-in reminder, by the caller. */
		ok = false;
	} else if (ci->sleep_h < p->recovery.min_sleep_h) {
		gov_reason(d, "slept %.1f h last night (needs %.1f h)",
		    ci->sleep_h, p->recovery.min_sleep_h);
		ok = false;
	}
	if (p->ntemplates == 0) {
		gov_reason(d, "no interval templates in the profile");
		return false;
	}
	ph = p->templates[0].reps * p->templates[0].work_s / 60;
	pt = template_total(&p->templates[0]);
	if (hard7 + ph > p->recovery.max_hard_share * (run7 + pt)) {
		gov_reason(d, "hard minutes over 7 days would be %s of %s "
		    "running (%.0f %%, limit %.0f %%)",
		    gov_num(n1, sizeof(n1), hard7 + ph),
		    gov_num(n2, sizeof(n2), run7 + pt),
		    100 * (hard7 + ph) / (run7 + pt),
		    100 * p->recovery.max_hard_share);
		ok = false;
	}
	return ok;
}

void
governor_decide(const struct profile *p, const struct runner_history *h,
    time_t now, hday_t today, struct decision *d)
{
	const struct hist_checkin *ci = checkin_today(h, today);
	bool walk;
	char n1[16], n2[16];

	memset(d, 0, sizeof(*d));
	d->checked_in = ci != NULL;
	walk = walk_only(p, h, today, d);
	governor_phase(p, h, today, d);

	d->planned_minutes = spike_guard(p, h, today, d, false);
	d->easy = (struct caps){ p->easy.max_speed, p->easy.max_incline,
	    p->easy.hr_ceiling, d->planned_minutes };
	d->walk = (struct caps){ p->walk.speed, p->easy.max_incline,
	    p->easy.hr_ceiling, p->easy.max_minutes };

	if (walk) {
		d->day = DAY_WALK_ONLY;
		d->caps = d->walk;
	} else if (d->phase == PHASE_UNLOCKED &&
	    recovered(p, h, ci, now, today, d)) {
		const struct interval_template *t = &p->templates[0];

		d->day = DAY_INTERVALS;
		d->intervals_allowed = true;
		d->caps = (struct caps){ p->hard.max_speed,
		    p->hard.max_incline, p->hard.hr_ceiling,
		    template_total(t) };
		gov_reason(d, "interval day: %s, %s min with %s min hard",
		    t->name, gov_num(n1, sizeof(n1), template_total(t)),
		    gov_num(n2, sizeof(n2), t->reps * t->work_s / 60));
	} else {
		d->day = DAY_EASY;
		d->caps = d->easy;
		spike_guard(p, h, today, d, true);
	}
	if (ci == NULL)
		gov_reason(d, "no check-in today: check in (sleep, pain, "
		    "leaks) before a session");
}

int
governor_history_days(const struct profile *p)
{
	int days = p->progression.window_days;

	if (p->unlock.weeks * 7 + 7 > days)
		days = p->unlock.weeks * 7 + 7;
	/* recovery.min_hours is at most a week: 8 days see the last hard
	 * session and yesterday's. */
	return days > 8 ? days : 8;
}

const char *
phase_name(enum phase ph)
{
	return ph == PHASE_UNLOCKED ? "unlocked" : "base";
}

const char *
day_type_name(enum day_type t)
{
	switch (t) {
	case DAY_WALK_ONLY:
		return "walk-only";
	case DAY_EASY:
		return "easy";
	case DAY_INTERVALS:
		return "intervals";
	}
	return "?";
}
