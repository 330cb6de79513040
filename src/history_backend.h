/*
 * What history.c needs from a storage backend.  history.c owns the queue,
 * the writer thread and the failure policy; a backend only turns one row
 * into one committed transaction and answers the reads.  SQLite is the
 * only backend today; a shared PostgreSQL one plugs in here.
 */
#ifndef TREAD_HISTORY_BACKEND_H
#define TREAD_HISTORY_BACKEND_H

#include "history.h"

enum hist_kind { HK_CHECKIN, HK_SESSION, HK_STRENGTH, HK_SYMPTOM, HK_OVERRIDE };

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
	} u;
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
	/* Messages from open, recover, load and list name the database. */
	struct hb_conn *(*open)(const char *where, enum hb_role, char *err,
	    size_t errlen);
	void	 (*close)(struct hb_conn *);
	/* One row, one transaction (a session is an upsert by id).  err
	 * gets the database's own text only; the caller adds context. */
	enum hb_result (*put)(struct hb_conn *, const struct hist_row *,
	    char *err, size_t errlen);
	int	 (*recover)(struct hb_conn *, char *err, size_t errlen);
	int	 (*load)(struct hb_conn *, const char *runner, hday_t since,
	    struct runner_history *, char *err, size_t errlen);
	int	 (*list)(struct hb_conn *, const char *runner, int max_rows,
	    struct runner_history *, char *err, size_t errlen);
};

extern const struct history_backend history_sqlite;

#endif
