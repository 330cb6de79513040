/*
 * The PostgreSQL backend is a module of its own (history_pg.so), loaded
 * only when the history is on a PostgreSQL server: libpq and all it
 * brings (Kerberos, LDAP, TLS) stay out of a daemon whose history is
 * SQLite.  The module gives one table; the daemon gives it log, memory
 * and the SQLite spool (exported by the executable).
 */
#ifndef TREAD_HISTORY_MODULE_H
#define TREAD_HISTORY_MODULE_H

#include <sys/types.h>

#include "history_backend.h"

/* Bumped whenever the table or the structs it passes change. */
#define HIST_PG_ABI	1
#define HIST_PG_SYMBOL	"hist_pg_module"

struct hist_pg_module {
	int	 abi;
	const struct history_backend *backend;
	struct hb_conn *(*open)(const struct history_pg *, enum hb_role,
	    char *err, size_t errlen);
	int	 (*recover)(struct hb_conn *, char (*skip)[HISTORY_ID_LEN],
	    size_t nskip, char *err, size_t errlen);
	enum hb_result (*put_many)(struct hb_conn *, const struct hist_row *,
	    size_t n, size_t *bad, char *err, size_t errlen);
	int	 (*check)(const struct history_pg *, uid_t owner, char *err,
	    size_t errlen);
};

/* In the module (history_pg.c); linked in whole by the unit tests. */
extern const struct hist_pg_module hist_pg_module;

/* The backend: linked in, or loaded from path (NULL: the installed one)
 * the first time; NULL with err naming the file if it cannot be. */
const struct hist_pg_module *hist_pg_load(const char *path, char *err,
	    size_t errlen);
/* The one loaded already (history_spool.c runs only after a load). */
const struct hist_pg_module *hist_pg_loaded(void);

#endif
