/*
 * Unit tests of the shared history's connection string
 * (src/history/history_pg_conninfo.c): the conninfo file is read only
 * when it is a regular file, up to its documented size (4096 bytes).
 *
 * No server is needed: nothing here connects.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "history_pg.h"
#include "testutil.h"

static int
setup(void **state)
{
	(void)state;
	return tu_mkdir("test_conninfo");
}

static int
teardown(void **state)
{
	(void)state;
	return tu_rmdir();
}

/* ---- the conninfo file -------------------------------------------------- */

/* Read path as the daemon would, as its owner; the error goes to err. */
static char *
read_ci(const char *path, char *err, size_t errlen)
{
	err[0] = '\0';
	return hpg_read_conninfo(path, getuid(), err, errlen);
}

/*
 * A FIFO (or anything else not a regular file) is refused at once, by
 * name: opening one to read would wait for a writer, forever.  The
 * alarm fails the test instead of hanging it.
 */
static void
test_fifo_refused(void **state)
{
	char path[256], err[512], want[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/pg.fifo", tu_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(5);
	assert_null(read_ci(path, err, sizeof(err)));
	alarm(0);
	snprintf(want, sizeof(want), "history.conninfo_file %s is not a "
	    "regular file (it is a FIFO)", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);

	/* a directory likewise */
	snprintf(path, sizeof(path), "%s/pg.d", tu_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(read_ci(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "history.conninfo_file %s is not a "
	    "regular file (it is a directory)", path);
	assert_string_equal(err, want);
	assert_int_equal(rmdir(path), 0);
}

/* A file of exactly size bytes: a comment line as padding, then ci. */
static void
write_sized(const char *ci, size_t size, char *path, size_t len)
{
	char *text = malloc(size + 1);
	size_t n = strlen(ci);

	assert_non_null(text);
	assert_true(size >= n + 3);
	text[0] = '#';
	memset(text + 1, 'x', size - n - 2);
	text[size - n - 1] = '\n';
	memcpy(text + size - n, ci, n + 1);
	assert_int_equal(strlen(text), size);
	tu_write(NULL, NULL, text, path, len);
	free(text);
}

/* 4096 bytes are read; 4097 are refused, saying the limit. */
static void
test_size_limit(void **state)
{
	const char *ci = "host=db.gym dbname=gym user=tm password=pw4096";
	char path[256], err[512], want[512], *got;

	(void)state;
	write_sized(ci, 4096, path, sizeof(path));
	got = read_ci(path, err, sizeof(err));
	if (got == NULL)
		fail_msg("4096 bytes refused: %s", err);
	assert_string_equal(got, ci);
	free(got);
	assert_int_equal(unlink(path), 0);

	write_sized(ci, 4097, path, sizeof(path));
	assert_null(read_ci(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "history.conninfo_file %s is longer "
	    "than 4096 bytes", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);

	/* far longer: refused the same way, not read whole */
	write_sized(ci, 100000, path, sizeof(path));
	assert_null(read_ci(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "history.conninfo_file %s is longer "
	    "than 4096 bytes", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_refused),
		cmocka_unit_test(test_size_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
