/*
 * The governor's HR hold against a first-order heart (the simulator's
 * kind: HR moves toward rest + k * speed with time constant tau, and
 * drifts up slowly): the cap keeps HR within the ceiling + 3 bpm once
 * settled, never raises the belt above the plan, holds the cap when the
 * signal is lost, and does not slam to walking pace on a rising HR.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hrhold.h"

struct heart {
	double	 hr, tau, k, rest, drift;
};

static void
heart_step(struct heart *h, double speed, double t, double dt)
{
	double ss = h->rest + h->k * speed + h->drift * t / 60;

	h->hr += (ss - h->hr) * dt / h->tau;
}

/* Run `seconds` at 20 Hz with the plan at `plan` km/h; the belt follows
 * the capped plan at 1 km/h/s.  Returns the worst HR after `settle_s`. */
static double
run(struct heart *h, struct hr_hold *hold, double plan, int ceiling,
    double seconds, double settle_s, double *min_cap_seen)
{
	double belt = 5.0, cap = plan, worst = 0, dt = 0.05;

	*min_cap_seen = plan;
	for (double t = 0; t < seconds; t += dt) {
		cap = hr_hold_update(hold, (int)lround(h->hr), ceiling, plan,
		    belt, dt);
		assert_true(cap <= plan + 1e-9);
		if (cap < *min_cap_seen)
			*min_cap_seen = cap;
		double target = fmin(plan, cap);
		belt += fmax(fmin(target - belt, 1.0 * dt), -1.5 * dt);
		heart_step(h, belt, t, dt);
		if (t >= settle_s && h->hr > worst)
			worst = h->hr;
	}
	return worst;
}

static void
test_holds_a_fast_rising_heart(void **state)
{
	static const double taus[] = { 20, 40, 60 };

	(void)state;
	for (size_t i = 0; i < sizeof(taus) / sizeof(taus[0]); i++) {
		struct heart h = { 100, taus[i], 12, 65, 0.2 };
		struct hr_hold hold;
		double minc, worst;

		hr_hold_init(&hold, 8.0, 5.0);
		worst = run(&h, &hold, 8.0, 135, 1500, 400, &minc);
		print_message("tau %.0f: worst HR %.1f after settling, cap "
		    "%.2f\n", taus[i], worst, hold.cap);
		assert_true(worst <= 135 + 3);
		/* It slowed the belt, and not to a crawl. */
		assert_true(hold.cap < 7.5);
		assert_true(hold.cap > 5.0);
	}
}

static void
test_no_slam_on_a_rise(void **state)
{
	struct heart h = { 90, 30, 10, 65, 0 };
	struct hr_hold hold;
	double minc;

	(void)state;
	/* Steady state at 8 km/h is 145 bpm: the ceiling 150 is never at
	 * risk, so the cap must stay near the plan however fast HR rises. */
	hr_hold_init(&hold, 8.0, 5.0);
	run(&h, &hold, 8.0, 150, 600, 0, &minc);
	assert_true(minc > 7.0);
}

static void
test_lost_signal_holds(void **state)
{
	struct hr_hold hold;
	double c0, c;

	(void)state;
	hr_hold_init(&hold, 8.0, 5.0);
	for (int i = 0; i < 400; i++)
		hr_hold_update(&hold, 160, 135, 8.0, 7.0, 0.05);
	c0 = hold.cap;
	assert_true(c0 < 8.0);
	for (int i = 0; i < 400; i++)
		c = hr_hold_update(&hold, 0, 135, 8.0, 7.0, 0.05);
	assert_true(fabs(c - c0) < 1e-9);
	/* A lower plan still lowers it. */
	c = hr_hold_update(&hold, 0, 135, 5.5, 7.0, 0.05);
	assert_true(c <= 5.5);
}

static void
test_no_ceiling_no_cap(void **state)
{
	struct hr_hold hold;

	(void)state;
	hr_hold_init(&hold, 9.0, 5.0);
	for (int i = 0; i < 200; i++)
		assert_true(hr_hold_update(&hold, 190, 0, 9.0, 9.0, 0.05) ==
		    9.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holds_a_fast_rising_heart),
		cmocka_unit_test(test_no_slam_on_a_rise),
		cmocka_unit_test(test_lost_signal_holds),
		cmocka_unit_test(test_no_ceiling_no_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
