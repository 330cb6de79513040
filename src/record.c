/*
 * Session recording: the running session's record in the history, its
 * checkpoints, a symptom reported mid-run, the outcome at the end.  The
 * history queues every write to its writer thread; nothing here waits on
 * the disk.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "history_conf.h"
#include "log.h"
#include "record.h"

static enum hist_outcome
hist_outcome_of(const struct session *s)
{
	switch (s->outcome) {
	case OUTCOME_COMPLETED:
		return HO_COMPLETED;
	case OUTCOME_STOPPED:
	case OUTCOME_NONE:
		return HO_STOPPED;
	case OUTCOME_SAFETY_STOP:
		return HO_SAFETY_STOP;
	case OUTCOME_SYMPTOM:
		return HO_SYMPTOM;
	case OUTCOME_FAULT:
		return HO_FAULT;
	}
	return HO_STOPPED;
}

/* Bring the record up to date with the session and queue it. */
static void
put(struct belt *b, enum hist_outcome o)
{
	const struct session *s = &b->pl.session;
	struct hist_session *r = &b->rec;

	if (s->runner[0] == '\0' || b->hist == NULL)
		return;
	r->end = time(NULL);
	/* To the second: the clock of ticks is a little behind the plan's
	 * (a 5-minute plan ran 299.95 s), and the belt takes a moment to
	 * reach running speed; a planned minute must count as one. */
	r->actual_min = round(s->elapsed_s) / 60;
	r->running_min = fmin(round(s->running_s) / 60, r->actual_min);
	r->walking_min = r->actual_min - r->running_min;
	r->hard_min = s->hard_s / 60;
	r->distance_m = s->distance_m;
	r->avg_speed = s->elapsed_s > 0 ? s->speed_sum / s->elapsed_s : 0;
	r->max_speed = s->max_speed;
	r->avg_hr = s->hr_time > 0 ? (int)(s->hr_sum / s->hr_time + 0.5) : 0;
	r->max_hr = s->hr_max;
	r->above_cap_s = s->above_cap_s;
	r->symptom = s->symptom;
	r->outcome = o;
	history_put_session(b->hist, r);
}

void
record_begin(struct belt *b, const struct profile *p)
{
	memset(&b->rec, 0, sizeof(b->rec));
	b->last_checkpoint = monotime();
	ctr_session_start(&b->ctr, b->pl.session.workout,
	    b->pl.session.runner);
	if (p == NULL)
		return;
	history_new_id(b->rec.id);
	snprintf(b->rec.runner, sizeof(b->rec.runner), "%s", p->id);
	snprintf(b->rec.workout, sizeof(b->rec.workout), "%s",
	    b->pl.session.workout);
	b->rec.stage = b->pl.session.stage;
	snprintf(b->rec.treadmill, sizeof(b->rec.treadmill), "%s",
	    b->cfg.daemon.name);
	b->rec.hard = b->pl.session.hard;
	b->rec.start = time(NULL);
	b->rec.planned_min = session_planned_s(&b->pl.session) / 60;
	put(b, HO_RUNNING);
}

void
record_checkpoint(struct belt *b, double now)
{
	if (b->pl.session.state == SESSION_IDLE ||
	    now - b->last_checkpoint < CHECKPOINT_S)
		return;
	b->last_checkpoint = now;
	put(b, HO_RUNNING);
}

void
record_symptom(struct belt *b, const char *kind)
{
	struct hist_symptom sy;

	if (b->pl.session.runner[0] != '\0' && b->hist != NULL) {
		memset(&sy, 0, sizeof(sy));
		snprintf(sy.runner, sizeof(sy.runner), "%s", b->pl.session.runner);
		sy.at = time(NULL);
		sy.day = hday_from_time(sy.at);
		snprintf(sy.kind, sizeof(sy.kind), "%s", kind);
		snprintf(sy.session_id, sizeof(sy.session_id), "%s",
		    b->rec.id);
		history_add_symptom(b->hist, &sy);
		put(b, HO_RUNNING);
	}
}

void
record_end(struct belt *b)
{
	struct session *s = &b->pl.session;

	/* A stop that ended the session names it, even if later resumed. */
	if (s->outcome == OUTCOME_STOPPED && s->stopped_by_safety)
		s->outcome = OUTCOME_SAFETY_STOP;
	if (s->fault && s->outcome != OUTCOME_SYMPTOM)
		s->outcome = OUTCOME_FAULT;
	put(b, hist_outcome_of(s));
	ctr_session_end(&b->ctr, (int)s->outcome, s->workout, s->runner);

	log_info("session ended: %s, %.1f min, %.2f km, avg %.2f km/h, "
	    "max %.2f km/h%s", session_outcome_name(s->outcome),
	    s->elapsed_s / 60, s->distance_m / 1000,
	    s->elapsed_s > 0 ? s->speed_sum / s->elapsed_s : 0, s->max_speed,
	    s->hr_max ? "" : ", no heart rate");
}

void
belt_open_history(struct belt *b)
{
	char err[256];
	int n;

	if (b->hist != NULL)
		return;
	b->hist = history_open_config(&b->cfg, b->hist_error,
	    sizeof(b->hist_error));
	if (b->hist == NULL) {
		/* The belt runs without it; sessions are not recorded. */
		log_warnx("%s; sessions will not be recorded until it is "
		    "fixed (then reload)", b->hist_error);
		return;
	}
	b->hist_error[0] = '\0';
	if ((n = history_recover(b->hist, err, sizeof(err))) > 0)
		log_warnx("history: %d session%s left open by a crash or power "
		    "loss marked interrupted", n, n == 1 ? "" : "s");
	else if (n < 0)
		log_warnx("history: recovery failed: %s", err);
}
