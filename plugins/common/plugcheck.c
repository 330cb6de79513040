/*
 * plugcheck: helpers for a plugin's check of its settings (plugcheck.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plugcheck.h"

int
pc_known(const struct tm_check *chk, const char *const *known)
{
	int bad = 0, k;

	for (int i = 0; i < chk->nkeys; i++) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(chk->keys[i], known[k]) == 0)
				break;
		if (known[k] == NULL) {
			chk->report(chk, chk->keys[i], "unknown setting");
			bad++;
		}
	}
	return bad;
}

int
pc_number(const struct tm_check *chk, const char *key, double lo, double hi)
{
	const struct tm_config *c = chk->config;
	const char *s;
	double v;

	if (c->get_number(c, key, &v) == 0) {
		if (isfinite(v) && v >= lo && v <= hi)
			return 0;
		chk->report(chk, key, "%g is out of range: must be between "
		    "%g and %g", v, lo, hi);
		return 1;
	}
	if (c->get_string(c, key, &s) == 0) {
		chk->report(chk, key, "must be a number between %g and %g, "
		    "not a string", lo, hi);
		return 1;
	}
	return 0;
}

int
pc_choice(const struct tm_check *chk, const char *key,
    const char *const *choices)
{
	const struct tm_config *c = chk->config;
	const char *s;
	double v;

	char list[160];
	size_t n = 0;
	int k;

	/* "a", "b" or "c" */
	list[0] = '\0';
	for (k = 0; choices[k] != NULL && n < sizeof(list); k++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s\"%s\"",
		    k == 0 ? "" : choices[k + 1] == NULL ? " or " : ", ",
		    choices[k]);
	if (c->get_string(c, key, &s) == 0) {
		for (k = 0; choices[k] != NULL; k++)
			if (strcmp(s, choices[k]) == 0)
				return 0;
		chk->report(chk, key, "is \"%.40s\", must be %s", s, list);
		return 1;
	}
	if (c->get_number(c, key, &v) == 0) {
		chk->report(chk, key, "must be %s, not a number", list);
		return 1;
	}
	return 0;
}
