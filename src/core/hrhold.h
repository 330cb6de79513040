/*
 * Heart-rate hold: the governor's cap that keeps an easy run under the
 * runner's HR ceiling by slowing the belt.  It is a cap, not a target: it
 * never asks for more speed than the plan, only less.  Pure logic.
 *
 * Heart rate answers a speed change with a lag of about a minute, so the
 * hold acts on a prediction of where HR is heading (HR + tau * slope, the
 * steady state of a first-order response) rather than on HR itself; that
 * removes most of the lag and keeps it from hunting.
 */
#ifndef TREAD_HRHOLD_H
#define TREAD_HRHOLD_H

#include <stdbool.h>

#define HRHOLD_WINDOW 16	/* 1 s samples kept for the slope */

struct hr_hold {
	double	 cap;		/* km/h, the hold's current cap */
	double	 hr_f;		/* filtered HR */
	double	 ring[HRHOLD_WINDOW];
	int	 nring, iring;
	double	 since_sample;	/* s since the last ring sample */
	double	 predicted;	/* last prediction, bpm */
	bool	 primed;
	/* Tuning (defaults from hr_hold_init). */
	double	 tau;		/* s, HR response time constant */
	double	 gain;		/* km/h per s per bpm of predicted error */
	double	 margin;	/* bpm below the ceiling to aim for */
	double	 min_cap;	/* km/h, never slower than this for HR */
};

void	 hr_hold_init(struct hr_hold *, double start_cap, double min_cap);
/*
 * One tick.  hr 0 = no signal: the cap is held where it is.  Returns the
 * cap to apply (at most static_cap).
 */
double	 hr_hold_update(struct hr_hold *, int hr, int ceiling,
	    double static_cap, double belt_speed, double dt);

#endif
