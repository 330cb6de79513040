/*
 * Workout plugin loader.  A plugin is exactly DIR/NAME.so; the file and
 * its directory must not be symlinks, must be writable only by their
 * owner, and that owner must be root or the daemon's own user.  Then one
 * dlopen(RTLD_NOW), one dlsym, and the ABI handshake of
 * include/treadmill/plugin.h.  Every refusal is one sentence naming the
 * full path, with dlerror's words where the dynamic linker had any.
 *
 * Between the lstat and the dlopen the file could in principle be
 * swapped, but only by someone who can write the directory, and the
 * directory check has just made sure that is root or ourselves.
 */
#include <sys/stat.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plugin.h"

static void errf(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* dlerror() can come back NULL (nothing recorded); never print "(null)". */
static const char *
dl_why(void)
{
	const char *e = dlerror();

	return e != NULL ? e : "unknown dynamic linker error";
}

int
plugin_name_valid(const char *name)
{
	size_t n;

	if (name == NULL)
		return 0;
	for (n = 0; name[n] != '\0'; n++) {
		char c = name[n];

		if (n >= 31)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return 0;
	}
	return n > 0;
}

/* Up to len - 1 bytes of a name for a message, anything but printable
 * ASCII as '?': the name came from a configuration file and is going
 * to a log. */
static const char *
printable(char *buf, size_t len, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && name[i] != '\0' && i + 1 < len; i++)
		buf[i] = (name[i] >= ' ' && name[i] <= '~') ? name[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* "group", "others" or "group and others" for a mode with 022 bits. */
static const char *
writers(mode_t mode)
{
	if ((mode & S_IWGRP) && (mode & S_IWOTH))
		return "group and others";
	return (mode & S_IWGRP) ? "group" : "others";
}

static int
owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* Who may own plugins: "root", or "root or uid N" for a daemon that has
 * dropped privileges. */
static const char *
owners(char *buf, size_t len)
{
	if (geteuid() == 0)
		return "root";
	snprintf(buf, len, "root or uid %u", (unsigned)geteuid());
	return buf;
}

int
plugin_dir_check(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char who[32];

	if (lstat(dir, &st) == -1) {
		errf(err, errlen, "plugin directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		errf(err, errlen, "plugin directory %s is a symbolic link: "
		    "refusing it", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errf(err, errlen, "plugin directory %s is not a directory",
		    dir);
		return -1;
	}
	/* No sticky-bit exception: a shared directory is no place for
	 * code the daemon runs. */
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		errf(err, errlen, "plugin directory %s is writable by %s "
		    "(mode %04o): refusing to load plugins from it", dir,
		    writers(st.st_mode), (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (!owner_ok(st.st_uid)) {
		errf(err, errlen, "plugin directory %s is owned by uid %u, "
		    "not by %s: refusing to load plugins from it", dir,
		    (unsigned)st.st_uid, owners(who, sizeof(who)));
		return -1;
	}
	return 0;
}

/* The file itself: a regular file only its owner (root or us) can write. */
static int
file_check(const char *path, const char *dir, const char *name, char *err,
    size_t errlen)
{
	struct stat st;
	char who[32];

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			errf(err, errlen, "no plugin %s in %s (%s: %s)", name,
			    dir, path, strerror(errno));
		else
			errf(err, errlen, "plugin %s: %s", path,
			    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		errf(err, errlen, "plugin %s is a symbolic link: refusing it",
		    path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		errf(err, errlen, "plugin %s is not a regular file", path);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		errf(err, errlen, "plugin %s is writable by %s (mode %04o): "
		    "refusing it", path, writers(st.st_mode),
		    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (!owner_ok(st.st_uid)) {
		errf(err, errlen, "plugin %s is owned by uid %u, not by %s: "
		    "refusing it", path, (unsigned)st.st_uid,
		    owners(who, sizeof(who)));
		return -1;
	}
	return 0;
}

/* The handshake's answer, checked field by field. */
static int
desc_check(const struct tm_plugin *p, const char *path, const char *name,
    char *err, size_t errlen)
{
	if (p->abi_min > TM_ABI_VERSION || p->abi_max < TM_ABI_VERSION) {
		if (p->abi_min == p->abi_max)
			errf(err, errlen, "plugin %s speaks ABI %u, daemon "
			    "speaks %d (%s)", name, (unsigned)p->abi_min,
			    TM_ABI_VERSION, path);
		else
			errf(err, errlen, "plugin %s speaks ABI %u..%u, "
			    "daemon speaks %d (%s)", name,
			    (unsigned)p->abi_min, (unsigned)p->abi_max,
			    TM_ABI_VERSION, path);
		return -1;
	}
	if (p->name == NULL || strcmp(p->name, name) != 0) {
		/* Print at most the length of a valid name: a plugin that
		 * lies about its name may also lie about its NUL. */
		if (p->name == NULL)
			errf(err, errlen, "plugin %s gives no name (%s)", name,
			    path);
		else
			errf(err, errlen, "plugin %s calls itself \"%.31s\" "
			    "(%s)", name, p->name, path);
		return -1;
	}
	if (p->init == NULL) {
		errf(err, errlen, "plugin %s has no init function (%s)", name,
		    path);
		return -1;
	}
	if (p->tick == NULL) {
		errf(err, errlen, "plugin %s has no tick function (%s)", name,
		    path);
		return -1;
	}
	if (p->intensity != TM_EASY && p->intensity != TM_HARD) {
		errf(err, errlen, "plugin %s has intensity %d, neither "
		    "TM_EASY nor TM_HARD (%s)", name, p->intensity, path);
		return -1;
	}
	return 0;
}

/*
 * Loaded plugins, kept for the daemon's life: a plan or a session asks
 * for its plugin every time, and it is opened once.  An entry is found
 * again by path and by the file it was (device, inode, change time), so
 * a plugin replaced on disk, or a reload that names another directory,
 * opens the new file; an old entry goes once nothing uses it.  Guarded
 * by a lock: plans are made on the control worker thread.
 */
#define LOADED_MAX 16

static struct loaded {
	char			 path[512];
	dev_t			 dev;
	ino_t			 ino;
	struct timespec		 ctime;
	void			*handle;
	const struct tm_plugin	*p;
	int			 refs;
} loaded[LOADED_MAX];
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
same_file(const struct loaded *l, const char *path, const struct stat *st)
{
	return l->handle != NULL && strcmp(l->path, path) == 0 &&
	    l->dev == st->st_dev && l->ino == st->st_ino &&
	    l->ctime.tv_sec == st->st_ctim.tv_sec &&
	    l->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/*
 * The entry for this file, with a reference taken, or -1.  An unused
 * entry for an older file at the same path is closed on the way: the
 * dynamic loader would hand back the old object for the path otherwise.
 */
static int
loaded_find(const char *path, const struct stat *st)
{
	int i;

	for (i = 0; i < LOADED_MAX; i++) {
		if (same_file(&loaded[i], path, st)) {
			loaded[i].refs++;
			return i;
		}
		if (loaded[i].handle != NULL && loaded[i].refs == 0 &&
		    strcmp(loaded[i].path, path) == 0) {
			dlclose(loaded[i].handle);
			memset(&loaded[i], 0, sizeof(loaded[i]));
		}
	}
	return -1;
}

/* Keep handle in a free slot (closing an unused old one); its index, or
 * -1 when every slot is in use (then the caller's handle is its own). */
static int
loaded_add(const char *path, const struct stat *st, void *handle,
    const struct tm_plugin *p)
{
	int i, fit = -1;

	for (i = 0; i < LOADED_MAX; i++) {
		if (loaded[i].handle == NULL) {
			fit = i;
			break;
		}
		if (loaded[i].refs == 0 && fit == -1)
			fit = i;
	}
	if (fit == -1)
		return -1;
	if (loaded[fit].handle != NULL)
		dlclose(loaded[fit].handle);
	snprintf(loaded[fit].path, sizeof(loaded[fit].path), "%s", path);
	loaded[fit].dev = st->st_dev;
	loaded[fit].ino = st->st_ino;
	loaded[fit].ctime = st->st_ctim;
	loaded[fit].handle = handle;
	loaded[fit].p = p;
	loaded[fit].refs = 1;
	return fit;
}

int
plugin_load(struct plugin *pl, const char *dir, const char *name, char *err,
    size_t errlen)
{
	tm_plugin_entry entry;
	const struct tm_plugin *p;
	void *handle, *sym;
	struct stat st;
	int n, slot;

	memset(pl, 0, sizeof(*pl));
	if (!plugin_name_valid(name)) {
		char shown[41];

		errf(err, errlen, "invalid plugin name \"%s%s\": use 1 to 31 "
		    "of a-z, 0-9, _ and -", printable(shown, sizeof(shown),
		    name), name != NULL && strlen(name) > 40 ? "..." : "");
		return -1;
	}
	n = snprintf(pl->path, sizeof(pl->path), "%s/%s.so", dir, name);
	if (n < 0 || (size_t)n >= sizeof(pl->path)) {
		errf(err, errlen, "plugin path %s/%s.so is too long", dir,
		    name);
		goto fail;
	}
	if (plugin_dir_check(dir, err, errlen) == -1 ||
	    file_check(pl->path, dir, name, err, errlen) == -1)
		goto fail;
	if (lstat(pl->path, &st) == -1) {
		errf(err, errlen, "plugin %s: %s", pl->path, strerror(errno));
		goto fail;
	}
	pthread_mutex_lock(&loaded_lock);
	if ((slot = loaded_find(pl->path, &st)) != -1) {
		snprintf(pl->name, sizeof(pl->name), "%s", name);
		pl->handle = loaded[slot].handle;
		pl->p = loaded[slot].p;
		pl->slot = slot;
		pthread_mutex_unlock(&loaded_lock);
		return 0;
	}
	pthread_mutex_unlock(&loaded_lock);

	(void)dlerror();
	if ((handle = dlopen(pl->path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		errf(err, errlen, "cannot load plugin %s: %s", pl->path,
		    dl_why());
		goto fail;
	}
	/* NULL from dlsym is an error only if dlerror says so; but a NULL
	 * entry point is as useless as none, so refuse either way. */
	(void)dlerror();
	if ((sym = dlsym(handle, TM_PLUGIN_ENTRY)) == NULL) {
		errf(err, errlen, "plugin %s has no %s: %s", pl->path,
		    TM_PLUGIN_ENTRY, dl_why());
		goto fail_close;
	}
	entry = (tm_plugin_entry)sym;
	if ((p = entry(TM_ABI_VERSION)) == NULL) {
		errf(err, errlen, "plugin %s refused ABI %d (%s)", name,
		    TM_ABI_VERSION, pl->path);
		goto fail_close;
	}
	if (desc_check(p, pl->path, name, err, errlen) == -1)
		goto fail_close;

	snprintf(pl->name, sizeof(pl->name), "%s", name);
	pl->handle = handle;
	pl->p = p;
	pthread_mutex_lock(&loaded_lock);
	/* Loaded meanwhile by the other thread: use that one. */
	if ((slot = loaded_find(pl->path, &st)) != -1) {
		dlclose(handle);
		pl->handle = loaded[slot].handle;
		pl->p = loaded[slot].p;
	} else
		slot = loaded_add(pl->path, &st, handle, p);
	pl->slot = slot;
	pthread_mutex_unlock(&loaded_lock);
	return 0;

fail_close:
	dlclose(handle);
fail:
	memset(pl, 0, sizeof(*pl));
	return -1;
}

void
plugin_unload(struct plugin *pl)
{
	if (pl->handle == NULL)
		return;
	if (pl->slot >= 0) {
		/* Stays open for the next plan or session. */
		pthread_mutex_lock(&loaded_lock);
		loaded[pl->slot].refs--;
		pthread_mutex_unlock(&loaded_lock);
	} else
		dlclose(pl->handle);
	memset(pl, 0, sizeof(*pl));
}
