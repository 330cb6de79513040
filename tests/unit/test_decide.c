/*
 * Today's decision read from a real history (src/decide.c), on SQLite
 * files and, when TREAD_TEST_PG names a cluster, on PostgreSQL (a fresh
 * database per test, its spool beside it).
 *
 * The daemon reads the governor's window, and when an unlock may lie
 * further back, of the older days only the rows the rules count
 * (history_load_rules).  Its decision must be the one the whole history
 * gives, codes and words alike, over histories that reach years back;
 * and the load must hold exactly those rows, from the database and from
 * the spool, found through their indexes.
 *
 * The calendar is test_governor's: "now" is Wednesday 2026-11-25, 18:00
 * UTC, and TZ is UTC.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "decide.h"
#include "fakehist.h"
#include "histfx.h"
#include "history.h"
#include "history_tables.h"
#include "log.h"
#include "plan.h"

static hday_t TODAY;
static time_t NOW;

static hday_t
mon(int k)
{
	return hday_week_start(TODAY) - 7 * k;
}

/* ---- the fixture ----------------------------------------------------- */

/* Wait until a read works: the reader makes its link in the background. */
static void
ready(struct history *h)
{
	struct runner_history rh;
	char err[512] = "";

	for (int i = 0; i < 300; i++) {
		if (history_list(h, "nobody", 1, &rh, err, sizeof(err)) == 0)
			return;
		usleep(50 * 1000);
	}
	fail_msg("still no read: %s", err);
}

/* Every row synced, and on PostgreSQL delivered (within 30 s). */
static void
delivered(struct history *h)
{
	assert_int_equal(history_sync(h), 0);
	for (int i = 0; i < 600 && history_spooled(h) > 0; i++)
		usleep(50 * 1000);
	if (history_spooled(h) > 0)
		fail_msg("%lu rows still spooled: %s", history_spooled(h),
		    history_link_error(h));
}

static int
setup(void **state)
{
	struct fx *fx;
	char err[512];

	if (fx_setup(state, "test_decide", "td") != 0)
		return -1;
	fx = *state;
	if (on_pg) {
		struct history_pg o = { .conninfo_file = fx->pgconf,
		    .spool = fx->spool, .treadmill = "tm-1",
		    .connect_timeout_s = 5, .stale_minutes = 10 };

		fx->h = history_open_pg(&o, err, sizeof(err));
	} else
		fx->h = history_open(fx->db, err, sizeof(err));
	if (fx->h == NULL) {
		fprintf(stderr, "opening the history: %s\n", err);
		return -1;
	}
	if (on_pg)
		ready(fx->h);
	return 0;
}

/* Write a fake history into the history as runner's. */
static void
store(struct history *h, const char *runner, const struct fake *f)
{
	const struct runner_history *r = &f->h;

	for (size_t i = 0; i < r->nsessions; i++) {
		struct hist_session s = r->sessions[i];

		history_new_id(s.id);
		snprintf(s.runner, sizeof(s.runner), "%s", runner);
		snprintf(s.treadmill, sizeof(s.treadmill), "tm-1");
		history_put_session(h, &s);
	}
	for (size_t i = 0; i < r->ncheckins; i++) {
		struct hist_checkin c = r->checkins[i];

		snprintf(c.runner, sizeof(c.runner), "%s", runner);
		history_add_checkin(h, &c);
	}
	for (size_t i = 0; i < r->nstrength; i++) {
		struct hist_strength s = r->strength[i];

		snprintf(s.runner, sizeof(s.runner), "%s", runner);
		history_add_strength(h, &s);
	}
	for (size_t i = 0; i < r->nsymptoms; i++) {
		struct hist_symptom s = r->symptoms[i];

		snprintf(s.runner, sizeof(s.runner), "%s", runner);
		history_add_symptom(h, &s);
	}
	for (size_t i = 0; i < r->noverrides; i++) {
		struct hist_override o = r->overrides[i];

		snprintf(o.runner, sizeof(o.runner), "%s", runner);
		history_add_override(h, &o);
	}
}

/* ---- which rows a load with rules returns ---------------------------- */

static void
rules_of(const struct profile *p, struct hist_rules *r)
{
	governor_rules(p, r);
	assert_true(r->run_minutes == 30 && r->strength_minutes == 20 &&
	    r->pain_threshold == 3);
}

/* A walk at 07:00, its minutes left as running: the workout alone says
 * that it is not a run. */
static void
walk(struct fake *f, hday_t day, double minutes)
{
	struct hist_session *s = add_session(f, day, 7, minutes);

	snprintf(s->workout, sizeof(s->workout), "walk");
}

/*
 * anna's history: in the window (from TODAY - 30) every row; before it
 * one row of each kind that a rule counts, at its threshold, and one of
 * each that it does not, just short of it.  bea's rows are not hers.
 */
static void
rules_history(struct fake *f, struct fake *bea)
{
	hday_t o = TODAY - 400;
	struct hist_session *s;

	/* before the window: counted */
	run(f, o, 30);
	s = add_session(f, o - 6, 7, 10);
	s->symptom = true;
	s->outcome = HO_SYMPTOM;
	checkin(f, o, 7)->pain = 3;
	checkin(f, o - 1, 7)->leak = true;
	checkin(f, o - 2, 7)->heaviness = true;
	checkin(f, o - 3, 7)->bleeding = true;
	strength(f, o)->minutes = 20;
	/* before the window: not counted */
	add_session(f, o - 1, 7, 30)->running_min = 29.9;
	hard(f, at(o - 2, 8, 0), 40, 6);
	walk(f, o - 3, 40);
	add_session(f, o - 4, 7, 40)->outcome = HO_STOPPED;
	add_session(f, o - 5, 7, 40)->running_min = NAN;
	checkin(f, o - 4, 7)->pain = 2;
	checkin(f, o - 5, 7)->limitation = true;
	strength(f, o - 1)->minutes = 19.9;
	/* every symptom report and override, however old */
	symptom(f, TODAY - 500, 9, "leak");
	symptom(f, TODAY - 450, 9, "pain");
	override(f, at(TODAY - 600, 10, 0), false, "Jo", "lock");
	override(f, at(TODAY - 550, 10, 0), true, "Jo", "unlock");
	/* the window, whole; two of its rows a rule counts too */
	run(f, TODAY - 2, 35);
	run(f, TODAY - 3, 10);
	checkin(f, TODAY - 1, 7)->leak = true;
	checkin(f, TODAY - 4, 7);
	strength(f, TODAY - 5)->minutes = 5;

	run(bea, o, 40);
	checkin(bea, o, 7)->leak = true;
	strength(bea, o);
	symptom(bea, o, 9, "leak");
}

static void
check_rules_rows(struct history *h, const struct profile *p)
{
	struct runner_history rh;
	struct hist_rules r;
	char err[512];
	hday_t o = TODAY - 400;

	rules_of(p, &r);
	if (history_load_rules(h, "anna", TODAY - 30, &r, &rh, err,
	    sizeof(err)) != 0)
		fail_msg("history_load_rules: %s", err);
	/* oldest first, the window's rows once */
	assert_int_equal(rh.nsessions, 4);
	assert_true(rh.sessions[0].symptom);
	assert_int_equal(rh.sessions[0].start, at(o - 6, 7, 0));
	assert_int_equal(rh.sessions[1].start, at(o, 7, 0));
	assert_true(rh.sessions[1].running_min == 30);
	assert_int_equal(rh.sessions[2].start, at(TODAY - 3, 7, 0));
	assert_int_equal(rh.sessions[3].start, at(TODAY - 2, 7, 0));
	assert_int_equal(rh.ncheckins, 6);
	assert_true(rh.checkins[0].bleeding && rh.checkins[0].day == o - 3);
	assert_true(rh.checkins[1].heaviness);
	assert_true(rh.checkins[2].leak);
	assert_true(rh.checkins[3].pain == 3 && rh.checkins[3].day == o);
	assert_true(rh.checkins[4].day == TODAY - 4);
	assert_true(rh.checkins[5].leak && rh.checkins[5].day == TODAY - 1);
	assert_int_equal(rh.nstrength, 2);
	assert_true(rh.strength[0].minutes == 20 && rh.strength[0].day == o);
	assert_int_equal(rh.strength[1].day, TODAY - 5);
	assert_int_equal(rh.nsymptoms, 2);
	assert_string_equal(rh.symptoms[0].kind, "leak");
	assert_string_equal(rh.symptoms[1].kind, "pain");
	assert_int_equal(rh.noverrides, 2);
	assert_string_equal(rh.overrides[0].reason, "lock");
	history_free(&rh);

	/* Without strength in the rule, none of it before the window. */
	r.strength_minutes = NAN;
	if (history_load_rules(h, "anna", TODAY - 30, &r, &rh, err,
	    sizeof(err)) != 0)
		fail_msg("history_load_rules: %s", err);
	assert_int_equal(rh.nsessions, 4);
	assert_int_equal(rh.nstrength, 1);
	assert_int_equal(rh.strength[0].day, TODAY - 5);
	history_free(&rh);

	/* A plain load of the same window: the last symptom only. */
	assert_int_equal(history_load(h, "anna", TODAY - 30, &rh, err,
	    sizeof(err)), 0);
	assert_int_equal(rh.nsessions, 2);
	assert_int_equal(rh.ncheckins, 2);
	assert_int_equal(rh.nsymptoms, 1);
	history_free(&rh);
}

static void
test_rules_rows(void **state)
{
	struct fx *fx = *state;
	struct fake f = { 0 }, bea = { 0 }, z = { 0 };
	struct profile p;

	default_profile(&p);
	rules_history(&f, &bea);
	if (on_pg) {
		/* Delivery waits behind a check-in the database will not take
		 * yet; reads go on.  The rows are all in the spool. */
		fx->raw = pg_connect(fx->conninfo);
		PQclear(pg_must(fx->raw, "BEGIN"));
		PQclear(pg_must(fx->raw, "LOCK TABLE checkins IN EXCLUSIVE "
		    "MODE"));
		checkin(&z, TODAY, 7);
		store(fx->h, "zed", &z);
	}
	store(fx->h, "anna", &f);
	store(fx->h, "bea", &bea);
	assert_int_equal(history_sync(fx->h), 0);
	if (on_pg) {
		assert_true(history_spooled(fx->h) > 20);
		check_rules_rows(fx->h, &p);
		PQclear(pg_must(fx->raw, "COMMIT"));
	}
	delivered(fx->h);
	check_rules_rows(fx->h, &p);
	fake_free(&f);
	fake_free(&bea);
	fake_free(&z);
}

/* PostgreSQL has the same indexes; which it takes is its planner's, by
 * the table's statistics. */
static void
test_pg_rules_indexes(void **state)
{
	struct fx *fx = *state;
	PGresult *r;

	fx->raw = pg_connect(fx->conninfo);
	r = pg_must(fx->raw, "SELECT string_agg(indexname, ' ' ORDER BY "
	    "indexname) FROM pg_indexes WHERE indexname IN "
	    "('checkins_runner_flags', 'checkins_runner_pain', "
	    "'sessions_runner_symptom', 'sessions_runner_runs', "
	    "'strength_runner_minutes')");
	assert_string_equal(PQgetvalue(r, 0, 0), "checkins_runner_flags "
	    "checkins_runner_pain sessions_runner_runs sessions_runner_symptom "
	    "strength_runner_minutes");
	PQclear(r);
}

/* SQLite finds each kind of those rows through its own index, not by
 * reading all of the runner's: the index's WHERE and the query's terms
 * must agree word for word. */
static void
test_rules_indexed(void **state)
{
	static const char *const want[] = {
		[HK_CHECKIN] = "checkins_runner_flags checkins_runner_pain",
		[HK_SESSION] = "sessions_runner_symptom sessions_runner_runs",
		[HK_STRENGTH] = "strength_runner_minutes",
	};
	struct fx *fx = *state;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	for (int k = HK_CHECKIN; k <= HK_STRENGTH; k++) {
		char sql[4096], plan[2048] = "", idx[64];
		const char *w = want[k], *sp;
		sqlite3_stmt *st;

		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    hist_sql((enum hist_kind)k)->select[HS_RULES][0]);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			strncat(plan, (const char *)sqlite3_column_text(st, 3),
			    sizeof(plan) - strlen(plan) - 2);
			strcat(plan, "\n");
		}
		sqlite3_finalize(st);
		if (strstr(plan, "SCAN ") != NULL)
			fail_msg("a scan in the plan of %s:\n%s", sql, plan);
		for (; *w != '\0'; w = *sp ? sp + 1 : sp) {
			sp = strchr(w, ' ') ? strchr(w, ' ') : w + strlen(w);
			snprintf(idx, sizeof(idx), "INDEX %.*s ",
			    (int)(sp - w), w);
			if (strstr(plan, idx) == NULL)
				fail_msg("no %s in the plan of %s:\n%s", idx,
				    sql, plan);
		}
	}
	sqlite3_close(db);
}

/* ---- the decision, from the daemon's read and from everything -------- */

static void
dump(const char *what, const struct decision *d)
{
	fprintf(stderr, "%s: phase %s, day %s, streak %d, planned %.3f, "
	    "progress \"%s\"\n", what, phase_name(d->phase),
	    day_type_name(d->day), d->streak_weeks, d->planned_minutes,
	    d->progress);
	for (int i = 0; i < d->nreasons; i++)
		fprintf(stderr, "  %s: %s\n", d->codes[i], d->reasons[i]);
}

static bool
same_caps(const struct caps *a, const struct caps *b)
{
	return a->max_speed == b->max_speed &&
	    a->max_incline == b->max_incline &&
	    a->hr_ceiling == b->hr_ceiling &&
	    a->max_minutes == b->max_minutes;
}

static bool
same_decision(const struct decision *a, const struct decision *b)
{
	if (a->phase != b->phase || a->day != b->day ||
	    a->intervals_allowed != b->intervals_allowed ||
	    !same_caps(&a->easy, &b->easy) || !same_caps(&a->walk, &b->walk) ||
	    !same_caps(&a->caps, &b->caps) ||
	    a->planned_minutes != b->planned_minutes ||
	    strcmp(a->template_name, b->template_name) != 0 ||
	    a->streak_weeks != b->streak_weeks ||
	    strcmp(a->progress, b->progress) != 0 ||
	    a->nreasons != b->nreasons || a->checked_in != b->checked_in ||
	    a->week_run_min != b->week_run_min ||
	    a->week_hard_min != b->week_hard_min)
		return false;
	for (int i = 0; i < a->nreasons; i++)
		if (strcmp(a->reasons[i], b->reasons[i]) != 0 ||
		    strcmp(a->codes[i], b->codes[i]) != 0)
			return false;
	return true;
}

#define assert_same(what, a, b, aname, bname) do {			\
	if (!same_decision((a), (b))) {					\
		dump(aname, (a));					\
		dump(bname, (b));					\
		fail_msg("%s: the decisions differ", (what));		\
	}								\
} while (0)

/* Runs Mon, Wed, Fri of exactly run_minutes and strength Tue, Thu of
 * exactly strength_minutes: a week the unlock counts, only just. */
static void
edge_week(struct fake *f, hday_t monday)
{
	run(f, monday, 30);
	run(f, monday + 2, 30);
	run(f, monday + 4, 30);
	strength(f, monday + 1)->minutes = 20;
	strength(f, monday + 3)->minutes = 20;
}

static void
edge_weeks(struct fake *f, hday_t monday, int n)
{
	for (int i = 0; i < n; i++)
		edge_week(f, monday + 7 * i);
}

/* A 20-minute run every Saturday from day on: never enough. */
static void
light(struct fake *f, hday_t day)
{
	for (day = hday_week_start(day) + 5; day < TODAY; day += 7)
		run(f, day, 20);
}

static void
sc_never_unlocked(struct fake *f)
{
	/* The benchmark's runner: every day 32 minutes, 26 of them
	 * running, a check-in, strength twice a week; two years of it. */
	for (hday_t day = TODAY - 730; day < TODAY; day++) {
		add_session(f, day, 7, 32)->running_min = 26;
		checkin(f, day, 7.5);
		if (hday_weekday(day) == 1 || hday_weekday(day) == 3)
			strength(f, day);
	}
}

static void
sc_unlocked_long_ago(struct fake *f)
{
	edge_weeks(f, mon(260), 3);
	light(f, mon(250));
}

static void
sc_symptom_years_ago(struct fake *f)
{
	edge_weeks(f, mon(260), 3);
	symptom(f, mon(150) + 2, 9, "heaviness");
	light(f, mon(250));
}

static void
sc_red_flag_years_ago(struct fake *f)
{
	edge_weeks(f, mon(260), 3);
	checkin(f, mon(150) + 2, 7)->pain = 3;
	light(f, mon(250));
}

static void
sc_symptom_session_years_ago(struct fake *f)
{
	struct hist_session *s;

	edge_weeks(f, mon(260), 3);
	s = add_session(f, mon(150) + 2, 7, 12);
	s->symptom = true;
	s->outcome = HO_SYMPTOM;
	light(f, mon(250));
}

/* Unlocked, then each red flag at check-in, then unlocked again: the
 * last one restarts the count, with nothing after it. */
static void
sc_flags_between_streaks(struct fake *f)
{
	edge_weeks(f, mon(320), 3);
	checkin(f, mon(300), 7)->leak = true;
	edge_weeks(f, mon(280), 3);
	checkin(f, mon(260), 7)->heaviness = true;
	edge_weeks(f, mon(240), 3);
	checkin(f, mon(220), 7)->bleeding = true;
	light(f, mon(200));
}

static void
sc_staff_lock(struct fake *f)
{
	edge_weeks(f, mon(260), 3);
	override(f, at(mon(100), 10, 0), false, "Jo", "pelvic floor review");
	light(f, mon(250));
}

/* A staff unlock ended by a symptom, then the rule met again, years
 * ago. */
static void
sc_unlock_symptom_met(struct fake *f)
{
	override(f, at(mon(200), 10, 0), true, "Jo", "seen by the physio");
	symptom(f, mon(180) + 3, 9, "leak");
	edge_weeks(f, mon(120), 3);
	light(f, mon(110));
}

/* Clearance after a red flag is neither a lock nor an unlock. */
static void
sc_cleared(struct fake *f)
{
	edge_weeks(f, mon(260), 3);
	checkin(f, mon(200), 7)->leak = true;
	override(f, at(mon(199), 10, 0), false, "Jo", "cleared")->clear =
	    true;
	light(f, mon(198));
}

/* Short weeks break every streak, years ago: two weeks, then one with a
 * run just short, two weeks, one with two runs, two weeks. */
static void
sc_short_weeks(struct fake *f)
{
	edge_weeks(f, mon(200), 2);
	run(f, mon(198), 30);
	run(f, mon(198) + 2, 30);
	add_session(f, mon(198) + 4, 7, 30)->running_min = 29.9;
	strength(f, mon(198) + 1);
	strength(f, mon(198) + 3);
	edge_weeks(f, mon(197), 2);
	run(f, mon(195), 30);
	run(f, mon(195) + 2, 30);
	edge_weeks(f, mon(194), 2);
	light(f, mon(190));
}

/* Weeks whose third run does not count (hard, a walk, stopped), then a
 * streak that does, in the far past. */
static void
sc_far_streak_among_others(struct fake *f)
{
	for (int k = 420; k > 400; k--) {
		run(f, mon(k), 30);
		run(f, mon(k) + 2, 30);
		strength(f, mon(k) + 1);
		strength(f, mon(k) + 3);
		switch (k % 3) {
		case 0:
			hard(f, at(mon(k) + 4, 8, 0), 40, 6);
			break;
		case 1:
			walk(f, mon(k) + 4, 40);
			break;
		default:
			add_session(f, mon(k) + 4, 7, 40)->outcome =
			    HO_STOPPED;
		}
	}
	edge_weeks(f, mon(380), 3);
	light(f, mon(370));
}

/* Without strength in the rule, runs alone; the strength sessions are
 * not read. */
static void
sc_runs_only(struct fake *f)
{
	for (int k = 300; k > 297; k--) {
		run(f, mon(k), 30);
		run(f, mon(k) + 2, 30);
		run(f, mon(k) + 4, 30);
		strength(f, mon(k) + 1);
	}
	light(f, mon(290));
}

static void
no_strength(struct profile *p)
{
	p->unlock.count_strength = false;
}

static const struct scenario {
	const char	*name;
	void		 (*build)(struct fake *);
	void		 (*profile)(struct profile *);
	enum phase	 phase;
} scenarios[] = {
	{ "never unlocked", sc_never_unlocked, NULL, PHASE_BASE },
	{ "unlocked long ago", sc_unlocked_long_ago, NULL, PHASE_UNLOCKED },
	{ "symptom years ago", sc_symptom_years_ago, NULL, PHASE_BASE },
	{ "red flag at check-in years ago", sc_red_flag_years_ago, NULL,
	    PHASE_BASE },
	{ "symptom in a session years ago", sc_symptom_session_years_ago,
	    NULL, PHASE_BASE },
	{ "red flags between streaks", sc_flags_between_streaks, NULL,
	    PHASE_BASE },
	{ "staff lock", sc_staff_lock, NULL, PHASE_BASE },
	{ "staff unlock, symptom, met again", sc_unlock_symptom_met, NULL,
	    PHASE_UNLOCKED },
	{ "cleared after a red flag", sc_cleared, NULL, PHASE_BASE },
	{ "short weeks", sc_short_weeks, NULL, PHASE_BASE },
	{ "a far streak among weeks that fell short",
	    sc_far_streak_among_others, NULL, PHASE_UNLOCKED },
	{ "runs only", sc_runs_only, no_strength, PHASE_UNLOCKED },
};

/* Did the window leave it open, so that the rules' rows were read? */
static bool
reads_older(struct history *h, const struct profile *p)
{
	struct runner_history rh;
	hday_t since = plan_history_since(p, TODAY);
	char err[512];
	bool older;

	if (history_load(h, p->id, since, &rh, err, sizeof(err)) != 0)
		fail_msg("history_load: %s", err);
	older = governor_read_from(p, &rh, since, TODAY) < since;
	history_free(&rh);
	return older;
}

static void
test_same_decision(void **state)
{
	struct fx *fx = *state;
	const size_t n = sizeof(scenarios) / sizeof(scenarios[0]);
	struct fake f[sizeof(scenarios) / sizeof(scenarios[0])];

	memset(f, 0, sizeof(f));
	for (size_t i = 0; i < n; i++) {
		char runner[16];

		scenarios[i].build(&f[i]);
		checkin(&f[i], TODAY, 7.5);
		snprintf(runner, sizeof(runner), "r%zu", i);
		store(fx->h, runner, &f[i]);
	}
	delivered(fx->h);
	for (size_t i = 0; i < n; i++) {
		const struct scenario *sc = &scenarios[i];
		struct decision truth, full, fast;
		struct runner_history rh;
		struct profile p;
		char err[512];

		default_profile(&p);
		snprintf(p.id, sizeof(p.id), "r%zu", i);
		if (sc->profile != NULL)
			sc->profile(&p);
		/* The governor on the records as they were made, */
		plan_decide(&p, &f[i].h, "", NOW, &truth);
		if (truth.phase != sc->phase) {
			dump(sc->name, &truth);
			fail_msg("%s: not the phase the scenario is about",
			    sc->name);
		}
		/* on the whole history read back, */
		if (history_load(fx->h, p.id, GOV_ALL_DAYS, &rh, err,
		    sizeof(err)) != 0)
			fail_msg("history_load: %s", err);
		plan_decide(&p, &rh, "", NOW, &full);
		history_free(&rh);
		assert_same(sc->name, &truth, &full, "made", "read whole");
		/* and as the daemon reads it. */
		if (!reads_older(fx->h, &p))
			fail_msg("%s: the window settles it: nothing older "
			    "is read", sc->name);
		decide_today(fx->h, "", &p, NOW, &fast);
		assert_same(sc->name, &full, &fast, "read whole",
		    "read for the rules");
	}
	for (size_t i = 0; i < n; i++)
		fake_free(&f[i]);
}

int
main(void)
{
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, fx_teardown)
	const struct CMUnitTest sqlite_tests[] = {
		T(test_rules_rows),
		T(test_rules_indexed),
		T(test_same_decision),
	};
	const struct CMUnitTest pg_tests[] = {
		T(test_rules_rows),
		T(test_pg_rules_indexes),
		T(test_same_decision),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	log_init("test_decide", 1, LOG_LVL_WARN);
	TODAY = hday_from_ymd(2026, 11, 25);
	NOW = at(TODAY, 18, 0);
	return FX_RUN("decision", sqlite_tests, pg_tests);
}
