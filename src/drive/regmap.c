/*
 * Register map loader and codec.  Loading checks that every field the
 * daemon needs is there, that the per-tick fields sit inside the read and
 * write blocks, and that the write block is exactly control, speed,
 * incline, heartbeat (what one FC23 or FC16 writes each tick).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cfgutil.h"
#include "regmap.h"

static const char *const map_keys[] = {
	"name", "description", "fc23", "max_speed_kmh", "min_incline_pct",
	"max_incline_pct", "read", "write", "status", "belt_speed",
	"incline", "heart_rate", "fault_code", "heartbeat_echo",
	"console_request", "distance", "control", "speed_setpoint",
	"incline_setpoint", "heartbeat", "watchdog_ms", "accel_limit",
	"decel_limit", NULL
};
static const char *const field_keys[] = {
	"addr", "scale", "signed", "kmh_per_hz", NULL
};
static const char *const status_keys[] = {
	"addr", "running", "key", "estop", "fault", "watchdog", "stop_key",
	"ready", NULL
};
static const char *const control_keys[] = { "addr", "run", "reset", NULL };
static const char *const block_keys[] = { "addr", "count", NULL };

static int
load_field(const config_setting_t *root, const char *key, bool required,
    struct regfield *f, const char *file, struct errlist *errs)
{
	config_setting_t *g = cfg_group(root, key, required, file, errs);
	long long addr;
	double hz;
	int bad = 0;

	f->addr = -1;
	f->scale = 1.0;
	f->is_signed = false;
	if (g == NULL)
		return required ? -1 : 0;
	cfg_unknown_keys(g, field_keys, file, errs);
	bad |= cfg_int(g, "addr", true, -1, 0, 65535, &addr, file, errs) < 0;
	bad |= cfg_double(g, "scale", false, 1.0, 1e-6, 1e6, &f->scale, file,
	    errs) < 0;
	bad |= cfg_bool(g, "signed", false, &f->is_signed, file, errs) < 0;
	if (cfg_double(g, "kmh_per_hz", false, 1.0, 1e-6, 1e3, &hz, file,
	    errs) < 0)
		bad = 1;
	f->scale *= hz;
	f->addr = (int)addr;
	return bad ? -1 : 0;
}

static int
load_block(const config_setting_t *root, const char *key, int *addr,
    int *count, const char *file, struct errlist *errs)
{
	config_setting_t *g = cfg_group(root, key, true, file, errs);
	long long a, n;
	int bad = 0;

	if (g == NULL)
		return -1;
	cfg_unknown_keys(g, block_keys, file, errs);
	bad |= cfg_int(g, "addr", true, 0, 0, 65535, &a, file, errs) < 0;
	bad |= cfg_int(g, "count", true, 1, 1, REGMAP_MAX_BLOCK, &n, file,
	    errs) < 0;
	*addr = (int)a;
	*count = (int)n;
	return bad ? -1 : 0;
}

/* A per-tick field must lie inside its block. */
static void
check_in_block(const config_setting_t *root, const struct regfield *f,
    const char *name, int addr, int count, const char *block,
    const char *file, struct errlist *errs)
{
	config_setting_t *at = config_setting_get_member(root, name);

	if (f->addr >= 0 && (f->addr < addr || f->addr >= addr + count))
		errlist_add(errs, cfg_file(at, file), cfg_line(at), "%s at %d "
		    "is outside the %s block %d..%d", name, f->addr, block,
		    addr, addr + count - 1);
}

/* The write block: the first setting out of place, for its line. */
static const char *
misplaced_write(const struct regmap *m)
{
	static const char *const keys[] = {
		"control", "speed_setpoint", "incline_setpoint", "heartbeat"
	};
	const int addrs[] = {
		m->control_addr, m->speed_setpoint.addr,
		m->incline_setpoint.addr, m->heartbeat.addr
	};

	if (m->write_count != 4)
		return "write";
	for (int i = 0; i < 4; i++)
		if (addrs[i] != m->write_addr + i)
			return keys[i];
	return NULL;
}

int
regmap_load(struct regmap *m, const char *path, struct errlist *errs)
{
	config_t cf;
	config_setting_t *root, *g;
	const char *key;
	size_t before = errs->n;
	long long v;
	int bad = 0;
	static const char *const bitnames[SB_COUNT] = {
		"running", "key", "estop", "fault", "watchdog", "stop_key",
		"ready"
	};

	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	config_init(&cf);
	if (cfg_read(&cf, path, errs) == -1) {
		config_destroy(&cf);
		return -1;
	}
	root = config_root_setting(&cf);
	cfg_unknown_keys(root, map_keys, path, errs);
	cfg_string(root, "name", true, "", m->name, sizeof(m->name), path,
	    errs);
	cfg_bool(root, "fc23", false, &m->fc23, path, errs);
	cfg_double(root, "max_speed_kmh", true, 0, 1, 60, &m->max_speed, path,
	    errs);
	cfg_double(root, "min_incline_pct", false, 0, -30, 0, &m->min_incline,
	    path, errs);
	cfg_double(root, "max_incline_pct", false, 0, 0, 40, &m->max_incline,
	    path, errs);
	load_block(root, "read", &m->read_addr, &m->read_count, path, errs);
	load_block(root, "write", &m->write_addr, &m->write_count, path, errs);

	if ((g = cfg_group(root, "status", true, path, errs)) != NULL) {
		cfg_unknown_keys(g, status_keys, path, errs);
		cfg_int(g, "addr", true, 0, 0, 65535, &v, path, errs);
		m->status_addr = (int)v;
		for (int i = 0; i < SB_COUNT; i++) {
			cfg_int(g, bitnames[i], true, 0, 0, 15, &v, path, errs);
			m->status_bits[i] = (int)v;
		}
	}
	load_field(root, "belt_speed", true, &m->belt_speed, path, errs);
	load_field(root, "incline", true, &m->incline, path, errs);
	load_field(root, "heart_rate", false, &m->heart_rate, path, errs);
	load_field(root, "fault_code", false, &m->fault_code, path, errs);
	load_field(root, "heartbeat_echo", false, &m->heartbeat_echo, path,
	    errs);
	load_field(root, "console_request", false, &m->console_request, path,
	    errs);
	load_field(root, "distance", false, &m->distance, path, errs);
	if ((g = cfg_group(root, "control", true, path, errs)) != NULL) {
		cfg_unknown_keys(g, control_keys, path, errs);
		cfg_int(g, "addr", true, 0, 0, 65535, &v, path, errs);
		m->control_addr = (int)v;
		cfg_int(g, "run", true, 0, 0, 15, &v, path, errs);
		m->run_bit = (int)v;
		cfg_int(g, "reset", true, 1, 0, 15, &v, path, errs);
		m->reset_bit = (int)v;
	}
	load_field(root, "speed_setpoint", true, &m->speed_setpoint, path,
	    errs);
	load_field(root, "incline_setpoint", true, &m->incline_setpoint, path,
	    errs);
	load_field(root, "heartbeat", true, &m->heartbeat, path, errs);
	load_field(root, "watchdog_ms", true, &m->watchdog_ms, path, errs);
	load_field(root, "accel_limit", false, &m->accel_limit, path, errs);
	load_field(root, "decel_limit", false, &m->decel_limit, path, errs);
	if (errs->n != before) {
		config_destroy(&cf);
		return -1;
	}

	/*
	 * Checks between settings.  The parse tree is kept until here so
	 * each error still names a line (ARCHITECTURE.md, invariant 6).
	 */
	/* The tick writes control, speed, incline, heartbeat as one block. */
	if ((key = misplaced_write(m)) != NULL) {
		g = config_setting_get_member(root, key);
		errlist_add(errs, cfg_file(g, path), cfg_line(g), "the write "
		    "block must be 4 registers: control, speed_setpoint, "
		    "incline_setpoint, heartbeat, in that order from "
		    "write.addr");
	}
	if (m->status_addr < m->read_addr ||
	    m->status_addr >= m->read_addr + m->read_count) {
		g = config_setting_get_member(root, "status");
		errlist_add(errs, cfg_file(g, path), cfg_line(g), "status at "
		    "%d is outside the read block", m->status_addr);
	}
	check_in_block(root, &m->belt_speed, "belt_speed", m->read_addr,
	    m->read_count, "read", path, errs);
	check_in_block(root, &m->incline, "incline", m->read_addr,
	    m->read_count, "read", path, errs);
	check_in_block(root, &m->heart_rate, "heart_rate", m->read_addr,
	    m->read_count, "read", path, errs);
	check_in_block(root, &m->fault_code, "fault_code", m->read_addr,
	    m->read_count, "read", path, errs);
	check_in_block(root, &m->heartbeat_echo, "heartbeat_echo",
	    m->read_addr, m->read_count, "read", path, errs);
	check_in_block(root, &m->console_request, "console_request",
	    m->read_addr, m->read_count, "read", path, errs);
	check_in_block(root, &m->distance, "distance", m->read_addr,
	    m->read_count, "read", path, errs);
	if (m->run_bit == m->reset_bit) {
		g = config_setting_get_member(root, "control");
		errlist_add(errs, cfg_file(g, path), cfg_line(g), "control.run "
		    "and control.reset must be different bits");
	}
	config_destroy(&cf);
	(void)bad;
	return errs->n != before ? -1 : 0;
}

double
regmap_from_raw(const struct regfield *f, uint16_t raw)
{
	if (f->is_signed)
		return (double)(int16_t)raw * f->scale;
	return (double)raw * f->scale;
}

uint16_t
regmap_to_raw(const struct regfield *f, double v)
{
	double c;

	if (isnan(v))
		v = 0;
	c = round(v / f->scale);
	if (f->is_signed) {
		if (c < -32768)
			c = -32768;
		if (c > 32767)
			c = 32767;
		return (uint16_t)(int16_t)c;
	}
	if (c < 0)
		c = 0;
	if (c > 65535)
		c = 65535;
	return (uint16_t)c;
}

static uint16_t
word(const struct regmap *m, const uint16_t *w, int addr)
{
	return w[addr - m->read_addr];
}

static double
field(const struct regmap *m, const uint16_t *w, const struct regfield *f)
{
	if (f->addr < 0)
		return 0;
	return regmap_from_raw(f, word(m, w, f->addr));
}

void
regmap_decode(const struct regmap *m, const uint16_t *w, struct sample *s)
{
	uint16_t st = word(m, w, m->status_addr);

#define BIT(b) ((st >> m->status_bits[b]) & 1)
	memset(s, 0, sizeof(*s));
	s->running = BIT(SB_RUNNING);
	s->key = BIT(SB_KEY);
	s->estop = BIT(SB_ESTOP);
	s->fault = BIT(SB_FAULT);
	s->watchdog = BIT(SB_WATCHDOG);
	s->stop_key = BIT(SB_STOP_KEY);
	s->ready = BIT(SB_READY);
#undef BIT
	s->belt_speed = field(m, w, &m->belt_speed);
	s->incline = field(m, w, &m->incline);
	s->heart_rate = (int)lround(field(m, w, &m->heart_rate));
	s->fault_code = (int)lround(field(m, w, &m->fault_code));
	s->heartbeat_echo = m->heartbeat_echo.addr >= 0 ?
	    word(m, w, m->heartbeat_echo.addr) : 0;
	s->console_request = field(m, w, &m->console_request);
	s->distance = m->distance.addr >= 0 ? word(m, w, m->distance.addr) : 0;
}

void
regmap_encode(const struct regmap *m, const struct command *c, uint16_t *w)
{
	w[0] = (uint16_t)((c->run ? 1u << m->run_bit : 0) |
	    (c->reset ? 1u << m->reset_bit : 0));
	/* Round the speed down: never command more than was asked. */
	w[1] = regmap_to_raw(&m->speed_setpoint, floor(c->speed /
	    m->speed_setpoint.scale + 1e-6) * m->speed_setpoint.scale);
	w[2] = regmap_to_raw(&m->incline_setpoint, c->incline);
	w[3] = c->heartbeat;
}
