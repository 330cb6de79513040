/*
 * Runner profiles: one libconfig file per runner.  A file is parsed
 * whole; every number is range-checked and every inconsistency between
 * settings is reported as file:line: message, so staff can fix a profile
 * in one pass (treadmilld -n).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfgutil.h"
#include "day.h"
#include "profile_load.h"
#include "profile_parse.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const grp_names[G_COUNT] = {
	"runner", "easy", "hard", "walk", "unlock", "recovery", "postnatal",
	"progression", "walkrun"
};
/* The runner's rules cannot be known without these two. */
static const bool grp_required[G_COUNT] = { [G_RUNNER] = true,
	[G_EASY] = true };

static const char *const top_keys[] = {
	"runner", "easy", "hard", "walk", "unlock", "recovery", "postnatal",
	"progression", "intervals", "walkrun", NULL
};
static const char *const runner_keys[] = {
	"name", "hr_max", "hr_rest", "delivery_date", "units", NULL
};
static const char *const easy_keys[] = {
	"min_speed", "max_speed", "max_incline", "hr_ceiling_pct",
	"max_minutes", "start_minutes", "walk_minutes", NULL
};
static const char *const hard_keys[] = {
	"max_speed", "max_incline", "hr_ceiling_pct", NULL
};
static const char *const walk_keys[] = { "speed", "run_threshold", NULL };
static const char *const unlock_keys[] = {
	"weeks", "runs_per_week", "run_minutes", "strength_per_week",
	"count_strength", "runs_per_day", "strength_minutes", NULL
};
static const char *const recovery_keys[] = {
	"min_hours", "min_sleep_h", "max_hard_share", "pain_threshold",
	"hard_per_week", "base_runs", "base_days", "break_days",
	"comeback_days", "clear_days", NULL
};
static const char *const postnatal_keys[] = { "min_weeks", NULL };
static const char *const progression_keys[] = {
	"max_growth", "window_days", NULL
};
static const char *const walkrun_keys[] = {
	"sessions_to_advance", "stages", NULL
};
static const char *const *const grp_keys[G_COUNT] = {
	runner_keys, easy_keys, hard_keys, walk_keys, unlock_keys,
	recovery_keys, postnatal_keys, progression_keys, walkrun_keys
};

/*
 * Settings a and b must satisfy a <= b (a < b when strict).  The error
 * points at whichever was written -- the later one when both were -- so
 * the line shown is one staff can change.
 */
void
profile_check_order(struct pctx *c, const char *an, double a,
    config_setting_t *as, const char *bn, double b, config_setting_t *bs,
    bool strict, const char *unit, const char *why)
{
	if (strict ? a < b : a <= b)
		return;
	if (bs != NULL && (as == NULL || cfg_line(bs) >= cfg_line(as)))
		errlist_add(c->e, cfg_file(bs, c->f), cfg_line(bs),
		    "%s (%g%s) %s %s (%g%s%s)%s", bn, b, unit,
		    strict ? "must be above" : "is below", an, a, unit,
		    as ? "" : ", the default", why);
	else
		errlist_add(c->e, cfg_file(as, c->f), cfg_line(as),
		    "%s (%g%s) %s %s (%g%s%s)%s", an, a, unit,
		    strict ? "must be below" : "is above", bn, b, unit,
		    bs ? "" : ", the default", why);
}

/* check_order on two numbers of the table, unless either is bad. */
static void
check_nums(struct pctx *c, enum profile_grp ga, const char *ka, const char *an,
    enum profile_grp gb, const char *kb, const char *bn, bool strict,
    const char *unit, const char *why)
{
	if (!profile_num_ok(c, ga, ka) || !profile_num_ok(c, gb, kb))
		return;
	profile_check_order(c, an, profile_num_val(c, ga, ka),
	    profile_setting(c, ga, ka), bn, profile_num_val(c, gb, kb),
	    profile_setting(c, gb, kb), strict, unit, why);
}

static void
parse_runner(struct pctx *c)
{
	struct profile *p = c->p;
	config_setting_t *g = c->grp[G_RUNNER], *m;
	char date[32];
	const char *s;
	hday_t day;

	if (cfg_string(g, "name", false, p->id, p->name, sizeof(p->name),
	    c->f, c->e) == 1 && p->name[0] == '\0') {
		m = profile_setting(c, G_RUNNER, "name");
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "runner name is empty (leave it out to use the id '%s')",
		    p->id);
	}
	/* Her console's units; left out, the site's (http.units). */
	if (cfg_string(g, "units", false, "", p->units, sizeof(p->units),
	    c->f, c->e) == 1 && strcmp(p->units, "metric") != 0 &&
	    strcmp(p->units, "imperial") != 0) {
		m = profile_setting(c, G_RUNNER, "units");
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "runner units is \"%s\", must be \"metric\" or "
		    "\"imperial\"", p->units);
	}
	if (cfg_string(g, "delivery_date", false, "", date, sizeof(date),
	    c->f, c->e) != 1)
		return;
	m = profile_setting(c, G_RUNNER, "delivery_date");
	s = date;
	/* Tell a malformed date from an impossible one. */
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
	    strspn(s + 8, "0123456789") != 2)
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "delivery_date \"%s\" must be written YYYY-MM-DD", s);
	else if (hday_parse(s, &day) == -1)
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "delivery_date \"%s\" is not a date on the calendar", s);
	else {
		p->has_delivery = true;
		hday_to_ymd(day, &p->delivery_y, &p->delivery_m,
		    &p->delivery_d);
	}
}

/*
 * An easy session walks easy.walk_minutes around its running, and only
 * the running counts toward the unlock: run_minutes of running must fit
 * in the longest session with its walking.
 */
static void
check_run_minutes(struct pctx *c)
{
	struct profile *p = c->p;
	config_setting_t *rs, *ms, *ws, *m;

	if (!profile_num_ok(c, G_UNLOCK, "run_minutes") ||
	    !profile_num_ok(c, G_EASY, "max_minutes") ||
	    !profile_num_ok(c, G_EASY, "walk_minutes") ||
	    p->unlock.run_minutes + p->easy.walk_minutes <=
	    p->easy.max_minutes + 1e-9)
		return;
	rs = profile_setting(c, G_UNLOCK, "run_minutes");
	ms = profile_setting(c, G_EASY, "max_minutes");
	ws = profile_setting(c, G_EASY, "walk_minutes");
	/* The line shown is the last of the three written. */
	m = rs;
	if (ms != NULL && (m == NULL || cfg_line(ms) > cfg_line(m)))
		m = ms;
	if (ws != NULL && (m == NULL || cfg_line(ws) > cfg_line(m)))
		m = ws;
	errlist_add(c->e, m ? cfg_file(m, c->f) : c->f, m ? cfg_line(m) : 0,
	    "unlock run_minutes (%g min%s) and easy walk_minutes (%g min%s) "
	    "do not fit in easy max_minutes (%g min%s): the unlock rule "
	    "could never be met", p->unlock.run_minutes,
	    rs ? "" : ", the default", p->easy.walk_minutes,
	    ws ? "" : ", the default", p->easy.max_minutes,
	    ms ? "" : ", the default");
}

/*
 * The walk/run threshold tells running from walking on the belt: above
 * walking pace, and never above the slowest easy running, which must
 * count.  Left out, it lies halfway between the two.
 */
static void
check_run_threshold(struct pctx *c)
{
	struct profile *p = c->p;
	config_setting_t *ts = profile_setting(c, G_WALK, "run_threshold");

	if (!profile_num_ok(c, G_WALK, "run_threshold") ||
	    !profile_num_ok(c, G_WALK, "speed") ||
	    !profile_num_ok(c, G_EASY, "min_speed"))
		return;
	if (ts == NULL) {
		p->walk.run_threshold = (p->walk.speed + p->easy.min_speed) / 2;
		/* Walking faster than the easy band is said already. */
		if (p->walk.speed > p->easy.max_speed)
			return;
		profile_check_order(c, "walk speed", p->walk.speed,
		    profile_setting(c, G_WALK, "speed"), "easy min_speed",
		    p->easy.min_speed, profile_setting(c, G_EASY, "min_speed"),
		    true, " km/h", ": walking must be told from running");
		return;
	}
	profile_check_order(c, "walk speed", p->walk.speed,
	    profile_setting(c, G_WALK, "speed"), "walk run_threshold",
	    p->walk.run_threshold, ts, true, " km/h", "");
	profile_check_order(c, "walk run_threshold", p->walk.run_threshold, ts,
	    "easy min_speed", p->easy.min_speed,
	    profile_setting(c, G_EASY, "min_speed"), false, " km/h",
	    ": easy running must count as running");
}

/* Checks between settings of different groups, once all are read. */
static void
check_across(struct pctx *c)
{
	struct profile *p = c->p;

	check_nums(c, G_EASY, "min_speed", "easy min_speed", G_EASY,
	    "max_speed", "easy max_speed", false, " km/h", "");
	if (p->hr_rest != 0)
		check_nums(c, G_RUNNER, "hr_rest", "hr_rest", G_RUNNER,
		    "hr_max", "hr_max", true, " bpm", "");
	check_nums(c, G_EASY, "start_minutes", "easy start_minutes", G_EASY,
	    "max_minutes", "easy max_minutes", false, " min", "");
	check_run_minutes(c);
	check_nums(c, G_EASY, "max_speed", "easy max_speed", G_HARD,
	    "max_speed", "hard max_speed", false, " km/h", "");
	check_nums(c, G_WALK, "speed", "walk speed", G_EASY, "max_speed",
	    "easy max_speed", false, " km/h", "");
	check_run_threshold(c);
	check_nums(c, G_EASY, "hr_ceiling_pct", "easy hr_ceiling_pct", G_HARD,
	    "hr_ceiling_pct", "hard hr_ceiling_pct", false, " %", "");

	/* An easy ceiling at or below resting HR would stop every run. */
	if (p->hr_rest != 0 && p->hr_rest < p->hr_max &&
	    profile_num_ok(c, G_RUNNER, "hr_rest") &&
	    profile_num_ok(c, G_RUNNER, "hr_max") &&
	    profile_num_ok(c, G_EASY, "hr_ceiling_pct") &&
	    p->easy.hr_ceiling <= p->hr_rest) {
		config_setting_t *a, *b, *m;

		a = profile_setting(c, G_EASY, "hr_ceiling_pct");
		b = profile_setting(c, G_RUNNER, "hr_rest");
		m = a && cfg_line(a) > cfg_line(b) ? a : b;
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "easy hr_ceiling_pct (%g %%) of hr_max %d gives %d bpm, "
		    "not above hr_rest (%d bpm)", p->easy.hr_ceiling_pct,
		    p->hr_max, p->easy.hr_ceiling, p->hr_rest);
	}
}

static void
parse(struct pctx *c)
{
	struct profile *p = c->p;

	cfg_unknown_keys(c->root, top_keys, c->f, c->e);
	for (int g = 0; g < G_COUNT; g++) {
		c->grp[g] = cfg_group(c->root, grp_names[g], grp_required[g],
		    c->f, c->e);
		if (c->grp[g] != NULL)
			cfg_unknown_keys(c->grp[g], grp_keys[g], c->f, c->e);
	}
	profile_read_numbers(c);
	cfg_bool(c->grp[G_UNLOCK], "count_strength", true,
	    &p->unlock.count_strength, c->f, c->e);
	p->easy.hr_ceiling = (int)lround(p->hr_max * p->easy.hr_ceiling_pct /
	    100.0);
	p->hard.hr_ceiling = (int)lround(p->hr_max * p->hard.hr_ceiling_pct /
	    100.0);
	parse_runner(c);
	check_across(c);
	profile_parse_intervals(c);
	profile_parse_walkrun(c);
}

bool
profile_id_valid(const char *id)
{
	size_t n = strlen(id);

	return n >= 1 && n < PROFILE_NAME_MAX &&
	    strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int
profile_load(struct profile *p, const char *path, struct errlist *e)
{
	struct pctx c = { .p = p, .f = path, .e = e };
	const char *base = strrchr(path, '/');
	size_t before = e->n, n;
	config_t cf;

	memset(p, 0, sizeof(*p));
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
		n -= 5;
	if (strlen(path) >= sizeof(p->path)) {
		errlist_add(e, path, 0, "path is too long");
		return -1;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(p->id, sizeof(p->id), "%.*s", (int)n, base);
	if (n >= sizeof(p->id) || !profile_id_valid(p->id))
		errlist_add(e, path, 0, "runner id '%.*s' (the file name "
		    "without .conf) must be 1-%d characters of a-z, 0-9, _ "
		    "and -", (int)n, base, PROFILE_NAME_MAX - 1);

	config_init(&cf);
	if (cfg_read(&cf, path, e) == 0) {
		c.root = config_root_setting(&cf);
		parse(&c);
	}
	config_destroy(&cf);
	return e->n != before ? -1 : 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add id to a space-separated list, "..." once it is full. */
static void
list_add(char *list, size_t len, const char *id)
{
	size_t n = strlen(list);

	if (n + strlen(id) + 5 >= len) {
		if (n + 4 < len && (n < 3 || strcmp(list + n - 3, "...") != 0))
			snprintf(list + n, len - n, "%s...", n ? " " : "");
		return;
	}
	snprintf(list + n, len - n, "%s%s", n ? " " : "", id);
}

/*
 * Every *.conf of dir, sorted.  Without running, all or nothing.  With
 * it (a reload), a file with errors is replaced by the running profile
 * of the same id, or left out if there is none; its errors are still
 * in e, and r says which.
 */
static int
load_dir(struct profile_set *set, const char *dir,
    const struct profile_set *running, struct profile_reload *r,
    struct errlist *e)
{
	size_t before = e->n, n = 0, cap = 0, had;
	char **names = NULL, path[1024];
	const struct profile *old;
	struct dirent *de;
	struct stat st;
	DIR *d;

	set->v = NULL;
	set->n = 0;
	if ((d = opendir(dir)) == NULL) {
		errlist_add(e, dir, 0, "cannot open the profile directory: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		/* Editors leave .swp and backup files: only *.conf. */
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	set->v = n ? xcalloc(n, sizeof(*set->v)) : NULL;
	for (size_t i = 0; i < n; i++) {
		had = e->n;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == -1)
			errlist_add(e, path, 0, "%s", strerror(errno));
		else if (!S_ISREG(st.st_mode))
			errlist_add(e, path, 0, "not a regular file");
		else if (profile_load(&set->v[set->n], path, e) == 0)
			set->n++;
		if (e->n != had && running != NULL) {
			/* The id is the file's name, whatever its contents. */
			snprintf(path, sizeof(path), "%.*s",
			    (int)(strlen(names[i]) - 5), names[i]);
			if ((old = profile_find(running, path)) != NULL) {
				set->v[set->n++] = *old;
				list_add(r->kept, sizeof(r->kept), path);
				r->nkept++;
			} else {
				list_add(r->skipped, sizeof(r->skipped), path);
				r->nskipped++;
			}
		}
		free(names[i]);
	}
	free(names);
	/* All or nothing: one bad profile fails the whole set. */
	if (running == NULL && e->n != before) {
		profile_set_free(set);
		return -1;
	}
	return 0;
}

int
profile_load_dir(struct profile_set *set, const char *dir,
    struct errlist *e)
{
	return load_dir(set, dir, NULL, NULL, e);
}

int
profile_reload_dir(struct profile_set *set, const char *dir,
    const struct profile_set *running, struct profile_reload *r,
    struct errlist *e)
{
	memset(r, 0, sizeof(*r));
	return load_dir(set, dir, running, r, e);
}

void
profile_set_free(struct profile_set *set)
{
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

const struct profile *
profile_find(const struct profile_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].id, id) == 0)
			return &set->v[i];
	return NULL;
}
