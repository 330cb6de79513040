/*
 * Checking treadmilld.conf's plugins group against the plugins
 * themselves, apart from any session (treadmilld -n, reload): the
 * directory must be one the loader accepts, every plugins.NAME group
 * must have its NAME.so, and each plugin that can (tm_plugin.check,
 * revision 1 of the ABI) checks its own settings.  Every problem is
 * treadmilld.conf:LINE: message, at the line of the key it is about.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plugin.h"
#include "plugin_check.h"

struct checking {
	const struct config	*c;
	const struct plugin_conf *pc;
	struct errlist		*e;
	int			 reported;
};

static int
get_number(const struct tm_config *tc, const char *key, double *out)
{
	const struct plugin_conf *pc = tc->priv;

	for (int i = 0; i < pc->nkeys; i++)
		if (strcmp(pc->kv[i].key, key) == 0 && !pc->kv[i].is_string) {
			*out = pc->kv[i].num;
			return 0;
		}
	return -1;
}

static int
get_string(const struct tm_config *tc, const char *key, const char **out)
{
	const struct plugin_conf *pc = tc->priv;

	for (int i = 0; i < pc->nkeys; i++)
		if (strcmp(pc->kv[i].key, key) == 0 && pc->kv[i].is_string) {
			*out = pc->kv[i].str;
			return 0;
		}
	return -1;
}

static void report(const struct tm_check *, const char *, const char *, ...)
    TM_PRINTF(3, 4);

/* The plugin's words, at the line of the key they are about. */
static void
report(const struct tm_check *chk, const char *key, const char *fmt, ...)
{
	struct checking *ck = chk->priv;
	const struct plugin_conf *pc = ck->pc;
	char msg[256], shown[33];
	int line = pc->line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt != NULL ? fmt : "(no message)", ap);
	va_end(ap);
	ck->reported++;
	if (key == NULL) {
		errlist_add(ck->e, ck->c->path, line, "plugins.%s: %s",
		    pc->name, msg);
		return;
	}
	for (int i = 0; i < pc->nkeys; i++)
		if (strcmp(pc->kv[i].key, key) == 0)
			line = pc->kv[i].line;
	/* The key came back from a plugin: print at most a key's length. */
	snprintf(shown, sizeof(shown), "%s", key);
	errlist_add(ck->e, ck->c->path, line, "plugins.%s.%s: %s", pc->name,
	    shown, msg);
}

static void
check_one(const struct config *c, const struct plugin_conf *pc,
    struct errlist *e)
{
	struct checking ck = { .c = c, .pc = pc, .e = e };
	const char *keys[PLUGIN_KEYS_MAX];
	struct tm_config tc = { .priv = pc, .get_number = get_number,
	    .get_string = get_string };
	struct tm_check chk = { .config = &tc, .keys = keys,
	    .nkeys = pc->nkeys, .report = report, .priv = &ck };
	struct plugin pl;
	char err[600];
	int n;

	if (plugin_load(&pl, c->plugins.dir, pc->name, err,
	    sizeof(err)) == -1) {
		errlist_add(e, c->path, pc->line, "plugins.%s: %s", pc->name,
		    err);
		return;
	}
	for (int i = 0; i < pc->nkeys; i++)
		keys[i] = pc->kv[i].key;
	if (pl.p->abi_revision >= 1 && pl.p->check != NULL) {
		n = pl.p->check(&chk);
		/* A count and no words: still a refusal, said ours. */
		if (n > 0 && ck.reported == 0)
			errlist_add(e, c->path, pc->line, "plugins.%s: the "
			    "plugin found %d problem%s in its settings but "
			    "did not say which", pc->name, n, n == 1 ? "" :
			    "s");
	}
	plugin_unload(&pl);
}

int
plugin_check_conf(const struct config *c, struct errlist *e)
{
	size_t before = e->n;
	char err[600];

	if (plugin_dir_check(c->plugins.dir, err, sizeof(err)) == -1) {
		errlist_add(e, c->path, c->plugins.dir_line ?
		    c->plugins.dir_line : c->plugins.line, "plugins.dir: %s",
		    err);
		return -1;
	}
	for (int i = 0; i < c->plugins.nconf; i++)
		check_one(c, &c->plugins.conf[i], e);
	return e->n != before ? -1 : 0;
}
