/*
 * Unit tests of the shared history's connection string
 * (src/history/history_pg_conninfo.c): the conninfo file is read only
 * when it is a regular file, up to its documented size.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
