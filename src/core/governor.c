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
gov_reason(struct decision *d, const char *code, const char *fmt, ...)
{
	va_list ap;

	/* Past the limit a reason is dropped: the first ones matter most. */
	if (d->nreasons >= GOV_REASONS_MAX)
		return;
	snprintf(d->codes[d->nreasons], GOV_CODE_LEN, "%s", code);
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

bool
gov_is_run(const struct hist_session *s)
{
	return !gov_is_walk(s) && s->running_min > 0;
}

/* Completed, no symptom, easy intensity, actually running. */
bool
gov_clean_run(const struct hist_session *s)
{
	return !s->hard && !s->symptom && s->outcome == HO_COMPLETED &&
	    gov_is_run(s);
}

bool
gov_red_flag(const struct profile *p, const struct hist_checkin *c)
{
	return c->leak || c->heaviness || c->bleeding ||
	    c->pain >= p->recovery.pain_threshold;
}

const char *
gov_flag_name(const struct profile *p, const struct hist_checkin *c,
    char *buf, size_t len)
{
	if (c->leak)
		snprintf(buf, len, "leak");
	else if (c->heaviness)
		snprintf(buf, len, "heaviness");
	else if (c->bleeding)
		snprintf(buf, len, "bleeding");
	else if (c->pain >= p->recovery.pain_threshold)
		snprintf(buf, len, "pain %d/10", c->pain);
	else
		buf[0] = '\0';
	return buf;
}

void
governor_decide(const struct profile *p, const struct runner_history *h,
    time_t now, hday_t today, struct decision *d)
{
	const struct interval_template *t = NULL;
	struct gov_checkin ci;
	struct gov_flag flag;
	struct decision ph;
	bool walk, easy_only = false;
	char n1[16], n2[16];

	memset(d, 0, sizeof(*d));
	memset(&ph, 0, sizeof(ph));
	gov_checkin_merge(h, today, &ci);
	d->checked_in = ci.any;
	/* The phase finds the latest red flag the day needs, but the red
	 * flags are said first: they matter most. */
	governor_phase(p, h, today, &ph, &flag);
	walk = gov_walk_only(p, h, &ci, &flag, today, d, &easy_only);
	d->phase = ph.phase;
	d->streak_weeks = ph.streak_weeks;
	memcpy(d->progress, ph.progress, sizeof(d->progress));
	for (int i = 0; i < ph.nreasons; i++)
		gov_reason(d, ph.codes[i], "%s", ph.reasons[i]);

	d->planned_minutes = gov_length(p, h, today, d, false);
	d->easy = (struct caps){ p->easy.max_speed, p->easy.max_incline,
	    p->easy.hr_ceiling, d->planned_minutes };
	d->walk = (struct caps){ p->walk.speed, p->easy.max_incline,
	    p->easy.hr_ceiling, p->easy.max_minutes };

	if (walk) {
		d->day = DAY_WALK_ONLY;
		d->caps = d->walk;
	} else if (d->phase == PHASE_UNLOCKED && !easy_only &&
	    (t = gov_intervals(p, h, &ci, now, today, d)) != NULL) {
		d->day = DAY_INTERVALS;
		d->intervals_allowed = true;
		snprintf(d->template_name, sizeof(d->template_name), "%s",
		    t->name);
		d->caps = (struct caps){ p->hard.max_speed,
		    p->hard.max_incline, p->hard.hr_ceiling,
		    gov_template_total(t) };
		gov_reason(d, "interval_day", "interval day: %s, %s min with "
		    "%s min hard", t->name,
		    gov_num(n1, sizeof(n1), gov_template_total(t)),
		    gov_num(n2, sizeof(n2), t->reps * t->work_s / 60));
	} else {
		d->day = DAY_EASY;
		d->caps = d->easy;
		gov_length(p, h, today, d, true);
	}
	if (!ci.any)
		gov_reason(d, "no_checkin", "no check-in today: check in "
		    "(sleep, pain, leaks) before a session");
}

int
governor_history_days(const struct profile *p)
{
	const int need[] = {
		p->progression.window_days,
		p->unlock.weeks * 7 + 7,
		p->recovery.base_days,
		/* the last run before a break that ended up to
		 * comeback_days ago */
		p->recovery.break_days + p->recovery.comeback_days + 1,
		p->recovery.clear_days + 1,
		/* recovery.min_hours is at most a week: 8 days see the last
		 * hard session, yesterday's and the last 7 days' */
		8,
	};
	int days = 0;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (need[i] > days)
			days = need[i];
	return days;
}

const char *
run_count_name(enum run_count c)
{
	static const char *const names[] = {
		[RUN_COUNTED] = "counted", [RUN_WALK] = "walk",
		[RUN_HARD] = "hard", [RUN_SYMPTOM] = "symptom",
		[RUN_NOT_COMPLETED] = "not_completed", [RUN_SHORT] = "short",
		[RUN_RESTART] = "restart", [RUN_DAY_LIMIT] = "day_limit",
		[RUN_LATER] = "later",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ?
	    names[c] : "?";
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
