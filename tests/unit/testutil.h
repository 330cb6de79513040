/*
 * Temporary fixture files for the unit tests: a private directory for
 * the group, a file written with given text, a base file with some of
 * its lines replaced, and a load whose errors must be exactly the ones
 * expected, each "<path>" followed by a given tail ("file:line: message").
 * And where make put what a test loads: the workout plugins, the test
 * plugins.
 */
#ifndef TREAD_TESTUTIL_H
#define TREAD_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "errlist.h"
#include "treadmill/plugin.h"

struct tu_edit {
	int		 line;	/* 1-based; past the end appends */
	const char	*text;	/* replaces the line ("" blanks it) */
};

/* The group's temporary directory, made by tu_mkdir. */
extern char tu_dir[64];

/* Group setup and teardown: /tmp/NAME.XXXXXX into tu_dir; 0 or -1. */
int	 tu_mkdir(const char *name);
int	 tu_rmdir(void);

/* Write text to dir/name (dir NULL: tu_dir; name NULL: a fresh name made
 * with mkstemp); the file's path goes to path. */
void	 tu_write(const char *dir, const char *name, const char *text,
	    char *path, size_t len);

/* base[0] .. base[nbase - 1], one a line, with the edits applied; the
 * caller frees it. */
char	*tu_edit_lines(const char *const *base, int nbase,
	    const struct tu_edit *ed, size_t ned);

/* Load path, as a test's loader does: 0, or -1 with the errors in e. */
typedef int tu_load_fn(const char *path, struct errlist *e);

/* Load path: it must fail with exactly "<path>" + want[i], in order, or
 * load when nwant is 0.  With remove, the file is unlinked before
 * anything is asserted.  On a difference both lists are printed. */
void	 tu_expect_errors(const char *path, tu_load_fn *load, bool remove,
	    const char *const *want, size_t nwant);

/* Write text to tu_dir/name (NULL: a fresh name), load it, remove it,
 * and compare the errors as tu_expect_errors does. */
void	 tu_expect_text(const char *name, const char *text, tu_load_fn *load,
	    const char *const *want, size_t nwant);

/*
 * BUILD/sub, BUILD being the directory this test binary was built in
 * (BUILD/tests/test_NAME: build, or build-san under SANITIZE=1); or
 * build/sub when that cannot be read.
 */
void	 tu_build_path(const char *sub, char *buf, size_t len);

/* The workout plugins as built: $TM_PLUGIN_DIR, or BUILD/plugins. */
void	 tu_plugin_dir(char *buf, size_t len);

/* dlopen the workout plugin NAME.so from tu_plugin_dir (the handle goes
 * to *handle) and return its entry point; the test fails without one. */
tm_plugin_entry tu_plugin_entry(const char *name, void **handle);

#endif
