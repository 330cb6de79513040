/*
 * The tick pipeline, tick by tick with a fake clock and a fake belt that
 * follows its command, under the real workout plugins (BUILD/plugins, or
 * $TM_PLUGIN_DIR): a walk-down is a cap nothing can lift, the plugin
 * sees the cap of its own tick, and a heart rate safety drops reaches
 * nothing after it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pipeline.h"
#include "testutil.h"
#include "workout.h"

#define HZ	10.0
#define WALK	5.0

static const struct safety_limits LIM = {
	.max_speed = 16, .min_incline = 0, .max_incline = 12, .accel = 2,
	.decel = 2, .speed_tolerance = 0.5, .drive_max_speed = 20,
	.comm_loss_ticks = 3, .max_heart_rate = 250, .max_dt = 0.2,
};

/* One test's world: the pipeline, the plugin and the belt. */
struct rig {
	struct pipeline	 pl;
	struct workout	 wk;
	struct pipe_plugin real;	/* the workout's stage */
	struct config	 cfg;
	struct profile	 p;
	struct decision	 d;
	double		 now;
	double		 belt;		/* km/h: follows the command */
	int		 hr;		/* what the strap sends */
	double		 console;	/* the console's request */
	struct command	 c;
	/* What the plugin stage was given on the last tick it ran. */
	int		 calls;
	double		 seen_cap;
	int		 seen_hr, max_seen_hr;
};

/* Wraps the real plugin stage to see what the pipeline hands it. */
static void
spy_propose(void *ctx, struct session *s, const struct sample *smp,
    const struct pipe_caps *caps, double dt)
{
	struct rig *r = ctx;

	r->calls++;
	r->seen_cap = caps->speed;
	r->seen_hr = smp != NULL ? smp->heart_rate : 0;
	if (r->seen_hr > r->max_seen_hr)
		r->max_seen_hr = r->seen_hr;
	r->real.propose(r->real.ctx, s, smp, caps, dt);
}

static void
spy_event(void *ctx, enum pipe_event ev, double value)
{
	struct rig *r = ctx;

	r->real.event(r->real.ctx, ev, value);
}

static void
profile_for(struct rig *r, int hr_ceiling)
{
	struct profile *p = &r->p;
	struct decision *d = &r->d;

	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "maya");
	p->hr_max = 185;
	p->hr_rest = 60;
	p->easy.min_speed = 6.0;
	p->easy.max_speed = 7.5;
	p->easy.max_incline = 2.0;
	p->easy.hr_ceiling = hr_ceiling;
	p->hard.max_speed = 11.0;
	p->walk.speed = WALK;
	p->walk.run_threshold = 5.5;
	p->stages[0] = (struct walkrun_stage){ 60, 90, 15 };
	p->nstages = 1;
	memset(d, 0, sizeof(*d));
	d->phase = PHASE_BASE;
	d->day = DAY_EASY;
	d->easy.max_speed = 7.5;
	d->easy.max_incline = 2.0;
	d->easy.hr_ceiling = hr_ceiling;
	d->easy.max_minutes = 40;
	d->walk = d->easy;
	d->walk.max_speed = WALK;
	d->caps = d->easy;
	d->planned_minutes = 30;
}

/* One transaction and one tick, as the belt loop runs them. */
static void
tick(struct rig *r)
{
	struct sample s;
	double dt = 1.0 / HZ;

	r->now += dt;
	pipeline_command(&r->pl, r->now, dt, &r->c);
	r->belt = r->c.run ? r->c.speed : 0;
	memset(&s, 0, sizeof(s));
	s.running = r->c.run;
	s.key = true;
	s.ready = true;
	s.belt_speed = r->belt;
	s.incline = r->c.incline;
	s.heart_rate = r->hr;
	s.console_request = r->console;
	s.heartbeat_echo = r->c.heartbeat;
	assert_int_equal(pipeline_observe(&r->pl, &s, r->c.run, r->now, dt),
	    0);
}

static void
rig_start(struct rig *r, const char *workout, int hr_ceiling)
{
	struct session plan;
	struct pipe_plugin spy = { spy_propose, spy_event, r };
	char why[512] = "";
	const char *w;

	memset(r, 0, sizeof(*r));
	tu_plugin_dir(r->cfg.plugins.dir, sizeof(r->cfg.plugins.dir));
	profile_for(r, hr_ceiling);
	pipeline_init(&r->pl, &LIM);
	r->hr = hr_ceiling > 0 ? 120 : 0;
	tick(r);	/* the drive answers before anyone may start */
	if (workout_open(&r->wk, &plan, workout, NULL, &r->p, &r->d, 0,
	    &r->cfg, why, sizeof(why)) == -1)
		fail_msg("workout %s: %s", workout, why);
	workout_stage(&r->wk, &r->real);
	assert_int_equal(safety_start(&r->pl.safety, &w), 0);
	pipeline_begin(&r->pl, &plan, &spy);
}

static void
rig_end(struct rig *r)
{
	workout_close(&r->wk);
}

/*
 * After a leak is reported, two minutes of speed commands, console up
 * keys and plugin proposals never take the command above walking pace
 * once it has come down to it, and never raise it on the way down.
 */
static void
test_walkdown_is_a_cap(void **state)
{
	struct rig *r = malloc(sizeof(*r));
	const char *why;
	double prev;
	bool down = false;

	(void)state;
	rig_start(r, "easy", 0);
	for (int i = 0; i < 300 * HZ; i++)	/* past the warm-up */
		tick(r);
	assert_true(r->c.speed > 6.0);		/* running */
	assert_int_equal(pipeline_symptom(&r->pl, &why), 0);
	prev = r->c.speed;
	for (int i = 0; i < 120 * HZ; i++) {
		/* Her command, the console's key, and a plugin that would
		 * still lead: each asks for more than walking pace. */
		if (i % 10 == 0)
			(void)pipeline_request_speed(&r->pl, 8.0 + i % 3, &why);
		r->console = 7.0 + (i / 5 % 10) * 0.1;
		r->pl.session.use_plugin = true;
		r->pl.session.prop_speed = 9.0;
		tick(r);
		assert_true(r->c.run);
		if (r->c.speed <= WALK + 1e-9)
			down = true;
		if (down)
			assert_true(r->c.speed <= WALK + 1e-9);
		else
			assert_true(r->c.speed <= prev + 1e-9);
		prev = r->c.speed;
		assert_true(r->pl.caps.speed <= WALK + 1e-9);
		assert_true(r->pl.caps.walkdown);
		assert_true(pipeline_speed_limit(&r->pl) <= WALK + 1e-9);
	}
	assert_true(down);
	rig_end(r);
	free(r);
}

/* A cap the HR hold lowers on tick N is the cap the plugin sees on N. */
static void
test_plugin_sees_this_ticks_cap(void **state)
{
	struct rig *r = malloc(sizeof(*r));
	int lowered = 0;

	(void)state;
	rig_start(r, "easy", 150);
	for (int i = 0; i < 600 * HZ; i++) {
		double before = r->pl.caps.speed;

		/* A heart rate that climbs past the ceiling and stays. */
		if (i % (int)HZ == 0 && r->hr < 165)
			r->hr++;
		r->calls = 0;
		tick(r);
		if (r->pl.session.state != SESSION_RUNNING ||
		    !r->pl.session.use_plugin)
			break;
		assert_int_equal(r->calls, 1);
		assert_float_equal(r->seen_cap, r->pl.caps.speed, 1e-12);
		assert_true(r->c.speed <= r->seen_cap + 1e-9);
		if (r->pl.caps.speed < before - 1e-6)
			lowered++;
	}
	/* The hold did lower the cap, tick after tick. */
	assert_true(lowered > 100);
	assert_true(r->pl.caps.speed < 7.5 - 0.5);
	rig_end(r);
	free(r);
}

/*
 * A heart rate safety drops (255, a 60 bpm jump in one tick, and 0, no
 * signal) never reaches the HR hold, the plugin or the session's average.
 */
static void
test_dropped_hr_reaches_nothing(void **state)
{
	static const int bad[] = { 255, 200, 0, 80 };
	struct rig *r = malloc(sizeof(*r));
	double hr_f_max = 0;

	(void)state;
	rig_start(r, "easy", 150);
	r->hr = 140;
	for (int i = 0; i < 300 * HZ; i++) {
		/* Every 10 s one bad reading among steady 140s. */
		r->hr = i % 100 == 50 ? bad[i / 100 % 4] : 140;
		tick(r);
		if (r->pl.hold.hr_f > hr_f_max)
			hr_f_max = r->pl.hold.hr_f;
		assert_true(r->seen_hr == 0 || r->seen_hr == 140 ||
		    r->seen_hr == 120);
	}
	assert_int_equal(r->max_seen_hr, 140);
	assert_true(hr_f_max <= 140 + 1e-9);
	assert_int_equal(r->pl.session.hr_max, 140);
	assert_true(r->pl.session.hr_time > 0);
	assert_float_equal(r->pl.session.hr_sum / r->pl.session.hr_time,
	    140.0, 1e-9);
	rig_end(r);
	free(r);
}

/*
 * Running minutes: the walk-run's runs at or above the threshold count,
 * its warm-up, walk breaks and cool-down do not, and every second moving
 * is one or the other.
 */
static void
test_running_minutes_by_gait(void **state)
{
	struct rig *r = malloc(sizeof(*r));
	const struct session *s = &r->pl.session;

	(void)state;
	rig_start(r, "walkrun", 0);
	r->d.planned_minutes = 21;
	for (int i = 0; i < 30 * 60 * HZ && s->state == SESSION_RUNNING; i++)
		tick(r);
	assert_int_equal(s->outcome, OUTCOME_COMPLETED);
	/* 3 min warm-up, 6 x (60 s run, 90 s walk), 3 min cool-down: 360 s
	 * of running, less the ramp up to the threshold in each run. */
	if (s->running_s > 360 + 1e-6 || s->running_s < 360 - 6 * 0.5)
		fail_msg("running %.2f s, not 360 s less the ramps",
		    s->running_s);
	assert_float_equal(s->running_s + s->walking_s, s->elapsed_s, 1e-6);
	assert_true(s->walking_s > 3 * 60 + 6 * 90 + 3 * 60 - 5);
	rig_end(r);
	free(r);
}

/* A plan without gait marks (an old plugin): the belt's speed decides. */
static void
test_unmarked_gait_by_speed(void **state)
{
	struct session s;
	struct sample smp;

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&smp, 0, sizeof(smp));
	s.run_threshold = 5.5;
	session_add(&s, "a", 100, 7, 0, false);
	session_begin(&s);
	smp.belt_speed = 4.0;
	for (int i = 0; i < 10; i++)
		session_tick(&s, &smp, 1, true);
	smp.belt_speed = 7.0;
	for (int i = 0; i < 20; i++)
		session_tick(&s, &smp, 1, true);
	assert_float_equal(s.walking_s, 10, 1e-9);
	assert_float_equal(s.running_s, 20, 1e-9);
	/* Marked walking: not running, however fast the belt. */
	memset(&s, 0, sizeof(s));
	s.run_threshold = 5.5;
	session_add_gait(&s, "w", 100, 7, 0, false, GAIT_WALK);
	session_begin(&s);
	for (int i = 0; i < 20; i++)
		session_tick(&s, &smp, 1, true);
	assert_float_equal(s.running_s, 0, 1e-9);
	assert_float_equal(s.walking_s, 20, 1e-9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkdown_is_a_cap),
		cmocka_unit_test(test_plugin_sees_this_ticks_cap),
		cmocka_unit_test(test_dropped_hr_reaches_nothing),
		cmocka_unit_test(test_running_minutes_by_gait),
		cmocka_unit_test(test_unmarked_gait_by_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
