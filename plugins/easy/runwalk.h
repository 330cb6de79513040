/*
 * runwalk: the easy run's speed under heart-rate steering, for every
 * runner, including the one whose ceiling falls in the step between
 * walking and jogging.
 *
 * A slow jog costs far more than a walk at the same speed.  For a
 * deconditioned runner the easy ceiling often lies in that step: her
 * fastest walk keeps her well under it, her slowest jog takes her over
 * it, and no steady speed holds it.  Steering (hrsteer.h) then hunts
 * across the step, and its model, wrong there, is slow to see HR rise.
 *
 * Until the steering has once held her steadily (HR near the target for
 * two minutes, or three without turning back), and for five minutes
 * after a small move crossed a change of gait (the filter saw HR answer
 * it far beyond any gait's gain), it aims 2 bpm lower and goes faster at
 * most once in 40 s: what the model does not yet know of her shows as HR
 * rising faster than the strap's noise lets it see, and faster is what
 * takes her over, slower never does.
 *
 * hunt.h watches the steering: two crossings at the same speeds, HR
 * swinging widely while the speed hardly moves, turning back and forth
 * widely, or steadily between the same two speeds some way apart, or
 * coming near the ceiling twice in ten minutes (each time it pulls the
 * speed back at once: the guard) is the hunt, not a steady hold, and the
 * run turns to run/walk.  Jog until HR, as the filter (told of each change
 * of gait) sees it 5 s ahead, is 1 bpm under the target; walk (uphill for
 * the first two minutes where the profile allows incline, so that she
 * stays nearer the ceiling) until it is 5 bpm under it; again.  The jog
 * starts at the slowest jog of the crossings (or the mean speed of the
 * hunt) and goes 0.1 km/h slower each time, to her slowest jog, above any
 * speed where HR fell (a walk for her).  A jog that keeps her under the
 * target for 150 s means her heart has settled: steady steering again, no
 * slower than that jog.
 *
 * A lost signal holds the pace for a grace, then walks her down; nothing
 * raises the speed without a signal, and steering resumes from the walk.
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
	double	 jog_hr;	/* bpm 15 s into the present jog (0: not yet) */
	double	 walk_v;	/* km/h: the fastest "jog" that was a walk */
	double	 mean_v;	/* km/h: mean of the steady command */
	struct {
		double	 t, v;	/* when the steady command turned, where */
		int	 up, wide;	/* turned up; a wide swing */
	}	 rev[RW_REVS];
	int	 rev_i;
	struct {
		double	 t, lo, hi;	/* a move lo-hi crossed a step */
	}	 cross[2];
	struct {
		double	 t, vlo, vhi;	/* a swing of HR ended at t; speeds */
	}	 swing[3];
	int	 swing_dir;	/* HR heading up (1) or down (-1) */
	double	 swing_x;	/* its extreme so far */
	double	 swing_vlo, swing_vhi;	/* speeds since the last swing */
	int	 last_dir;	/* of its last move */
	double	 turn_v;	/* km/h where it last turned */
	double	 turn_t;	/* when it last turned back */
	int	 settled;	/* it has held her steadily once */
	double	 held_s;	/* s HR has stayed near the target */
	double	 unsure;	/* bpm it aims lower, not sure of her */
	double	 up_t;		/* when it last went faster */
	double	 turn_hi, turn_lo;	/* HR's range since then */
	double	 guard_t;	/* when the guard last walked her */
	double	 guard_v;	/* km/h she was steered to then */
	double	 near_s;	/* s the filter has seen her near the ceiling */
	double	 pinned_s;	/* s at the slowest jog heading over */
	double	 phase_s;	/* s into the present mode */
	double	 clock;		/* s of run steered */
	double	 hr, slope;	/* bpm, bpm/s: HR from the readings */
	double	 lost_s;	/* s without a heart-rate signal */
	double	 cmd;		/* km/h proposed last */
	double	 incline;	/* % proposed last */
	int	 switches;	/* run/walk changes of gait so far */
	int	 gait;		/* one now: tell the filter */
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
