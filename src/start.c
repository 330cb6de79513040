/*
 * Starting a session: today's decision from the runner's history (plan.h
 * is the pure part), the workout it leads to, and the pipeline begun
 * under its caps.  The reads run on the control worker thread (start.h);
 * the belt starts only on the loop.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decide.h"
#include "log.h"
#include "record.h"
#include "start.h"
#include "xmalloc.h"

static bool
decision_has(const struct decision *d, const char *code)
{
	for (int i = 0; i < d->nreasons; i++)
		if (strcmp(d->codes[i], code) == 0)
			return true;
	return false;
}

void
belt_decide(struct belt *b, const struct profile *p, struct decision *d)
{
	decide_today(b->hist, b->hist_error, p, time(NULL), d);
}

static int
walkrun_stage_of(struct history *hist, const struct profile *p)
{
	struct runner_history h;
	char err[256];
	int stage;

	if (hist == NULL || p->nstages == 0)
		return 0;
	if (history_load(hist, p->id, plan_walkrun_since(time(NULL)), &h,
	    err, sizeof(err)) == -1)
		return 0;
	stage = walkrun_stage(&h, p, hday_from_time(time(NULL)));
	history_free(&h);
	return stage;
}

int
belt_walkrun_stage(struct belt *b, const struct profile *p)
{
	return walkrun_stage_of(b->hist, p);
}

/* Why the belt cannot take a session now, or NULL. */
static const char *
belt_busy(const struct belt *b)
{
	if (b->shutting_down)
		return "the daemon is shutting down";
	if (b->pl.session.state != SESSION_IDLE)
		return safety_stopped(&b->pl.safety) ?
		    "a session is in progress but stopped: 'resume' or 'end' it" :
		    "a session is already running";
	return NULL;
}

/* Under the pipeline: safety has the last word, then the session runs. */
static int
begin(struct belt *b, struct workout *wk, const struct session *plan,
    const struct profile *p, char *why, size_t whylen)
{
	struct pipe_plugin stage;
	const char *w;

	if (safety_start(&b->pl.safety, &w) == -1) {
		snprintf(why, whylen, "%s", w);
		workout_close(wk);
		return -1;
	}
	b->wk = *wk;
	workout_stage(&b->wk, &stage);
	pipeline_begin(&b->pl, plan, &stage);
	record_begin(b, p);
	log_info("session started: %s%s%s, %.1f min planned",
	    b->pl.session.workout, p ? " for " : "", p ? p->id : "",
	    session_planned_s(&b->pl.session) / 60);
	return 0;
}

int
belt_start_guest(struct belt *b, char *why, size_t whylen)
{
	struct workout wk;
	struct session plan;
	const char *busy;

	if ((busy = belt_busy(b)) != NULL) {
		snprintf(why, whylen, "%s", busy);
		return -1;
	}
	memset(&wk, 0, sizeof(wk));
	workout_plan_guest(&plan, &b->cfg);
	return begin(b, &wk, &plan, NULL, why, whylen);
}

struct start_req *
start_new(struct belt *b, const char *runner, const char *workout,
    const char *tname, char *why, size_t whylen)
{
	const struct profile *p;
	struct start_req *r;
	const char *busy;

	if ((busy = belt_busy(b)) != NULL) {
		snprintf(why, whylen, "%s", busy);
		return NULL;
	}
	if ((p = profile_find(&b->cfg.runners, runner)) == NULL) {
		snprintf(why, whylen, "no profile for runner '%s' in %s",
		    runner, b->cfg.profiles.dir);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->prof = *p;
	r->workout = workout != NULL ? xstrdup(workout) : NULL;
	r->tname = tname != NULL ? xstrdup(tname) : NULL;
	r->hist = b->hist;
	snprintf(r->hist_error, sizeof(r->hist_error), "%s", b->hist_error);
	snprintf(r->treadmill, sizeof(r->treadmill), "%s",
	    b->cfg.daemon.name);
	r->stale_minutes = b->cfg.history.stale_minutes;
	r->require_checkin = b->cfg.session.require_checkin;
	return r;
}

void
start_release(struct start_req *r)
{
	char err[256];

	if (r->claimed && r->hist != NULL && history_release(r->hist,
	    r->prof.id, r->treadmill, err, sizeof(err)) == -1)
		log_warnx("history: giving back the claim on %s: %s",
		    r->prof.id, err);
	r->claimed = false;
}

void
start_prepare(struct start_req *r)
{
	const struct profile *p = &r->prof;
	char where[64], herr[256];
	int claimed;

	/* One runner, one belt (the shared history), claimed at once.  If
	 * it cannot tell, she may run: the plan says the history is
	 * missing. */
	claimed = r->hist == NULL ? 0 : history_claim(r->hist, p->id,
	    r->treadmill, r->stale_minutes, where, sizeof(where), herr,
	    sizeof(herr));
	if (claimed == -1)
		log_warnx("history: cannot claim %s for this treadmill (%s); "
		    "she may run", p->id, herr);
	if (claimed == 1) {
		snprintf(r->why, sizeof(r->why), "%s is already running on "
		    "treadmill %s", p->id, where);
		r->rc = -1;
		return;
	}
	r->claimed = claimed == 0 && r->hist != NULL;
	decide_today(r->hist, r->hist_error, p, time(NULL), &r->d);
	r->stage = walkrun_stage_of(r->hist, p);
	/* Today's check-in decides the day: no session without it (unless
	 * the history cannot be read, or the site checks in on paper). */
	if (r->require_checkin && !r->d.checked_in &&
	    !decision_has(&r->d, "history_unavailable")) {
		snprintf(r->why, sizeof(r->why), "%s has not checked in "
		    "today: treadctl checkin %s --sleep HOURS --pain 0-10 "
		    "[--leak] [--heaviness] [--bleeding] [--limitation]",
		    p->id, p->id);
		r->rc = -1;
	/* A template asked for by name must fit today as the governor's
	 * own choice would; without one, the governor's choice runs
	 * (workout_open). */
	} else if (r->tname != NULL && governor_check_template(p, &r->d,
	    r->tname, r->why, sizeof(r->why)) == -1)
		r->rc = -1;
}

int
start_apply(struct belt *b, struct start_req *r)
{
	struct workout wk;
	struct session plan;
	const char *busy;
	size_t off;

	/* Her own session, started by a request just before this one:
	 * the claim is that session's, not this refusal's to give back. */
	if (b->pl.session.state != SESSION_IDLE &&
	    strcmp(b->pl.session.runner, r->prof.id) == 0)
		r->claimed = false;
	if (r->rc == -1)
		return -1;
	/* The belt may have been taken, or stopped, while she waited. */
	if ((busy = belt_busy(b)) != NULL) {
		snprintf(r->why, sizeof(r->why), "%s", busy);
		return r->rc = -1;
	}
	if (workout_open(&wk, &plan, r->workout, r->tname, &r->prof, &r->d,
	    r->stage, &b->cfg, r->why, sizeof(r->why)) == -1) {
		/* The day's reasons, where the day is what refused. */
		if (strstr(r->why, "see 'plan'") == NULL)
			return r->rc = -1;
		off = strlen(r->why);
		for (int i = 0; i < r->d.nreasons && off < sizeof(r->why); i++)
			off += (size_t)snprintf(r->why + off, sizeof(r->why) -
			    off, "; %s", r->d.reasons[i]);
		return r->rc = -1;
	}
	if (begin(b, &wk, &plan, &r->prof, r->why, sizeof(r->why)) == -1)
		return r->rc = -1;
	r->claimed = false;	/* the session's now */
	return 0;
}

void
start_free(struct start_req *r)
{
	if (r == NULL)
		return;
	free(r->workout);
	free(r->tname);
	free(r);
}
