/*
 * Modbus master over libmodbus.  Error recovery stays off (libmodbus would
 * sleep) and the byte timeout is disabled, which makes libmodbus hold the
 * whole reply to the response timeout: a drive that trickles its reply, or
 * claims more bytes than it sends, costs one bounded wait per transaction,
 * never more.  (A byte timeout restarts with every byte, so any value of
 * it would let a trickling drive stretch the tick.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drive.h"
#include "log.h"
#include "regmap.h"

#define BACKOFF_MIN_MS 100

static double
clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The stop the link writes on its own: RUN=0, speed 0, the last incline,
 * a fresh heartbeat.
 */
static void
stop_command(struct drive *d, struct command *c)
{
	*c = d->last_cmd;
	c->run = false;
	c->reset = false;
	c->speed = 0;
	c->heartbeat = ++d->last_cmd.heartbeat;
}

/*
 * The link is failing: put RUN=0 on the wire before it is closed, without
 * waiting for the reply (the drive acts on the request; the tick has no
 * time left to wait).  Late bytes are read away first so that closing
 * does not reset the connection under the request.
 */
static void
stop_before_close(struct drive *d)
{
	const struct regmap *m = &d->cfg.map;
	uint16_t w[REGMAP_MAX_BLOCK];
	uint8_t raw[7 + 2 * REGMAP_MAX_BLOCK];
	struct command c;
	int n = 0;

	stop_command(d, &c);
	regmap_encode(m, &c, w);
	raw[n++] = (uint8_t)d->cfg.drive.unit_id;
	raw[n++] = 0x10;	/* write multiple registers */
	raw[n++] = (uint8_t)(m->write_addr >> 8);
	raw[n++] = (uint8_t)m->write_addr;
	raw[n++] = (uint8_t)(m->write_count >> 8);
	raw[n++] = (uint8_t)m->write_count;
	raw[n++] = (uint8_t)(m->write_count * 2);
	for (int i = 0; i < m->write_count; i++) {
		raw[n++] = (uint8_t)(w[i] >> 8);
		raw[n++] = (uint8_t)w[i];
	}
	modbus_flush(d->ctx);
	d->transactions++;
	d->stops_on_failure++;
	if (modbus_send_raw_request(d->ctx, raw, n) == -1)
		log_debug("drive: stop before close: %s",
		    modbus_strerror(errno));
	modbus_flush(d->ctx);
}

const char *
drive_describe(const struct drive *d, char *buf, size_t len)
{
	if (d->cfg.drive.transport == TRANSPORT_TCP)
		snprintf(buf, len, "tcp %s:%d unit %d map %s", d->cfg.drive.host,
		    d->cfg.drive.port, d->cfg.drive.unit_id, d->cfg.map.name);
	else
		snprintf(buf, len, "rtu %s %d 8%c1 unit %d map %s",
		    d->cfg.drive.device, d->cfg.drive.baud,
		    d->cfg.drive.parity, d->cfg.drive.unit_id,
		    d->cfg.map.name);
	return buf;
}

void
drive_init(struct drive *d, const struct config *cfg)
{
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	/* The link needs no runners; never share the config's profiles. */
	memset(&d->cfg.runners, 0, sizeof(d->cfg.runners));
	d->backoff_ms = BACKOFF_MIN_MS;
}

static void
fail(struct drive *d, const char *what, double now)
{
	char desc[256];
	int e = errno;

	snprintf(d->last_error, sizeof(d->last_error), "%s: %s", what,
	    modbus_strerror(e));
	d->failures++;
	if (d->connected)
		log_warnx("drive %s: %s", drive_describe(d, desc, sizeof(desc)),
		    d->last_error);
	else
		log_debug("drive: %s", d->last_error);
	/*
	 * A serial line stays open through timeouts and bad frames (flush the
	 * late bytes): it was opened before privileges were dropped and may
	 * not open again.  Only a device that is gone is closed.
	 */
	if (d->ctx != NULL && d->connected &&
	    d->cfg.drive.transport == TRANSPORT_RTU && e != EIO &&
	    e != ENXIO && e != EBADF && e != ENODEV) {
		modbus_flush(d->ctx);
		return;
	}
	/*
	 * On TCP a reply that arrives after its timeout would be taken for
	 * the next one's, so start clean: close, and reopen after a backoff.
	 * The stop goes out first.
	 */
	if (d->ctx != NULL && d->connected)
		stop_before_close(d);
	drive_close(d);
	d->next_attempt = now + d->backoff_ms / 1000.0;
	d->backoff_ms *= 2;
	if (d->backoff_ms > d->cfg.drive.reconnect_max_ms)
		d->backoff_ms = d->cfg.drive.reconnect_max_ms;
}

void
drive_close(struct drive *d)
{
	if (d->ctx != NULL) {
		modbus_close(d->ctx);
		modbus_free(d->ctx);
		d->ctx = NULL;
	}
	d->connected = false;
}

/*
 * One libmodbus call, held to the response timeout by the clock as well:
 * a reply that comes too late fails even if libmodbus took it.  Twice
 * the timeout leaves room for a busy machine's scheduling.
 */
static int
late(struct drive *d, double t0)
{
	if (clock_s() - t0 <= 2 * d->cfg.drive.response_timeout_ms / 1000.0)
		return 0;
	d->late++;
	errno = ETIMEDOUT;
	return 1;
}

/* Settings written once per connection: watchdog and drive-side ramps. */
static int
write_setup(struct drive *d)
{
	const struct regmap *m = &d->cfg.map;
	struct { const struct regfield *f; double v; const char *n; } w[] = {
		{ &m->watchdog_ms, d->cfg.drive.watchdog_ms, "watchdog_ms" },
		{ &m->accel_limit, d->cfg.machine.accel, "accel_limit" },
		{ &m->decel_limit, d->cfg.machine.decel, "decel_limit" },
	};
	double t0;

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (w[i].f->addr < 0)
			continue;
		t0 = clock_s();
		d->transactions++;
		if (modbus_write_register(d->ctx, w[i].f->addr,
		    regmap_to_raw(w[i].f, w[i].v)) == -1 || late(d, t0)) {
			errno = errno ? errno : EIO;
			return -1;
		}
	}
	return 0;
}

/*
 * On a serial line the response timeout runs from the request's hand-off
 * to the end of the reply, so it must cover both on the wire: say so once
 * if it cannot.
 */
static void
check_wire_time(struct drive *d)
{
	const struct regmap *m = &d->cfg.map;
	int bytes, bits = d->cfg.drive.parity == 'N' ? 10 : 11;
	double ms;

	if (d->cfg.drive.transport != TRANSPORT_RTU || d->wire_checked)
		return;
	d->wire_checked = true;
	if (m->fc23)		/* request, reply */
		bytes = 13 + 2 * m->write_count + 5 + 2 * m->read_count;
	else			/* the longer of FC16 and FC03 */
		bytes = 9 + 2 * m->write_count + 8 > 8 + 5 + 2 * m->read_count ?
		    9 + 2 * m->write_count + 8 : 8 + 5 + 2 * m->read_count;
	ms = bytes * bits * 1000.0 / d->cfg.drive.baud;
	if (ms >= d->cfg.drive.response_timeout_ms)
		log_warnx("drive: response_timeout_ms %d is shorter than the "
		    "%.1f ms a request and its reply take on the wire at %d "
		    "baud: raise it, or every transaction will fail",
		    d->cfg.drive.response_timeout_ms, ms, d->cfg.drive.baud);
}

/*
 * RUN=0 before anything else on a new connection: the control register
 * alone (RESET and every other bit 0), so that no setpoint is written
 * before the tick knows what it should be.
 */
static int
write_stop_first(struct drive *d)
{
	double t0 = clock_s();

	d->transactions++;
	if (modbus_write_register(d->ctx, d->cfg.map.control_addr, 0) == -1 ||
	    late(d, t0)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int
drive_poll_connect(struct drive *d, double now)
{
	char desc[256];
	uint32_t us = (uint32_t)d->cfg.drive.response_timeout_ms * 1000;

	if (d->connected)
		return 0;
	if (now < d->next_attempt)
		return -1;
	if (d->cfg.drive.transport == TRANSPORT_TCP)
		d->ctx = modbus_new_tcp(d->cfg.drive.host, d->cfg.drive.port);
	else
		d->ctx = modbus_new_rtu(d->cfg.drive.device, d->cfg.drive.baud,
		    d->cfg.drive.parity, 8, 1);
	if (d->ctx == NULL) {
		fail(d, "cannot create Modbus context", now);
		return -1;
	}
	modbus_set_slave(d->ctx, d->cfg.drive.unit_id);
	modbus_set_error_recovery(d->ctx, MODBUS_ERROR_RECOVERY_NONE);
	modbus_set_response_timeout(d->ctx, us / 1000000, us % 1000000);
	/* No byte timeout: the response timeout bounds the whole reply. */
	modbus_set_byte_timeout(d->ctx, 0, 0);
	if (modbus_connect(d->ctx) == -1) {
		fail(d, "connect", now);
		return -1;
	}
	check_wire_time(d);
	if (write_stop_first(d) == -1) {
		fail(d, "writing RUN=0 after connecting", now);
		return -1;
	}
	if (write_setup(d) == -1) {
		fail(d, "writing watchdog and ramp limits", now);
		return -1;
	}
	d->connected = true;
	d->backoff_ms = BACKOFF_MIN_MS;
	if (d->reconnects++ == 0)
		log_info("drive connected: %s",
		    drive_describe(d, desc, sizeof(desc)));
	else
		log_warnx("drive reconnected: %s",
		    drive_describe(d, desc, sizeof(desc)));
	return 0;
}

int
drive_transact(struct drive *d, const struct command *c, struct sample *s,
    double now)
{
	const struct regmap *m = &d->cfg.map;
	uint16_t w[REGMAP_MAX_BLOCK], r[REGMAP_MAX_BLOCK];
	double t0;
	int n;

	if (!d->connected)
		return -1;
	regmap_encode(m, c, w);
	d->transactions++;
	t0 = clock_s();
	if (m->fc23) {
		n = modbus_write_and_read_registers(d->ctx, m->write_addr,
		    m->write_count, w, m->read_addr, m->read_count, r);
		if (n != m->read_count || late(d, t0)) {
			fail(d, "read/write (FC23)", now);
			return -1;
		}
	} else {
		if (modbus_write_registers(d->ctx, m->write_addr,
		    m->write_count, w) != m->write_count || late(d, t0)) {
			fail(d, "write (FC16)", now);
			return -1;
		}
		d->last_cmd = *c;
		d->transactions++;
		t0 = clock_s();
		if (modbus_read_registers(d->ctx, m->read_addr,
		    m->read_count, r) != m->read_count || late(d, t0)) {
			fail(d, "read (FC03)", now);
			return -1;
		}
	}
	d->last_cmd = *c;
	regmap_decode(m, r, s);
	return 0;
}

int
drive_write_command(struct drive *d, const struct command *c, double now)
{
	const struct regmap *m = &d->cfg.map;
	uint16_t w[REGMAP_MAX_BLOCK];
	double t0;

	if (!d->connected) {
		/* A stop is worth a reconnect at the next tick, backoff or
		 * not: the new connection's first write is RUN=0. */
		d->next_attempt = 0;
		d->backoff_ms = BACKOFF_MIN_MS;
		return -1;
	}
	regmap_encode(m, c, w);
	d->transactions++;
	d->last_cmd = *c;	/* a stop that fails is still the last word */
	t0 = clock_s();
	if (modbus_write_registers(d->ctx, m->write_addr, m->write_count,
	    w) != m->write_count || late(d, t0)) {
		fail(d, "stop write (FC16)", now);
		return -1;
	}
	return 0;
}
