/*
 * treadsim: a simulated treadmill drive serving the Modbus contract of
 * shared/spec/reference-drive.md over TCP or RTU, in the foreground.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "sim.h"

#define TICK_US		10000	/* physics step */
#define DEFAULT_TCP	"127.0.0.1:1502"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: treadsim [-t ADDR:PORT | -r DEVICE] [-b BAUD] [-p N|E|O] [-u UNIT_ID]\n"
"                [-m reference|vfd] [-c CTL_SOCKET] [-l LOG_FILE]\n"
"                [-w WATCHDOG_MS_AT_POWER_ON]\n"
"       treadsim ctl -c CTL_SOCKET COMMAND [ARGS...]\n"
"\n"
"  -t ADDR:PORT  Modbus TCP server (default " DEFAULT_TCP "; port 0 picks one)\n"
"  -r DEVICE     Modbus RTU on DEVICE instead of TCP\n"
"  -b BAUD       RTU baud rate (default 19200)\n"
"  -p N|E|O      RTU parity (default N; 8 data bits, 1 stop bit)\n"
"  -u UNIT_ID    Modbus unit id served (default 1)\n"
"  -m MODE       register layout: reference (default) or vfd\n"
"  -c PATH       control socket (see \"treadsim ctl -c PATH help\")\n"
"  -l FILE       append one line per event to FILE\n"
"  -w MS         watchdog_ms at power-on (default 1000, 0 off)\n"
"  -h, --help    this help\n");
}

static int
parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return end == s || *end != '\0' || errno != 0 || *v < min ||
	    *v > max ? -1 : 0;
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim *s = arg;

	(void)fd;
	(void)what;
	sim_model_events(s, sim_model_tick(&s->model, sim_now()));
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sim *s = arg;

	(void)what;
	switch (sig) {
	case SIGINT:
	case SIGTERM:
		sim_event("signal sig=%d", (int)sig);
		event_base_loopexit(s->base, NULL);
		break;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sim_server_opts so = { NULL, NULL, 19200, 'N' };
	struct sim s;
	struct sim_cmd poweron;
	struct event *tick = NULL, *sigint = NULL, *sigterm = NULL;
	struct timeval tv = { 0, TICK_US };
	const char *ctlpath = NULL, *logpath = NULL;
	enum sim_mode mode = SIM_MODE_REF;
	char desc[300];
	long v, unit = 1, wd = SIM_POWERON_WD_MS;
	int ch, rc = 1;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return sim_ctl_client(argc - 1, argv + 1);

	while ((ch = getopt_long(argc, argv, "t:r:b:p:u:m:c:l:w:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			so.tcp = optarg;
			break;
		case 'r':
			so.device = optarg;
			break;
		case 'b':
			if (parse_long(optarg, 50, 4000000, &v) == -1)
				goto bad;
			so.baud = (int)v;
			break;
		case 'p':
			if (strlen(optarg) != 1 ||
			    strchr("NEOneo", optarg[0]) == NULL)
				goto bad;
			so.parity = (char)(optarg[0] & ~0x20);
			break;
		case 'u':
			if (parse_long(optarg, 0, 255, &unit) == -1)
				goto bad;
			break;
		case 'm':
			if (sim_mode_parse(optarg, &mode) == -1)
				goto bad;
			break;
		case 'c':
			ctlpath = optarg;
			break;
		case 'l':
			logpath = optarg;
			break;
		case 'w':
			if (parse_long(optarg, 0, 65535, &wd) == -1)
				goto bad;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (so.tcp != NULL && so.device != NULL)) {
		usage(stderr);
		return 2;
	}
	if (so.device == NULL && so.tcp == NULL)
		so.tcp = DEFAULT_TCP;
	if (so.device != NULL && (unit < 1 || unit > 247)) {
		sim_warnx("-u %ld: an RTU unit id is 1..247", unit);
		return 2;
	}

	signal(SIGPIPE, SIG_IGN);
	memset(&s, 0, sizeof(s));
	s.unit = (int)unit;
	sim_regs_init(&s.regs, mode, (uint16_t)wd);
	sim_regs_decode(&s.regs, &poweron);
	sim_model_init(&s.model, &poweron, sim_now());

	if (logpath != NULL && sim_log_open(logpath) == -1) {
		sim_warn("%s", logpath);
		return 1;
	}
	if ((s.base = event_base_new()) == NULL) {
		sim_warnx("event_base_new failed");
		goto out;
	}
	if (ctlpath != NULL && sim_ctl_open(&s, ctlpath) == -1)
		goto out;
	if (sim_server_open(&s, &so, desc, sizeof(desc)) == -1)
		goto out;

	tick = event_new(s.base, -1, EV_PERSIST, tick_cb, &s);
	sigint = evsignal_new(s.base, SIGINT, signal_cb, &s);
	sigterm = evsignal_new(s.base, SIGTERM, signal_cb, &s);
	if (tick == NULL || sigint == NULL || sigterm == NULL ||
	    event_add(tick, &tv) == -1 || event_add(sigint, NULL) == -1 ||
	    event_add(sigterm, NULL) == -1) {
		sim_warnx("event setup failed");
		goto out;
	}

	sim_event("start listen=\"%s\" unit=%d mode=%s wd_ms=%ld", desc,
	    s.unit, s.regs.lay->name, wd);
	printf("treadsim: listening on %s unit %d mode %s\n", desc, s.unit,
	    s.regs.lay->name);
	fflush(stdout);

	if (event_base_dispatch(s.base) == -1)
		sim_warnx("event loop failed");
	else
		rc = 0;
	sim_event("exit");
out:
	if (tick != NULL)
		event_free(tick);
	if (sigint != NULL)
		event_free(sigint);
	if (sigterm != NULL)
		event_free(sigterm);
	sim_server_close(&s);
	sim_ctl_close(&s);
	if (s.base != NULL)
		event_base_free(s.base);
	libevent_global_shutdown();
	sim_log_close();
	return rc;
bad:
	sim_warnx("bad value for -%c: %s", ch, optarg);
	usage(stderr);
	return 2;
}
