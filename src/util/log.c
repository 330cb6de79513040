/*
 * Logging.  In the foreground every line goes to stderr; as a daemon it
 * goes to syslog.  log_warn appends strerror(errno) the way err(3) does,
 * log_warnx does not.
 *
 * Under systemd (-f, stderr connected to the journal, which systemd
 * announces in JOURNAL_STREAM) each line starts with its syslog priority
 * in the sd-daemon form, "<4>", which journald reads and strips: one
 * write path, lines in the order written, and the journal's own time
 * stamp.  On a terminal each line starts with the local time instead.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int log_foreground = 1;
static int log_level = LOG_LVL_INFO;
static int log_style = LOG_STYLE_PLAIN;
static const char *const level_names[] = { "warning", "info", "debug" };

int
log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	if (js == NULL || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *progname, int foreground, int level)
{
	log_foreground = foreground;
	log_level = level;
	if (!foreground)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (log_stderr_is_journal())
		log_style = LOG_STYLE_JOURNAL;
	else if (isatty(STDERR_FILENO))
		log_style = LOG_STYLE_TERMINAL;
	else
		log_style = LOG_STYLE_PLAIN;
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

/*
 * Append to the line in buf (n bytes of len so far): the one way every
 * piece of a line is written.  A piece that does not fit goes in whole
 * or not at all when whole (a prefix), else cut short (the message).
 * Returns the line's new length.
 */
static size_t __attribute__((format(printf, 5, 0)))
vaddf(char *buf, size_t len, size_t n, bool whole, const char *fmt,
    va_list ap)
{
	int k = vsnprintf(buf + n, len - n, fmt, ap);

	if (k >= 0 && (size_t)k < len - n)
		return n + (size_t)k;
	if (k < 0 || whole) {
		buf[n] = '\0';
		return n;
	}
	return len - 1;
}

static size_t __attribute__((format(printf, 5, 6)))
addf(char *buf, size_t len, size_t n, bool whole, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	n = vaddf(buf, len, n, whole, fmt, ap);
	va_end(ap);
	return n;
}

size_t
log_format(char *buf, size_t len, int style, int pri,
    const struct timespec *now, const char *msg)
{
	char stamp[32];
	struct tm tm;
	size_t n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (style == LOG_STYLE_JOURNAL)
		/* The sd-daemon prefix: <0> (SD_EMERG) .. <7> (SD_DEBUG). */
		n = addf(buf, len, n, true, "<%d>", pri & LOG_PRIMASK);
	else if (style == LOG_STYLE_TERMINAL && now != NULL &&
	    localtime_r(&now->tv_sec, &tm) != NULL &&
	    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm) > 0)
		n = addf(buf, len, n, true, "%s.%03ld ", stamp,
		    (long)(now->tv_nsec / 1000000));
	/* Without a priority prefix a debug line says what it is. */
	return addf(buf, len, n, false, "%s%s", style != LOG_STYLE_JOURNAL &&
	    pri == LOG_DEBUG ? "debug: " : "", msg);
}

static void
vlog(int lvl, int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024], line[1100];
	struct timespec now;
	size_t n;

	if (lvl > log_level)
		return;
	n = vaddf(msg, sizeof(msg), 0, false, fmt, ap);
	if (suffix != NULL)
		addf(msg, sizeof(msg), n, false, ": %s", suffix);
	if (log_foreground) {
		clock_gettime(CLOCK_REALTIME, &now);
		log_format(line, sizeof(line), log_style, pri, &now, msg);
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	} else
		syslog(pri, "%s", msg);
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
