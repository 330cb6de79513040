/*
 * The test plugins the loader must accept or refuse, from one source.
 * The Makefile builds NAME.so with -DTP_NAME="NAME" and -DTP_VARIANT_NAME;
 * without a variant switch this is "good", the smallest plugin the loader
 * accepts (a 5 km/h walk, flat, one planned segment, no state).  Each
 * other variant is "good" with one thing wrong:
 *
 *   oldabi        speaks only ABI 0, older than any daemon
 *   futureabi     speaks ABI 2..3 only, newer than this daemon
 *   misnamed      file misnamed.so whose description says "other"
 *   refuse        the entry point returns NULL, as a plugin does when it
 *                 cannot work with the daemon's ABI
 *   noinit        init is NULL
 *   notick        tick is NULL
 *   badintensity  intensity 7, neither TM_EASY nor TM_HARD
 *   unresolved    tick calls a function nothing defines, so
 *                 dlopen(RTLD_NOW) fails
 *   noentry       the entry point is misspelt, so dlsym fails
 *
 * "good" has no check function, as a plugin built before revision 1 of
 * the ABI; two variants have one:
 *
 *   checked       revision 1, checks its settings: "speed" only, a
 *                 number from 1 to 10
 *   oldrev        revision 0 with a check function that reports a
 *                 problem whatever it is given: the daemon must not
 *                 call what a revision-0 plugin has in that room
 */
#include <stdio.h>
#include <string.h>

#include "treadmill/plugin.h"

#ifndef TP_NAME
#define TP_NAME "good"
#endif

#if defined(TP_VARIANT_oldabi)
#define TP_ABI_MIN 0
#define TP_ABI_MAX 0
#define TP_WHAT "speaks ABI 0 only"
#elif defined(TP_VARIANT_futureabi)
#define TP_ABI_MIN 2
#define TP_ABI_MAX 3
#define TP_WHAT "speaks ABI 2..3 only"
#elif defined(TP_VARIANT_misnamed)
#define TP_DESC_NAME "other"
#define TP_WHAT "calls itself other"
#elif defined(TP_VARIANT_badintensity)
#define TP_INTENSITY 7
#define TP_WHAT "intensity 7, neither easy nor hard"
#elif defined(TP_VARIANT_noentry)
#define TP_ENTRY treadmill_plugn
#define TP_WHAT "entry point misspelt"
#elif defined(TP_VARIANT_refuse)
#define TP_REFUSE
#define TP_WHAT "entry point returns NULL"
#elif defined(TP_VARIANT_noinit)
#define TP_WHAT "init is NULL"
#elif defined(TP_VARIANT_notick)
#define TP_WHAT "tick is NULL"
#elif defined(TP_VARIANT_unresolved)
#define TP_WHAT "needs an undefined symbol"
extern int tm_no_such_symbol(void);
#elif defined(TP_VARIANT_checked)
#define TP_WHAT "checks its settings (speed, 1 to 10)"
#define TP_REVISION TM_ABI_REVISION
#elif defined(TP_VARIANT_oldrev)
#define TP_WHAT "revision 0, with a check the daemon must ignore"
#define TP_REVISION 0
#else
#define TP_WHAT "minimal valid plugin (5 km/h walk)"
#endif

#if !defined(TP_VARIANT_noinit)
#define TP_INIT walk_init
#endif
#define TP_PLAN walk_plan
#if !defined(TP_VARIANT_notick)
#define TP_TICK walk_tick
#endif
#if defined(TP_REVISION)
#define TP_CHECK walk_check
#endif

/* Unused in noinit. */
static int __attribute__((unused))
walk_init(void **ctx, const struct tm_runner *r, const struct tm_config *c,
    char *err, size_t errlen)
{
	(void)r;
	(void)c;
	(void)err;
	(void)errlen;
	*ctx = NULL;
	return 0;
}

static int
walk_plan(void *ctx, struct tm_segment *seg, int max, int *n)
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

/* Unused in notick. */
static int __attribute__((unused))
walk_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *out)
{
	(void)ctx;
	(void)s;
#if defined(TP_VARIANT_unresolved)
	if (tm_no_such_symbol() != 0)
		return -1;
#endif
	out->speed = 5.0;
	out->incline = 0;
	snprintf(out->label, sizeof(out->label), "walk");
	out->done = 0;
	out->intensity = TM_EASY;
	return 0;
}

#if defined(TP_REVISION)
static int
walk_check(const struct tm_check *chk)
{
	int bad = 0;
	double v;

	for (int i = 0; i < chk->nkeys; i++)
		if (strcmp(chk->keys[i], "speed") != 0) {
			chk->report(chk, chk->keys[i], "unknown setting");
			bad++;
		}
	if (chk->config->get_number(chk->config, "speed", &v) == 0 &&
	    !(v >= 1 && v <= 10)) {
		chk->report(chk, "speed", "%g is not between 1 and 10", v);
		bad++;
	}
#if TP_REVISION == 0
	chk->report(chk, NULL, "check called on a revision-0 plugin");
	bad++;
#endif
	return bad;
}
#endif

#include "tplugin.h"
