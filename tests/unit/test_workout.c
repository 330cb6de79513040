/*
 * Walk-run progression from the history: a stage advances after the
 * profile's number of clean sessions at it, and steps back after any
 * symptom.  Pure: the history is built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "plan.h"

static struct hist_session rows[64];
static struct runner_history h;
static struct profile p;

static void
setup_profile(void)
{
	memset(&p, 0, sizeof(p));
	p.nstages = 4;
	p.stage_sessions = 3;
	memset(&h, 0, sizeof(h));
	h.sessions = rows;
}

static void
add(const char *workout, enum hist_outcome o, bool symptom)
{
	struct hist_session *s = &rows[h.nsessions++];

	memset(s, 0, sizeof(*s));
	snprintf(s->workout, sizeof(s->workout), "%s", workout);
	s->outcome = o;
	s->symptom = symptom;
}

static void
test_fresh_runner_is_stage_0(void **state)
{
	(void)state;
	setup_profile();
	assert_int_equal(walkrun_stage(&h, &p), 0);
	add("easy", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 0);
}

static void
test_advances_after_n_clean(void **state)
{
	(void)state;
	setup_profile();
	add("walkrun/0", HO_COMPLETED, false);
	add("walkrun/0", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 0);
	add("walkrun/0", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 1);
	/* Stopped sessions are not clean: no progress from them. */
	add("walkrun/1", HO_STOPPED, false);
	add("walkrun/1", HO_SAFETY_STOP, false);
	add("walkrun/1", HO_COMPLETED, false);
	add("walkrun/1", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 1);
	add("walkrun/1", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 2);
}

static void
test_steps_back_after_symptom(void **state)
{
	(void)state;
	setup_profile();
	for (int i = 0; i < 6; i++)
		add(i < 3 ? "walkrun/0" : "walkrun/1", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 2);
	/* A symptom in any session steps back one stage. */
	add("easy", HO_SYMPTOM, true);
	assert_int_equal(walkrun_stage(&h, &p), 1);
	/* ... and the count at the new stage starts again. */
	add("walkrun/1", HO_COMPLETED, false);
	add("walkrun/1", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 1);
	add("walkrun/1", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 2);
	/* Never below the first stage. */
	setup_profile();
	add("walkrun/0", HO_SYMPTOM, true);
	assert_int_equal(walkrun_stage(&h, &p), 0);
}

static void
test_never_past_the_last_stage(void **state)
{
	(void)state;
	setup_profile();
	for (int st = 0; st < 6; st++)
		for (int i = 0; i < 3; i++) {
			char w[32];
			snprintf(w, sizeof(w), "walkrun/%d", st > 3 ? 3 : st);
			add(w, HO_COMPLETED, false);
		}
	assert_int_equal(walkrun_stage(&h, &p), 3);
}

static void
test_sessions_at_another_stage_do_not_count(void **state)
{
	(void)state;
	setup_profile();
	/* Clean sessions logged at a stage she has not reached. */
	add("walkrun/2", HO_COMPLETED, false);
	add("walkrun/2", HO_COMPLETED, false);
	add("walkrun/2", HO_COMPLETED, false);
	assert_int_equal(walkrun_stage(&h, &p), 0);
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
		cmocka_unit_test(test_steps_back_after_symptom),
		cmocka_unit_test(test_never_past_the_last_stage),
		cmocka_unit_test(test_sessions_at_another_stage_do_not_count),
		cmocka_unit_test(test_history_unavailable_has_a_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
