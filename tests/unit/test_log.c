/*
 * Unit tests of the log line format (src/util/log.c): the journal gets
 * the syslog priority as the sd-daemon prefix and no time stamp, a
 * terminal gets the local time and no prefix, a file or pipe neither;
 * and stderr is taken for the journal only when JOURNAL_STREAM names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <systemd/sd-daemon.h>

#include "log.h"

static void
test_journal_prefix(void **state)
{
	struct timespec now = { .tv_sec = 1700000000, .tv_nsec = 0 };
	char buf[128];

	(void)state;
	log_format(buf, sizeof(buf), LOG_STYLE_JOURNAL, LOG_WARNING, &now,
	    "STOP: console stop");
	assert_string_equal(buf, SD_WARNING "STOP: console stop");
	log_format(buf, sizeof(buf), LOG_STYLE_JOURNAL, LOG_CRIT, &now, "x");
	assert_string_equal(buf, SD_CRIT "x");
	log_format(buf, sizeof(buf), LOG_STYLE_JOURNAL, LOG_INFO, &now, "x");
	assert_string_equal(buf, SD_INFO "x");
	/* The prefix says debug: no "debug: " word as well. */
	log_format(buf, sizeof(buf), LOG_STYLE_JOURNAL, LOG_DEBUG, &now, "x");
	assert_string_equal(buf, SD_DEBUG "x");
}

static void
test_terminal_time(void **state)
{
	struct timespec now = { .tv_sec = 1700000000, .tv_nsec = 250000000 };
	char buf[128], want[64];
	struct tm tm;

	(void)state;
	localtime_r(&now.tv_sec, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d %H:%M:%S.250 drive link up",
	    &tm);
	log_format(buf, sizeof(buf), LOG_STYLE_TERMINAL, LOG_INFO, &now,
	    "drive link up");
	assert_string_equal(buf, want);
	assert_null(strchr(buf, '<'));
}

static void
test_plain(void **state)
{
	struct timespec now = { .tv_sec = 1700000000, .tv_nsec = 0 };
	char buf[128];

	(void)state;
	log_format(buf, sizeof(buf), LOG_STYLE_PLAIN, LOG_WARNING, &now, "w");
	assert_string_equal(buf, "w");
	log_format(buf, sizeof(buf), LOG_STYLE_PLAIN, LOG_DEBUG, &now, "d");
	assert_string_equal(buf, "debug: d");
}

static void
test_truncated(void **state)
{
	char buf[8];
	size_t n;

	(void)state;
	n = log_format(buf, sizeof(buf), LOG_STYLE_JOURNAL, LOG_WARNING, NULL,
	    "a long message");
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf, "<4>a lo");
}

static void
test_journal_stream(void **state)
{
	struct stat st;
	char env[64];

	(void)state;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	unsetenv("JOURNAL_STREAM");
	assert_false(log_stderr_is_journal());
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	assert_true(log_stderr_is_journal());
	/* Inherited by a child whose stderr went elsewhere: not the journal. */
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", env, 1);
	assert_false(log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "garbage", 1);
	assert_false(log_stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journal_prefix),
		cmocka_unit_test(test_terminal_time),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_journal_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
