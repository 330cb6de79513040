/*
 * The columns of the six record kinds (see history_tables.h), what the
 * rules count of them, and the records' own helpers; the SQL made from
 * them is history_sql.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "history_tables.h"

#define FIELD(k, f)	offsetof(struct hist_row, u.k.f), \
			sizeof(((struct hist_row *)0)->u.k.f)
#define ID		{ "id", HC_TEXT, offsetof(struct hist_row, id), \
			  HISTORY_ID_LEN }
#define DAY		{ "day", HC_DAY, offsetof(struct hist_row, day), \
			  sizeof(hday_t) }
#define NCOLS(a)	((int)(sizeof(a) / sizeof(a[0])))

static const struct hist_col checkin_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(checkin, runner) },
	DAY,
	{ "sleep_h", HC_REAL, FIELD(checkin, sleep_h) },
	{ "pain", HC_INT, FIELD(checkin, pain) },
	{ "leak", HC_BOOL, FIELD(checkin, leak) },
	{ "heaviness", HC_BOOL, FIELD(checkin, heaviness) },
	{ "bleeding", HC_BOOL, FIELD(checkin, bleeding) },
	{ "limitation", HC_BOOL, FIELD(checkin, limitation) },
	{ "at", HC_TIME, FIELD(checkin, at) },
};

static const struct hist_col session_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(session, runner) },
	DAY,		/* of its start */
	{ "workout", HC_TEXT, FIELD(session, workout) },
	{ "hard", HC_BOOL, FIELD(session, hard) },
	{ "start_at", HC_TIME, FIELD(session, start) },
	{ "end_at", HC_TIME, FIELD(session, end) },
	{ "planned_min", HC_REAL, FIELD(session, planned_min) },
	{ "actual_min", HC_REAL, FIELD(session, actual_min) },
	{ "hard_min", HC_REAL, FIELD(session, hard_min) },
	{ "distance_m", HC_REAL, FIELD(session, distance_m) },
	{ "avg_speed", HC_REAL, FIELD(session, avg_speed) },
	{ "max_speed", HC_REAL, FIELD(session, max_speed) },
	{ "avg_hr", HC_INT, FIELD(session, avg_hr) },
	{ "max_hr", HC_INT, FIELD(session, max_hr) },
	{ "above_cap_s", HC_REAL, FIELD(session, above_cap_s) },
	{ "outcome", HC_OUTCOME, FIELD(session, outcome) },
	{ "symptom", HC_BOOL, FIELD(session, symptom) },
	{ "backfilled", HC_BOOL, FIELD(session, backfilled) },
	{ "treadmill", HC_TEXT, FIELD(session, treadmill) },
	/* schema version 3 */
	{ "running_min", HC_REAL, FIELD(session, running_min) },
	{ "walking_min", HC_REAL, FIELD(session, walking_min) },
	{ "stage", HC_INT, FIELD(session, stage) },
};

static const struct hist_col strength_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(strength, runner) },
	DAY,
	{ "minutes", HC_REAL, FIELD(strength, minutes) },
	{ "at", HC_TIME, FIELD(strength, at) },
};

static const struct hist_col symptom_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(symptom, runner) },
	DAY,
	{ "at", HC_TIME, FIELD(symptom, at) },
	{ "kind", HC_TEXT, FIELD(symptom, kind) },
	{ "session_id", HC_NTEXT, FIELD(symptom, session_id) },
};

static const struct hist_col override_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(override, runner) },
	DAY,		/* of its time */
	{ "at", HC_TIME, FIELD(override, at) },
	{ "unlock", HC_BOOL, FIELD(override, unlock) },
	{ "staff", HC_TEXT, FIELD(override, staff) },
	{ "reason", HC_TEXT, FIELD(override, reason) },
	/* schema version 3 */
	{ "clear", HC_BOOL, FIELD(override, clear) },
};

/* schema version 5 */
static const struct hist_col pin_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(pin, runner) },
	DAY,		/* of its time */
	{ "at", HC_TIME, FIELD(pin, at) },
	{ "hash", HC_TEXT, FIELD(pin, hash) },
	{ "staff", HC_TEXT, FIELD(pin, staff) },
};

/*
 * What the governor counts before a load's window (history.h,
 * history_load_rules), each condition with an index of its own (schema
 * version 6).  SQLite takes a partial index only for a query that has
 * the terms of its WHERE word for word: keep them as HIST_MIGRATION_6
 * (history_tables.h) writes them.  A clean easy run is gov_clean_run's,
 * a red flag gov_red_flag's.  No day here: an index on the day would
 * look cheaper to SQLite's planner, and scan every row of the runner's.
 */
static const char *const checkin_rules[] = {
	"leak OR heaviness OR bleeding",
	"pain >= ? AND NOT (leak OR heaviness OR bleeding)",
	NULL,
};

static const char *const session_rules[] = {
	"symptom",
	"running_min >= ? AND running_min > 0 AND NOT symptom AND NOT hard "
	    "AND outcome = 'completed' AND workout <> 'walk'",
	NULL,
};

static const char *const strength_rules[] = {
	"minutes >= ?",
	NULL,
};

const struct hist_table hist_tables[HIST_KINDS] = {
	[HK_CHECKIN] = { "checkin", "checkins", "at", false, false, false,
	    sizeof(struct hist_checkin), checkin_cols, NCOLS(checkin_cols),
	    checkin_rules },
	[HK_SESSION] = { "session", "sessions", "start_at", false, false, true,
	    sizeof(struct hist_session), session_cols, NCOLS(session_cols),
	    session_rules },
	[HK_STRENGTH] = { "strength", "strength", "at", false, false, false,
	    sizeof(struct hist_strength), strength_cols,
	    NCOLS(strength_cols), strength_rules },
	[HK_SYMPTOM] = { "symptom", "symptoms", "at", true, false, false,
	    sizeof(struct hist_symptom), symptom_cols, NCOLS(symptom_cols),
	    NULL },
	[HK_OVERRIDE] = { "override", "overrides", "at", false, true, false,
	    sizeof(struct hist_override), override_cols,
	    NCOLS(override_cols), NULL },
	[HK_PIN] = { "pin", "pins", "at", false, false, false,
	    sizeof(struct hist_pin), pin_cols, NCOLS(pin_cols), NULL },
};

/* ---- records ----------------------------------------------------------- */

void
hist_row_settle(struct hist_row *r)
{
	switch (r->kind) {
	case HK_CHECKIN:
		r->u.checkin.day = r->day;
		break;
	case HK_SESSION:
		memcpy(r->u.session.id, r->id, sizeof(r->u.session.id));
		break;
	case HK_STRENGTH:
		r->u.strength.day = r->day;
		break;
	case HK_SYMPTOM:
		r->u.symptom.day = r->day;
		break;
	case HK_OVERRIDE:
	case HK_PIN:
		break;
	}
}

void
hist_row_terminate(struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[r->kind];

	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].type == HC_TEXT || t->cols[i].type == HC_NTEXT)
			((char *)hist_field(r, &t->cols[i]))[t->cols[i].len -
			    1] = '\0';
	hist_row_settle(r);
}

void *
hist_rh_get(const struct runner_history *rh, enum hist_kind k, size_t *n)
{
	switch (k) {
	case HK_CHECKIN:
		*n = rh->ncheckins;
		return rh->checkins;
	case HK_SESSION:
		*n = rh->nsessions;
		return rh->sessions;
	case HK_STRENGTH:
		*n = rh->nstrength;
		return rh->strength;
	case HK_SYMPTOM:
		*n = rh->nsymptoms;
		return rh->symptoms;
	case HK_OVERRIDE:
		*n = rh->noverrides;
		return rh->overrides;
	case HK_PIN:
	default:
		*n = 0;
		return NULL;
	}
}

void
hist_rh_set(struct runner_history *rh, enum hist_kind k, void *rows, size_t n)
{
	switch (k) {
	case HK_CHECKIN:
		rh->checkins = rows, rh->ncheckins = n;
		break;
	case HK_SESSION:
		rh->sessions = rows, rh->nsessions = n;
		break;
	case HK_STRENGTH:
		rh->strength = rows, rh->nstrength = n;
		break;
	case HK_SYMPTOM:
		rh->symptoms = rows, rh->nsymptoms = n;
		break;
	case HK_OVERRIDE:
		rh->overrides = rows, rh->noverrides = n;
		break;
	case HK_PIN:	/* not a runner_history's */
		free(rows);
		break;
	}
}
