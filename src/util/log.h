/* Logging: stderr in the foreground, syslog as a daemon, with levels. */
#ifndef TREAD_LOG_H
#define TREAD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

enum log_level { LOG_LVL_WARN = 0, LOG_LVL_INFO = 1, LOG_LVL_DEBUG = 2 };

void log_init(const char *progname, int foreground, int level);
void log_set_level(int level);
int log_get_level(void);
const char *log_level_name(int level);
int log_level_parse(const char *name);	/* -1 if unknown */

/* How a foreground line starts: nothing (a file or a pipe), the syslog
 * priority for the journal ("<4>"), or the local time on a terminal. */
enum log_style { LOG_STYLE_PLAIN, LOG_STYLE_JOURNAL, LOG_STYLE_TERMINAL };
/* Is stderr the journal stream systemd names in JOURNAL_STREAM? */
int log_stderr_is_journal(void);
/* One line (no newline) into buf; pri is a syslog LOG_* priority.
 * Returns its length. */
size_t log_format(char *buf, size_t len, int style, int pri,
    const struct timespec *now, const char *msg);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
