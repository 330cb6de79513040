/*
 * hunt: how run/walk tells steering that hunts across a gait step from
 * steering that holds her (runwalk.h explains why it matters).
 */
#include <math.h>
#include <string.h>

#include "hunt.h"

#define HUNT_S		360.0	/* s of steering the hunt is judged over */
#define SETTLE_S	90.0	/* s of steering before judging its swings */
#define SWING_KMH	0.4	/* a wide turn of the command */
#define SWING_BPM	5.0	/* or of HR over the half-cycle */
#define TIGHT_N		8	/* turns at the same two speeds: a cycle */
#define TIGHT_KMH	0.1	/* the same, within this */
#define CYCLE_KMH	0.15	/* and this far apart: not a dither */
#define SWING_HR	5.0	/* bpm: a swing of HR, as the filter sees it */
#define SWING_V		0.6	/* km/h: within this band of speeds */

/*
 * Turns of the steady command within the last HUNT_S: the wide ones (the
 * command, or HR over the half-cycle, swung more than noise makes it),
 * or, in *tight, whether it keeps turning at the same two speeds some way
 * apart: a limit cycle across a step, not a heart's noise, which wanders
 * or dithers by a step of the command.
 */
int
rw_reversals(struct rw *w, double v, double prev, double hr, int *tight)
{
	double lo[2] = { 1e9, 1e9 }, hi[2] = { 0, 0 };
	int dir, i, k, n = 0, all = 0;

	w->turn_hi = fmax(w->turn_hi, hr);
	w->turn_lo = w->turn_lo > 0 ? fmin(w->turn_lo, hr) : hr;
	if (fabs(v - prev) > 1e-9) {
		dir = v > prev ? 1 : -1;
		/* The first settling swings widely on any runner. */
		if (w->last_dir != 0 && dir != w->last_dir)
			w->turn_t = w->clock;
		if (w->last_dir != 0 && dir != w->last_dir &&
		    w->clock >= SETTLE_S) {
			i = w->rev_i;
			w->rev[i].t = w->clock;
			w->rev[i].v = prev;
			w->rev[i].up = dir > 0;
			w->rev[i].wide = fabs(prev - w->turn_v) >= SWING_KMH ||
			    w->turn_hi - w->turn_lo >= SWING_BPM;
			w->rev_i = (i + 1) % RW_REVS;
			w->turn_v = prev;
			w->turn_hi = w->turn_lo = hr;
		}
		w->last_dir = dir;
	}
	for (i = 0; i < RW_REVS; i++) {
		if (w->rev[i].t <= 0 || w->clock - w->rev[i].t > HUNT_S)
			continue;
		all++;
		n += w->rev[i].wide;
		k = w->rev[i].up;
		lo[k] = fmin(lo[k], w->rev[i].v);
		hi[k] = fmax(hi[k], w->rev[i].v);
	}
	/* [1]: where it turned up (lows), [0]: where it turned down. */
	*tight = all >= TIGHT_N && hi[0] - lo[0] <= TIGHT_KMH + 1e-9 &&
	    hi[1] - lo[1] <= TIGHT_KMH + 1e-9 &&
	    lo[0] - hi[1] >= CYCLE_KMH - 1e-9;
	return n;
}

/*
 * The filter saw a small move cross a change of gait (HR answering it far
 * more than a gait answers a few hundredths of a km/h).  Twice, at the
 * same speeds, within the hunt's window: a gait step, between *walk and
 * *jog.
 */
int
rw_crossed(struct rw *w, struct hrf *f, double *walk, double *jog)
{
	if (!f->crossed)
		return 0;
	f->crossed = 0;
	w->cross[1] = w->cross[0];
	w->cross[0].t = w->clock;
	w->cross[0].lo = f->cross_lo;
	w->cross[0].hi = f->cross_hi;
	if (w->cross[1].t <= 0 || w->clock - w->cross[1].t > HUNT_S ||
	    w->cross[0].lo >= w->cross[1].hi - 1e-9 ||
	    w->cross[1].lo >= w->cross[0].hi - 1e-9)
		return 0;
	*walk = fmax(w->cross[0].lo, w->cross[1].lo);
	*jog = fmin(w->cross[0].hi, w->cross[1].hi);
	return 1;
}

/*
 * Swings of HR (as the filter sees it) of SWING_BPM or more, one way and
 * back, while the speed stays within a narrow band: a heart that smooth
 * steering cannot hold, since no gait answers a few tenths of a km/h
 * with that much, except across a step.  The steering hunting there.
 */
int
rw_swings(struct rw *w, double hr, double v)
{
	int i;

	w->swing_vlo = w->swing_vlo > 0 ? fmin(w->swing_vlo, v) : v;
	w->swing_vhi = fmax(w->swing_vhi, v);
	if (w->swing_dir == 0) {
		w->swing_dir = 1;
		w->swing_x = hr;
	}
	if ((hr - w->swing_x) * w->swing_dir > 0)
		w->swing_x = hr;
	else if (fabs(hr - w->swing_x) >= SWING_HR) {
		memmove(&w->swing[1], &w->swing[0], 2 * sizeof(w->swing[0]));
		w->swing[0].t = w->clock;
		w->swing[0].vlo = w->swing_vlo;
		w->swing[0].vhi = w->swing_vhi;
		w->swing_dir = -w->swing_dir;
		w->swing_x = hr;
		w->swing_vlo = w->swing_vhi = v;
	}
	for (i = 0; i < 3; i++)
		if (w->swing[i].t <= 0 || w->clock - w->swing[i].t > HUNT_S ||
		    w->swing[i].vhi - w->swing[i].vlo > SWING_V + 1e-9)
			return 0;
	return 1;
}


void
rw_hunt_reset(struct rw *w)
{
	memset(w->rev, 0, sizeof(w->rev));
	memset(w->swing, 0, sizeof(w->swing));
	w->swing_dir = 0;
	w->swing_vlo = w->swing_vhi = 0;
	w->last_dir = 0;
}
