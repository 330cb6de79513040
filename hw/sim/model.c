/*
 * Belt, incline, latches and heart rate of the simulated drive
 * (shared/spec/reference-drive.md, "Drive behaviour").
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "model.h"

static double
approach(double x, double target, double step)
{
	if (step < 0)
		step = 0;
	if (x < target)
		return x + step < target ? x + step : target;
	return x - step > target ? x - step : target;
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

bool
sim_model_ready(const struct sim_model *m)
{
	return !m->estop && m->key_in && !m->fault && !m->watchdog &&
	    !m->stop_key;
}

bool
sim_model_running(const struct sim_model *m)
{
	return m->speed > SIM_MOVING_KMH || m->armed;
}

/*
 * Once stopped by ESTOP, KEY or a latch (or RUN dropped), only a new RUN
 * 0->1 edge may start the belt again: releasing the cause is not enough.
 */
static void
disarm_if_unready(struct sim_model *m)
{
	if (!m->cmd.run || !sim_model_ready(m))
		m->armed = false;
}

void
sim_model_init(struct sim_model *m, const struct sim_cmd *poweron, double now)
{
	memset(m, 0, sizeof(*m));
	m->cmd = *poweron;
	m->key_in = true;
	m->hr_on = true;
	m->hrp.rest = 65;
	m->hrp.max = 185;
	m->hrp.tau = 45;
	m->hrp.k_speed = 10;	/* 8 km/h flat ~145, 10 km/h ~165 */
	m->hrp.k_grade = 0.7;
	m->hrp.drift = 0.2;
	m->hrp.walk = 0.7;	/* 5 km/h walking ~100 */
	/*
	 * A deconditioned runner: her fastest walk (7.4 km/h) ~117, her
	 * slowest jog (7.5 km/h) ~140, so a 75 % ceiling (139) lies in the
	 * step and no steady speed holds it.
	 */
	m->hrp.gait = 7.5;
	m->hrp.gait_width = 0;
	m->hr = m->hrp.rest;
	m->estop_rate = SIM_ESTOP_RATE;
	m->incline_rate = SIM_INCLINE_RATE;
	m->t = now;
	m->wd_ref = now;
}

double
sim_model_hr_steady(const struct sim_model *m)
{
	const struct sim_hr_params *p = &m->hrp;
	double v = m->speed, w = p->gait_width / 2, gait, hr;

	if (w <= 0)
		gait = v < p->gait ? p->walk : 1.0;
	else if (v <= p->gait - w)
		gait = p->walk;
	else if (v >= p->gait + w)
		gait = 1.0;
	else
		gait = p->walk + (1.0 - p->walk) * (v - (p->gait - w)) /
		    (2 * w);
	hr = p->rest + p->k_speed * v * gait + p->k_grade * v * m->incline;
	return clamp(hr, p->rest, p->max);
}

static void
hr_step(struct sim_model *m, double dt)
{
	const struct sim_hr_params *p = &m->hrp;
	double k = 1.0 - exp(-dt / p->tau), target;

	/* Drift builds while running and fades at rest. */
	if (m->speed > SIM_MOVING_KMH)
		m->hr_drift += p->drift / 60.0 * dt;
	else
		m->hr_drift -= m->hr_drift * k;
	target = clamp(sim_model_hr_steady(m) + m->hr_drift, p->rest, p->max);
	m->hr += (target - m->hr) * k;
}

unsigned
sim_model_tick(struct sim_model *m, double now)
{
	unsigned ev = 0;
	double dt = now - m->t, old, target, rate;

	if (dt <= 0)
		return 0;
	m->t = now;

	if (m->cmd.watchdog_ms > 0 && m->cmd.run && !m->watchdog &&
	    now - m->wd_ref >= m->cmd.watchdog_ms / 1000.0 - 1e-9) {
		m->watchdog = true;
		ev |= SIM_EV_WATCHDOG;
	}
	disarm_if_unready(m);

	old = m->speed;
	if (m->armed) {
		target = m->cmd.speed_kmh;
		rate = m->speed < target ? m->cmd.accel : m->cmd.decel;
	} else {
		target = 0;
		rate = m->estop || !m->key_in ? m->estop_rate : m->cmd.decel;
	}
	m->speed = approach(m->speed, target, rate * dt);
	m->distance += (old + m->speed) / 2.0 / 3.6 * dt;
	if (old > 0 && m->speed <= 0)
		ev |= SIM_EV_STOPPED;

	/* The incline motor is cut by ESTOP only. */
	if (!m->estop)
		m->incline = approach(m->incline, m->cmd.incline_pct,
		    m->incline_rate * dt);

	hr_step(m, dt);
	return ev;
}

unsigned
sim_model_command(struct sim_model *m, const struct sim_cmd *c, double now)
{
	struct sim_cmd old = m->cmd;
	bool wd_was = old.watchdog_ms > 0 && old.run;
	unsigned ev = sim_model_tick(m, now);

	m->cmd = *c;
	/* RESET first, so RESET+RUN in one write starts a latched drive. */
	if (c->reset && !old.reset) {
		m->fault = m->watchdog = m->stop_key = false;
		m->fault_code = 0;
		m->wd_ref = now;
		ev |= SIM_EV_RESET;
	}
	/* The watchdog window opens when it starts to apply or hb changes. */
	if ((c->watchdog_ms > 0 && c->run && !wd_was) ||
	    c->heartbeat != old.heartbeat)
		m->wd_ref = now;
	if (c->run && !old.run) {
		m->console_kmh = 0;
		if (sim_model_ready(m)) {
			m->armed = true;
			ev |= SIM_EV_RUN_EDGE;
		}
	}
	disarm_if_unready(m);
	return ev;
}

unsigned
sim_model_set_estop(struct sim_model *m, bool on, double now)
{
	unsigned ev = sim_model_tick(m, now);

	m->estop = on;
	disarm_if_unready(m);
	return ev;
}

unsigned
sim_model_set_key(struct sim_model *m, bool in, double now)
{
	unsigned ev = sim_model_tick(m, now);

	m->key_in = in;
	disarm_if_unready(m);
	return ev;
}

unsigned
sim_model_press_stop(struct sim_model *m, double now)
{
	unsigned ev = sim_model_tick(m, now);

	m->stop_key = true;
	disarm_if_unready(m);
	return ev;
}

unsigned
sim_model_set_fault(struct sim_model *m, int code, double now)
{
	unsigned ev = sim_model_tick(m, now);

	m->fault = true;
	m->fault_code = code;
	disarm_if_unready(m);
	return ev;
}

void
sim_model_set_request(struct sim_model *m, double kmh)
{
	m->console_kmh = kmh;
}

/* Run-time tunables (ctl "set"), all doubles inside struct sim_model. */
static const struct param {
	const char	*name;
	size_t		 off;
	double		 min, max;
} params[] = {
	{ "hr_rest",	  offsetof(struct sim_model, hrp.rest),	   20, 250 },
	{ "hr_max",	  offsetof(struct sim_model, hrp.max),	   40, 250 },
	{ "hr_tau",	  offsetof(struct sim_model, hrp.tau),	   0.1, 3600 },
	{ "hr_k_speed",	  offsetof(struct sim_model, hrp.k_speed), 0, 100 },
	{ "hr_k_grade",	  offsetof(struct sim_model, hrp.k_grade), -100, 100 },
	{ "hr_drift",	  offsetof(struct sim_model, hrp.drift),   -10, 10 },
	{ "hr_walk",	  offsetof(struct sim_model, hrp.walk),	   0, 2 },
	{ "hr_gait",	  offsetof(struct sim_model, hrp.gait),	   0, 25 },
	{ "hr_gait_width", offsetof(struct sim_model, hrp.gait_width), 0, 10 },
	{ "hr",		  offsetof(struct sim_model, hr),	   0, 250 },
	{ "estop_rate",	  offsetof(struct sim_model, estop_rate),  0.1, 100 },
	{ "incline_rate", offsetof(struct sim_model, incline_rate), 0.01, 100 },
};

static const struct param *
param_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i].name, name) == 0)
			return &params[i];
	return NULL;
}

int
sim_model_get_param(const struct sim_model *m, const char *name, double *v)
{
	const struct param *p = param_find(name);

	if (p == NULL)
		return -1;
	memcpy(v, (const char *)m + p->off, sizeof(*v));
	return 0;
}

int
sim_model_set_param(struct sim_model *m, const char *name, double v,
    const char **err)
{
	const struct param *p = param_find(name);

	if (p == NULL) {
		*err = "unknown parameter";
		return -1;
	}
	if (!isfinite(v) || v < p->min || v > p->max) {
		*err = "value out of range";
		return -1;
	}
	if ((strcmp(name, "hr_rest") == 0 && v >= m->hrp.max) ||
	    (strcmp(name, "hr_max") == 0 && v <= m->hrp.rest)) {
		*err = "hr_rest must stay below hr_max";
		return -1;
	}
	memcpy((char *)m + p->off, &v, sizeof(v));
	return 0;
}
