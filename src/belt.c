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

	safety_stop_command(&b->safety, &c);
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
	    sizeof(causes)), b->safety.detail[0] ? " - " : "",
	    b->safety.detail);
	if (b->session.state != SESSION_IDLE)
		b->session.stopped_by_safety = true;
}

static void
session_finish(struct belt *b)
{
	struct session *s = &b->session;

	log_info("session ended: %s, %.1f min, %.2f km, avg %.2f km/h, "
	    "max %.2f km/h%s", session_outcome_name(s->outcome),
	    s->elapsed_s / 60, s->distance_m / 1000,
	    s->elapsed_s > 0 ? s->speed_sum / s->elapsed_s : 0, s->max_speed,
	    s->hr_max ? "" : ", no heart rate");
	s->state = SESSION_IDLE;
	safety_disable(&b->safety);
}

static void
apply_pending_link(struct belt *b)
{
	char desc[256];

	if (b->pending_link == NULL || b->session.state != SESSION_IDLE)
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
	double now = monotime(), dt, cap;
	unsigned fresh;
	int ok = -1;

	(void)fd;
	(void)what;
	dt = b->ticks ? now - b->last_tick : 0;
	b->last_tick = now;
	b->ticks++;

	apply_pending_link(b);
	drive_poll_connect(&b->drive, now);

	cap = b->session.state == SESSION_IDLE ? 0 : b->session.cap;
	safety_command(&b->safety, session_target_speed(&b->session),
	    session_target_incline(&b->session), cap, now, &c);
	if (b->drive.connected)
		ok = drive_transact(&b->drive, &c, &smp, now);
	if (ok == 0) {
		b->last_cmd = c;
		b->last_sample = smp;
		b->have_sample = true;
	}
	fresh = safety_observe(&b->safety, ok == 0 ? &smp : NULL, now);
	if (fresh)
		latched(b, fresh, now);

	session_tick(&b->session, ok == 0 ? &smp : NULL, dt,
	    ok == 0 && c.run && !safety_stopped(&b->safety));
	/* A session is over once its cool-down has brought the belt to 0. */
	if (b->session.state == SESSION_COOLDOWN && b->safety.cmd_speed <= 0 &&
	    (!b->have_sample || b->last_sample.belt_speed < 0.05 ||
	    safety_stopped(&b->safety)))
		session_finish(b);

	if (b->shutting_down && (b->session.state == SESSION_IDLE ||
	    now > b->shutdown_deadline)) {
		if (b->session.state != SESSION_IDLE)
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
	safety_init(&b->safety, &lim);
	b->tick_ev = event_new(base, -1, EV_PERSIST, tick, b);
	arm_timer(b);
}

void
belt_free(struct belt *b)
{
	if (b->tick_ev)
		event_free(b->tick_ev);
	b->tick_ev = NULL;
	drive_close(&b->drive);
	free(b->pending_link);
	b->pending_link = NULL;
}

void
belt_reconfigure(struct belt *b, const struct config *nc)
{
	struct safety_limits lim;
	bool retick = nc->drive.tick_hz != b->cfg.drive.tick_hz;

	if (!config_same_link(&b->cfg, nc)) {
		if (b->session.state != SESSION_IDLE)
			log_warnx("reload: the drive link changes after the "
			    "session ends");
		free(b->pending_link);
		b->pending_link = xmalloc(sizeof(*b->pending_link));
		*b->pending_link = *nc;
	} else {
		/* Same link: new timeouts and limits apply at once. */
		struct drive keep = b->drive;
		keep.cfg = *nc;
		b->drive = keep;
	}
	b->cfg = *nc;
	limits_from(nc, &lim);
	safety_set_limits(&b->safety, &lim);
	/* The session cap follows the new setting; the ramp eases it in. */
	if (b->session.state != SESSION_IDLE)
		b->session.cap = nc->session.max_speed;
	if (retick)
		arm_timer(b);
}

void
belt_stop(struct belt *b, unsigned cause, const char *why)
{
	unsigned fresh = safety_stop(&b->safety, cause, why);

	if (fresh)
		latched(b, fresh, monotime());
	else
		write_stop_now(b, monotime());	/* already stopped: say it again */
}

int
belt_start(struct belt *b, const char **why)
{
	if (b->shutting_down) {
		*why = "the daemon is shutting down";
		return -1;
	}
	if (b->session.state != SESSION_IDLE) {
		*why = safety_stopped(&b->safety) ?
		    "a session is in progress but stopped: 'resume' or 'end' it" :
		    "a session is already running";
		return -1;
	}
	if (safety_start(&b->safety, why) == -1)
		return -1;
	session_begin(&b->session, b->cfg.session.speed,
	    b->cfg.session.incline, b->cfg.session.max_speed,
	    b->cfg.session.minutes * 60);
	log_info("session started: %.2f km/h at %.1f %% for %.1f min",
	    b->cfg.session.speed, b->cfg.session.incline,
	    b->cfg.session.minutes);
	return 0;
}

int
belt_resume(struct belt *b, const char **why)
{
	char causes[160];
	unsigned was = b->safety.latched;

	if (safety_resume(&b->safety, why) == -1)
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
	if (b->session.state != SESSION_IDLE) {
		session_end(&b->session, safety_stopped(&b->safety) ?
		    OUTCOME_SAFETY_STOP : OUTCOME_STOPPED);
		log_info("shutting down: ramping the belt down");
	}
	/* Time for the ramp down at the decel limit, and some. */
	b->shutdown_deadline = now + b->safety.cmd_speed /
	    b->cfg.machine.decel + 3.0;
}
