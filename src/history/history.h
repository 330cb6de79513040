/*
 * The runner history behind one small interface: check-ins, sessions,
 * strength sessions, symptom reports and staff overrides.  The governor
 * and the session code never see SQL.  SQLite (WAL) is the embedded
 * default.
 *
 * Writes are queued to a writer thread, so the control loop never waits
 * on the disk; reads (for a plan or a listing) run on the caller's
 * thread with their own connection.  Every row carries a stable text id
 * (uuid-like), so that the shared PostgreSQL backend delivers it exactly
 * once, also after it waited in the local spool (history_spool.c).
 */
#ifndef TREAD_HISTORY_H
#define TREAD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "records.h"

struct history;

/*
 * Open (creating and migrating the schema as needed).  On failure returns
 * NULL with a clear message in err (path, what went wrong: not a database,
 * read-only, newer schema than this daemon knows...).
 */
struct history *history_open(const char *path, char *err, size_t errlen);
/*
 * The shared history of a gym (history_pg*.c).  The connection string is
 * read from conninfo_file (owned by the daemon's user, mode 0600 or 0400)
 * at every connection attempt; no message ever shows its password.
 * Every row goes into spool, a local SQLite file, and a thread of its own
 * delivers it to the database, in order and once; while the database
 * cannot be reached, rows wait there.  Fails only if the spool cannot be
 * opened: an unreachable database is not an error here.
 */
struct history_pg {
	const char	*conninfo_file;
	const char	*spool;
	const char	*treadmill;	/* this one (daemon.name) */
	int		 connect_timeout_s;
	double		 read_timeout_s;	/* each read; 0: 0.4 s */
	int		 stale_minutes;	/* a running session this long
					   without a checkpoint is over */
	const char	*module;	/* history_pg.so; NULL: the
					   installed one */
};
struct history *history_open_pg(const struct history_pg *, char *err,
	    size_t errlen);
/* For treadmilld -n: the module, the conninfo file (owned by uid) and one
 * connection within the timeout; 0, or -1 with a message naming the file,
 * or host and port. */
int	 history_pg_check(const struct history_pg *, uid_t owner, char *err,
	    size_t errlen);

/* Flush queued writes and close. */
void	 history_close(struct history *);
/* Mark sessions left open by a crash as interrupted; returns how many. */
int	 history_recover(struct history *, char *err, size_t errlen);

/*
 * A runner's PIN, as its hash (crypt(3), yescrypt): the newest row of a
 * runner is her PIN.  Set by staff; never the PIN itself.
 */
struct hist_pin {
	char	 runner[32];
	time_t	 at;
	char	 hash[128];
	char	 staff[64];	/* who set it */
};

/* Queued writes: return at once; failures are logged by the writer and
 * counted (history_write_errors). */
void	 history_add_checkin(struct history *, const struct hist_checkin *);
void	 history_add_strength(struct history *, const struct hist_strength *);
void	 history_add_symptom(struct history *, const struct hist_symptom *);
void	 history_add_override(struct history *, const struct hist_override *);
void	 history_add_pin(struct history *, const struct hist_pin *);
/* Insert a new session row, or update it if the id exists (checkpoint,
 * end).  s->id must be set (history_new_id). */
void	 history_put_session(struct history *, const struct hist_session *);
/* Wait until every queued write is on disk (tests, shutdown); 0 or -1. */
int	 history_sync(struct history *);
unsigned long history_write_errors(const struct history *);
/* Rows in the spool not yet delivered to the shared database (0 with
 * SQLite). */
unsigned long history_spooled(const struct history *);
/* Why the spool's rows cannot be delivered now, "" if they can; a copy
 * as above. */
const char *history_link_error(const struct history *);
/* The last write failure's text, "" if none; a copy that stays valid
 * until this thread's next call. */
const char *history_last_error(const struct history *);

/* A fresh stable id. */
void	 history_new_id(char id[HISTORY_ID_LEN]);

/* Reads.  since: earliest day wanted (older rows may be skipped, except
 * that the last symptom and every staff override are always included). */
int	 history_load(struct history *, const char *runner, hday_t since,
	    struct runner_history *, char *err, size_t errlen);
/*
 * Today's decision when the streak that unlocked intervals may be older
 * than its window: history_load from since, and of the days before it
 * only what the rules count (struct hist_rules): the runs and strength
 * sessions (if they count) long enough for the unlock, the sessions with
 * a symptom and the check-ins with a red flag; and every symptom report
 * and staff override, however old.
 */
int	 history_load_rules(struct history *, const char *runner, hday_t since,
	    const struct hist_rules *, struct runner_history *, char *err,
	    size_t errlen);
/* For staff: the most recent max_rows rows of each kind (oldest first). */
int	 history_list(struct history *, const char *runner, int max_rows,
	    struct runner_history *out, char *err, size_t errlen);
void	 history_free(struct runner_history *);
/* The runner's newest PIN row: 1 (into out), 0 if she has none, -1 with
 * err if the history cannot tell.  Bounded like a read. */
int	 history_pin(struct history *, const char *runner, struct hist_pin *out,
	    char *err, size_t errlen);

/*
 * One runner, one belt: 1 if runner has a running session on a treadmill
 * other than this one whose last checkpoint is newer than stale_minutes
 * (its name into where), 0 if not, -1 with err if the history cannot
 * tell.  Running sessions older than that are closed as interrupted on
 * the way: their treadmill died or lost its link for good.
 */
int	 history_running_elsewhere(struct history *, const char *runner,
	    const char *treadmill, int stale_minutes, char *where, size_t wlen,
	    char *err, size_t errlen);
/*
 * The same question, and when the answer is 0 this treadmill claims the
 * runner in the same transaction, so that two treadmills starting her
 * at the same instant cannot both hear 0.  The claim holds while her
 * session here checkpoints (a lost link does not end it: the
 * checkpoints renew it when they arrive), and ends with the session or
 * when it goes stale_minutes without a checkpoint.  Bounded like a read.
 */
int	 history_claim(struct history *, const char *runner,
	    const char *treadmill, int stale_minutes, char *where, size_t wlen,
	    char *err, size_t errlen);
/* Give the claim back when the start fails after it. */
int	 history_release(struct history *, const char *runner,
	    const char *treadmill, char *err, size_t errlen);

#endif
