/*
 * The plain numbers of a runner profile: where each lives in struct
 * profile, its default and its range, in one table; read and checked
 * together so every bad one is reported at its line.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cfgutil.h"
#include "profile_parse.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Every plain number of a profile: where it lives, its default and range. */
struct num {
	enum profile_grp	 g;
	const char	*key;
	bool		 required, is_int;
	double		 def, min, max;
	size_t		 off;		/* into struct profile */
};

#define NUM(g, k, req, def, lo, hi, field) \
	{ g, k, req, false, def, lo, hi, offsetof(struct profile, field) }
#define INT(g, k, req, def, lo, hi, field) \
	{ g, k, req, true, def, lo, hi, offsetof(struct profile, field) }

static const struct num nums[] = {
	/* What a heart can do: anything else is a typo or a bad strap. */
	INT(G_RUNNER, "hr_max", true, 0, 120, 220, hr_max),
	/* 0 = unknown; only a written value is range-checked. */
	INT(G_RUNNER, "hr_rest", false, 0, 35, 100, hr_rest),
	NUM(G_EASY, "min_speed", true, 0, 2.0, 15.0, easy.min_speed),
	NUM(G_EASY, "max_speed", true, 0, 2.0, 16.0, easy.max_speed),
	NUM(G_EASY, "max_incline", false, 2.0, 0, 10.0, easy.max_incline),
	NUM(G_EASY, "hr_ceiling_pct", false, 75.0, 50.0, 90.0,
	    easy.hr_ceiling_pct),
	NUM(G_EASY, "max_minutes", false, 40.0, 5.0, 180.0, easy.max_minutes),
	NUM(G_EASY, "start_minutes", false, 20.0, 1.0, 120.0,
	    easy.start_minutes),
	NUM(G_EASY, "walk_minutes", false, 6.0, 0, 30.0, easy.walk_minutes),
	NUM(G_HARD, "max_speed", false, 11.0, 4.0, 22.0, hard.max_speed),
	NUM(G_HARD, "max_incline", false, 3.0, 0, 15.0, hard.max_incline),
	NUM(G_HARD, "hr_ceiling_pct", false, 92.0, 60.0, 100.0,
	    hard.hr_ceiling_pct),
	NUM(G_WALK, "speed", false, 5.0, 1.0, 8.0, walk.speed),
	/* 0 here: left out, it lies halfway from walk.speed to
	 * easy.min_speed (profile.c). */
	NUM(G_WALK, "run_threshold", false, 0, 1.0, 15.0, walk.run_threshold),
	INT(G_UNLOCK, "weeks", false, 3, 1, 12, unlock.weeks),
	INT(G_UNLOCK, "runs_per_week", false, 3, 1, 7, unlock.runs_per_week),
	NUM(G_UNLOCK, "run_minutes", false, 30.0, 5.0, 120.0,
	    unlock.run_minutes),
	INT(G_UNLOCK, "strength_per_week", false, 2, 0, 7,
	    unlock.strength_per_week),
	INT(G_UNLOCK, "runs_per_day", false, 1, 1, 3, unlock.runs_per_day),
	NUM(G_UNLOCK, "strength_minutes", false, 20.0, 1.0, 120.0,
	    unlock.strength_minutes),
	NUM(G_RECOVERY, "min_hours", false, 48.0, 12.0, 168.0,
	    recovery.min_hours),
	NUM(G_RECOVERY, "min_sleep_h", false, 6.0, 0, 12.0,
	    recovery.min_sleep_h),
	NUM(G_RECOVERY, "max_hard_share", false, 0.20, 0, 0.5,
	    recovery.max_hard_share),
	INT(G_RECOVERY, "pain_threshold", false, 3, 1, 10,
	    recovery.pain_threshold),
	INT(G_RECOVERY, "hard_per_week", false, 2, 1, 7,
	    recovery.hard_per_week),
	INT(G_RECOVERY, "base_runs", false, 2, 0, 14, recovery.base_runs),
	INT(G_RECOVERY, "base_days", false, 14, 7, 60, recovery.base_days),
	INT(G_RECOVERY, "break_days", false, 14, 7, 90, recovery.break_days),
	INT(G_RECOVERY, "comeback_days", false, 7, 1, 28,
	    recovery.comeback_days),
	INT(G_RECOVERY, "clear_days", false, 7, 1, 42, recovery.clear_days),
	INT(G_POSTNATAL, "min_weeks", false, 12, 0, 52, postnatal.min_weeks),
	NUM(G_PROGRESSION, "max_growth", false, 1.10, 1.0, 2.0,
	    progression.max_growth),
	INT(G_PROGRESSION, "window_days", false, 30, 7, 90,
	    progression.window_days),
	INT(G_WALKRUN, "sessions_to_advance", false, 3, 1, 20,
	    stage_sessions),
};

_Static_assert(nitems(nums) <= PROFILE_NUMS_MAX, "raise PROFILE_NUMS_MAX");

static int
num_index(enum profile_grp g, const char *key)
{
	for (size_t i = 0; i < nitems(nums); i++)
		if (nums[i].g == g && strcmp(nums[i].key, key) == 0)
			return (int)i;
	abort();	/* a typo in this file, not in the profile */
}

bool
profile_num_ok(const struct pctx *c, enum profile_grp g, const char *key)
{
	return !c->bad[num_index(g, key)];
}

config_setting_t *
profile_setting(const struct pctx *c, enum profile_grp g, const char *key)
{
	return c->grp[g] ? config_setting_get_member(c->grp[g], key) : NULL;
}

double
profile_num_val(const struct pctx *c, enum profile_grp g, const char *key)
{
	const struct num *n = &nums[num_index(g, key)];
	const char *base = (const char *)c->p + n->off;

	return n->is_int ? *(const int *)(const void *)base :
	    *(const double *)(const void *)base;
}

/* Store v in n's field of p, an int or a double as the table says. */
static void
num_store(struct profile *p, const struct num *n, double v)
{
	char *base = (char *)p + n->off;

	if (n->is_int)
		*(int *)(void *)base = (int)v;
	else
		*(double *)(void *)base = v;
}

void
profile_read_numbers(struct pctx *c)
{
	for (size_t i = 0; i < nitems(nums); i++) {
		const struct num *n = &nums[i];
		config_setting_t *g = c->grp[n->g];
		/* A missing required group is reported once, not once per
		 * key in it: here it only marks its keys bad. */
		int rc = g == NULL && n->required ? -1 : 0;
		double d = n->def;
		long long v;

		if (g != NULL && n->is_int) {
			rc = cfg_int(g, n->key, n->required, (long long)n->def,
			    (long long)n->min, (long long)n->max, &v, c->f,
			    c->e);
			d = (double)v;
		} else if (g != NULL)
			rc = cfg_double(g, n->key, n->required, n->def, n->min,
			    n->max, &d, c->f, c->e);
		num_store(c->p, n, d);
		c->bad[i] = rc < 0;
	}
}
