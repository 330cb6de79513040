/*
 * Temporary fixture files for the unit tests, and where make put what a
 * test loads (testutil.h).
 */
#include <dlfcn.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

char tu_dir[64];

int
tu_mkdir(const char *name)
{
	snprintf(tu_dir, sizeof(tu_dir), "/tmp/%s.XXXXXX", name);
	return mkdtemp(tu_dir) == NULL ? -1 : 0;
}

int
tu_rmdir(void)
{
	return rmdir(tu_dir);
}

void
tu_write(const char *dir, const char *name, const char *text, char *path,
    size_t len)
{
	size_t n = strlen(text);
	int fd;

	if (dir == NULL)
		dir = tu_dir;
	if (name == NULL) {
		snprintf(path, len, "%s/tmp.XXXXXX", dir);
		fd = mkstemp(path);
	} else {
		snprintf(path, len, "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	}
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

char *
tu_edit_lines(const char *const *base, int nbase, const struct tu_edit *ed,
    size_t ned)
{
	size_t cap = 256, len = 0, n;
	char *buf = malloc(cap);
	int last = nbase;

	assert_non_null(buf);
	buf[0] = '\0';
	for (size_t k = 0; k < ned; k++)
		if (ed[k].line > last)
			last = ed[k].line;
	for (int line = 1; line <= last; line++) {
		const char *t = line <= nbase ? base[line - 1] : "";

		for (size_t k = 0; k < ned; k++)
			if (ed[k].line == line)
				t = ed[k].text;
		n = strlen(t);
		while (len + n + 2 > cap) {
			cap *= 2;
			assert_non_null(buf = realloc(buf, cap));
		}
		memcpy(buf + len, t, n);
		len += n;
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	return buf;
}

/* Is message m "<path>" followed by tail? */
static bool
is(const char *m, const char *path, const char *tail)
{
	size_t plen = strlen(path);

	return strncmp(m, path, plen) == 0 && strcmp(m + plen, tail) == 0;
}

void
tu_expect_errors(const char *path, tu_load_fn *load, bool remove,
    const char *const *want, size_t nwant)
{
	struct errlist e = { 0 };
	bool same;
	int rc;

	rc = load(path, &e);
	if (remove)
		assert_int_equal(unlink(path), 0);
	same = e.n == nwant && rc == (nwant ? -1 : 0);
	for (size_t i = 0; same && i < nwant; i++)
		same = is(e.msgs[i], path, want[i]);
	if (!same) {
		print_message("loading %s returned %d, with %zu errors:\n",
		    path, rc, e.n);
		for (size_t i = 0; i < e.n; i++)
			print_message("  got: %s\n", e.msgs[i]);
		print_message("wanted %zu:\n", nwant);
		for (size_t i = 0; i < nwant; i++)
			print_message("  want: %s%s\n", path, want[i]);
		errlist_free(&e);
		fail_msg("the errors differ");
	}
	errlist_free(&e);
}

void
tu_expect_text(const char *name, const char *text, tu_load_fn *load,
    const char *const *want, size_t nwant)
{
	char path[sizeof(tu_dir) + 256];

	tu_write(NULL, name, text, path, sizeof(path));
	tu_expect_errors(path, load, true, want, nwant);
}

void
tu_build_path(const char *sub, char *buf, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;
	int i = 0;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (; i < 2 && (slash = strrchr(exe, '/')) != NULL; i++)
			*slash = '\0';
	}
	if (i < 2)
		snprintf(exe, sizeof(exe), "build");
	if ((size_t)snprintf(buf, len, "%s/%s", exe, sub) >= len)
		fail_msg("%s/%s: too long a path for the test", exe, sub);
}

void
tu_plugin_dir(char *buf, size_t len)
{
	const char *dir = getenv("TM_PLUGIN_DIR");

	if (dir == NULL)
		tu_build_path("plugins", buf, len);
	else if ((size_t)snprintf(buf, len, "%s", dir) >= len)
		fail_msg("TM_PLUGIN_DIR: too long a path for the test");
}

tm_plugin_entry
tu_plugin_entry(const char *name, void **handle)
{
	char dir[PATH_MAX], path[PATH_MAX + 64];
	tm_plugin_entry entry;

	tu_plugin_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s.so", dir, name);
	*handle = dlopen(path, RTLD_NOW);
	if (*handle == NULL)
		fail_msg("%s (run `make all` first)", dlerror());
	*(void **)&entry = dlsym(*handle, TM_PLUGIN_ENTRY);
	if (entry == NULL)
		fail_msg("%s: no %s", path, TM_PLUGIN_ENTRY);
	return entry;
}
