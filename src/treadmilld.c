/*
 * treadmilld: the treadmill controller daemon.  Options, signals and the
 * event loop live here; the work is in belt.c and below.
 */
#include <errno.h>
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
#include "log.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

struct daemon_state {
	struct event_base	*base;
	struct belt		 belt;
	struct control		*control;
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
	if (d->watchdog_enabled)
		sd_notify(0, "WATCHDOG=1");
}

static void
on_shutdown_done(struct belt *b)
{
	struct daemon_state *d = (struct daemon_state *)((char *)b -
	    offsetof(struct daemon_state, belt));

	event_base_loopexit(d->base, NULL);
}

static void
reload(struct daemon_state *d)
{
	struct config *nc = calloc(1, sizeof(*nc));
	struct errlist errs = { 0 };

	if (nc == NULL) {
		log_warn("reload");
		return;
	}
	sd_notify(0, "RELOADING=1");
	if (config_load(nc, d->conf_path, &errs) == -1) {
		errlist_log(&errs);
		log_warnx("reload failed: %zu error%s; keeping the running "
		    "configuration", errs.n, errs.n == 1 ? "" : "s");
	} else {
		if (strcmp(nc->control.socket, d->belt.cfg.control.socket))
			log_warnx("reload: control.socket changes at restart");
		snprintf(nc->control.socket, sizeof(nc->control.socket), "%s",
		    d->belt.cfg.control.socket);
		belt_reconfigure(&d->belt, nc);
		log_info("configuration reloaded from %s", d->conf_path);
	}
	sd_notify(0, "READY=1");
	errlist_free(&errs);
	free(nc);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon_state *d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reloading");
		reload(d);
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

int
main(int argc, char *argv[])
{
	struct daemon_state d;
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
	if (check_only) {
		printf("configuration OK\n");
		free(cfg);
		return 0;
	}

	log_init("treadmilld", foreground, level);
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);

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
	d.control = control_open(d.base, cfg->control.socket,
	    commands_dispatch, &d.belt);
	if (d.control == NULL)
		fatalx("cannot open the control socket %s",
		    cfg->control.socket);
	belt_init(&d.belt, d.base, cfg);
	d.belt.on_tick = on_tick;
	d.belt.on_idle_shutdown = on_shutdown_done;
	d.watchdog_enabled = sd_watchdog_enabled(0, &wd_usec) > 0;
	free(cfg);

	log_info("treadmilld %s started, tick %g Hz, control socket %s",
	    VERSION, d.belt.cfg.drive.tick_hz, d.belt.cfg.control.socket);
	event_base_dispatch(d.base);

	log_info("treadmilld exiting");
	control_close(d.control);
	belt_free(&d.belt);
	for (int i = 0; i < 3; i++)
		event_free(sigs[i]);
	event_base_free(d.base);
	return d.exit_code;
}
