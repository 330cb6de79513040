/*
 * Test plugin "bad": THE MISBEHAVING WORKOUT PLUGIN.  It loads cleanly
 * (ABI 1, name "bad", intensity TM_EASY, init, plan, tick and cleanup all
 * there) and then proposes what the governor and the safety core must
 * never pass on to the drive.  Other tests use it to show that they
 * don't; test_plugin_loader.c checks that it really does misbehave.
 *
 * Its configuration group (plugins.bad) has one key, "mode", a string:
 *
 *   "wild"        The default, also with no configuration or no key.
 *                 tick cycles forever through the eight proposals below,
 *                 one per tick, step 0 on the first tick; done stays 0.
 *   "error_tick"  Ticks 1 to 40 as in wild; tick 41 and every later one
 *                 return -1.
 *   "error_init"  init returns -1 with err "bad: init fails on purpose
 *                 (mode error_init)" and *ctx NULL.
 *   "error_plan"  plan returns -1 (with *n = 0).
 *   "overplan"    plan fills all max segments, sane ones, and then sets
 *                 *n = max + 1.  It never writes past max: the lie is
 *                 in *n alone, so reading segment max is the caller's bug.
 *   anything else init returns -1: bad: unknown mode "...".
 *
 * Except in error_plan and overplan, plan is sane (one 30-minute easy
 * segment at 5 km/h, flat) so that a session gets as far as the ticks.
 *
 * The wild cycle (km/h, % grade).  Every proposal's label fills all
 * TM_LABEL_MAX bytes with no NUL: the step's name, then '#'s.
 *
 *   step  speed      incline   label starts
 *   0     NaN        0         "nan-speed"
 *   1     -5         0         "negative-speed"
 *   2     99         0         "99-kmh"
 *   3     +INFINITY  0         "inf-speed"
 *   4     5          1e6       "huge-incline"
 *   5     5          NaN       "nan-incline"
 *   6     5          -50       "negative-incline"
 *   7     5          0         "unterminated-label" (only the label)
 *
 * intensity is always TM_EASY and done always 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"

enum bad_mode { WILD, ERROR_TICK, ERROR_INIT, ERROR_PLAN, OVERPLAN };

static const struct {
	const char	*name;
	enum bad_mode	 mode;
} modes[] = {
	{ "wild", WILD },
	{ "error_tick", ERROR_TICK },
	{ "error_init", ERROR_INIT },
	{ "error_plan", ERROR_PLAN },
	{ "overplan", OVERPLAN },
};

#define ERROR_TICK_AFTER 40

struct bad {
	enum bad_mode	 mode;
	unsigned long	 ticks;		/* ticks so far */
};

static const struct {
	const char	*label;
	double		 speed;
	double		 incline;
} steps[] = {
	{ "nan-speed", NAN, 0 },
	{ "negative-speed", -5, 0 },
	{ "99-kmh", 99, 0 },
	{ "inf-speed", INFINITY, 0 },
	{ "huge-incline", 5, 1e6 },
	{ "nan-incline", 5, NAN },
	{ "negative-incline", 5, -50 },
	{ "unterminated-label", 5, 0 },
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static int
bad_init(void **ctx, const struct tm_runner *r, const struct tm_config *c,
    char *err, size_t errlen)
{
	const char *m = "wild";
	struct bad *b;
	size_t i;

	(void)r;
	*ctx = NULL;
	if (c != NULL && c->get_string != NULL)
		(void)c->get_string(c, "mode", &m);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(m, modes[i].name) == 0)
			break;
	if (i == sizeof(modes) / sizeof(modes[0])) {
		snprintf(err, errlen, "bad: unknown mode \"%s\"", m);
		return -1;
	}
	if (modes[i].mode == ERROR_INIT) {
		snprintf(err, errlen, "bad: init fails on purpose "
		    "(mode error_init)");
		return -1;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "bad: out of memory");
		return -1;
	}
	b->mode = modes[i].mode;
	*ctx = b;
	return 0;
}

static void
segment(struct tm_segment *s, const char *label)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->duration_s = 1800;
	s->speed = 5.0;
	s->incline = 0;
	s->intensity = TM_EASY;
}

static int
bad_plan(void *ctx, struct tm_segment *seg, int max, int *n)
{
	struct bad *b = ctx;
	int i;

	*n = 0;
	switch (b->mode) {
	case ERROR_PLAN:
		return -1;
	case OVERPLAN:
		for (i = 0; i < max; i++)
			segment(&seg[i], "overplan");
		*n = max + 1;
		return 0;
	default:
		if (max >= 1) {
			segment(&seg[0], "bad");
			*n = 1;
		}
		return 0;
	}
}

static int
bad_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *out)
{
	struct bad *b = ctx;
	size_t k, len;

	(void)s;
	if (b->mode == ERROR_TICK && b->ticks >= ERROR_TICK_AFTER)
		return -1;
	k = b->ticks++ % NSTEPS;
	out->speed = steps[k].speed;
	out->incline = steps[k].incline;
	/* All TM_LABEL_MAX bytes, none of them NUL. */
	memset(out->label, '#', sizeof(out->label));
	len = strlen(steps[k].label);
	memcpy(out->label, steps[k].label,
	    len < sizeof(out->label) ? len : sizeof(out->label));
	out->done = 0;
	out->intensity = TM_EASY;
	return 0;
}

static void
bad_cleanup(void *ctx)
{
	free(ctx);
}

#define TP_NAME		"bad"
#define TP_WHAT		"misbehaving workout (NaN, negative, 99 km/h...)"
#define TP_INIT		bad_init
#define TP_PLAN		bad_plan
#define TP_TICK		bad_tick
#define TP_CLEANUP	bad_cleanup
#include "tplugin.h"
