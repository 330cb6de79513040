/*
 * A read of the shared history merged with this treadmill's spool: rows
 * that wait for the database still count for the runner's plan.
 *
 * The spool is read first and the database after, so a row delivered in
 * between is seen twice but never missed; the copies go here.  Sessions
 * are known by their id (the spool's state is the newer one); the other
 * records carry no id in their structs, and two with every field equal
 * are the same record.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history_spool.h"
#include "history_tables.h"
#include "xmalloc.h"

struct kind {
	size_t	 size;
	void	 (*key)(const void *, hday_t *, time_t *);
	bool	 (*same)(const void *, const void *);
	bool	 keep_latest;	/* a load keeps the last, however old */
};

static bool
same_real(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void
key_checkin(const void *p, hday_t *d, time_t *t)
{
	const struct hist_checkin *c = p;

	*d = c->day, *t = c->at;
}

static bool
same_checkin(const void *pa, const void *pb)
{
	const struct hist_checkin *a = pa, *b = pb;

	return strcmp(a->runner, b->runner) == 0 && a->day == b->day &&
	    same_real(a->sleep_h, b->sleep_h) && a->pain == b->pain &&
	    a->leak == b->leak && a->heaviness == b->heaviness &&
	    a->bleeding == b->bleeding && a->limitation == b->limitation &&
	    a->at == b->at;
}

/* Ordered by the day of its start, as the stores order it. */
static void
key_session(const void *p, hday_t *d, time_t *t)
{
	const struct hist_session *s = p;

	*d = hday_from_time(s->start), *t = s->start;
}

static bool
same_session(const void *pa, const void *pb)
{
	const struct hist_session *a = pa, *b = pb;

	return strcmp(a->id, b->id) == 0;
}

static void
key_strength(const void *p, hday_t *d, time_t *t)
{
	const struct hist_strength *s = p;

	*d = s->day, *t = s->at;
}

static bool
same_strength(const void *pa, const void *pb)
{
	const struct hist_strength *a = pa, *b = pb;

	return strcmp(a->runner, b->runner) == 0 && a->day == b->day &&
	    same_real(a->minutes, b->minutes) && a->at == b->at;
}

static void
key_symptom(const void *p, hday_t *d, time_t *t)
{
	const struct hist_symptom *s = p;

	*d = s->day, *t = s->at;
}

static bool
same_symptom(const void *pa, const void *pb)
{
	const struct hist_symptom *a = pa, *b = pb;

	return strcmp(a->runner, b->runner) == 0 && a->day == b->day &&
	    a->at == b->at && strcmp(a->kind, b->kind) == 0 &&
	    strcmp(a->session_id, b->session_id) == 0;
}

static void
key_override(const void *p, hday_t *d, time_t *t)
{
	const struct hist_override *o = p;

	*d = hday_from_time(o->at), *t = o->at;
}

static bool
same_override(const void *pa, const void *pb)
{
	const struct hist_override *a = pa, *b = pb;

	return strcmp(a->runner, b->runner) == 0 && a->at == b->at &&
	    a->unlock == b->unlock && strcmp(a->staff, b->staff) == 0 &&
	    strcmp(a->reason, b->reason) == 0;
}

static const struct kind kinds[] = {
	[HK_CHECKIN] = { sizeof(struct hist_checkin), key_checkin,
	    same_checkin },
	[HK_SESSION] = { sizeof(struct hist_session), key_session,
	    same_session },
	[HK_STRENGTH] = { sizeof(struct hist_strength), key_strength,
	    same_strength },
	[HK_SYMPTOM] = { sizeof(struct hist_symptom), key_symptom,
	    same_symptom, true },
	[HK_OVERRIDE] = { sizeof(struct hist_override), key_override,
	    same_override, true },
};

struct ent {
	const unsigned char *row;
	hday_t	 day;
	time_t	 t;
	int	 spooled;	/* 0 the database's, 1 the spool's */
	size_t	 idx;
	bool	 dropped;
};

/* (day, time), then the database's first, then as they came. */
static int
cmp_ent(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->spooled != b->spooled)
		return a->spooled - b->spooled;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void
merge_kind(struct runner_history *dst, struct runner_history *add,
    enum hist_kind k, hday_t since, int keep_last)
{
	const struct kind *kd = &kinds[k];
	size_t nd, na, n = 0, i, j, out = 0, first;
	const unsigned char *ad = hist_rh_get(dst, k, &nd), *aa = hist_rh_get(add, k, &na);
	struct ent *e;
	unsigned char *rows;

	if (na == 0)
		return;
	e = xcalloc(nd + na, sizeof(*e));
	for (int src = 0; src < 2; src++) {
		const unsigned char *base = src ? aa : ad;
		size_t cnt = src ? na : nd;
		for (i = 0; i < cnt; i++, n++) {
			e[n].row = base + i * kd->size;
			kd->key(e[n].row, &e[n].day, &e[n].t);
			e[n].spooled = src;
			e[n].idx = i;
		}
	}
	qsort(e, n, sizeof(*e), cmp_ent);
	/* A copy has the same (day, time): look within each such run. */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && e[j].day == e[i].day &&
		    e[j].t == e[i].t; j++)
			;
		for (size_t a = i; a < j; a++)
			for (size_t b = i; b < j && !e[a].dropped; b++)
				if (!e[a].spooled && e[b].spooled &&
				    kd->same(e[a].row, e[b].row))
					e[a].dropped = true;
	}
	/* Each side brought its own last row, however old; of the two only
	 * the later counts, as from one store. */
	if (keep_last == 0 && kd->keep_latest) {
		size_t last = n;
		for (i = 0; i < n; i++)
			if (!e[i].dropped)
				last = i;
		for (i = 0; i < n; i++)
			if (!e[i].dropped && e[i].day < since && i != last)
				e[i].dropped = true;
	}
	for (i = 0; i < n; i++)
		if (!e[i].dropped)
			out++;
	first = keep_last > 0 && out > (size_t)keep_last ?
	    out - (size_t)keep_last : 0;
	rows = xcalloc(out - first > 0 ? out - first : 1, kd->size);
	for (i = 0, j = 0, out = 0; i < n; i++) {
		if (e[i].dropped || j++ < first)
			continue;
		memcpy(rows + out++ * kd->size, e[i].row, kd->size);
	}
	free(e);
	free(hist_rh_get(dst, k, &nd));
	hist_rh_set(dst, k, rows, out);
}

void
hist_merge(struct runner_history *dst, struct runner_history *add,
    hday_t since, int keep_last)
{
	for (int k = HK_CHECKIN; k <= HK_OVERRIDE; k++)
		merge_kind(dst, add, (enum hist_kind)k, since, keep_last);
	history_free(add);
}
