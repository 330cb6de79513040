/*
 * rwrig: the easy plugin as built (BUILD/plugins/easy.so, as
 * test_plugins loads it) on bench/hrsteer's belt (hrsim.h: treadsim's
 * own runner model, ticked at 20 Hz on a fake clock) for test_runwalk.
 * The belt follows the proposal at the drive's ramps, capped as the
 * governor would; heart rate is the model's as treadsim reports it (whole
 * bpm, every tick) or, with noise_sd set, as a chest strap gives it (one
 * reading a second, noise correlated over 5 s, from a seed).
 *
 * treadsim's default runner walks below 7.5 km/h (117 bpm at 7.4) and
 * jogs from it (140 at 7.5).
 */
#ifndef TESTS_UNIT_RWRIG_H
#define TESTS_UNIT_RWRIG_H

#include "hrsim.h"

#define RIG_DT		HS_DT	/* the daemon's tick, 20 Hz */
#define RIG_WARMUP_MIN	3.0
#define RIG_GAIT	7.5	/* the model's gait switch */

struct rig {
	void		*h;		/* the plugin's handle */
	struct hs_belt	 b;
};

/*
 * A session (warm-up, run_min of easy run, cool-down) for a runner with
 * this ceiling who may walk uphill up to incline %; seed picks the
 * strap's noise (bench/hrsteer's seeds).
 */
void	rig_start(struct rig *g, int ceiling, double incline, double run_min,
	    unsigned seed);
void	rig_tick(struct rig *g);
void	rig_run(struct rig *g, double secs);
void	rig_end(struct rig *g);

#endif
