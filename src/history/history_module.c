/*
 * Loading the PostgreSQL backend (history_module.h).  Once loaded it stays:
 * libpq cannot be unloaded cleanly, and a daemon keeps its backend.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "history_module.h"

#ifndef HISTPGMOD
#define HISTPGMOD "/usr/local/lib/treadmilld/history_pg.so"
#endif

/* Defined when the backend is linked in (the unit tests, the fuzzers);
 * a weak reference pulls nothing in. */
#pragma weak hist_pg_module

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const struct hist_pg_module *loaded;

static const struct hist_pg_module *
load(const char *path, char *err, size_t errlen)
{
	const struct hist_pg_module *m;
	struct stat st;
	const char *e;
	void *h;

	/* As for plugins: code others could change is not run. */
	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "PostgreSQL history module %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "PostgreSQL history module %s is not a "
		    "regular file", path);
		return NULL;
	}
	if ((st.st_mode & 022) != 0) {
		snprintf(err, errlen, "PostgreSQL history module %s is "
		    "writable by group or others", path);
		return NULL;
	}
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		snprintf(err, errlen, "PostgreSQL history module %s: %s", path,
		    e != NULL ? e : "cannot be loaded");
		return NULL;
	}
	if ((m = dlsym(h, HIST_PG_SYMBOL)) == NULL || m->abi != HIST_PG_ABI) {
		snprintf(err, errlen, "PostgreSQL history module %s: %s", path,
		    m == NULL ? "no " HIST_PG_SYMBOL " in it" :
		    "built for another version of treadmilld");
		dlclose(h);
		return NULL;
	}
	return m;
}

const struct hist_pg_module *
hist_pg_load(const char *path, char *err, size_t errlen)
{
	const struct hist_pg_module *m;

	if (&hist_pg_module != NULL)
		return &hist_pg_module;
	pthread_mutex_lock(&lock);
	if (loaded == NULL)
		loaded = load(path != NULL && path[0] != '\0' ? path :
		    HISTPGMOD, err, errlen);
	m = loaded;
	pthread_mutex_unlock(&lock);
	return m;
}

const struct hist_pg_module *
hist_pg_loaded(void)
{
	const struct hist_pg_module *m;

	if (&hist_pg_module != NULL)
		return &hist_pg_module;
	pthread_mutex_lock(&lock);
	m = loaded;
	pthread_mutex_unlock(&lock);
	return m;
}

int
history_pg_check(const struct history_pg *o, uid_t owner, char *err,
    size_t errlen)
{
	const struct hist_pg_module *m = hist_pg_load(o->module, err, errlen);

	return m == NULL ? -1 : m->check(o, owner, err, errlen);
}
