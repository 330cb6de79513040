/*
 * The careful half of the governor: the day's check-ins, red flags and
 * the days after one, and postnatal timing.  A day only ever gets more
 * careful: a later check-in may add a symptom, never take one away.
 */
#include <stdio.h>
#include <string.h>

#include "governor_int.h"

void
gov_checkin_merge(const struct runner_history *h, hday_t today,
    struct gov_checkin *m)
{
	time_t first = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < h->ncheckins; i++) {
		const struct hist_checkin *c = &h->checkins[i];

		if (c->day != today)
			continue;
		/* The night's sleep is what she said first: sleeping in
		 * after a short night does not make it longer. */
		if (!m->any || c->at < first) {
			first = c->at;
			m->sleep_h = c->sleep_h;
		}
		m->any = true;
		m->leak |= c->leak;
		m->heaviness |= c->heaviness;
		m->bleeding |= c->bleeding;
		m->limitation |= c->limitation;
		if (c->pain > m->pain)
			m->pain = c->pain;
	}
}

/* Red flags today: true if any (the day is walk-only). */
static bool
flags_today(const struct profile *p, const struct runner_history *h,
    const struct gov_checkin *ci, hday_t today, struct decision *d)
{
	const char *kind = NULL;
	bool flag;

	if (ci->leak)
		gov_reason(d, "red_flag_leak", "leak reported at check-in");
	if (ci->heaviness)
		gov_reason(d, "red_flag_heaviness", "heaviness or dragging "
		    "reported at check-in");
	if (ci->bleeding)
		gov_reason(d, "red_flag_bleeding", "bleeding reported at "
		    "check-in");
	if (ci->pain >= p->recovery.pain_threshold)
		gov_reason(d, "red_flag_pain", "pain %d/10 at check-in (red "
		    "flag from %d)", ci->pain, p->recovery.pain_threshold);
	flag = ci->leak || ci->heaviness || ci->bleeding ||
	    ci->pain >= p->recovery.pain_threshold;
	/* A symptom reported in a run today is a red flag for the day. */
	for (size_t i = 0; kind == NULL && i < h->nsymptoms; i++)
		if (h->symptoms[i].day == today)
			kind = h->symptoms[i].kind[0] ? h->symptoms[i].kind :
			    "symptom";
	for (size_t i = 0; kind == NULL && i < h->nsessions; i++)
		if (h->sessions[i].symptom &&
		    gov_session_day(&h->sessions[i]) == today)
			kind = "symptom";
	if (kind != NULL) {
		gov_reason(d, "red_flag_session", "%s reported today during "
		    "a session", kind);
		flag = true;
	}
	if (flag)
		gov_reason(d, "walk_only_physio", "walking only today: "
		    PHYSIO_ADVICE " before running again");
	return flag;
}

/*
 * The days after a red flag: easy running only, with the physio named,
 * until staff clear her or clear_days days pass without a symptom.
 */
static bool
after_flag(const struct profile *p, const struct runner_history *h,
    const struct gov_flag *f, hday_t today, struct decision *d)
{
	char d1[16], d2[16];

	if (f->day == GOV_NO_DAY || f->day >= today ||
	    today - f->day > p->recovery.clear_days)
		return false;
	for (size_t i = 0; i < h->noverrides; i++) {
		const struct hist_override *o = &h->overrides[i];

		if (o->clear && o->at >= f->at &&
		    hday_from_time(o->at) <= today)
			return false;
	}
	hday_format(f->day, d1, sizeof(d1));
	hday_format(f->day + p->recovery.clear_days + 1, d2, sizeof(d2));
	gov_reason(d, "after_red_flag", "%s on %s: easy running only, and "
	    PHYSIO_ADVICE ", until staff clear you or %d days pass without a "
	    "symptom (from %s)", f->what, d1, p->recovery.clear_days, d2);
	return true;
}

static bool
postnatal(const struct profile *p, hday_t today, struct decision *d)
{
	hday_t born, from;
	char d1[16], d2[16];

	if (!p->has_delivery)
		return false;
	born = hday_from_ymd(p->delivery_y, p->delivery_m, p->delivery_d);
	from = born + p->postnatal.min_weeks * 7;
	hday_format(born, d1, sizeof(d1));
	hday_format(from, d2, sizeof(d2));
	if (today < born) {
		gov_reason(d, "delivery_future", "delivery date %s is in the "
		    "future: walking only", d1);
		return true;
	}
	if (today < from) {
		gov_reason(d, "postnatal_walk", "week %d after delivery (%s): "
		    "walking only; running may start on %s, %d weeks after "
		    "delivery", (today - born) / 7 + 1, d1, d2,
		    p->postnatal.min_weeks);
		return true;
	}
	return false;
}

bool
gov_walk_only(const struct profile *p, const struct runner_history *h,
    const struct gov_checkin *ci, const struct gov_flag *f, hday_t today,
    struct decision *d, bool *easy_only)
{
	bool walk = flags_today(p, h, ci, today, d);

	*easy_only = false;
	if (!walk) {
		*easy_only = after_flag(p, h, f, today, d);
		/* Lesser signs: run, but gently. */
		if (ci->pain > 0) {
			gov_reason(d, "pain_easy", "pain %d/10 at check-in: "
			    "easy running only today", ci->pain);
			*easy_only = true;
		}
		if (ci->limitation) {
			gov_reason(d, "limitation_easy", "limitation reported "
			    "at check-in: easy running only today");
			*easy_only = true;
		}
	}
	return postnatal(p, today, d) || walk;
}
