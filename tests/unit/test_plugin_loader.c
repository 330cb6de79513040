/*
 * Unit tests of the workout plugin loader (src/workout/plugin.c) with the test
 * plugins of tests/plugins/: "good" loads, unloads and loads again; every
 * broken one is refused with its exact message and leaves nothing loaded;
 * symlinks, group- or other-writable files and directories, files owned
 * by a stranger, missing files and bad names are refused; and "bad", the
 * misbehaving workout other tests rely on, really does propose NaN, -5,
 * 99 km/h, +inf, 1e6 %, NaN %, -50 % and unterminated labels.
 *
 * The plugins are built by `make all` into build/tests/plugins (or
 * build-san/tests/plugins), next to this test's own binary, which is
 * where the test looks for them.  Each test copies them into a fresh
 * mkdtemp directory with sane modes, so it can chmod, chown and symlink
 * there without touching the build tree, whatever the umask was.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin.h"
#include "testutil.h"

#define ERRLEN 2048

static char srcdir[PATH_MAX];	/* where make put the test plugins */

struct fx {
	char		 root[64];	/* mkdtemp; removed in teardown */
	char		 dir[128];	/* root/plugins: 0755, copies 0644 */
	char		 elsewhere[128];	/* root/elsewhere: symlink targets */
	struct plugin	 pl;
	char		 err[ERRLEN];
};

/* ---- fixture --------------------------------------------------------- */

/* Copy a plugin with mode 0644: the umask may have taken bits away from
 * the build's copy, never added them.  0 or -1 (said on stderr). */
static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n = 0;
	int in, out, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		print_error("%s: %s\n", from, strerror(errno));
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) ==
	    -1) {
		print_error("%s: %s\n", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (n == 0 && fchmod(out, 0644) == 0)
		rc = 0;
	else
		print_error("copying %s to %s failed\n", from, to);
	close(in);
	if (close(out) == -1)
		rc = -1;
	return rc;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	if (fx == NULL)
		return 0;
	plugin_unload(&fx->pl);
	if (fx->root[0] != '\0' &&
	    nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		print_error("cannot remove %s: %s\n", fx->root,
		    strerror(errno));
	free(fx);
	*state = NULL;
	return 0;
}

/* A fresh root with plugins/ (0755, a 0644 copy of every test plugin)
 * and elsewhere/ (0755, empty).  A failed setup cleans up after itself:
 * cmocka runs no teardown then. */
static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct dirent *de;
	char from[PATH_MAX + 300], to[PATH_MAX + 300];
	DIR *d;
	int n = 0;

	if ((*state = fx) == NULL)
		return -1;
	snprintf(fx->root, sizeof(fx->root), "/tmp/tm-plugin-test-XXXXXX");
	if (mkdtemp(fx->root) == NULL) {
		print_error("mkdtemp: %s\n", strerror(errno));
		fx->root[0] = '\0';
		goto fail;
	}
	snprintf(fx->dir, sizeof(fx->dir), "%s/plugins", fx->root);
	snprintf(fx->elsewhere, sizeof(fx->elsewhere), "%s/elsewhere",
	    fx->root);
	if (mkdir(fx->dir, 0755) == -1 || chmod(fx->dir, 0755) == -1 ||
	    mkdir(fx->elsewhere, 0755) == -1 ||
	    chmod(fx->elsewhere, 0755) == -1) {
		print_error("%s: %s\n", fx->root, strerror(errno));
		goto fail;
	}
	if ((d = opendir(srcdir)) == NULL) {
		print_error("%s: %s (build the test plugins: make all)\n",
		    srcdir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", srcdir, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", fx->dir, de->d_name);
		if (copy_file(from, to) == -1) {
			closedir(d);
			goto fail;
		}
		n++;
	}
	closedir(d);
	if (n == 0) {
		print_error("no test plugins in %s (make all)\n", srcdir);
		goto fail;
	}
	return 0;
fail:
	teardown(state);
	return -1;
}

/* ---- helpers --------------------------------------------------------- */

static const char *
path_in(const char *dir, const char *file)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, file);
	return buf[i];
}

static const char *
so(struct fx *fx, const char *name)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s.so", fx->dir, name);
	return buf[i];
}

static const char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static const char *
fmt(const char *f, ...)
{
	static char buf[8][ERRLEN];
	static int i;
	va_list ap;

	i = (i + 1) % 8;
	va_start(ap, f);
	vsnprintf(buf[i], sizeof(buf[i]), f, ap);
	va_end(ap);
	return buf[i];
}

static void
assert_empty(const struct plugin *pl)
{
	static const struct plugin zero;

	if (memcmp(pl, &zero, sizeof(zero)) != 0)
		fail_msg("struct plugin not left empty (name \"%.31s\", "
		    "handle %p)", pl->name, pl->handle);
}

/* Is the object at path mapped into this process?  (Asked of regular
 * files only: dlopen would hang opening a FIFO.) */
static int
is_loaded(const char *path)
{
	struct stat st;
	void *h;

	if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if ((h = dlopen(path, RTLD_NOW | RTLD_NOLOAD)) == NULL)
		return 0;

	if (h == NULL)
		return 0;
	dlclose(h);
	return 1;
}

/* How many mappings of a file once at path, now replaced, remain. */
static int
mapped_old(const char *path)
{
	char line[PATH_MAX + 200];
	FILE *fp = fopen("/proc/self/maps", "r");
	int n = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, path) != NULL && strstr(line, "(deleted)"))
			n++;
	fclose(fp);
	return n;
}

static void
load_ok(struct fx *fx, const char *name)
{
	fx->err[0] = '\0';
	if (plugin_load(&fx->pl, fx->dir, name, fx->err, sizeof(fx->err)) !=
	    0)
		fail_msg("plugin %s refused: %s", name, fx->err);
	assert_string_equal(fx->err, "");
	assert_string_equal(fx->pl.name, name);
	assert_string_equal(fx->pl.path, so(fx, name));
	assert_non_null(fx->pl.handle);
	assert_non_null(fx->pl.p);
	assert_true(is_loaded(so(fx, name)));
}

/* plugin_load(dir, name) fails with exactly want, leaving nothing behind. */
static void
refused_in(struct fx *fx, const char *dir, const char *name,
    const char *want)
{
	fx->err[0] = '\0';
	assert_int_equal(plugin_load(&fx->pl, dir, name, fx->err,
	    sizeof(fx->err)), -1);
	assert_string_equal(fx->err, want);
	assert_empty(&fx->pl);
	if (plugin_name_valid(name))
		assert_false(is_loaded(fmt("%s/%s.so", dir, name)));
}

static void
refused(struct fx *fx, const char *name, const char *want)
{
	refused_in(fx, fx->dir, name, want);
}

/* ---- names ----------------------------------------------------------- */

static void
test_name_valid(void **state)
{
	(void)state;
	assert_true(plugin_name_valid("good"));
	assert_true(plugin_name_valid("a"));
	assert_true(plugin_name_valid("0"));
	assert_true(plugin_name_valid("walk_run-2"));
	assert_true(plugin_name_valid("abcdefghijklmnopqrstuvwxyz01234"));
	assert_false(plugin_name_valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(plugin_name_valid(""));
	assert_false(plugin_name_valid(NULL));
	assert_false(plugin_name_valid("A"));
	assert_false(plugin_name_valid("Good"));
	assert_false(plugin_name_valid("../x"));
	assert_false(plugin_name_valid("a/b"));
	assert_false(plugin_name_valid("a.so"));
	assert_false(plugin_name_valid(".hidden"));
	assert_false(plugin_name_valid("a b"));
	assert_false(plugin_name_valid("tab\t"));
	assert_false(plugin_name_valid("caf\xc3\xa9"));
}

static void
test_bad_names(void **state)
{
	struct fx *fx = *state;
	const char *forty = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd";
	const char *tail = ": use 1 to 31 of a-z, 0-9, _ and -";

	refused(fx, "../x", fmt("invalid plugin name \"../x\"%s", tail));
	refused(fx, "A", fmt("invalid plugin name \"A\"%s", tail));
	refused(fx, "", fmt("invalid plugin name \"\"%s", tail));
	refused(fx, forty, fmt("invalid plugin name \"%s\"%s", forty, tail));
	refused(fx, "../elsewhere/good",
	    fmt("invalid plugin name \"../elsewhere/good\"%s", tail));
	/* Longer than 40: shown cut, with an ellipsis. */
	refused(fx, "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeee",
	    fmt("invalid plugin name \"%s...\"%s", forty, tail));
	refused(fx, NULL, fmt("invalid plugin name \"\"%s", tail));
	/* What is not printable ASCII is shown as '?', never sent raw. */
	refused(fx, "x\n\033[2Jy\xc3\xa9", fmt("invalid plugin name "
	    "\"x??[2Jy??\"%s", tail));
}

/* ---- loading --------------------------------------------------------- */

static void
test_load_good(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p;
	struct tm_proposal prop;
	struct tm_segment seg[4];
	struct tm_sample s;
	void *ctx = (void *)1;
	char err[TM_ERR_MAX] = "";
	int n = -1;

	load_ok(fx, "good");
	p = fx->pl.p;
	assert_int_equal(p->abi_min, TM_ABI_VERSION);
	assert_int_equal(p->abi_max, TM_ABI_VERSION);
	assert_string_equal(p->name, "good");
	assert_int_equal(p->intensity, TM_EASY);
	/* Its functions are callable, from the copy we loaded. */
	assert_int_equal(p->init(&ctx, NULL, NULL, err, sizeof(err)), 0);
	assert_null(ctx);
	assert_int_equal(p->plan(ctx, seg, 4, &n), 0);
	assert_int_equal(n, 1);
	memset(&s, 0, sizeof(s));
	memset(&prop, 0, sizeof(prop));
	assert_int_equal(p->tick(ctx, &s, &prop), 0);
	assert_true(prop.speed == 5.0);
	assert_string_equal(prop.label, "walk");

	plugin_unload(&fx->pl);
	assert_empty(&fx->pl);
	/* Kept loaded for the next plan or session. */
	assert_true(is_loaded(so(fx, "good")));
	plugin_unload(&fx->pl);		/* twice is harmless */
	assert_empty(&fx->pl);
}

static void
test_load_unload_load(void **state)
{
	struct fx *fx = *state;
	struct plugin second;
	char err[ERRLEN];
	int i;

	const struct tm_plugin *first = NULL;

	/* Opened once: each load after the first finds the same copy. */
	for (i = 0; i < 3; i++) {
		load_ok(fx, "good");
		if (first == NULL)
			first = fx->pl.p;
		assert_ptr_equal(fx->pl.p, first);
		plugin_unload(&fx->pl);
		assert_true(is_loaded(so(fx, "good")));
	}
	/* Two at once: the same object, and it stays. */
	load_ok(fx, "good");
	assert_int_equal(plugin_load(&second, fx->dir, "good", err,
	    sizeof(err)), 0);
	assert_ptr_equal(second.p, fx->pl.p);
	plugin_unload(&second);
	assert_true(is_loaded(so(fx, "good")));
	assert_string_equal(fx->pl.p->name, "good");
	plugin_unload(&fx->pl);
	assert_true(is_loaded(so(fx, "good")));

	/* Replaced on disk (a new file under the name): the new one is
	 * opened, not the copy kept from before. */
	assert_int_equal(copy_file(so(fx, "good"), path_in(fx->dir,
	    "good.new")), 0);
	assert_int_equal(rename(path_in(fx->dir, "good.new"),
	    so(fx, "good")), 0);
	load_ok(fx, "good");
	assert_int_equal(mapped_old(so(fx, "good")), 0);
	plugin_unload(&fx->pl);
	/* A failed load over a loaded struct leaves it empty, and never
	 * unloads what it held: that is the caller's to do. */
	load_ok(fx, "good");
	second = fx->pl;
	refused(fx, "oldabi", fmt("plugin oldabi speaks ABI 0, daemon "
	    "speaks 1 (%s)", so(fx, "oldabi")));
	assert_true(is_loaded(so(fx, "good")));
	plugin_unload(&second);
}

/* ---- the handshake --------------------------------------------------- */

static void
test_refuse_old_abi(void **state)
{
	struct fx *fx = *state;

	refused(fx, "oldabi", fmt("plugin oldabi speaks ABI 0, daemon "
	    "speaks 1 (%s)", so(fx, "oldabi")));
}

static void
test_refuse_future_abi(void **state)
{
	struct fx *fx = *state;

	refused(fx, "futureabi", fmt("plugin futureabi speaks ABI 2..3, "
	    "daemon speaks 1 (%s)", so(fx, "futureabi")));
}

static void
test_refuse_refuse(void **state)
{
	struct fx *fx = *state;

	refused(fx, "refuse", fmt("plugin refuse refused ABI 1 (%s)",
	    so(fx, "refuse")));
}

static void
test_refuse_misnamed(void **state)
{
	struct fx *fx = *state;

	refused(fx, "misnamed", fmt("plugin misnamed calls itself \"other\" "
	    "(%s)", so(fx, "misnamed")));
	/* The same object under the name it claims is fine. */
	assert_int_equal(rename(so(fx, "misnamed"), so(fx, "other")), 0);
	load_ok(fx, "other");
}

static void
test_refuse_noinit(void **state)
{
	struct fx *fx = *state;

	refused(fx, "noinit", fmt("plugin noinit has no init function (%s)",
	    so(fx, "noinit")));
}

static void
test_refuse_notick(void **state)
{
	struct fx *fx = *state;

	refused(fx, "notick", fmt("plugin notick has no tick function (%s)",
	    so(fx, "notick")));
}

static void
test_refuse_bad_intensity(void **state)
{
	struct fx *fx = *state;

	refused(fx, "badintensity", fmt("plugin badintensity has intensity "
	    "7, neither TM_EASY nor TM_HARD (%s)", so(fx, "badintensity")));
}

/* ---- the dynamic linker's words ------------------------------------- */

static void
test_refuse_unresolved(void **state)
{
	struct fx *fx = *state;
	const char *p = so(fx, "unresolved");

	/* glibc's words; another libc words it otherwise, but the prefix
	 * and the symbol's name are ours to promise. */
#ifdef __GLIBC__
	refused(fx, "unresolved", fmt("cannot load plugin %s: %s: undefined "
	    "symbol: tm_no_such_symbol", p, p));
#else
	refused(fx, "unresolved", fx->err);
	assert_non_null(strstr(fx->err, "tm_no_such_symbol"));
#endif
	assert_int_equal(strncmp(fx->err, fmt("cannot load plugin %s: ", p),
	    strlen(fmt("cannot load plugin %s: ", p))), 0);
}

static void
test_refuse_noentry(void **state)
{
	struct fx *fx = *state;
	const char *p = so(fx, "noentry");

#ifdef __GLIBC__
	refused(fx, "noentry", fmt("plugin %s has no treadmill_plugin: %s: "
	    "undefined symbol: treadmill_plugin", p, p));
#else
	refused(fx, "noentry", fx->err);
#endif
	assert_non_null(strstr(fx->err + strlen(p), "treadmill_plugin"));
}

/* A file that is no shared object at all: dlerror says so. */
static void
test_refuse_not_elf(void **state)
{
	struct fx *fx = *state;
	const char *p = so(fx, "junk");
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs("this is not an ELF file\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, 0644), 0);
	refused(fx, "junk", fx->err);
	assert_int_equal(strncmp(fx->err, fmt("cannot load plugin %s: %s: ",
	    p, p), strlen(fmt("cannot load plugin %s: %s: ", p, p))), 0);
	assert_true(strlen(fx->err) > 2 * strlen(p) + 24);
}

/* ---- the file -------------------------------------------------------- */

static void
test_missing_file(void **state)
{
	struct fx *fx = *state;

	refused(fx, "nosuch", fmt("no plugin nosuch in %s (%s: No such file "
	    "or directory)", fx->dir, so(fx, "nosuch")));
}

static void
test_symlink_refused(void **state)
{
	struct fx *fx = *state;
	const char *real = path_in(fx->elsewhere, "good.so");

	/* good.so moved away, a symlink left in its place. */
	assert_int_equal(rename(so(fx, "good"), real), 0);
	assert_int_equal(symlink(real, so(fx, "good")), 0);
	refused(fx, "good", fmt("plugin %s is a symbolic link: refusing it",
	    so(fx, "good")));
	assert_false(is_loaded(real));

	/* A relative symlink to a good file in the same directory. */
	assert_int_equal(rename(real, so(fx, "good")), 0);
	assert_int_equal(symlink("good.so", so(fx, "alias")), 0);
	refused(fx, "alias", fmt("plugin %s is a symbolic link: refusing it",
	    so(fx, "alias")));
	/* A dangling one is still a symlink, not a missing file. */
	assert_int_equal(symlink("nowhere.so", so(fx, "dangling")), 0);
	refused(fx, "dangling", fmt("plugin %s is a symbolic link: refusing "
	    "it", so(fx, "dangling")));
	load_ok(fx, "good");
}

static void
test_group_writable_file(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(chmod(so(fx, "good"), 0664), 0);
	refused(fx, "good", fmt("plugin %s is writable by group (mode 0664): "
	    "refusing it", so(fx, "good")));
	assert_int_equal(chmod(so(fx, "good"), 0620), 0);
	refused(fx, "good", fmt("plugin %s is writable by group (mode 0620): "
	    "refusing it", so(fx, "good")));
	assert_int_equal(chmod(so(fx, "good"), 0644), 0);
	load_ok(fx, "good");
}

static void
test_other_writable_file(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(chmod(so(fx, "good"), 0646), 0);
	refused(fx, "good", fmt("plugin %s is writable by others (mode "
	    "0646): refusing it", so(fx, "good")));
	assert_int_equal(chmod(so(fx, "good"), 0666), 0);
	refused(fx, "good", fmt("plugin %s is writable by group and others "
	    "(mode 0666): refusing it", so(fx, "good")));
	assert_int_equal(chmod(so(fx, "good"), 04757), 0);
	refused(fx, "good", fmt("plugin %s is writable by others (mode "
	    "4757): refusing it", so(fx, "good")));
	/* Owner-writable and executable are fine. */
	assert_int_equal(chmod(so(fx, "good"), 0755), 0);
	load_ok(fx, "good");
}

static void
test_not_regular_file(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(mkdir(so(fx, "subdir"), 0755), 0);
	refused(fx, "subdir", fmt("plugin %s is not a regular file",
	    so(fx, "subdir")));
	assert_int_equal(mkfifo(so(fx, "fifo"), 0600), 0);
	refused(fx, "fifo", fmt("plugin %s is not a regular file",
	    so(fx, "fifo")));
}

/* Owned by someone else: only root can arrange that, so only root tests
 * it (the test says "skipped" otherwise). */
static void
test_foreign_owner(void **state)
{
	struct fx *fx = *state;

	if (geteuid() != 0)
		skip();
	assert_int_equal(chown(so(fx, "good"), 4242, 4242), 0);
	refused(fx, "good", fmt("plugin %s is owned by uid 4242, not by root: "
	    "refusing it", so(fx, "good")));
	assert_int_equal(chown(so(fx, "good"), 0, 0), 0);
	assert_int_equal(chown(fx->dir, 4242, 4242), 0);
	refused(fx, "good", fmt("plugin directory %s is owned by uid 4242, "
	    "not by root: refusing to load plugins from it", fx->dir));
	assert_int_equal(chown(fx->dir, 0, 0), 0);
	load_ok(fx, "good");
}

/* ---- the directory --------------------------------------------------- */

static void
test_dir_other_writable(void **state)
{
	struct fx *fx = *state;
	char err[ERRLEN];

	assert_int_equal(chmod(fx->dir, 0757), 0);
	refused(fx, "good", fmt("plugin directory %s is writable by others "
	    "(mode 0757): refusing to load plugins from it", fx->dir));
	assert_int_equal(plugin_dir_check(fx->dir, err, sizeof(err)), -1);
	assert_string_equal(err, fx->err);
	/* Sticky or not: /tmp-like directories are refused too. */
	assert_int_equal(chmod(fx->dir, 01777), 0);
	refused(fx, "good", fmt("plugin directory %s is writable by group "
	    "and others (mode 1777): refusing to load plugins from it",
	    fx->dir));
	assert_int_equal(chmod(fx->dir, 0755), 0);
	assert_int_equal(plugin_dir_check(fx->dir, err, sizeof(err)), 0);
	load_ok(fx, "good");
}

static void
test_dir_group_writable(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(chmod(fx->dir, 0775), 0);
	refused(fx, "good", fmt("plugin directory %s is writable by group "
	    "(mode 0775): refusing to load plugins from it", fx->dir));
	assert_int_equal(chmod(fx->dir, 0700), 0);
	load_ok(fx, "good");
}

static void
test_dir_symlink(void **state)
{
	struct fx *fx = *state;
	const char *link = path_in(fx->root, "link");

	assert_int_equal(symlink(fx->dir, link), 0);
	refused_in(fx, link, "good", fmt("plugin directory %s is a symbolic "
	    "link: refusing it", link));
}

static void
test_dir_not_dir(void **state)
{
	struct fx *fx = *state;
	const char *file = so(fx, "good");
	const char *gone = path_in(fx->root, "gone");

	refused_in(fx, file, "good", fmt("plugin directory %s is not a "
	    "directory", file));
	refused_in(fx, gone, "good", fmt("plugin directory %s: No such file "
	    "or directory", gone));
}

static void
test_path_too_long(void **state)
{
	struct fx *fx = *state;
	char dir[600];

	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	refused_in(fx, dir, "good", fmt("plugin path %s/good.so is too long",
	    dir));
	/* One byte too long for path[512], then exactly the longest that
	 * fits (511 bytes and the NUL): the same directory, padded with
	 * slashes. */
	memset(dir, 0, sizeof(dir));
	snprintf(dir, sizeof(dir), "%s", fx->dir);
	memset(dir + strlen(dir), '/', 512 - strlen(dir) - strlen("/good.so"));
	refused_in(fx, dir, "good", fmt("plugin path %s/good.so is too long",
	    dir));
	dir[strlen(dir) - 1] = '\0';
	assert_int_equal(plugin_load(&fx->pl, dir, "good", fx->err,
	    sizeof(fx->err)), 0);
	assert_int_equal(strlen(fx->pl.path), 511);
	assert_string_equal(fx->pl.p->name, "good");
}

/* The message is cut to fit, never overflows, and err may be absent. */
static void
test_err_buffer(void **state)
{
	struct fx *fx = *state;
	char small[12];

	memset(small, 'x', sizeof(small));
	assert_int_equal(plugin_load(&fx->pl, fx->dir, "oldabi", small, 8),
	    -1);
	assert_string_equal(small, "plugin ");
	assert_int_equal(small[8], 'x');
	assert_int_equal(plugin_load(&fx->pl, fx->dir, "oldabi", NULL, 0),
	    -1);
	assert_empty(&fx->pl);
	assert_int_equal(plugin_dir_check(fx->dir, NULL, 0), 0);
}

/* ---- "bad", the misbehaving workout ---------------------------------- */

static int
cfg_string(const struct tm_config *c, const char *key, const char **out)
{
	if (c->priv == NULL || strcmp(key, "mode") != 0)
		return -1;
	*out = c->priv;
	return 0;
}

static int
cfg_number(const struct tm_config *c, const char *key, double *out)
{
	(void)c;
	(void)key;
	(void)out;
	return -1;
}

static const struct tm_plugin *
load_bad(struct fx *fx)
{
	load_ok(fx, "bad");
	assert_int_equal(fx->pl.p->intensity, TM_EASY);
	assert_non_null(fx->pl.p->plan);
	assert_non_null(fx->pl.p->cleanup);
	return fx->pl.p;
}

static void *
bad_init(const struct tm_plugin *p, const char *mode)
{
	struct tm_config c = { mode, cfg_number, cfg_string, { 0 } };
	char err[TM_ERR_MAX] = "";
	void *ctx = NULL;

	if (p->init(&ctx, NULL, &c, err, sizeof(err)) != 0)
		fail_msg("bad: init in mode %s failed: %s", mode, err);
	assert_non_null(ctx);
	return ctx;
}

/* One wild proposal, step k of the cycle documented in bad.c. */
static void
assert_wild(const struct tm_proposal *pr, int k)
{
	static const char *const label[] = { "nan-speed", "negative-speed",
	    "99-kmh", "inf-speed", "huge-incline", "nan-incline",
	    "negative-incline", "unterminated-label" };
	size_t len = strlen(label[k]);

	switch (k) {
	case 0:
		assert_true(isnan(pr->speed));
		break;
	case 1:
		assert_true(pr->speed == -5);
		break;
	case 2:
		assert_true(pr->speed == 99);
		break;
	case 3:
		assert_true(isinf(pr->speed) && pr->speed > 0);
		break;
	default:
		assert_true(pr->speed == 5);
	}
	switch (k) {
	case 4:
		assert_true(pr->incline == 1e6);
		break;
	case 5:
		assert_true(isnan(pr->incline));
		break;
	case 6:
		assert_true(pr->incline == -50);
		break;
	default:
		assert_true(pr->incline == 0);
	}
	/* No NUL anywhere in the label: the name, then '#' to the end. */
	assert_null(memchr(pr->label, '\0', sizeof(pr->label)));
	assert_memory_equal(pr->label, label[k], len);
	for (size_t i = len; i < sizeof(pr->label); i++)
		assert_int_equal(pr->label[i], '#');
	assert_int_equal(pr->done, 0);
	assert_int_equal(pr->intensity, TM_EASY);
}

static void
test_bad_wild(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_proposal pr;
	struct tm_segment seg[8];
	struct tm_sample s;
	void *ctx = bad_init(p, "wild");
	int i, n = -1;

	/* The plan is sane, so that a session gets to the ticks. */
	assert_int_equal(p->plan(ctx, seg, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_true(seg[0].speed == 5 && seg[0].duration_s > 0);
	memset(&s, 0, sizeof(s));
	/* Three turns of the cycle, and a tick is never an error. */
	for (i = 0; i < 24; i++) {
		memset(&pr, 0x55, sizeof(pr));
		assert_int_equal(p->tick(ctx, &s, &pr), 0);
		assert_wild(&pr, i % 8);
	}
	p->cleanup(ctx);
}

/* No configuration at all, or no "mode" key: wild. */
static void
test_bad_default_mode(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_config c = { NULL, cfg_number, cfg_string, { 0 } };
	struct tm_proposal pr;
	struct tm_sample s;
	char err[TM_ERR_MAX] = "";
	void *ctx = NULL;

	memset(&s, 0, sizeof(s));
	assert_int_equal(p->init(&ctx, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(p->tick(ctx, &s, &pr), 0);
	assert_wild(&pr, 0);
	p->cleanup(ctx);
	ctx = NULL;
	assert_int_equal(p->init(&ctx, NULL, &c, err, sizeof(err)), 0);
	assert_int_equal(p->tick(ctx, &s, &pr), 0);
	assert_wild(&pr, 0);
	p->cleanup(ctx);
}

static void
test_bad_error_tick(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_proposal pr;
	struct tm_sample s;
	void *ctx = bad_init(p, "error_tick");
	int i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < 40; i++) {
		assert_int_equal(p->tick(ctx, &s, &pr), 0);
		assert_wild(&pr, i % 8);
	}
	for (i = 0; i < 5; i++)
		assert_int_equal(p->tick(ctx, &s, &pr), -1);
	p->cleanup(ctx);
}

static void
test_bad_error_init(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_config c = { "error_init", cfg_number, cfg_string, { 0 } };
	char err[TM_ERR_MAX] = "";
	void *ctx = (void *)1;

	assert_int_equal(p->init(&ctx, NULL, &c, err, sizeof(err)), -1);
	assert_null(ctx);
	assert_string_equal(err, "bad: init fails on purpose "
	    "(mode error_init)");
	c.priv = "bogus";
	assert_int_equal(p->init(&ctx, NULL, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "bad: unknown mode \"bogus\"");
}

static void
test_bad_error_plan(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_segment seg[4];
	void *ctx = bad_init(p, "error_plan");
	int n = 99;

	assert_int_equal(p->plan(ctx, seg, 4, &n), -1);
	assert_int_equal(n, 0);
	p->cleanup(ctx);
}

static void
test_bad_overplan(void **state)
{
	struct fx *fx = *state;
	const struct tm_plugin *p = load_bad(fx);
	struct tm_segment seg[5];
	void *ctx = bad_init(p, "overplan");
	int n = 0;

	/* seg[4] is a guard: the plugin lies in *n only, never writes
	 * past max. */
	memset(seg, 0x77, sizeof(seg));
	assert_int_equal(p->plan(ctx, seg, 4, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(seg[3].label, "overplan");
	assert_int_equal((unsigned char)seg[4].label[0], 0x77);
	p->cleanup(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test_setup_teardown(test_bad_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_good, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_unload_load, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_old_abi, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_future_abi, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_refuse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_misnamed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_noinit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_notick, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_bad_intensity,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_unresolved, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_noentry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refuse_not_elf, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_group_writable_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_writable_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_foreign_owner, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dir_other_writable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_group_writable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_symlink, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dir_not_dir, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_too_long, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_err_buffer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_wild, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_default_mode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_error_tick, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_error_init, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_error_plan, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_overplan, setup,
		    teardown),
	};

	tu_build_path("tests/plugins", srcdir, sizeof(srcdir));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
