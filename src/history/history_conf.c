/*
 * From the configuration to the history.  Kept apart from config.c (which
 * only parses) and from history.c (which knows nothing of the file).
 */
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "history_conf.h"

static bool
is_pg(const struct config *c)
{
	return strcmp(c->history.backend, "postgresql") == 0;
}

static void
pg_options(const struct config *c, struct history_pg *o)
{
	memset(o, 0, sizeof(*o));
	o->conninfo_file = c->history.conninfo_file;
	o->spool = c->history.spool;
	o->treadmill = c->daemon.name;
	o->connect_timeout_s = c->history.connect_timeout_s;
	o->stale_minutes = c->history.stale_minutes;
	o->module = c->history.module;
}

struct history *
history_open_config(const struct config *c, char *err, size_t errlen)
{
	struct history_pg o;

	if (!is_pg(c))
		return history_open(c->history.path, err, errlen);
	pg_options(c, &o);
	return history_open_pg(&o, err, errlen);
}

/*
 * Who the daemon will run as: started as root outside systemd it drops to
 * daemon.user (treadmilld.c); otherwise (systemd's User=, or by hand) it
 * stays who runs this.
 */
static uid_t
daemon_uid(const struct config *c)
{
	struct passwd *pw;

	if (geteuid() == 0 && c->daemon.user[0] != '\0' &&
	    strcmp(c->daemon.user, "root") != 0 &&
	    (pw = getpwnam(c->daemon.user)) != NULL)
		return pw->pw_uid;
	return geteuid();
}

int
history_check_config(const struct config *c, struct errlist *errs)
{
	struct history_pg o;
	char err[768];

	if (!is_pg(c))
		return 0;
	pg_options(c, &o);
	if (history_pg_check(&o, daemon_uid(c), err, sizeof(err)) == 0)
		return 0;
	/* The module's own problems at the line that names it. */
	if (strncmp(err, "PostgreSQL history module ", 26) == 0 &&
	    c->history.module_line > 0)
		errlist_add(errs, c->history.module_src,
		    c->history.module_line, "%s", err);
	else
		errlist_add(errs, c->history.conninfo_src,
		    c->history.conninfo_line, "%s", err);
	return -1;
}
