/*
 * Loading runner profiles (core/profile.h is the data): one file, or every
 * *.conf of the profiles directory, with every error as file:line.
 */
#ifndef TREAD_PROFILE_LOAD_H
#define TREAD_PROFILE_LOAD_H

#include "errlist.h"
#include "profile.h"

/* Load one file; every error as file:line into errs.  0 or -1. */
int	 profile_load(struct profile *, const char *path, struct errlist *);
/* Load every *.conf in dir (sorted); -1 if any has errors (all listed). */
int	 profile_load_dir(struct profile_set *, const char *dir,
	    struct errlist *);
/* What a reload did with the profiles that have errors. */
struct profile_reload {
	char	 kept[256];	/* ids kept at their running version */
	char	 skipped[256];	/* new ids, not loaded */
	int	 nkept, nskipped;
};
/* Load every *.conf in dir for a reload: a file with errors keeps the
 * version of running with its id, or is left out; r says which, errs
 * has the errors.  -1 only if the directory cannot be read. */
int	 profile_reload_dir(struct profile_set *, const char *dir,
	    const struct profile_set *running, struct profile_reload *r,
	    struct errlist *);
void	 profile_set_free(struct profile_set *);
const struct profile *profile_find(const struct profile_set *,
	    const char *id);
/* Is this a valid runner id (the file base name rules)? */
bool	 profile_id_valid(const char *id);

#endif
