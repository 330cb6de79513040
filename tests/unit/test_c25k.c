/*
 * Couch to 5K on the treadmill: a beginner with the default walk-run
 * stages, from stage 1, running every session her plan gives her, all
 * of it completed and clean.  Each day is decided by the governor (the
 * spike guard, the stage from plan.c) and planned by the real plugin
 * (BUILD/plugins, or $TM_PLUGIN_DIR); the session goes into her history
 * as the belt would record it.  She reaches 30 minutes of continuous
 * running no sooner than 8 weeks of sessions, as NHS Couch to 5K does
 * (9 weeks, 3 runs a week, 30 minutes in the last).  Pure: no daemon,
 * a fake calendar (TZ=UTC).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "errlist.h"
#include "plan.h"
#include "profile_load.h"
#include "testutil.h"
#include "workout.h"

#define DAY0	hday_from_ymd(2026, 1, 5)	/* a Monday */
#define MAXS	200

static struct hist_session rows[MAXS];
static struct hist_checkin cins[MAXS];
static struct runner_history h;
static struct profile p;
static struct config cfg;

/* A beginner: only what a profile must say, every rule its default. */
static void
beginner(void)
{
	char dir[] = "/tmp/test_c25k.XXXXXX", path[64];
	const char *text = "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 6.0; max_speed = 7.5; };\n";
	struct errlist e = { 0 };
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bea.conf", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	if (profile_load(&p, path, &e) != 0) {
		errlist_print(&e, stderr);
		fail_msg("the beginner's profile did not load");
	}
	errlist_free(&e);
	unlink(path);
	rmdir(dir);
	memset(&h, 0, sizeof(h));
	h.sessions = rows;
	h.checkins = cins;
	memset(&cfg, 0, sizeof(cfg));
	tu_plugin_dir(cfg.plugins.dir, sizeof(cfg.plugins.dir));
}

/*
 * Her sessions, on the days step[] apart (repeating), until one holds 30
 * minutes of continuous running; the number of sessions before it, and
 * its day in *day.
 */
static int
sessions_to_30(const int *step, int nstep, hday_t *day)
{
	hday_t d = DAY0;

	for (int k = 0; k < MAXS; k++, d += step[k % nstep]) {
		time_t now = (time_t)d * 86400 + 7 * 3600;
		struct hist_session *r;
		struct decision dec;
		struct session plan;
		struct workout wk;
		char why[512] = "";
		double run = 0, longest = 0;
		int stage;

		cins[h.ncheckins++] = (struct hist_checkin){ .day = d,
		    .at = now - 600, .sleep_h = 8 };
		plan_decide(&p, &h, "", now, &dec);
		stage = walkrun_stage(&h, &p, d);
		if (workout_open(&wk, &plan, NULL, NULL, &p, &dec, stage, &cfg,
		    why, sizeof(why)) == -1)
			fail_msg("day %d: %s", (int)(d - DAY0), why);
		for (int i = 0; i < plan.nseg; i++)
			if (plan.seg[i].gait == GAIT_RUN) {
				run += plan.seg[i].duration_s;
				if (plan.seg[i].duration_s > longest)
					longest = plan.seg[i].duration_s;
			}
		workout_close(&wk);
		if (longest >= 30 * 60 - 1e-6) {
			*day = d;
			return k;
		}
		/* As the belt records it: completed, clean. */
		r = &rows[h.nsessions++];
		memset(r, 0, sizeof(*r));
		snprintf(r->workout, sizeof(r->workout), "%s", plan.workout);
		r->stage = plan.stage;
		r->start = now;
		r->end = now + (time_t)session_planned_s(&plan);
		r->planned_min = r->actual_min = session_planned_s(&plan) / 60;
		r->running_min = run / 60;
		r->walking_min = r->actual_min - r->running_min;
		r->outcome = HO_COMPLETED;
	}
	fail_msg("no 30 minutes of running in %d sessions", MAXS);
	return -1;
}

/* Three runs a week, Monday, Wednesday, Friday, as Couch to 5K has it. */
static void
test_three_a_week(void **state)
{
	static const int mwf[] = { 2, 2, 3 };
	hday_t day;
	int n;

	(void)state;
	beginner();
	assert_int_equal(walkrun_stage(&h, &p, DAY0), 0);
	n = sessions_to_30(mwf, 3, &day);
	print_message("three a week: 30 minutes at session %d, day %d\n",
	    n + 1, (int)(day - DAY0));
	assert_true(n >= 8 * 3);
	assert_true(day - DAY0 >= 8 * 7);
}

/* Every other day, the most the rest days allow: still 8 weeks' worth. */
static void
test_every_other_day(void **state)
{
	static const int eod[] = { 2 };
	hday_t day;
	int n;

	(void)state;
	beginner();
	n = sessions_to_30(eod, 1, &day);
	print_message("every other day: 30 minutes at session %d, day %d\n",
	    n + 1, (int)(day - DAY0));
	assert_true(n >= 8 * 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_a_week),
		cmocka_unit_test(test_every_other_day),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
