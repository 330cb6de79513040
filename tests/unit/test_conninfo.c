/*
 * Unit tests of the shared history's connection string
 * (src/history/history_pg_conninfo.c): the conninfo file is read only
 * when it is a regular file, up to its documented size (4096 bytes); and
 * every password written in it, however long and however many, and in
 * whatever form (quoted, in a URI, percent-encoded), is masked in the
 * messages.
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
	return hist_pg_read_conninfo(path, getuid(), err, errlen);
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

/* ---- masking ------------------------------------------------------------ */

/* msg, masked after ci was seen, must read want. */
static void
expect_masked(const char *ci, const char *msg, const char *want)
{
	struct hist_pg_info info;
	char buf[2048];

	memset(&info, 0, sizeof(info));
	hist_pg_find_secrets(ci, &info);
	snprintf(buf, sizeof(buf), "%s", msg);
	hist_pg_mask(&info, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* More than four password= settings: every one of them is masked. */
static void
test_mask_repeated(void **state)
{
	(void)state;
	expect_masked("host=db.gym password=rpA1 password=rpB2 "
	    "password=rpC3 password=rpD4 password=rpE5 password=rpF6",
	    "db.gym rpA1 rpB2 rpC3 rpD4 rpE5 rpF6 end",
	    "db.gym ***** ***** ***** ***** ***** ***** end");
}

/* A password longer than 127 bytes is masked whole. */
static void
test_mask_long(void **state)
{
	char ci[512], pw[301], msg[600];

	(void)state;
	for (int i = 0; i < 300; i++)
		pw[i] = (char)('a' + i % 26);
	pw[300] = '\0';
	pw[0] = 'L';
	snprintf(ci, sizeof(ci), "host=db.gym password=%s", pw);
	snprintf(msg, sizeof(msg), "before %s after", pw);
	expect_masked(ci, msg, "before ***** after");
}

/* A URI's user:password@, percent-encoded or not, and its query. */
static void
test_mask_uri(void **state)
{
	(void)state;
	expect_masked("postgresql://gym:uS3cr%40t@db.gym:5432/gym",
	    "raw uS3cr%40t decoded uS3cr@t host db.gym user gym",
	    "raw ***** decoded ***** host db.gym user gym");
	expect_masked("postgres://gym@db.gym/gym?password=q%20Pw&sslmode="
	    "disable", "raw q%20Pw decoded q Pw sslmode disable",
	    "raw ***** decoded ***** sslmode disable");
}

/* A quoted value, with an escaped quote: masked as libpq reads it. */
static void
test_mask_quoted(void **state)
{
	(void)state;
	expect_masked("host=db.gym password = 'qu ot\\'ed' user=gym",
	    "decoded qu ot'ed user gym", "decoded ***** user gym");
}

/* One password the start of another: the longer is masked whole. */
static void
test_mask_prefix(void **state)
{
	(void)state;
	expect_masked("password=pfx0 password=pfx0LONGER",
	    "a pfx0LONGER b pfx0 c", "a ***** b ***** c");
}

/* Masking stays within the buffer and leaves no part of a password. */
static void
test_mask_bounds(void **state)
{
	struct hist_pg_info info;
	char buf[12];

	(void)state;
	memset(&info, 0, sizeof(info));
	hist_pg_find_secrets("password=bnd9", &info);
	snprintf(buf, sizeof(buf), "abcdefgbnd9");
	hist_pg_mask(&info, buf, sizeof(buf));
	assert_null(strstr(buf, "bnd"));
	assert_true(strncmp(buf, "abcdef", 6) == 0 && strchr(buf, '*'));
	assert_true(strlen(buf) < sizeof(buf));
	snprintf(buf, sizeof(buf), "bnd9bnd9bnd");
	hist_pg_mask(&info, buf, sizeof(buf));
	assert_null(strstr(buf, "bnd9"));
	assert_true(strlen(buf) < sizeof(buf));
}

/*
 * A conninfo file edited again and again: the remembered passwords stay
 * bounded (the oldest are forgotten), and every password of the string
 * in use is masked, also one with more passwords than the bound.
 */
static void
test_mask_many_files(void **state)
{
	char ci[64], many[200 * 16], *p = many;

	(void)state;
	for (int i = 0; i < 300; i++) {
		snprintf(ci, sizeof(ci), "host=db password=pw%03d", i);
		expect_masked(ci, ci, "host=db password=*****");
	}
	/* pw000 was forgotten long ago: the list did not keep growing. */
	expect_masked("host=db password=pw299", "pw000 pw299", "pw000 *****");
	for (int i = 0; i < 200; i++)
		p += sprintf(p, "password=q%03d ", i);
	expect_masked(many, "q000 q123 q199", "***** ***** *****");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_refused),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_mask_repeated),
		cmocka_unit_test(test_mask_long),
		cmocka_unit_test(test_mask_uri),
		cmocka_unit_test(test_mask_quoted),
		cmocka_unit_test(test_mask_prefix),
		cmocka_unit_test(test_mask_bounds),
		cmocka_unit_test(test_mask_many_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
