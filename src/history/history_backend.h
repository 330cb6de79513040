/*
 * What history.c needs from a storage backend.  history.c owns the queue,
 * the writer thread and the failure policy; a backend only turns one row
 * into one committed transaction and answers the reads.  SQLite is the
 * embedded one; PostgreSQL the shared one, with a SQLite file as its
 * spool (history_spool.c).  Each backend's files define struct hb_conn;
 * everywhere else it is opaque.
 *
 * Names: the public API is history_*; what the history's files share
 * among themselves is hist_*, hist_sq_* for SQLite's and hist_pg_* for
 * PostgreSQL's.
 */
#ifndef TREAD_HISTORY_BACKEND_H
#define TREAD_HISTORY_BACKEND_H

#include "history.h"

/* HK_PIN is not part of a runner_history: it is read on its own. */
enum hist_kind { HK_CHECKIN, HK_SESSION, HK_STRENGTH, HK_SYMPTOM, HK_OVERRIDE,
	HK_PIN };

/* One row to write: an owned copy of the caller's record plus its id. */
struct hist_row {
	enum hist_kind	 kind;
	char		 id[HISTORY_ID_LEN];
	/* The row's calendar day: the record's own, or the local day of a
	 * session's start or an override's time (those structs have none). */
	hday_t		 day;
	union {
		struct hist_checkin	 checkin;
		struct hist_session	 session;
		struct hist_strength	 strength;
		struct hist_symptom	 symptom;
		struct hist_override	 override;
		struct hist_pin		 pin;
	} u;
};

/* What a read asks for (history_load, history_load_rules,
 * history_list). */
struct hist_read {
	hday_t	 since;		/* a load: from this day (but the kinds
				   kept whatever their age) */
	const struct hist_rules *rules;	/* and before it, what these count
				   (NULL: nothing) */
	int	 limit;		/* > 0: a listing, the newest rows of each
				   kind */
};

/* How a write failed: worth retrying later, or never going to work. */
enum hb_result { HB_OK = 0, HB_TRANSIENT = -1, HB_PERMANENT = -2 };

enum hb_role {
	HB_WRITER,	/* creates and migrates the schema */
	HB_READER,	/* reads, and the recovery */
};

struct hb_conn;

struct history_backend {
	const char *name;
	/* Messages from open, recover and read name the database. */
	struct hb_conn *(*open)(const char *where, enum hb_role, char *err,
	    size_t errlen);
	void	 (*close)(struct hb_conn *);
	/* One row, one transaction (a session is an upsert by id).  err
	 * gets the database's own text only; the caller adds context. */
	enum hb_result (*put)(struct hb_conn *, const struct hist_row *,
	    char *err, size_t errlen);
	int	 (*recover)(struct hb_conn *, char *err, size_t errlen);
	/* A load or a listing of the runner's rows, in one snapshot. */
	int	 (*read)(struct hb_conn *, const char *runner,
	    const struct hist_read *, struct runner_history *, char *err,
	    size_t errlen);
	/* history_running_elsewhere: sessions of runner still running on
	 * another treadmill; those whose end is before stale_before are
	 * closed as interrupted first.  1 (where set), 0, or -1. */
	int	 (*running)(struct hb_conn *, const char *runner,
	    const char *treadmill, time_t stale_before, char *where,
	    size_t wlen, char *err, size_t errlen);
	/* history_claim: running, and when 0, the claim taken in the same
	 * transaction; release gives it back. */
	int	 (*claim)(struct hb_conn *, const char *runner,
	    const char *treadmill, time_t stale_before, char *where,
	    size_t wlen, char *err, size_t errlen);
	int	 (*release)(struct hb_conn *, const char *runner,
	    const char *treadmill, char *err, size_t errlen);
	/* The runner's newest row of kind k (by its time): 1, 0 if none,
	 * or -1. */
	int	 (*latest)(struct hb_conn *, enum hist_kind k, const char *runner,
	    struct hist_row *out, char *err, size_t errlen);
};

extern const struct history_backend hist_sq_backend;
extern const struct history_backend hist_pg_backend;

/* ---- PostgreSQL's own entry points (history_pg*.c) ---------------------- */

/* Its open needs more than a name.  Never fails for want of a server:
 * the connection is made when it is first needed. */
struct hb_conn *hist_pg_open(const struct history_pg *, enum hb_role, char *err,
	    size_t errlen);
/* history_recover: as the vtable's, but for the sessions in skip. */
int	 hist_pg_recover(struct hb_conn *, char (*skip)[HISTORY_ID_LEN],
	    size_t nskip, char *err, size_t errlen);
/* n rows in one transaction.  HB_PERMANENT: row *bad was refused (the
 * others were not written either); HB_TRANSIENT: nothing was written. */
enum hb_result hist_pg_put_many(struct hb_conn *, const struct hist_row *,
	    size_t n, size_t *bad, char *err, size_t errlen);
/* history_pg_check, once the module is loaded. */
int	 hist_pg_check(const struct history_pg *, uid_t owner, char *err,
	    size_t errlen);

/* ---- SQLite as the spool (history_sqlite_spool.c) ----------------------- */

/* A crash of ours cut the sessions still running in the spool (or an
 * embedded file): mark them interrupted; how many (with ids, theirs in a
 * new *ids), or -1. */
int	 hist_sq_recover(struct hb_conn *, char (**ids)[HISTORY_ID_LEN],
	    char *err, size_t errlen);
/* Prepare a spool opened as HB_WRITER; *count: the rows in it. */
int	 hist_sq_spool_init(struct hb_conn *, unsigned long *count, char *err,
	    size_t errlen);
/* Like put; *added is false when the row (a session) was there already. */
enum hb_result hist_sq_spool_put(struct hb_conn *, const struct hist_row *,
	    bool *added, char *err, size_t errlen);
/* Up to max of the oldest rows, in the order they were spooled, with
 * their versions; the count, or -1.  A row whose table lost it comes with
 * day HIST_SQ_GONE: only its place is left to forget. */
#define HIST_SQ_GONE	INT32_MIN
int	 hist_sq_spool_oldest(struct hb_conn *, struct hist_row *rows,
	    long long *vers, size_t max, char *err, size_t errlen);
/* Remove rows (delivered), each only if still at the version sent; how
 * many went, or -1. */
int	 hist_sq_spool_forget(struct hb_conn *, const struct hist_row *rows,
	    const long long *vers, size_t n, char *err, size_t errlen);

#endif
