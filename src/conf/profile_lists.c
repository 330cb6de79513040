/*
 * The two lists of a profile: interval templates and the walk-run
 * progression.  Each element is checked like a group of its own, and
 * against the caps it will run under.
 */
#include <stdio.h>
#include <string.h>

#include "cfgutil.h"
#include "profile_parse.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const template_keys[] = {
	"name", "warmup_min", "reps", "work_s", "recovery_s", "cooldown_min",
	"work_speed", "work_hr_pct", NULL
};
static const char *const stage_keys[] = {
	"run_s", "walk_s", "total_min", NULL
};

/* Walk-run progression when the profile gives none: 1 minute of running
 * up to 30 minutes continuous over seven stages. */
static const struct walkrun_stage default_stages[] = {
	{ 60, 90, 20 }, { 90, 90, 20 }, { 120, 60, 24 }, { 180, 60, 24 },
	{ 300, 60, 28 }, { 600, 60, 30 }, { 1800, 0, 30 },
};

/* Names are typed on the console and in treadctl: no spaces. */
static bool
template_name_ok(const char *s)
{
	return s[0] != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == strlen(s);
}

static void
parse_template(struct pctx *c, config_setting_t *g, int idx)
{
	struct interval_template *t = &c->p->templates[c->p->ntemplates];
	config_setting_t *ws, *hs, *m;
	char label[64];
	long long v;
	int rc;
	bool ok = true;

	cfg_unknown_keys(g, template_keys, c->f, c->e);
	if (cfg_string(g, "name", true, "", t->name, sizeof(t->name), c->f,
	    c->e) == 1) {
		if (!template_name_ok(t->name)) {
			m = config_setting_get_member(g, "name");
			errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
			    "interval template name \"%s\" may use only "
			    "letters, digits and . _ + -", t->name);
		}
		for (int i = 0; i < c->p->ntemplates; i++)
			if (strcmp(c->p->templates[i].name, t->name) == 0) {
				m = config_setting_get_member(g, "name");
				errlist_add(c->e, cfg_file(m, c->f),
				    cfg_line(m), "duplicate interval template "
				    "name \"%s\"", t->name);
			}
	}
	if (t->name[0] != '\0')
		snprintf(label, sizeof(label), "interval \"%s\"", t->name);
	else
		snprintf(label, sizeof(label), "interval template %d", idx + 1);

	cfg_double(g, "warmup_min", false, 10.0, 0, 60.0, &t->warmup_min,
	    c->f, c->e);
	cfg_int(g, "reps", true, 0, 1, 30, &v, c->f, c->e);
	t->reps = (int)v;
	cfg_double(g, "work_s", true, 0, 10.0, 600.0, &t->work_s, c->f, c->e);
	cfg_double(g, "recovery_s", true, 0, 0, 600.0, &t->recovery_s, c->f,
	    c->e);
	cfg_double(g, "cooldown_min", false, 10.0, 0, 60.0, &t->cooldown_min,
	    c->f, c->e);

	/* Work is steered by speed or by heart rate: exactly one. */
	ws = config_setting_get_member(g, "work_speed");
	hs = config_setting_get_member(g, "work_hr_pct");
	if (ws != NULL && hs != NULL) {
		m = cfg_line(hs) >= cfg_line(ws) ? hs : ws;
		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "%s has both work_speed and work_hr_pct: give one", label);
		ok = false;
	} else if (ws == NULL && hs == NULL) {
		errlist_add(c->e, cfg_file(g, c->f), cfg_line(g),
		    "%s needs work_speed (km/h) or work_hr_pct (%% of hr_max)",
		    label);
		ok = false;
	}
	rc = cfg_double(g, "work_speed", false, 0, 4.0, 22.0, &t->work_speed,
	    c->f, c->e);
	if (ok && rc == 1 && profile_num_ok(c, G_HARD, "max_speed")) {
		char an[96];

		snprintf(an, sizeof(an), "%s work_speed", label);
		profile_check_order(c, an, t->work_speed, ws,
		    "hard max_speed", c->p->hard.max_speed,
		    profile_setting(c, G_HARD, "max_speed"), false, " km/h",
		    "");
	}
	rc = cfg_double(g, "work_hr_pct", false, 0, 60.0, 100.0,
	    &t->work_hr_pct, c->f, c->e);
	if (ok && rc == 1 && profile_num_ok(c, G_HARD, "hr_ceiling_pct")) {
		char an[96];

		snprintf(an, sizeof(an), "%s work_hr_pct", label);
		profile_check_order(c, an, t->work_hr_pct, hs,
		    "hard hr_ceiling_pct", c->p->hard.hr_ceiling_pct,
		    profile_setting(c, G_HARD, "hr_ceiling_pct"), false,
		    " %", "");
	}
	c->p->ntemplates++;
}

void
profile_parse_intervals(struct pctx *c)
{
	config_setting_t *l = config_setting_get_member(c->root, "intervals");
	int n;

	if (l == NULL)
		return;
	if (!config_setting_is_list(l)) {
		errlist_add(c->e, cfg_file(l, c->f), cfg_line(l),
		    "'intervals' must be a list ( { ... }, ... )");
		return;
	}
	n = config_setting_length(l);
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(l, i);

		if (i == PROFILE_TEMPLATES_MAX) {
			errlist_add(c->e, cfg_file(g, c->f), cfg_line(g),
			    "more than %d interval templates",
			    PROFILE_TEMPLATES_MAX);
			return;
		}
		if (!config_setting_is_group(g)) {
			errlist_add(c->e, cfg_file(g, c->f), cfg_line(g),
			    "interval template %d must be a group { ... }",
			    i + 1);
			continue;
		}
		parse_template(c, g, i);
	}
}

static void
parse_stage(struct pctx *c, config_setting_t *g, int idx)
{
	struct walkrun_stage *s = &c->p->stages[c->p->nstages++];
	int rr, rt;
	char an[64];

	cfg_unknown_keys(g, stage_keys, c->f, c->e);
	rr = cfg_double(g, "run_s", true, 0, 10.0, 3600.0, &s->run_s, c->f,
	    c->e);
	cfg_double(g, "walk_s", true, 0, 0, 600.0, &s->walk_s, c->f, c->e);
	rt = cfg_double(g, "total_min", true, 0, 5.0, 120.0, &s->total_min,
	    c->f, c->e);
	if (rr == 1 && rt == 1 && s->run_s > s->total_min * 60) {
		config_setting_t *m = config_setting_get_member(g, "run_s");

		errlist_add(c->e, cfg_file(m, c->f), cfg_line(m),
		    "walkrun stage %d run_s (%g s) is longer than its "
		    "total_min (%g min)", idx + 1, s->run_s, s->total_min);
	}
	if (rt == 1 && profile_num_ok(c, G_EASY, "max_minutes")) {
		snprintf(an, sizeof(an), "walkrun stage %d total_min", idx + 1);
		profile_check_order(c, an, s->total_min,
		    config_setting_get_member(g, "total_min"),
		    "easy max_minutes", c->p->easy.max_minutes,
		    profile_setting(c, G_EASY, "max_minutes"), false, " min",
		    "");
	}
}

void
profile_parse_walkrun(struct pctx *c)
{
	config_setting_t *l;
	int n;

	l = c->grp[G_WALKRUN] ?
	    config_setting_get_member(c->grp[G_WALKRUN], "stages") : NULL;
	if (l == NULL) {
		c->p->nstages = (int)nitems(default_stages);
		memcpy(c->p->stages, default_stages, sizeof(default_stages));
		return;
	}
	if (!config_setting_is_list(l)) {
		errlist_add(c->e, cfg_file(l, c->f), cfg_line(l),
		    "'stages' must be a list ( { ... }, ... )");
		return;
	}
	n = config_setting_length(l);
	if (n == 0)
		errlist_add(c->e, cfg_file(l, c->f), cfg_line(l),
		    "walkrun stages is empty: give at least one stage, or "
		    "leave stages out for the default progression");
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(l, i);

		if (i == PROFILE_STAGES_MAX) {
			errlist_add(c->e, cfg_file(g, c->f), cfg_line(g),
			    "more than %d walkrun stages", PROFILE_STAGES_MAX);
			return;
		}
		if (!config_setting_is_group(g)) {
			errlist_add(c->e, cfg_file(g, c->f), cfg_line(g),
			    "walkrun stage %d must be a group { ... }", i + 1);
			continue;
		}
		parse_stage(c, g, i);
	}
}
