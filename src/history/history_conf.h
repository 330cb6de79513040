/*
 * treadmilld.conf's history group to an open history (either backend),
 * and what treadmilld -n checks of it beyond the parser.
 */
#ifndef TREAD_HISTORY_CONF_H
#define TREAD_HISTORY_CONF_H

#include "config.h"
#include "errlist.h"
#include "history.h"

/* history_open or history_open_pg, as the configuration says. */
struct history *history_open_config(const struct config *, char *err,
	    size_t errlen);
/* PostgreSQL: the conninfo file and a connection; each problem into
 * errs at the line that names the file.  0 if none. */
int	 history_check_config(const struct config *, struct errlist *errs);

#endif
