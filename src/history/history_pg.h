/*
 * Inside the PostgreSQL backend: history_pg_conninfo.c reads the
 * connection string and keeps its password out of messages,
 * history_pg_link.c reaches the server (connecting and statements within
 * a deadline), history_pg_schema.c keeps
 * the schema and closes sessions that were left running,
 * history_pg_rows.c maps rows to columns and back, history_pg.c is the
 * backend (connections, the reader's background connect, the vtable).
 */
#ifndef TREAD_HISTORY_PG_H
#define TREAD_HISTORY_PG_H

#include <libpq-fe.h>
#include <pthread.h>
#include <sys/types.h>

#include "history_backend.h"

/* The whole of a read (a plan, a start, a listing) by default: a runner
 * waiting at the console hears of a stalled server within this.  It is
 * also under the drive's watchdog (500 ms by default), so a read on the
 * loop, were one ever added, could not stop the belt. */
#define HIST_PG_READ_WAIT_S	0.4

/* What a connection needs; fixed at open. */
struct hist_pg_cfg {
	char		*conninfo_file;
	uid_t		 owner;		/* who must own conninfo_file */
	int		 timeout_s;	/* connecting, and each write */
	double		 read_wait_s;	/* the whole of each read */
	int		 stale_minutes;
	char		 treadmill[64];
	time_t		 opened_at;	/* ours, started before: a crash's */
	enum hb_role	 role;
};

/* What a connection attempt learnt: where it went.  The passwords it
 * saw are kept by history_pg_conninfo.c, for the whole process. */
struct hist_pg_info {
	char		 where[192];	/* "PostgreSQL at HOST:PORT" */
};

struct hb_conn {
	struct hist_pg_cfg	 cfg;
	PGconn		*pg;		/* NULL while there is no link */

	/* The reader connects in the background (history_pg.c). */
	pthread_mutex_t	 lock;		/* guards what follows */
	pthread_cond_t	 done;
	struct hist_pg_info	 info;
	bool		 connecting, joinable;
	pthread_t	 connector;
	PGconn		*ready;		/* connected, not yet taken */
	char		 ready_err[512];
	double		 retry_at;	/* no new attempt before */
};

double	 hist_pg_now(void);

/* history_pg_conninfo.c */
/* The connection string from the file, which must be a regular file
 * owned by owner with mode 0600 or 0400; NULL with err otherwise.  The
 * caller wipes and frees it. */
char	*hist_pg_read_conninfo(const char *path, uid_t owner, char *err,
	    size_t errlen);
/* Whatever in the string could be the password (as libpq reads it, and
 * as written), any length, any count: from now on it is masked. */
void	 hist_pg_find_secrets(const char *conninfo, struct hist_pg_info *);
/* Replace every password seen so far in s (a buffer of len bytes) with
 * asterisks. */
void	 hist_pg_mask(const struct hist_pg_info *, char *s, size_t len);
/* libpq's complaint about a string it could not parse, with what it
 * quotes of the string masked unless it is a setting's name. */
void	 hist_pg_scrub_quotes(const char *msg, char *out, size_t len);
/* "PostgreSQL at HOST:PORT" from the parsed string; its password joins
 * the secrets. */
void	 hist_pg_describe(PQconninfoOption *, struct hist_pg_info *);

/* history_pg_link.c */
/* Connect, within cfg->timeout_s; NULL with err (masked) on failure. */
PGconn	*hist_pg_connect(const struct hist_pg_cfg *, struct hist_pg_info *,
	    char *err, size_t errlen);
/* One statement (or several, without parameters when n < 0), waiting no
 * later than deadline.  NULL on a timeout or a broken link (err says
 * which; the connection is then unusable); else a result the caller
 * checks and clears.  err gets the server's own words only. */
PGresult *hist_pg_exec(PGconn *, double deadline, const char *sql, int n,
	    const char *const *params, char *err, size_t errlen);
/* The result of what was sent last, as hist_pg_exec waits for it. */
PGresult *hist_pg_wait(PGconn *, double deadline, char *err, size_t errlen);
PGresult *hist_pg_exec_prepared(PGconn *, double deadline, const char *name,
	    int n, const char *const *params, char *err, size_t errlen);
/* A command that must succeed: 0, or -1 with err. */
int	 hist_pg_command(PGconn *, double deadline, const char *sql, char *err,
	    size_t errlen);
/* The error of a failed result, in one line. */
void	 hist_pg_result_error(const PGresult *, char *err, size_t errlen);
/* Worth retrying (the link, the server), or the row's own fault. */
enum hb_result hist_pg_classify(PGconn *, const PGresult *);

/* history_pg_schema.c */
int	 hist_pg_migrate(PGconn *, double deadline, char *err, size_t errlen);
/* Without changing anything (treadmilld -n): -1 if the schema is newer
 * than this program knows. */
int	 hist_pg_schema_check(PGconn *, double deadline, char *err,
	    size_t errlen);
/* Ours started before cfg->opened_at, and any without a checkpoint for
 * stale_minutes, but for those in skip: interrupted.  How many, or -1. */
int	 hist_pg_recover_on(PGconn *, const struct hist_pg_cfg *,
	    char (*skip)[HISTORY_ID_LEN], size_t nskip, double deadline,
	    char *err, size_t errlen);

/* history_pg_rows.c */
int	 hist_pg_prepare(PGconn *, double deadline, char *err, size_t errlen);
enum hb_result hist_pg_insert(PGconn *, double deadline,
	    const struct hist_row *, char *err, size_t errlen);
int	 hist_pg_read(PGconn *, double deadline, const char *runner,
	    const struct hist_read *, struct runner_history *, char *err,
	    size_t errlen);
int	 hist_pg_latest(PGconn *, double deadline, enum hist_kind,
	    const char *runner, struct hist_row *, char *err, size_t errlen);

#endif
