/*
 * treadsim's pure parts, tick by tick on a fake clock: belt ramps, stop
 * rates, the RUN-edge (armed) rule, watchdog, latches, incline, heart
 * rate, and the register layouts with their exception decisions.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../hw/sim/model.h"
#include "../../hw/sim/regs.h"

#define DT	0.01	/* the simulator's physics step */

/* cmocka's assert_float_equal works in float; the model is double. */
#define assert_near(a, b, eps)	near((a), (b), (eps), __FILE__, __LINE__)

static void
near(double a, double b, double eps, const char *file, int line)
{
	if (fabs(a - b) <= eps)
		return;
	print_error("%.9g != %.9g (+- %g)\n", a, b, eps);
	_fail(file, line);
}

struct rig {
	struct sim_regs		regs;
	struct sim_model	m;
	double			t;
};

static void
rig_init(struct rig *r, enum sim_mode mode, uint16_t wd)
{
	struct sim_cmd c;

	sim_regs_init(&r->regs, mode, wd);
	sim_regs_decode(&r->regs, &c);
	r->t = 100.0;
	sim_model_init(&r->m, &c, r->t);
}

/* Advance the fake clock by secs in 10 ms steps; OR of the events. */
static unsigned
run_for(struct rig *r, double secs)
{
	unsigned ev = 0;
	long i, n = lround(secs / DT);

	for (i = 0; i < n; i++) {
		r->t += DT;
		ev |= sim_model_tick(&r->m, r->t);
	}
	return ev;
}

/* Write command registers through the same path as the server. */
static unsigned
wr(struct rig *r, int idx, uint16_t v)
{
	struct sim_req q;

	memset(&q, 0, sizeof(q));
	q.fc = 6;
	q.wr_addr = (uint16_t)(r->regs.lay->cmd_base + idx);
	q.wr_n = 1;
	q.wr[0] = v;
	return sim_regs_apply(&r->regs, &r->m, &q, r->t);
}

static unsigned
ctl(struct rig *r, uint16_t bits)
{
	return wr(r, SIM_C_CONTROL, bits);
}

static void
start_belt(struct rig *r, double kmh)
{
	wr(r, SIM_C_SPEED, sim_regs_enc_speed(r->regs.lay, kmh));
	assert_true(ctl(r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	run_for(r, kmh / r->m.cmd.accel + 0.1);
	assert_near(r->m.speed, kmh, 1e-6);
}

static void
test_ramps(void **state)
{
	struct rig r;
	unsigned ev;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	assert_near(r.m.cmd.accel, 1.0, 1e-9);
	assert_near(r.m.cmd.decel, 1.5, 1e-9);

	wr(&r, SIM_C_SPEED, 500);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 0, 1e-9);	/* no RUN, no belt */
	assert_false(sim_model_running(&r.m));

	assert_true(ctl(&r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	assert_true(sim_model_running(&r.m));	/* commanded counts */
	run_for(&r, 2.0);
	assert_near(r.m.speed, 2.0, 1e-6);
	run_for(&r, 4.0);
	assert_near(r.m.speed, 5.0, 1e-9);	/* holds setpoint */

	wr(&r, SIM_C_SPEED, 200);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 3.5, 1e-6);	/* decel 1.5 */

	wr(&r, SIM_C_ACCEL, 250);
	wr(&r, SIM_C_SPEED, 1000);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 6.0, 1e-6);	/* accel 2.5 */

	ctl(&r, 0);
	assert_false(r.m.armed);
	run_for(&r, 2.0);
	assert_near(r.m.speed, 3.0, 1e-6);	/* RUN=0: decel */
	ev = run_for(&r, 2.5);
	assert_near(r.m.speed, 0, 1e-9);
	assert_true(ev & SIM_EV_STOPPED);
	assert_false(sim_model_running(&r.m));
	assert_true(r.m.distance > 0);
}

static void
test_estop_rate_and_edge(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	wr(&r, SIM_C_ACCEL, 500);
	start_belt(&r, 10.0);

	sim_model_set_estop(&r.m, true, r.t);
	assert_false(r.m.armed);
	assert_false(sim_model_ready(&r.m));
	run_for(&r, 1.0);
	assert_near(r.m.speed, 5.0, 1e-6);	/* 5 km/h per s */
	run_for(&r, 1.0);
	assert_near(r.m.speed, 0, 1e-9);

	/* Release: ready again, yet RUN still 1 does not restart it. */
	sim_model_set_estop(&r.m, false, r.t);
	assert_true(sim_model_ready(&r.m));
	run_for(&r, 5.0);
	assert_near(r.m.speed, 0, 1e-9);
	assert_false(sim_model_running(&r.m));

	/* Rewriting RUN=1 is no edge either. */
	assert_false(ctl(&r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 0, 1e-9);

	ctl(&r, 0);
	assert_true(ctl(&r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 5.0, 1e-6);
}

static void
test_key_pulled(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	wr(&r, SIM_C_ACCEL, 500);
	start_belt(&r, 8.0);
	sim_model_set_key(&r.m, false, r.t);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 3.0, 1e-6);	/* emergency rate */
	run_for(&r, 1.0);
	sim_model_set_key(&r.m, true, r.t);
	run_for(&r, 3.0);
	assert_near(r.m.speed, 0, 1e-9);
	ctl(&r, 0);
	ctl(&r, SIM_CTL_RUN);
	run_for(&r, 1.0);
	assert_true(r.m.speed > 4.9);
}

static void
test_edge_while_not_ready(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	wr(&r, SIM_C_SPEED, 500);
	sim_model_set_estop(&r.m, true, r.t);
	assert_false(ctl(&r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	sim_model_set_estop(&r.m, false, r.t);
	run_for(&r, 2.0);
	assert_near(r.m.speed, 0, 1e-9);
	ctl(&r, 0);
	assert_true(ctl(&r, SIM_CTL_RUN) & SIM_EV_RUN_EDGE);
	run_for(&r, 2.0);
	assert_near(r.m.speed, 2.0, 1e-6);
}

static void
test_watchdog(void **state)
{
	struct rig r;
	unsigned ev;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 1000);
	assert_int_equal(r.m.cmd.watchdog_ms, 1000);

	/* RUN=0: the watchdog does not apply. */
	assert_false(run_for(&r, 10.0) & SIM_EV_WATCHDOG);

	wr(&r, SIM_C_SPEED, 300);
	wr(&r, SIM_C_HEARTBEAT, 1);
	ctl(&r, SIM_CTL_RUN);
	/* The window opens with RUN: 0.99 s of silence is fine. */
	assert_false(run_for(&r, 0.99) & SIM_EV_WATCHDOG);
	wr(&r, SIM_C_HEARTBEAT, 2);
	assert_false(run_for(&r, 0.99) & SIM_EV_WATCHDOG);
	wr(&r, SIM_C_HEARTBEAT, 2);		/* same value: not a beat */
	ev = run_for(&r, 0.02);
	assert_true(ev & SIM_EV_WATCHDOG);
	assert_true(r.m.watchdog);
	assert_false(r.m.armed);
	/* 1.98 s of accel, tripped 1.00 s after the last beat, 1 tick of decel */
	assert_near(r.m.speed, 1.98 - 0.015, 0.016);

	/* Stops at decel_limit, not at the emergency rate. */
	run_for(&r, 1.0);
	assert_near(r.m.speed, 1.965 - 1.5, 0.016);
	run_for(&r, 1.0);
	assert_near(r.m.speed, 0, 1e-9);

	/* Heartbeat resumes: still latched, still stopped. */
	wr(&r, SIM_C_HEARTBEAT, 3);
	run_for(&r, 0.5);
	assert_true(r.m.watchdog);
	assert_near(r.m.speed, 0, 1e-9);

	/* RESET edge clears; the belt needs a RUN edge too. */
	assert_true(ctl(&r, SIM_CTL_RUN | SIM_CTL_RESET) & SIM_EV_RESET);
	assert_false(r.m.watchdog);
	assert_false(r.m.armed);
	wr(&r, SIM_C_HEARTBEAT, 4);
	run_for(&r, 0.5);
	assert_near(r.m.speed, 0, 1e-9);

	/* watchdog_ms 0 switches it off. */
	wr(&r, SIM_C_WATCHDOG, 0);
	ctl(&r, 0);
	ctl(&r, SIM_CTL_RUN);
	assert_false(run_for(&r, 5.0) & SIM_EV_WATCHDOG);
	assert_near(r.m.speed, 3.0, 1e-6);
}

static void
test_reset_clears_latches(void **state)
{
	struct rig r;
	unsigned ev;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	wr(&r, SIM_C_ACCEL, 500);
	start_belt(&r, 6.0);

	sim_model_set_fault(&r.m, 2, r.t);
	sim_model_press_stop(&r.m, r.t);
	assert_false(sim_model_ready(&r.m));
	run_for(&r, 1.0);
	assert_near(r.m.speed, 4.5, 1e-6);	/* decel, not 5/s */
	run_for(&r, 4.0);

	/* RESET and RUN edges in one write: RESET first, so it starts. */
	ctl(&r, 0);
	ev = ctl(&r, SIM_CTL_RUN | SIM_CTL_RESET);
	assert_true(ev & SIM_EV_RESET);
	assert_true(ev & SIM_EV_RUN_EDGE);
	assert_false(r.m.fault);
	assert_int_equal(r.m.fault_code, 0);
	assert_false(r.m.stop_key);
	assert_true(r.m.armed);

	/* RESET held high is no edge: a new fault stays latched. */
	sim_model_set_fault(&r.m, 5, r.t);
	assert_false(ctl(&r, SIM_CTL_RUN | SIM_CTL_RESET) & SIM_EV_RESET);
	assert_true(r.m.fault);
	ctl(&r, SIM_CTL_RUN);
	assert_true(ctl(&r, SIM_CTL_RUN | SIM_CTL_RESET) & SIM_EV_RESET);
	assert_false(r.m.fault);
	assert_false(r.m.armed);	/* RUN stayed 1: no edge */
}

static void
test_incline(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	wr(&r, SIM_C_INCLINE, 100);		/* 10 %, belt stopped */
	run_for(&r, 5.0);
	assert_near(r.m.incline, 5.0, 1e-6);
	sim_model_set_estop(&r.m, true, r.t);
	run_for(&r, 3.0);
	assert_near(r.m.incline, 5.0, 1e-6);	/* holds */
	sim_model_set_estop(&r.m, false, r.t);
	run_for(&r, 6.0);
	assert_near(r.m.incline, 10.0, 1e-9);
	wr(&r, SIM_C_INCLINE, (uint16_t)-30);
	run_for(&r, 12.0);
	assert_near(r.m.incline, -2.0, 1e-6);
	run_for(&r, 2.0);
	assert_near(r.m.incline, -3.0, 1e-9);
}

static double
hr_at(double kmh, double grade)
{
	struct rig r;

	rig_init(&r, SIM_MODE_REF, 0);
	r.m.speed = kmh;
	r.m.incline = grade;
	return sim_model_hr_steady(&r.m);
}

static void
test_hr(void **state)
{
	struct rig r;
	double ss, hr_tau;
	uint16_t t[SIM_NTELE];

	(void)state;
	assert_near(hr_at(0, 0), 65, 1e-9);
	assert_near(hr_at(5, 0), 100, 3);
	assert_near(hr_at(8, 0), 145, 3);
	assert_near(hr_at(10, 0), 165, 3);
	assert_true(hr_at(5, 8) > hr_at(5, 0) + 20);
	assert_near(hr_at(20, 10), 185, 1e-9);	/* clamped */
	assert_true(hr_at(7, 0) > hr_at(6, 0) && hr_at(8, 0) > hr_at(7, 0));

	rig_init(&r, SIM_MODE_REF, 0);
	assert_near(r.m.hr, 65, 1e-9);
	wr(&r, SIM_C_ACCEL, 6553);
	start_belt(&r, 8.0);
	ss = sim_model_hr_steady(&r.m);
	/* First order: 63 % of the way after one time constant. */
	run_for(&r, 45.0);
	hr_tau = 65 + (ss - 65) * (1 - exp(-1.0));
	assert_near(r.m.hr, hr_tau, 1.5);
	run_for(&r, 45.0 * 4);
	assert_near(r.m.hr, ss, 3);
	/* Cardiac drift: 30 more minutes, a few bpm higher. */
	run_for(&r, 30 * 60.0);
	assert_true(r.m.hr > ss + 3);
	assert_true(r.m.hr < ss + 10);

	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_HR], lround(r.m.hr));
	r.m.hr_on = false;
	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_HR], 0);
}

/*
 * The default runner walks below 7.5 km/h and runs from it: her slowest
 * jog costs far more than her fastest walk, and a 75 % ceiling (139 of
 * 185) lies between.  A width blends the gaits instead.
 */
static void
test_gait_step(void **state)
{
	struct rig r;
	const char *err;

	(void)state;
	assert_near(hr_at(7.4, 0), 65 + 10 * 7.4 * 0.7, 1e-9);
	assert_near(hr_at(7.5, 0), 65 + 10 * 7.5, 1e-9);
	assert_true(hr_at(7.4, 0) < 139 - 15);
	assert_true(hr_at(7.5, 0) > 139);
	/* Walking uphill costs more, as running does. */
	assert_true(hr_at(5, 2) > hr_at(5, 0) + 5);

	rig_init(&r, SIM_MODE_REF, 0);
	assert_int_equal(sim_model_set_param(&r.m, "hr_gait", 6.0, &err), 0);
	r.m.speed = 6.0;
	assert_near(sim_model_hr_steady(&r.m), 65 + 60, 1e-9);
	r.m.speed = 5.99;
	assert_near(sim_model_hr_steady(&r.m), 65 + 10 * 5.99 * 0.7, 1e-9);
	/* The blend from 6 to 8 km/h: the runner before the step. */
	assert_int_equal(sim_model_set_param(&r.m, "hr_gait", 7.0, &err), 0);
	assert_int_equal(sim_model_set_param(&r.m, "hr_gait_width", 2.0,
	    &err), 0);
	r.m.speed = 6.0;
	assert_near(sim_model_hr_steady(&r.m), 65 + 10 * 6 * 0.7, 1e-9);
	r.m.speed = 7.0;
	assert_near(sim_model_hr_steady(&r.m), 65 + 10 * 7 * 0.85, 1e-9);
	r.m.speed = 8.0;
	assert_near(sim_model_hr_steady(&r.m), 65 + 10 * 8, 1e-9);
	assert_int_equal(sim_model_set_param(&r.m, "hr_gait", -1, &err), -1);
	assert_int_equal(sim_model_set_param(&r.m, "hr_gait_width", 11,
	    &err), -1);
}

static void
test_params(void **state)
{
	struct rig r;
	const char *err;
	double v;

	(void)state;
	rig_init(&r, SIM_MODE_REF, 0);
	assert_int_equal(sim_model_set_param(&r.m, "hr_tau", 10, &err), 0);
	assert_int_equal(sim_model_get_param(&r.m, "hr_tau", &v), 0);
	assert_near(v, 10, 1e-9);
	assert_int_equal(sim_model_set_param(&r.m, "hr_tau", 0, &err), -1);
	assert_int_equal(sim_model_set_param(&r.m, "nope", 1, &err), -1);
	assert_int_equal(sim_model_set_param(&r.m, "hr_rest", 190, &err), -1);
	assert_int_equal(sim_model_set_param(&r.m, "hr_max", 60, &err), -1);
	assert_int_equal(sim_model_set_param(&r.m, "hr_k_speed", NAN, &err),
	    -1);
}

/* PDU builders: function code + data, big-endian. */
static size_t
pdu_read(uint8_t *p, uint8_t fc, uint16_t addr, uint16_t n)
{
	p[0] = fc;
	p[1] = addr >> 8;
	p[2] = addr & 0xff;
	p[3] = n >> 8;
	p[4] = n & 0xff;
	return 5;
}

static size_t
pdu_write1(uint8_t *p, uint16_t addr, uint16_t v)
{
	return pdu_read(p, 6, addr, v);
}

static size_t
pdu_writen(uint8_t *p, uint16_t addr, int n, const uint16_t *v)
{
	int i;

	pdu_read(p, 16, addr, (uint16_t)n);
	p[5] = (uint8_t)(2 * n);
	for (i = 0; i < n; i++) {
		p[6 + 2 * i] = v[i] >> 8;
		p[7 + 2 * i] = v[i] & 0xff;
	}
	return 6 + 2 * (size_t)n;
}

static size_t
pdu_wr23(uint8_t *p, uint16_t raddr, uint16_t rn, uint16_t waddr, int wn,
    const uint16_t *v)
{
	int i;

	pdu_read(p, 23, raddr, rn);
	p[5] = waddr >> 8;
	p[6] = waddr & 0xff;
	p[7] = 0;
	p[8] = (uint8_t)wn;
	p[9] = (uint8_t)(2 * wn);
	for (i = 0; i < wn; i++) {
		p[10 + 2 * i] = v[i] >> 8;
		p[11 + 2 * i] = v[i] & 0xff;
	}
	return 10 + 2 * (size_t)wn;
}

static void
test_regs_reference(void **state)
{
	const struct sim_layout *lay = sim_layout_get(SIM_MODE_REF);
	struct sim_req q;
	uint8_t p[260];
	uint16_t v[8] = { 1, 2501, 0, 7 };
	uint16_t ok4[4] = { 1, 2500, (uint16_t)-30, 9 };
	size_t n;

	(void)state;
	/* Reads */
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 8), &q), 0);
	assert_int_equal(q.rd_addr, 0);
	assert_int_equal(q.rd_n, 8);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 4, 0, 8), &q), 0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 16, 7), &q), 0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 9), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 8, 1), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 15, 2), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 23), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 22, 2), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 0), &q), 3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 126), &q),
	    3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 65535, 2), &q),
	    2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 4, 16, 1), &q), 2);

	/* FC06 */
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 1, 5), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 0, 5), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 23, 5), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 17, 2501), &q),
	    3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 17, 2500), &q),
	    0);
	assert_int_equal(q.wr_addr, 17);
	assert_int_equal(q.wr[0], 2500);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 18, 151), &q),
	    3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 18, 150), &q),
	    0);
	assert_int_equal(sim_regs_parse(lay, p,
	    pdu_write1(p, 18, (uint16_t)-31), &q), 3);
	assert_int_equal(sim_regs_parse(lay, p,
	    pdu_write1(p, 18, (uint16_t)-30), &q), 0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 19, 65535), &q),
	    0);

	/* FC16: the whole write is checked before any of it applies. */
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 16, 4, v), &q),
	    3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 16, 4, ok4), &q),
	    0);
	assert_int_equal(q.wr_n, 4);
	assert_int_equal(q.wr[2], (uint16_t)-30);
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 6, 2, ok4), &q),
	    2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 15, 2, ok4), &q),
	    2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 20, 4, ok4), &q),
	    2);
	n = pdu_writen(p, 16, 2, ok4);
	p[5] = 3;				/* byte count mismatch */
	assert_int_equal(sim_regs_parse(lay, p, n, &q), 3);

	/* FC23: write 16..19, read 0..7, and other valid ranges. */
	assert_int_equal(sim_regs_parse(lay, p, pdu_wr23(p, 0, 8, 16, 4, ok4),
	    &q), 0);
	assert_int_equal(q.rd_addr, 0);
	assert_int_equal(q.rd_n, 8);
	assert_int_equal(q.wr_addr, 16);
	assert_int_equal(q.wr_n, 4);
	assert_int_equal(sim_regs_parse(lay, p, pdu_wr23(p, 16, 7, 20, 1, ok4),
	    &q), 0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_wr23(p, 0, 8, 0, 4, ok4),
	    &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_wr23(p, 8, 1, 16, 4, ok4),
	    &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_wr23(p, 0, 8, 16, 4, v),
	    &q), 3);

	/* Functions the drive has not got. */
	p[0] = 5;
	assert_int_equal(sim_regs_parse(lay, p, 5, &q), 1);
	p[0] = 1;
	assert_int_equal(sim_regs_parse(lay, p, 5, &q), 1);
	p[0] = 0x2b;
	assert_int_equal(sim_regs_parse(lay, p, 1, &q), 1);
}

static void
test_regs_vfd(void **state)
{
	const struct sim_layout *lay = sim_layout_get(SIM_MODE_VFD);
	struct sim_req q;
	struct rig r;
	uint8_t p[260];
	uint16_t v[4] = { 1, 7812, 50, 1 };
	uint16_t t[SIM_NTELE];

	(void)state;
	/* 25 km/h drive max, rounded down to whole counts. */
	assert_int_equal(lay->speed_max, 7812);
	assert_true(7812 * 0.0032 <= 25.0 && 7813 * 0.0032 > 25.0);

	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 256, 8), &q),
	    0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 512, 7), &q),
	    0);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 3, 0, 8), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_read(p, 4, 256, 8), &q),
	    1);
	assert_int_equal(sim_regs_parse(lay, p,
	    pdu_wr23(p, 256, 8, 512, 4, v), &q), 1);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 257, 1), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 17, 1), &q), 2);
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 513, 7813), &q),
	    3);
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 512, 4, v), &q),
	    0);
	v[1] = 7813;
	assert_int_equal(sim_regs_parse(lay, p, pdu_writen(p, 512, 4, v), &q),
	    3);
	/* accel/decel limits are speed-like but have no contract maximum */
	assert_int_equal(sim_regs_parse(lay, p, pdu_write1(p, 517, 9000), &q),
	    0);

	/* Encodings: 8 km/h is 25 Hz = 2500 counts. */
	assert_int_equal(sim_regs_enc_speed(lay, 8.0), 2500);
	assert_near(sim_regs_dec_speed(lay, 2500), 8.0, 1e-9);
	rig_init(&r, SIM_MODE_VFD, 1000);
	assert_int_equal(r.regs.cmd[SIM_C_ACCEL], 313);	/* 1.0 km/h/s */
	assert_int_equal(r.regs.cmd[SIM_C_DECEL], 469);	/* 1.5 km/h/s */
	assert_int_equal(r.regs.cmd[SIM_C_WATCHDOG], 1000);
	assert_near(r.m.cmd.accel, 1.0, 0.01);
	wr(&r, SIM_C_WATCHDOG, 0);
	wr(&r, SIM_C_SPEED, 2500);
	ctl(&r, SIM_CTL_RUN);
	run_for(&r, 20.0);
	assert_near(r.m.speed, 8.0, 1e-9);
	sim_model_set_request(&r.m, 3.2);
	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_BELT], 2500);
	assert_int_equal(t[SIM_T_CONSOLE], 1000);
}

static void
test_telemetry(void **state)
{
	struct rig r;
	uint16_t t[SIM_NTELE];

	(void)state;
	rig_init(&r, SIM_MODE_REF, 1000);
	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_STATUS], SIM_ST_KEY | SIM_ST_READY);
	assert_int_equal(t[SIM_T_HR], 65);

	sim_model_set_estop(&r.m, true, r.t);
	sim_model_set_key(&r.m, false, r.t);
	sim_model_set_fault(&r.m, 4, r.t);
	sim_model_press_stop(&r.m, r.t);
	r.m.watchdog = true;
	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_STATUS], SIM_ST_ESTOP | SIM_ST_FAULT |
	    SIM_ST_WATCHDOG | SIM_ST_STOP_KEY);
	assert_int_equal(t[SIM_T_FAULT], 4);

	rig_init(&r, SIM_MODE_REF, 0);
	r.m.incline = -2.5;
	r.m.speed = 12.345;
	r.m.distance = 65536.0 + 42.7;
	wr(&r, SIM_C_HEARTBEAT, 4242);
	sim_model_set_request(&r.m, 7.5);
	sim_regs_telemetry(&r.regs, &r.m, t);
	assert_int_equal(t[SIM_T_INCLINE], (uint16_t)-25);
	assert_int_equal(t[SIM_T_BELT], 1235);
	assert_int_equal(t[SIM_T_DISTANCE], 42);
	assert_int_equal(t[SIM_T_HB_ECHO], 4242);
	assert_int_equal(t[SIM_T_CONSOLE], 750);
	assert_true(t[SIM_T_STATUS] & SIM_ST_RUNNING);	/* belt moving */

	/* A RUN edge clears the console request. */
	ctl(&r, SIM_CTL_RUN);
	assert_near(r.m.console_kmh, 0, 1e-9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ramps),
		cmocka_unit_test(test_estop_rate_and_edge),
		cmocka_unit_test(test_key_pulled),
		cmocka_unit_test(test_edge_while_not_ready),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_reset_clears_latches),
		cmocka_unit_test(test_incline),
		cmocka_unit_test(test_hr),
		cmocka_unit_test(test_gait_step),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_regs_reference),
		cmocka_unit_test(test_regs_vfd),
		cmocka_unit_test(test_telemetry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
