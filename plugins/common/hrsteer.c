/*
 * hrsteer: heart-rate steering shared by the workout plugins; hrsteer.h
 * explains the model, the law and the command.
 */
#include <math.h>
#include <string.h>

#include "hrsteer.h"
#include "plugcheck.h"
#include "plugutil.h"

/* Steering constants (bench/hrsteer.c was used to choose them). */
#define BOOST		3.0	/* overdrive far from the target */
#define BAND		1.5	/* bpm: no overdrive closer than this */
#define DEAD		0.7	/* bpm of predicted error to move */
#define TURN		1.5	/* the same, to reverse the last move */
#define RES		0.05	/* km/h resolution of the command */
#define GAP		3.0	/* s between moves */
#define MAXSTEP		0.2	/* km/h in one move */
#define READ_VAR	2.0	/* bpm^2: variance of a reading */
#define Q_HR		0.003	/* bpm^2/s: model error in hr */
#define Q_SS		0.003	/* bpm^2/s: model error in ss, drift */
#define GAIN_SD		0.3	/* relative error of the model gain */

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int
steer_conf(const struct tm_config *c, const char *plugin, double *margin,
    double *tau, double *gain, char *err, size_t errlen)
{
	if (pu_conf_number(c, plugin, "hr_margin", 3, 0, 30, margin, err,
	    errlen) ||
	    pu_conf_number(c, plugin, "hr_tau", 55, 10, 300, tau, err,
	    errlen) ||
	    pu_conf_number(c, plugin, "hr_gain", 15, 2, 60, gain, err,
	    errlen))
		return -1;
	return 0;
}

void
steer_init(struct steer *s, double tau, double gain)
{
	memset(s, 0, sizeof(*s));
	s->tau = tau;
	s->gain = gain;
}

/* The model runs on by dt: HR heads for ss, and grows less certain. */
static void
steer_predict(struct steer *s, double dt)
{
	double a = 1 - exp(-dt / s->tau), b = 1 - a;

	s->hr += (s->ss - s->hr) * a;
	s->p00 = b * b * s->p00 + 2 * a * b * s->p01 + a * a * s->p11 +
	    Q_HR * dt;
	s->p01 = b * s->p01 + a * s->p11;
	s->p11 += Q_SS * dt;
}

/* A reading y (the mean of one second's): Kalman update. */
static void
steer_correct(struct steer *s, double y)
{
	double S = s->p00 + READ_VAR, k0 = s->p00 / S, k1 = s->p01 / S;
	double e = y - s->hr;

	s->hr += k0 * e;
	s->ss += k1 * e;
	s->p11 = fmax(s->p11 - k1 * s->p01, 1e-9);
	s->p01 *= 1 - k0;
	s->p00 = fmax(s->p00 * (1 - k0), 1e-9);
}

static void
steer_start(struct steer *s, double hr)
{
	/* As if at steady state, and not sure of it. */
	s->hr = s->ss = hr;
	s->p00 = READ_VAR;
	s->p01 = 0;
	s->p11 = 100;
	s->ysum = 0;
	s->ny = 0;
	s->since_y = 0;
	s->primed = 1;
	s->lost_s = 0;
}

void
steer_observe(struct steer *s, int hr, double dt)
{
	if (hr <= 0) {
		/* No signal: let the model run on what it knows. */
		s->lost_s += dt;
		if (s->primed)
			steer_predict(s, dt);
		return;
	}
	if (!s->primed || s->lost_s > s->tau) {
		steer_start(s, hr);
		return;
	}
	s->lost_s = 0;
	if (s->resync) {
		/* Back from a stop: HR fell, the pace it heads for stands. */
		s->hr = hr;
		s->p00 = READ_VAR;
		s->resync = 0;
		return;
	}
	steer_predict(s, dt);
	/* Straps send about one reading a second: correct once a second. */
	s->ysum += hr;
	s->ny++;
	s->since_y += dt;
	if (s->since_y >= 1.0) {
		steer_correct(s, s->ysum / s->ny);
		s->ysum = 0;
		s->ny = 0;
		s->since_y = 0;
	}
}

void
steer_input(struct steer *s, double u)
{
	double du = u - s->u, sd;

	if (s->primed && du != 0) {
		s->ss += s->gain * du;
		/* The gain is a guess: ss is that much less certain. */
		sd = GAIN_SD * s->gain * du;
		s->p11 += sd * sd;
	}
	s->u = u;
}

double
steer_speed(struct steer *s, double target, double lo, double hi,
    double dt, int restart)
{
	double err, over, want, v, off;
	int dir;

	err = target - s->hr;
	over = err > BAND ? err - BAND : err < -BAND ? err + BAND : 0;
	want = target + (BOOST - 1) * over;
	v = clamp(s->u + (want - s->ss) / s->gain, lo, hi);
	if (restart) {
		s->cmd = clamp(round(v / RES) * RES, lo, hi);
		s->since_step = 0;
		s->last_dir = 0;
		return s->cmd;
	}
	s->since_step += dt;
	/* How far off, in bpm of predicted HR, the command is. */
	off = (v - s->cmd) * s->gain;
	dir = off > 0 ? 1 : -1;
	/* Turning back soon after a move is what hunting looks like. */
	if (s->since_step >= GAP && fabs(off) >= (dir == -s->last_dir &&
	    s->since_step < 4 * s->tau ? TURN : DEAD)) {
		v = s->cmd + clamp(v - s->cmd, -MAXSTEP, MAXSTEP);
		s->cmd = clamp(round(v / RES) * RES, lo, hi);
		s->since_step = 0;
		s->last_dir = dir;
	}
	/* Bounds may have moved (a new ceiling, a new cap). */
	return s->cmd = clamp(s->cmd, lo, hi);
}

void
steer_resume(struct steer *s)
{
	s->lost_s = 0;
	s->resync = 1;
}

int
steer_check(const struct tm_check *chk)
{
	/* The ranges steer_conf holds them to. */
	return pc_number(chk, "hr_margin", 0, 30) +
	    pc_number(chk, "hr_tau", 10, 300) +
	    pc_number(chk, "hr_gain", 2, 60);
}
