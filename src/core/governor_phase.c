/*
 * The phase half of the governor: base building or unlocked.  A symptom
 * or a staff lock resets the count; the unlock rule is then scanned over
 * the calendar weeks after it, however long the history.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "governor_int.h"
#include "xmalloc.h"

#define NO_DAY		GOV_NO_DAY

/* The latest sign that running must start again from the base. */
struct reset {
	hday_t		 day;		/* R = max(symptom day, lock day) */
	hday_t		 symptom_day;	/* S, NO_DAY if none */
	time_t		 symptom_at;	/* latest symptom time, 0 if none */
	char		 symptom_what[64];
	const struct hist_override *last;	/* latest override */
	const struct hist_override *lock;	/* latest lock */
};

/* Where the unlock rule stands, counting only days after the reset. */
struct unlock_scan {
	bool	 met;		/* the streak reached unlock.weeks */
	hday_t	 met_week;	/* Monday of the week it did */
	int	 streak;	/* incl. this week once it qualifies */
	int	 before;	/* the streak up to last week */
	int	 runs, strength;	/* this week's counts */
	hday_t	 gap;		/* the latest week that broke a streak */
};

static void
note_symptom(struct reset *r, hday_t day, time_t at, const char *what)
{
	if (day > r->symptom_day) {
		r->symptom_day = day;
		snprintf(r->symptom_what, sizeof(r->symptom_what), "%s", what);
	}
	if (at > r->symptom_at)
		r->symptom_at = at;
}

static void
find_reset(const struct profile *p, const struct runner_history *h,
    hday_t today, struct reset *r)
{
	memset(r, 0, sizeof(*r));
	r->symptom_day = NO_DAY;
	for (size_t i = 0; i < h->nsymptoms; i++) {
		const struct hist_symptom *s = &h->symptoms[i];

		if (s->day <= today)
			note_symptom(r, s->day, s->at, s->kind[0] ? s->kind :
			    "symptom");
	}
	for (size_t i = 0; i < h->ncheckins; i++) {
		const struct hist_checkin *c = &h->checkins[i];
		char what[32], buf[64];

		if (c->day <= today && gov_red_flag(p, c)) {
			snprintf(buf, sizeof(buf), "%s at check-in",
			    gov_flag_name(p, c, what, sizeof(what)));
			note_symptom(r, c->day, c->at, buf);
		}
	}
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];

		/* The symptom came before the session's last checkpoint. */
		if (s->symptom && gov_session_day(s) <= today)
			note_symptom(r, gov_session_day(s),
			    s->end > s->start ? s->end : s->start,
			    "symptom during a session");
	}
	for (size_t i = 0; i < h->noverrides; i++) {
		const struct hist_override *o = &h->overrides[i];

		/* A clearance after a red flag is neither lock nor unlock. */
		if (hday_from_time(o->at) > today || o->clear)
			continue;
		if (r->last == NULL || o->at >= r->last->at)
			r->last = o;
		if (!o->unlock && (r->lock == NULL || o->at >= r->lock->at))
			r->lock = o;
	}
	r->day = r->symptom_day;
	if (r->lock != NULL && hday_from_time(r->lock->at) > r->day)
		r->day = hday_from_time(r->lock->at);
}

static int
cmp_day(const void *a, const void *b)
{
	hday_t x = *(const hday_t *)a, y = *(const hday_t *)b;

	return (x > y) - (x < y);
}

/* One session against the rule, all but the runs-a-day limit. */
static enum run_count
run_rule(const struct profile *p, const struct hist_session *s,
    hday_t reset, hday_t today)
{
	hday_t day = gov_session_day(s);

	/* A symptom first: it says the most to her. */
	if (day > today)
		return RUN_LATER;
	if (s->symptom)
		return RUN_SYMPTOM;
	if (!gov_is_run(s))
		return RUN_WALK;
	if (s->hard)
		return RUN_HARD;
	if (s->outcome != HO_COMPLETED)
		return RUN_NOT_COMPLETED;
	if (s->running_min < p->unlock.run_minutes)
		return RUN_SHORT;
	if (day <= reset)
		return RUN_RESTART;
	return RUN_COUNTED;
}

/*
 * Walk the calendar weeks after the reset day.  Only weeks holding
 * qualifying runs can qualify, so sorting those runs' days gives the
 * scan in O(n log n) whatever the span of the history.  Two runs on one
 * day are one day's training: at most runs_per_day count.
 */
static void
scan_unlock(const struct profile *p, const struct runner_history *h,
    hday_t reset, hday_t today, struct unlock_scan *u)
{
	hday_t cw = hday_week_start(today), last = NO_DAY, day, w;
	hday_t *runs, *str;
	size_t nr = 0, ns = 0, j = 0;
	int streak = 0;

	memset(u, 0, sizeof(*u));
	u->gap = NO_DAY;
	runs = xreallocarray(NULL, h->nsessions + 1, sizeof(*runs));
	str = xreallocarray(NULL, h->nstrength + 1, sizeof(*str));
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];

		if (run_rule(p, s, reset, today) == RUN_COUNTED)
			runs[nr++] = gov_session_day(s);
	}
	for (size_t i = 0; i < h->nstrength; i++) {
		day = h->strength[i].day;
		if (day <= reset || day > today ||
		    h->strength[i].minutes < p->unlock.strength_minutes)
			continue;
		str[ns++] = hday_week_start(day);
		u->strength += hday_week_start(day) == cw;
	}
	qsort(runs, nr, sizeof(*runs), cmp_day);
	qsort(str, ns, sizeof(*str), cmp_day);

	for (size_t i = 0; i < nr; ) {
		int nrun = 0, nstr = 0, today_n = 0;

		w = hday_week_start(runs[i]);
		for (; i < nr && hday_week_start(runs[i]) == w; i++) {
			today_n = i > 0 && runs[i] == runs[i - 1] ?
			    today_n + 1 : 1;
			nrun += today_n <= p->unlock.runs_per_day;
		}
		if (w == cw)
			u->runs = nrun;
		while (j < ns && str[j] < w)
			j++;
		for (; j < ns && str[j] == w; j++)
			nstr++;
		if (nrun < p->unlock.runs_per_week ||
		    (p->unlock.count_strength &&
		    nstr < p->unlock.strength_per_week))
			continue;
		/* A week in between that did not qualify breaks it. */
		if (last != NO_DAY && w != last + 7)
			u->gap = last + 7;
		streak = last != NO_DAY && w == last + 7 ? streak + 1 : 1;
		last = w;
		if (streak >= p->unlock.weeks && !u->met) {
			u->met = true;
			u->met_week = w;
		}
	}
	free(runs);
	free(str);

	/* This week, while it is not over, cannot break the streak. */
	if (last == cw) {
		u->streak = streak;
		u->before = streak - 1;
	} else if (last == cw - 7)
		u->streak = u->before = streak;
	else if (last != NO_DAY)
		u->gap = last + 7;
}

/* Phase: staff unlock, or the unlock rule met since the reset. */
static void
decide_phase(const struct profile *p, const struct reset *r,
    const struct unlock_scan *u, hday_t today, struct decision *d)
{
	char d1[16], d2[16], n1[16], str[48] = "";

	gov_num(n1, sizeof(n1), p->unlock.run_minutes);
	d->streak_weeks = u->streak;
	if (r->last != NULL && r->last->unlock &&
	    r->last->at > r->symptom_at) {
		d->phase = PHASE_UNLOCKED;
		hday_format(hday_from_time(r->last->at), d1, sizeof(d1));
		gov_progress(d, "unlocked by staff: %s on %s", r->last->staff,
		    d1);
		gov_reason(d, "unlocked_staff", "intervals unlocked by staff: "
		    "%s on %s: %s", r->last->staff, d1, r->last->reason);
		return;
	}
	if (u->met) {
		d->phase = PHASE_UNLOCKED;
		hday_format(u->met_week, d1, sizeof(d1));
		gov_progress(d, "unlocked: %d of %d weeks met (week of %s)",
		    p->unlock.weeks, p->unlock.weeks, d1);
		gov_reason(d, "unlocked", "intervals unlocked: %d weeks in a "
		    "row met the base-building rule (week of %s)",
		    p->unlock.weeks, d1);
		return;
	}
	d->phase = PHASE_BASE;
	if (p->unlock.count_strength) {
		gov_progress(d, "week %d of %d: %d/%d runs ≥ %s min easy, "
		    "%d/%d strength", u->before + 1, p->unlock.weeks, u->runs,
		    p->unlock.runs_per_week, n1, u->strength,
		    p->unlock.strength_per_week);
		snprintf(str, sizeof(str), " and %d strength sessions",
		    p->unlock.strength_per_week);
	} else
		gov_progress(d, "week %d of %d: %d/%d runs ≥ %s min easy",
		    u->before + 1, p->unlock.weeks, u->runs,
		    p->unlock.runs_per_week, n1);
	gov_reason(d, "base_building", "base building: intervals unlock after "
	    "%d weeks in a row of %d easy runs ≥ %s min%s", p->unlock.weeks,
	    p->unlock.runs_per_week, n1, str);
	if (r->last != NULL && r->last->unlock)
		gov_reason(d, "staff_unlock_ended", "the staff unlock (%s on "
		    "%s) ended with a later symptom", r->last->staff,
		    hday_format(hday_from_time(r->last->at), d1, sizeof(d1)));
	/* A streak that broke on a short week, after the last reset. */
	if (u->gap != NO_DAY && (r->day == NO_DAY || u->gap > r->day) &&
	    u->gap < hday_week_start(today))
		gov_reason(d, "streak_gap", "the week of %s had fewer than %d "
		    "easy runs ≥ %s min on different days%s: the count of "
		    "weeks starts again", hday_format(u->gap, d1, sizeof(d1)),
		    p->unlock.runs_per_week, n1, str);
	if (r->day == NO_DAY)
		return;
	/* Staff's own words last: they are the part that may be cut. */
	hday_format(r->day, d1, sizeof(d1));
	hday_format(r->day + 1, d2, sizeof(d2));
	if (r->lock != NULL && hday_from_time(r->lock->at) == r->day)
		gov_reason(d, "locked_staff", "locked by staff: %s on %s, the "
		    "count restarts from %s: %s", r->lock->staff, d1, d2,
		    r->lock->reason);
	else
		gov_reason(d, "streak_restart", "%s on %s: the count restarts "
		    "from %s", r->symptom_what, d1, d2);
}

void
governor_phase(const struct profile *p, const struct runner_history *h,
    hday_t today, struct decision *d, struct gov_flag *f)
{
	struct unlock_scan u;
	struct reset r;

	find_reset(p, h, today, &r);
	scan_unlock(p, h, r.day, today, &u);
	decide_phase(p, &r, &u, today, d);
	f->day = r.symptom_day;
	f->at = r.symptom_at;
	snprintf(f->what, sizeof(f->what), "%s", r.symptom_what);
}

/* A run that passed the rule, to be ordered within its day. */
struct day_run {
	hday_t	 day;
	time_t	 start;
	size_t	 i;		/* into the sessions */
};

static int
cmp_day_run(const void *a, const void *b)
{
	const struct day_run *x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->i > y->i) - (x->i < y->i);
}

void
governor_counted(const struct profile *p, const struct runner_history *h,
    hday_t today, enum run_count *out)
{
	struct day_run *v;
	struct reset r;
	size_t n = 0;
	int same = 0;

	find_reset(p, h, today, &r);
	v = xreallocarray(NULL, h->nsessions + 1, sizeof(*v));
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];

		out[i] = run_rule(p, s, r.day, today);
		if (out[i] == RUN_COUNTED)
			v[n++] = (struct day_run){ gov_session_day(s),
			    s->start, i };
	}
	/* The day's first runs count, as scan_unlock has it. */
	qsort(v, n, sizeof(*v), cmp_day_run);
	for (size_t k = 0; k < n; k++) {
		same = k > 0 && v[k].day == v[k - 1].day ? same + 1 : 1;
		if (same > p->unlock.runs_per_day)
			out[v[k].i] = RUN_DAY_LIMIT;
	}
	free(v);
}

/* What scan_unlock and find_reset count (run_rule, gov_red_flag). */
void
governor_rules(const struct profile *p, struct hist_rules *r)
{
	r->run_minutes = p->unlock.run_minutes;
	r->strength_minutes = p->unlock.count_strength ?
	    p->unlock.strength_minutes : NAN;
	r->pain_threshold = p->recovery.pain_threshold;
}

hday_t
governor_read_from(const struct profile *p, const struct runner_history *h,
    hday_t since, hday_t today)
{
	struct unlock_scan u;
	struct reset r;

	find_reset(p, h, today, &r);
	/* A staff unlock after the last symptom settles it. */
	if (r.last != NULL && r.last->unlock && r.last->at > r.symptom_at)
		return since;
	/* Every day after the reset is loaded. */
	if (r.day != NO_DAY && r.day >= since - 1)
		return since;
	/* Met within the loaded weeks: older ones could only add to it. */
	scan_unlock(p, h, r.day, today, &u);
	if (u.met)
		return since;
	return r.day != NO_DAY ? r.day : GOV_ALL_DAYS;
}
