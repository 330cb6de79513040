/*
 * Typed, range-checked lookups in a libconfig group.  Every error names the
 * file and line of the offending setting; an absent optional key takes its
 * documented default.
 */
#ifndef TREAD_CFGUTIL_H
#define TREAD_CFGUTIL_H

#include <libconfig.h>
#include <stdbool.h>

#include "errlist.h"

/* The largest configuration, profile or map file read. */
#define CFG_FILE_MAX	(1024 * 1024)

/* Read a whole file; a syntax error is added to errs as file:line.  The
 * file must be a regular file of at most CFG_FILE_MAX bytes, without
 * @include. */
int	 cfg_read(config_t *, const char *path, struct errlist *errs);

/* Where a setting comes from (for errors about it). */
const char *cfg_file(const config_setting_t *, const char *fallback);
int	 cfg_line(const config_setting_t *);

/* Report keys in group that are not in the NULL-terminated list. */
void	 cfg_unknown_keys(const config_setting_t *group,
	    const char *const *known, const char *fallback_file,
	    struct errlist *);

/* Each returns 1 if the key was present and valid, 0 if absent (out takes
 * def; an absent required key is an error), -1 on error. */
int	 cfg_int(const config_setting_t *group, const char *key, bool required,
	    long long def, long long min, long long max, long long *out,
	    const char *file, struct errlist *);
int	 cfg_double(const config_setting_t *group, const char *key,
	    bool required, double def, double min, double max, double *out,
	    const char *file, struct errlist *);
int	 cfg_bool(const config_setting_t *group, const char *key, bool def,
	    bool *out, const char *file, struct errlist *);
/* Copies into buf (size len); too long is an error. */
int	 cfg_string(const config_setting_t *group, const char *key,
	    bool required, const char *def, char *buf, size_t len,
	    const char *file, struct errlist *);
/* A string that must be one of choices (NULL-terminated, the first the
 * default), copied into buf (size len): its index, or -1 on error ("what
 * is "x", must be "a", "b" or "c"" for another string). */
int	 cfg_choice(const config_setting_t *group, const char *key,
	    const char *what, const char *const *choices, char *buf,
	    size_t len, const char *file, struct errlist *);
/* A group member, checked to be a group. NULL if absent. */
config_setting_t *cfg_group(const config_setting_t *parent, const char *key,
	    bool required, const char *file, struct errlist *);

#endif
