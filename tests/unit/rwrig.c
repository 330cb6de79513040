/*
 * rwrig: the easy plugin on treadsim's runner model for test_runwalk
 * (rwrig.h).
 */
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rwrig.h"
#include "testutil.h"

void
rig_start(struct rig *g, int ceiling, double incline, double run_min,
    unsigned seed)
{
	struct tm_runner r = {
		.id = "test",
		.hr_max = 185,
		.hr_rest = 65,
		.easy_min_speed = 5.5,
		.easy_max_speed = 9.5,
		.easy_hr_ceiling = ceiling,
		.easy_max_incline = incline,
		.walk_speed = 5.0,
		.planned_minutes = RIG_WARMUP_MIN + run_min + 2,
	};
	struct hs_opts o = { .n = 0 };
	const struct tm_plugin *p;
	char err[TM_ERR_MAX];
	tm_plugin_entry entry;

	memset(g, 0, sizeof(*g));
	entry = tu_plugin_entry("easy", &g->h);
	p = entry(TM_ABI_VERSION);
	assert_non_null(p);
	hs_set(&o, "warmup_min", RIG_WARMUP_MIN);
	hs_set(&o, "cooldown_min", 2);
	hs_set(&o, "hr_loss_grace_s", 10);
	if (hs_belt_start(&g->b, &r, p, &o, seed, err, sizeof(err)) != 0)
		fail_msg("easy: init: %s", err);
	g->b.noise_corr_s = 5;
}

void
rig_tick(struct rig *g)
{
	hs_belt_read(&g->b, g->b.t + RIG_DT);
	assert_int_equal(hs_belt_steer(&g->b), 0);
}

void
rig_run(struct rig *g, double secs)
{
	long n = lround(secs / RIG_DT);

	for (long i = 0; i < n; i++)
		rig_tick(g);
}

void
rig_end(struct rig *g)
{
	hs_belt_end(&g->b);
	dlclose(g->h);
}
