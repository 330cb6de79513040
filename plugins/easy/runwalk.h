/*
 * runwalk: the easy run's speed under heart-rate steering, for every
 * runner, including the one whose ceiling falls in the step between
 * walking and jogging.
 *
 * A slow jog costs far more than a walk at the same speed.  For a
 * deconditioned runner the easy ceiling often lies in that step: her
 * fastest walk keeps her well under it, her slowest jog takes her over
 * it, and no steady speed holds it.  Steering (hrsteer.h) then hunts
 * across the step.  This file watches what the steering learns: a speed
 * at which her heart heads over the target, and one a little slower at
 * which it heads well under, closer together than any steady answer of a
 * heart to speed would allow.  That is the step, and the run turns to
 * run/walk: jog at the slowest speed known to be too fast until her heart
 * nears the ceiling, walk (uphill where the profile allows incline, so
 * that she stays nearer the ceiling) until it has come down, and again.
 * When a jog phase shows that her heart now heads under the target at the
 * jog, steady steering takes over again.
 *
 * Whatever the mode, a predicted heart rate near the ceiling puts her to
 * a walk at once (the guard), and a lost signal holds the pace for a
 * grace, then walks her down; nothing raises the speed without a signal.
 */
#ifndef PLUGINS_EASY_RUNWALK_H
#define PLUGINS_EASY_RUNWALK_H

#include <stddef.h>

#include "treadmill/plugin.h"
#include "hrsteer.h"

enum rw_mode {
	RW_STEADY = 0,	/* steered to the target */
	RW_JOG,		/* run/walk, jogging */
	RW_WALK,	/* run/walk (or the guard), walking */
};

struct rw_conf {
	double	 margin;	/* bpm under the ceiling to aim for */
	double	 walk_speed;	/* km/h: her walking pace */
	double	 run_speed;	/* km/h: the top of the easy band */
	double	 min_speed;	/* km/h: her slowest easy running pace */
	double	 max_incline;	/* % she may walk uphill, 0 = flat */
	double	 grace;		/* s to hold the pace with no signal */
};

#define RW_REVS	16

struct rw {
	struct rw_conf c;
	int	 mode;		/* enum rw_mode */
	int	 step;		/* a gait step is known: run/walk */
	double	 jog_v;		/* km/h: the slowest jog known */
	double	 jog_hr;	/* bpm: the lowest of the present jog */
	double	 walk_v;	/* km/h: the fastest "jog" that was a walk */
	double	 mean_v;	/* km/h: mean of the steady command */
	struct {
		double	 t, v;		/* when the steady command turned, where */
		int	 up, wide;	/* turned up; a wide swing */
	}	 rev[RW_REVS];
	int	 rev_i;
	int	 last_dir;	/* of its last move */
	double	 turn_v;	/* km/h where it last turned */
	double	 turn_hi, turn_lo;	/* HR's range since then */
	double	 guard_t;	/* when the guard last walked her */
	double	 guard_v;	/* km/h she was steered to then */
	double	 pinned_s;	/* s at the slowest jog heading over */
	double	 phase_s;	/* s into the present mode */
	double	 clock;		/* s of run steered */
	double	 hr, slope;	/* bpm, bpm/s: HR from the readings */
	double	 lost_s;	/* s without a heart-rate signal */
	double	 cmd;		/* km/h proposed last */
	double	 incline;	/* % proposed last */
	int	 switches;	/* run/walk changes of gait so far */
};

void	rw_init(struct rw *w, const struct rw_conf *c);

/*
 * The run's speed this tick (s->hr_ceiling > 0, the steering primed);
 * sets *incline and the label.  restart: the run segment begins, or
 * resumes after a stop.
 */
double	rw_speed(struct rw *w, struct steer *st, const struct tm_sample *s,
	    int restart, double *incline, char *label, size_t len);

#endif
