/*
 * plugcheck: helpers for a plugin's check of its settings (tm_plugin.
 * check, struct tm_check).  Each reports what it finds and returns the
 * number of problems.  Built into each plugin; nothing is exported.
 */
#ifndef PLUGINS_COMMON_PLUGCHECK_H
#define PLUGINS_COMMON_PLUGCHECK_H

#include "treadmill/plugin.h"

/* Every key written that is not in known (NULL-terminated). */
int	pc_known(const struct tm_check *chk, const char *const *known);
/* key, if written, is a number in [lo, hi]. */
int	pc_number(const struct tm_check *chk, const char *key, double lo,
	    double hi);
/* key, if written, is a string, one of choices (NULL-terminated). */
int	pc_choice(const struct tm_check *chk, const char *key,
	    const char *const *choices);

#endif
