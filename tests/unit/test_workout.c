/*
 * Walk-run progression from the history, as Couch to 5K moves on: a
 * stage advances after the profile's number of clean sessions at it on
 * different days with a rest day between, steps back after a symptom or
 * a break, and goes back to the first after a long one.  Pure: the
 * history is built by hand (TZ=UTC).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "plan.h"

#define DAY0	20000		/* a Monday: the first day of the history */

static struct hist_session rows[128];
static struct hist_symptom syms[16];
static struct hist_checkin cins[16];
static struct runner_history h;
static struct profile p;

static void
setup_profile(void)
{
	memset(&p, 0, sizeof(p));
	p.nstages = 4;
	p.stage_sessions = 3;
	p.recovery.pain_threshold = 3;
	p.recovery.break_days = 14;
	memset(&h, 0, sizeof(h));
	h.sessions = rows;
	h.symptoms = syms;
	h.checkins = cins;
}

static time_t
at(hday_t day)
{
	return (time_t)day * 86400 + 7 * 3600;
}

/* A session on day (DAY0 + d): workout, stage, outcome, symptom. */
static void
add(int d, const char *workout, int stage, enum hist_outcome o,
    bool symptom)
{
	struct hist_session *s = &rows[h.nsessions++];

	memset(s, 0, sizeof(*s));
	snprintf(s->workout, sizeof(s->workout), "%s", workout);
	s->stage = stage;
	s->start = at(DAY0 + d);
	s->end = s->start + 1200;
	s->actual_min = 20;
	s->running_min = strcmp(workout, "walk") == 0 ? 0 : 8;
	s->walking_min = s->actual_min - s->running_min;
	s->outcome = o;
	s->symptom = symptom;
}

/* n clean walk-run sessions at stage from day d, every other day. */
static int
clean_at(int d, int stage, int n)
{
	for (int i = 0; i < n; i++, d += 2)
		add(d, "walkrun", stage, HO_COMPLETED, false);
	return d;
}

static int
stage_on(int d)
{
	return walkrun_stage(&h, &p, DAY0 + d);
}

static void
test_fresh_runner_is_stage_0(void **state)
{
	(void)state;
	setup_profile();
	assert_int_equal(stage_on(0), 0);
	add(0, "easy", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(1), 0);
}

static void
test_advances_after_n_clean(void **state)
{
	(void)state;
	setup_profile();
	clean_at(0, 0, 2);
	assert_int_equal(stage_on(3), 0);
	add(4, "walkrun", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(5), 1);
	/* Stopped sessions are not clean: no progress from them. */
	add(6, "walkrun", 1, HO_STOPPED, false);
	add(8, "walkrun", 1, HO_SAFETY_STOP, false);
	clean_at(10, 1, 2);
	assert_int_equal(stage_on(13), 1);
	add(14, "walkrun", 1, HO_COMPLETED, false);
	assert_int_equal(stage_on(15), 2);
}

/* Couch to 5K: runs on different days with a rest day between. */
static void
test_needs_rest_days_between(void **state)
{
	(void)state;
	setup_profile();
	/* Three on one day, and two on the days after: one each counts. */
	add(0, "walkrun", 0, HO_COMPLETED, false);
	add(0, "walkrun", 0, HO_COMPLETED, false);
	add(0, "walkrun", 0, HO_COMPLETED, false);
	add(1, "walkrun", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(2), 0);
	add(2, "walkrun", 0, HO_COMPLETED, false);
	add(3, "walkrun", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(3), 0);
	add(4, "walkrun", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(4), 1);
}

static void
test_steps_back_after_symptom(void **state)
{
	int d;

	(void)state;
	setup_profile();
	d = clean_at(0, 0, 3);
	d = clean_at(d, 1, 3);
	assert_int_equal(stage_on(d), 2);
	/* A symptom in any session steps back one stage. */
	add(d, "easy", 0, HO_SYMPTOM, true);
	syms[h.nsymptoms++] = (struct hist_symptom){ .at = at(DAY0 + d) + 600,
	    .day = DAY0 + d };
	assert_int_equal(stage_on(d + 1), 1);
	/* ... and the count at the new stage starts again. */
	d = clean_at(d + 2, 1, 2);
	assert_int_equal(stage_on(d), 1);
	d = clean_at(d, 1, 1);
	assert_int_equal(stage_on(d), 2);
	/* A red flag at check-in steps back too; low pain does not. */
	cins[h.ncheckins++] = (struct hist_checkin){ .day = DAY0 + d,
	    .at = at(DAY0 + d) - 3600, .pain = 2 };
	assert_int_equal(stage_on(d + 1), 2);
	cins[h.ncheckins++] = (struct hist_checkin){ .day = DAY0 + d + 1,
	    .at = at(DAY0 + d + 1) - 3600, .leak = true };
	assert_int_equal(stage_on(d + 1), 1);
	/* Never below the first stage. */
	setup_profile();
	add(0, "walkrun", 0, HO_SYMPTOM, true);
	assert_int_equal(stage_on(1), 0);
}

/* 14 days without running step back one stage, 28 to the first. */
static void
test_breaks_step_back(void **state)
{
	int d;

	(void)state;
	setup_profile();
	d = clean_at(0, 0, 3);
	d = clean_at(d, 1, 3);
	d = clean_at(d, 2, 3);
	assert_int_equal(stage_on(d), 3);
	/* The last run was on d - 2: 13 days off, then 14. */
	assert_int_equal(stage_on(d - 2 + 14), 3);
	assert_int_equal(stage_on(d - 2 + 15), 2);
	assert_int_equal(stage_on(d - 2 + 28), 2);
	assert_int_equal(stage_on(d - 2 + 29), 0);
	/* A walk is no running; an easy run is. */
	add(d - 2 + 10, "walk", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(d - 2 + 15), 2);
	add(d - 2 + 12, "easy", 0, HO_COMPLETED, false);
	assert_int_equal(stage_on(d - 2 + 15), 3);
}

static void
test_never_past_the_last_stage(void **state)
{
	int d = 0;

	(void)state;
	setup_profile();
	for (int st = 0; st < 6; st++)
		d = clean_at(d, st > 3 ? 3 : st, 3);
	assert_int_equal(stage_on(d), 3);
}

static void
test_sessions_at_another_stage_do_not_count(void **state)
{
	(void)state;
	setup_profile();
	/* Clean sessions logged at a stage she has not reached. */
	clean_at(0, 2, 3);
	assert_int_equal(stage_on(6), 0);
}

static void
test_history_unavailable_has_a_code(void **state)
{
	struct decision d;
	int i;

	(void)state;
	setup_profile();
	p.easy.min_speed = 5.5;
	p.easy.max_speed = 7.5;
	p.easy.max_minutes = 40;
	p.easy.start_minutes = 20;
	p.walk.speed = 5.0;
	p.hr_max = 185;
	p.unlock.weeks = 3;
	p.progression.max_growth = 1.1;
	p.progression.window_days = 30;
	plan_decide(&p, NULL, "disk unplugged", time(NULL), &d);
	assert_int_not_equal(d.day, DAY_INTERVALS);
	for (i = 0; i < d.nreasons; i++)
		if (strstr(d.reasons[i], "history unavailable") != NULL)
			break;
	assert_true(i < d.nreasons);
	assert_string_equal(d.codes[i], "history_unavailable");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_runner_is_stage_0),
		cmocka_unit_test(test_advances_after_n_clean),
		cmocka_unit_test(test_needs_rest_days_between),
		cmocka_unit_test(test_steps_back_after_symptom),
		cmocka_unit_test(test_breaks_step_back),
		cmocka_unit_test(test_never_past_the_last_stage),
		cmocka_unit_test(test_sessions_at_another_stage_do_not_count),
		cmocka_unit_test(test_history_unavailable_has_a_code),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
