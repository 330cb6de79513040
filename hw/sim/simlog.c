/*
 * The event log (-l FILE): one line per event, "t=<monotonic s> ev=...".
 * CLOCK_MONOTONIC is system-wide, so tests can line these up with the
 * daemon's own timestamps.  Warnings go to stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sim.h"

static FILE *evlog;

double
sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
sim_log_open(const char *path)
{
	if ((evlog = fopen(path, "a")) == NULL)
		return -1;
	setvbuf(evlog, NULL, _IOLBF, 0);
	return 0;
}

void
sim_log_close(void)
{
	if (evlog != NULL)
		fclose(evlog);
	evlog = NULL;
}

void
sim_event(const char *fmt, ...)
{
	va_list ap;

	if (evlog == NULL)
		return;
	fprintf(evlog, "t=%.3f ev=", sim_now());
	va_start(ap, fmt);
	vfprintf(evlog, fmt, ap);
	va_end(ap);
	fputc('\n', evlog);
}

void
sim_model_events(const struct sim *s, unsigned ev)
{
	if (ev & SIM_EV_WATCHDOG)
		sim_event("watchdog hb=%u wd_ms=%u", s->model.cmd.heartbeat,
		    s->model.cmd.watchdog_ms);
	if (ev & SIM_EV_STOPPED)
		sim_event("stopped");
	if (ev & SIM_EV_RESET)
		sim_event("reset");
	if (ev & SIM_EV_RUN_EDGE)
		sim_event("run_edge");
}

static void
vwarn(int err, const char *fmt, va_list ap)
{
	fputs("treadsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err != 0)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void
sim_warn(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(err, fmt, ap);
	va_end(ap);
}

void
sim_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, fmt, ap);
	va_end(ap);
}
