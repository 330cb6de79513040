/*
 * Internal to the profile parser (profile.c, profile_lists.c): the state
 * of one file being parsed and the checks the two halves share.
 */
#ifndef TREAD_PROFILE_PARSE_H
#define TREAD_PROFILE_PARSE_H

#include <libconfig.h>
#include <stdbool.h>

#include "errlist.h"
#include "profile.h"

enum profile_grp {
	G_RUNNER, G_EASY, G_HARD, G_WALK, G_UNLOCK, G_RECOVERY, G_POSTNATAL,
	G_PROGRESSION, G_WALKRUN, G_COUNT
};

#define PROFILE_NUMS_MAX 40	/* plain numbers in a profile */

/* One file being parsed. */
struct pctx {
	struct profile		*p;
	const char		*f;
	struct errlist		*e;
	config_setting_t	*root;
	config_setting_t	*grp[G_COUNT];	/* NULL if absent */
	bool			 bad[PROFILE_NUMS_MAX];	/* reported already */
};

/* Read every plain number (profile_nums.c), defaults for those left out. */
void	 profile_read_numbers(struct pctx *);
/* The value of the number group.key, as read. */
double	 profile_num_val(const struct pctx *, enum profile_grp,
	    const char *key);
/* Was the number group.key valid (or defaulted)? */
bool	 profile_num_ok(const struct pctx *, enum profile_grp,
	    const char *key);
/* The setting group.key as written, NULL if absent. */
config_setting_t *profile_setting(const struct pctx *, enum profile_grp,
	    const char *key);
/* Report unless a <= b (a < b if strict), at the setting to change. */
void	 profile_check_order(struct pctx *, const char *an, double a,
	    config_setting_t *as, const char *bn, double b,
	    config_setting_t *bs, bool strict, const char *unit,
	    const char *why);

void	 profile_parse_intervals(struct pctx *);
void	 profile_parse_walkrun(struct pctx *);

#endif
