/*
 * Telemetry decode and the safety rules: the input is a run of ticks.
 * Each tick's eight telemetry registers (or a failed transaction) are
 * decoded with the reference drive's register map and fed to the safety
 * core, people start, stop and resume now and then, plugins and the
 * governor propose any speed and cap, and limits change as on a reload.
 * After every call the invariants are checked against an independent
 * model (tests/common/invariants.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errlist.h"
#include "fuzz.h"
#include "invariants.h"
#include "regmap.h"
#include "safety.h"

#ifndef MAP_PATH
#define MAP_PATH "hw/maps/reference.conf"
#endif

static struct regmap map;

static void
load_map(void)
{
	struct errlist e;

	memset(&e, 0, sizeof(e));
	if (regmap_load(&map, MAP_PATH, &e) == -1) {
		errlist_print(&e, stderr);
		abort();
	}
	errlist_free(&e);
}

static void
limits(struct fuzz_in *in, struct safety_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->max_speed = fuzz_range(in, 1, 25);
	l->min_incline = -fuzz_range(in, 0, 3);
	l->max_incline = fuzz_range(in, 0, 15);
	l->accel = fuzz_range(in, 0.1, 3);
	l->decel = fuzz_range(in, 0.1, 5);
	l->speed_tolerance = fuzz_range(in, 0, 2);
	l->drive_max_speed = map.max_speed;
	l->comm_loss_ticks = 1 + (int)fuzz_u8(in) % 10;
	l->max_heart_rate = 150 + (int)fuzz_u8(in);
	l->max_dt = fuzz_range(in, 0.05, 1);
}

/* A speed a plugin or the governor might propose, odd ones included. */
static double
any_speed(struct fuzz_in *in)
{
	static const double odd[] = { NAN, INFINITY, -INFINITY, -1, 1e12 };
	unsigned k = fuzz_u8(in);

	if (k >= 250)
		return odd[k - 250 < 5 ? k - 250 : 0];
	return (double)fuzz_u16(in) / 2000.0;
}

static void
check(const char *v)
{
	if (v != NULL)
		fuzz_fail(v);
}

static void
stop_written(struct inv_model *m, struct safety *s, unsigned fresh)
{
	struct command c;

	if (fresh == 0)
		return;
	safety_stop_command(s, &c);
	check(inv_stop_written(m, s, fresh, &c));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct safety_limits lim;
	struct safety s;
	struct inv_model m;
	struct sample smp;
	struct command c;
	uint16_t words[REGMAP_MAX_BLOCK];
	double t = 1000, target = 0, cap = 0;
	const char *why;
	int rc;

	if (map.read_count == 0)
		load_map();
	limits(&in, &lim);
	safety_init(&s, &lim);
	inv_init(&m, &lim);
	while (in.n > 0) {
		unsigned op = fuzz_u8(&in);
		unsigned fresh;

		switch (op % 8) {
		case 0:		/* a person starts or resumes */
			rc = (op & 8) ? safety_start(&s, &why) :
			    safety_resume(&s, &why);
			check(inv_person(&m, &s, op & 8, rc, rc ? why : NULL));
			continue;
		case 1:		/* treadctl stop, or the daemon's own */
			stop_written(&m, &s, safety_stop(&s, STOP_SOFTWARE,
			    "fuzz"));
			continue;
		case 2:		/* the session ended on its own */
			safety_disable(&s);
			inv_disabled(&m);
			continue;
		case 3:		/* a reload */
			limits(&in, &lim);
			safety_set_limits(&s, &lim);
			inv_set_limits(&m, &lim);
			continue;
		case 4:		/* proposals */
			target = any_speed(&in);
			cap = any_speed(&in);
			continue;
		case 5:		/* a failed transaction */
			fresh = safety_observe(&s, NULL, t);
			check(inv_observed(&m, &s, NULL, fresh));
			break;
		default:	/* telemetry, as the drive sent it */
			for (int i = 0; i < map.read_count; i++)
				words[i] = (uint16_t)fuzz_u16(&in);
			regmap_decode(&map, words, &smp);
			fresh = safety_observe(&s, &smp, t);
			check(inv_observed(&m, &s, &smp, fresh));
			break;
		}
		stop_written(&m, &s, fresh);
		safety_command(&s, target, fuzz_range(&in, -20, 40), cap, t,
		    &c);
		check(inv_command(&m, cap, t, &c));
		/* Ticks are 50 ms, but a loop can stall or the clock jump. */
		t += (op & 0x80) ? fuzz_range(&in, -0.1, 2) : 0.05;
	}
	return 0;
}
