/*
 * The drive and machine groups of treadmilld.conf: the link to the drive,
 * its timing, the machine's limits, and the checks of those limits
 * against the drive's register map.
 */
#include <stdio.h>
#include <string.h>

#include "cfgutil.h"
#include "config_sections.h"

static const char *const drive_keys[] = {
	"transport", "host", "port", "device", "baud", "parity", "unit_id",
	"map", "map_dir", "tick_hz", "response_timeout_ms", "watchdog_ms",
	"comm_loss_ticks", "reconnect_max_ms", NULL
};
static const char *const transports[] = { "tcp", "rtu", NULL };
static const char *const parities[] = { "N", "E", "O", NULL };
static const char *const machine_keys[] = {
	"max_speed", "min_incline", "max_incline", "accel", "decel",
	"speed_tolerance", NULL
};

static void
parse_drive(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "drive", false, f, e);
	char buf[16];
	long long v;
	int i;

	if (g)
		cfg_unknown_keys(g, drive_keys, f, e);
	if ((i = cfg_choice(g, "transport", "transport", transports, buf,
	    sizeof(buf), f, e)) >= 0)
		c->drive.transport = i == 0 ? TRANSPORT_TCP : TRANSPORT_RTU;
	cfg_string(g, "host", false, "127.0.0.1", c->drive.host,
	    sizeof(c->drive.host), f, e);
	cfg_int(g, "port", false, 502, 1, 65535, &v, f, e);
	c->drive.port = (int)v;
	cfg_string(g, "device", false, "/dev/ttyUSB0", c->drive.device,
	    sizeof(c->drive.device), f, e);
	cfg_int(g, "baud", false, 19200, 1200, 1000000, &v, f, e);
	c->drive.baud = (int)v;
	if ((i = cfg_choice(g, "parity", "parity", parities, buf, sizeof(buf),
	    f, e)) >= 0)
		c->drive.parity = parities[i][0];
	cfg_int(g, "unit_id", false, 1, 1, 247, &v, f, e);
	c->drive.unit_id = (int)v;
	cfg_string(g, "map", false, "reference", c->drive.map,
	    sizeof(c->drive.map), f, e);
	cfg_string(g, "map_dir", false, MAPDIR, c->drive.map_dir,
	    sizeof(c->drive.map_dir), f, e);
	cfg_double(g, "tick_hz", false, 20, 0.5, 100, &c->drive.tick_hz, f, e);
	cfg_int(g, "response_timeout_ms", false, 20, 1, 1000, &v, f, e);
	c->drive.response_timeout_ms = (int)v;
	cfg_int(g, "watchdog_ms", false, 500, 0, 60000, &v, f, e);
	c->drive.watchdog_ms = (int)v;
	cfg_int(g, "comm_loss_ticks", false, 3, 1, 100, &v, f, e);
	c->drive.comm_loss_ticks = (int)v;
	cfg_int(g, "reconnect_max_ms", false, 2000, 10, 60000, &v, f, e);
	c->drive.reconnect_max_ms = (int)v;

	/* Checks between settings, reported at the later one. */
	double tick_ms = 1000.0 / c->drive.tick_hz;
	config_setting_t *m;
	if (c->drive.response_timeout_ms * 2 > tick_ms) {
		m = g ? config_setting_get_member(g, "response_timeout_ms") :
		    NULL;
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "response_timeout_ms (%d) must be at most half the tick "
		    "(%.0f ms at tick_hz %g)", c->drive.response_timeout_ms,
		    tick_ms, c->drive.tick_hz);
	}
	if (c->drive.watchdog_ms != 0 && c->drive.watchdog_ms < 3 * tick_ms) {
		m = g ? config_setting_get_member(g, "watchdog_ms") : NULL;
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "watchdog_ms (%d) must be 0 or at least three ticks "
		    "(%.0f ms)", c->drive.watchdog_ms, 3 * tick_ms);
	}
}

static void
parse_machine(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "machine", false, f, e), *m;

	if (g)
		cfg_unknown_keys(g, machine_keys, f, e);
	cfg_double(g, "max_speed", false, 16.0, 0.5, 60,
	    &c->machine.max_speed, f, e);
	cfg_double(g, "min_incline", false, 0.0, -30, 40,
	    &c->machine.min_incline, f, e);
	cfg_double(g, "max_incline", false, 12.0, -30, 40,
	    &c->machine.max_incline, f, e);
	cfg_double(g, "accel", false, 1.0, 0.05, 10, &c->machine.accel, f, e);
	cfg_double(g, "decel", false, 1.5, 0.05, 10, &c->machine.decel, f, e);
	cfg_double(g, "speed_tolerance", false, 1.0, 0.1, 10,
	    &c->machine.speed_tolerance, f, e);
	if (c->machine.min_incline > c->machine.max_incline) {
		m = config_setting_get_member(g, "min_incline");
		if (m == NULL)	/* left at its default: blame max_incline */
			m = config_setting_get_member(g, "max_incline");
		errlist_add(e, cfg_file(m, f), cfg_line(m), "min_incline "
		    "(%g) is above max_incline (%g)", c->machine.min_incline,
		    c->machine.max_incline);
	}
}

void
config_parse_drive(struct config *c, const config_setting_t *root,
    const char *f, struct errlist *e)
{
	parse_drive(c, root, f, e);
	parse_machine(c, root, f, e);
}

/* Checks against the register map, once both are known. */
void
config_check_map(struct config *c, const config_setting_t *root,
    const char *f, struct errlist *e)
{
	config_setting_t *g = config_setting_get_member(root, "machine"), *m;

	/* No machine group: the defaults clash with the map drive.map names. */
	if (g == NULL && (g = config_setting_get_member(root, "drive")) != NULL)
		g = config_setting_get_member(g, "map");
	m = g ? config_setting_get_member(g, "max_speed") : NULL;
	if (c->machine.max_speed > c->map.max_speed)
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "max_speed (%g km/h) is above what the drive map '%s' "
		    "allows (%g km/h)", c->machine.max_speed, c->map.name,
		    c->map.max_speed);
	m = g ? config_setting_get_member(g, "max_incline") : NULL;
	if (c->machine.max_incline > c->map.max_incline)
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "max_incline (%g %%) is above the drive's %g %%",
		    c->machine.max_incline, c->map.max_incline);
	m = g ? config_setting_get_member(g, "min_incline") : NULL;
	if (c->machine.min_incline < c->map.min_incline)
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "min_incline (%g %%) is below the drive's %g %%",
		    c->machine.min_incline, c->map.min_incline);
	g = config_setting_get_member(root, "session");
	m = g ? config_setting_get_member(g, "speed") : NULL;
	if (m == NULL && c->session.speed > c->machine.max_speed) {
		/* speed left at its default: blame machine.max_speed */
		config_setting_t *mg = config_setting_get_member(root,
		    "machine");
		if (mg != NULL &&
		    config_setting_get_member(mg, "max_speed") != NULL)
			m = config_setting_get_member(mg, "max_speed");
	}
	if (c->session.speed > c->machine.max_speed)
		errlist_add(e, cfg_file(m ? m : g, f), cfg_line(m ? m : g),
		    "session speed (%g km/h) is above the machine's max_speed "
		    "(%g km/h)", c->session.speed, c->machine.max_speed);
}
