/*
 * Unit tests of the safety core (src/core/safety.c), tick by tick on a fake
 * clock: time is a double the test advances (0.05 s a tick at 20 Hz).  No
 * sleeps, no I/O.
 *
 * A tiny fake drive sits under the core so the tests read like the
 * daemon's loop: read the sample the last transaction returned, observe
 * it, write a stop at once if something latched, then compute and write
 * the tick's command.  The fake drive keeps the reference drive's latches
 * (console STOP, fault, watchdog) until a RESET 0->1 edge, as the drive
 * contract in ARCHITECTURE.md says.
 *
 * The invariants this layer owns (ARCHITECTURE.md; the long random run
 * checks them through tests/common/invariants.c):
 *  1. the command never exceeds min(machine max, cap);
 *  2. it moves by no more than the ramps allow, except to 0 on a stop;
 *  3. after any cause RUN is 0 until a person resumes with the cause gone;
 *  4. the heartbeat changes on every command.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "invariants.h"
#include "safety.h"

#define DT	0.05		/* one tick at 20 Hz */
#define EPS	1e-9

static const struct safety_limits LIM = {
	.max_speed = 16.0,
	.min_incline = 0.0,
	.max_incline = 12.0,
	.accel = 1.0,
	.decel = 1.5,
	.speed_tolerance = 1.0,
	.drive_max_speed = 25.0,
	.comm_loss_ticks = 3,
	.max_heart_rate = 230,
	.max_dt = 0.2,
};

/* cmocka's float asserts go through float; these keep doubles. */
#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= (eps)))					\
		fail_msg("%s = %.12g, expected %.12g (within %g)",	\
		    #a, a_, b_, (double)(eps));				\
} while (0)
#define assert_le(a, b) do {						\
	double a_ = (a), b_ = (b);					\
	if (!(a_ <= b_))						\
		fail_msg("%s = %.12g, expected <= %.12g", #a, a_, b_);	\
} while (0)

/* ---- fake drive ------------------------------------------------------ */

struct fake_drive {
	double	 belt;		/* km/h */
	double	 incline;
	bool	 estop, key_out;	/* physical inputs */
	bool	 stop_key, fault, watchdog;	/* latches, cleared by RESET */
	bool	 fault_stays;	/* the fault is real: RESET cannot clear it */
	int	 fault_code;
	int	 heart_rate;
	bool	 reset_prev;
	uint16_t hb;
	/* Lies the telemetry tells. */
	double	 belt_bias;	/* added to the belt speed, 0 = none */
	bool	 lie_incline;
	double	 incline_lie;	/* reported instead, while lie_incline */
};

static void
drive_init(struct fake_drive *d)
{
	memset(d, 0, sizeof(*d));
	d->heart_rate = 120;
}

static bool
drive_ready(const struct fake_drive *d)
{
	return !d->estop && !d->key_out && !d->fault && !d->watchdog &&
	    !d->stop_key;
}

static void
drive_read(const struct fake_drive *d, struct sample *smp)
{
	memset(smp, 0, sizeof(*smp));
	smp->key = !d->key_out;
	smp->estop = d->estop;
	smp->fault = d->fault;
	smp->fault_code = d->fault ? d->fault_code : 0;
	smp->watchdog = d->watchdog;
	smp->stop_key = d->stop_key;
	smp->ready = drive_ready(d);
	smp->running = d->belt > 0;
	smp->belt_speed = d->belt + d->belt_bias;
	smp->incline = d->lie_incline ? d->incline_lie : d->incline;
	smp->heart_rate = d->heart_rate;
	smp->heartbeat_echo = d->hb;
}

/* One write of the command block, then dt seconds of belt physics. */
static void
drive_write(struct fake_drive *d, const struct command *c, double dt)
{
	double target, down;

	if (c->reset && !d->reset_prev) {
		d->stop_key = false;
		d->watchdog = false;
		if (!d->fault_stays)
			d->fault = false;
	}
	d->reset_prev = c->reset;
	d->hb = c->heartbeat;
	target = c->run && drive_ready(d) ? c->speed : 0;
	down = d->estop || d->key_out ? 5.0 : LIM.decel;
	if (d->belt < target)
		d->belt = fmin(target, d->belt + LIM.accel * dt);
	else
		d->belt = fmax(target, d->belt - down * dt);
	d->incline = c->incline;
}

/* ---- the daemon's loop, reduced to the safety calls ------------------ */

struct rig {
	struct safety	 s;
	struct fake_drive d;
	double		 t;		/* fake monotonic clock, s */
	double		 incline;	/* incline proposal */
	struct command	 c;		/* the tick's command */
	struct command	 stopc;		/* the immediate stop, if written */
	bool		 stop_written;
	unsigned	 fresh;		/* latched by this tick's observe */
};

static void
rig_init(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	safety_init(&r->s, &LIM);
	drive_init(&r->d);
	r->t = 1000.0;
	r->incline = 1.0;
}

/* What the daemon does after any observe or stop that latched. */
static void
rig_after_observe(struct rig *r)
{
	r->stop_written = false;
	if (r->fresh) {
		safety_stop_command(&r->s, &r->stopc);
		assert_false(r->stopc.run);
		assert_near(r->stopc.speed, 0, 0);
		drive_write(&r->d, &r->stopc, 0);
		r->stop_written = true;
	}
}

/* One tick: observe the last transaction's sample, command, write. */
static void
rig_tick(struct rig *r, double target, double cap)
{
	struct sample smp;

	drive_read(&r->d, &smp);
	r->fresh = safety_observe(&r->s, &smp, r->t);
	rig_after_observe(r);
	safety_command(&r->s, target, r->incline, cap, r->t, &r->c);
	drive_write(&r->d, &r->c, DT);
	r->t += DT;
}

/* A tick whose transaction failed: nothing reaches the drive. */
static void
rig_tick_fail(struct rig *r, double target, double cap)
{
	r->fresh = safety_observe(&r->s, NULL, r->t);
	rig_after_observe(r);
	safety_command(&r->s, target, r->incline, cap, r->t, &r->c);
	r->t += DT;
}

/*
 * A person's start or resume was accepted: the daemon writes the command
 * at once (it carries the RESET edge) without waiting for a sample.
 */
static void
rig_write_now(struct rig *r, double target)
{
	safety_command(&r->s, target, r->incline, INFINITY, r->t, &r->c);
	drive_write(&r->d, &r->c, DT);
	r->t += DT;
}

static void
rig_idle(struct rig *r, int ticks)
{
	for (int i = 0; i < ticks; i++) {
		rig_tick(r, 0, INFINITY);
		assert_false(r->c.run);
	}
}

/* Invariant 3, the last part: resume gives RESET, then RUN from 0. */
static void
rig_resume_and_ramp(struct rig *r, double target)
{
	const char *why = NULL;

	assert_int_equal(safety_resume(&r->s, &why), 0);
	assert_false(safety_stopped(&r->s));
	rig_write_now(r, target);
	assert_true(r->c.reset);
	assert_false(r->c.run);
	assert_near(r->c.speed, 0, 0);
	rig_tick(r, target, INFINITY);
	assert_int_equal(r->fresh, 0);
	assert_false(r->c.reset);
	assert_true(r->c.run);
	assert_near(r->c.speed, LIM.accel * DT, EPS);
	rig_tick(r, target, INFINITY);
	assert_true(r->c.run);
	assert_near(r->c.speed, 2 * LIM.accel * DT, EPS);
	assert_false(safety_stopped(&r->s));
}

/* Start from rest and run until the command sits at speed. */
static void
rig_running(struct rig *r, double speed)
{
	const char *why = NULL;
	int n = 0;

	rig_init(r);
	rig_idle(r, 3);
	assert_int_equal(safety_start(&r->s, &why), 0);
	rig_write_now(r, speed);
	assert_true(r->c.reset);
	assert_false(r->c.run);
	do {
		rig_tick(r, speed, INFINITY);
		assert_true(r->c.run);
		assert_int_equal(r->fresh, 0);
	} while (r->c.speed < speed && ++n < 10000);
	assert_near(r->c.speed, speed, 0);
	/* and let the belt catch up */
	for (int i = 0; i < 10; i++)
		rig_tick(r, speed, INFINITY);
	assert_near(r->d.belt, speed, EPS);
}

/* Invariant 3: stopped now, and still stopped after many more ticks. */
static void
assert_stays_stopped(struct rig *r, int ticks)
{
	for (int i = 0; i < ticks; i++) {
		rig_tick(r, 10.0, INFINITY);
		assert_false(r->c.run);
		assert_false(r->c.reset);
		assert_near(r->c.speed, 0, 0);
		assert_true(safety_stopped(&r->s));
	}
}

/* The tick a telemetry cause appears in stops the belt. */
static void
assert_latched_now(struct rig *r, unsigned cause)
{
	assert_int_equal(r->fresh, cause);
	assert_true(r->stop_written);
	assert_false(r->stopc.run);
	assert_near(r->stopc.speed, 0, 0);
	assert_false(r->c.run);
	assert_near(r->c.speed, 0, 0);
	assert_true(safety_stopped(&r->s));
}

/* ---- start ----------------------------------------------------------- */

static void
test_start_refused_before_sample(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_init(&r);
	assert_int_equal(safety_blocking(&r.s), STOP_COMM);
	assert_int_equal(safety_start(&r.s, &why), -1);
	assert_string_equal(why, "no contact with the drive");
	safety_command(&r.s, 5, 1, INFINITY, r.t, &r.c);
	assert_false(r.c.run);
	assert_false(r.c.reset);

	/* a failed transaction is no better */
	rig_tick_fail(&r, 5, INFINITY);
	why = NULL;
	assert_int_equal(safety_start(&r.s, &why), -1);
	assert_string_equal(why, "no contact with the drive");
	assert_false(r.c.run);

	/* one good sample and a person may start */
	rig_tick(&r, 5, INFINITY);
	assert_false(r.c.run);
	assert_int_equal(safety_blocking(&r.s), 0);
	assert_int_equal(safety_start(&r.s, &why), 0);
	rig_write_now(&r, 5);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	rig_tick(&r, 5, INFINITY);
	assert_true(r.c.run);
	assert_near(r.c.speed, LIM.accel * DT, EPS);
}

static void
test_start_refused_while_blocked(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_init(&r);
	r.d.estop = true;
	rig_idle(&r, 2);
	assert_int_equal(safety_start(&r.s, &why), -1);
	assert_string_equal(why, "the e-stop button is pressed: release "
	    "it first");
	r.d.estop = false;
	r.d.key_out = true;
	rig_idle(&r, 2);
	assert_int_equal(safety_start(&r.s, &why), -1);
	assert_string_equal(why, "the safety key is out: put it back first");
	r.d.key_out = false;
	r.d.lie_incline = true;
	r.d.incline_lie = 30;
	rig_idle(&r, 2);
	assert_int_equal(safety_start(&r.s, &why), -1);
	assert_string_equal(why, "the drive still reports implausible "
	    "telemetry");
	r.d.lie_incline = false;
	rig_idle(&r, 2);
	/* the start clears what latched while idle */
	assert_true(safety_stopped(&r.s));
	assert_int_equal(safety_start(&r.s, &why), 0);
	assert_false(safety_stopped(&r.s));
}

static void
test_resume_nothing_to_resume(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 4.0);
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "nothing to resume: the belt is not stopped");
	rig_tick(&r, 4.0, INFINITY);
	assert_true(r.c.run);
}

/* The session ends on its own: RUN 0 without a latch, start again. */
static void
test_disable(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 3.0);
	safety_disable(&r.s);
	rig_tick(&r, 3.0, INFINITY);
	assert_false(r.c.run);
	assert_near(r.c.speed, 0, 0);
	assert_false(safety_stopped(&r.s));
	for (int i = 0; i < 50; i++) {
		rig_tick(&r, 3.0, INFINITY);
		assert_false(r.c.run);
	}
	assert_int_equal(safety_start(&r.s, &why), 0);
	rig_write_now(&r, 3.0);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	rig_tick(&r, 3.0, INFINITY);
	assert_true(r.c.run);
	assert_near(r.c.speed, LIM.accel * DT, EPS);
}

/* ---- every stop cause ------------------------------------------------ */

static void
test_stop_estop(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	r.d.estop = true;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_ESTOP);
	assert_string_equal(r.s.detail, "e-stop");
	assert_stays_stopped(&r, 200);
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "the e-stop button is pressed: release "
	    "it first");
	/* released: the belt still does not move by itself */
	r.d.estop = false;
	assert_stays_stopped(&r, 200);
	rig_resume_and_ramp(&r, 8.0);
}

static void
test_stop_key(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	r.d.key_out = true;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_KEY);
	assert_string_equal(r.s.detail, "safety key");
	assert_stays_stopped(&r, 200);
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "the safety key is out: put it back first");
	r.d.key_out = false;
	assert_stays_stopped(&r, 200);
	rig_resume_and_ramp(&r, 8.0);
}

static void
test_stop_console(void **state)
{
	struct rig r;

	(void)state;
	rig_running(&r, 8.0);
	r.d.stop_key = true;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_CONSOLE);
	assert_string_equal(r.s.detail, "console STOP");
	/* the drive keeps STOP_KEY latched until our RESET edge */
	assert_stays_stopped(&r, 200);
	assert_true(r.d.stop_key);
	/* resume is allowed: the RESET it sends clears the drive's latch */
	rig_resume_and_ramp(&r, 8.0);
	assert_false(r.d.stop_key);
}

static void
test_stop_fault(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	r.d.fault = true;
	r.d.fault_code = 2;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_FAULT);
	assert_string_equal(r.s.detail, "drive fault 2 (overtemp)");
	assert_stays_stopped(&r, 200);

	/* a fault that is still there comes back after the RESET */
	r.d.fault_stays = true;
	assert_int_equal(safety_resume(&r.s, &why), 0);
	rig_write_now(&r, 8.0);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_FAULT);
	assert_stays_stopped(&r, 50);

	/* gone for real this time */
	r.d.fault_stays = false;
	rig_resume_and_ramp(&r, 8.0);

	/* a code the spec does not know */
	r.d.fault = true;
	r.d.fault_code = 9;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_FAULT);
	assert_string_equal(r.s.detail, "drive fault 9 (unknown code)");
}

static void
test_stop_watchdog(void **state)
{
	struct rig r;

	(void)state;
	rig_running(&r, 8.0);
	r.d.watchdog = true;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_WATCHDOG);
	assert_string_equal(r.s.detail, "drive watchdog");
	assert_stays_stopped(&r, 200);
	rig_resume_and_ramp(&r, 8.0);
	assert_false(r.d.watchdog);
}

static void
test_stop_software(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	/* a socket command: the stop is written at once, not next tick */
	r.fresh = safety_stop(&r.s, STOP_SOFTWARE, "treadctl stop by anna");
	assert_int_equal(r.fresh, STOP_SOFTWARE);
	rig_after_observe(&r);
	assert_true(r.stop_written);
	assert_string_equal(r.s.detail, "treadctl stop by anna");
	/* latching again adds nothing */
	assert_int_equal(safety_stop(&r.s, STOP_SOFTWARE, "again"), 0);
	assert_string_equal(r.s.detail, "treadctl stop by anna");
	assert_stays_stopped(&r, 200);
	/* nothing physical holds it: a person may resume at once */
	assert_int_equal(safety_blocking(&r.s), 0);
	rig_resume_and_ramp(&r, 8.0);

	assert_int_equal(safety_stop(&r.s, STOP_SOFTWARE, NULL),
	    STOP_SOFTWARE);
	assert_string_equal(r.s.detail, "software stop");
	/* comm down (even below the latch count) refuses the resume */
	rig_tick_fail(&r, 8.0, INFINITY);
	assert_int_equal(r.fresh, 0);
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "no contact with the drive");
	rig_tick(&r, 8.0, INFINITY);
	assert_false(r.c.run);
	rig_resume_and_ramp(&r, 8.0);
}

static void
test_stop_comm(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	/* comm_loss_ticks - 1 failures, then a good sample: no stop */
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < LIM.comm_loss_ticks - 1; i++) {
			rig_tick_fail(&r, 8.0, INFINITY);
			assert_int_equal(r.fresh, 0);
			assert_true(r.c.run);
			assert_false(safety_stopped(&r.s));
		}
		rig_tick(&r, 8.0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_true(r.c.run);
	}
	/* comm_loss_ticks in a row: stop, and not one tick before */
	for (int i = 0; i < LIM.comm_loss_ticks - 1; i++) {
		rig_tick_fail(&r, 8.0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_true(r.c.run);
	}
	rig_tick_fail(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_COMM);
	assert_string_equal(r.s.detail, "comm loss: 3 failed transactions "
	    "in a row");
	for (int i = 0; i < 100; i++) {
		rig_tick_fail(&r, 8.0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_false(r.c.run);
	}
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "no contact with the drive");
	/* contact is back: still stopped until a person resumes */
	assert_stays_stopped(&r, 200);
	rig_resume_and_ramp(&r, 8.0);
}

/* The belt is faster than anything commanded lately, beyond tolerance. */
static void
test_stop_implausible_envelope(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 5.0);
	/* just inside the tolerance: fine */
	r.d.belt_bias = LIM.speed_tolerance - 0.01;
	for (int i = 0; i < 20; i++) {
		rig_tick(&r, 5.0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_true(r.c.run);
	}
	r.d.belt_bias = LIM.speed_tolerance + 0.1;
	rig_tick(&r, 5.0, INFINITY);
	assert_latched_now(&r, STOP_IMPLAUSIBLE);
	assert_string_equal(r.s.detail, "implausible telemetry: belt at "
	    "6.10 km/h, commanded at most 5.00");
	/* the envelope decays at decel, the belt with it: still too fast */
	assert_stays_stopped(&r, 100);
	assert_int_equal(safety_resume(&r.s, &why), -1);
	assert_string_equal(why, "the drive still reports implausible "
	    "telemetry");
	r.d.belt_bias = 0;
	assert_stays_stopped(&r, 100);
	rig_resume_and_ramp(&r, 5.0);
}

static void
test_stop_implausible_speed_range(void **state)
{
	static const double lies[] = { 26.5, -0.5, NAN };
	static const char *const texts[] = {
		"implausible telemetry: belt speed 26.50 km/h is out of range",
		"implausible telemetry: belt speed -0.50 km/h is out of range",
		"implausible telemetry: belt speed nan km/h is out of range",
	};
	struct rig r;
	const char *why = NULL;

	(void)state;
	for (size_t k = 0; k < sizeof(lies) / sizeof(lies[0]); k++) {
		rig_running(&r, 3.0);
		/* report exactly `lies[k]` whatever the belt does */
		r.d.belt_bias = lies[k] - r.d.belt;
		rig_tick(&r, 3.0, INFINITY);
		assert_latched_now(&r, STOP_IMPLAUSIBLE);
		assert_string_equal(r.s.detail, texts[k]);
		assert_int_equal(safety_resume(&r.s, &why), -1);
		assert_string_equal(why, "the drive still reports implausible "
		    "telemetry");
		r.d.belt_bias = 0;
		assert_stays_stopped(&r, 60);
		rig_resume_and_ramp(&r, 3.0);
	}

	/* a belt already at the drive's maximum + tolerance is in range */
	rig_init(&r);
	r.d.belt = LIM.drive_max_speed + LIM.speed_tolerance;
	rig_tick(&r, 0, INFINITY);
	assert_int_equal(r.fresh, 0);
}

static void
test_stop_implausible_incline(void **state)
{
	static const double lies[] = { 17.1, -5.1, NAN };
	static const char *const texts[] = {
		"implausible telemetry: incline 17.1 % is out of range",
		"implausible telemetry: incline -5.1 % is out of range",
		"implausible telemetry: incline nan % is out of range",
	};
	struct rig r;
	const char *why = NULL;

	(void)state;
	/* 5 % of slack either side of the machine's incline range */
	rig_running(&r, 4.0);
	r.d.lie_incline = true;
	r.d.incline_lie = LIM.max_incline + 5.0;
	rig_tick(&r, 4.0, INFINITY);
	assert_int_equal(r.fresh, 0);
	r.d.incline_lie = LIM.min_incline - 5.0;
	rig_tick(&r, 4.0, INFINITY);
	assert_int_equal(r.fresh, 0);
	assert_true(r.c.run);

	for (size_t k = 0; k < sizeof(lies) / sizeof(lies[0]); k++) {
		rig_running(&r, 4.0);
		r.d.lie_incline = true;
		r.d.incline_lie = lies[k];
		rig_tick(&r, 4.0, INFINITY);
		assert_latched_now(&r, STOP_IMPLAUSIBLE);
		assert_string_equal(r.s.detail, texts[k]);
		assert_int_equal(safety_resume(&r.s, &why), -1);
		assert_string_equal(why, "the drive still reports implausible "
		    "telemetry");
		r.d.lie_incline = false;
		assert_stays_stopped(&r, 60);
		rig_resume_and_ramp(&r, 4.0);
	}
}

/* A heart rate no runner can have is a bad reading, never a stop. */
static void
test_heart_rate_not_a_stop(void **state)
{
	static const struct { int in, kept; } hr[] = {
		{ 400, 0 }, { -5, 0 }, { 231, 0 }, { 230, 230 }, { 65535, 0 },
		{ 0, 0 }, { 150, 150 },
	};
	struct rig r;

	(void)state;
	rig_running(&r, 6.0);
	for (size_t k = 0; k < sizeof(hr) / sizeof(hr[0]); k++) {
		r.d.heart_rate = hr[k].in;
		rig_tick(&r, 6.0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_true(r.c.run);
		assert_false(safety_stopped(&r.s));
		assert_int_equal(r.s.last.heart_rate, hr[k].kept);
	}
}

/* The daemon came up with the belt already moving: not implausible. */
static void
test_moving_before_we_came(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	r.d.belt = 10.0;
	for (int i = 0; i < 200; i++) {
		rig_tick(&r, 0, INFINITY);
		assert_int_equal(r.fresh, 0);
		assert_false(r.c.run);
	}
	assert_near(r.d.belt, 0, 0);
}

/* Several causes at once are all latched and all named. */
static void
test_several_causes(void **state)
{
	struct rig r;
	char buf[128];

	(void)state;
	rig_running(&r, 6.0);
	r.d.estop = true;
	r.d.key_out = true;
	r.d.stop_key = true;
	rig_tick(&r, 6.0, INFINITY);
	assert_latched_now(&r, STOP_ESTOP | STOP_KEY | STOP_CONSOLE);
	assert_string_equal(safety_causes_str(r.s.latched, buf, sizeof(buf)),
	    "e-stop, safety key, console STOP");
	/* a later cause latches on top; the first ones stay */
	assert_int_equal(safety_stop(&r.s, STOP_SOFTWARE, "shutdown"),
	    STOP_SOFTWARE);
	assert_int_equal(r.s.latched, STOP_ESTOP | STOP_KEY | STOP_CONSOLE |
	    STOP_SOFTWARE);
	/* observe returns only what is new, so one stop write per cause */
	rig_tick(&r, 6.0, INFINITY);
	assert_int_equal(r.fresh, 0);
	assert_false(r.stop_written);
	r.d.watchdog = true;
	rig_tick(&r, 6.0, INFINITY);
	assert_int_equal(r.fresh, STOP_WATCHDOG);
	assert_true(r.stop_written);
	assert_string_equal(r.s.detail, "drive watchdog");
}

/*
 * The command that carried RESET may not have reached the drive: after a
 * failed transaction the RESET goes out again, still with RUN 0.
 */
static void
test_reset_resent_after_comm_failure(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 6.0);
	r.d.watchdog = true;
	rig_tick(&r, 6.0, INFINITY);
	assert_latched_now(&r, STOP_WATCHDOG);
	rig_idle(&r, 10);
	assert_int_equal(safety_resume(&r.s, &why), 0);
	/* the write carrying RESET fails */
	safety_command(&r.s, 6.0, r.incline, INFINITY, r.t, &r.c);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	rig_tick_fail(&r, 6.0, INFINITY);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	drive_write(&r.d, &r.c, DT);
	assert_false(r.d.watchdog);
	rig_tick(&r, 6.0, INFINITY);
	assert_int_equal(r.fresh, 0);
	assert_false(r.c.reset);
	assert_true(r.c.run);
	assert_near(r.c.speed, LIM.accel * DT, EPS);
}

/*
 * The contract with the daemon's loop, pinned: a sample read before the
 * RESET edge went out still carries the drive's own latches (console
 * STOP, fault, watchdog), and observing it latches the cause again, so
 * that resume is lost.  The RESET must reach the drive before the next
 * sample is observed.  belt.c's tick does so (safety_command, one
 * transaction that writes then reads, safety_observe), as rig_write_now
 * does here; a loop that observed first would need two resumes.
 */
static void
test_resume_stale_drive_latch_relatches(void **state)
{
	struct rig r;
	const char *why = NULL;

	(void)state;
	rig_running(&r, 8.0);
	r.d.stop_key = true;
	rig_tick(&r, 8.0, INFINITY);
	assert_latched_now(&r, STOP_CONSOLE);
	rig_idle(&r, 20);
	assert_int_equal(safety_resume(&r.s, &why), 0);
	/* next tick observes a sample taken before the RESET was written */
	rig_tick(&r, 8.0, INFINITY);
	assert_int_equal(r.fresh, STOP_CONSOLE);
	assert_true(r.c.reset);
	assert_false(r.c.run);
	assert_stays_stopped(&r, 20);
	/* the RESET did clear the drive, so a second resume works */
	assert_false(r.d.stop_key);
	rig_resume_and_ramp(&r, 8.0);
}

/* ---- invariant 1: never above min(machine max, cap) ------------------ */

static void
test_cap_and_target_extremes(void **state)
{
	static const struct { double target, cap, settle; } tab[] = {
		{ NAN, 10, 0 },
		{ -5, 10, 0 },
		{ -INFINITY, 10, 0 },
		{ 1e9, 10, 10 },
		{ INFINITY, INFINITY, 16 },
		{ 1e300, 1e300, 16 },
		{ 20, 30, 16 },
		/* a NaN cap fails safe: it is a cap of 0 */
		{ 12, NAN, 0 },
		{ INFINITY, NAN, 0 },
		{ 8, -3, 0 },
		{ 8, -INFINITY, 0 },
		{ 5, 0, 0 },
		{ 7.25, 7.25, 7.25 },
		{ NAN, NAN, 0 },
	};
	struct rig r;
	const char *why = NULL;

	(void)state;
	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
		double lim = LIM.max_speed;

		if (isnan(tab[k].cap) || tab[k].cap < lim)
			lim = isnan(tab[k].cap) ? 0 : tab[k].cap;
		if (lim < 0)
			lim = 0;
		rig_init(&r);
		rig_idle(&r, 2);
		assert_int_equal(safety_start(&r.s, &why), 0);
		rig_write_now(&r, tab[k].target);
		for (int i = 0; i < 400; i++) {
			rig_tick(&r, tab[k].target, tab[k].cap);
			assert_true(r.c.run);
			assert_true(isfinite(r.c.speed));
			assert_true(r.c.speed >= 0);
			assert_le(r.c.speed, lim);
		}
		assert_near(r.c.speed, tab[k].settle, 0);
	}
}

/*
 * Lowering the cap mid-run does not drop the belt under the runner: the
 * command ramps down to the new cap at decel.  While it does, it is above
 * the new cap, so invariant 1 holds against the cap in force only once
 * the ramp has reached it: each tick the command is at most
 * max(cap, previous - decel * dt).
 */
static void
test_cap_lowered_ramps_down(void **state)
{
	struct rig r;
	double prev;
	int n = 0;

	(void)state;
	rig_running(&r, 12.0);
	prev = r.c.speed;
	for (;;) {
		rig_tick(&r, 12.0, 6.0);
		assert_true(r.c.run);
		if (r.c.speed <= 6.0 + EPS)
			break;
		assert_near(r.c.speed, prev - LIM.decel * DT, EPS);
		prev = r.c.speed;
		n++;
	}
	assert_near(r.c.speed, 6.0, EPS);
	/* (12 - 6) / (1.5 * 0.05) = 80 ticks, the last one lands on 6 */
	assert_int_equal(n, 79);
	for (int i = 0; i < 100; i++) {
		rig_tick(&r, 12.0, 6.0);
		assert_near(r.c.speed, 6.0, 0);
	}
	/* a negative cap: down to 0 at decel, RUN stays 1 */
	prev = r.c.speed;
	for (int i = 0; i < 200; i++) {
		rig_tick(&r, 12.0, -1.0);
		assert_true(r.c.run);
		assert_near(r.c.speed, fmax(0, prev - LIM.decel * DT), EPS);
		prev = r.c.speed;
	}
	assert_near(r.c.speed, 0, 0);
	/* raising it again ramps up at accel */
	rig_tick(&r, 12.0, 20.0);
	assert_near(r.c.speed, LIM.accel * DT, EPS);
}

/* A reload that lowers the machine maximum ramps down the same way. */
static void
test_limits_lowered_ramps_down(void **state)
{
	struct rig r;
	struct safety_limits lim = LIM;
	double prev;

	(void)state;
	rig_running(&r, 14.0);
	lim.max_speed = 10.0;
	safety_set_limits(&r.s, &lim);
	prev = r.c.speed;
	for (int i = 0; i < 200; i++) {
		rig_tick(&r, 20.0, INFINITY);
		assert_true(r.c.run);
		assert_near(r.c.speed, fmax(10.0, prev - LIM.decel * DT), EPS);
		prev = r.c.speed;
	}
	assert_near(r.c.speed, 10.0, 0);
}

/* ---- invariant 2: the ramps ------------------------------------------ */

static void
test_ramp_rates(void **state)
{
	struct rig r;
	const char *why = NULL;
	double prev = 0;

	(void)state;
	rig_init(&r);
	rig_idle(&r, 2);
	assert_int_equal(safety_start(&r.s, &why), 0);
	rig_write_now(&r, 10.0);
	for (int i = 0; i < 210; i++) {
		rig_tick(&r, 10.0, INFINITY);
		assert_near(r.c.speed, fmin(10.0, prev + LIM.accel * DT), EPS);
		prev = r.c.speed;
	}
	assert_near(r.c.speed, 10.0, 0);
	for (int i = 0; i < 200; i++) {
		rig_tick(&r, 2.0, INFINITY);
		assert_near(r.c.speed, fmax(2.0, prev - LIM.decel * DT), EPS);
		prev = r.c.speed;
	}
	assert_near(r.c.speed, 2.0, 0);
}

/* dt is measured between commands and clamped to [0, max_dt]. */
static void
test_ramp_dt_clamped(void **state)
{
	static const struct { double step, dt; } steps[] = {
		{ 0.013, 0.013 }, { 0.2, 0.2 }, { 0.5, 0.2 }, { 7.0, 0.2 },
		{ 0.0, 0.0 }, { -3.0, 0.0 }, { 0.05, 0.05 }, { 3600, 0.2 },
	};
	struct safety s;
	struct sample smp;
	struct command c;
	const char *why = NULL;
	double t = 50.0, prev;

	(void)state;
	memset(&smp, 0, sizeof(smp));
	smp.key = true;
	smp.ready = true;
	safety_init(&s, &LIM);
	safety_observe(&s, &smp, t);
	assert_int_equal(safety_start(&s, &why), 0);
	safety_command(&s, 10, 0, INFINITY, t, &c);
	assert_true(c.reset);
	/* the first command ever has no dt: it cannot move */
	safety_command(&s, 10, 0, INFINITY, t, &c);
	assert_true(c.run);
	assert_near(c.speed, 0, 0);
	prev = 0;
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		t += steps[k].step;
		safety_command(&s, 10, 0, INFINITY, t, &c);
		assert_near(c.speed, prev + LIM.accel * steps[k].dt, EPS);
		prev = c.speed;
	}
	/* and down */
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		t += steps[k].step;
		safety_command(&s, 0, 0, INFINITY, t, &c);
		assert_near(c.speed, fmax(0, prev - LIM.decel * steps[k].dt),
		    EPS);
		prev = c.speed;
	}
	/* a clock a billion seconds on still moves only max_dt's worth */
	safety_command(&s, 10, 0, INFINITY, t + 1e9, &c);
	assert_near(c.speed, prev + LIM.accel * LIM.max_dt, 1e-6);
}

/* The one exception: a stop drops the command to 0 at once. */
static void
test_stop_drops_to_zero(void **state)
{
	struct rig r;
	struct command c;

	(void)state;
	rig_running(&r, 14.0);
	safety_stop(&r.s, STOP_SOFTWARE, "test");
	safety_stop_command(&r.s, &c);
	assert_false(c.run);
	assert_near(c.speed, 0, 0);
	rig_tick(&r, 14.0, INFINITY);
	assert_false(r.c.run);
	assert_near(r.c.speed, 0, 0);
}

/* The incline goes where asked, clamped to the machine's range. */
static void
test_incline_clamped(void **state)
{
	static const struct { double in, out; } tab[] = {
		{ 5.5, 5.5 }, { -4, 0 }, { 30, 12 }, { INFINITY, 12 },
		{ -INFINITY, 0 }, { 3, 3 }, { NAN, 3 },
	};
	struct rig r;

	(void)state;
	rig_running(&r, 3.0);
	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
		r.incline = tab[k].in;
		rig_tick(&r, 3.0, INFINITY);
		assert_near(r.c.incline, tab[k].out, 0);
	}
	/* a stop write keeps the incline */
	r.fresh = safety_stop(&r.s, STOP_SOFTWARE, NULL);
	rig_after_observe(&r);
	assert_true(r.stop_written);
	assert_near(r.stopc.incline, 3, 0);
}

/* ---- invariant 4: the heartbeat -------------------------------------- */

static void
test_heartbeat_changes(void **state)
{
	struct rig r;
	struct command c;
	uint16_t prev;

	(void)state;
	rig_running(&r, 5.0);
	r.s.heartbeat = 65533;	/* across the 16-bit wrap */
	prev = 65533;
	for (int i = 0; i < 20; i++) {
		if (i % 3 == 0) {
			safety_stop_command(&r.s, &c);
			assert_int_not_equal(c.heartbeat, prev);
			prev = c.heartbeat;
		}
		rig_tick(&r, 5.0, INFINITY);
		assert_int_not_equal(r.c.heartbeat, prev);
		prev = r.c.heartbeat;
	}
	/* stopped, comm down, never started: it still changes */
	safety_stop(&r.s, STOP_SOFTWARE, NULL);
	for (int i = 0; i < 10; i++) {
		rig_tick_fail(&r, 5.0, INFINITY);
		assert_int_not_equal(r.c.heartbeat, prev);
		prev = r.c.heartbeat;
	}
}

/* ---- names ----------------------------------------------------------- */

static void
test_cause_names(void **state)
{
	static const struct { unsigned cause; const char *name; } tab[] = {
		{ STOP_ESTOP, "e-stop" },
		{ STOP_KEY, "safety key" },
		{ STOP_CONSOLE, "console STOP" },
		{ STOP_FAULT, "drive fault" },
		{ STOP_WATCHDOG, "drive watchdog" },
		{ STOP_SOFTWARE, "software stop" },
		{ STOP_COMM, "comm loss" },
		{ STOP_IMPLAUSIBLE, "implausible telemetry" },
		{ 0, "unknown" },
		{ STOP_ESTOP | STOP_KEY, "unknown" },
		{ 1u << 8, "unknown" },
		{ 1u << 31, "unknown" },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++)
		assert_string_equal(safety_cause_name(tab[k].cause),
		    tab[k].name);
}

static void
test_causes_str(void **state)
{
	const char *all = "e-stop, safety key, console STOP, drive fault, "
	    "drive watchdog, software stop, comm loss, implausible telemetry";
	char buf[256], small[256];

	(void)state;
	assert_string_equal(safety_causes_str(0, buf, sizeof(buf)), "");
	assert_string_equal(safety_causes_str(STOP_KEY, buf, sizeof(buf)),
	    "safety key");
	assert_string_equal(safety_causes_str(STOP_COMM | STOP_ESTOP, buf,
	    sizeof(buf)), "e-stop, comm loss");
	assert_string_equal(safety_causes_str(STOP_ALL, buf, sizeof(buf)),
	    all);
	/* bits beyond the known causes are ignored */
	assert_string_equal(safety_causes_str(0xff00u | STOP_FAULT, buf,
	    sizeof(buf)), "drive fault");
	assert_ptr_equal(safety_causes_str(STOP_ALL, buf, sizeof(buf)), buf);
	/* too small: a terminated prefix, never a byte past len */
	for (size_t len = 1; len < strlen(all) + 2; len++) {
		memset(small, 'x', sizeof(small));
		safety_causes_str(STOP_ALL, small, len);
		assert_true(strlen(small) < len);
		assert_memory_equal(small, all, strlen(small));
		for (size_t i = len; i < sizeof(small); i++)
			assert_int_equal(small[i], 'x');
	}
	/* len 0 touches nothing */
	memset(small, 'x', sizeof(small));
	assert_ptr_equal(safety_causes_str(STOP_ALL, small, 0), small);
	assert_int_equal(small[0], 'x');
}

/* ---- a long pseudo-random run, invariants checked every tick --------- */

static uint32_t lcg_state;

static uint32_t
lcg(void)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return lcg_state >> 8;
}

/* Uniform in [0, 1). */
static double
rnd(void)
{
	return (double)lcg() / (double)(1u << 24);
}

static bool
chance(double p)
{
	return rnd() < p;
}

static double
rnd_speed(void)
{
	static const double odd[] = {
		NAN, INFINITY, -INFINITY, -1.0, 1e12, 0.0, 16.0, 16.0001,
	};

	if (chance(0.05))
		return odd[lcg() % (sizeof(odd) / sizeof(odd[0]))];
	return -2.0 + rnd() * 24.0;
}

/* Fail the test with the model's sentence when an invariant broke. */
#define assert_inv(call) do {						\
	const char *v_ = (call);					\
	if (v_ != NULL)							\
		fail_msg("%s", v_);					\
} while (0)

static void
note_fresh(struct inv_model *m, struct safety *s, struct fake_drive *d,
    unsigned fresh)
{
	struct command c;

	if (fresh == 0)
		return;
	safety_stop_command(s, &c);
	assert_inv(inv_stop_written(m, s, fresh, &c));
	drive_write(d, &c, 0);
}

static void
person(struct inv_model *m, struct safety *s, struct fake_drive *d)
{
	const char *why = NULL;
	double r = rnd();
	int rc;

	if (r < 0.010) {
		rc = safety_resume(s, &why);
		assert_inv(inv_person(m, s, false, rc, why));
	} else if (r < 0.016) {
		rc = safety_start(s, &why);
		assert_inv(inv_person(m, s, true, rc, why));
	} else if (r < 0.018) {
		note_fresh(m, s, d, safety_stop(s, STOP_SOFTWARE, "random"));
	} else if (r < 0.019) {
		safety_disable(s);
		inv_disabled(m);
	}
	assert_int_equal(safety_stopped(s), m->latched);
}

/* Shake the fake drive: physical inputs, latches, lies. */
static void
weather(struct fake_drive *d, int *lie_ticks)
{
	/* pressed now and then, released some seconds later */
	if (chance(d->estop ? 0.01 : 0.0005))
		d->estop = !d->estop;
	if (chance(d->key_out ? 0.01 : 0.0005))
		d->key_out = !d->key_out;
	if (chance(0.001))
		d->stop_key = true;
	if (chance(0.0007)) {
		d->fault = true;
		d->fault_code = (int)(lcg() % 7);
		d->fault_stays = chance(0.3);
	}
	if (d->fault_stays && chance(0.01))
		d->fault_stays = false;
	if (chance(0.0007))
		d->watchdog = true;
	if (*lie_ticks > 0 && --*lie_ticks == 0) {
		d->belt_bias = 0;
		d->lie_incline = false;
	}
	if (*lie_ticks == 0 && chance(0.0015)) {
		static const double incl[] = { NAN, 40, -20, 17.5 };

		*lie_ticks = 1 + (int)(lcg() % 40);
		if (chance(0.5))
			d->belt_bias = chance(0.2) ? NAN : 0.5 + rnd() * 30;
		else {
			d->lie_incline = true;
			d->incline_lie = incl[lcg() % 4];
		}
	}
	d->heart_rate = chance(0.01) ? (int)(lcg() % 1000) - 100 : 130;
}

static void
test_property_random_run(void **state)
{
	struct safety s;
	struct fake_drive d;
	struct inv_model m;
	struct command c;
	struct sample smp;
	struct safety_limits lim = LIM;
	double t = 12345.0, cap = 10.0, target = 5.0, dt;
	int null_burst = 0, lie_ticks = 0;
	unsigned fresh;

	(void)state;
	lcg_state = 20240611u;
	safety_init(&s, &lim);
	drive_init(&d);
	inv_init(&m, &lim);

	for (long tick = 0; tick < 100000; tick++) {
		weather(&d, &lie_ticks);
		if (null_burst == 0 && chance(0.004))
			null_burst = 1 + (int)(lcg() % 6);

		/* observe what the last transaction brought back */
		if (null_burst > 0) {
			null_burst--;
			fresh = safety_observe(&s, NULL, t);
			assert_inv(inv_observed(&m, &s, NULL, fresh));
		} else {
			drive_read(&d, &smp);
			fresh = safety_observe(&s, &smp, t);
			assert_inv(inv_observed(&m, &s, &smp, fresh));
		}
		note_fresh(&m, &s, &d, fresh);

		/* a person, between ticks */
		person(&m, &s, &d);

		/* plugins and the governor propose */
		if (chance(0.02))
			target = rnd_speed();
		if (chance(0.005))
			cap = rnd_speed();
		if (chance(0.0005)) {
			lim.max_speed = 4.0 + rnd() * 12.0;
			safety_set_limits(&s, &lim);
			inv_set_limits(&m, &lim);
		}

		safety_command(&s, target, rnd() * 20 - 5, cap, t, &c);
		assert_inv(inv_command(&m, cap, t, &c));

		/* write it, unless this transaction fails too */
		dt = chance(0.01) ? rnd() * 0.6 - 0.1 : DT;
		if (!(null_burst > 0))
			drive_write(&d, &c, dt > 0 ? dt : 0);
		t += dt;
	}
	/* the sequence must have exercised both sides */
	print_message("random run: %lu running ticks, %lu stops, %lu resumes, "
	    "%lu refusals\n", m.runs, m.stops, m.resumes, m.refusals);
	assert_true(m.runs > 30000);
	assert_true(m.stops > 300);
	assert_true(m.resumes > 150);
	assert_true(m.refusals > 200);
	for (int i = 0; i < 8; i++) {
		print_message("  %s: %lu\n", safety_cause_name(1u << i),
		    m.per_cause[i]);
		assert_true(m.per_cause[i] >= 10);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_refused_before_sample),
		cmocka_unit_test(test_start_refused_while_blocked),
		cmocka_unit_test(test_resume_nothing_to_resume),
		cmocka_unit_test(test_disable),
		cmocka_unit_test(test_stop_estop),
		cmocka_unit_test(test_stop_key),
		cmocka_unit_test(test_stop_console),
		cmocka_unit_test(test_stop_fault),
		cmocka_unit_test(test_stop_watchdog),
		cmocka_unit_test(test_stop_software),
		cmocka_unit_test(test_stop_comm),
		cmocka_unit_test(test_stop_implausible_envelope),
		cmocka_unit_test(test_stop_implausible_speed_range),
		cmocka_unit_test(test_stop_implausible_incline),
		cmocka_unit_test(test_heart_rate_not_a_stop),
		cmocka_unit_test(test_moving_before_we_came),
		cmocka_unit_test(test_several_causes),
		cmocka_unit_test(test_resume_stale_drive_latch_relatches),
		cmocka_unit_test(test_reset_resent_after_comm_failure),
		cmocka_unit_test(test_cap_and_target_extremes),
		cmocka_unit_test(test_cap_lowered_ramps_down),
		cmocka_unit_test(test_limits_lowered_ramps_down),
		cmocka_unit_test(test_ramp_rates),
		cmocka_unit_test(test_ramp_dt_clamped),
		cmocka_unit_test(test_stop_drops_to_zero),
		cmocka_unit_test(test_incline_clamped),
		cmocka_unit_test(test_heartbeat_changes),
		cmocka_unit_test(test_cause_names),
		cmocka_unit_test(test_causes_str),
		cmocka_unit_test(test_property_random_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
