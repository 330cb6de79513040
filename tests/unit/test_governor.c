/*
 * Unit tests of the governor (src/core/governor.c, src/core/governor_phase.c) on a
 * fake calendar: the runner's history is built by hand, day by day, and
 * the decision is taken "now" on a Wednesday, 2026-11-25, 18:00 UTC.
 * Calendar weeks run Monday-Sunday; mon(k) is the Monday k weeks back.
 *
 * The governor is pure: no clock, no files.  TZ is set to UTC so that a
 * time_t and its local calendar day agree with these dates.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "day.h"
#include "fakehist.h"
#include "governor.h"
#include "history.h"
#include "profile.h"

#define assert_near(a, b) do {						\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= 1e-9))					\
		fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);	\
} while (0)

static hday_t TODAY;		/* Wednesday 2026-11-25 */
static time_t NOW;		/* 18:00 that day */

static hday_t
mon(int k)
{
	return hday_week_start(TODAY) - 7 * k;
}

/* ---- a runner's history, built by hand (fakehist.h) -------------------- */

/* This week so far (to Wednesday) meets the rule. */
static void
this_week_done(struct fake *f)
{
	run(f, mon(0), 30);
	run(f, mon(0) + 1, 30);
	run(f, TODAY, 30);
	strength(f, mon(0));
	strength(f, mon(0) + 1);
}

/* Unlocked by the rule in the last three weeks, checked in today. */
static void
unlocked_runner(struct fake *f)
{
	good_weeks(f, mon(3), mon(1));
	checkin(f, TODAY, 7.5);
}

/* ---- looking at a decision ----------------------------------------------- */

static void
dump(const struct decision *d)
{
	fprintf(stderr, "phase %s, day %s, streak %d, progress \"%s\"\n",
	    phase_name(d->phase), day_type_name(d->day), d->streak_weeks,
	    d->progress);
	for (int i = 0; i < d->nreasons; i++)
		fprintf(stderr, "  reason: %s\n", d->reasons[i]);
}

static bool
has_reason(const struct decision *d, const char *text)
{
	for (int i = 0; i < d->nreasons; i++)
		if (strcmp(d->reasons[i], text) == 0)
			return true;
	return false;
}

static bool
has_reason_prefix(const struct decision *d, const char *prefix)
{
	for (int i = 0; i < d->nreasons; i++)
		if (strncmp(d->reasons[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

#define assert_reason(d, text) do {					\
	if (!has_reason((d), (text))) {					\
		dump(d);						\
		fail_msg("no reason \"%s\"", (text));			\
	}								\
} while (0)
#define assert_no_reason(d, prefix) do {				\
	if (has_reason_prefix((d), (prefix))) {				\
		dump(d);						\
		fail_msg("unexpected reason \"%s...\"", (prefix));	\
	}								\
} while (0)
#define assert_progress(d, text) do {					\
	if (strcmp((d)->progress, (text)) != 0) {			\
		dump(d);						\
		fail_msg("progress \"%s\", expected \"%s\"",		\
		    (d)->progress, (text));				\
	}								\
} while (0)

static void
assert_caps(const struct caps *c, double speed, double incline, int hr,
    double minutes)
{
	assert_near(c->max_speed, speed);
	assert_near(c->max_incline, incline);
	assert_int_equal(c->hr_ceiling, hr);
	assert_near(c->max_minutes, minutes);
}

static void
decide(const struct profile *p, const struct fake *f, struct decision *d)
{
	governor_decide(p, &f->h, NOW, TODAY, d);
	assert_true(d->nreasons >= 0 && d->nreasons <= GOV_REASONS_MAX);
	assert_int_equal(d->intervals_allowed, d->day == DAY_INTERVALS);
}

/* ---- base building and the unlock rule ----------------------------------- */

static void
test_fresh_runner(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.day, DAY_EASY);
	assert_false(d.checked_in);
	assert_int_equal(d.streak_weeks, 0);
	assert_progress(&d, "week 1 of 3: 0/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	assert_int_equal(d.nreasons, 3);
	assert_string_equal(d.reasons[0], "base building: intervals unlock "
	    "after 3 weeks in a row of 3 easy runs ≥ 30 min and 2 strength "
	    "sessions");
	assert_string_equal(d.reasons[1], "today's run is at most 20 min, "
	    "the starting length: no easy run finished lately");
	assert_string_equal(d.reasons[2], "no check-in today: check in "
	    "(sleep, pain, leaks) before a session");
	assert_near(d.planned_minutes, 20);
	assert_caps(&d.easy, 7.5, 2.0, 139, 20);
	assert_caps(&d.walk, 5.0, 2.0, 139, 40);
	assert_caps(&d.caps, 7.5, 2.0, 139, 20);
}

static void
test_three_weeks_unlock(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_true(d.checked_in);
	assert_int_equal(d.streak_weeks, 3);
	assert_progress(&d, "unlocked: 3 of 3 weeks met (week of "
	    "2026-11-16)");
	assert_reason(&d, "intervals unlocked: 3 weeks in a row met the "
	    "base-building rule (week of 2026-11-16)");
	assert_reason(&d, "interval day: 6x1min, 35 min with 6 min hard");
	assert_int_equal(d.nreasons, 2);
	assert_caps(&d.caps, 11.0, 3.0, 170, 35);
	/* the easy caps still hold for the easy parts */
	/* 1.1 x 32 min running + 6 walking, capped at max_minutes */
	assert_caps(&d.easy, 7.5, 2.0, 139, 40);
	fake_free(&f);
}

static void
test_two_weeks_not_yet(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(2), mon(1));
	checkin(&f, TODAY, 8);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.day, DAY_EASY);
	assert_int_equal(d.streak_weeks, 2);
	assert_progress(&d, "week 3 of 3: 0/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	assert_no_reason(&d, "slept");

	/* This week, not over yet, counts as soon as it qualifies. */
	run(&f, mon(0), 30);
	strength(&f, mon(0));
	run(&f, mon(0) + 1, 30);
	decide(&p, &f, &d);
	assert_progress(&d, "week 3 of 3: 2/3 runs ≥ 30 min easy, "
	    "1/2 strength");
	strength(&f, mon(0) + 1);
	run(&f, TODAY, 31);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.streak_weeks, 3);
	assert_progress(&d, "unlocked: 3 of 3 weeks met (week of "
	    "2026-11-23)");
	fake_free(&f);
}

static void
test_gap_week_resets(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(4), mon(3));
	/* mon(2): nothing */
	good_week(&f, mon(1));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 1);
	assert_progress(&d, "week 2 of 3: 0/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	fake_free(&f);

	/* A week with two runs is as much a gap as an empty one. */
	good_weeks(&f, mon(4), mon(3));
	run(&f, mon(2), 30);
	run(&f, mon(2) + 2, 30);
	strength(&f, mon(2) + 1);
	strength(&f, mon(2) + 3);
	good_week(&f, mon(1));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 1);
	fake_free(&f);
}

static void
test_week_boundary(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(3), mon(2));
	/* Last week: Tuesday, Thursday and late on Sunday. */
	run(&f, mon(1) + 1, 30);
	run(&f, mon(1) + 3, 30);
	add_session(&f, mon(1) + 6, 23, 30);
	strength(&f, mon(1));
	strength(&f, mon(1) + 6);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.streak_weeks, 3);
	fake_free(&f);

	/* The same runs with the third just after midnight on Monday:
	 * last week had two, so the streak is broken. */
	good_weeks(&f, mon(3), mon(2));
	run(&f, mon(1) + 1, 30);
	run(&f, mon(1) + 3, 30);
	add_session(&f, mon(0), 0, 30);
	strength(&f, mon(1));
	strength(&f, mon(1) + 6);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 0);
	assert_progress(&d, "week 1 of 3: 1/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	fake_free(&f);

	/* A strength session on Monday belongs to the new week too. */
	good_weeks(&f, mon(3), mon(2));
	run(&f, mon(1), 30);
	run(&f, mon(1) + 2, 30);
	run(&f, mon(1) + 4, 30);
	strength(&f, mon(1) + 1);
	strength(&f, mon(0));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_progress(&d, "week 1 of 3: 0/3 runs ≥ 30 min easy, "
	    "1/2 strength");
	fake_free(&f);
}

static void
test_missing_strength(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	good_week(&f, mon(3));
	/* mon(2): the runs, one strength session */
	run(&f, mon(2), 30);
	run(&f, mon(2) + 2, 30);
	run(&f, mon(2) + 4, 30);
	strength(&f, mon(2) + 1);
	good_week(&f, mon(1));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 1);
	assert_progress(&d, "week 2 of 3: 0/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	fake_free(&f);
}

static void
test_count_strength_off(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	p.unlock.count_strength = false;
	decide(&p, &f, &d);
	assert_progress(&d, "week 1 of 3: 0/3 runs ≥ 30 min easy");
	assert_reason(&d, "base building: intervals unlock after 3 weeks in "
	    "a row of 3 easy runs ≥ 30 min");

	for (int k = 3; k >= 1; k--) {
		run(&f, mon(k), 30);
		run(&f, mon(k) + 2, 30);
		run(&f, mon(k) + 4, 30);
	}
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	p.unlock.count_strength = true;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	fake_free(&f);
}

/* Only completed, symptom-free, easy runs of run_minutes count. */
static void
test_what_counts_as_a_run(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	struct hist_session *s;

	(void)state;
	default_profile(&p);
	for (int bad = 0; bad < 5; bad++) {
		for (int k = 3; k >= 1; k--) {
			run(&f, mon(k), 30);
			run(&f, mon(k) + 2, 30);
			strength(&f, mon(k) + 1);
			strength(&f, mon(k) + 3);
		}
		/* the third run of the middle week */
		s = add_session(&f, mon(2) + 4, 7, 30);
		switch (bad) {
		case 0:
			s->running_min = 29.9;	/* 30 min with a walk */
			break;
		case 1:
			s->outcome = HO_STOPPED;
			break;
		case 2:
			s->hard = true;
			break;
		case 3:
			snprintf(s->workout, sizeof(s->workout), "walk");
			break;
		case 4:
			s->outcome = HO_INTERRUPTED;
			break;
		}
		/* the other weeks' third runs */
		run(&f, mon(3) + 4, 30);
		run(&f, mon(1) + 4, 30);
		decide(&p, &f, &d);
		if (d.phase != PHASE_BASE)
			fail_msg("case %d counted as a run", bad);
		assert_int_equal(d.streak_weeks, 1);
		fake_free(&f);
	}
}

/* Qualifying weeks long ago still count: once unlocked, unlocked. */
static void
test_unlock_sticks(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(10), mon(8));
	run(&f, mon(1), 20);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.streak_weeks, 0);
	assert_progress(&d, "unlocked: 3 of 3 weeks met (week of "
	    "2026-09-28)");
	/* no check-in today: an easy day */
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "no check-in today: check in (sleep, pain, leaks) "
	    "before a session");
	fake_free(&f);
}

/* ---- symptoms re-lock ---------------------------------------------------- */

static void
test_symptom_relocks(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	hday_t s = mon(2) + 1;		/* Tuesday 2026-11-10 */

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(5), mon(3));
	/* mon(2): a leak on Tuesday; only what comes after it counts */
	run(&f, mon(2), 30);
	strength(&f, mon(2));
	run(&f, s, 30);
	symptom(&f, s, 8, "leak");
	strength(&f, s + 1);
	run(&f, s + 2, 30);
	strength(&f, s + 3);
	run(&f, s + 4, 30);
	run(&f, s + 5, 30);
	good_week(&f, mon(1));
	checkin(&f, TODAY, 8);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.day, DAY_EASY);
	assert_int_equal(d.streak_weeks, 2);
	assert_progress(&d, "week 3 of 3: 0/3 runs ≥ 30 min easy, "
	    "0/2 strength");
	assert_reason(&d, "leak on 2026-11-10: the count restarts from "
	    "2026-11-11");

	/* Met again from that day on: three weeks after it. */
	this_week_done(&f);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_progress(&d, "unlocked: 3 of 3 weeks met (week of "
	    "2026-11-23)");
	fake_free(&f);

	/* Runs on the symptom day itself do not count. */
	good_weeks(&f, mon(5), mon(3));
	run(&f, s, 30);
	symptom(&f, s, 8, "leak");
	strength(&f, s + 1);
	run(&f, s + 2, 30);
	strength(&f, s + 3);
	run(&f, s + 4, 30);
	good_week(&f, mon(1));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 1);
	fake_free(&f);
}

/* Each kind of symptom record re-locks an unlocked runner. */
static void
test_symptom_sources(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	struct hist_checkin *c;
	struct hist_session *s;

	(void)state;
	default_profile(&p);
	for (int kind = 0; kind < 4; kind++) {
		unlocked_runner(&f);
		switch (kind) {
		case 0:
			symptom(&f, mon(0), 8, "heaviness");
			break;
		case 1:
			s = add_session(&f, mon(0), 7, 12);
			s->symptom = true;
			s->outcome = HO_SYMPTOM;
			break;
		case 2:
			c = checkin(&f, mon(0), 7);
			c->pain = 5;
			break;
		case 3:
			c = checkin(&f, mon(0), 7);
			c->pain = 2;	/* below the threshold */
			break;
		}
		decide(&p, &f, &d);
		if (kind == 3) {
			assert_int_equal(d.phase, PHASE_UNLOCKED);
			assert_int_equal(d.day, DAY_INTERVALS);
		} else {
			assert_int_equal(d.phase, PHASE_BASE);
			assert_int_equal(d.day, DAY_EASY);
			assert_int_equal(d.streak_weeks, 0);
		}
		if (kind == 0)
			assert_reason(&d, "heaviness on 2026-11-23: the count "
			    "restarts from 2026-11-24");
		if (kind == 1)
			assert_reason(&d, "symptom during a session on "
			    "2026-11-23: the count restarts from 2026-11-24");
		if (kind == 2)
			assert_reason(&d, "pain 5/10 at check-in on 2026-11-23: "
			    "the count restarts from 2026-11-24");
		fake_free(&f);
	}
}

/* ---- red flags and postnatal timing: walking only ------------------------ */

static void
test_red_flag_walk_only(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	struct hist_checkin *c;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].leak = true;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_false(d.intervals_allowed);
	assert_int_equal(d.phase, PHASE_BASE);	/* and it re-locks */
	assert_string_equal(d.reasons[0], "leak reported at check-in");
	assert_string_equal(d.reasons[1], "walking only today: see a "
	    "pelvic-health physiotherapist before running again");
	assert_caps(&d.caps, 5.0, 2.0, 139, 40);
	fake_free(&f);

	/* Every flag is named; pain at the threshold is one. */
	c = checkin(&f, TODAY, 7);
	c->heaviness = c->bleeding = true;
	c->pain = 3;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_reason(&d, "heaviness or dragging reported at check-in");
	assert_reason(&d, "bleeding reported at check-in");
	assert_reason(&d, "pain 3/10 at check-in (red flag from 3)");
	assert_reason(&d, "walking only today: see a pelvic-health "
	    "physiotherapist before running again");
	/* Checking in again does not clear it. */
	checkin(&f, TODAY, 7)->at = at(TODAY, 9, 0);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	fake_free(&f);

	c = checkin(&f, TODAY, 7);
	c->pain = 2;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_no_reason(&d, "walking only");
	fake_free(&f);

	/* A symptom reported in a run earlier today. */
	checkin(&f, TODAY, 7);
	symptom(&f, TODAY, 8, "leak");
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_reason(&d, "leak reported today during a session");
	assert_reason(&d, "walking only today: see a pelvic-health "
	    "physiotherapist before running again");
	fake_free(&f);
}

static void
test_postnatal(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	int y, m, dd;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	p.has_delivery = true;

	/* 11 weeks and 6 days */
	hday_to_ymd(TODAY - 83, &y, &m, &dd);
	p.delivery_y = y, p.delivery_m = m, p.delivery_d = dd;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_reason(&d, "week 12 after delivery (2026-09-03): walking only; "
	    "running may start on 2026-11-26, 12 weeks after delivery");
	assert_caps(&d.caps, 5.0, 2.0, 139, 40);

	/* 12 weeks to the day */
	hday_to_ymd(TODAY - 84, &y, &m, &dd);
	p.delivery_y = y, p.delivery_m = m, p.delivery_d = dd;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_no_reason(&d, "week ");

	/* a date in the future is a mistake or a pregnancy: walk */
	p.delivery_y = 2026, p.delivery_m = 12, p.delivery_d = 1;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_reason(&d, "delivery date 2026-12-01 is in the future: "
	    "walking only");

	/* no delivery date: no postnatal rule */
	p.has_delivery = false;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	fake_free(&f);
}

/* ---- recovery before an interval day ------------------------------------- */

static void
test_sleep(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].sleep_h = 5;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "slept 5.0 h last night (needs 6.0 h)");
	assert_caps(&d.caps, 7.5, 2.0, 139, d.planned_minutes);
	f.h.checkins[f.h.ncheckins - 1].sleep_h = 6;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	fake_free(&f);

	/* no check-in: no interval day */
	unlocked_runner(&f);
	f.h.ncheckins--;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_false(d.checked_in);
	assert_reason(&d, "no check-in today: check in (sleep, pain, leaks) "
	    "before a session");
	fake_free(&f);
}

static void
test_48_hours(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	time_t now;

	(void)state;
	default_profile(&p);
	/* Ended Monday 23:00; now Wednesday 05:00: 30 h, not yesterday. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 2, 23, 0), 40, 6);
	run(&f, TODAY - 1, 30);		/* an easy run in between */
	now = at(TODAY, 5, 0);
	governor_decide(&p, &f.h, now, TODAY, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "last hard session 30 h ago (needs 48 h)");
	assert_no_reason(&d, "hard session yesterday");
	assert_no_reason(&d, "hard minutes");
	/* 47 h 59 min is not 48 h */
	governor_decide(&p, &f.h, at(TODAY - 2, 23, 0) + 48 * 3600 - 60,
	    TODAY, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "last hard session 47 h ago (needs 48 h)");
	governor_decide(&p, &f.h, at(TODAY - 2, 23, 0) + 48 * 3600, TODAY,
	    &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	fake_free(&f);

	/* Ended Monday 16:00; now Wednesday 18:00: 50 h. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 2, 16, 0), 40, 6);
	run(&f, TODAY - 1, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_caps(&d.caps, 11.0, 3.0, 170, 35);
	fake_free(&f);
}

static void
test_hard_yesterday(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	/* 24 h apart is enough here, so only the calendar rule stops it. */
	p.recovery.min_hours = 24;
	unlocked_runner(&f);
	hard(&f, at(TODAY - 1, 7, 40), 40, 6);	/* 34 h 20 min ago */
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "hard session yesterday");
	assert_no_reason(&d, "last hard session");
	fake_free(&f);

	/* And a second hard session on the same day. */
	p.recovery.min_hours = 12;
	unlocked_runner(&f);
	hard(&f, at(TODAY, 5, 40), 40, 6);	/* 12 h 20 min ago */
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "hard session already today");
	assert_no_reason(&d, "last hard session");
	fake_free(&f);

	/* Two days back is neither. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 2, 7, 40), 40, 6);
	run(&f, TODAY - 1, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	fake_free(&f);
}

static void
test_hard_share(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	/* 20 + 20 hard minutes in 80 min, plus the planned 6 of 35, with
	 * Friday's 30 min easy run: 46 of 145 min. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 3, 8, 0), 40, 20);
	hard(&f, at(TODAY - 5, 8, 0), 40, 20);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "6x1min would make 46 of your last 7 days' 145 min "
	    "of running hard (32 %; at most 20 %)");
	assert_no_reason(&d, "last hard session");
	fake_free(&f);

	/* Seven days back falls out of the week. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 7, 8, 0), 40, 20);
	hard(&f, at(TODAY - 9, 8, 0), 40, 20);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	fake_free(&f);

	/* The plan is the first template: 4x3min-hr is 12 hard minutes of
	 * 40, with Friday's 30 min run 12 of 70 (17 %). */
	unlocked_runner(&f);
	p.templates[0] = p.templates[1];
	p.ntemplates = 1;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_reason(&d, "interval day: 4x3min-hr, 40 min with 12 min hard");
	p.recovery.max_hard_share = 0.15;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "4x3min-hr would make 12 of your last 7 days' 70 "
	    "min of running hard (17 %; at most 15 %)");
	fake_free(&f);
}

static void
test_no_templates(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	p.ntemplates = 0;
	unlocked_runner(&f);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "no interval templates in the profile");
	fake_free(&f);
}

/* Every failed condition is listed, not just the first. */
static void
test_all_failures_listed(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].sleep_h = 4.5;
	hard(&f, at(TODAY - 1, 8, 0), 40, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "last hard session 34 h ago (needs 48 h)");
	assert_reason(&d, "hard session yesterday");
	assert_reason(&d, "slept 4.5 h last night (needs 6.0 h)");
	assert_reason(&d, "6x1min would make 36 of your last 7 days' 105 min "
	    "of running hard (34 %; at most 20 %)");
	fake_free(&f);
}

/* ---- staff overrides ----------------------------------------------------- */

static void
test_staff_unlock(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	checkin(&f, TODAY, 7);
	/* intervals need a recent base, and no break just before it */
	run(&f, TODAY - 12, 30);
	run(&f, TODAY - 5, 30);
	run(&f, TODAY - 3, 30);
	override(&f, at(TODAY - 1, 10, 0), true, "Jo",
	    "ran 3x30 min a week elsewhere, cleared by physio");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_progress(&d, "unlocked by staff: Jo on 2026-11-24");
	assert_reason(&d, "intervals unlocked by staff: Jo on 2026-11-24: "
	    "ran 3x30 min a week elsewhere, cleared by physio");

	/* A symptom after the staff unlock locks again. */
	symptom(&f, TODAY - 1, 15, "leak");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "the staff unlock (Jo on 2026-11-24) ended with a "
	    "later symptom");
	assert_reason(&d, "leak on 2026-11-24: the count restarts from "
	    "2026-11-25");
	fake_free(&f);

	/* One before it does not (staff knew). */
	checkin(&f, TODAY, 7);
	symptom(&f, TODAY - 5, 15, "leak");
	override(&f, at(TODAY - 1, 10, 0), true, "Jo", "seen by physio");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	/* Same day, earlier hour: still before the unlock. */
	symptom(&f, TODAY - 1, 9, "pain");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	fake_free(&f);
}

static void
test_staff_lock(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	override(&f, at(mon(0), 9, 0), false, "Ana", "hip pain, see physio");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "locked by staff: Ana on 2026-11-23, the count "
	    "restarts from 2026-11-24: hip pain, see physio");

	/* Unlocked again by staff after the lock. */
	override(&f, at(TODAY, 8, 0), true, "Ana", "physio says fine");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_INTERVALS);
	/* ... and locked again later the same day. */
	override(&f, at(TODAY, 9, 0), false, "Jo", "wrong runner");
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	fake_free(&f);

	/* The rule met after a lock unlocks. */
	override(&f, at(mon(4) + 6, 9, 0), false, "Ana", "back pain");
	good_weeks(&f, mon(3), mon(1));
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	fake_free(&f);
}

/* ---- spike guard --------------------------------------------------------- */

static void
test_spike_guard(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	struct hist_session *s;

	(void)state;
	default_profile(&p);
	run(&f, TODAY - 29, 25);
	run(&f, TODAY - 3, 22);
	add_session(&f, TODAY - 30, 7, 38);	/* a day too old */
	s = add_session(&f, TODAY - 2, 7, 39);	/* stopped: not clean */
	s->outcome = HO_STOPPED;
	s = add_session(&f, TODAY - 4, 7, 39);	/* symptom: not clean */
	s->symptom = true;
	s->outcome = HO_SYMPTOM;
	hard(&f, at(TODAY - 6, 8, 0), 39, 6);	/* hard: not easy */
	decide(&p, &f, &d);
	/* 1.1 x 25 min of running, and 6 min of walking */
	assert_near(d.planned_minutes, 33.5);
	assert_near(d.easy.max_minutes, 33.5);
	assert_reason(&d, "today's run is at most 33.5 min: 27.5 min of "
	    "running, 10 % more than your longest easy run of the last 30 "
	    "days (25 min), and 6 min of walking");
	fake_free(&f);

	/* none: the starting length */
	decide(&p, &f, &d);
	assert_near(d.planned_minutes, 20);

	/* short runs: never below the starting length */
	run(&f, TODAY - 1, 10);
	decide(&p, &f, &d);
	assert_near(d.planned_minutes, 20);
	assert_reason(&d, "today's run is at most 20 min, the starting "
	    "length: your longest runs lately were short");
	fake_free(&f);

	/* long runs: never above max_minutes, and nothing to say */
	run(&f, TODAY - 1, 38);
	decide(&p, &f, &d);
	assert_near(d.planned_minutes, 40);
	assert_no_reason(&d, "today's run is at most");
	assert_caps(&d.caps, 7.5, 2.0, 139, 40);
	fake_free(&f);
}

/* ---- years of history ---------------------------------------------------- */

static void
ten_years(struct fake *f, hday_t symptom_day)
{
	for (hday_t day = TODAY - 3650; day < TODAY; day++) {
		run(f, day, 35);
		checkin(f, day, 7.5);
		if (hday_weekday(day) == 1 || hday_weekday(day) == 3)
			strength(f, day);
	}
	if (symptom_day != 0)
		symptom(f, symptom_day, 12, "pain");
	checkin(f, TODAY, 7.5);
}

static void
test_ten_years(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d, d2;
	hday_t s = TODAY - 729;		/* two years ago, a Tuesday */
	int weeks;

	(void)state;
	default_profile(&p);
	assert_int_equal(hday_weekday(s), 1);
	ten_years(&f, s);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	/* The symptom's week lost its Tuesday strength session; every full
	 * week after it qualifies, and this one is not done yet. */
	weeks = (mon(1) - (hday_week_start(s) + 7)) / 7 + 1;
	assert_int_equal(d.streak_weeks, weeks);
	assert_progress(&d, "unlocked: 3 of 3 weeks met (week of "
	    "2024-12-16)");
	assert_int_equal(hday_week_start(s) + 21,
	    hday_from_ymd(2024, 12, 16));

	/* Order does not matter: the same history newest first. */
	for (size_t i = 0; i < f.h.nsessions / 2; i++) {
		struct hist_session t = f.h.sessions[i];

		f.h.sessions[i] = f.h.sessions[f.h.nsessions - 1 - i];
		f.h.sessions[f.h.nsessions - 1 - i] = t;
	}
	decide(&p, &f, &d2);
	assert_int_equal(d2.phase, d.phase);
	assert_int_equal(d2.streak_weeks, d.streak_weeks);
	assert_string_equal(d2.progress, d.progress);
	fake_free(&f);

	/* A symptom last Wednesday: ten years count for nothing after it,
	 * and the rest of that week had one strength session. */
	ten_years(&f, mon(1) + 2);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 0);
	assert_progress(&d, "week 1 of 3: 2/3 runs ≥ 30 min easy, "
	    "1/2 strength");
	fake_free(&f);
}

/* ---- bounds and purity --------------------------------------------------- */

static bool
utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		int n = *u < 0x80 ? 0 : *u >= 0xf0 ? 3 : *u >= 0xe0 ? 2 :
		    *u >= 0xc0 ? 1 : -1;

		if (n < 0)
			return false;
		u++;
		for (; n > 0; n--, u++)
			if ((*u & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static void
test_reasons_bounded(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	char reason[256], staff[64];

	(void)state;
	default_profile(&p);
	/* A staff reason longer than a decision reason, all two-byte
	 * characters, cut at an odd byte. */
	memset(staff, 'S', sizeof(staff) - 1);
	staff[sizeof(staff) - 1] = '\0';
	for (size_t i = 0; i + 2 < sizeof(reason); i += 2)
		memcpy(reason + i, "é", 2);
	reason[sizeof(reason) - 2] = '\0';
	checkin(&f, TODAY, 7);
	override(&f, at(TODAY - 1, 10, 0), true, staff, reason);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	for (int i = 0; i < d.nreasons; i++) {
		assert_true(strlen(d.reasons[i]) < GOV_REASON_LEN);
		assert_true(utf8_valid(d.reasons[i]));
	}
	assert_true(strlen(d.progress) < GOV_REASON_LEN);
	fake_free(&f);

	/* Everything wrong at once stays within GOV_REASONS_MAX. */
	p.has_delivery = true;
	p.delivery_y = 2026, p.delivery_m = 10, p.delivery_d = 1;
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].leak = true;
	f.h.checkins[f.h.ncheckins - 1].heaviness = true;
	f.h.checkins[f.h.ncheckins - 1].bleeding = true;
	f.h.checkins[f.h.ncheckins - 1].pain = 9;
	symptom(&f, TODAY, 8, "leak");
	override(&f, at(TODAY - 3, 8, 0), false, "Jo", "lock");
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_WALK_ONLY);
	assert_true(d.nreasons <= GOV_REASONS_MAX);
	fake_free(&f);
}

static void
test_pure(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision a, b;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	hard(&f, at(TODAY - 1, 8, 0), 40, 6);
	memset(&a, 0x55, sizeof(a));
	memset(&b, 0xaa, sizeof(b));
	decide(&p, &f, &a);
	decide(&p, &f, &b);
	assert_int_equal(a.phase, b.phase);
	assert_int_equal(a.day, b.day);
	assert_int_equal(a.streak_weeks, b.streak_weeks);
	assert_caps(&a.caps, b.caps.max_speed, b.caps.max_incline,
	    b.caps.hr_ceiling, b.caps.max_minutes);
	assert_caps(&a.easy, b.easy.max_speed, b.easy.max_incline,
	    b.easy.hr_ceiling, b.easy.max_minutes);
	assert_caps(&a.walk, b.walk.max_speed, b.walk.max_incline,
	    b.walk.hr_ceiling, b.walk.max_minutes);
	assert_memory_equal(a.progress, b.progress, sizeof(a.progress));
	assert_int_equal(a.nreasons, b.nreasons);
	assert_memory_equal(a.reasons, b.reasons, sizeof(a.reasons));
	/* and the inputs are untouched */
	assert_int_equal(f.h.nsessions, 10);
	fake_free(&f);
}

static void
test_history_days(void **state)
{
	struct profile p;

	(void)state;
	default_profile(&p);
	assert_int_equal(governor_history_days(&p), 30);
	p.unlock.weeks = 6;
	assert_int_equal(governor_history_days(&p), 49);
	p.progression.window_days = 90;
	assert_int_equal(governor_history_days(&p), 90);
	p.unlock.weeks = 1;
	p.progression.window_days = 7;
	/* a break of 14 days that ended up to 7 days ago */
	assert_int_equal(governor_history_days(&p), 22);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(phase_name(PHASE_BASE), "base");
	assert_string_equal(phase_name(PHASE_UNLOCKED), "unlocked");
	assert_string_equal(day_type_name(DAY_WALK_ONLY), "walk-only");
	assert_string_equal(day_type_name(DAY_EASY), "easy");
	assert_string_equal(day_type_name(DAY_INTERVALS), "intervals");
}

/* ---- the coaching rules: each case below once came out wrong ------------- */

static bool
has_code(const struct decision *d, const char *code)
{
	for (int i = 0; i < d->nreasons; i++)
		if (strcmp(d->codes[i], code) == 0)
			return true;
	return false;
}

#define assert_code(d, code) do {					\
	if (!has_code((d), (code))) {					\
		dump(d);						\
		fail_msg("no reason with code \"%s\"", (code));		\
	}								\
} while (0)

/* 3: training every other evening, just over 48 h after the last hard
 * session, is not an interval day every time. */
static void
test_never_hard_every_run(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	hday_t first = mon(4), day;
	time_t start = at(first, 12, 0);
	int hard_days[11], nhard = 0;
	bool prev_hard = false;

	(void)state;
	default_profile(&p);
	good_weeks(&f, mon(7), mon(5));
	for (int i = 0; i < 11; i++) {
		day = hday_from_time(start);
		checkin(&f, day, 7.5)->at = start - 600;
		governor_decide(&p, &f.h, start, day, &d);
		assert_int_equal(d.phase, PHASE_UNLOCKED);
		if (d.day == DAY_INTERVALS) {
			if (prev_hard)
				fail_msg("session %d: hard twice in a row", i);
			hard(&f, start + 35 * 60, 35, 6);
			hard_days[nhard++] = day;
			/* at most hard_per_week in any 7 days */
			if (nhard > 2 && hard_days[nhard - 1] -
			    hard_days[nhard - 3] < 7)
				fail_msg("session %d: 3 hard in 7 days", i);
		} else {
			assert_int_equal(d.day, DAY_EASY);
			add_session(&f, day, 0, 35)->start = start;
			f.h.sessions[f.h.nsessions - 1].end = start + 35 * 60;
		}
		prev_hard = d.day == DAY_INTERVALS;
		/* just over 48 h after the end of this one */
		start += 48 * 3600 + 40 * 60;
	}
	/* hard every other session at most, and some hard at all */
	assert_true(nhard >= 3 && nhard <= 6);
	fake_free(&f);

	/* The same when the easy run between was cut short: a hard session
	 * needs an easy run completed since the last one. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 3, 8, 0), 35, 6);
	add_session(&f, TODAY - 1, 7, 30)->outcome = HO_STOPPED;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "easy_between");
	assert_reason(&d, "no easy run since your last hard session: an easy "
	    "run comes first");
	fake_free(&f);

	/* Two hard sessions this week already: the third waits. */
	unlocked_runner(&f);
	hard(&f, at(TODAY - 5, 8, 0), 35, 6);
	run(&f, TODAY - 4, 30);
	hard(&f, at(TODAY - 3, 8, 0), 35, 6);
	run(&f, TODAY - 2, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "hard_limit_week");
	assert_reason(&d, "already 2 hard sessions in the last 7 days (at "
	    "most 2)");
	/* the older one leaves the 7 days on Friday */
	assert_reason(&d, "intervals may come on 2026-11-27 at the earliest");
	fake_free(&f);
}

/* 4: intervals after weeks off. */
static void
test_recent_base(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	/* unlocked six weeks ago, then nothing for more than four weeks */
	good_weeks(&f, mon(8), mon(6));
	checkin(&f, TODAY, 8);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);	/* the unlock stays */
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "base_recent");
	assert_reason(&d, "0 easy runs finished in the last 14 days: "
	    "intervals need 2 first");
	assert_code(&d, "comeback");
	assert_reason(&d, "back after more than 14 days without running: "
	    "easy runs only for the first 7 days");
	assert_reason(&d, "intervals may come on 2026-12-02 at the earliest, "
	    "after 2 more easy runs");

	/* Two easy runs back: still the first week after the break. */
	run(&f, TODAY - 3, 30);
	run(&f, TODAY - 1, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "comeback");
	assert_no_reason(&d, "0 easy runs");
	assert_reason(&d, "intervals may come on 2026-11-29 at the earliest");
	/* A week after the first run back, intervals may come. */
	checkin(&f, TODAY + 4, 8);
	governor_decide(&p, &f.h, at(TODAY + 4, 18, 0), TODAY + 4, &d);
	if (d.day != DAY_INTERVALS) {
		dump(&d);
		fail_msg("no interval day a week after coming back");
	}

	/* One easy run in 14 days is not a base. */
	fake_free(&f);
	unlocked_runner(&f);
	f.h.nsessions = 0;
	good_weeks(&f, mon(5), mon(3));
	run(&f, TODAY - 15, 30);	/* 14 days before the next: no break */
	run(&f, TODAY - 1, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, "1 easy run finished in the last 14 days: "
	    "intervals need 2 first");
	assert_reason(&d, "intervals may come on 2026-11-26 at the earliest, "
	    "after an easy run");
	fake_free(&f);
}

/* 5: every template is checked against the day's length and the hard
 * share, and an unknown name is refused. */
static void
test_every_template_checked(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	char why[GOV_REASON_LEN];

	(void)state;
	default_profile(&p);
	/* 4x3min-hr first: 40 min, 12 of them hard (30 % on its own) */
	p.templates[0] = p.templates[1];
	p.templates[1] = (struct interval_template){ "6x1min", 10, 6, 60, 90,
	    10, 9.5, 0 };
	p.easy.max_minutes = 35;	/* a 35-minute day */
	unlocked_runner(&f);
	decide(&p, &f, &d);
	assert_near(d.planned_minutes, 35);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_reason(&d, "interval day: 6x1min, 35 min with 6 min hard");
	assert_string_equal(d.template_name, "6x1min");
	assert_near(d.caps.max_minutes, 35);
	assert_int_equal(governor_check_template(&p, &d, "4x3min-hr", why,
	    sizeof(why)), -1);
	assert_string_equal(why, "4x3min-hr takes 40 min, longer than today's "
	    "35 min");
	assert_int_equal(governor_check_template(&p, &d, "6x1min", why,
	    sizeof(why)), 0);
	assert_int_equal(governor_check_template(&p, &d, "6x1mn", why,
	    sizeof(why)), -1);
	assert_string_equal(why, "no interval template named \"6x1mn\" in the "
	    "profile");

	/* 40 minutes allowed, but its hard share is too high. */
	p.easy.max_minutes = 40;
	p.recovery.max_hard_share = 0.15;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_reason(&d, "interval day: 6x1min, 35 min with 6 min hard");
	assert_int_equal(governor_check_template(&p, &d, "4x3min-hr", why,
	    sizeof(why)), -1);
	assert_string_equal(why, "4x3min-hr would make 12 of your last 7 "
	    "days' 70 min of running hard (17 %; at most 15 %)");

	/* None fits: an easy day, each template's reason given. */
	p.recovery.max_hard_share = 0.05;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_string_equal(d.template_name, "");
	assert_code(&d, "hard_share");
	assert_reason(&d, "6x1min would make 6 of your last 7 days' 65 min of "
	    "running hard (9 %; at most 5 %)");
	assert_int_equal(governor_check_template(&p, &d, "6x1min", why,
	    sizeof(why)), -1);
	assert_string_equal(why, "today is not an interval day");
	fake_free(&f);
}

/* 7: a day only gets more careful. */
static void
test_day_more_careful(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	struct hist_checkin *c;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].sleep_h = 5;
	/* checking in again later with "more sleep" */
	checkin(&f, TODAY, 8)->at = at(TODAY, 9, 0);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "sleep_short");
	assert_reason(&d, "slept 5.0 h last night (needs 6.0 h)");
	fake_free(&f);

	/* Pain below the red-flag level: easy only, not walk-only. */
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].pain = 2;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "pain_easy");
	assert_reason(&d, "pain 2/10 at check-in: easy running only today");
	/* a later check-in without it does not take it back */
	checkin(&f, TODAY, 8)->at = at(TODAY, 9, 0);
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "pain_easy");
	fake_free(&f);

	/* A limitation, even reported later: easy only. */
	unlocked_runner(&f);
	c = checkin(&f, TODAY, 8);
	c->at = at(TODAY, 9, 0);
	c->limitation = true;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "limitation_easy");
	assert_reason(&d, "limitation reported at check-in: easy running only "
	    "today");
	fake_free(&f);
}

/* 8: what counts toward the unlock: one run a day, strength of at least
 * strength_minutes, running minutes. */
static void
test_unlock_counts(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	/* A good week, then two runs on Monday and one on Wednesday: two
	 * days of running. */
	good_week(&f, mon(3));
	for (int k = 2; k >= 1; k--) {
		run(&f, mon(k), 30);
		add_session(&f, mon(k), 18, 30);
		run(&f, mon(k) + 2, 30);
		strength(&f, mon(k) + 1);
		strength(&f, mon(k) + 3);
	}
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	assert_int_equal(d.streak_weeks, 0);
	assert_code(&d, "streak_gap");
	assert_reason(&d, "the week of 2026-11-09 had fewer than 3 easy runs "
	    "≥ 30 min on different days and 2 strength sessions: the count of "
	    "weeks starts again");
	/* Two a day may count when the profile says so. */
	p.unlock.runs_per_day = 2;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	fake_free(&f);

	/* Strength sessions of 1 and 15 minutes do not count; 20 do. */
	p.unlock.runs_per_day = 1;
	good_weeks(&f, mon(3), mon(1));
	for (size_t i = 0; i < f.h.nstrength; i++)
		f.h.strength[i].minutes = i % 2 ? 1 : 15;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	for (size_t i = 0; i < f.h.nstrength; i++)
		f.h.strength[i].minutes = 20;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	fake_free(&f);

	/* 35 minutes on the belt with 6 of them walking is 29 of running. */
	good_weeks(&f, mon(3), mon(1));
	f.h.sessions[1].actual_min = 35;
	f.h.sessions[1].running_min = 29;
	f.h.sessions[1].walking_min = 6;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_BASE);
	fake_free(&f);
}

/* Which runs counted, each with the first rule it missed. */
static void
test_which_counted(void **state)
{
	static const char *const want[] = {
		"restart", "short", "restart", "day_limit", "counted", "hard",
		"walk", "not_completed", "symptom", "counted", "later",
	};
	struct profile p;
	struct fake f = { 0 };
	enum run_count got[11];
	struct hist_session *s;

	(void)state;
	default_profile(&p);
	symptom(&f, mon(1) + 1, 9, "leak");	/* the count restarts */
	run(&f, mon(2), 30);			/* before it */
	add_session(&f, mon(2) + 1, 7, 20);	/* too short anyway */
	run(&f, mon(1) + 1, 30);		/* its day */
	/* Two on one day: the earlier counts, whatever the order. */
	add_session(&f, mon(1) + 2, 18, 30);
	run(&f, mon(1) + 2, 32);
	add_session(&f, mon(1) + 3, 7, 30)->hard = true;
	s = add_session(&f, mon(1) + 4, 7, 30);
	snprintf(s->workout, sizeof(s->workout), "walk");
	add_session(&f, mon(1) + 5, 7, 30)->outcome = HO_STOPPED;
	/* A symptom first, even in a walk. */
	s = add_session(&f, mon(1) + 1, 15, 30);
	s->symptom = true;
	snprintf(s->workout, sizeof(s->workout), "walk");
	run(&f, TODAY, 30);
	run(&f, TODAY + 1, 30);
	assert_int_equal(f.h.nsessions, 11);
	governor_counted(&p, &f.h, TODAY, got);
	for (size_t i = 0; i < f.h.nsessions; i++)
		if (strcmp(run_count_name(got[i]), want[i]) != 0)
			fail_msg("session %zu: %s, expected %s", i,
			    run_count_name(got[i]), want[i]);
	/* Two a day may count when the profile says so. */
	p.unlock.runs_per_day = 2;
	governor_counted(&p, &f.h, TODAY, got);
	assert_string_equal(run_count_name(got[3]), "counted");
	/* A staff lock today restarts the count after today's run. */
	override(&f, at(TODAY, 20, 0), false, "jo", "a lock for the test");
	governor_counted(&p, &f.h, TODAY, got);
	assert_string_equal(run_count_name(got[9]), "restart");
	assert_string_equal(run_count_name(got[4]), "restart");
	fake_free(&f);
}

/* 9: after a red flag, easy only and the physio named, until staff clear
 * her or 7 days pass without a symptom. */
static void
test_after_red_flag(void **state)
{
	struct profile p;
	struct fake f = { 0 };
	struct decision d;
	const char *after = "leak at check-in on 2026-11-24: easy running "
	    "only, and see a pelvic-health physiotherapist, until staff "
	    "clear you or 7 days pass without a symptom (from 2026-12-02)";

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	checkin(&f, TODAY - 1, 7)->leak = true;
	decide(&p, &f, &d);
	assert_int_equal(d.day, DAY_EASY);
	assert_code(&d, "after_red_flag");
	assert_reason(&d, after);
	assert_reason(&d, "leak at check-in on 2026-11-24: the count restarts "
	    "from 2026-11-25");

	/* Staff unlock again after it: still easy only, physio named. */
	override(&f, at(TODAY - 1, 12, 0), true, "Jo", "physio seen");
	run(&f, TODAY - 3, 30);
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);
	assert_int_equal(d.day, DAY_EASY);
	assert_reason(&d, after);

	/* Staff clear her: a normal day, no more word of it. */
	override(&f, at(TODAY, 8, 0), false, "Jo", "pelvic floor checked")->
	    clear = true;
	decide(&p, &f, &d);
	assert_int_equal(d.phase, PHASE_UNLOCKED);	/* not a lock */
	assert_int_equal(d.day, DAY_INTERVALS);
	assert_no_reason(&d, "leak at check-in on 2026-11-24: easy");
	fake_free(&f);

	/* Without clearance: easy for 7 symptom-free days, then normal. */
	checkin(&f, TODAY - 7, 7)->heaviness = true;
	checkin(&f, TODAY, 7);
	decide(&p, &f, &d);
	assert_code(&d, "after_red_flag");
	assert_reason(&d, "heaviness at check-in on 2026-11-18: easy running "
	    "only, and see a pelvic-health physiotherapist, until staff clear "
	    "you or 7 days pass without a symptom (from 2026-11-26)");
	checkin(&f, TODAY + 1, 7);
	governor_decide(&p, &f.h, at(TODAY + 1, 18, 0), TODAY + 1, &d);
	assert_false(has_code(&d, "after_red_flag"));
	fake_free(&f);
}

/* Reasons carry a code, and speak plainly. */
static void
test_reason_codes(void **state)
{
	static const char *const jargon[] = { "spike guard", "clean run",
	    "hard minutes over", NULL };
	struct profile p;
	struct fake f = { 0 };
	struct decision d;

	(void)state;
	default_profile(&p);
	unlocked_runner(&f);
	f.h.checkins[f.h.ncheckins - 1].sleep_h = 4;
	hard(&f, at(TODAY - 1, 8, 0), 40, 30);
	run(&f, TODAY - 20, 10);
	decide(&p, &f, &d);
	assert_code(&d, "unlocked");
	assert_code(&d, "sleep_short");
	assert_code(&d, "hard_yesterday");
	assert_code(&d, "hard_rest_hours");
	assert_code(&d, "next_intervals");
	for (int i = 0; i < d.nreasons; i++) {
		if (d.codes[i][0] == '\0')
			fail_msg("reason \"%s\" has no code", d.reasons[i]);
		for (int j = 0; jargon[j] != NULL; j++)
			if (strstr(d.reasons[i], jargon[j]) != NULL)
				fail_msg("jargon in \"%s\"", d.reasons[i]);
	}
	fake_free(&f);

	checkin(&f, TODAY, 7)->leak = true;
	decide(&p, &f, &d);
	assert_string_equal(d.codes[0], "red_flag_leak");
	assert_string_equal(d.reasons[0], "leak reported at check-in");
	assert_string_equal(d.codes[1], "walk_only_physio");
	fake_free(&f);
}

static bool
from_day(hday_t day, void *since)
{
	return day >= *(hday_t *)since;
}

/* Only what the rules need is read: from governor_history_days() back,
 * and older days only when an unlock may hang on them. */
static void
test_read_from(void **state)
{
	struct profile p;
	struct fake f = { 0 }, w = { 0 };
	struct decision d, dw;
	hday_t since;

	(void)state;
	default_profile(&p);
	since = TODAY - governor_history_days(&p);
	/* Ten years of daily runs: the last weeks settle the unlock. */
	ten_years(&f, 0);
	/* the window as a history load gives it */
	fake_copy_if(&w, &f, from_day, &since);
	assert_int_equal(governor_read_from(&p, &w.h, since, TODAY), since);
	decide(&p, &f, &d);
	decide(&p, &w, &dw);
	assert_int_equal(dw.phase, d.phase);
	assert_int_equal(dw.day, d.day);
	assert_near(dw.planned_minutes, d.planned_minutes);
	fake_free(&f);

	/* Unlocked long ago and training little since: read it all. */
	w.h.nsessions = w.h.nstrength = 0;
	run(&w, TODAY - 10, 30);
	assert_int_equal(governor_read_from(&p, &w.h, since, TODAY),
	    GOV_ALL_DAYS);
	/* ... or from the last symptom, which is always loaded. */
	symptom(&w, TODAY - 400, 9, "leak");
	assert_int_equal(governor_read_from(&p, &w.h, since, TODAY),
	    TODAY - 400);
	/* A symptom inside the window: nothing older matters. */
	symptom(&w, since + 3, 9, "leak");
	assert_int_equal(governor_read_from(&p, &w.h, since, TODAY), since);
	w.h.nsymptoms = 0;
	/* A staff unlock with no symptom after it settles it too. */
	override(&w, at(TODAY - 300, 9, 0), true, "Jo", "cleared");
	assert_int_equal(governor_read_from(&p, &w.h, since, TODAY), since);
	fake_free(&w);
}

/* Calendar days as the history stores them: YYYY-MM-DD, real dates only. */
static void
test_day_parse(void **state)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-13-01", "2026-00-10", "2026-1-01",
		"2026-01-1", "2026/01/01", "202a-01-01", "2026-01-01x",
		"1899-12-31", "", "2026-01-0 ",
	};
	hday_t d;
	int y, m, dd;

	(void)state;
	assert_int_equal(hday_parse("2024-02-29", &d), 0);
	hday_to_ymd(d, &y, &m, &dd);
	assert_int_equal(y * 10000 + m * 100 + dd, 20240229);
	assert_int_equal(hday_parse("2026-12-02", &d), 0);
	assert_int_equal(d, hday_from_ymd(2026, 12, 2));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hday_parse(bad[i], &d) != -1)
			fail_msg("'%s' was taken for a day", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_parse),
		cmocka_unit_test(test_fresh_runner),
		cmocka_unit_test(test_three_weeks_unlock),
		cmocka_unit_test(test_two_weeks_not_yet),
		cmocka_unit_test(test_gap_week_resets),
		cmocka_unit_test(test_week_boundary),
		cmocka_unit_test(test_missing_strength),
		cmocka_unit_test(test_count_strength_off),
		cmocka_unit_test(test_what_counts_as_a_run),
		cmocka_unit_test(test_unlock_sticks),
		cmocka_unit_test(test_symptom_relocks),
		cmocka_unit_test(test_symptom_sources),
		cmocka_unit_test(test_red_flag_walk_only),
		cmocka_unit_test(test_postnatal),
		cmocka_unit_test(test_sleep),
		cmocka_unit_test(test_48_hours),
		cmocka_unit_test(test_hard_yesterday),
		cmocka_unit_test(test_hard_share),
		cmocka_unit_test(test_no_templates),
		cmocka_unit_test(test_all_failures_listed),
		cmocka_unit_test(test_staff_unlock),
		cmocka_unit_test(test_staff_lock),
		cmocka_unit_test(test_spike_guard),
		cmocka_unit_test(test_ten_years),
		cmocka_unit_test(test_reasons_bounded),
		cmocka_unit_test(test_pure),
		cmocka_unit_test(test_history_days),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_never_hard_every_run),
		cmocka_unit_test(test_recent_base),
		cmocka_unit_test(test_every_template_checked),
		cmocka_unit_test(test_day_more_careful),
		cmocka_unit_test(test_unlock_counts),
		cmocka_unit_test(test_which_counted),
		cmocka_unit_test(test_after_red_flag),
		cmocka_unit_test(test_reason_codes),
		cmocka_unit_test(test_read_from),
	};

	/* The fake calendar is in UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	TODAY = hday_from_ymd(2026, 11, 25);
	NOW = at(TODAY, 18, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
