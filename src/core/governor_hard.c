/*
 * The load half of the governor: how long today's session may be, and
 * whether today may be an interval day and with which template.  Load is
 * counted in running minutes; walking does not load the body the same way.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "governor_int.h"

/* Today's length: running at most max_growth x the longest recent easy
 * run, with the easy session's walking around it. */
double
gov_length(const struct profile *p, const struct runner_history *h,
    hday_t today, struct decision *d, bool say)
{
	double longest = 0, planned;
	bool any = false;
	char n1[16], n2[16], n3[16], n4[16];

	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		hday_t day = gov_session_day(s);

		if (day > today - p->progression.window_days && day <= today &&
		    gov_clean_run(s)) {
			any = true;
			longest = fmax(longest, s->running_min);
		}
	}
	planned = fmin(p->easy.max_minutes, fmax(p->easy.start_minutes,
	    p->progression.max_growth * longest + p->easy.walk_minutes));
	if (!say || planned >= p->easy.max_minutes)
		return planned;
	gov_num(n1, sizeof(n1), planned);
	if (!any || planned == p->easy.start_minutes)
		gov_reason(d, "length_start", "today's run is at most %s min, "
		    "the starting length: %s", n1, any ? "your longest runs "
		    "lately were short" : "no easy run finished lately");
	else
		gov_reason(d, "length_growth", "today's run is at most %s min: "
		    "%s min of running, %.0f %% more than your longest easy "
		    "run of the last %d days (%s min), and %s min of walking",
		    n1, gov_num(n2, sizeof(n2), planned - p->easy.walk_minutes),
		    100 * (p->progression.max_growth - 1),
		    p->progression.window_days,
		    gov_num(n3, sizeof(n3), longest),
		    gov_num(n4, sizeof(n4), p->easy.walk_minutes));
	return planned;
}

double
gov_template_total(const struct interval_template *t)
{
	return t->warmup_min + t->reps * (t->work_s + t->recovery_s) / 60 +
	    t->cooldown_min;
}

/* 0 if t fits today's length and the hard share, else -1 with why. */
static int
template_fits(const struct profile *p, const struct decision *d,
    const struct interval_template *t, char *why, size_t len, bool *share)
{
	double ph = t->reps * t->work_s / 60, pt = gov_template_total(t);
	double hard = d->week_hard_min + ph, run = d->week_run_min + pt;
	char n1[16], n2[16];

	*share = false;
	if (pt > d->planned_minutes + 1e-9) {
		snprintf(why, len, "%s takes %s min, longer than today's %s min",
		    t->name, gov_num(n1, sizeof(n1), pt),
		    gov_num(n2, sizeof(n2), d->planned_minutes));
		return -1;
	}
	if (hard > p->recovery.max_hard_share * run + 1e-9) {
		*share = true;
		snprintf(why, len, "%s would make %s of your last 7 days' %s "
		    "min of running hard (%.0f %%; at most %.0f %%)", t->name,
		    gov_num(n1, sizeof(n1), hard), gov_num(n2, sizeof(n2), run),
		    100 * hard / run, 100 * p->recovery.max_hard_share);
		return -1;
	}
	return 0;
}

int
governor_check_template(const struct profile *p, const struct decision *d,
    const char *name, char *why, size_t len)
{
	bool share;

	for (int i = 0; i < p->ntemplates; i++) {
		if (strcmp(p->templates[i].name, name) != 0)
			continue;
		if (d->day != DAY_INTERVALS) {
			snprintf(why, len, "today is not an interval day");
			return -1;
		}
		return template_fits(p, d, &p->templates[i], why, len, &share);
	}
	snprintf(why, len, "no interval template named \"%s\" in the "
	    "profile", name);
	return -1;
}

/* The last 7 days' running and hard minutes, today included. */
static void
week_load(const struct runner_history *h, time_t now, hday_t today,
    struct decision *d)
{
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		hday_t day = gov_session_day(s);

		if (day > today || day <= today - 7 || s->start > now)
			continue;
		d->week_hard_min += s->hard_min;
		if (!gov_is_walk(s))
			d->week_run_min += s->running_min;
	}
}

/* What the hard sessions allow: rest, spacing, at most N a week; and
 * whether there is a recent base.  Any order of sessions. */
struct hard_scan {
	const struct hist_session *last;	/* latest hard session */
	bool	 today, yesterday, easy_since;
	int	 week;				/* hard sessions in 7 days */
	int	 hard_on[7];			/* of them, today - i */
	int	 recent_easy;			/* easy runs in base_days */
	hday_t	 back;				/* first run after a break */
};

/* The break and comeback rules look this far back at most (days). */
#define BACK_SPAN_MAX	(90 + 28 + 1)

static void
scan_hard(const struct profile *p, const struct runner_history *h,
    time_t now, hday_t today, struct hard_scan *k)
{
	int span = p->recovery.break_days + p->recovery.comeback_days + 1;
	bool ran[BACK_SPAN_MAX + 1] = { false };
	hday_t last = GOV_NO_DAY, from;

	memset(k, 0, sizeof(*k));
	k->back = GOV_NO_DAY;
	if (span > BACK_SPAN_MAX)
		span = BACK_SPAN_MAX;
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		hday_t day = gov_session_day(s);

		if (day > today || s->start > now)
			continue;
		if (s->hard && (k->last == NULL || s->end > k->last->end))
			k->last = s;
		k->today |= s->hard && day == today;
		k->yesterday |= s->hard && day == today - 1;
		if (s->hard && day > today - 7) {
			k->hard_on[today - day]++;
			k->week++;
		}
		if (gov_clean_run(s) && day > today - p->recovery.base_days)
			k->recent_easy++;
		if (gov_is_run(s) && today - day <= span)
			ran[today - day] = true;
	}
	/* Easy running since the last hard session. */
	for (size_t i = 0; k->last != NULL && i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];

		if (s->start >= k->last->end && s->start <= now &&
		    gov_clean_run(s))
			k->easy_since = true;
	}
	/* A run after more than break_days without one starts a comeback;
	 * before the span nothing is known, so the span's start stands in
	 * for the last run before it (the gap is at least that long). */
	from = today - span;
	for (hday_t day = from; day <= today; day++) {
		if (!ran[today - day])
			continue;
		if (day - (last == GOV_NO_DAY ? from - 1 : last) >
		    p->recovery.break_days)
			k->back = day;
		last = day;
	}
	/* Not running for the whole break: today starts a comeback. */
	if (last == GOV_NO_DAY || today - last > p->recovery.break_days)
		k->back = today;
}

/* Every interval-day condition after the unlock, each failure said. */
static bool
recovered(const struct profile *p, const struct runner_history *h,
    const struct gov_checkin *ci, time_t now, hday_t today,
    struct decision *d)
{
	struct hard_scan k;
	hday_t next = today + 1, day;
	bool ok = true;
	int runs = 0;
	char n1[16], d1[16];

	scan_hard(p, h, now, today, &k);
	if (k.last != NULL) {
		time_t end = k.last->end > k.last->start ? k.last->end :
		    k.last->start;
		double hours = difftime(now, end) / 3600;

		if (hours < p->recovery.min_hours) {
			gov_reason(d, "hard_rest_hours", "last hard session "
			    "%.0f h ago (needs %s h)", floor(fmax(hours, 0)),
			    gov_num(n1, sizeof(n1), p->recovery.min_hours));
			ok = false;
			day = hday_from_time(end +
			    (time_t)(p->recovery.min_hours * 3600));
			next = day > next ? day : next;
		}
	}
	if (k.today) {
		gov_reason(d, "hard_today", "hard session already today");
		ok = false;
		next = next > today + 2 ? next : today + 2;
	} else if (k.yesterday) {
		gov_reason(d, "hard_yesterday", "hard session yesterday");
		ok = false;
	}
	if (k.week >= p->recovery.hard_per_week) {
		gov_reason(d, "hard_limit_week", "already %d hard sessions in "
		    "the last 7 days (at most %d)", k.week,
		    p->recovery.hard_per_week);
		ok = false;
		/* The day enough of them fall out of the 7 days: when the
		 * hard_per_week-th newest does. */
		for (int i = 0, n = 0; i < 7; i++)
			if ((n += k.hard_on[i]) >= p->recovery.hard_per_week) {
				day = today - i + 7;
				next = day > next ? day : next;
				break;
			}
	}
	if (k.last != NULL && !k.easy_since) {
		gov_reason(d, "easy_between", "no easy run since your last "
		    "hard session: an easy run comes first");
		ok = false;
		runs = 1;
	}
	if (k.recent_easy < p->recovery.base_runs) {
		gov_reason(d, "base_recent", "%d easy run%s finished in the "
		    "last %d days: intervals need %d first", k.recent_easy,
		    k.recent_easy == 1 ? "" : "s", p->recovery.base_days,
		    p->recovery.base_runs);
		ok = false;
		if (p->recovery.base_runs - k.recent_easy > runs)
			runs = p->recovery.base_runs - k.recent_easy;
	}
	if (k.back != GOV_NO_DAY && today < k.back + p->recovery.comeback_days) {
		gov_reason(d, "comeback", "back after more than %d days "
		    "without running: easy runs only for the first %d days",
		    p->recovery.break_days, p->recovery.comeback_days);
		ok = false;
		day = k.back + p->recovery.comeback_days;
		next = day > next ? day : next;
	}
	if (!ci->any) {
		/* Said once, with the check-in reminder, by the caller. */
		ok = false;
	} else if (ci->sleep_h < p->recovery.min_sleep_h) {
		gov_reason(d, "sleep_short", "slept %.1f h last night (needs "
		    "%.1f h)", ci->sleep_h, p->recovery.min_sleep_h);
		ok = false;
	}
	if (!ok && runs > 1)
		gov_reason(d, "next_intervals", "intervals may come on %s at "
		    "the earliest, after %d more easy runs",
		    hday_format(next, d1, sizeof(d1)), runs);
	else if (!ok && (next > today + 1 || runs > 0))
		gov_reason(d, "next_intervals", "intervals may come on %s at "
		    "the earliest%s", hday_format(next, d1, sizeof(d1)),
		    runs ? ", after an easy run" : "");
	return ok;
}

const struct interval_template *
gov_intervals(const struct profile *p, const struct runner_history *h,
    const struct gov_checkin *ci, time_t now, hday_t today,
    struct decision *d)
{
	char why[GOV_REASON_LEN];
	bool ok, share;

	week_load(h, now, today, d);
	ok = recovered(p, h, ci, now, today, d);
	if (p->ntemplates == 0) {
		gov_reason(d, "no_template", "no interval templates in the "
		    "profile");
		return NULL;
	}
	for (int i = 0; i < p->ntemplates; i++)
		if (template_fits(p, d, &p->templates[i], why, sizeof(why),
		    &share) == 0)
			return ok ? &p->templates[i] : NULL;
	/* None fits: say why for each. */
	for (int i = 0; i < p->ntemplates; i++)
		if (template_fits(p, d, &p->templates[i], why, sizeof(why),
		    &share) == -1)
			gov_reason(d, share ? "hard_share" : "template_long",
			    "%s", why);
	return NULL;
}
