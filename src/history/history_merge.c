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

/* The (day, time) a record is ordered by. */
typedef void	 keyfn(const void *, hday_t *, time_t *);

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

/* Ordered by the day of its start, as the stores order it. */
static void
key_session(const void *p, hday_t *d, time_t *t)
{
	const struct hist_session *s = p;

	*d = hday_from_time(s->start), *t = s->start;
}

static void
key_strength(const void *p, hday_t *d, time_t *t)
{
	const struct hist_strength *s = p;

	*d = s->day, *t = s->at;
}

static void
key_symptom(const void *p, hday_t *d, time_t *t)
{
	const struct hist_symptom *s = p;

	*d = s->day, *t = s->at;
}

static void
key_override(const void *p, hday_t *d, time_t *t)
{
	const struct hist_override *o = p;

	*d = hday_from_time(o->at), *t = o->at;
}

/*
 * The same record: a session by its id, the others by every column of
 * their table (history_tables.c) that is in the record.
 */
static bool
same(enum hist_kind k, const void *a, const void *b)
{
	const struct hist_table *t = &hist_tables[k];
	const size_t base = offsetof(struct hist_row, u);

	if (k == HK_SESSION)
		return strcmp(((const struct hist_session *)a)->id,
		    ((const struct hist_session *)b)->id) == 0;
	for (int i = 0; i < t->ncols; i++) {
		const struct hist_col *c = &t->cols[i];
		const unsigned char *fa, *fb;

		if (c->off < base)
			continue;	/* the row's id and day */
		fa = (const unsigned char *)a + (c->off - base);
		fb = (const unsigned char *)b + (c->off - base);
		switch (c->type) {
		case HC_TEXT:
		case HC_NTEXT:
			if (strncmp((const char *)fa, (const char *)fb,
			    c->len) != 0)
				return false;
			break;
		case HC_REAL:
			if (!same_real(*(const double *)fa,
			    *(const double *)fb))
				return false;
			break;
		default:
			if (memcmp(fa, fb, c->len) != 0)
				return false;
			break;
		}
	}
	return true;
}

static keyfn *const keys[] = {
	[HK_CHECKIN] = key_checkin, [HK_SESSION] = key_session,
	[HK_STRENGTH] = key_strength, [HK_SYMPTOM] = key_symptom,
	[HK_OVERRIDE] = key_override,
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
    enum hist_kind k, const struct hist_read *rd)
{
	const struct hist_table *kd = &hist_tables[k];
	size_t nd, na, n = 0, i, j, out = 0, first;
	const unsigned char *ad = hist_rh_get(dst, k, &nd),
	    *aa = hist_rh_get(add, k, &na);
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
			keys[k](e[n].row, &e[n].day, &e[n].t);
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
				    same(k, e[a].row, e[b].row))
					e[a].dropped = true;
	}
	/* Each side brought its own last row, however old; of the two only
	 * the later counts, as from one store.  (A load with rules brings
	 * them all.) */
	if (rd->limit == 0 && rd->rules == NULL && kd->keep_latest) {
		size_t last = n;
		for (i = 0; i < n; i++)
			if (!e[i].dropped)
				last = i;
		for (i = 0; i < n; i++)
			if (!e[i].dropped && e[i].day < rd->since &&
			    i != last)
				e[i].dropped = true;
	}
	for (i = 0; i < n; i++)
		if (!e[i].dropped)
			out++;
	first = rd->limit > 0 && out > (size_t)rd->limit ?
	    out - (size_t)rd->limit : 0;
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
    const struct hist_read *rd)
{
	for (int k = HK_CHECKIN; k <= HK_OVERRIDE; k++)
		merge_kind(dst, add, (enum hist_kind)k, rd);
	history_free(add);
}
