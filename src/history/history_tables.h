/*
 * One table of columns per record kind, shared by both backends and the
 * spool: a field is named, typed and placed once, and each backend only
 * knows how to bind and read a column of each type.  The SQL text that
 * lists columns (inserts, reads) is made from these tables
 * (history_sql.c).
 */
#ifndef TREAD_HISTORY_TABLES_H
#define TREAD_HISTORY_TABLES_H

#include <stddef.h>

#include "history_backend.h"

#define HIST_KINDS	(HK_PIN + 1)
/* The kinds a runner_history holds (loads and listings). */
#define HIST_RH_KINDS	(HK_OVERRIDE + 1)

enum hist_ctype {
	HC_TEXT,	/* char[len] */
	HC_NTEXT,	/* char[len], stored NULL when empty */
	HC_INT,		/* int */
	HC_TIME,	/* time_t, unix seconds */
	HC_BOOL,	/* bool */
	HC_REAL,	/* double, NaN stored NULL */
	HC_DAY,		/* hday_t, 'YYYY-MM-DD' */
	HC_OUTCOME,	/* enum hist_outcome, by name */
};

struct hist_col {
	const char	*name;
	enum hist_ctype	 type;
	size_t		 off;	/* in struct hist_row */
	size_t		 len;	/* the field's size */
};

struct hist_table {
	const char		*what;		/* one row, in words */
	const char		*name;
	const char		*when;		/* orders the rows of one day */
	bool			 keep_latest;	/* load: the last row, however
						   old */
	bool			 keep_all;	/* load: every row, however old
						   (staff overrides: few, and an
						   unlock lasts until a lock) */
	bool			 upsert;	/* a newer state replaces it */
	size_t			 size;		/* the record's */
	const struct hist_col	*cols;		/* id first */
	int			 ncols;
	/* A load with rules (history_load_rules): of the days before its
	 * first, the rows these count, NULL-terminated (each a condition
	 * with an index of its own, "?" the kind's threshold); NULL: none
	 * (a kind kept whatever its age is read whole). */
	const char *const	*rules;
};

extern const struct hist_table hist_tables[HIST_KINDS];

/* The earliest day a load asks for, as stored (a keep_all kind's). */
#define HIST_DAY_MIN	"1900-01-01"

/*
 * Schema version 3, the same step in both backends (history_sqlite.c,
 * history_pg_schema.c):
 * - sessions get running_min, walking_min and stage, overrides clear
 *   (false for every override before it).
 * - The walk-run stage was kept in the workout's name, "walkrun/2": it
 *   moves to its column, workout "walkrun", stage 2; every other session
 *   has stage 0.
 * - Which of an old session's minutes were running cannot be known now
 *   (its segments were not kept).  A "walk" ran none: running_min 0,
 *   walking_min actual_min.  Every other session counts all of its
 *   actual minutes as running (walking_min 0), as the load was counted
 *   before, warm-up and walk breaks of a walk-run included: an old
 *   session weighs no less than it did.
 */
/*
 * Version 4 adds claims: one row per runner, the treadmill that last
 * started her, when, and the last of her session rows then (after_seq:
 * her session on that treadmill is the first row after it), for
 * history_claim.  SQLite has the table too, so
 * that both backends stay at one version; with one treadmill per file
 * it is not used.
 */
/*
 * Version 5 adds pins: a runner's PIN as its hash, when and which staff
 * set it; the newest row of a runner is her PIN.  Kept in the shared
 * database so that every treadmill of a gym knows it.
 */
/*
 * Version 6 adds indexes for a load with rules (history_load_rules): of
 * the days before its window it reads only the rows a rule counts, each
 * kind of those found through an index of its own (the conditions are
 * history_tables.c's): check-ins with a red flag, and with pain; sessions
 * with a symptom, and clean easy runs by their running minutes; strength
 * sessions by their minutes.  Nothing else changes.
 */
#define HIST_SCHEMA_VERSION	6

/* Of step 2, what both backends index alike: the per-runner reads walk
 * (runner, day, time) in order. */
#define HIST_RUNNER_DAY_INDEXES						\
	"CREATE INDEX checkins_runner_day ON checkins (runner, day, at);" \
	"CREATE INDEX sessions_runner_day ON sessions"			\
	" (runner, day, start_at);"					\
	"CREATE INDEX strength_runner_day ON strength (runner, day, at);" \
	"CREATE INDEX symptoms_runner_day ON symptoms (runner, day, at);" \
	"CREATE INDEX overrides_runner_day ON overrides (runner, day, at);"

/* Step 6, one text for both backends.  SQLite takes a partial index only
 * for a query with the terms of its WHERE word for word: these are the
 * rules' of history_tables.c. */
#define HIST_MIGRATION_6						\
	"CREATE INDEX checkins_runner_flags ON checkins (runner, day, at)" \
	" WHERE leak OR heaviness OR bleeding;"				\
	"CREATE INDEX checkins_runner_pain ON checkins (runner, pain);"	\
	"CREATE INDEX sessions_runner_symptom ON sessions"		\
	" (runner, day, start_at) WHERE symptom;"			\
	"CREATE INDEX sessions_runner_runs ON sessions (runner, running_min)" \
	" WHERE NOT symptom AND NOT hard AND outcome = 'completed'"	\
	" AND workout <> 'walk';"					\
	"CREATE INDEX strength_runner_minutes ON strength (runner, minutes);"

/*
 * The reads of a kind, one text for both backends but for the dialect.
 * Each returns the table's columns first, in table order (what a select
 * adds after them is for its own ordering); its parameters: */
enum hist_select {
	HS_LOAD,	/* runner, the first day: oldest first (a load) */
	HS_RULES,	/* runner, the first day, the kind's threshold: the
			   same, and before it what the rules count (a row
			   of those has o_rule 1: its column is
			   HIST_COL_RULE) */
	HS_LIST,	/* runner, how many: the newest, oldest first */
	HS_LATEST,	/* runner: the newest row */
	HS_GET,		/* id: that row */
};
#define HIST_SELECTS	(HS_GET + 1)
#define HIST_COL_RULE(t)	((t)->ncols + 3)

/* SQL made from a table once, kept for the life of the process. */
struct hist_sql {
	char	*insert_sqlite;	/* ?1, ?2 ... */
	char	*insert_pg;	/* $1, $2 ... */
	char	*cols;		/* the column list, in table order */
	char	*cols_pg;	/* the same, days as text */
	char	*select[HIST_SELECTS][2];	/* [how][0 SQLite, 1 pg] */
};
const struct hist_sql *hist_sql(enum hist_kind);

/* A read's parameters after the first (the runner). */
struct hist_args {
	int	 n;		/* how many, the runner's included */
	char	 arg[16];	/* a load's first day as stored, a listing's
				   count */
	double	 threshold;	/* HS_RULES: the kind's (if it has rules) */
	hday_t	 since;		/* HS_RULES: its rows from this day on are the
				   window's too, to be skipped */
};

/* How a read reads kind k: the select and its parameters. */
void	 hist_read_plan(enum hist_kind, const struct hist_read *,
	    enum hist_select *how, struct hist_args *);

/*
 * The crash recovery, for every backend and the spool: a session still
 * 'running' whose belt is gone is 'interrupted'.  Only the outcome
 * changes: the last checkpoint's figures stay.  Each caller adds which
 * sessions (AND ...) and what it returns.
 */
#define HIST_RECOVER_SQL	"UPDATE sessions SET outcome = 'interrupted'" \
				" WHERE outcome = 'running'"

static inline void *
hist_field(struct hist_row *r, const struct hist_col *c)
{
	return (unsigned char *)r + c->off;
}

static inline const void *
hist_cfield(const struct hist_row *r, const struct hist_col *c)
{
	return (const unsigned char *)r + c->off;
}

/* After a read: what the record holds twice (its id, its day) from the
 * row's columns. */
void	 hist_row_settle(struct hist_row *);
/* Before a write, of a copy of the caller's record: every text column
 * ends within its field, and the record holds the row's id and day. */
void	 hist_row_terminate(struct hist_row *);
/* The arrays of struct runner_history by kind. */
void	*hist_rh_get(const struct runner_history *, enum hist_kind,
	    size_t *n);
void	 hist_rh_set(struct runner_history *, enum hist_kind, void *rows,
	    size_t n);

#endif
