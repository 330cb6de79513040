/*
 * The belt loop.  One EV_PERSIST timer drives the tick; everything in it
 * is bounded by the Modbus response timeout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "belt.h"
#include "history_conf.h"
#include "log.h"
#include "xmalloc.h"

double
monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
limits_from(const struct config *c, struct safety_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->max_speed = c->machine.max_speed;
	l->min_incline = c->machine.min_incline;
	l->max_incline = c->machine.max_incline;
	l->accel = c->machine.accel;
	l->decel = c->machine.decel;
	l->speed_tolerance = c->machine.speed_tolerance;
	l->drive_max_speed = c->map.max_speed;
	l->comm_loss_ticks = c->drive.comm_loss_ticks;
	l->max_heart_rate = 250;
	/* A stalled loop must not turn into one big ramp step. */
	l->max_dt = 2.0 / c->drive.tick_hz;
}

static void
write_stop_now(struct belt *b, double now)
{
	struct command c;

	safety_stop_command(&b->pl.safety, &c);
	b->stop_writes++;
	if (drive_write_command(&b->drive, &c, now) == 0)
		b->last_cmd = c;
}

static void
latched(struct belt *b, unsigned fresh, double now)
{
	char causes[160];

	write_stop_now(b, now);
	log_warnx("STOP: %s%s%s", safety_causes_str(fresh, causes,
	    sizeof(causes)), b->pl.safety.detail[0] ? " - " : "",
	    b->pl.safety.detail);
}

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
record(struct belt *b, enum hist_outcome o)
{
	const struct session *s = &b->pl.session;
	struct hist_session *r = &b->rec;

	if (s->runner[0] == '\0' || b->hist == NULL)
		return;
	r->end = time(NULL);
	r->actual_min = s->elapsed_s / 60;
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

static void
session_finish(struct belt *b)
{
	struct session *s = &b->pl.session;

	/* A stop that ended the session names it, even if later resumed. */
	if (s->outcome == OUTCOME_STOPPED && s->stopped_by_safety)
		s->outcome = OUTCOME_SAFETY_STOP;
	if (s->fault && s->outcome != OUTCOME_SYMPTOM)
		s->outcome = OUTCOME_FAULT;
	record(b, hist_outcome_of(s));

	log_info("session ended: %s, %.1f min, %.2f km, avg %.2f km/h, "
	    "max %.2f km/h%s", session_outcome_name(s->outcome),
	    s->elapsed_s / 60, s->distance_m / 1000,
	    s->elapsed_s > 0 ? s->speed_sum / s->elapsed_s : 0, s->max_speed,
	    s->hr_max ? "" : ", no heart rate");
	pipeline_finish(&b->pl);
	workout_close(&b->wk);
}

static void
apply_pending_link(struct belt *b)
{
	char desc[256];

	if (b->pending_link == NULL || b->pl.session.state != SESSION_IDLE)
		return;
	drive_close(&b->drive);
	drive_init(&b->drive, b->pending_link);
	free(b->pending_link);
	b->pending_link = NULL;
	log_info("drive link now %s", drive_describe(&b->drive, desc,
	    sizeof(desc)));
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	struct belt *b = arg;
	struct sample smp;
	struct command c;
	double now = monotime(), dt;
	unsigned fresh;
	int ok = -1;

	(void)fd;
	(void)what;
	dt = b->ticks ? now - b->last_tick : 0;
	b->last_tick = now;
	b->ticks++;

	apply_pending_link(b);
	drive_poll_connect(&b->drive, now);

	pipeline_command(&b->pl, now, dt, &c);
	if (b->drive.connected)
		ok = drive_transact(&b->drive, &c, &smp, now);
	if (ok == 0)
		b->last_cmd = c;
	fresh = pipeline_observe(&b->pl, ok == 0 ? &smp : NULL, c.run, now,
	    dt);
	if (fresh)
		latched(b, fresh, now);

	/* A session is over once its cool-down has brought the belt to 0. */
	if (b->pl.session.state == SESSION_COOLDOWN && b->pl.safety.cmd_speed <= 0 &&
	    (!b->pl.have_sample || b->pl.smp.belt_speed < 0.05 ||
	    safety_stopped(&b->pl.safety)))
		session_finish(b);

	if (b->pl.session.state != SESSION_IDLE &&
	    now - b->last_checkpoint >= CHECKPOINT_S) {
		b->last_checkpoint = now;
		record(b, HO_RUNNING);
	}

	if (b->shutting_down && (b->pl.session.state == SESSION_IDLE ||
	    now > b->shutdown_deadline)) {
		if (b->pl.session.state != SESSION_IDLE)
			session_finish(b);
		write_stop_now(b, now);
		b->shutting_down = false;
		if (b->on_idle_shutdown)
			b->on_idle_shutdown(b);
		return;
	}
	if (b->on_tick)
		b->on_tick(b);
}

static void
arm_timer(struct belt *b)
{
	double period = 1.0 / b->cfg.drive.tick_hz;
	struct timeval tv;

	tv.tv_sec = (time_t)period;
	tv.tv_usec = (suseconds_t)((period - (double)tv.tv_sec) * 1e6);
	event_del(b->tick_ev);
	event_add(b->tick_ev, &tv);
}

void
belt_init(struct belt *b, struct event_base *base, const struct config *cfg)
{
	struct safety_limits lim;

	memset(b, 0, sizeof(*b));
	b->cfg = *cfg;
	b->base = base;
	b->t0 = monotime();
	drive_init(&b->drive, cfg);
	limits_from(cfg, &lim);
	pipeline_init(&b->pl, &lim);
	b->tick_ev = event_new(base, -1, EV_PERSIST, tick, b);
	arm_timer(b);
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

void
belt_free(struct belt *b)
{
	workout_close(&b->wk);
	if (b->tick_ev)
		event_free(b->tick_ev);
	b->tick_ev = NULL;
	drive_close(&b->drive);
	free(b->pending_link);
	b->pending_link = NULL;
	if (b->hist != NULL)
		history_close(b->hist);
	b->hist = NULL;
	config_free(&b->cfg);
}

/*
 * After a reload: the new configuration's caps go to the pipeline, which
 * lowers the session's where they are lower.  Today's decision stands
 * otherwise; a raised cap waits for the next session.
 */
static void
recap(struct belt *b)
{
	const struct session *s = &b->pl.session;
	const struct profile *p;
	struct seg_caps easy, hard;

	if (s->runner[0] == '\0') {
		easy = s->easy_caps;
		easy.max_speed = b->cfg.session.max_speed;
		hard = easy;
	} else if ((p = profile_find(&b->cfg.runners, s->runner)) == NULL) {
		log_warnx("reload: profile '%s' is gone; the session keeps the "
		    "caps it started with", s->runner);
		return;
	} else {
		easy.max_speed = p->easy.max_speed;
		easy.max_incline = p->easy.max_incline;
		easy.hr_ceiling = p->easy.hr_ceiling;
		hard.max_speed = p->hard.max_speed;
		hard.max_incline = p->hard.max_incline;
		hard.hr_ceiling = p->hard.hr_ceiling;
		if (strcmp(s->workout, "walk") == 0)
			easy = hard = s->easy_caps;	/* the walk's own */
	}
	pipeline_lower_caps(&b->pl, &easy, &hard);
	log_info("reload: session caps now %.2f km/h, %.1f %%, HR %d",
	    s->easy_caps.max_speed, s->easy_caps.max_incline,
	    s->easy_caps.hr_ceiling);
}

void
belt_reconfigure(struct belt *b, const struct config *nc)
{
	struct safety_limits lim;
	bool retick = nc->drive.tick_hz != b->cfg.drive.tick_hz;

	if (!config_same_link(&b->cfg, nc)) {
		if (b->pl.session.state != SESSION_IDLE)
			log_warnx("reload: the drive link changes after the "
			    "session ends");
		free(b->pending_link);
		b->pending_link = xmalloc(sizeof(*b->pending_link));
		*b->pending_link = *nc;
		memset(&b->pending_link->runners, 0,
		    sizeof(b->pending_link->runners));
	} else {
		/* Same link: new timeouts and limits apply at once. */
		b->drive.cfg = *nc;
		memset(&b->drive.cfg.runners, 0, sizeof(b->drive.cfg.runners));
	}
	config_free(&b->cfg);
	b->cfg = *nc;		/* takes over nc's profiles */
	limits_from(nc, &lim);
	pipeline_set_limits(&b->pl, &lim);
	/* New caps apply from the next tick; the ramps ease them in. */
	if (b->pl.session.state != SESSION_IDLE)
		recap(b);
	if (retick)
		arm_timer(b);
}

void
belt_stop(struct belt *b, unsigned cause, const char *why)
{
	unsigned fresh = pipeline_stop(&b->pl, cause, why);

	if (fresh)
		latched(b, fresh, monotime());
	else
		write_stop_now(b, monotime());	/* already stopped: say it again */
}

/* The day of the last symptom or staff lock in h (very old if none). */
static hday_t
last_reset_day(const struct runner_history *h)
{
	hday_t r = -1000000;

	for (size_t i = 0; i < h->nsymptoms; i++)
		if (h->symptoms[i].day > r)
			r = h->symptoms[i].day;
	for (size_t i = 0; i < h->noverrides; i++)
		if (!h->overrides[i].unlock &&
		    hday_from_time(h->overrides[i].at) > r)
			r = hday_from_time(h->overrides[i].at);
	return r;
}

int
belt_decide(struct belt *b, const struct profile *p, struct decision *d,
    char *why, size_t whylen)
{
	struct runner_history h;
	time_t now = time(NULL);
	hday_t today = hday_from_time(now);
	char err[256] = "";
	int ok = -1;

	memset(&h, 0, sizeof(h));
	if (b->hist != NULL) {
		hday_t since = today - governor_history_days(p);

		ok = history_load(b->hist, p->id, since, &h, err, sizeof(err));
		/*
		 * An unlock lasts until a symptom or a staff lock: when the
		 * last of those is older than the window (or there is none),
		 * the weeks that earned it may be older too, so read from it.
		 */
		hday_t reset = last_reset_day(&h);
		if (ok == 0 && reset < since) {
			history_free(&h);
			ok = history_load(b->hist, p->id, reset, &h, err,
			    sizeof(err));
		}
	} else
		snprintf(err, sizeof(err), "%s", b->hist_error);
	if (ok == -1)
		memset(&h, 0, sizeof(h));
	governor_decide(p, &h, now, today, d);
	if (ok == -1) {
		/* Without the history nothing is earned: the cautious day. */
		if (d->day == DAY_INTERVALS)
			d->day = DAY_EASY;
		d->intervals_allowed = false;
		d->phase = PHASE_BASE;
		d->caps = d->day == DAY_WALK_ONLY ? d->walk : d->easy;
		if (d->nreasons < GOV_REASONS_MAX)
			snprintf(d->reasons[d->nreasons++], GOV_REASON_LEN,
			    "history unavailable (%s): an easy day to be safe",
			    err);
	}
	history_free(&h);
	(void)why;
	(void)whylen;
	return 0;
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
		/* One runner, one belt (the shared history).  If it cannot
		 * tell, she may run: the plan says the history is missing. */
		char where[64], herr[256];
		if (b->hist != NULL && history_running_elsewhere(b->hist,
		    p->id, b->cfg.daemon.name, b->cfg.history.stale_minutes,
		    where, sizeof(where), herr, sizeof(herr)) == 1) {
			snprintf(why, whylen, "%s is already running on "
			    "treadmill %s", p->id, where);
			return -1;
		}
		belt_decide(b, p, &d, why, whylen);
		if (workout_open(&wk, &plan, workout, tname, p, &d,
		    belt_walkrun_stage(b, p), &b->cfg, why, whylen) == -1) {
			size_t off = strlen(why);
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
		workout_close(&wk);
		return -1;
	}
	b->wk = wk;
	workout_stage(&b->wk, &stage);
	pipeline_begin(&b->pl, &plan, &stage);
	memset(&b->rec, 0, sizeof(b->rec));
	if (p != NULL) {
		history_new_id(b->rec.id);
		snprintf(b->rec.runner, sizeof(b->rec.runner), "%s", p->id);
		snprintf(b->rec.workout, sizeof(b->rec.workout), "%s",
		    b->pl.session.workout);
		snprintf(b->rec.treadmill, sizeof(b->rec.treadmill), "%s",
		    b->cfg.daemon.name);
		b->rec.hard = b->pl.session.hard;
		b->rec.start = time(NULL);
		b->rec.planned_min = session_planned_s(&b->pl.session) / 60;
		record(b, HO_RUNNING);
	}
	b->last_checkpoint = monotime();
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
	/* A year back: a step back needs the stage it steps back from. */
	if (history_load(b->hist, p->id, hday_from_time(time(NULL)) - 365, &h,
	    err, sizeof(err)) == -1)
		return 0;
	stage = walkrun_stage(&h, p);
	history_free(&h);
	return stage;
}

int
belt_symptom(struct belt *b, const char *kind, const char **why)
{
	struct hist_symptom sy;

	if (pipeline_symptom(&b->pl, why) == -1)
		return -1;
	log_warnx("symptom reported mid-run (%s): walking, then cool-down",
	    kind);
	if (b->pl.session.runner[0] != '\0' && b->hist != NULL) {
		memset(&sy, 0, sizeof(sy));
		snprintf(sy.runner, sizeof(sy.runner), "%s", b->pl.session.runner);
		sy.at = time(NULL);
		sy.day = hday_from_time(sy.at);
		snprintf(sy.kind, sizeof(sy.kind), "%s", kind);
		snprintf(sy.session_id, sizeof(sy.session_id), "%s",
		    b->rec.id);
		history_add_symptom(b->hist, &sy);
		record(b, HO_RUNNING);
	}
	return 0;
}

int
belt_resume(struct belt *b, const char **why)
{
	char causes[160];
	unsigned was = b->pl.safety.latched;

	if (pipeline_resume(&b->pl, why) == -1)
		return -1;
	log_info("resumed by a person after: %s", safety_causes_str(was,
	    causes, sizeof(causes)));
	return 0;
}

void
belt_shutdown(struct belt *b)
{
	double now = monotime();

	b->shutting_down = true;
	if (b->pl.session.state != SESSION_IDLE) {
		session_end(&b->pl.session, safety_stopped(&b->pl.safety) ?
		    OUTCOME_SAFETY_STOP : OUTCOME_STOPPED);
		log_info("shutting down: ramping the belt down");
	}
	/* Time for the ramp down at the decel limit, and some. */
	b->shutdown_deadline = now + b->pl.safety.cmd_speed /
	    b->cfg.machine.decel + 3.0;
}
