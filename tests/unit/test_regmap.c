/*
 * Unit tests of the register maps (src/drive/regmap.c): the two maps shipped in
 * hw/maps/ load with the addresses and scales of the drive contract
 * (hw/maps/reference.conf), raw words decode to a sample and a
 * command encodes to words, and a bad map is refused with the exact
 * "file:line: message".
 *
 * Run from the top of the tree: the shipped maps are read by relative
 * path.  Bad maps are written to temporary files (testutil.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "errlist.h"
#include "regmap.h"
#include "testutil.h"

#define REF_MAP	"hw/maps/reference.conf"
#define VFD_MAP	"hw/maps/vfd-hz.conf"

#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= (eps)))					\
		fail_msg("%s = %.12g, expected %.12g (within %g)",	\
		    #a, a_, b_, (double)(eps));				\
} while (0)

static void
load_ok(struct regmap *m, const char *path)
{
	struct errlist e = { 0 };

	if (regmap_load(m, path, &e) != 0) {
		errlist_print(&e, stderr);
		errlist_free(&e);
		fail_msg("%s did not load (run the tests from the top "
		    "directory)", path);
	}
	assert_int_equal(e.n, 0);
	errlist_free(&e);
}

static void
assert_field(const struct regfield *f, int addr, double scale, bool sgn)
{
	assert_int_equal(f->addr, addr);
	assert_near(f->scale, scale, 1e-12);
	assert_int_equal(f->is_signed, sgn);
}

/* ---- the shipped maps ------------------------------------------------ */

static void
test_load_reference(void **state)
{
	struct regmap m;

	(void)state;
	load_ok(&m, REF_MAP);
	assert_string_equal(m.name, "reference");
	assert_string_equal(m.path, REF_MAP);
	assert_true(m.fc23);
	assert_near(m.max_speed, 25.0, 0);
	assert_near(m.min_incline, -3.0, 0);
	assert_near(m.max_incline, 15.0, 0);
	assert_int_equal(m.read_addr, 0);
	assert_int_equal(m.read_count, 8);
	assert_int_equal(m.write_addr, 16);
	assert_int_equal(m.write_count, 4);
	assert_int_equal(m.status_addr, 0);
	for (int b = 0; b < SB_COUNT; b++)
		assert_int_equal(m.status_bits[b], b);
	assert_field(&m.belt_speed, 1, 0.01, false);
	assert_field(&m.incline, 2, 0.1, true);
	assert_field(&m.heart_rate, 3, 1, false);
	assert_field(&m.fault_code, 4, 1, false);
	assert_field(&m.heartbeat_echo, 5, 1, false);
	assert_field(&m.console_request, 6, 0.01, false);
	assert_field(&m.distance, 7, 1, false);
	assert_int_equal(m.control_addr, 16);
	assert_int_equal(m.run_bit, 0);
	assert_int_equal(m.reset_bit, 1);
	assert_field(&m.speed_setpoint, 17, 0.01, false);
	assert_field(&m.incline_setpoint, 18, 0.1, true);
	assert_field(&m.heartbeat, 19, 1, false);
	assert_field(&m.watchdog_ms, 20, 1, false);
	assert_field(&m.accel_limit, 21, 0.01, false);
	assert_field(&m.decel_limit, 22, 0.01, false);
}

static void
test_load_vfd(void **state)
{
	struct regmap m;

	(void)state;
	load_ok(&m, VFD_MAP);
	assert_string_equal(m.name, "vfd-hz");
	assert_false(m.fc23);
	assert_near(m.max_speed, 25.0, 0);
	assert_int_equal(m.read_addr, 256);
	assert_int_equal(m.read_count, 8);
	assert_int_equal(m.write_addr, 512);
	assert_int_equal(m.write_count, 4);
	assert_int_equal(m.status_addr, 256);
	/* 0.01 Hz a count, 0.32 km/h a Hz */
	assert_field(&m.belt_speed, 257, 0.0032, false);
	assert_field(&m.incline, 258, 0.1, true);
	assert_field(&m.heart_rate, 259, 1, false);
	assert_field(&m.console_request, 262, 0.0032, false);
	assert_field(&m.distance, 263, 1, false);
	assert_int_equal(m.control_addr, 512);
	assert_field(&m.speed_setpoint, 513, 0.0032, false);
	assert_field(&m.incline_setpoint, 514, 0.1, true);
	assert_field(&m.heartbeat, 515, 1, false);
	assert_field(&m.watchdog_ms, 516, 1, false);
	assert_field(&m.accel_limit, 517, 0.0032, false);
	assert_field(&m.decel_limit, 518, 0.0032, false);
}

/* ---- decode ---------------------------------------------------------- */

static void
test_decode_reference(void **state)
{
	/* RUNNING | KEY | READY, 12.34 km/h, -2.5 %, 142 bpm, ... */
	const uint16_t w[8] = {
		0x0043, 1234, 0xFFE7, 142, 0, 0xBEEF, 800, 4321
	};
	struct regmap m;
	struct sample s;

	(void)state;
	load_ok(&m, REF_MAP);
	memset(&s, 0x5a, sizeof(s));
	regmap_decode(&m, w, &s);
	assert_true(s.running);
	assert_true(s.key);
	assert_false(s.estop);
	assert_false(s.fault);
	assert_false(s.watchdog);
	assert_false(s.stop_key);
	assert_true(s.ready);
	assert_near(s.belt_speed, 12.34, 1e-9);
	assert_near(s.incline, -2.5, 1e-9);
	assert_int_equal(s.heart_rate, 142);
	assert_int_equal(s.fault_code, 0);
	assert_int_equal(s.heartbeat_echo, 0xBEEF);
	assert_near(s.console_request, 8.0, 1e-9);
	assert_int_equal(s.distance, 4321);
}

/* Each status bit lands in its own flag and no other. */
static void
test_decode_status_bits(void **state)
{
	uint16_t w[8] = { 0 };
	struct regmap m;
	struct sample s;

	(void)state;
	load_ok(&m, REF_MAP);
	for (int b = 0; b < 16; b++) {
		w[0] = (uint16_t)(1u << b);
		regmap_decode(&m, w, &s);
		assert_int_equal(s.running, b == 0);
		assert_int_equal(s.key, b == 1);
		assert_int_equal(s.estop, b == 2);
		assert_int_equal(s.fault, b == 3);
		assert_int_equal(s.watchdog, b == 4);
		assert_int_equal(s.stop_key, b == 5);
		assert_int_equal(s.ready, b == 6);
	}
	/* a fault with its code, at the top of the incline range */
	w[0] = 0x000A;		/* KEY | FAULT */
	w[2] = 150;
	w[4] = 2;
	regmap_decode(&m, w, &s);
	assert_true(s.fault);
	assert_true(s.key);
	assert_false(s.ready);
	assert_int_equal(s.fault_code, 2);
	assert_near(s.incline, 15.0, 1e-9);
	/* incline is signed: the most negative word */
	w[2] = 0x8000;
	regmap_decode(&m, w, &s);
	assert_near(s.incline, -3276.8, 1e-9);
	/* belt speed is unsigned: 0xFFFF is 655.35, not -0.01 */
	w[1] = 0xFFFF;
	regmap_decode(&m, w, &s);
	assert_near(s.belt_speed, 655.35, 1e-9);
}

static void
test_decode_vfd(void **state)
{
	/* KEY | READY, 31.25 Hz (10 km/h), -2.5 %, console 10 Hz */
	const uint16_t w[8] = { 0x0042, 3125, 0xFFE7, 0, 0, 17, 1000, 9 };
	struct regmap m;
	struct sample s;

	(void)state;
	load_ok(&m, VFD_MAP);
	regmap_decode(&m, w, &s);
	assert_true(s.key);
	assert_true(s.ready);
	assert_false(s.running);
	/* 3125 * 0.01 Hz * 0.32 km/h/Hz */
	assert_near(s.belt_speed, 10.0, 1e-9);
	assert_near(s.incline, -2.5, 1e-9);
	assert_int_equal(s.heart_rate, 0);
	assert_int_equal(s.heartbeat_echo, 17);
	assert_near(s.console_request, 3.2, 1e-9);
	assert_int_equal(s.distance, 9);
}

/* ---- encode ---------------------------------------------------------- */

static void
encode(const struct regmap *m, bool run, bool reset, double speed,
    double incline, uint16_t hb, uint16_t w[4])
{
	struct command c = {
		.run = run, .reset = reset, .speed = speed,
		.incline = incline, .heartbeat = hb,
	};

	w[0] = w[1] = w[2] = w[3] = 0xAAAA;
	regmap_encode(m, &c, w);
}

static void
test_encode_reference(void **state)
{
	/* speed rounds down: never command more than was asked */
	static const struct { double kmh; uint16_t raw; } sp[] = {
		{ 8.499, 849 }, { 5.55, 555 }, { 0.07, 7 }, { 16.0, 1600 },
		{ 12.3456, 1234 }, { 0.009, 0 }, { 0.0, 0 }, { -1.0, 0 },
		{ NAN, 0 }, { 25.0, 2500 }, { 24.999999, 2499 },
		{ 1e9, 65535 }, { 2.675, 267 },
	};
	static const struct { double pct; uint16_t raw; } in[] = {
		{ -2.5, 0xFFE7 }, { 15.0, 150 }, { -3.0, 0xFFE2 },
		{ 0.0, 0 }, { 1.0, 10 }, { 2.46, 25 }, { -0.04, 0 },
		{ NAN, 0 }, { 1e9, 0x7FFF }, { -1e9, 0x8000 },
	};
	struct regmap m;
	uint16_t w[4];

	(void)state;
	load_ok(&m, REF_MAP);
	encode(&m, true, false, 8.499, -2.5, 0x1234, w);
	assert_int_equal(w[0], 0x0001);		/* RUN */
	assert_int_equal(w[1], 849);
	assert_int_equal(w[2], 0xFFE7);
	assert_int_equal(w[3], 0x1234);
	encode(&m, false, true, 0, 0, 7, w);
	assert_int_equal(w[0], 0x0002);		/* RESET */
	assert_int_equal(w[1], 0);
	assert_int_equal(w[2], 0);
	assert_int_equal(w[3], 7);
	encode(&m, true, true, 0, 0, 0xFFFF, w);
	assert_int_equal(w[0], 0x0003);
	assert_int_equal(w[3], 0xFFFF);
	encode(&m, false, false, 3, 0, 0, w);
	assert_int_equal(w[0], 0);

	for (size_t k = 0; k < sizeof(sp) / sizeof(sp[0]); k++) {
		encode(&m, true, false, sp[k].kmh, 0, 0, w);
		if (w[1] != sp[k].raw)
			fail_msg("speed %.9g km/h encoded as %u, expected %u",
			    sp[k].kmh, w[1], sp[k].raw);
	}
	for (size_t k = 0; k < sizeof(in) / sizeof(in[0]); k++) {
		encode(&m, true, false, 0, in[k].pct, 0, w);
		if (w[2] != in[k].raw)
			fail_msg("incline %.9g %% encoded as 0x%04x, expected "
			    "0x%04x", in[k].pct, w[2], in[k].raw);
	}
}

static void
test_encode_vfd(void **state)
{
	static const struct { double kmh; uint16_t raw; } sp[] = {
		{ 10.0, 3125 }, { 10.0031, 3125 }, { 10.0032, 3126 },
		{ 9.9999, 3124 }, { 25.0, 7812 }, { 0.0031, 0 },
		{ 3.2, 1000 }, { 0.0, 0 },
	};
	struct regmap m;
	uint16_t w[4];

	(void)state;
	load_ok(&m, VFD_MAP);
	encode(&m, true, false, 10.0, -2.5, 42, w);
	assert_int_equal(w[0], 0x0001);
	assert_int_equal(w[1], 3125);
	assert_int_equal(w[2], 0xFFE7);
	assert_int_equal(w[3], 42);
	for (size_t k = 0; k < sizeof(sp) / sizeof(sp[0]); k++) {
		encode(&m, true, false, sp[k].kmh, 0, 0, w);
		if (w[1] != sp[k].raw)
			fail_msg("speed %.9g km/h encoded as %u, expected %u",
			    sp[k].kmh, w[1], sp[k].raw);
	}
}

/*
 * A speed the drive reported, written back, is the same count: the
 * round-down must not lose a count to floating point.  Every word, both
 * maps; and the signed incline survives a round trip too.
 */
static void
test_roundtrip_every_word(void **state)
{
	static const char *const maps[] = { REF_MAP, VFD_MAP };
	struct regmap m;
	uint16_t w[4];

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		load_ok(&m, maps[k]);
		for (unsigned raw = 0; raw <= 0xFFFF; raw++) {
			double kmh = regmap_from_raw(&m.speed_setpoint,
			    (uint16_t)raw);
			double pct = regmap_from_raw(&m.incline_setpoint,
			    (uint16_t)raw);

			encode(&m, true, false, kmh, pct, 0, w);
			if (w[1] != raw)
				fail_msg("%s: speed word %u -> %.9g km/h -> %u",
				    maps[k], raw, kmh, w[1]);
			if (w[2] != raw)
				fail_msg("%s: incline word 0x%04x -> %.9g %% -> "
				    "0x%04x", maps[k], raw, pct, w[2]);
			/* and never above: a hair less is one count less */
			if (raw > 0) {
				encode(&m, true, false, kmh - 1e-4 *
				    m.speed_setpoint.scale, 0, 0, w);
				if (w[1] != raw - 1)
					fail_msg("%s: %.12g km/h -> %u, expected "
					    "%u", maps[k], kmh - 1e-4 *
					    m.speed_setpoint.scale, w[1],
					    raw - 1);
			}
		}
	}
}

static void
test_raw_conversions(void **state)
{
	const struct regfield sgn = { .addr = 0, .scale = 0.1,
	    .is_signed = true };
	const struct regfield uns = { .addr = 0, .scale = 0.01,
	    .is_signed = false };

	(void)state;
	assert_int_equal(regmap_to_raw(&sgn, -2.5), 0xFFE7);
	assert_int_equal(regmap_to_raw(&sgn, -4000), 0x8000);
	assert_int_equal(regmap_to_raw(&sgn, 4000), 0x7FFF);
	assert_int_equal(regmap_to_raw(&sgn, NAN), 0);
	assert_int_equal(regmap_to_raw(&uns, -3), 0);
	assert_int_equal(regmap_to_raw(&uns, 1e6), 0xFFFF);
	assert_int_equal(regmap_to_raw(&uns, INFINITY), 0xFFFF);
	assert_int_equal(regmap_to_raw(&uns, 12.345), 1235);	/* nearest */
	assert_near(regmap_from_raw(&sgn, 0xFFE7), -2.5, 1e-12);
	assert_near(regmap_from_raw(&sgn, 0x7FFF), 3276.7, 1e-9);
	assert_near(regmap_from_raw(&uns, 0xFFE7), 655.11, 1e-9);
}

/* ---- another drive is a map, not code -------------------------------- */

static int
setup(void **state)
{
	(void)state;
	return tu_mkdir("test_regmap");
}

static int
teardown(void **state)
{
	(void)state;
	return tu_rmdir();
}

/* The valid map the bad ones are made from; line N is base_map[N-1]. */
static const char *const base_map[] = {
	"name = \"t\";",					/* 1 */
	"fc23 = true;",						/* 2 */
	"max_speed_kmh = 25.0;",				/* 3 */
	"min_incline_pct = -3.0;",				/* 4 */
	"max_incline_pct = 15.0;",				/* 5 */
	"read = { addr = 0; count = 8; };",			/* 6 */
	"write = { addr = 16; count = 4; };",			/* 7 */
	"status = {",						/* 8 */
	"  addr = 0;",						/* 9 */
	"  running = 0; key = 1; estop = 2; fault = 3;",	/* 10 */
	"  watchdog = 4; stop_key = 5; ready = 6;",		/* 11 */
	"};",							/* 12 */
	"belt_speed = { addr = 1; scale = 0.01; };",		/* 13 */
	"incline = { addr = 2; scale = 0.1; signed = true; };",	/* 14 */
	"heart_rate = { addr = 3; };",				/* 15 */
	"fault_code = { addr = 4; };",				/* 16 */
	"heartbeat_echo = { addr = 5; };",			/* 17 */
	"console_request = { addr = 6; scale = 0.01; };",	/* 18 */
	"distance = { addr = 7; };",				/* 19 */
	"control = { addr = 16; run = 0; reset = 1; };",	/* 20 */
	"speed_setpoint = { addr = 17; scale = 0.01; };",	/* 21 */
	"incline_setpoint = { addr = 18; scale = 0.1; signed = true; };",
	"heartbeat = { addr = 19; };",				/* 23 */
	"watchdog_ms = { addr = 20; };",			/* 24 */
	"accel_limit = { addr = 21; scale = 0.01; };",		/* 25 */
	"decel_limit = { addr = 22; scale = 0.01; };",		/* 26 */
};
#define BASE_LINES ((int)(sizeof(base_map) / sizeof(base_map[0])))

/* base_map with edits applied, written to a temporary file. */
static void
write_map(const struct tu_edit *ed, size_t ned, char *path, size_t len)
{
	char *text = tu_edit_lines(base_map, BASE_LINES, ed, ned);

	tu_write(NULL, NULL, text, path, len);
	free(text);
}

static int
load(const char *path, struct errlist *e)
{
	struct regmap m;

	return regmap_load(&m, path, e);
}

/* Load a map made of edits; its errors must be exactly want[], each
 * "<path>" followed by the given tail. */
static void
expect_errors(const struct tu_edit *ed, size_t ned, const char *const *want,
    size_t nwant)
{
	char *text = tu_edit_lines(base_map, BASE_LINES, ed, ned);

	tu_expect_text(NULL, text, load, want, nwant);
	free(text);
}

#define EXPECT(edits, ...) do {						\
	static const char *const want_[] = { __VA_ARGS__ };		\
	expect_errors(edits, sizeof(edits) / sizeof(edits[0]), want_,	\
	    sizeof(want_) / sizeof(want_[0]));				\
} while (0)

/* The base map itself is good, and its layout decodes as it says. */
static void
test_custom_map(void **state)
{
	static const struct tu_edit ed[] = {
		{ 2, "fc23 = false;" },
		{ 6, "read = { addr = 100; count = 10; };" },
		{ 7, "write = { addr = 40; count = 4; };" },
		{ 9, "  addr = 109;" },
		{ 10, "  running = 15; key = 8; estop = 0; fault = 3;" },
		{ 13, "belt_speed = { addr = 100; scale = 0.1; };" },
		{ 14, "incline = { addr = 101; scale = 0.5; signed = true; };" },
		{ 15, "" }, { 16, "" }, { 17, "" }, { 18, "" }, { 19, "" },
		{ 20, "control = { addr = 40; run = 3; reset = 7; };" },
		{ 21, "speed_setpoint = { addr = 41; scale = 0.1; };" },
		{ 22, "incline_setpoint = { addr = 42; scale = 0.5; "
		    "signed = true; };" },
		{ 23, "heartbeat = { addr = 43; };" },
		{ 25, "" }, { 26, "" },
	};
	uint16_t buf[256], *r = buf + 128, w[4];
	char path[128];
	struct errlist e = { 0 };
	struct regmap m;
	struct sample s;

	(void)state;
	expect_errors(NULL, 0, NULL, 0);
	/* only the 10 words of the block are read; the rest is poison */
	for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++)
		buf[i] = 0x5555;
	for (int i = 0; i < 10; i++)
		r[i] = 0;
	write_map(ed, sizeof(ed) / sizeof(ed[0]), path, sizeof(path));
	assert_int_equal(regmap_load(&m, path, &e), 0);
	assert_int_equal(unlink(path), 0);
	assert_false(m.fc23);
	/* optional fields left out are absent */
	assert_int_equal(m.heart_rate.addr, -1);
	assert_int_equal(m.distance.addr, -1);
	assert_int_equal(m.accel_limit.addr, -1);
	r[0] = 123;		/* 12.3 km/h */
	r[1] = 0xFFFB;		/* -2.5 % at 0.5 a count */
	r[9] = (1u << 15) | (1u << 8);	/* RUNNING, KEY */
	memset(&s, 0x5a, sizeof(s));
	regmap_decode(&m, r, &s);
	assert_true(s.running);
	assert_true(s.key);
	assert_false(s.estop);
	assert_near(s.belt_speed, 12.3, 1e-9);
	assert_near(s.incline, -2.5, 1e-9);
	assert_int_equal(s.heart_rate, 0);
	assert_int_equal(s.distance, 0);
	assert_int_equal(s.heartbeat_echo, 0);
	r[9] = 1;		/* estop at bit 0 here */
	regmap_decode(&m, r, &s);
	assert_true(s.estop);
	assert_false(s.running);
	encode(&m, true, false, 7.39, 3.0, 5, w);
	assert_int_equal(w[0], 1u << 3);
	assert_int_equal(w[1], 73);
	assert_int_equal(w[2], 6);
	encode(&m, false, true, 0, 0, 5, w);
	assert_int_equal(w[0], 1u << 7);
	errlist_free(&e);
}

/* fc23 is optional and off by default: FC16 + FC03 always work. */
static void
test_fc23_default(void **state)
{
	static const struct tu_edit ed[] = { { 2, "" } };
	char path[128];
	struct errlist e = { 0 };
	struct regmap m;

	(void)state;
	write_map(ed, 1, path, sizeof(path));
	assert_int_equal(regmap_load(&m, path, &e), 0);
	assert_int_equal(unlink(path), 0);
	assert_false(m.fc23);
	errlist_free(&e);
}

/* ---- bad maps: exact file:line: message ------------------------------ */

static void
test_bad_unknown_key(void **state)
{
	static const struct tu_edit top[] = { { 27, "bogus = 1;" } };
	static const struct tu_edit grp[] = {
		{ 13, "belt_speed = { addr = 1; scale = 0.01; sigend = true; };" },
	};
	static const struct tu_edit st[] = {
		{ 11, "  watchdog = 4; stop_key = 5; ready = 6; turbo = 7;" },
	};

	(void)state;
	EXPECT(top, ":27: unknown setting 'bogus'");
	EXPECT(grp, ":13: unknown setting 'sigend' in group belt_speed");
	EXPECT(st, ":11: unknown setting 'turbo' in group status");
}

static void
test_bad_missing_field(void **state)
{
	static const struct tu_edit top[] = { { 23, "" } };
	static const struct tu_edit addr[] = {
		{ 13, "belt_speed = { scale = 0.01; };" },
	};
	static const struct tu_edit bit[] = {
		{ 11, "  watchdog = 4; ready = 6;" },
	};
	static const struct tu_edit blk[] = { { 6, "read = { addr = 0; };" } };

	(void)state;
	/* a missing top-level setting has no line of its own */
	EXPECT(top, ": missing required setting 'heartbeat'");
	/* one inside a group is reported at the group */
	EXPECT(addr, ":13: missing required setting 'addr'");
	EXPECT(bit, ":8: missing required setting 'stop_key'");
	EXPECT(blk, ":6: missing required setting 'count'");
}

static void
test_bad_addr_out_of_range(void **state)
{
	static const struct tu_edit big[] = {
		{ 13, "belt_speed = { addr = 70000; scale = 0.01; };" },
	};
	static const struct tu_edit neg[] = {
		{ 23, "heartbeat = { addr = -1; };" },
	};
	static const struct tu_edit outside[] = {
		{ 13, "belt_speed = { addr = 8; scale = 0.01; };" },
	};
	static const struct tu_edit below[] = {
		{ 6, "read = { addr = 4; count = 4; };" },
		{ 9, "  addr = 4;" },
		{ 19, "distance = { addr = 8; };" },
	};
	static const struct tu_edit status[] = { { 9, "  addr = 8;" } };
	static const struct tu_edit bit[] = {
		{ 10, "  running = 16; key = 1; estop = 2; fault = 3;" },
	};
	static const struct tu_edit count[] = {
		{ 6, "read = { addr = 0; count = 40; };" },
	};

	(void)state;
	EXPECT(big, ":13: 'addr' is 70000, must be between 0 and 65535");
	EXPECT(neg, ":23: 'addr' is -1, must be between 0 and 65535");
	EXPECT(outside, ":13: belt_speed at 8 is outside the read block 0..7");
	/* both ends, every per-tick field, all reported */
	EXPECT(below,
	    ":13: belt_speed at 1 is outside the read block 4..7",
	    ":14: incline at 2 is outside the read block 4..7",
	    ":15: heart_rate at 3 is outside the read block 4..7",
	    ":19: distance at 8 is outside the read block 4..7");
	EXPECT(status, ":8: status at 8 is outside the read block");
	EXPECT(bit, ":10: 'running' is 16, must be between 0 and 15");
	EXPECT(count, ":6: 'count' is 40, must be between 1 and 32");
}

static void
test_bad_write_block(void **state)
{
	static const struct tu_edit swapped[] = {
		{ 21, "speed_setpoint = { addr = 18; scale = 0.01; };" },
		{ 22, "incline_setpoint = { addr = 17; scale = 0.1; "
		    "signed = true; };" },
	};
	static const struct tu_edit hb[] = { { 23, "heartbeat = { addr = 24; };" } };
	static const struct tu_edit incl[] = {
		{ 22, "incline_setpoint = { addr = 23; scale = 0.1; "
		    "signed = true; };" },
	};
	static const struct tu_edit ctl[] = {
		{ 20, "control = { addr = 15; run = 0; reset = 1; };" },
	};
	static const struct tu_edit cnt[] = {
		{ 7, "write = { addr = 16; count = 5; };" },
	};
	static const struct tu_edit bits[] = {
		{ 20, "control = { addr = 16; run = 1; reset = 1; };" },
	};

	(void)state;
	EXPECT(swapped, ":21: the write block must be 4 registers: control, "
	    "speed_setpoint, incline_setpoint, heartbeat, in that order from "
	    "write.addr");
	EXPECT(incl, ":22: the write block must be 4 registers: control, "
	    "speed_setpoint, incline_setpoint, heartbeat, in that order from "
	    "write.addr");
	EXPECT(hb, ":23: the write block must be 4 registers: control, "
	    "speed_setpoint, incline_setpoint, heartbeat, in that order from "
	    "write.addr");
	EXPECT(ctl, ":20: the write block must be 4 registers: control, "
	    "speed_setpoint, incline_setpoint, heartbeat, in that order from "
	    "write.addr");
	EXPECT(cnt, ":7: the write block must be 4 registers: control, "
	    "speed_setpoint, incline_setpoint, heartbeat, in that order from "
	    "write.addr");
	EXPECT(bits, ":20: control.run and control.reset must be different "
	    "bits");
}

static void
test_bad_syntax(void **state)
{
	static const struct tu_edit ed[] = {
		{ 13, "belt_speed = { addr = ; scale = 0.01; };" },
	};
	static const struct tu_edit eof[] = { { 27, "pulley = {" } };

	(void)state;
	EXPECT(ed, ":13: syntax error");
	EXPECT(eof, ":28: syntax error");
}

static void
test_bad_types(void **state)
{
	static const struct tu_edit ed[] = {
		{ 2, "fc23 = 1;" },
		{ 3, "max_speed_kmh = \"fast\";" },
		{ 13, "belt_speed = 1;" },
		{ 14, "incline = { addr = 2.0; scale = \"x\"; signed = 1; };" },
		{ 1, "name = 7;" },
	};

	(void)state;
	/* every problem, in file order of the checks, not just the first */
	EXPECT(ed,
	    ":1: 'name' must be a string in double quotes",
	    ":2: 'fc23' must be true or false",
	    ":3: 'max_speed_kmh' must be a number",
	    ":13: 'belt_speed' must be a group { ... }",
	    ":14: 'addr' must be a whole number",
	    ":14: 'scale' must be a number",
	    ":14: 'signed' must be true or false");
}

static void
test_bad_all_reported(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "max_speed_kmh = 99.0;" },
		{ 13, "belt_speed = { addr = 1; scale = 0.0; };" },
		{ 15, "heart_rate = { addr = 3; bpm = 1; };" },
		{ 24, "" },
		{ 27, "extra = true;" },
	};

	(void)state;
	EXPECT(ed,
	    ":27: unknown setting 'extra'",
	    ":3: 'max_speed_kmh' is 99, must be between 1 and 60",
	    ":13: 'scale' is 0, must be between 1e-06 and 1e+06",
	    ":15: unknown setting 'bpm' in group heart_rate",
	    ": missing required setting 'watchdog_ms'");
}

static void
test_missing_file(void **state)
{
	char path[128];
	struct errlist e = { 0 };
	struct regmap m;

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such-map.conf", tu_dir);
	assert_int_equal(regmap_load(&m, path, &e), -1);
	assert_int_equal(e.n, 1);
	assert_true(strncmp(e.msgs[0], path, strlen(path)) == 0);
	assert_string_equal(e.msgs[0] + strlen(path),
	    ": cannot open: No such file or directory");
	errlist_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_reference),
		cmocka_unit_test(test_load_vfd),
		cmocka_unit_test(test_decode_reference),
		cmocka_unit_test(test_decode_status_bits),
		cmocka_unit_test(test_decode_vfd),
		cmocka_unit_test(test_encode_reference),
		cmocka_unit_test(test_encode_vfd),
		cmocka_unit_test(test_roundtrip_every_word),
		cmocka_unit_test(test_raw_conversions),
		cmocka_unit_test(test_custom_map),
		cmocka_unit_test(test_fc23_default),
		cmocka_unit_test(test_bad_unknown_key),
		cmocka_unit_test(test_bad_missing_field),
		cmocka_unit_test(test_bad_addr_out_of_range),
		cmocka_unit_test(test_bad_write_block),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_all_reported),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
