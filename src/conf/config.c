/*
 * treadmilld.conf parser.  Every setting has a default documented in
 * treadmilld.conf(5); every problem is reported as file:line: message.
 * Here the file as a whole and its register map; each group is parsed
 * in a file of its own (config_sections.h).
 */
#include <stdio.h>
#include <string.h>

#include "cfgutil.h"
#include "config.h"
#include "config_sections.h"

static const char *const top_keys[] = {
	"drive", "machine", "control", "session", "daemon", "profiles",
	"history", "plugins", "http", "mqtt", NULL
};

/* treadmilld.conf and its map, without the profiles.  0 or -1. */
static int
load_conf(struct config *c, const char *path, struct errlist *e)
{
	config_t cf;
	config_setting_t *root, *dg, *mm;
	size_t before = e->n;
	char mpath[1100];

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	config_init(&cf);
	if (cfg_read(&cf, path, e) == -1) {
		config_destroy(&cf);
		return -1;
	}
	root = config_root_setting(&cf);
	cfg_unknown_keys(root, top_keys, path, e);
	config_parse_drive(c, root, path, e);
	config_parse_site(c, root, path, e);
	config_parse_plugins(c, root, path, e);
	config_parse_fleet(c, root, path, e);

	/* A bare name is looked up in map_dir; anything with a / is a path. */
	if (strchr(c->drive.map, '/') != NULL)
		snprintf(mpath, sizeof(mpath), "%s", c->drive.map);
	else
		snprintf(mpath, sizeof(mpath), "%s/%s.conf", c->drive.map_dir,
		    c->drive.map);
	dg = config_setting_get_member(root, "drive");
	mm = dg ? config_setting_get_member(dg, "map") : NULL;
	{
		struct errlist me = { 0 };
		if (regmap_load(&c->map, mpath, &me) == -1) {
			/* Name the drive.map line, then the map's own words. */
			for (size_t i = 0; i < me.n; i++)
				errlist_add(e, cfg_file(mm, path), cfg_line(mm),
				    "register map '%s': %s", c->drive.map,
				    me.msgs[i]);
		} else
			config_check_map(c, root, path, e);
		errlist_free(&me);
	}
	config_destroy(&cf);
	return e->n != before ? -1 : 0;
}

int
config_load(struct config *c, const char *path, struct errlist *e)
{
	size_t before = e->n;

	if (load_conf(c, path, e) == -1)
		return -1;
	/* Runner profiles are configuration too: -n checks them. */
	if (profile_load_dir(&c->runners, c->profiles.dir, e) == -1 &&
	    c->runners.n == 0 && e->n == before)
		errlist_add(e, path, 0, "cannot load the profiles");
	if (e->n != before) {
		config_free(c);
		return -1;
	}
	return 0;
}

int
config_reload(struct config *c, const char *path,
    const struct profile_set *running, struct profile_reload *r,
    struct errlist *e)
{
	memset(r, 0, sizeof(*r));
	if (load_conf(c, path, e) == -1)
		return -1;
	if (profile_reload_dir(&c->runners, c->profiles.dir, running, r,
	    e) == -1) {
		config_free(c);
		return -1;
	}
	return 0;
}

void
config_free(struct config *c)
{
	profile_set_free(&c->runners);
}

int
config_same_link(const struct config *a, const struct config *b)
{
	return a->drive.transport == b->drive.transport &&
	    strcmp(a->drive.host, b->drive.host) == 0 &&
	    a->drive.port == b->drive.port &&
	    strcmp(a->drive.device, b->drive.device) == 0 &&
	    a->drive.baud == b->drive.baud &&
	    a->drive.parity == b->drive.parity &&
	    a->drive.unit_id == b->drive.unit_id &&
	    strcmp(a->map.path, b->map.path) == 0;
}
