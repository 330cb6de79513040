/*
 * Planning: today's decision for a runner from her profile and history
 * (the governor), made cautious when the history is missing, and the
 * workout and walk-run stage it leads to.
 */
#include <stdio.h>
#include <string.h>

#include "plan.h"

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

int
walkrun_stage(const struct runner_history *h, const struct profile *p)
{
	int stage = 0, clean = 0;
	const char *pre = "walkrun/";

	/* Oldest first: advance after N clean sessions, back after a symptom. */
	for (size_t i = 0; i < h->nsessions; i++) {
		const struct hist_session *s = &h->sessions[i];
		int at;

		if (s->symptom || s->outcome == HO_SYMPTOM) {
			if (stage > 0)
				stage--;
			clean = 0;
			continue;
		}
		if (strncmp(s->workout, pre, strlen(pre)) != 0 ||
		    sscanf(s->workout + strlen(pre), "%d", &at) != 1 ||
		    at != stage || s->outcome != HO_COMPLETED)
			continue;
		if (++clean >= p->stage_sessions && stage + 1 < p->nstages) {
			stage++;
			clean = 0;
		}
	}
	return stage;
}
