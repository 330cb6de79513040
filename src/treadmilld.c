/*
 * treadmilld: the treadmill controller daemon.  Options, signals and the
 * event loop live here; the work is in belt.c and below.
 */
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "belt.h"
#include "commands.h"
#include "config.h"
#include "control.h"
#include "fleet.h"
#include "footprint.h"
#include "history_conf.h"
#include "log.h"
#include "plugin_check.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

struct daemon_state {
	double			 last_wd_ping;
	double			 wd_interval;	/* s between pings */
	struct event_base	*base;
	struct belt		 belt;
	struct control		*control;
	struct fleet		*fleet;
	const char		*conf_path;
	int			 notified_ready;
	int			 watchdog_enabled;
	int			 exit_code;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: treadmilld [-dfhnV] [-c file]\n"
	    "  -c file  configuration file (default %s)\n"
	    "  -d       debug logging\n"
	    "  -f       stay in the foreground, log to stderr\n"
	    "  -n       check the configuration and exit (0 OK, 1 errors)\n"
	    "  -h       this help\n"
	    "  -V       print the version\n", CONFIG_DEFAULT_PATH);
}

/* Run from the loop after every tick: systemd's watchdog and READY. */
static void
on_tick(struct belt *b)
{
	struct daemon_state *d = (struct daemon_state *)((char *)b -
	    offsetof(struct daemon_state, belt));

	if (!d->notified_ready && b->drive.connected) {
		sd_notify(0, "READY=1\nSTATUS=drive link up");
		d->notified_ready = 1;
	}
	/* Ping only while the loop really runs: a stall gets us restarted. */
	if (d->watchdog_enabled && monotime() - d->last_wd_ping >=
	    d->wd_interval) {
		sd_notify(0, "WATCHDOG=1");
		d->last_wd_ping = monotime();
	}
}

static void
on_shutdown_done(struct belt *b)
{
	struct daemon_state *d = (struct daemon_state *)((char *)b -
	    offsetof(struct daemon_state, belt));

	event_base_loopexit(d->base, NULL);
}

static void
control_limits_of(const struct config *c, struct control_limits *l)
{
	l->max_clients = c->control.max_clients;
	l->idle_timeout_s = c->control.idle_timeout_s;
	l->max_output = (size_t)c->control.max_output_kb * 1024;
	snprintf(l->group, sizeof(l->group), "%s", c->control.group);
}

/* The verdict on a reload that applied, naming the profiles it could not. */
static void
partial_verdict(char *buf, size_t len, const struct profile_reload *r)
{
	int n = 0;

	if (r->nkept > 0)
		n = snprintf(buf, len, "; kept the running version of "
		    "profile%s %s", r->nkept == 1 ? "" : "s", r->kept);
	if (r->nskipped > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "; did not load new "
		    "profile%s %s", r->nskipped == 1 ? "" : "s", r->skipped);
}

/*
 * Reload treadmilld.conf and the runner profiles.  A treadmilld.conf
 * with errors (the plugins' settings included) keeps the whole running
 * configuration; otherwise every good profile applies, a bad one keeps
 * its running version and a bad new one is not loaded.  Errors and the
 * verdict go to the log and to errs and verdict (for `treadctl reload`):
 * -1 unless everything applied, so that systemctl reload fails.
 */
static int
reload(void *arg, struct errlist *errs, char *verdict, size_t vlen)
{
	struct daemon_state *d = arg;
	struct control_limits lim;
	struct config *nc = calloc(1, sizeof(*nc));
	struct profile_reload r;
	char except[560] = "";
	size_t n;
	int rc = 0;

	verdict[0] = '\0';
	if (nc == NULL) {
		log_warn("reload");
		snprintf(verdict, vlen, "reload: out of memory");
		return -1;
	}
	sd_notify(0, "RELOADING=1");
	if (config_reload(nc, d->conf_path, &d->belt.cfg.runners, &r,
	    errs) == -1 || plugin_check_conf(nc, errs) == -1) {
		config_free(nc);
		errlist_log(errs);
		snprintf(verdict, vlen, "reload refused: %zu "
		    "error%s; keeping the running configuration", errs->n,
		    errs->n == 1 ? "" : "s");
		rc = -1;
		log_warnx("%s", verdict);
		ctr_reload(&d->belt.ctr, 0);
	} else {
		errlist_log(errs);
		if (strcmp(nc->control.socket, d->belt.cfg.control.socket))
			log_warnx("reload: control.socket changes at restart");
		snprintf(nc->control.socket, sizeof(nc->control.socket), "%s",
		    d->belt.cfg.control.socket);
		if (memcmp(&nc->http, &d->belt.cfg.http, sizeof(nc->http)) ||
		    memcmp(&nc->mqtt, &d->belt.cfg.mqtt, sizeof(nc->mqtt)))
			log_warnx("reload: http and mqtt settings change at "
			    "restart");
		control_limits_of(nc, &lim);
		control_set_limits(d->control, &lim);
		belt_reconfigure(&d->belt, nc);
		belt_open_history(&d->belt);
		ctr_reload(&d->belt.ctr, 1);
		partial_verdict(except, sizeof(except), &r);
		n = d->belt.cfg.runners.n;
		if (except[0] != '\0') {
			snprintf(verdict, vlen, "reloaded with %zu "
			    "runner profile%s, but %zu error%s%s", n,
			    n == 1 ? "" : "s", errs->n,
			    errs->n == 1 ? "" : "s", except);
			log_warnx("configuration %s", verdict);
			rc = -1;
		} else {
			log_info("configuration reloaded from %s (%zu runner "
			    "profile%s)", d->conf_path, n, n == 1 ? "" : "s");
			snprintf(verdict, vlen, "configuration reloaded (%zu "
			    "runner profile%s)", n, n == 1 ? "" : "s");
		}
	}
	sd_notify(0, "READY=1");
	free(nc);
	return rc;
}

/* SIGHUP: the same reload; the log has the errors and the verdict. */
static void
reload_on_signal(struct daemon_state *d)
{
	struct errlist errs = { 0 };
	char verdict[700];

	(void)reload(d, &errs, verdict, sizeof(verdict));
	errlist_free(&errs);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon_state *d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reloading");
		reload_on_signal(d);
		break;
	case SIGINT:
	case SIGTERM:
		if (d->belt.shutting_down) {
			log_warnx("second signal: stopping the belt now");
			belt_stop(&d->belt, STOP_SOFTWARE, "shutdown");
			event_base_loopexit(d->base, NULL);
			break;
		}
		log_info("%s: shutting down", strsignal((int)sig));
		sd_notify(0, "STOPPING=1");
		belt_shutdown(&d->belt);
		break;
	}
}

/* The socket's directory (e.g. /run/treadmilld) when not made by systemd. */
static void
make_socket_dir(const char *sock)
{
	char buf[512], *dir;

	snprintf(buf, sizeof(buf), "%s", sock);
	dir = dirname(buf);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		log_warn("mkdir %s", dir);
}

/*
 * Started as root without systemd: the serial device and the socket are
 * open, so give up root for the configured user.  The drop is checked:
 * a daemon that thinks it dropped and did not is worse than one that
 * refuses to start.
 */
static void
drop_privileges(const struct config *c)
{
	struct passwd *pw;
	struct group *gr;
	char buf[512];
	gid_t gid;

	if (c->daemon.user[0] == '\0' || strcmp(c->daemon.user, "root") == 0) {
		log_warnx("running as root: set daemon.user to drop privileges");
		return;
	}
	if ((pw = getpwnam(c->daemon.user)) == NULL)
		fatalx("daemon.user '%s' does not exist: create it (make "
		    "install does) or change daemon.user", c->daemon.user);
	gid = pw->pw_gid;
	if (c->daemon.group[0] != '\0') {
		if ((gr = getgrnam(c->daemon.group)) == NULL)
			fatalx("daemon.group '%s' does not exist",
			    c->daemon.group);
		gid = gr->gr_gid;
	}
	/* The socket's directory must stay ours to remove the socket. */
	snprintf(buf, sizeof(buf), "%s", c->control.socket);
	if (chown(dirname(buf), pw->pw_uid, gid) == -1)
		log_warn("chown %s", buf);
	if (initgroups(pw->pw_name, gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("dropping privileges to %s", c->daemon.user);
	if (getuid() == 0 || geteuid() == 0 || setuid(0) != -1)
		fatalx("privileges were not dropped");
	log_info("running as user %s", c->daemon.user);
}

int
main(int argc, char *argv[])
{
	struct daemon_state d;
	struct control_limits lim;
	struct config *cfg;
	struct errlist errs = { 0 };
	struct event *sigs[3];
	struct event_config *ecfg;
	int ch, foreground = 0, check_only = 0, level = LOG_LVL_INFO;
	uint64_t wd_usec;
	const int signals[3] = { SIGHUP, SIGINT, SIGTERM };

	memset(&d, 0, sizeof(d));
	d.conf_path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt(argc, argv, "c:dfhnV")) != -1) {
		switch (ch) {
		case 'c':
			d.conf_path = optarg;
			break;
		case 'd':
			level = LOG_LVL_DEBUG;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'n':
			check_only = 1;
			break;
		case 'V':
			printf("treadmilld %s\n", VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		perror("treadmilld");
		return 1;
	}
	if (config_load(cfg, d.conf_path, &errs) == -1) {
		errlist_print(&errs, stderr);
		fprintf(stderr, "treadmilld: %zu error%s in the configuration\n",
		    errs.n, errs.n == 1 ? "" : "s");
		errlist_free(&errs);
		free(cfg);
		return 1;
	}
	/* -n also asks the plugins about their settings, and reaches the
	 * shared history, so that a wrong password or host shows now; at
	 * start-up the same problems only keep a plugin's sessions from
	 * starting, or the rows in the spool, and the belt runs. */
	if (check_only)
		(void)plugin_check_conf(cfg, &errs);
	if (check_only && (history_check_config(cfg, &errs) == -1 ||
	    errs.n > 0)) {
		errlist_print(&errs, stderr);
		fprintf(stderr, "treadmilld: %zu error%s in the configuration\n",
		    errs.n, errs.n == 1 ? "" : "s");
		errlist_free(&errs);
		config_free(cfg);
		free(cfg);
		return 1;
	}
	if (check_only) {
		printf("configuration OK\n");
		config_free(cfg);
		free(cfg);
		return 0;
	}

	log_init("treadmilld", foreground, level);
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);
	footprint_init();

	/* Precise timers: the tick must not drift by the kernel's slack. */
	ecfg = event_config_new();
	event_config_set_flag(ecfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	d.base = event_base_new_with_config(ecfg);
	event_config_free(ecfg);
	if (d.base == NULL)
		fatalx("cannot create the event loop");

	for (int i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(d.base, signals[i], on_signal, &d);
		event_add(sigs[i], NULL);
	}
	if (geteuid() == 0)
		make_socket_dir(cfg->control.socket);
	control_limits_of(cfg, &lim);
	d.control = control_open(d.base, cfg->control.socket, &lim,
	    commands_dispatch, &d.belt);
	if (d.control == NULL)
		fatalx("cannot open the control socket %s",
		    cfg->control.socket);
	belt_init(&d.belt, d.base, cfg);
	commands_set_reload(reload, &d);
	d.belt.on_tick = on_tick;
	d.belt.on_idle_shutdown = on_shutdown_done;
	if (geteuid() == 0 && getenv("NOTIFY_SOCKET") == NULL) {
		/* Open the serial line while still allowed to. */
		if (cfg->drive.transport == TRANSPORT_RTU)
			drive_poll_connect(&d.belt.drive, monotime());
		drop_privileges(cfg);
	}
	belt_open_history(&d.belt);
	/* Bad plugin settings keep only that plugin's sessions from
	 * starting: say so now, not when a runner is on the belt. */
	if (plugin_check_conf(&d.belt.cfg, &errs) == -1) {
		errlist_log(&errs);
		errlist_free(&errs);
	}
	d.fleet = fleet_open(&d.belt);
	d.watchdog_enabled = sd_watchdog_enabled(0, &wd_usec) > 0;
	/* Four pings per watchdog period: one late tick is no restart. */
	d.wd_interval = d.watchdog_enabled ? wd_usec / 4e6 : 0;
	free(cfg);		/* the belt owns its contents now */
	/* What starting freed (the history's check reads the whole file)
	 * goes back to the system instead of staying resident. */
	malloc_trim(0);

	log_info("treadmilld %s started, tick %g Hz, control socket %s",
	    VERSION, d.belt.cfg.drive.tick_hz, d.belt.cfg.control.socket);
	event_base_dispatch(d.base);

	log_info("treadmilld exiting");
	/* Requests still on the worker use the belt's history. */
	commands_close();
	control_close(d.control);
	fleet_close(d.fleet);
	belt_free(&d.belt);
	for (int i = 0; i < 3; i++)
		event_free(sigs[i]);
	event_base_free(d.base);
	return d.exit_code;
}
