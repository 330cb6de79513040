/*
 * A runner's history built by hand; see fakehist.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fakehist.h"

/* A zeroed record at the end of arr, which grows as needed. */
#define PUSH(arr, n, cap) (						\
	(n) == (cap) ? ((cap) = (cap) ? (cap) * 2 : 16,			\
	    (arr) = realloc((arr), (cap) * sizeof(*(arr)))) : (arr),	\
	assert_non_null(arr),						\
	memset(&(arr)[(n)], 0, sizeof(*(arr))),				\
	&(arr)[(n)++])

time_t
at(hday_t day, int hour, int min)
{
	return (time_t)day * 86400 + hour * 3600 + min * 60;
}

struct hist_session *
add_session(struct fake *f, hday_t day, int hour, double minutes)
{
	struct hist_session *s = PUSH(f->h.sessions, f->h.nsessions, f->cs);

	snprintf(s->workout, sizeof(s->workout), "easy");
	s->start = at(day, hour, 0);
	s->end = s->start + (time_t)(minutes * 60);
	s->planned_min = s->actual_min = minutes;
	/* Load is counted in running minutes: here all of it ran. */
	s->running_min = minutes;
	s->outcome = HO_COMPLETED;
	return s;
}

void
run(struct fake *f, hday_t day, double minutes)
{
	add_session(f, day, 7, minutes);
}

struct hist_session *
hard(struct fake *f, time_t end, double minutes, double hard_min)
{
	struct hist_session *s;

	s = add_session(f, hday_from_time(end), 0, minutes);
	snprintf(s->workout, sizeof(s->workout), "intervals");
	s->hard = true;
	s->end = end;
	s->start = end - (time_t)(minutes * 60);
	s->hard_min = hard_min;
	return s;
}

struct hist_strength *
strength(struct fake *f, hday_t day)
{
	struct hist_strength *s = PUSH(f->h.strength, f->h.nstrength, f->ct);

	s->day = day;
	s->minutes = 25;
	s->at = at(day, 12, 0);
	return s;
}

struct hist_checkin *
checkin(struct fake *f, hday_t day, double sleep_h)
{
	struct hist_checkin *c = PUSH(f->h.checkins, f->h.ncheckins, f->cc);

	c->day = day;
	c->sleep_h = sleep_h;
	c->at = at(day, 6, 30);
	return c;
}

struct hist_symptom *
symptom(struct fake *f, hday_t day, int hour, const char *kind)
{
	struct hist_symptom *s = PUSH(f->h.symptoms, f->h.nsymptoms, f->cy);

	s->day = day;
	s->at = at(day, hour, 0);
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	return s;
}

struct hist_override *
override(struct fake *f, time_t when, bool unlock, const char *staff,
    const char *reason)
{
	struct hist_override *o = PUSH(f->h.overrides, f->h.noverrides, f->co);

	o->at = when;
	o->unlock = unlock;
	snprintf(o->staff, sizeof(o->staff), "%s", staff);
	snprintf(o->reason, sizeof(o->reason), "%s", reason);
	return o;
}

void
good_week(struct fake *f, hday_t monday)
{
	run(f, monday, 30);
	run(f, monday + 2, 32);
	run(f, monday + 4, 30);
	strength(f, monday + 1);
	strength(f, monday + 3);
}

void
good_weeks(struct fake *f, hday_t monday, hday_t last)
{
	for (; monday <= last; monday += 7)
		good_week(f, monday);
}

void
fake_copy_if(struct fake *dst, const struct fake *src,
    bool (*keep)(hday_t day, void *arg), void *arg)
{
	const struct runner_history *s = &src->h;

	for (size_t i = 0; i < s->nsessions; i++)
		if (keep(hday_from_time(s->sessions[i].start), arg))
			*PUSH(dst->h.sessions, dst->h.nsessions, dst->cs) =
			    s->sessions[i];
	for (size_t i = 0; i < s->ncheckins; i++)
		if (keep(s->checkins[i].day, arg))
			*PUSH(dst->h.checkins, dst->h.ncheckins, dst->cc) =
			    s->checkins[i];
	for (size_t i = 0; i < s->nstrength; i++)
		if (keep(s->strength[i].day, arg))
			*PUSH(dst->h.strength, dst->h.nstrength, dst->ct) =
			    s->strength[i];
	for (size_t i = 0; i < s->nsymptoms; i++)
		if (keep(s->symptoms[i].day, arg))
			*PUSH(dst->h.symptoms, dst->h.nsymptoms, dst->cy) =
			    s->symptoms[i];
	for (size_t i = 0; i < s->noverrides; i++)
		if (keep(hday_from_time(s->overrides[i].at), arg))
			*PUSH(dst->h.overrides, dst->h.noverrides, dst->co) =
			    s->overrides[i];
}

void
fake_free(struct fake *f)
{
	free(f->h.sessions);
	free(f->h.checkins);
	free(f->h.strength);
	free(f->h.symptoms);
	free(f->h.overrides);
	memset(f, 0, sizeof(*f));
}

/* The runner rules' defaults (ARCHITECTURE.md). */
void
default_profile(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "maya");
	snprintf(p->name, sizeof(p->name), "Maya R.");
	p->hr_max = 185;
	p->hr_rest = 62;
	p->easy.min_speed = 5.5;
	p->easy.max_speed = 7.5;
	p->easy.max_incline = 2.0;
	p->easy.hr_ceiling_pct = 75;
	p->easy.hr_ceiling = 139;
	p->easy.max_minutes = 40;
	p->easy.start_minutes = 20;
	p->easy.walk_minutes = 6;
	p->hard.max_speed = 11.0;
	p->hard.max_incline = 3.0;
	p->hard.hr_ceiling_pct = 92;
	p->hard.hr_ceiling = 170;
	p->walk.speed = 5.0;
	p->unlock.weeks = 3;
	p->unlock.runs_per_week = 3;
	p->unlock.run_minutes = 30;
	p->unlock.strength_per_week = 2;
	p->unlock.count_strength = true;
	p->unlock.runs_per_day = 1;
	p->unlock.strength_minutes = 20;
	p->recovery.min_hours = 48;
	p->recovery.min_sleep_h = 6;
	p->recovery.max_hard_share = 0.20;
	p->recovery.pain_threshold = 3;
	p->recovery.hard_per_week = 2;
	p->recovery.base_runs = 2;
	p->recovery.base_days = 14;
	p->recovery.break_days = 14;
	p->recovery.comeback_days = 7;
	p->recovery.clear_days = 7;
	p->postnatal.min_weeks = 12;
	p->progression.max_growth = 1.10;
	p->progression.window_days = 30;
	p->templates[0] = (struct interval_template){ "6x1min", 10, 6, 60, 90,
	    10, 9.5, 0 };
	p->templates[1] = (struct interval_template){ "4x3min-hr", 10, 4, 180,
	    120, 10, 0, 88 };
	p->ntemplates = 2;
}
