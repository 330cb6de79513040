/*
 * The plugins group of treadmilld.conf: the plugin directory and each
 * plugin's own settings, kept as they are for the plugin to read.
 */
#include <stdio.h>
#include <string.h>

#include "cfgutil.h"
#include "config_sections.h"

/*
 * plugins = { dir = "..."; NAME = { key = value; ... }; ... }: the
 * groups are handed to the plugins as they are (numbers and strings).
 */
void
config_parse_plugins(struct config *c, const config_setting_t *root,
    const char *f, struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "plugins", false, f, e), *m, *k;
	int n;

	snprintf(c->plugins.dir, sizeof(c->plugins.dir), "%s", PLUGINDIR);
	if (g == NULL)
		return;
	c->plugins.line = cfg_line(g);
	n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		m = config_setting_get_elem(g, i);
		const char *name = config_setting_name(m);

		if (strcmp(name, "dir") == 0) {
			cfg_string(g, "dir", false, PLUGINDIR,
			    c->plugins.dir, sizeof(c->plugins.dir), f, e);
			c->plugins.dir_line = cfg_line(m);
			continue;
		}
		if (!config_setting_is_group(m)) {
			errlist_add(e, cfg_file(m, f), cfg_line(m), "plugins: "
			    "'%s' must be dir or a plugin's group { ... }",
			    name);
			continue;
		}
		if (c->plugins.nconf == PLUGIN_CONF_MAX ||
		    strlen(name) >= sizeof(c->plugins.conf[0].name)) {
			errlist_add(e, cfg_file(m, f), cfg_line(m), "plugins: "
			    "too many plugin groups or name too long (%s)", name);
			continue;
		}
		struct plugin_conf *pc = &c->plugins.conf[c->plugins.nconf++];
		snprintf(pc->name, sizeof(pc->name), "%s", name);
		pc->line = cfg_line(m);
		for (int j = 0; j < config_setting_length(m); j++) {
			k = config_setting_get_elem(m, j);
			struct plugin_kv *kv = &pc->kv[pc->nkeys];
			int t = config_setting_type(k);

			if (pc->nkeys == PLUGIN_KEYS_MAX ||
			    strlen(config_setting_name(k)) >= sizeof(kv->key)) {
				errlist_add(e, cfg_file(k, f), cfg_line(k),
				    "plugins.%s: too many settings or name too "
				    "long", name);
				break;
			}
			snprintf(kv->key, sizeof(kv->key), "%s",
			    config_setting_name(k));
			kv->line = cfg_line(k);
			if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
				kv->num = (double)config_setting_get_int64(k);
			else if (t == CONFIG_TYPE_FLOAT)
				kv->num = config_setting_get_float(k);
			else if (t == CONFIG_TYPE_STRING) {
				kv->is_string = 1;
				snprintf(kv->str, sizeof(kv->str), "%s",
				    config_setting_get_string(k));
			} else {
				errlist_add(e, cfg_file(k, f), cfg_line(k),
				    "plugins.%s.%s must be a number or a string",
				    name, kv->key);
				continue;
			}
			pc->nkeys++;
		}
	}
}

const struct plugin_conf *
config_plugin(const struct config *c, const char *name)
{
	for (int i = 0; i < c->plugins.nconf; i++)
		if (strcmp(c->plugins.conf[i].name, name) == 0)
			return &c->plugins.conf[i];
	return NULL;
}
