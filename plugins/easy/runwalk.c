/*
 * runwalk: steady steering, run/walk across a gait step, and heart-rate
 * loss (runwalk.h explains).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hunt.h"
#include "runwalk.h"

/* Constants (bench/hrsteer.c was used to choose them). */
#define HUNT_N		5	/* wide reversals in it: hunting */
#define MEAN_S		60.0	/* s: time constant of the mean speed */
#define PIN_S		20.0	/* s at the slowest jog, still heading over */
#define PIN_BPM		1.0	/* ... by this much: run/walk */
#define LOOK_S		5.0	/* s ahead the jog looks */
#define FAST_S		8.0	/* s: time constant of the fast HR view */
#define GUARD_BPM	1.5	/* walk at once this close to the ceiling */
#define STEADY_GUARD	1.0	/* pull back this close, steering steadily */
#define NEAR_S		3.0	/* s near it, not one reading's worth */
#define PULL_KMH	0.5	/* by this much */
#define PULL_GAP_S	3.0	/* s between pulls */
#define GUARD_APART_S	30.0	/* pulls this far apart are two near-misses */
#define MISS_S		600.0	/* two near-misses within this: hunting */
#define CAP_S		60.0	/* s not faster than the near-miss's speed */
#define BAND_BPM	5.0	/* walk until this far under the target */
#define MIN_PHASE_S	15.0	/* shortest jog or walk */
#define SETTLE_S	90.0	/* s of steering before judging its swings */
#define FIT_S		45.0	/* s into a jog before judging it a walk */
#define FALL_BPM	3.0	/* HR this much lower by then: a walk */
#define WALK_BPM	10.0	/* or flat this far under the target */
#define FITS_S		150.0	/* a jog this long under the target fits */
#define JOG_STEP	0.1	/* km/h the jog moves to find the slowest */
#define UPHILL_S	120.0	/* longest uphill walk before flattening */
#define SETTLED_S	180.0	/* s without turning back: settled */
#define HELD_S		120.0	/* s HR near the target: settled */
#define HELD_BPM	1.5	/* that near */
#define UNSURE_S	300.0	/* s unsure again after a gait crossing */
#define UNSURE_BPM	2.0	/* bpm lower, unsure */
#define UNSURE_RATE	0.02	/* bpm/s it eases in and out */
#define UP_GAP_S	40.0	/* s between moves up, unsure */
#define JOG_EARLY	1.0	/* bpm under the target a jog ends */

void
rw_init(struct rw *w, const struct rw_conf *c)
{
	memset(w, 0, sizeof(*w));
	w->c = *c;
	w->cmd = c->run_speed;
}

/*
 * Where HR will be in LOOK_S seconds, as the filter sees it (told of each
 * change of gait, it learns the new answer within seconds).
 */
static double
predicted(const struct steer *st)
{
	return hrf_ahead(&st->f, LOOK_S);
}

/* A reading: the fast view of HR and its slope. */
static void
observe(struct rw *w, int hr, double dt)
{
	double a = 1 - exp(-dt / FAST_S), old = w->hr;

	if (w->hr == 0) {
		w->hr = hr;
		return;
	}
	w->hr += (hr - w->hr) * a;
	if (dt > 0)
		w->slope += ((w->hr - old) / dt - w->slope) * a;
}

static void
enter(struct rw *w, int mode)
{
	if (mode == RW_STEADY) {
		/* What the steering did before is not its hunt now. */
		rw_hunt_reset(w);
	}
	if (mode != w->mode && (mode == RW_JOG || w->mode == RW_JOG)) {
		w->switches++;
		w->gait = 1;
	}
	w->mode = mode;
	w->phase_s = 0;
	w->pinned_s = 0;
}

/* A gait step: run/walk from now, jogging at first at the hunt's mean. */
static void
found(struct rw *w)
{
	w->step = 1;
	w->jog_v = fmax(w->c.min_speed, round(w->mean_v / 0.05) * 0.05);
}

/* Steady steering, above the slowest jog once a step is known. */
static double
steady(struct rw *w, struct steer *st, double target, int ceiling,
    double dt, int restart)
{
	double lo = w->step ? w->jog_v : w->c.walk_speed, v;
	double hi = w->c.run_speed, walk, jog, want;
	int n, tight;

	/* For a while, not faster than what took her near the ceiling. */
	if (w->guard_t > 0 && w->clock - w->guard_t <= CAP_S)
		hi = fmax(lo, fmin(hi, w->guard_v));
	/*
	 * Until the steering has once held her steadily (HR near the target
	 * a while, or no turning back), and for a while after a small move
	 * crossed a change of gait, aim lower: what it does not yet know of
	 * her (a gait step most of all) shows as HR rising faster than it
	 * can see through the strap's noise.
	 */
	w->held_s = fabs(st->f.hr - (target - w->unsure)) < HELD_BPM ?
	    w->held_s + dt : 0;
	if ((w->clock - w->turn_t >= SETTLED_S && w->clock >= SETTLED_S) ||
	    w->held_s >= HELD_S)
		w->settled = 1;
	want = !w->settled || (w->cross[0].t > 0 &&
	    w->clock - w->cross[0].t < UNSURE_S) ? UNSURE_BPM : 0;
	/* Eased in and out: a target that jumps is a move of its own. */
	w->unsure += fmax(-UNSURE_RATE * dt, fmin(UNSURE_RATE * dt,
	    want - w->unsure));
	if (restart)
		w->unsure = want;
	target -= w->unsure;
	/* Unsure, faster only a little at a time: faster is what takes
	 * her over, slower never does. */
	if (w->unsure > 0 && w->clock - w->up_t < UP_GAP_S && !restart)
		hi = fmax(lo, fmin(hi, st->cmd));
	v = steer_speed(st, target, lo, hi, dt, restart);
	if (restart)
		rw_hunt_reset(w);
	if (v > w->cmd + 1e-9)
		w->up_t = w->clock;
	n = rw_reversals(w, v, w->cmd, w->hr, &tight);
	if (rw_swings(w, st->f.hr, v))
		n = HUNT_N;
	if (!w->step && rw_crossed(w, &st->f, &walk, &jog)) {
		/*
		 * The steering crossed a gait step back and forth: it hunts
		 * there, the target lies in the step.  Run/walk, jogging at
		 * the slowest jog seen.
		 */
		w->step = 1;
		w->jog_v = fmax(w->c.min_speed, jog);
		w->walk_v = walk;
		enter(w, predicted(st) >= target ? RW_WALK : RW_JOG);
		return v;
	}
	/*
	 * Near the ceiling while hunting: pull back at once, more than the
	 * steering would.  Again soon after is the hunt itself.
	 */
	w->near_s = predicted(st) >= ceiling - STEADY_GUARD ?
	    w->near_s + dt : 0;
	if (w->near_s >= NEAR_S && w->clock - w->guard_t >= PULL_GAP_S) {
		if (w->guard_t >= SETTLE_S && w->clock - w->guard_t <= MISS_S &&
		    w->clock - w->guard_t >= GUARD_APART_S)
			n = HUNT_N;
		w->guard_t = w->clock;
		w->guard_v = v;
		st->cmd = v = fmax(lo, v - PULL_KMH);
		/* Its own swing back is not the steering's hunt. */
		memset(w->rev, 0, sizeof(w->rev));
		w->last_dir = 0;
	}
	if (n >= HUNT_N || tight) {
		/*
		 * Steered to a speed that holds the target, the command
		 * moves now and then; turning back and forth this often is
		 * the steering hunting across a gait step.  The jog: the
		 * mean of the hunt, raised later if it proves a walk; if a
		 * step was known, what was taken for her slowest jog was not.
		 */
		if (!w->step)
			found(w);
		else if (w->jog_v + JOG_STEP <= w->c.run_speed)
			w->jog_v += JOG_STEP;
		enter(w, predicted(st) >= target ? RW_WALK : RW_JOG);
		return v;
	}
	/* At the slowest jog and still heading over: walk breaks. */
	if (w->step && v <= lo + 1e-9 && st->f.ss >= target + PIN_BPM)
		w->pinned_s += dt;
	else
		w->pinned_s = 0;
	if (w->pinned_s >= PIN_S)
		enter(w, RW_WALK);
	return v;
}

static void
jog(struct rw *w, struct steer *st, double target, int ceiling)
{
	/* Once the belt is up to speed and the readings have caught up. */
	if (w->phase_s >= MIN_PHASE_S && w->jog_hr == 0)
		w->jog_hr = w->hr;
	if (w->phase_s >= FIT_S && (w->hr <= w->jog_hr - FALL_BPM ||
	    (w->hr <= target - WALK_BPM && w->hr <= w->jog_hr + 1)) &&
	    w->jog_v + JOG_STEP <= w->c.run_speed) {
		/* Her heart falls at this "jog", or stays far under the
		 * target: a walk for her, or a jog slower than need be. */
		w->walk_v = w->jog_v;
		w->jog_v += JOG_STEP;
		w->jog_hr = 0;
		w->phase_s = 0;
	} else if ((w->phase_s >= MIN_PHASE_S &&
	    predicted(st) >= target - JOG_EARLY) ||
	    predicted(st) >= ceiling - GUARD_BPM)
		enter(w, RW_WALK);
	else if (w->phase_s >= FITS_S) {
		/* Jogging this long without nearing the target: her heart
		 * has settled, a steady jog fits again. */
		enter(w, RW_STEADY);
		st->cmd = w->jog_v;
	}
}

double
rw_speed(struct rw *w, struct steer *st, const struct tm_sample *s,
    int restart, double *incline, char *label, size_t len)
{
	double dt = s->dt > 0 && isfinite(s->dt) ? s->dt : 0;
	double target = s->hr_ceiling - w->c.margin, v = w->cmd;

	*incline = 0;
	if (s->heart_rate <= 0) {
		w->lost_s += dt;
		if (w->lost_s < w->c.grace) {
			/* A strap slipping for a moment: hold the pace. */
			*incline = w->incline;
			return w->cmd;
		}
		/* Never faster without a signal; walk her down. */
		if (w->c.walk_speed < w->cmd)
			w->cmd = w->c.walk_speed;
		st->cmd = w->cmd;
		w->incline = 0;
		snprintf(label, len, "no heart rate: walking");
		return w->cmd;
	}
	if (w->lost_s > 0) {
		/* The signal is back: steer on from where she is, at the
		 * steering's own pace (or walk on, in run/walk). */
		w->lost_s = 0;
		if (w->mode != RW_STEADY)
			enter(w, RW_WALK);
	}
	observe(w, s->heart_rate, dt);
	w->phase_s += dt;
	w->clock += dt;
	if (w->mode == RW_STEADY)
		v = steady(w, st, target, s->hr_ceiling, dt, restart);
	if (w->mode == RW_JOG)
		jog(w, st, target, s->hr_ceiling);
	if (w->mode == RW_WALK && w->phase_s >= MIN_PHASE_S &&
	    w->hr <= target - BAND_BPM) {
		/* The slowest jog is the easiest: try a little slower, above
		 * any speed that proved a walk. */
		if (w->jog_v - JOG_STEP >= w->c.min_speed &&
		    w->jog_v - JOG_STEP > w->walk_v + 1e-9)
			w->jog_v -= JOG_STEP;
		enter(w, RW_JOG);
		w->jog_hr = 0;
	}
	switch (w->mode) {
	case RW_STEADY:
		if (w->phase_s == 0)	/* back from a walk, at its speed */
			v = steady(w, st, target, s->hr_ceiling, dt, 0);
		break;
	case RW_JOG:
		v = w->jog_v;
		break;
	case RW_WALK:
		v = w->c.walk_speed;
		/* Uphill she stays nearer the ceiling, while that still
		 * brings her down. */
		if (w->phase_s < UPHILL_S)
			*incline = w->c.max_incline;
		break;
	}
	if (w->mode != RW_STEADY)
		snprintf(label, len, "run/walk: under %d bpm",
		    s->hr_ceiling);
	/* The mean speed of steady steering, for the jog. */
	if (w->mode == RW_STEADY)
		w->mean_v += (v - w->mean_v) * (w->mean_v == 0 ? 1 :
		    1 - exp(-dt / MEAN_S));
	w->incline = *incline;
	return w->cmd = v;
}
