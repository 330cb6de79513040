/*
 * A list of "file:line: message" errors.  Configuration is parsed whole and
 * every problem reported, not just the first.
 */
#ifndef TREAD_ERRLIST_H
#define TREAD_ERRLIST_H

#include <stddef.h>

struct errlist {
	char	**msgs;
	size_t	 n, cap;
};

void	 errlist_add(struct errlist *, const char *file, int line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 errlist_free(struct errlist *);
/* Each message, one per line, to a FILE * or the log. */
void	 errlist_print(const struct errlist *, void *fp);
void	 errlist_log(const struct errlist *);

#endif
