/*
 * Starting a session: today's decision from the runner's history (plan.h
 * is the pure part), the workout it leads to, and the pipeline begun
 * under its caps.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "belt.h"
#include "decide.h"
#include "log.h"
#include "record.h"

static bool
decision_has(const struct decision *d, const char *code)
{
	for (int i = 0; i < d->nreasons; i++)
		if (strcmp(d->codes[i], code) == 0)
			return true;
	return false;
}

int
belt_decide(struct belt *b, const struct profile *p, struct decision *d,
    char *why, size_t whylen)
{
	decide_today(b->hist, b->hist_error, p, time(NULL), d);
	(void)why;
	(void)whylen;
	return 0;
}

/* A start refused after the claim gives it back. */
static void
unclaim(struct belt *b, const struct profile *p)
{
	char err[256];

	if (p != NULL && b->hist != NULL && history_release(b->hist, p->id,
	    b->cfg.daemon.name, err, sizeof(err)) == -1)
		log_warnx("history: giving back the claim on %s: %s", p->id,
		    err);
}

int
belt_start(struct belt *b, const char *runner, const char *workout,
    const char *tname, char *why, size_t whylen)
{
	const struct profile *p = NULL;
	struct decision d;
	struct session plan;
	struct workout wk;
	struct pipe_plugin stage;
	const char *w;

	if (b->shutting_down) {
		snprintf(why, whylen, "the daemon is shutting down");
		return -1;
	}
	if (b->pl.session.state != SESSION_IDLE) {
		snprintf(why, whylen, "%s", safety_stopped(&b->pl.safety) ?
		    "a session is in progress but stopped: 'resume' or 'end' it" :
		    "a session is already running");
		return -1;
	}
	if (runner != NULL) {
		if ((p = profile_find(&b->cfg.runners, runner)) == NULL) {
			snprintf(why, whylen, "no profile for runner '%s' in %s",
			    runner, b->cfg.profiles.dir);
			return -1;
		}
		/* One runner, one belt (the shared history), claimed at
		 * once.  If it cannot tell, she may run: the plan says the
		 * history is missing. */
		char where[64], herr[256];
		int claimed = b->hist == NULL ? 0 : history_claim(b->hist,
		    p->id, b->cfg.daemon.name, b->cfg.history.stale_minutes,
		    where, sizeof(where), herr, sizeof(herr));
		if (claimed == -1)
			log_warnx("history: cannot claim %s for this treadmill "
			    "(%s); she may run", p->id, herr);
		if (claimed == 1) {
			snprintf(why, whylen, "%s is already running on "
			    "treadmill %s", p->id, where);
			return -1;
		}
		belt_decide(b, p, &d, why, whylen);
		/* Today's check-in decides the day: no session without it
		 * (unless the history cannot be read, or the site checks in
		 * on paper). */
		if (b->cfg.session.require_checkin && !d.checked_in &&
		    !decision_has(&d, "history_unavailable")) {
			snprintf(why, whylen, "%s has not checked in today: "
			    "treadctl checkin %s --sleep HOURS --pain 0-10 "
			    "[--leak] [--heaviness] [--bleeding] "
			    "[--limitation]", p->id, p->id);
			return -1;
		}
		/* A template asked for by name must fit today as the
		 * governor's own choice would; without one, the governor's
		 * choice runs (workout_open). */
		if (tname != NULL && governor_check_template(p, &d, tname,
		    why, whylen) == -1)
			return -1;
		if (workout_open(&wk, &plan, workout, tname, p, &d,
		    belt_walkrun_stage(b, p), &b->cfg, why, whylen) == -1) {
			size_t off = strlen(why);

			unclaim(b, p);
			/* The day's reasons, where the day is what refused. */
			if (strstr(why, "see 'plan'") == NULL)
				return -1;
			for (int i = 0; i < d.nreasons && off < whylen; i++)
				off += (size_t)snprintf(why + off, whylen - off,
				    "; %s", d.reasons[i]);
			return -1;
		}
	} else {
		memset(&wk, 0, sizeof(wk));
		workout_plan_guest(&plan, &b->cfg);
	}
	if (safety_start(&b->pl.safety, &w) == -1) {
		snprintf(why, whylen, "%s", w);
		unclaim(b, p);
		workout_close(&wk);
		return -1;
	}
	b->wk = wk;
	workout_stage(&b->wk, &stage);
	pipeline_begin(&b->pl, &plan, &stage);
	record_begin(b, p);
	log_info("session started: %s%s%s, %.1f min planned",
	    b->pl.session.workout, p ? " for " : "", p ? p->id : "",
	    session_planned_s(&b->pl.session) / 60);
	return 0;
}

int
belt_walkrun_stage(struct belt *b, const struct profile *p)
{
	struct runner_history h;
	char err[256];
	int stage;

	if (b->hist == NULL || p->nstages == 0)
		return 0;
	if (history_load(b->hist, p->id, plan_walkrun_since(time(NULL)), &h,
	    err, sizeof(err)) == -1)
		return 0;
	stage = walkrun_stage(&h, p, hday_from_time(time(NULL)));
	history_free(&h);
	return stage;
}
