/*
 * hrfilter: what the heart rate really is, and where it is heading, from
 * a strap's readings.  Built into each plugin; nothing here is exported
 * from the .so.
 *
 * A strap's readings wander around the heart rate by about 2 bpm, and
 * not beat by beat: a reading high now is high for some seconds (motion,
 * breathing, contact).  Averaging a few seconds does not take that out;
 * it is taken out by a Kalman filter whose model has it:
 *
 *   hr     the heart rate now: hr' = (ss - hr) / tau, a first-order lag;
 *   ss     where it is heading at the present speed; a speed change moves
 *          it at once by gain * dv, the gain being a guess;
 *   drift  how fast ss creeps up at a steady pace (cardiac drift);
 *   noise  the strap's slow error: a reading is hr + noise, and noise
 *          fades over about 5 s.
 *
 * Once the filter knows where HR heads, it averages minutes of readings.
 * A drift to learn costs it precision (a level and a slope from the same
 * noisy readings), so it runs the model twice, with a drift and without,
 * and trusts each as far as the readings bear it out.
 *
 * Readings that keep falling on one side of what the model expects, by
 * more than its own uncertainty (or, if larger, the spread the readings
 * show), mean the model is wrong (a gait step, a gain far from the guess,
 * a start): the filter learns where HR is heading afresh, in seconds
 * instead of minutes.  After one of the steering's small moves it watches
 * on purpose: HR going on the move's way, clearly more than the gain
 * allows, is a crossing of the step between walking and jogging, which
 * it reports (crossed).
 */
#ifndef PLUGINS_COMMON_HRFILTER_H
#define PLUGINS_COMMON_HRFILTER_H

#include "kf.h"

struct hrf {
	double	 tau;		/* s: model time constant */
	double	 gain;		/* bpm per km/h: model gain */
	/* The estimates, after every tick. */
	double	 hr;		/* bpm now */
	double	 ss;		/* bpm it heads for at the present speed */
	double	 ss_sd;		/* how sure of that, bpm */
	double	 drift;		/* bpm/s */
	double	 u;		/* km/h the belt runs at */
	int	 primed;	/* it has started */
	/*
	 * A small move crossed a change of gait, between cross_lo and
	 * cross_hi km/h; the caller clears it once it has taken note.
	 */
	int	 crossed;
	double	 cross_lo, cross_hi;
	int	 surprises;	/* times the readings proved the model wrong */
	/* Internal. */
	struct kf k[2];		/* the model without a drift, and with one */
	double	 llr;		/* log-likelihood of the second over first */
	double	 e2;		/* mean square innovation */
	double	 esum, evar, ewt;	/* recent innovations, their variance */
	double	 move_s;	/* s since the last small move */
	int	 move_dir;	/* its way */
	double	 move_from;	/* km/h before it (and those just after) */
	double	 msum, mvar;	/* innovations since, their variance */
	int	 mn;		/* how many */
	double	 ysum;		/* readings of the current second */
	int	 ny;
	double	 since_y;	/* s into that second */
	double	 lost_s;	/* s without a signal */
	int	 resync;	/* take the next reading as HR now */
};

/* A filter for a model with time constant tau (s), gain (bpm per km/h). */
void	hrf_init(struct hrf *f, double tau, double gain);

/* One tick with the measured HR (0: no signal). */
void	hrf_observe(struct hrf *f, int hr, double dt);

/* The belt now runs at u km/h. */
void	hrf_input(struct hrf *f, double u);

/*
 * The runner changes gait (jogs where she walked): where HR heads is not
 * what the last speed said.  Call after hrf_input.
 */
void	hrf_gait(struct hrf *f);

/* A person resumed after a stop: the next reading is HR now. */
void	hrf_resume(struct hrf *f);

/* Where HR will be in secs at the present speed, as the model sees it. */
double	hrf_ahead(const struct hrf *f, double secs);

#endif
