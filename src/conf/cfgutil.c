#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgutil.h"
#include "xmalloc.h"

/*
 * Look at the file before libconfig does.  Its reader blocks on a FIFO,
 * reads a device forever, and on an @include of a directory its scanner
 * calls exit(): a profile written so would stop a running daemon at
 * reload.  So the file must be a regular file of sane size, and @include
 * is refused (no setting needs it).
 */
static int
precheck(const char *path, struct errlist *errs)
{
	struct stat st;
	char *text, *line, *next;
	ssize_t n;
	int fd, lineno = 1, bad = 0;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		errlist_add(errs, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		errlist_add(errs, path, 0, "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size > CFG_FILE_MAX) {
		errlist_add(errs, path, 0, "%lld bytes: larger than the %d a "
		    "configuration file may have", (long long)st.st_size,
		    CFG_FILE_MAX);
		close(fd);
		return -1;
	}
	text = xmalloc((size_t)st.st_size + 1);
	n = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (n < 0) {
		errlist_add(errs, path, 0, "cannot read: %s", strerror(errno));
		free(text);
		return -1;
	}
	text[n] = '\0';
	for (line = text; line != NULL; line = next, lineno++) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line += strspn(line, " \t");
		if (strncmp(line, "@include", 8) == 0) {
			errlist_add(errs, path, lineno, "@include is not "
			    "supported: write the settings in this file");
			bad = -1;
		}
	}
	free(text);
	return bad;
}

int
cfg_read(config_t *cf, const char *path, struct errlist *errs)
{
	if (precheck(path, errs) == -1)
		return -1;
	config_set_auto_convert(cf, 0);
	if (config_read_file(cf, path) != CONFIG_TRUE) {
		errlist_add(errs, config_error_file(cf) ?
		    config_error_file(cf) : path, config_error_line(cf), "%s",
		    config_error_text(cf));
		return -1;
	}
	return 0;
}

const char *
cfg_file(const config_setting_t *s, const char *fallback)
{
	const char *f = s ? config_setting_source_file(s) : NULL;

	return f ? f : fallback;
}

int
cfg_line(const config_setting_t *s)
{
	return s ? (int)config_setting_source_line(s) : 0;
}

void
cfg_unknown_keys(const config_setting_t *group, const char *const *known,
    const char *file, struct errlist *errs)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		config_setting_t *m = config_setting_get_elem(group, i);
		const char *name = config_setting_name(m);
		bool ok = false;

		if (name == NULL)
			continue;
		for (const char *const *k = known; *k; k++)
			if (strcmp(*k, name) == 0)
				ok = true;
		if (!ok)
			errlist_add(errs, cfg_file(m, file), cfg_line(m),
			    "unknown setting '%s'%s%s", name,
			    config_setting_name(group) ? " in group " : "",
			    config_setting_name(group) ?
			    config_setting_name(group) : "");
	}
}

static config_setting_t *
member(const config_setting_t *group, const char *key, bool required,
    const char *file, struct errlist *errs)
{
	config_setting_t *m;

	m = group ? config_setting_get_member(group, key) : NULL;
	if (m == NULL && required)
		errlist_add(errs, cfg_file(group, file), cfg_line(group),
		    "missing required setting '%s'", key);
	return m;
}

int
cfg_int(const config_setting_t *group, const char *key, bool required,
    long long def, long long min, long long max, long long *out,
    const char *file, struct errlist *errs)
{
	config_setting_t *m = member(group, key, required, file, errs);
	long long v;

	*out = def;
	if (m == NULL)
		return required ? -1 : 0;
	switch (config_setting_type(m)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(m);
		break;
	default:
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' must be a whole number", key);
		return -1;
	}
	if (v < min || v > max) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' is %lld, must be between %lld and %lld", key, v,
		    min, max);
		return -1;
	}
	*out = v;
	return 1;
}

int
cfg_double(const config_setting_t *group, const char *key, bool required,
    double def, double min, double max, double *out, const char *file,
    struct errlist *errs)
{
	config_setting_t *m = member(group, key, required, file, errs);
	double v;

	*out = def;
	if (m == NULL)
		return required ? -1 : 0;
	switch (config_setting_type(m)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v = (double)config_setting_get_int64(m);
		break;
	case CONFIG_TYPE_FLOAT:
		v = config_setting_get_float(m);
		break;
	default:
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' must be a number", key);
		return -1;
	}
	if (!isfinite(v) || v < min || v > max) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' is %g, must be between %g and %g", key, v, min, max);
		return -1;
	}
	*out = v;
	return 1;
}

int
cfg_bool(const config_setting_t *group, const char *key, bool def, bool *out,
    const char *file, struct errlist *errs)
{
	config_setting_t *m = member(group, key, false, file, errs);

	*out = def;
	if (m == NULL)
		return 0;
	if (config_setting_type(m) != CONFIG_TYPE_BOOL) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' must be true or false", key);
		return -1;
	}
	*out = config_setting_get_bool(m);
	return 1;
}

int
cfg_string(const config_setting_t *group, const char *key, bool required,
    const char *def, char *buf, size_t len, const char *file,
    struct errlist *errs)
{
	config_setting_t *m = member(group, key, required, file, errs);
	const char *v;

	snprintf(buf, len, "%s", def ? def : "");
	if (m == NULL)
		return required ? -1 : 0;
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' must be a string in double quotes", key);
		return -1;
	}
	v = config_setting_get_string(m);
	if (strlen(v) >= len) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' is too long (at most %zu characters)", key, len - 1);
		return -1;
	}
	snprintf(buf, len, "%s", v);
	return 1;
}

int
cfg_choice(const config_setting_t *group, const char *key, const char *what,
    const char *const *choices, char *buf, size_t len, const char *file,
    struct errlist *errs)
{
	config_setting_t *m;
	char list[128] = "";
	size_t n, at;

	if (cfg_string(group, key, false, choices[0], buf, len, file,
	    errs) < 0)
		return -1;
	for (n = 0; choices[n] != NULL; n++)
		if (strcmp(buf, choices[n]) == 0)
			return (int)n;
	for (size_t i = 0; i < n; i++) {
		at = strlen(list);
		snprintf(list + at, sizeof(list) - at, "%s\"%s\"", i == 0 ? "" :
		    i + 1 < n ? ", " : " or ", choices[i]);
	}
	m = config_setting_get_member(group, key);
	errlist_add(errs, cfg_file(m, file), cfg_line(m),
	    "%s is \"%s\", must be %s", what, buf, list);
	return -1;
}

config_setting_t *
cfg_group(const config_setting_t *parent, const char *key, bool required,
    const char *file, struct errlist *errs)
{
	config_setting_t *m = member(parent, key, required, file, errs);

	if (m != NULL && !config_setting_is_group(m)) {
		errlist_add(errs, cfg_file(m, file), cfg_line(m),
		    "'%s' must be a group { ... }", key);
		return NULL;
	}
	return m;
}
