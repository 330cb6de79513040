/*
 * How long today's decision takes, read as the daemon reads it
 * (decide_today: the window, then of the older days what the rules
 * count) for one runner, with an empty history and with 10 years of
 * daily history (a session, a check-in and, twice a week, a strength
 * session each day) in SQLite.  Prints the median and p99 of N
 * decisions.
 */
#include <stdio.h>
#include <time.h>

#include "benchutil.h"
#include "errlist.h"
#include "history.h"
#include "profile_load.h"

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
	bench_decisions(h, &p, "empty history", 200);
	t0 = bench_now();
	bench_fill(h, "bench", 3650, time(NULL));
	printf("wrote 10 years of daily rows in %.1f s\n", bench_now() - t0);
	bench_decisions(h, &p, "10 years of daily history", 50);
	history_close(h);
	remove(path);
	errlist_free(&e);
	return 0;
}
