/*
 * What the history benchmarks share; see benchutil.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "decide.h"
#include "governor.h"

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void
bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void
bench_fill(struct history *h, const char *runner, int days, time_t now)
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
		snprintf(s.treadmill, sizeof(s.treadmill), "bench");
		s.start = now - (time_t)i * 86400;
		s.end = s.start + 1920;
		s.planned_min = s.actual_min = 32;
		s.running_min = 26;
		s.walking_min = 6;	/* warm-up and cool-down */
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
	if (history_sync(h) != 0)
		bench_die("history_sync: %s", history_last_error(h));
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
bench_decisions(struct history *h, const struct profile *p,
    const char *label, int n)
{
	double *t = calloc((size_t)n, sizeof(double));
	time_t now = time(NULL);
	struct decision d;

	if (t == NULL)
		bench_die("out of memory");
	for (int i = 0; i < n; i++) {
		double t0 = bench_now();

		/* The daemon's own read: only the days the rules need. */
		decide_today(h, "", p, now, &d);
		t[i] = (bench_now() - t0) * 1000;
	}
	qsort(t, (size_t)n, sizeof(double), cmp);
	/* p99: the nearest rank, ceil(0.99 n). */
	printf("decision, %-34s median %8.3f ms  p99 %8.3f ms  (n=%d, %s)\n",
	    label, t[n / 2], t[(n * 99 + 99) / 100 - 1], n,
	    phase_name(d.phase));
	free(t);
}
