/*
 * Test plugin "good": the smallest plugin the loader accepts.  It walks
 * the belt at 5 km/h, flat, with one planned segment, and keeps no state.
 * The refusal plugins beside it are copies of this with one thing wrong.
 */
#include <stdio.h>

#include "treadmill/plugin.h"

const struct tm_plugin *treadmill_plugin(uint32_t);

static int
good_init(void **ctx, const struct tm_runner *r,
    const struct tm_config *c, char *err, size_t errlen)
{
	(void)r;
	(void)c;
	(void)err;
	(void)errlen;
	*ctx = NULL;
	return 0;
}

static int
good_plan(void *ctx, struct tm_segment *seg, int max, int *n)
{
	(void)ctx;
	*n = 0;
	if (max < 1)
		return 0;
	snprintf(seg[0].label, sizeof(seg[0].label), "walk");
	seg[0].duration_s = 1800;
	seg[0].speed = 5.0;
	seg[0].incline = 0;
	seg[0].intensity = TM_EASY;
	seg[0].hr_target = 0;
	*n = 1;
	return 0;
}

static int
good_tick(void *ctx, const struct tm_sample *s,
    struct tm_proposal *out)
{
	(void)ctx;
	(void)s;
	out->speed = 5.0;
	out->incline = 0;
	snprintf(out->label, sizeof(out->label), "walk");
	out->done = 0;
	out->intensity = TM_EASY;
	return 0;
}

static const struct tm_plugin good = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "good",
	.description = "test: minimal valid plugin (5 km/h walk)",
	.intensity = TM_EASY,
	.init = good_init,
	.plan = good_plan,
	.tick = good_tick,
};

const struct tm_plugin *
treadmill_plugin(uint32_t daemon_abi)
{
	(void)daemon_abi;
	return &good;
}
