/*
 * Logging.  In the foreground every line goes to stderr with a level
 * prefix; as a daemon it goes to syslog.  log_warn appends strerror(errno)
 * the way err(3) does, log_warnx does not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int log_foreground = 1;
static int log_level = LOG_LVL_INFO;
static const char *const level_names[] = { "warning", "info", "debug" };

void
log_init(const char *progname, int foreground, int level)
{
	log_foreground = foreground;
	log_level = level;
	if (!foreground)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(int level)
{
	if (level >= LOG_LVL_WARN && level <= LOG_LVL_DEBUG)
		log_level = level;
}

int
log_get_level(void)
{
	return log_level;
}

const char *
log_level_name(int level)
{
	if (level < LOG_LVL_WARN || level > LOG_LVL_DEBUG)
		return "unknown";
	return level_names[level];
}

int
log_level_parse(const char *name)
{
	if (strcmp(name, "warn") == 0)
		return LOG_LVL_WARN;
	for (int i = LOG_LVL_WARN; i <= LOG_LVL_DEBUG; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

static void
vlog(int lvl, int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];

	if (lvl > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_foreground) {
		fprintf(stderr, "%s%s%s%s\n", lvl == LOG_LVL_WARN ? "" :
		    lvl == LOG_LVL_DEBUG ? "debug: " : "", msg,
		    suffix ? ": " : "", suffix ? suffix : "");
		fflush(stderr);
	} else
		syslog(pri, "%s%s%s", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
}

void
log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, LOG_WARNING, fmt, ap, e);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_INFO, LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_DEBUG, LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, LOG_CRIT, fmt, ap, e);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_WARN, LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
