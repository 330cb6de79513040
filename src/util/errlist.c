#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "errlist.h"
#include "log.h"
#include "xmalloc.h"

void
errlist_add(struct errlist *e, const char *file, int line, const char *fmt,
    ...)
{
	char *msg, *full;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("errlist_add");
	va_end(ap);
	if (file != NULL && line > 0)
		xasprintf(&full, "%s:%d: %s", file, line, msg);
	else if (file != NULL)
		xasprintf(&full, "%s: %s", file, msg);
	else
		full = xstrdup(msg);
	free(msg);
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->msgs = xreallocarray(e->msgs, e->cap, sizeof(*e->msgs));
	}
	e->msgs[e->n++] = full;
}

void
errlist_free(struct errlist *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	e->msgs = NULL;
	e->n = e->cap = 0;
}

void
errlist_print(const struct errlist *e, void *fp)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(fp, "%s\n", e->msgs[i]);
}

void
errlist_log(const struct errlist *e)
{
	for (size_t i = 0; i < e->n; i++)
		log_warnx("%s", e->msgs[i]);
}
