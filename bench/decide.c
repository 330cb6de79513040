/*
 * How long today's decision takes: history_load + governor_decide for one
 * runner, with an empty history and with 10 years of daily history
 * (a session, a check-in and, twice a week, a strength session each day)
 * in SQLite.  Prints the median and p99 of N decisions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errlist.h"
#include "governor.h"
#include "history.h"
#include "profile_load.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
fill(struct history *h, const char *runner, int days, time_t now)
{
	hday_t today = hday_from_time(now);

	for (int i = days; i >= 1; i--) {
		struct hist_session s;
		struct hist_checkin c;
		struct hist_strength st;

		memset(&s, 0, sizeof(s));
		history_new_id(s.id);
		snprintf(s.runner, sizeof(s.runner), "%s", runner);
		snprintf(s.workout, sizeof(s.workout), "easy");
		s.start = now - (time_t)i * 86400;
		s.end = s.start + 1920;
		s.planned_min = s.actual_min = 32;
		s.distance_m = 3800;
		s.avg_speed = 7.1;
		s.max_speed = 7.5;
		s.avg_hr = 132;
		s.max_hr = 138;
		s.outcome = HO_COMPLETED;
		history_put_session(h, &s);
		memset(&c, 0, sizeof(c));
		snprintf(c.runner, sizeof(c.runner), "%s", runner);
		c.day = today - i;
		c.sleep_h = 7;
		c.at = s.start - 600;
		history_add_checkin(h, &c);
		if (i % 7 == 1 || i % 7 == 4) {
			memset(&st, 0, sizeof(st));
			snprintf(st.runner, sizeof(st.runner), "%s", runner);
			st.day = today - i;
			st.minutes = 25;
			st.at = s.start + 3600;
			history_add_strength(h, &st);
		}
	}
	history_sync(h);
}

/* The daemon's decision path: load the window, then from the last reset. */
static void
decide(struct history *h, const struct profile *p, time_t now,
    struct decision *d)
{
	struct runner_history rh;
	hday_t today = hday_from_time(now);
	char err[256];

	/* No symptom or lock: the daemon reads the whole history. */
	if (history_load(h, p->id, today - 100000, &rh, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "load: %s\n", err);
		exit(1);
	}
	governor_decide(p, &rh, now, today, d);
	history_free(&rh);
}

static void
run(struct history *h, const struct profile *p, const char *label, int n)
{
	double *t = calloc((size_t)n, sizeof(double));
	struct decision d;
	time_t now = time(NULL);

	for (int i = 0; i < n; i++) {
		double t0 = now_s();
		decide(h, p, now, &d);
		t[i] = (now_s() - t0) * 1000;
	}
	qsort(t, (size_t)n, sizeof(double), cmp);
	printf("decision, %-28s median %8.3f ms  p99 %8.3f ms  (n=%d, %s)\n",
	    label, t[n / 2], t[(n * 99) / 100], n, phase_name(d.phase));
	free(t);
}

int
main(int argc, char **argv)
{
	struct errlist e = { 0 };
	struct profile p;
	struct history *h;
	char err[256], path[512];
	const char *dir = argc > 1 ? argv[1] : "build/bench";
	double t0;

	if (profile_load(&p, "etc/profiles/building.conf", &e) == -1) {
		errlist_print(&e, stderr);
		return 1;
	}
	snprintf(p.id, sizeof(p.id), "bench");
	snprintf(path, sizeof(path), "%s/decide.db", dir);
	remove(path);
	if ((h = history_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	run(h, &p, "empty history", 200);
	t0 = now_s();
	fill(h, "bench", 3650, time(NULL));
	printf("wrote 10 years of daily rows in %.1f s\n", now_s() - t0);
	run(h, &p, "10 years of daily history", 50);
	history_close(h);
	remove(path);
	errlist_free(&e);
	return 0;
}
