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
#define DEAD		0.5	/* bpm of predicted error to move */
#define TURN		1.0	/* the same, to reverse the last move */
#define RES		0.05	/* km/h resolution of the command */
#define GAP		3.0	/* s between moves */
#define MAXSTEP		0.2	/* km/h in one move */
#define LEAD_S		60.0	/* s ahead the drift is allowed for */

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
	hrf_init(&s->f, tau, gain);
}

void
steer_observe(struct steer *s, int hr, double dt)
{
	hrf_observe(&s->f, hr, dt);
}

void
steer_input(struct steer *s, double u)
{
	hrf_input(&s->f, u);
}

double
steer_speed(struct steer *s, double target, double lo, double hi,
    double dt, int restart)
{
	double err, over, want, v, off;
	int dir;

	err = target - s->f.hr;
	over = err > BAND ? err - BAND : err < -BAND ? err + BAND : 0;
	want = target + (BOOST - 1) * over;
	/* Where ss will be a little later: the drift does not wait. */
	v = clamp(s->f.u + (want - s->f.ss - s->f.drift * LEAD_S) / s->f.gain,
	    lo, hi);
	if (restart) {
		s->cmd = clamp(round(v / RES) * RES, lo, hi);
		s->since_step = 0;
		s->last_dir = 0;
		return s->cmd;
	}
	s->since_step += dt;
	/* How far off, in bpm of predicted HR, the command is. */
	off = (v - s->cmd) * s->f.gain;
	dir = off > 0 ? 1 : -1;
	/* Turning back soon after a move is what hunting looks like. */
	if (s->since_step >= GAP && fabs(off) >= (dir == -s->last_dir &&
	    s->since_step < 4 * s->f.tau ? TURN : DEAD)) {
		v = s->cmd + clamp(v - s->cmd, -MAXSTEP, MAXSTEP);
		v = clamp(round(v / RES) * RES, lo, hi);
		if (fabs(v - s->cmd) > 1e-9) {
			s->cmd = v;
			s->since_step = 0;
			s->last_dir = dir;
		}
	}
	/* Bounds may have moved (a new ceiling, a new cap). */
	return s->cmd = clamp(s->cmd, lo, hi);
}

void
steer_resume(struct steer *s)
{
	hrf_resume(&s->f);
}

int
steer_check(const struct tm_check *chk)
{
	/* The ranges steer_conf holds them to. */
	return pc_number(chk, "hr_margin", 0, 30) +
	    pc_number(chk, "hr_tau", 10, 300) +
	    pc_number(chk, "hr_gain", 2, 60);
}
