/*
 * Modbus master over libmodbus.  Response and byte timeouts are set well
 * under a tick and error recovery stays off (libmodbus would sleep), so a
 * dead drive costs one bounded wait per tick, never more.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drive.h"
#include "log.h"
#include "regmap.h"

#define BACKOFF_MIN_MS 100

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
	 */
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

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (w[i].f->addr < 0)
			continue;
		d->transactions++;
		if (modbus_write_register(d->ctx, w[i].f->addr,
		    regmap_to_raw(w[i].f, w[i].v)) == -1) {
			errno = errno ? errno : EIO;
			return -1;
		}
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
	modbus_set_byte_timeout(d->ctx, us / 1000000, us % 1000000);
	if (modbus_connect(d->ctx) == -1) {
		fail(d, "connect", now);
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
	int n;

	if (!d->connected)
		return -1;
	regmap_encode(m, c, w);
	d->transactions++;
	if (m->fc23) {
		n = modbus_write_and_read_registers(d->ctx, m->write_addr,
		    m->write_count, w, m->read_addr, m->read_count, r);
		if (n != m->read_count) {
			fail(d, "read/write (FC23)", now);
			return -1;
		}
	} else {
		if (modbus_write_registers(d->ctx, m->write_addr,
		    m->write_count, w) != m->write_count) {
			fail(d, "write (FC16)", now);
			return -1;
		}
		d->transactions++;
		if (modbus_read_registers(d->ctx, m->read_addr,
		    m->read_count, r) != m->read_count) {
			fail(d, "read (FC03)", now);
			return -1;
		}
	}
	regmap_decode(m, r, s);
	return 0;
}

int
drive_write_command(struct drive *d, const struct command *c, double now)
{
	const struct regmap *m = &d->cfg.map;
	uint16_t w[REGMAP_MAX_BLOCK];

	if (!d->connected)
		return -1;
	regmap_encode(m, c, w);
	d->transactions++;
	if (modbus_write_registers(d->ctx, m->write_addr, m->write_count,
	    w) != m->write_count) {
		fail(d, "stop write (FC16)", now);
		return -1;
	}
	return 0;
}
