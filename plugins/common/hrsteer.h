/*
 * hrsteer: heart-rate steering shared by the workout plugins (the easy
 * run, and the intervals plugin's reps worked at a heart rate).  Built
 * into each plugin; nothing here is exported from the .so.
 *
 * Heart rate answers a speed change like a first-order lag (tau 40-60 s)
 * on a slow upward drift, and its gain in bpm per km/h differs from runner
 * to runner and from walking to running.  A controller that acts on HR as
 * measured either hunts or crawls: by the time HR shows a change the belt
 * has gone too far.  This one steers a model of the runner instead:
 *
 *   observer  hrfilter.h: where HR is now (hr) and where the present
 *             speed leads it (ss), through a strap's slow noise, with the
 *             drift; its correction of ss is the integral action that
 *             takes out gain error and drift.
 *   law       the speed whose ss, a minute of drift ahead, brings HR to
 *             the target; far from the target (more than BAND),
 *             overdriven (BOOST) so that the rise at the start of the run
 *             is not slower than it must be.
 *   command   moves in 0.05 km/h steps, at most 0.2 km/h every 3 s, and
 *             only when the model says it is 0.5 bpm off (about half a
 *             step: it rounds to the nearest step, with a little
 *             hysteresis; 1 bpm to turn back within four time constants
 *             of the last move), so the belt does not twitch with every
 *             beat and does not hunt.
 *
 * The model's time constant (hr_tau, 55 s) sits at the slow end of what
 * runners show: a model slower than the runner overestimates where HR is
 * heading while it rises, so it errs on the side of settling late, not
 * of running over the ceiling.  Its gain (hr_gain, 15 bpm per km/h) is a
 * middle one; the filter learns the rest.
 *
 * bench/hrsteer.c measures it against the common step rule and a plain PI
 * (bench/README.md, "HR steering").
 *
 * Use, every tick: steer_observe() with the measured HR, then (when the
 * segment is steered) steer_speed() for the speed to propose, and last
 * steer_input() with the speed the belt will really run at.
 */
#ifndef PLUGINS_COMMON_HRSTEER_H
#define PLUGINS_COMMON_HRSTEER_H

#include <stddef.h>

#include "treadmill/plugin.h"
#include "hrfilter.h"

struct steer {
	struct hrf f;		/* the observer */
	double	 cmd;		/* km/h commanded */
	double	 since_step;	/* s since cmd last moved */
	int	 last_dir;	/* sign of the last move */
};

/*
 * The steering settings from the plugin's configuration group (plugins.
 * NAME): hr_margin (bpm under the ceiling to aim for, default 3), hr_tau
 * (s, 55) and hr_gain (bpm per km/h, 15), read in that order.  0, or -1
 * with err.
 */
int	steer_conf(const struct tm_config *c, const char *plugin,
	    double *margin, double *tau, double *gain, char *err,
	    size_t errlen);

/* A model with time constant tau (s) and gain (bpm per km/h), unprimed. */
void	steer_init(struct steer *s, double tau, double gain);

/* One tick of the observer with the measured HR (0: no signal). */
void	steer_observe(struct steer *s, int hr, double dt);

/* The belt now runs at u km/h: move the prediction with it. */
void	steer_input(struct steer *s, double u);

/*
 * The speed to propose, in [lo, hi], to bring HR to target.  restart: a
 * new segment, take the law's speed at once.
 */
double	steer_speed(struct steer *s, double target, double lo, double hi,
	    double dt, int restart);

/*
 * A person resumed after a stop.  HR fell while stopped; the belt comes
 * back to the pace it had, so the prediction stands and the observer
 * starts again from the next beat.
 */
void	steer_resume(struct steer *s);

/* The settings steer_conf reads, for a plugin's list of known keys. */
#define STEER_KEYS	"hr_margin", "hr_tau", "hr_gain"
/* Check them as steer_conf reads them (tm_plugin.check): the number of
 * problems reported. */
int	steer_check(const struct tm_check *chk);

#endif
