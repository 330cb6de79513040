/*
 * treadmilld.conf parser.  Every setting has a default documented in
 * treadmilld.conf(5); every problem is reported as file:line: message.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfgutil.h"
#include "config.h"
#include "config_fleet.h"

static const char *const top_keys[] = {
	"drive", "machine", "control", "session", "daemon", "profiles",
	"history", "plugins", "http", "mqtt", NULL
};
static const char *const daemon_keys[] = {
	"name", "user", "group", NULL
};
static const char *const profiles_keys[] = { "dir", NULL };
static const char *const history_keys[] = {
	"backend", "path", "conninfo_file", "spool", "stale_minutes",
	"connect_timeout_s", NULL
};
static const char *const drive_keys[] = {
	"transport", "host", "port", "device", "baud", "parity", "unit_id",
	"map", "map_dir", "tick_hz", "response_timeout_ms", "watchdog_ms",
	"comm_loss_ticks", "reconnect_max_ms", NULL
};
static const char *const machine_keys[] = {
	"max_speed", "min_incline", "max_incline", "accel", "decel",
	"speed_tolerance", NULL
};
static const char *const control_keys[] = {
	"socket", "staff_group", "group", "max_clients", "idle_timeout_s",
	"max_output_kb", "pin_lockout_min", NULL
};
static const char *const session_keys[] = {
	"speed", "incline", "minutes", "max_speed", NULL
};

static void
parse_drive(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "drive", false, f, e);
	char buf[16];
	long long v;

	if (g)
		cfg_unknown_keys(g, drive_keys, f, e);
	if (cfg_string(g, "transport", false, "tcp", buf, sizeof(buf), f,
	    e) >= 0) {
		if (strcmp(buf, "tcp") == 0)
			c->drive.transport = TRANSPORT_TCP;
		else if (strcmp(buf, "rtu") == 0)
			c->drive.transport = TRANSPORT_RTU;
		else {
			config_setting_t *m =
			    config_setting_get_member(g, "transport");
			errlist_add(e, cfg_file(m, f), cfg_line(m),
			    "transport is \"%s\", must be \"tcp\" or \"rtu\"",
			    buf);
		}
	}
	cfg_string(g, "host", false, "127.0.0.1", c->drive.host,
	    sizeof(c->drive.host), f, e);
	cfg_int(g, "port", false, 502, 1, 65535, &v, f, e);
	c->drive.port = (int)v;
	cfg_string(g, "device", false, "/dev/ttyUSB0", c->drive.device,
	    sizeof(c->drive.device), f, e);
	cfg_int(g, "baud", false, 19200, 1200, 1000000, &v, f, e);
	c->drive.baud = (int)v;
	if (cfg_string(g, "parity", false, "N", buf, sizeof(buf), f, e) >= 0) {
		if (strlen(buf) == 1 && strchr("NEO", buf[0]))
			c->drive.parity = buf[0];
		else {
			config_setting_t *m =
			    config_setting_get_member(g, "parity");
			errlist_add(e, cfg_file(m, f), cfg_line(m),
			    "parity is \"%s\", must be \"N\", \"E\" or \"O\"",
			    buf);
		}
	}
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

static void
parse_control(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "control", false, f, e);
	long long v;

	if (g)
		cfg_unknown_keys(g, control_keys, f, e);
	/* A UNIX socket path holds at most 107 bytes (sun_path). */
	cfg_string(g, "socket", false, "/run/treadmilld/treadmilld.sock",
	    c->control.socket, 108, f, e);
	cfg_string(g, "staff_group", false, "treadstaff", c->control.staff_group,
	    sizeof(c->control.staff_group), f, e);
	/* The socket's group: the console's user joins it.  By default the
	 * staff group, so that nobody but staff connects. */
	cfg_string(g, "group", false, c->control.staff_group,
	    c->control.group, sizeof(c->control.group), f, e);
	cfg_int(g, "pin_lockout_min", false, 15, 1, 1440, &v, f, e);
	c->control.pin_lockout_min = (int)v;
	cfg_int(g, "max_clients", false, 16, 1, 1000, &v, f, e);
	c->control.max_clients = (int)v;
	cfg_int(g, "idle_timeout_s", false, 60, 1, 86400, &v, f, e);
	c->control.idle_timeout_s = (int)v;
	cfg_int(g, "max_output_kb", false, 256, 16, 65536, &v, f, e);
	c->control.max_output_kb = (int)v;
}

static void
parse_session(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "session", false, f, e);

	if (g)
		cfg_unknown_keys(g, session_keys, f, e);
	cfg_double(g, "speed", false, 6.0, 0.5, 30, &c->session.speed, f, e);
	cfg_double(g, "incline", false, 1.0, -30, 40, &c->session.incline, f,
	    e);
	cfg_double(g, "minutes", false, 30, 0.1, 600, &c->session.minutes, f,
	    e);
	cfg_double(g, "max_speed", false, 10.0, 0.5, 30, &c->session.max_speed,
	    f, e);
	if (c->session.speed > c->session.max_speed) {
		config_setting_t *m = config_setting_get_member(g, "speed");
		errlist_add(e, cfg_file(m, f), cfg_line(m), "session speed "
		    "(%g km/h) is above the session max_speed (%g km/h)",
		    c->session.speed, c->session.max_speed);
	}
}

static void
parse_history(struct config *c, const config_setting_t *g, const char *f,
    struct errlist *e)
{
	config_setting_t *m;
	long long v;

	if (cfg_string(g, "backend", false, "sqlite", c->history.backend,
	    sizeof(c->history.backend), f, e) >= 0 &&
	    strcmp(c->history.backend, "sqlite") != 0 &&
	    strcmp(c->history.backend, "postgresql") != 0) {
		m = config_setting_get_member(g, "backend");
		errlist_add(e, cfg_file(m, f), cfg_line(m), "history backend "
		    "is \"%s\", must be \"sqlite\" or \"postgresql\"",
		    c->history.backend);
	}
	cfg_string(g, "path", false, LOCALSTATEDIR "/lib/treadmilld/history.db",
	    c->history.path, sizeof(c->history.path), f, e);
	cfg_string(g, "conninfo_file", false, SYSCONFDIR "/treadmilld/pg.conf",
	    c->history.conninfo_file, sizeof(c->history.conninfo_file), f, e);
	cfg_string(g, "spool", false, LOCALSTATEDIR "/lib/treadmilld/spool.db",
	    c->history.spool, sizeof(c->history.spool), f, e);
	cfg_int(g, "stale_minutes", false, 10, 1, 1440, &v, f, e);
	c->history.stale_minutes = (int)v;
	cfg_int(g, "connect_timeout_s", false, 3, 1, 60, &v, f, e);
	c->history.connect_timeout_s = (int)v;
	/* The file is checked by -n (history_conf.c), not here: at start-up
	 * a bad one must not keep the daemon, and the belt, from running.
	 * Its problems are reported at the line that names it. */
	m = g ? config_setting_get_member(g, "conninfo_file") : NULL;
	if (m == NULL && g != NULL)
		m = config_setting_get_member(g, "backend");
	snprintf(c->history.conninfo_src, sizeof(c->history.conninfo_src),
	    "%s", cfg_file(m ? m : g, f));
	c->history.conninfo_line = cfg_line(m ? m : g);
}

static void
parse_daemon(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "daemon", false, f, e);
	char host[64] = "treadmill";

	if (g)
		cfg_unknown_keys(g, daemon_keys, f, e);
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	cfg_string(g, "name", false, host, c->daemon.name,
	    sizeof(c->daemon.name), f, e);
	cfg_string(g, "user", false, "treadmilld", c->daemon.user,
	    sizeof(c->daemon.user), f, e);
	cfg_string(g, "group", false, "treadmilld", c->daemon.group,
	    sizeof(c->daemon.group), f, e);

	g = cfg_group(root, "profiles", false, f, e);
	if (g)
		cfg_unknown_keys(g, profiles_keys, f, e);
	cfg_string(g, "dir", false, SYSCONFDIR "/treadmilld/profiles.d",
	    c->profiles.dir, sizeof(c->profiles.dir), f, e);

	g = cfg_group(root, "history", false, f, e);
	if (g)
		cfg_unknown_keys(g, history_keys, f, e);
	parse_history(c, g, f, e);
}

/*
 * plugins = { dir = "..."; NAME = { key = value; ... }; ... }: the
 * groups are handed to the plugins as they are (numbers and strings).
 */
static void
parse_plugins(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "plugins", false, f, e), *m, *k;
	int n;

	snprintf(c->plugins.dir, sizeof(c->plugins.dir), "%s", PLUGINDIR);
	if (g == NULL)
		return;
	c->plugins.line = cfg_line(g);
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		m = config_setting_get_elem(g, i);
		const char *name = config_setting_name(m);

		if (strcmp(name, "dir") == 0) {
			cfg_string(g, "dir", false, PLUGINDIR,
			    c->plugins.dir, sizeof(c->plugins.dir), f, e);
			c->plugins.dir_line = cfg_line(m);
			continue;
		}
		if (!config_setting_is_group(m)) {
			errlist_add(e, cfg_file(m, f), cfg_line(m), "plugins: "
			    "'%s' must be dir or a plugin's group { ... }",
			    name);
			continue;
		}
		if (c->plugins.nconf == PLUGIN_CONF_MAX ||
		    strlen(name) >= sizeof(c->plugins.conf[0].name)) {
			errlist_add(e, cfg_file(m, f), cfg_line(m), "plugins: "
			    "too many plugin groups or name too long (%s)", name);
			continue;
		}
		struct plugin_conf *pc = &c->plugins.conf[c->plugins.nconf++];
		snprintf(pc->name, sizeof(pc->name), "%s", name);
		pc->line = cfg_line(m);
		for (int j = 0; j < config_setting_length(m); j++) {
			k = config_setting_get_elem(m, j);
			struct plugin_kv *kv = &pc->kv[pc->nkeys];
			int t = config_setting_type(k);

			if (pc->nkeys == PLUGIN_KEYS_MAX ||
			    strlen(config_setting_name(k)) >= sizeof(kv->key)) {
				errlist_add(e, cfg_file(k, f), cfg_line(k),
				    "plugins.%s: too many settings or name too "
				    "long", name);
				break;
			}
			snprintf(kv->key, sizeof(kv->key), "%s",
			    config_setting_name(k));
			kv->line = cfg_line(k);
			if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
				kv->num = (double)config_setting_get_int64(k);
			else if (t == CONFIG_TYPE_FLOAT)
				kv->num = config_setting_get_float(k);
			else if (t == CONFIG_TYPE_STRING) {
				kv->is_string = 1;
				snprintf(kv->str, sizeof(kv->str), "%s",
				    config_setting_get_string(k));
			} else {
				errlist_add(e, cfg_file(k, f), cfg_line(k),
				    "plugins.%s.%s must be a number or a string",
				    name, kv->key);
				continue;
			}
			pc->nkeys++;
		}
	}
}

const struct plugin_conf *
config_plugin(const struct config *c, const char *name)
{
	for (int i = 0; i < c->plugins.nconf; i++)
		if (strcmp(c->plugins.conf[i].name, name) == 0)
			return &c->plugins.conf[i];
	return NULL;
}

/* Checks against the register map, once both are known. */
static void
check_against_map(struct config *c, const config_setting_t *root,
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

/* treadmilld.conf and its map, without the profiles.  0 or -1. */
static int
load_conf(struct config *c, const char *path, struct errlist *e)
{
	config_t cf;
	config_setting_t *root, *dg, *mm;
	size_t before = e->n;
	char mpath[1100];

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	config_init(&cf);
	if (cfg_read(&cf, path, e) == -1) {
		config_destroy(&cf);
		return -1;
	}
	root = config_root_setting(&cf);
	cfg_unknown_keys(root, top_keys, path, e);
	parse_drive(c, root, path, e);
	parse_machine(c, root, path, e);
	parse_control(c, root, path, e);
	parse_session(c, root, path, e);
	parse_daemon(c, root, path, e);
	parse_plugins(c, root, path, e);
	config_parse_fleet(c, root, path, e);

	/* A bare name is looked up in map_dir; anything with a / is a path. */
	if (strchr(c->drive.map, '/') != NULL)
		snprintf(mpath, sizeof(mpath), "%s", c->drive.map);
	else
		snprintf(mpath, sizeof(mpath), "%s/%s.conf", c->drive.map_dir,
		    c->drive.map);
	dg = config_setting_get_member(root, "drive");
	mm = dg ? config_setting_get_member(dg, "map") : NULL;
	{
		struct errlist me = { 0 };
		if (regmap_load(&c->map, mpath, &me) == -1) {
			/* Name the drive.map line, then the map's own words. */
			for (size_t i = 0; i < me.n; i++)
				errlist_add(e, cfg_file(mm, path), cfg_line(mm),
				    "register map '%s': %s", c->drive.map,
				    me.msgs[i]);
		} else
			check_against_map(c, root, path, e);
		errlist_free(&me);
	}
	config_destroy(&cf);
	return e->n != before ? -1 : 0;
}

int
config_load(struct config *c, const char *path, struct errlist *e)
{
	size_t before = e->n;

	if (load_conf(c, path, e) == -1)
		return -1;
	/* Runner profiles are configuration too: -n checks them. */
	if (profile_load_dir(&c->runners, c->profiles.dir, e) == -1 &&
	    c->runners.n == 0 && e->n == before)
		errlist_add(e, path, 0, "cannot load the profiles");
	if (e->n != before) {
		config_free(c);
		return -1;
	}
	return 0;
}

int
config_reload(struct config *c, const char *path,
    const struct profile_set *running, struct profile_reload *r,
    struct errlist *e)
{
	memset(r, 0, sizeof(*r));
	if (load_conf(c, path, e) == -1)
		return -1;
	if (profile_reload_dir(&c->runners, c->profiles.dir, running, r,
	    e) == -1) {
		config_free(c);
		return -1;
	}
	return 0;
}

void
config_free(struct config *c)
{
	profile_set_free(&c->runners);
}

int
config_same_link(const struct config *a, const struct config *b)
{
	return a->drive.transport == b->drive.transport &&
	    strcmp(a->drive.host, b->drive.host) == 0 &&
	    a->drive.port == b->drive.port &&
	    strcmp(a->drive.device, b->drive.device) == 0 &&
	    a->drive.baud == b->drive.baud &&
	    a->drive.parity == b->drive.parity &&
	    a->drive.unit_id == b->drive.unit_id &&
	    strcmp(a->map.path, b->map.path) == 0;
}
