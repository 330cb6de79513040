/*
 * Unit tests of runner profiles (src/conf/profile.c, src/conf/profile_lists.c): the
 * example profiles in etc/profiles/ load; every range and every rule
 * between settings is refused with the exact "file:line: message"; a
 * directory load collects the errors of every file.
 *
 * Run from the top of the tree: the examples are read by relative path.
 * Bad profiles are written into a temporary directory as t.conf (the
 * file name is the runner id).
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
#include <unistd.h>

#include <cmocka.h>

#include "day.h"
#include "errlist.h"
#include "profile_load.h"
#include "testutil.h"

#define EXAMPLES	"etc/profiles"

#define assert_near(a, b) do {						\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= 1e-9))					\
		fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);	\
} while (0)

static int
setup(void **state)
{
	(void)state;
	return tu_mkdir("test_profile");
}

static int
teardown(void **state)
{
	(void)state;
	return tu_rmdir();
}

static void
load_ok(struct profile *p, const char *path)
{
	struct errlist e = { 0 };

	if (profile_load(p, path, &e) != 0) {
		errlist_print(&e, stderr);
		errlist_free(&e);
		fail_msg("%s did not load (run the tests from the top "
		    "directory)", path);
	}
	assert_int_equal(e.n, 0);
	errlist_free(&e);
}

/* The valid profile the bad ones are made from; line N is base[N-1]. */
static const char *const base[] = {
	"runner = {",						/* 1 */
	"  name = \"Test Runner\";",				/* 2 */
	"  hr_max = 185;",					/* 3 */
	"  hr_rest = 62;",					/* 4 */
	"  delivery_date = \"2026-05-10\";",			/* 5 */
	"};",							/* 6 */
	"easy = {",						/* 7 */
	"  min_speed = 5.5;",					/* 8 */
	"  max_speed = 7.5;",					/* 9 */
	"  max_incline = 2.0;",					/* 10 */
	"  hr_ceiling_pct = 75.0;",				/* 11 */
	"  max_minutes = 40.0;",				/* 12 */
	"  start_minutes = 20.0;",				/* 13 */
	"};",							/* 14 */
	"hard = {",						/* 15 */
	"  max_speed = 11.0;",					/* 16 */
	"  max_incline = 3.0;",					/* 17 */
	"  hr_ceiling_pct = 92.0;",				/* 18 */
	"};",							/* 19 */
	"walk = {",						/* 20 */
	"  speed = 5.0;",					/* 21 */
	"};",							/* 22 */
	"unlock = {",						/* 23 */
	"  weeks = 3;",						/* 24 */
	"  runs_per_week = 3;",					/* 25 */
	"  run_minutes = 30.0;",				/* 26 */
	"  strength_per_week = 2;",				/* 27 */
	"  count_strength = true;",				/* 28 */
	"};",							/* 29 */
	"recovery = {",						/* 30 */
	"  min_hours = 48.0;",					/* 31 */
	"  min_sleep_h = 6.0;",					/* 32 */
	"  max_hard_share = 0.20;",				/* 33 */
	"  pain_threshold = 3;",				/* 34 */
	"};",							/* 35 */
	"postnatal = {",					/* 36 */
	"  min_weeks = 12;",					/* 37 */
	"};",							/* 38 */
	"progression = {",					/* 39 */
	"  max_growth = 1.10;",					/* 40 */
	"  window_days = 30;",					/* 41 */
	"};",							/* 42 */
	"intervals = (",					/* 43 */
	"  { name = \"6x1min\"; warmup_min = 10.0; reps = 6;",	/* 44 */
	"    work_s = 60.0; recovery_s = 90.0; cooldown_min = 10.0;",
	"    work_speed = 9.5; },",				/* 46 */
	"  { name = \"4x3min-hr\"; warmup_min = 10.0; reps = 4;",	/* 47 */
	"    work_s = 180.0; recovery_s = 120.0; cooldown_min = 10.0;",
	"    work_hr_pct = 88.0; }",				/* 49 */
	");",							/* 50 */
	"walkrun = {",						/* 51 */
	"  sessions_to_advance = 4;",				/* 52 */
	"  stages = (",						/* 53 */
	"    { run_s = 60.0; walk_s = 90.0; total_min = 20.0; },",	/* 54 */
	"    { run_s = 90.0; walk_s = 90.0; total_min = 20.0; }",	/* 55 */
	"  );",							/* 56 */
	"};",							/* 57 */
};
#define BASE_LINES ((int)(sizeof(base) / sizeof(base[0])))

static int
load(const char *path, struct errlist *e)
{
	struct profile p;

	return profile_load(&p, path, e);
}

/* The edited base, loaded as tu_dir/t.conf; the errors must be exactly
 * want (each after the path), in order. */
static void
expect_errors(const struct tu_edit *ed, size_t ned, const char *const *want,
    size_t nwant)
{
	char *text = tu_edit_lines(base, BASE_LINES, ed, ned);

	tu_expect_text("t.conf", text, load, want, nwant);
	free(text);
}

#define EXPECT(edits, ...) do {						\
	static const char *const want_[] = { __VA_ARGS__ };		\
	expect_errors(edits, sizeof(edits) / sizeof(edits[0]), want_,	\
	    sizeof(want_) / sizeof(want_[0]));				\
} while (0)
#define EXPECT_OK(edits) expect_errors(edits,				\
	sizeof(edits) / sizeof(edits[0]), NULL, 0)

/* ---- the examples -------------------------------------------------------- */

static void
test_example_starting(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, EXAMPLES "/starting.conf");
	assert_string_equal(p.id, "starting");
	assert_string_equal(p.name, "Sam K.");
	assert_true(p.has_delivery);
	/* 14 weeks before 2026-11-27 */
	assert_int_equal(hday_from_ymd(p.delivery_y, p.delivery_m,
	    p.delivery_d), hday_from_ymd(2026, 11, 27) - 14 * 7);
	assert_int_equal(p.hr_max, 182);
	assert_int_equal(p.easy.hr_ceiling, 127);	/* 70 % of 182 */
	assert_near(p.easy.max_minutes, 30);
	assert_near(p.easy.start_minutes, 15);
	assert_int_equal(p.ntemplates, 0);
	assert_int_equal(p.nstages, 8);
	assert_near(p.stages[0].run_s, 30);
	assert_near(p.stages[7].walk_s, 0);
}

static void
test_example_building(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, EXAMPLES "/building.conf");
	assert_string_equal(p.id, "building");
	assert_int_equal(p.easy.hr_ceiling, 141);	/* 75 % of 188 */
	assert_int_equal(p.ntemplates, 1);
	assert_string_equal(p.templates[0].name, "6x1min");
	assert_string_equal(p.units, "imperial");
	/* defaults for what it leaves out */
	assert_near(p.recovery.min_hours, 48);
	assert_int_equal(p.postnatal.min_weeks, 12);
	assert_int_equal(p.nstages, 7);
}

static void
test_example_unlocked(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, EXAMPLES "/unlocked.conf");
	assert_string_equal(p.id, "unlocked");
	assert_string_equal(p.name, "Maya R.");
	assert_int_equal(p.easy.hr_ceiling, 139);	/* 138.75 */
	assert_int_equal(p.hard.hr_ceiling, 170);	/* 170.2 */
	assert_int_equal(p.ntemplates, 2);
	assert_near(p.templates[0].work_speed, 10.5);
	assert_near(p.templates[0].work_hr_pct, 0);
	assert_near(p.templates[1].work_speed, 0);
	assert_near(p.templates[1].work_hr_pct, 88);
	assert_int_equal(p.templates[1].reps, 4);
}

static void
test_example_dir(void **state)
{
	struct profile_set set;
	struct errlist e = { 0 };

	(void)state;
	assert_int_equal(profile_load_dir(&set, EXAMPLES, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(set.n, 3);
	assert_string_equal(set.v[0].id, "building");
	assert_string_equal(set.v[1].id, "starting");
	assert_string_equal(set.v[2].id, "unlocked");
	assert_ptr_equal(profile_find(&set, "starting"), &set.v[1]);
	assert_null(profile_find(&set, "nobody"));
	profile_set_free(&set);
	assert_int_equal(set.n, 0);
}

/* ---- the base profile and the defaults ----------------------------------- */

static void
test_base_ok(void **state)
{
	static const struct tu_edit none[] = { { 0, "" } };
	char path[128], *text = tu_edit_lines(base, BASE_LINES, none, 0);
	struct profile p;

	(void)state;
	tu_write(NULL, "t.conf", text, path, sizeof(path));
	free(text);
	load_ok(&p, path);
	unlink(path);
	assert_string_equal(p.id, "t");
	assert_string_equal(p.name, "Test Runner");
	assert_int_equal(p.hr_rest, 62);
	assert_int_equal(p.delivery_y, 2026);
	assert_int_equal(p.delivery_m, 5);
	assert_int_equal(p.delivery_d, 10);
	assert_int_equal(p.ntemplates, 2);
	assert_int_equal(p.nstages, 2);
	assert_int_equal(p.stage_sessions, 4);
	assert_near(p.templates[1].recovery_s, 120);
}

static void
test_defaults(void **state)
{
	char path[128];
	struct profile p;

	(void)state;
	tu_write(NULL, "min-1.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n", path,
	    sizeof(path));
	load_ok(&p, path);
	unlink(path);
	assert_string_equal(p.id, "min-1");
	assert_string_equal(p.name, "min-1");	/* the id stands in */
	assert_int_equal(p.hr_rest, 0);
	assert_false(p.has_delivery);
	assert_string_equal(p.units, "");	/* the site's */
	assert_near(p.easy.max_incline, 2.0);
	assert_near(p.easy.hr_ceiling_pct, 75);
	assert_int_equal(p.easy.hr_ceiling, 139);
	assert_near(p.easy.max_minutes, 40);
	assert_near(p.easy.start_minutes, 20);
	assert_near(p.hard.max_speed, 11);
	assert_near(p.hard.max_incline, 3);
	assert_int_equal(p.hard.hr_ceiling, 170);
	assert_near(p.walk.speed, 5);
	/* Halfway from walking pace to the slowest easy running. */
	assert_near(p.walk.run_threshold, 5.25);
	assert_int_equal(p.unlock.weeks, 3);
	assert_int_equal(p.unlock.runs_per_week, 3);
	assert_near(p.unlock.run_minutes, 30);
	assert_int_equal(p.unlock.strength_per_week, 2);
	assert_true(p.unlock.count_strength);
	assert_near(p.recovery.min_hours, 48);
	assert_near(p.recovery.min_sleep_h, 6);
	assert_near(p.recovery.max_hard_share, 0.2);
	assert_int_equal(p.recovery.pain_threshold, 3);
	assert_int_equal(p.postnatal.min_weeks, 12);
	assert_near(p.progression.max_growth, 1.1);
	assert_int_equal(p.progression.window_days, 30);
	assert_int_equal(p.ntemplates, 0);
	assert_int_equal(p.stage_sessions, 3);
	/* the default walk-run progression */
	static const double want[][3] = {
		{ 60, 90, 20 }, { 90, 90, 20 }, { 120, 60, 24 },
		{ 180, 60, 24 }, { 300, 60, 28 }, { 600, 60, 30 },
		{ 1800, 0, 30 },
	};
	assert_int_equal(p.nstages, 7);
	for (int i = 0; i < 7; i++) {
		assert_near(p.stages[i].run_s, want[i][0]);
		assert_near(p.stages[i].walk_s, want[i][1]);
		assert_near(p.stages[i].total_min, want[i][2]);
	}
}

static void
test_id_valid(void **state)
{
	(void)state;
	assert_true(profile_id_valid("maya"));
	assert_true(profile_id_valid("maya_r-2"));
	assert_true(profile_id_valid("a"));
	assert_true(profile_id_valid("abcdefghijklmnopqrstuvwxyz01234"));
	assert_false(profile_id_valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(profile_id_valid(""));
	assert_false(profile_id_valid("Maya"));
	assert_false(profile_id_valid("maya r"));
	assert_false(profile_id_valid("maya.r"));
	assert_false(profile_id_valid("../x"));
}

static void
test_bad_id(void **state)
{
	char path[128];
	struct errlist e = { 0 };
	struct profile p;

	(void)state;
	tu_write(NULL, "Maya R.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n", path,
	    sizeof(path));
	assert_int_equal(profile_load(&p, path, &e), -1);
	unlink(path);
	assert_int_equal(e.n, 1);
	assert_true(strncmp(e.msgs[0], path, strlen(path)) == 0);
	assert_string_equal(e.msgs[0] + strlen(path), ": runner id 'Maya R' "
	    "(the file name without .conf) must be 1-31 characters of a-z, "
	    "0-9, _ and -");
	errlist_free(&e);
}

/* ---- ranges, types, required --------------------------------------------- */

static void
test_bad_ranges(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "  hr_max = 250;" },
		{ 4, "  hr_rest = 20;" },
		{ 10, "  max_incline = 12.0;" },
		{ 11, "  hr_ceiling_pct = 95.0;" },
		{ 17, "  max_incline = -1.0;" },
		{ 24, "  weeks = 0;" },
		{ 31, "  min_hours = 200.0;" },
		{ 33, "  max_hard_share = 0.8;" },
		{ 34, "  pain_threshold = 11;" },
		{ 37, "  min_weeks = 60;" },
		{ 40, "  max_growth = 0.9;" },
		{ 41, "  window_days = 3;" },
		{ 52, "  sessions_to_advance = 0;" },
	};

	(void)state;
	EXPECT(ed,
	    ":3: 'hr_max' is 250, must be between 120 and 220",
	    ":4: 'hr_rest' is 20, must be between 35 and 100",
	    ":10: 'max_incline' is 12, must be between 0 and 10",
	    ":11: 'hr_ceiling_pct' is 95, must be between 50 and 90",
	    ":17: 'max_incline' is -1, must be between 0 and 15",
	    ":24: 'weeks' is 0, must be between 1 and 12",
	    ":31: 'min_hours' is 200, must be between 12 and 168",
	    ":33: 'max_hard_share' is 0.8, must be between 0 and 0.5",
	    ":34: 'pain_threshold' is 11, must be between 1 and 10",
	    ":37: 'min_weeks' is 60, must be between 0 and 52",
	    ":40: 'max_growth' is 0.9, must be between 1 and 2",
	    ":41: 'window_days' is 3, must be between 7 and 90",
	    ":52: 'sessions_to_advance' is 0, must be between 1 and 20");
}

static void
test_bad_speeds_range(void **state)
{
	static const struct tu_edit ed[] = {
		{ 8, "  min_speed = 1.0;" },
		{ 9, "  max_speed = 30.0;" },
		{ 16, "  max_speed = 25.0;" },
		{ 21, "  speed = 9.0;" },
	};

	(void)state;
	/* Invalid values are not compared with each other as well. */
	EXPECT(ed,
	    ":8: 'min_speed' is 1, must be between 2 and 15",
	    ":9: 'max_speed' is 30, must be between 2 and 16",
	    ":16: 'max_speed' is 25, must be between 4 and 22",
	    ":21: 'speed' is 9, must be between 1 and 8");
}

static void
test_bad_types(void **state)
{
	static const struct tu_edit ed[] = {
		{ 2, "  name = 7;" },
		{ 3, "  hr_max = 185.5;" },
		{ 12, "  max_minutes = \"forty\";" },
		{ 28, "  count_strength = 1;" },
		{ 36, "postnatal = 12;" }, { 37, "" }, { 38, "" },
	};

	(void)state;
	EXPECT(ed,
	    ":36: 'postnatal' must be a group { ... }",
	    ":3: 'hr_max' must be a whole number",
	    ":12: 'max_minutes' must be a number",
	    ":28: 'count_strength' must be true or false",
	    ":2: 'name' must be a string in double quotes");
}

static void
test_bad_required(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "" },
		{ 8, "" },
	};
	static const struct tu_edit no_easy[] = {
		{ 7, "" }, { 8, "" }, { 9, "" }, { 10, "" }, { 11, "" },
		{ 12, "" }, { 13, "" }, { 14, "" },
	};

	(void)state;
	EXPECT(ed,
	    ":1: missing required setting 'hr_max'",
	    ":7: missing required setting 'min_speed'");
	/* One error for a missing group, not one per key in it. */
	EXPECT(no_easy, ": missing required setting 'easy'");
}

static void
test_bad_syntax(void **state)
{
	static const struct tu_edit ed[] = { { 12, "  max_minutes = ;" } };

	(void)state;
	EXPECT(ed, ":12: syntax error");
}

/* ---- unknown keys: a typo is never silently a default -------------------- */

static void
test_bad_unknown_keys(void **state)
{
	static const struct tu_edit ed[] = {
		{ 2, "  nmae = \"x\";" },
		{ 10, "  max_incline = 2.0; max_sped = 7.0;" },
		{ 17, "  max_incline = 3.0; incline = 1;" },
		{ 21, "  speed = 5.0; pace = 5;" },
		{ 28, "  count_strenght = true;" },
		{ 32, "  min_sleep = 6.0;" },
		{ 37, "  min_weeks = 12; weeks = 1;" },
		{ 41, "  window = 30;" },
		{ 45, "    work_s = 60.0; recovery_s = 90.0; cooldown = 10.0;" },
		{ 52, "  sessions = 4;" },
		{ 54, "    { run_s = 60.0; walk_s = 90.0; total = 20.0; },"
		    " # no total_min" },
		{ 57, "};\nintrevals = ();" },
	};

	(void)state;
	EXPECT(ed,
	    ":58: unknown setting 'intrevals'",
	    ":2: unknown setting 'nmae' in group runner",
	    ":10: unknown setting 'max_sped' in group easy",
	    ":17: unknown setting 'incline' in group hard",
	    ":21: unknown setting 'pace' in group walk",
	    ":28: unknown setting 'count_strenght' in group unlock",
	    ":32: unknown setting 'min_sleep' in group recovery",
	    ":37: unknown setting 'weeks' in group postnatal",
	    ":41: unknown setting 'window' in group progression",
	    ":52: unknown setting 'sessions' in group walkrun",
	    ":45: unknown setting 'cooldown'",
	    ":54: unknown setting 'total'",
	    ":54: missing required setting 'total_min'");
}

/* ---- rules between settings, each at the line to change ------------------ */

static void
test_bad_easy_speeds(void **state)
{
	static const struct tu_edit ed[] = { { 9, "  max_speed = 5.0;" } };
	static const struct tu_edit one_line[] = {
		{ 8, "  min_speed = 5.5; max_speed = 5.0;" }, { 9, "" },
	};

	(void)state;
	EXPECT(ed, ":9: easy max_speed (5 km/h) is below easy min_speed "
	    "(5.5 km/h)");
	EXPECT(one_line, ":8: easy max_speed (5 km/h) is below easy "
	    "min_speed (5.5 km/h)");
}

static void
test_bad_hr_rest(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "  hr_max = 120;" }, { 4, "  hr_rest = 120;" },
	};
	static const struct tu_edit ceil[] = {
		{ 3, "  hr_max = 120;" }, { 4, "  hr_rest = 95;" },
		{ 11, "  hr_ceiling_pct = 75.0;" },
	};

	(void)state;
	/* the plausible ranges keep hr_rest below hr_max */
	EXPECT(ed, ":4: 'hr_rest' is 120, must be between 35 and 100");
	/* 75 % of 120 is 90 bpm: every easy run would be held to a walk */
	EXPECT(ceil, ":11: easy hr_ceiling_pct (75 %) of hr_max 120 gives "
	    "90 bpm, not above hr_rest (95 bpm)");
}

static void
test_bad_minutes(void **state)
{
	static const struct tu_edit start[] = {
		{ 13, "  start_minutes = 45.0;" },
	};
	static const struct tu_edit unlock[] = {
		{ 26, "  run_minutes = 45.0;" },
	};
	static const struct tu_edit maxmin[] = {
		{ 12, "  max_minutes = 25.0;" },
	};

	(void)state;
	EXPECT(start, ":13: easy start_minutes (45 min) is above easy "
	    "max_minutes (40 min)");
	EXPECT(unlock, ":26: unlock run_minutes (45 min) and easy "
	    "walk_minutes (6 min, the default) do not fit in easy max_minutes "
	    "(40 min): the unlock rule could never be met");
	/* Lowering max_minutes breaks the unlock rule: reported at
	 * run_minutes, the later of the two lines. */
	EXPECT(maxmin, ":26: unlock run_minutes (30 min) and easy "
	    "walk_minutes (6 min, the default) do not fit in easy max_minutes "
	    "(25 min): the unlock rule could never be met");
}

/* The walk/run threshold: above walking pace, not above easy running. */
static void
test_run_threshold(void **state)
{
	static const struct tu_edit ok[] = {
		{ 21, "  speed = 5.0; run_threshold = 5.5;" },
	};
	static const struct tu_edit low[] = {
		{ 21, "  speed = 5.0; run_threshold = 5.0;" },
	};
	static const struct tu_edit high[] = {
		{ 21, "  speed = 5.0; run_threshold = 5.8;" },
	};
	static const struct tu_edit walk_fast[] = {
		{ 21, "  speed = 6.0;" },
	};
	static const struct tu_edit typo[] = {
		{ 21, "  speed = 5.0; run_threshold = \"6\";" },
	};

	(void)state;
	EXPECT_OK(ok);
	EXPECT(low, ":21: walk run_threshold (5 km/h) must be above walk "
	    "speed (5 km/h)");
	EXPECT(high, ":21: walk run_threshold (5.8 km/h) is above easy "
	    "min_speed (5.5 km/h): easy running must count as running");
	EXPECT(walk_fast, ":21: walk speed (6 km/h) must be below easy "
	    "min_speed (5.5 km/h): walking must be told from running");
	EXPECT(typo, ":21: 'run_threshold' must be a number");
}

static void
test_bad_speed_order(void **state)
{
	static const struct tu_edit hard[] = { { 16, "  max_speed = 7.0;" } };
	static const struct tu_edit no_hard[] = {
		{ 9, "  max_speed = 12.0;" }, { 16, "" },
	};
	static const struct tu_edit walk[] = { { 21, "  speed = 7.8;" } };
	static const struct tu_edit walk_default[] = {
		{ 8, "  min_speed = 3.0;" }, { 9, "  max_speed = 4.5;" },
		{ 21, "" },
	};

	(void)state;
	EXPECT(hard, ":16: hard max_speed (7 km/h) is below easy max_speed "
	    "(7.5 km/h)",
	    ":46: interval \"6x1min\" work_speed (9.5 km/h) is above hard "
	    "max_speed (7 km/h)");
	EXPECT(no_hard, ":9: easy max_speed (12 km/h) is above hard "
	    "max_speed (11 km/h, the default)");
	EXPECT(walk, ":21: walk speed (7.8 km/h) is above easy max_speed "
	    "(7.5 km/h)");
	EXPECT(walk_default, ":9: easy max_speed (4.5 km/h) is below walk "
	    "speed (5 km/h, the default)");
}

static void
test_bad_hr_order(void **state)
{
	static const struct tu_edit ed[] = {
		{ 11, "  hr_ceiling_pct = 85.0;" },
		{ 18, "  hr_ceiling_pct = 80.0;" },
	};

	(void)state;
	EXPECT(ed, ":18: hard hr_ceiling_pct (80 %) is below easy "
	    "hr_ceiling_pct (85 %)",
	    ":49: interval \"4x3min-hr\" work_hr_pct (88 %) is above hard "
	    "hr_ceiling_pct (80 %)");
}

static void
test_bad_delivery_date(void **state)
{
	static const struct tu_edit bad[] = {
		{ 5, "  delivery_date = \"2026-5-10\";" },
	};
	static const struct tu_edit words[] = {
		{ 5, "  delivery_date = \"last May\";" },
	};
	static const struct tu_edit feb30[] = {
		{ 5, "  delivery_date = \"2026-02-30\";" },
	};
	static const struct tu_edit month13[] = {
		{ 5, "  delivery_date = \"2026-13-01\";" },
	};
	static const struct tu_edit leap[] = {
		{ 5, "  delivery_date = \"2028-02-29\";" },
	};

	(void)state;
	EXPECT(bad, ":5: delivery_date \"2026-5-10\" must be written "
	    "YYYY-MM-DD");
	EXPECT(words, ":5: delivery_date \"last May\" must be written "
	    "YYYY-MM-DD");
	EXPECT(feb30, ":5: delivery_date \"2026-02-30\" is not a date on "
	    "the calendar");
	EXPECT(month13, ":5: delivery_date \"2026-13-01\" is not a date on "
	    "the calendar");
	EXPECT_OK(leap);
}

static void
test_bad_name(void **state)
{
	static const struct tu_edit ed[] = { { 2, "  name = \"\";" } };

	(void)state;
	EXPECT(ed, ":2: runner name is empty (leave it out to use the id "
	    "'t')");
}

/* Her console's units: the site's words only, refused at their line. */
static void
test_units(void **state)
{
	static const struct tu_edit metric[] = {
		{ 5, "  units = \"metric\";" },
	};
	static const struct tu_edit mph[] = {
		{ 5, "  units = \"mph\";" },
	};
	static const struct tu_edit empty[] = {
		{ 5, "  units = \"\";" },
	};
	static const struct tu_edit number[] = {
		{ 5, "  units = 1;" },
	};
	char path[128];
	struct profile p;

	(void)state;
	tu_write(NULL, "units.conf", "runner = { hr_max = 185; "
	    "units = \"imperial\"; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n", path,
	    sizeof(path));
	load_ok(&p, path);
	unlink(path);
	assert_string_equal(p.units, "imperial");
	EXPECT_OK(metric);
	EXPECT(mph, ":5: runner units is \"mph\", must be \"metric\" or "
	    "\"imperial\"");
	EXPECT(empty, ":5: runner units is \"\", must be \"metric\" or "
	    "\"imperial\"");
	EXPECT(number, ":5: 'units' must be a string in double quotes");
}

/* ---- interval templates -------------------------------------------------- */

static void
test_bad_template_speed(void **state)
{
	static const struct tu_edit ed[] = { { 46, "    work_speed = 11.5; }," } };

	(void)state;
	EXPECT(ed, ":46: interval \"6x1min\" work_speed (11.5 km/h) is above "
	    "hard max_speed (11 km/h)");
}

static void
test_bad_template_target(void **state)
{
	static const struct tu_edit both[] = {
		{ 46, "    work_speed = 9.5;" },
		{ 47, "    work_hr_pct = 85.0; }, { name = \"4x3min-hr\"; "
		    "warmup_min = 10.0; reps = 4;" },
	};
	static const struct tu_edit neither[] = { { 46, "  }," } };

	(void)state;
	EXPECT(both, ":47: interval \"6x1min\" has both work_speed and "
	    "work_hr_pct: give one");
	EXPECT(neither, ":44: interval \"6x1min\" needs work_speed (km/h) or "
	    "work_hr_pct (% of hr_max)");
}

static void
test_bad_template_fields(void **state)
{
	static const struct tu_edit ed[] = {
		{ 44, "  { name = \"6 x 1\"; warmup_min = 90.0; reps = 0;" },
		{ 45, "    recovery_s = 90.0; cooldown_min = 10.0;" },
	};
	static const struct tu_edit noname[] = {
		{ 47, "  { warmup_min = 10.0; reps = 4;" },
	};

	(void)state;
	EXPECT(ed,
	    ":44: interval template name \"6 x 1\" may use only letters, "
	    "digits and . _ + -",
	    ":44: 'warmup_min' is 90, must be between 0 and 60",
	    ":44: 'reps' is 0, must be between 1 and 30",
	    ":44: missing required setting 'work_s'");
	EXPECT(noname, ":47: missing required setting 'name'");
}

static void
test_bad_template_duplicate(void **state)
{
	static const struct tu_edit ed[] = {
		{ 47, "  { name = \"6x1min\"; warmup_min = 10.0; reps = 4;" },
	};

	(void)state;
	EXPECT(ed, ":47: duplicate interval template name \"6x1min\"");
}

static void
test_bad_template_count(void **state)
{
	char more[2048];
	size_t len = 0;
	struct tu_edit ed[1];

	(void)state;
	/* 9 templates: the two of the base, 7 more on lines 50-56 */
	len += (size_t)snprintf(more, sizeof(more), "    work_hr_pct = 88.0; "
	    "},");
	for (int i = 3; i <= 9; i++)
		len += (size_t)snprintf(more + len, sizeof(more) - len,
		    "\n  { name = \"t%d\"; reps = 4; work_s = 60.0; "
		    "recovery_s = 60.0; work_speed = 9.0; }%s", i,
		    i < 9 ? "," : "");
	ed[0].line = 49;
	ed[0].text = more;
	expect_errors(ed, 1, (const char *const[]){
	    ":56: more than 8 interval templates" }, 1);
}

static void
test_bad_intervals_shape(void **state)
{
	static const struct tu_edit ed[] = {
		{ 43, "intervals = {" },
		{ 44, "  a = 1;" }, { 45, "" }, { 46, "" }, { 47, "" },
		{ 48, "" }, { 49, "" }, { 50, "};" },
	};
	static const struct tu_edit elem[] = {
		{ 47, "  5, { name = \"4x3min-hr\"; warmup_min = 10.0; "
		    "reps = 4;" },
	};
	static const struct tu_edit empty[] = {
		{ 44, "" }, { 45, "" }, { 46, "" }, { 47, "" },
		{ 48, "" }, { 49, "" },
	};

	(void)state;
	EXPECT(ed, ":43: 'intervals' must be a list ( { ... }, ... )");
	EXPECT(elem, ":47: interval template 2 must be a group { ... }");
	EXPECT_OK(empty);	/* no templates: no interval days */
}

/* ---- walk-run stages ----------------------------------------------------- */

static void
test_bad_stages(void **state)
{
	static const struct tu_edit ed[] = {
		{ 54, "    { run_s = 1900.0; walk_s = 90.0; total_min = 30.0; },"
		},
		{ 55, "    { run_s = 90.0; walk_s = 700.0; total_min = 45.0; }" },
	};
	static const struct tu_edit empty[] = {
		{ 53, "  stages = ();" }, { 54, "" }, { 55, "" }, { 56, "" },
	};
	static const struct tu_edit notlist[] = {
		{ 53, "  stages = 3;" }, { 54, "" }, { 55, "" }, { 56, "" },
	};

	(void)state;
	EXPECT(ed,
	    ":54: walkrun stage 1 run_s (1900 s) is longer than its "
	    "total_min (30 min)",
	    ":55: 'walk_s' is 700, must be between 0 and 600",
	    ":55: walkrun stage 2 total_min (45 min) is above easy "
	    "max_minutes (40 min)");
	EXPECT(empty, ":53: walkrun stages is empty: give at least one "
	    "stage, or leave stages out for the default progression");
	EXPECT(notlist, ":53: 'stages' must be a list ( { ... }, ... )");
}

static void
test_walkrun_default_with_group(void **state)
{
	static const struct tu_edit ed[] = {
		{ 53, "" }, { 54, "" }, { 55, "" }, { 56, "" },
	};
	char path[128], *text = tu_edit_lines(base, BASE_LINES, ed, 4);
	struct profile p;

	(void)state;
	tu_write(NULL, "t.conf", text, path, sizeof(path));
	free(text);
	load_ok(&p, path);
	unlink(path);
	assert_int_equal(p.stage_sessions, 4);
	assert_int_equal(p.nstages, 7);
	assert_near(p.stages[6].run_s, 1800);
}

/* ---- every error at once ------------------------------------------------- */

static void
test_bad_all_reported(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "  hr_max = 90;" },
		{ 5, "  delivery_date = \"2026-02-29\";" },
		{ 13, "  start_minutes = 41.0;" },
		{ 21, "  speed = 7.6;" },
		{ 46, "    work_speed = 12.0; }," },
		{ 52, "  sesions_to_advance = 4;" },
	};

	(void)state;
	EXPECT(ed,
	    ":52: unknown setting 'sesions_to_advance' in group walkrun",
	    ":3: 'hr_max' is 90, must be between 120 and 220",
	    ":5: delivery_date \"2026-02-29\" is not a date on the calendar",
	    ":13: easy start_minutes (41 min) is above easy max_minutes "
	    "(40 min)",
	    ":21: walk speed (7.6 km/h) is above easy max_speed (7.5 km/h)",
	    ":46: interval \"6x1min\" work_speed (12 km/h) is above hard "
	    "max_speed (11 km/h)");
}

/* ---- a directory of profiles --------------------------------------------- */

static void
rm_dir(const char *dir, const char *const *names, size_t n)
{
	char path[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void
test_dir_collects_errors(void **state)
{
	static const char *const names[] = {
		"b-bad.conf", "a-bad.conf", "good.conf", "twin.conf",
		".hidden.conf", "notes.txt", "good.conf~", "c-bad.conf",
	};
	const char *ok = "runner = { name = \"Same\"; hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n";
	char dir[128], path[256], *pre;
	struct profile_set set;
	struct errlist e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/profiles.d", tu_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	tu_write(dir, "b-bad.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 5.0; };\n", path,
	    sizeof(path));
	tu_write(dir, "a-bad.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n"
	    "walk = { sped = 4.0; };\n", path, sizeof(path));
	tu_write(dir, "c-bad.conf", "runner = { hr_max = ; };\n", path,
	    sizeof(path));
	/* Display names need not be unique. */
	tu_write(dir, "good.conf", ok, path, sizeof(path));
	tu_write(dir, "twin.conf", ok, path, sizeof(path));
	/* Not profiles: these are never read, so their errors never show. */
	tu_write(dir, ".hidden.conf", "x", path, sizeof(path));
	tu_write(dir, "notes.txt", "x", path, sizeof(path));
	tu_write(dir, "good.conf~", "x", path, sizeof(path));

	assert_int_equal(profile_load_dir(&set, dir, &e), -1);
	assert_int_equal(set.n, 0);	/* all or nothing */
	assert_null(set.v);
	if (e.n != 3)
		errlist_print(&e, stderr);
	assert_int_equal(e.n, 3);
	/* Sorted by file name. */
	assert_int_equal(asprintf(&pre, "%s/a-bad.conf:3: unknown setting "
	    "'sped' in group walk", dir) > 0, 1);
	assert_string_equal(e.msgs[0], pre);
	free(pre);
	assert_int_equal(asprintf(&pre, "%s/b-bad.conf:2: easy max_speed "
	    "(5 km/h) is below easy min_speed (5.5 km/h)", dir) > 0, 1);
	assert_string_equal(e.msgs[1], pre);
	free(pre);
	assert_int_equal(asprintf(&pre, "%s/c-bad.conf:1: syntax error",
	    dir) > 0, 1);
	assert_string_equal(e.msgs[2], pre);
	free(pre);
	errlist_free(&e);

	/* Fix the bad ones: the two good profiles load, twins and all. */
	unlink(strcat(strcpy(path, dir), "/a-bad.conf"));
	unlink(strcat(strcpy(path, dir), "/b-bad.conf"));
	unlink(strcat(strcpy(path, dir), "/c-bad.conf"));
	assert_int_equal(profile_load_dir(&set, dir, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.v[0].id, "good");
	assert_string_equal(set.v[1].id, "twin");
	assert_string_equal(set.v[0].name, set.v[1].name);
	profile_set_free(&set);
	rm_dir(dir, names, sizeof(names) / sizeof(names[0]));
}

/* A reload: good profiles apply, a bad one keeps its running version, a
 * bad new one is left out; the verdict names them. */
static void
test_dir_reload_keeps_bad(void **state)
{
	static const char *const names[] = {
		"amy.conf", "bea.conf", "new.conf",
	};
	char dir[128], path[256];
	struct profile_set run, set;
	struct profile_reload r;
	struct errlist e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/reload.d", tu_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	tu_write(dir, "amy.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n", path,
	    sizeof(path));
	tu_write(dir, "bea.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.5; };\n", path,
	    sizeof(path));
	assert_int_equal(profile_load_dir(&run, dir, &e), 0);
	assert_int_equal(run.n, 2);

	/* amy: a good change; bea: broken; new: broken and new. */
	tu_write(dir, "amy.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 7.0; };\n", path,
	    sizeof(path));
	tu_write(dir, "bea.conf", "runner = { hr_max = 185; };\n"
	    "easy = { min_speed = 5.5; max_speed = 5.0; };\n", path,
	    sizeof(path));
	tu_write(dir, "new.conf", "runner = { hr_max = ; };\n", path,
	    sizeof(path));
	assert_int_equal(profile_reload_dir(&set, dir, &run, &r, &e), 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.v[0].id, "amy");
	assert_true(set.v[0].easy.max_speed == 7.0);
	assert_string_equal(set.v[1].id, "bea");
	assert_true(set.v[1].easy.max_speed == 7.5);	/* the running one */
	assert_null(profile_find(&set, "new"));
	assert_int_equal(r.nkept, 1);
	assert_string_equal(r.kept, "bea");
	assert_int_equal(r.nskipped, 1);
	assert_string_equal(r.skipped, "new");
	errlist_free(&e);
	profile_set_free(&set);
	profile_set_free(&run);
	rm_dir(dir, names, sizeof(names) / sizeof(names[0]));
}

static void
test_dir_missing(void **state)
{
	char dir[128], *want;
	struct profile_set set;
	struct errlist e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/no-such-dir", tu_dir);
	assert_int_equal(profile_load_dir(&set, dir, &e), -1);
	assert_int_equal(set.n, 0);
	assert_int_equal(e.n, 1);
	assert_int_equal(asprintf(&want, "%s: cannot open the profile "
	    "directory: No such file or directory", dir) > 0, 1);
	assert_string_equal(e.msgs[0], want);
	free(want);
	errlist_free(&e);
}

static void
test_dir_empty_and_subdir(void **state)
{
	static const char *const names[] = { "sub.conf" };
	char dir[128], sub[256], *want;
	struct profile_set set;
	struct errlist e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/empty.d", tu_dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(profile_load_dir(&set, dir, &e), 0);
	assert_int_equal(set.n, 0);
	/* A directory named like a profile is reported, not read. */
	snprintf(sub, sizeof(sub), "%s/sub.conf", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(profile_load_dir(&set, dir, &e), -1);
	assert_int_equal(e.n, 1);
	assert_int_equal(asprintf(&want, "%s: not a regular file", sub) > 0,
	    1);
	assert_string_equal(e.msgs[0], want);
	free(want);
	errlist_free(&e);
	assert_int_equal(rmdir(sub), 0);
	rm_dir(dir, names, 0);
}

/* ---- plausible physiology, reachable runs, the coaching settings --------- */

/* 10: heart rates no heart has are refused where they are written. */
static void
test_bad_hr_plausible(void **state)
{
	static const struct tu_edit high[] = { { 3, "  hr_max = 230;" } };
	static const struct tu_edit low[] = { { 3, "  hr_max = 100;" } };
	static const struct tu_edit rest_low[] = { { 4, "  hr_rest = 30;" } };
	static const struct tu_edit rest_high[] = { { 4, "  hr_rest = 101;" } };
	static const struct tu_edit edges[] = {
		{ 3, "  hr_max = 220;" }, { 4, "  hr_rest = 35;" },
	};
	static const struct tu_edit edges2[] = {
		{ 3, "  hr_max = 140;" }, { 4, "  hr_rest = 100;" },
		{ 11, "  hr_ceiling_pct = 75.0;" },
	};

	(void)state;
	EXPECT(high, ":3: 'hr_max' is 230, must be between 120 and 220");
	EXPECT(low, ":3: 'hr_max' is 100, must be between 120 and 220");
	EXPECT(rest_low, ":4: 'hr_rest' is 30, must be between 35 and 100");
	EXPECT(rest_high, ":4: 'hr_rest' is 101, must be between 35 and 100");
	EXPECT_OK(edges);
	EXPECT_OK(edges2);
}

/* A run of unlock.run_minutes, with the easy session's warm-up and
 * cool-down walking, must fit in easy.max_minutes. */
static void
test_bad_run_minutes_unreachable(void **state)
{
	static const struct tu_edit tight[] = { { 12, "  max_minutes = 35.0;" } };
	static const struct tu_edit fits[] = { { 12, "  max_minutes = 36.0;" } };
	static const struct tu_edit walk[] = {
		{ 13, "  start_minutes = 20.0;\n  walk_minutes = 11.0;" },
	};
	static const struct tu_edit same[] = {
		{ 12, "  max_minutes = 30.0;" },
		{ 13, "  start_minutes = 20.0;" },
	};

	(void)state;
	EXPECT(tight, ":26: unlock run_minutes (30 min) and easy walk_minutes "
	    "(6 min, the default) do not fit in easy max_minutes (35 min): "
	    "the unlock rule could never be met");
	EXPECT_OK(fits);
	/* the line shown is the last of the three written (run_minutes,
	 * now line 27) */
	EXPECT(walk, ":27: unlock run_minutes (30 min) and easy walk_minutes "
	    "(11 min) do not fit in easy max_minutes (40 min): the unlock "
	    "rule could never be met");
	/* max_minutes = run_minutes: as a shipped profile once had it */
	EXPECT(same, ":26: unlock run_minutes (30 min) and easy walk_minutes "
	    "(6 min, the default) do not fit in easy max_minutes (30 min): "
	    "the unlock rule could never be met");
}

/* The coaching settings: defaults, and ranges checked at their line. */
static void
test_coaching_settings(void **state)
{
	static const struct tu_edit set[] = {
		{ 28, "  count_strength = true;\n  runs_per_day = 2;\n"
		    "  strength_minutes = 15.0;" },
		{ 34, "  pain_threshold = 3;\n  hard_per_week = 1;\n"
		    "  base_runs = 3;\n  base_days = 21;\n  break_days = 10;\n"
		    "  comeback_days = 5;\n  clear_days = 10;" },
	};
	static const struct tu_edit bad[] = {
		{ 28, "  count_strength = true;\n  runs_per_day = 0;\n"
		    "  strength_minutes = 0.5;" },
		{ 34, "  pain_threshold = 3;\n  hard_per_week = 8;\n"
		    "  base_runs = 15;\n  base_days = 6;\n  break_days = 91;\n"
		    "  comeback_days = 0;\n  clear_days = 43;" },
	};
	struct profile p;
	char path[128], *text;

	(void)state;
	load_ok(&p, EXAMPLES "/building.conf");
	assert_near(p.easy.walk_minutes, 6);
	assert_int_equal(p.unlock.runs_per_day, 1);
	assert_near(p.unlock.strength_minutes, 20);
	assert_int_equal(p.recovery.hard_per_week, 2);
	assert_int_equal(p.recovery.base_runs, 2);
	assert_int_equal(p.recovery.base_days, 14);
	assert_int_equal(p.recovery.break_days, 14);
	assert_int_equal(p.recovery.comeback_days, 7);
	assert_int_equal(p.recovery.clear_days, 7);

	text = tu_edit_lines(base, BASE_LINES, set, sizeof(set) / sizeof(set[0]));
	tu_write(NULL, "t.conf", text, path, sizeof(path));
	free(text);
	load_ok(&p, path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(p.unlock.runs_per_day, 2);
	assert_near(p.unlock.strength_minutes, 15);
	assert_int_equal(p.recovery.hard_per_week, 1);
	assert_int_equal(p.recovery.base_runs, 3);
	assert_int_equal(p.recovery.base_days, 21);
	assert_int_equal(p.recovery.break_days, 10);
	assert_int_equal(p.recovery.comeback_days, 5);
	assert_int_equal(p.recovery.clear_days, 10);

	/* lines move down by two after line 28 */
	EXPECT(bad,
	    ":29: 'runs_per_day' is 0, must be between 1 and 3",
	    ":30: 'strength_minutes' is 0.5, must be between 1 and 120",
	    ":37: 'hard_per_week' is 8, must be between 1 and 7",
	    ":38: 'base_runs' is 15, must be between 0 and 14",
	    ":39: 'base_days' is 6, must be between 7 and 60",
	    ":40: 'break_days' is 91, must be between 7 and 90",
	    ":41: 'comeback_days' is 0, must be between 1 and 28",
	    ":42: 'clear_days' is 43, must be between 1 and 42");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_starting),
		cmocka_unit_test(test_example_building),
		cmocka_unit_test(test_example_unlocked),
		cmocka_unit_test(test_example_dir),
		cmocka_unit_test(test_base_ok),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_id_valid),
		cmocka_unit_test(test_bad_id),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_bad_speeds_range),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_required),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_unknown_keys),
		cmocka_unit_test(test_bad_easy_speeds),
		cmocka_unit_test(test_bad_hr_rest),
		cmocka_unit_test(test_bad_minutes),
		cmocka_unit_test(test_bad_speed_order),
		cmocka_unit_test(test_run_threshold),
		cmocka_unit_test(test_bad_hr_order),
		cmocka_unit_test(test_bad_delivery_date),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_bad_template_speed),
		cmocka_unit_test(test_bad_template_target),
		cmocka_unit_test(test_bad_template_fields),
		cmocka_unit_test(test_bad_template_duplicate),
		cmocka_unit_test(test_bad_template_count),
		cmocka_unit_test(test_bad_intervals_shape),
		cmocka_unit_test(test_bad_stages),
		cmocka_unit_test(test_walkrun_default_with_group),
		cmocka_unit_test(test_bad_all_reported),
		cmocka_unit_test(test_dir_collects_errors),
		cmocka_unit_test(test_dir_missing),
		cmocka_unit_test(test_dir_empty_and_subdir),
		cmocka_unit_test(test_bad_hr_plausible),
		cmocka_unit_test(test_bad_run_minutes_unreachable),
		cmocka_unit_test(test_coaching_settings),
		cmocka_unit_test(test_dir_reload_keeps_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
