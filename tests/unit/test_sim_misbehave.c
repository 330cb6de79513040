/*
 * treadsim's misbehaving answers, checked with libmodbus as the reader: a
 * short answer is still a well-formed frame (CRC and all), an over-long
 * one never completes, a trickled one arrives whole, one byte at a time.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <modbus.h>

#include "../../hw/sim/sim.h"

struct rig {
	struct sim	 s;
	int		 sp[2];		/* [0] the drive's end, [1] the master's */
	modbus_t	*master;
	uint8_t		 frame[MODBUS_MAX_ADU_LENGTH];
	size_t		 n;
};

/* The answer a well-behaved drive gives to FC03 for 8 registers at 0. */
static void
rig_init(struct rig *r, bool rtu, int mode)
{
	uint8_t req[MODBUS_TCP_MAX_ADU_LENGTH];
	modbus_t *drive;
	modbus_mapping_t *map;
	int cap[2], hl = 0;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->s.misbehave = mode;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, r->sp), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, cap), 0);
	drive = rtu ? modbus_new_rtu("/dev/null", 19200, 'N', 8, 1) :
	    modbus_new_tcp("127.0.0.1", 502);
	r->master = rtu ? modbus_new_rtu("/dev/null", 19200, 'N', 8, 1) :
	    modbus_new_tcp("127.0.0.1", 502);
	assert_non_null(drive);
	assert_non_null(r->master);
	modbus_set_slave(drive, 1);
	modbus_set_slave(r->master, 1);
	modbus_set_socket(drive, cap[0]);
	modbus_set_socket(r->master, r->sp[1]);
	modbus_set_response_timeout(r->master, 0, 50000);
	modbus_set_byte_timeout(r->master, 0, 0);
	if (!rtu) {			/* MBAP: tid 7, protocol 0, length 6 */
		memcpy(req, "\x00\x07\x00\x00\x00\x06", 6);
		hl = 6;
	}
	memcpy(req + hl, "\x01\x03\x00\x00\x00\x08\x00\x00", 8);
	map = modbus_mapping_new(0, 0, 8, 0);
	for (int i = 0; i < 8; i++)
		map->tab_registers[i] = (uint16_t)(0x100 * i + 1);
	assert_true(modbus_reply(drive, req, hl + (rtu ? 8 : 6), map) > 0);
	n = read(cap[1], r->frame, sizeof(r->frame));
	assert_int_equal(n, rtu ? 21 : 25);
	r->n = (size_t)n;
	modbus_mapping_free(map);
	modbus_free(drive);
	close(cap[0]);
	close(cap[1]);
}

static void
rig_free(struct rig *r)
{
	sim_mb_free(&r->s);
	modbus_free(r->master);
	close(r->sp[0]);
	close(r->sp[1]);
	if (r->s.base != NULL)
		event_base_free(r->s.base);
}

static int
readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, 0);
}

static void
test_wronglen_is_well_formed(void **state)
{
	uint8_t rsp[MODBUS_MAX_ADU_LENGTH];
	struct rig r;

	(void)state;
	rig_init(&r, true, SIM_MB_WRONGLEN);
	sim_mb_send(&r.s, r.sp[0], 0, true, r.frame, r.n);
	/* libmodbus checks the CRC: the frame is whole, just short. */
	assert_int_equal(modbus_receive_confirmation(r.master, rsp), 19);
	assert_int_equal(rsp[2], 14);
	assert_int_equal(r.s.misreplies, 1);
	rig_free(&r);
}

static void
test_overlong_never_completes(void **state)
{
	uint8_t rsp[MODBUS_MAX_ADU_LENGTH];
	struct rig r;

	(void)state;
	rig_init(&r, false, SIM_MB_OVERLONG);
	sim_mb_send(&r.s, r.sp[0], 1, false, r.frame, r.n);
	assert_int_equal(modbus_receive_confirmation(r.master, rsp), -1);
	assert_int_equal(errno, ETIMEDOUT);
	rig_free(&r);
}

static void
test_wrongtid(void **state)
{
	uint8_t rsp[MODBUS_MAX_ADU_LENGTH];
	struct rig r;

	(void)state;
	rig_init(&r, false, SIM_MB_WRONGTID);
	sim_mb_send(&r.s, r.sp[0], 1, false, r.frame, r.n);
	assert_int_equal(modbus_receive_confirmation(r.master, rsp), 25);
	assert_int_equal(rsp[0] << 8 | rsp[1], 8);	/* asked with 7 */
	rig_free(&r);
}

static void
test_silence_and_garbage(void **state)
{
	uint8_t orig[MODBUS_MAX_ADU_LENGTH], got[MODBUS_MAX_ADU_LENGTH];
	struct rig r;

	(void)state;
	rig_init(&r, true, SIM_MB_SILENCE);
	sim_mb_send(&r.s, r.sp[0], 0, true, r.frame, r.n);
	assert_int_equal(readable(r.sp[1]), 0);
	r.s.misbehave = SIM_MB_GARBAGE;
	memcpy(orig, r.frame, r.n);
	sim_mb_send(&r.s, r.sp[0], 0, true, r.frame, r.n);
	assert_int_equal(read(r.sp[1], got, sizeof(got)), (ssize_t)r.n);
	assert_memory_not_equal(got, orig, r.n);
	rig_free(&r);
}

static void
test_trickle_arrives_whole(void **state)
{
	uint8_t got[MODBUS_MAX_ADU_LENGTH], orig[MODBUS_MAX_ADU_LENGTH];
	struct timespec a, b;
	struct rig r;
	double ms;

	(void)state;
	rig_init(&r, false, SIM_MB_TRICKLE);
	r.s.trickle_ms = 2;
	r.s.base = event_base_new();
	memcpy(orig, r.frame, r.n);
	clock_gettime(CLOCK_MONOTONIC, &a);
	sim_mb_send(&r.s, r.sp[0], 1, false, r.frame, r.n);
	assert_int_equal(readable(r.sp[1]), 0);	/* nothing at once */
	event_base_dispatch(r.s.base);		/* until the last byte */
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
	assert_true(ms >= 2.0 * r.n);		/* timers never fire early */
	assert_int_equal(recv(r.sp[1], got, sizeof(got), MSG_DONTWAIT),
	    (ssize_t)r.n);
	assert_memory_equal(got, orig, r.n);
	rig_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wronglen_is_well_formed),
		cmocka_unit_test(test_overlong_never_completes),
		cmocka_unit_test(test_wrongtid),
		cmocka_unit_test(test_silence_and_garbage),
		cmocka_unit_test(test_trickle_arrives_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
