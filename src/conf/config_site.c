/*
 * The daemon's own groups of treadmilld.conf: who it runs as and its
 * name, where the profiles and the history are, its control socket, and
 * the guest session.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cfgutil.h"
#include "config_sections.h"

static const char *const daemon_keys[] = {
	"name", "user", "group", NULL
};
static const char *const profiles_keys[] = { "dir", NULL };
static const char *const history_keys[] = {
	"backend", "path", "conninfo_file", "spool", "stale_minutes",
	"connect_timeout_s", "module", NULL
};
static const char *const backends[] = { "sqlite", "postgresql", NULL };
static const char *const control_keys[] = {
	"socket", "staff_group", "group", "max_clients", "idle_timeout_s",
	"max_output_kb", "pin_lockout_min", NULL
};
static const char *const session_keys[] = {
	"speed", "incline", "minutes", "max_speed", "require_checkin", NULL
};

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
	cfg_bool(g, "require_checkin", true, &c->session.require_checkin, f,
	    e);
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

	cfg_choice(g, "backend", "history backend", backends,
	    c->history.backend, sizeof(c->history.backend), f, e);
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
	cfg_string(g, "module", false, HISTPGMOD, c->history.module,
	    sizeof(c->history.module), f, e);
	m = g ? config_setting_get_member(g, "module") : NULL;
	if (m != NULL) {
		snprintf(c->history.module_src, sizeof(c->history.module_src),
		    "%s", cfg_file(m, f));
		c->history.module_line = cfg_line(m);
	}
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

void
config_parse_site(struct config *c, const config_setting_t *root,
    const char *f, struct errlist *e)
{
	parse_control(c, root, f, e);
	parse_session(c, root, f, e);
	parse_daemon(c, root, f, e);
}
