/*
 * Test plugin "noentry": a loadable shared object with a plausible
 * description but no treadmill_plugin symbol (its entry point is
 * misspelt), so dlsym fails and the loader must pass on dlerror's words.
 */
#include "treadmill/plugin.h"

const struct tm_plugin *treadmill_plugn(uint32_t);

static int
noentry_init(void **ctx, const struct tm_runner *r,
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
noentry_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *out)
{
	(void)ctx;
	(void)s;
	out->speed = 5.0;
	out->incline = 0;
	out->label[0] = '\0';
	return 0;
}

static const struct tm_plugin desc = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "noentry",
	.description = "test: entry point misspelt",
	.intensity = TM_EASY,
	.init = noentry_init,
	.tick = noentry_tick,
};

const struct tm_plugin *
treadmill_plugn(uint32_t daemon_abi)
{
	(void)daemon_abi;
	return &desc;
}
