/*
 * Planning: today's decision for a runner from her profile and history
 * (the governor), made cautious when the history is missing, and the
 * workout and walk-run stage it leads to.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "xmalloc.h"

hday_t
plan_history_since(const struct profile *p, hday_t today)
{
	return today - governor_history_days(p);
}

void
plan_decide(const struct profile *p, const struct runner_history *h,
    const char *err, time_t now, struct decision *d)
{
	struct runner_history none;

	memset(&none, 0, sizeof(none));
	governor_decide(p, h != NULL ? h : &none, now, hday_from_time(now), d);
	if (h != NULL)
		return;
	/* Without the history nothing is earned: the cautious day. */
	if (d->day == DAY_INTERVALS)
		d->day = DAY_EASY;
	d->intervals_allowed = false;
	d->phase = PHASE_BASE;
	d->caps = d->day == DAY_WALK_ONLY ? d->walk : d->easy;
	if (d->nreasons < GOV_REASONS_MAX) {
		snprintf(d->codes[d->nreasons], GOV_CODE_LEN,
		    "history_unavailable");
		snprintf(d->reasons[d->nreasons++], GOV_REASON_LEN,
		    "history unavailable (%s): an easy day to be safe", err);
	}
}

hday_t
plan_walkrun_since(time_t now)
{
	/* A year back: a step back needs the stage it steps back from. */
	return hday_from_time(now) - 365;
}

const char *
workout_default(const struct decision *d, const struct profile *p)
{
	switch (d->day) {
	case DAY_WALK_ONLY:
		return "walk";
	case DAY_INTERVALS:
		return "intervals";
	case DAY_EASY:
		break;
	}
	/* Until she runs 30 minutes straight, base building is walk-run. */
	if (p->nstages > 0 && d->phase == PHASE_BASE &&
	    d->planned_minutes < p->unlock.run_minutes)
		return "walkrun";
	return "easy";
}

/* One thing that moves the walk-run stage, in the order it happened. */
struct wr_event {
	time_t	 at;
	hday_t	 day;
	const struct hist_session *s;	/* NULL: a symptom or a red flag */
};

static int
cmp_event(const void *a, const void *b)
{
	const struct wr_event *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	/* A symptom before a session at the same time. */
	return (x->s != NULL) - (y->s != NULL);
}

static bool
red_flag(const struct profile *p, const struct hist_checkin *c)
{
	return c->leak || c->heaviness || c->bleeding ||
	    c->pain >= p->recovery.pain_threshold;
}

/* Days without running before day: a break (recovery.break_days, 14)
 * steps back one stage, twice that goes back to the first. */
static void
break_back(const struct profile *p, hday_t last_run, hday_t day, int *stage,
    int *clean)
{
	hday_t off = day - last_run - 1;

	if (last_run == GOV_ALL_DAYS || off < p->recovery.break_days)
		return;
	*stage = off >= 2 * p->recovery.break_days ? 0 : *stage > 0 ?
	    *stage - 1 : 0;
	*clean = 0;
}

int
walkrun_stage(const struct runner_history *h, const struct profile *p,
    hday_t today)
{
	struct wr_event *ev;
	size_t n = 0;
	int stage = 0, clean = 0;
	hday_t last_run = GOV_ALL_DAYS, last_clean = GOV_ALL_DAYS;
	hday_t last_flag = GOV_ALL_DAYS;

	/* A session may bring its symptom: two events at most. */
	ev = xreallocarray(NULL, 2 * h->nsessions + h->nsymptoms +
	    h->ncheckins + 1, sizeof(*ev));
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];

		ev[n++] = (struct wr_event){ s->start, hday_from_time(s->start),
		    s };
		/* A symptom in a session steps back as one reported alone. */
		if (s->symptom || s->outcome == HO_SYMPTOM)
			ev[n++] = (struct wr_event){ s->end > s->start ?
			    s->end : s->start, hday_from_time(s->start), NULL };
	}
	for (size_t i = 0; i < h->nsymptoms; i++)
		ev[n++] = (struct wr_event){ h->symptoms[i].at,
		    h->symptoms[i].day, NULL };
	for (size_t i = 0; i < h->ncheckins; i++)
		if (red_flag(p, &h->checkins[i]))
			ev[n++] = (struct wr_event){ h->checkins[i].at,
			    h->checkins[i].day, NULL };
	qsort(ev, n, sizeof(*ev), cmp_event);

	for (size_t i = 0; i < n && ev[i].day <= today; i++) {
		const struct hist_session *s = ev[i].s;

		if (s == NULL) {
			/* One step back for a day of symptoms, however many
			 * were reported (a session's and its report). */
			if (ev[i].day != last_flag && stage > 0)
				stage--;
			last_flag = ev[i].day;
			clean = 0;
			continue;
		}
		if (strcmp(s->workout, "walk") == 0 || (s->running_min <= 0 &&
		    strcmp(s->workout, "walkrun") != 0))
			continue;	/* no running in it */
		break_back(p, last_run, ev[i].day, &stage, &clean);
		last_run = ev[i].day;
		if (strcmp(s->workout, "walkrun") != 0 || s->stage != stage ||
		    s->outcome != HO_COMPLETED || s->symptom)
			continue;
		/* Clean sessions on different days, a rest day between. */
		if (clean > 0 && ev[i].day < last_clean + 2)
			continue;
		last_clean = ev[i].day;
		if (++clean >= p->stage_sessions && stage + 1 < p->nstages) {
			stage++;
			clean = 0;
		}
	}
	free(ev);
	break_back(p, last_run, today, &stage, &clean);
	return stage;
}
