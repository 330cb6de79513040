/*
 * Test plugin "misnamed": file misnamed.so whose description says
 * its name is "other"; the loader must refuse the mismatch.
 */
#include <stdio.h>

#include "treadmill/plugin.h"

const struct tm_plugin *treadmill_plugin(uint32_t);

static int
misnamed_init(void **ctx, const struct tm_runner *r,
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
misnamed_plan(void *ctx, struct tm_segment *seg, int max, int *n)
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
misnamed_tick(void *ctx, const struct tm_sample *s,
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

static const struct tm_plugin desc = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "other",
	.description = "test: calls itself other",
	.intensity = TM_EASY,
	.init = misnamed_init,
	.plan = misnamed_plan,
	.tick = misnamed_tick,
};

const struct tm_plugin *
treadmill_plugin(uint32_t daemon_abi)
{
	(void)daemon_abi;
	return &desc;
}
