/*
 * The belt loop: one EV_PERSIST timer drives the tick, which writes the
 * pipeline's command to the drive, feeds the drive's answer back to it
 * and records the session.  Everything in it is bounded by the Modbus
 * response timeout.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "belt.h"
#include "log.h"
#include "record.h"
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
	ctr_stop(&b->ctr, fresh);
	log_warnx("STOP: %s%s%s", safety_causes_str(fresh, causes,
	    sizeof(causes)), b->pl.safety.detail[0] ? " - " : "",
	    b->pl.safety.detail);
}

static void
session_finish(struct belt *b)
{
	record_end(b);
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
	unsigned long sof;
	unsigned fresh;
	int ok = -1;

	(void)fd;
	(void)what;
	dt = b->ticks ? now - b->last_tick : 0;
	if (b->ticks)
		ctr_tick(&b->ctr, dt);
	b->last_tick = now;
	b->ticks++;

	apply_pending_link(b);
	drive_poll_connect(&b->drive, now);

	pipeline_command(&b->pl, now, dt, &c);
	sof = b->drive.stops_on_failure;
	if (b->drive.connected)
		ok = drive_transact(&b->drive, &c, &smp, now);
	if (ok == 0)
		b->last_cmd = c;
	fresh = pipeline_observe(&b->pl, ok == 0 ? &smp : NULL, c.run, now,
	    dt);
	/*
	 * A failed link was told RUN=0 before it was closed: the drive has
	 * stopped, and a RUN=1 after the reconnect would be a new RUN edge,
	 * a restart nobody asked for.  So it is a stop, whatever the count
	 * of failures says.
	 */
	if (b->drive.stops_on_failure != sof && c.run)
		fresh |= pipeline_stop(&b->pl, STOP_COMM, "comm loss: "
		    "the drive link failed and was told to stop");
	if (fresh)
		latched(b, fresh, now);

	/* A session is over once its cool-down has brought the belt to 0. */
	if (b->pl.session.state == SESSION_COOLDOWN && b->pl.safety.cmd_speed <= 0 &&
	    (!b->pl.have_sample || b->pl.smp.belt_speed < 0.05 ||
	    safety_stopped(&b->pl.safety)))
		session_finish(b);

	record_checkpoint(b, now);

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

int
belt_symptom(struct belt *b, const char *kind, const char **why)
{
	if (pipeline_symptom(&b->pl, why) == -1)
		return -1;
	/* Which symptom is health data: at debug only. */
	log_warnx("a symptom was reported mid-run: walking, then cool-down");
	log_debug("symptom reported mid-run: %s", kind);
	record_symptom(b, kind);
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
