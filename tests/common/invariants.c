/*
 * An independent model of the safety core's invariants (invariants.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "invariants.h"

#define EPS	1e-9

static char msg[256];

static const char *broke(const char *, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
broke(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return msg;
}

void
inv_init(struct inv_model *m, const struct safety_limits *lim)
{
	memset(m, 0, sizeof(*m));
	m->lim = *lim;
}

void
inv_set_limits(struct inv_model *m, const struct safety_limits *lim)
{
	m->lim = *lim;
}

static const char *
check_hb(struct inv_model *m, uint16_t hb)
{
	if (m->have_hb && hb == m->prev_hb)
		return broke("invariant 4: heartbeat repeated: %u",
		    (unsigned)hb);
	m->prev_hb = hb;
	m->have_hb = true;
	return NULL;
}

/* The causes a sample shows, judged by the limits in force. */
static unsigned
causes_of(const struct sample *p, const struct safety_limits *l)
{
	unsigned c = 0;

	if (p->estop)
		c |= STOP_ESTOP;
	if (!p->key)
		c |= STOP_KEY;
	if (p->stop_key)
		c |= STOP_CONSOLE;
	if (p->fault)
		c |= STOP_FAULT;
	if (p->watchdog)
		c |= STOP_WATCHDOG;
	if (isnan(p->belt_speed) || p->belt_speed < 0 ||
	    p->belt_speed > l->drive_max_speed + l->speed_tolerance ||
	    isnan(p->incline) || p->incline < l->min_incline - 5.0 ||
	    p->incline > l->max_incline + 5.0)
		c |= STOP_IMPLAUSIBLE;
	return c;
}

const char *
inv_observed(struct inv_model *m, const struct safety *s,
    const struct sample *smp, unsigned fresh)
{
	unsigned want;
	char names[160];

	m->last_null = smp == NULL;
	if (smp != NULL) {
		m->have_sample = true;
		m->last = *smp;
		m->seen_lim = m->lim;
		m->nulls = 0;
		want = causes_of(smp, &m->lim);
	} else
		want = ++m->nulls >= m->lim.comm_loss_ticks ? STOP_COMM : 0;
	if (fresh)
		m->latched = true;
	if ((s->latched & want) != want)
		return broke("invariant 3: the drive shows %s, yet it is not "
		    "latched", safety_causes_str(want & ~s->latched, names,
		    sizeof(names)));
	if (safety_stopped(s) != m->latched)
		return broke("stopped is %d, the model says %d",
		    safety_stopped(s), m->latched);
	return NULL;
}

const char *
inv_stop_written(struct inv_model *m, const struct safety *s, unsigned fresh,
    const struct command *c)
{
	(void)s;
	if (fresh == 0)
		return NULL;
	m->latched = true;
	m->stops++;
	for (int i = 0; i < 8; i++)
		if (fresh & (1u << i))
			m->per_cause[i]++;
	if (c->run || c->speed != 0)
		return broke("invariant 3: the stop command has RUN %d, "
		    "speed %g", c->run, c->speed);
	m->prev_speed = 0;
	return check_hb(m, c->heartbeat);
}

/*
 * Could a resume possibly be accepted, judging by the last sample and
 * the limits in force when it was read?  (A reload in between changes
 * nothing until the next sample.)
 */
static bool
resume_possible(const struct inv_model *m)
{
	const struct sample *p = &m->last;
	const struct safety_limits *l = &m->seen_lim;

	if (m->last_null || !m->have_sample)
		return false;
	if (p->estop || !p->key)
		return false;
	if (isnan(p->belt_speed) || p->belt_speed < 0 ||
	    p->belt_speed > l->drive_max_speed + l->speed_tolerance)
		return false;
	if (isnan(p->incline) || p->incline < l->min_incline - 5.0 ||
	    p->incline > l->max_incline + 5.0)
		return false;
	return true;
}

const char *
inv_person(struct inv_model *m, const struct safety *s, bool start, int rc,
    const char *why)
{
	if (rc == 0) {
		if (!resume_possible(m))
			return broke("invariant 3: a %s was accepted while a "
			    "cause is present", start ? "start" : "resume");
		m->latched = false;
		m->expect_reset = true;
		if (start)
			m->enabled = true;
		else
			m->resumes++;
	} else {
		if (why == NULL || why[0] == '\0')
			return "a refused start or resume gave no reason";
		m->refusals++;
	}
	if (safety_stopped(s) != m->latched)
		return broke("stopped is %d, the model says %d",
		    safety_stopped(s), m->latched);
	return NULL;
}

void
inv_disabled(struct inv_model *m)
{
	m->enabled = false;
}

const char *
inv_command(struct inv_model *m, double cap, double t,
    const struct command *c)
{
	const struct safety_limits *l = &m->lim;
	double dt, eff, maxup, maxdown;
	const char *v;

	dt = m->have_cmd_t ? fmin(fmax(t - m->last_cmd_t, 0), l->max_dt) : 0;
	m->last_cmd_t = t;
	m->have_cmd_t = true;

	/* 1: min(machine max, cap), or on the way down to it */
	eff = l->max_speed;
	if (isnan(cap) || cap < eff)
		eff = isnan(cap) ? 0 : cap;
	if (eff < 0)
		eff = 0;
	if (!isfinite(c->speed) || c->speed < 0)
		return broke("invariant 1: commanded speed %g", c->speed);
	if (c->speed > fmax(eff, m->prev_speed - l->decel * dt) + EPS)
		return broke("invariant 1: commanded %.12g above the cap %.12g",
		    c->speed, eff);
	/* 2: the ramps, except to 0 with RUN 0 */
	maxup = m->prev_speed + l->accel * dt + EPS;
	maxdown = m->prev_speed - l->decel * dt - EPS;
	if (c->speed > maxup)
		return broke("invariant 2: %.12g is faster than the ramp up "
		    "allows (%.12g)", c->speed, maxup);
	if (!(c->speed == 0 && !c->run) && c->speed < maxdown)
		return broke("invariant 2: %.12g is slower than the ramp down "
		    "allows (%.12g)", c->speed, maxdown);
	/* 3: RUN only while no cause is latched since a resume */
	if (c->run) {
		if (m->latched)
			return "invariant 3: RUN 1 with a cause latched";
		if (!m->enabled)
			return "invariant 3: RUN 1 without a person's start";
		if (m->expect_reset)
			return "invariant 3: RUN 1 before the RESET edge";
		m->runs++;
	} else if (c->speed != 0)
		return broke("RUN 0 with speed %g", c->speed);
	if (m->expect_reset) {
		if (!c->reset)
			return "invariant 3: no RESET after a start or resume";
		m->expect_reset = false;
	}
	if (c->reset && c->run)
		return "invariant 3: RESET and RUN in one command";
	if (!(c->incline >= l->min_incline - EPS &&
	    c->incline <= l->max_incline + EPS))
		return broke("incline %g outside the machine's range (max %g)",
		    c->incline, l->max_incline);
	/* 4: the heartbeat */
	if ((v = check_hb(m, c->heartbeat)) != NULL)
		return v;
	m->prev_speed = c->speed;
	return NULL;
}
