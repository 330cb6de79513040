/*
 * The tick pipeline.  See pipeline.h for the order of the stages; this
 * file is the only place a command is made and the only place the caps
 * are computed, so status and commands ask here rather than recompute.
 */
#include <math.h>
#include <string.h>

#include "pipeline.h"

void
pipeline_init(struct pipeline *p, const struct safety_limits *lim)
{
	memset(p, 0, sizeof(*p));
	safety_init(&p->safety, lim);
}

void
pipeline_set_limits(struct pipeline *p, const struct safety_limits *lim)
{
	safety_set_limits(&p->safety, lim);
}

static void
event(struct pipeline *p, enum pipe_event ev, double value)
{
	if (p->plugin.event != NULL && p->session.state != SESSION_IDLE)
		p->plugin.event(p->plugin.ctx, ev, value);
}

void
pipeline_begin(struct pipeline *p, const struct session *plan,
    const struct pipe_plugin *pi)
{
	p->session = *plan;
	session_begin(&p->session);
	if (pi != NULL)
		p->plugin = *pi;
	else
		memset(&p->plugin, 0, sizeof(p->plugin));
	hr_hold_init(&p->hold, p->session.easy_caps.max_speed,
	    p->session.walk_speed);
	pipeline_caps(p, &p->caps);
}

unsigned
pipeline_observe(struct pipeline *p, const struct sample *raw, bool ran,
    double now, double dt)
{
	struct session *s = &p->session;
	unsigned fresh;

	fresh = safety_observe(&p->safety, raw, now);
	if (raw != NULL) {
		/* From here on only the cleaned sample exists. */
		p->smp = p->safety.last;
		p->have_sample = true;
	}
	if (fresh && s->state != SESSION_IDLE) {
		event(p, PIPE_EV_STOP, 0);
		s->stopped_by_safety = true;
		if (fresh & STOP_FAULT)
			s->fault = true;
	}
	session_tick(s, raw != NULL ? &p->smp : NULL, dt,
	    raw != NULL && ran && !safety_stopped(&p->safety));
	return fresh;
}

/* Everything but the HR hold's update: shared by the tick and queries. */
static void
caps_of(const struct pipeline *p, double hold_cap, struct pipe_caps *out)
{
	const struct session *s = &p->session;
	const struct seg_caps *c;

	memset(out, 0, sizeof(*out));
	if (s->state == SESSION_IDLE)
		return;
	c = session_caps(s);
	out->speed = c->max_speed;
	out->incline = c->max_incline;
	out->hr_ceiling = c->hr_ceiling;
	if (c->hr_ceiling > 0 && hold_cap < out->speed)
		out->speed = hold_cap;
	/* A walk-down is a cap: nothing asks the belt past walking pace. */
	if (s->walk_cap > 0) {
		out->walkdown = true;
		if (s->walk_cap < out->speed)
			out->speed = s->walk_cap;
	}
}

void
pipeline_caps(const struct pipeline *p, struct pipe_caps *out)
{
	/* The hold's cap as the last tick left it: it moves only there. */
	caps_of(p, p->hold.cap, out);
}

double
pipeline_speed_limit(const struct pipeline *p)
{
	struct pipe_caps c;

	pipeline_caps(p, &c);
	return c.speed < p->safety.lim.max_speed ? c.speed :
	    p->safety.lim.max_speed;
}

double
pipeline_incline_max(const struct pipeline *p)
{
	struct pipe_caps c;

	pipeline_caps(p, &c);
	return c.incline < p->safety.lim.max_incline ? c.incline :
	    p->safety.lim.max_incline;
}

/* Stage: this tick's caps, the HR hold run on the cleaned sample. */
static double
stage_caps(struct pipeline *p, double dt)
{
	const struct session *s = &p->session;
	const struct seg_caps *c;
	double hold = p->hold.cap;

	if (s->state != SESSION_IDLE) {
		c = session_caps(s);
		if (c->hr_ceiling > 0 && p->have_sample)
			hold = hr_hold_update(&p->hold, p->smp.heart_rate,
			    c->hr_ceiling, c->max_speed, p->smp.belt_speed, dt);
	}
	caps_of(p, hold, &p->caps);
	return hold;
}

/* Stage: the runner's console keys, from the cleaned sample. */
static void
stage_console(struct pipeline *p)
{
	struct session *s = &p->session;
	double req;
	const char *why;

	if (!p->have_sample || s->state == SESSION_IDLE)
		return;
	req = p->smp.console_request;
	if (req > 0 && fabs(req - s->last_console) > 0.005)
		(void)pipeline_request_speed(p, req, &why);
	s->last_console = req;
}

void
pipeline_command(struct pipeline *p, double now, double dt,
    struct command *c)
{
	struct session *s = &p->session;
	double target, incline, hold;

	hold = stage_caps(p, dt);
	if (s->use_plugin && p->plugin.propose != NULL &&
	    s->state == SESSION_RUNNING && !safety_stopped(&p->safety)) {
		p->plugin.propose(p->plugin.ctx, s, p->have_sample ? &p->smp :
		    NULL, &p->caps, dt);
		/* Its intensity picks the caps; a failure, a walk-down. */
		caps_of(p, hold, &p->caps);
	}
	stage_console(p);
	target = session_target_speed(s);
	incline = session_target_incline(s);
	if (s->state != SESSION_IDLE && incline > p->caps.incline)
		incline = p->caps.incline;
	safety_command(&p->safety, target, incline, s->state == SESSION_IDLE ?
	    0 : p->caps.speed, now, c);
}

unsigned
pipeline_stop(struct pipeline *p, unsigned cause, const char *why)
{
	unsigned fresh = safety_stop(&p->safety, cause, why);

	if (fresh && p->session.state != SESSION_IDLE) {
		event(p, PIPE_EV_STOP, 0);
		p->session.stopped_by_safety = true;
	}
	return fresh;
}

int
pipeline_resume(struct pipeline *p, const char **why)
{
	if (safety_resume(&p->safety, why) == -1)
		return -1;
	event(p, PIPE_EV_RESUME, 0);
	return 0;
}

int
pipeline_request_speed(struct pipeline *p, double kmh, const char **why)
{
	if (session_request_speed(&p->session, kmh, why) == -1)
		return -1;
	event(p, PIPE_EV_REQUEST, kmh);
	return 0;
}

int
pipeline_request_incline(struct pipeline *p, double pct, const char **why)
{
	if (p->session.state != SESSION_RUNNING) {
		*why = "no session is running";
		return -1;
	}
	session_request_incline(&p->session, pct);
	return 0;
}

int
pipeline_symptom(struct pipeline *p, const char **why)
{
	if (p->session.state == SESSION_IDLE) {
		*why = "no session is running: report it at check-in";
		return -1;
	}
	event(p, PIPE_EV_SYMPTOM, 0);
	session_symptom(&p->session);
	return 0;
}

int
pipeline_end(struct pipeline *p, const char **why)
{
	if (p->session.state == SESSION_IDLE) {
		*why = "no session to end";
		return -1;
	}
	event(p, PIPE_EV_END, 0);
	session_end(&p->session, safety_stopped(&p->safety) ?
	    OUTCOME_SAFETY_STOP : OUTCOME_STOPPED);
	return 0;
}

static void
lower(struct seg_caps *c, const struct seg_caps *n)
{
	if (n->max_speed < c->max_speed)
		c->max_speed = n->max_speed;
	if (n->max_incline < c->max_incline)
		c->max_incline = n->max_incline;
	if (n->hr_ceiling > 0 && (c->hr_ceiling == 0 ||
	    n->hr_ceiling < c->hr_ceiling))
		c->hr_ceiling = n->hr_ceiling;
}

void
pipeline_lower_caps(struct pipeline *p, const struct seg_caps *easy,
    const struct seg_caps *hard)
{
	struct session *s = &p->session;

	if (s->state == SESSION_IDLE)
		return;
	lower(&s->easy_caps, easy);
	lower(&s->hard_caps, hard);
	/* The hold starts from no more than the new cap. */
	if (p->hold.cap > s->easy_caps.max_speed)
		p->hold.cap = s->easy_caps.max_speed;
	pipeline_caps(p, &p->caps);
}

void
pipeline_finish(struct pipeline *p)
{
	p->session.state = SESSION_IDLE;
	memset(&p->plugin, 0, sizeof(p->plugin));
	memset(&p->caps, 0, sizeof(p->caps));
	safety_disable(&p->safety);
}
