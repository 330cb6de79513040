/*
 * Unit tests of the daemon's memory settings (src/util/footprint.c) and
 * of the control worker giving freed memory back (src/control/worker.c):
 * a thread made without attributes gets the small stack, and what a job
 * freed leaves the process once the worker has nothing more to do.  They look at glibc's allocator itself,
 * so they are skipped under AddressSanitizer and valgrind, whose
 * allocators replace it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <malloc.h>
#include <pthread.h>
#include <valgrind/valgrind.h>

#include "footprint.h"
#include "worker.h"

#define STACK_KB	256
/* What a job allocates: small blocks (never mmap'd one by one), 8 MiB
 * in all; it frees them but one in KEEP_EVERY, so that what is free lies
 * between blocks in use, never at the heap's top, where free() itself
 * would give it back. */
#define NBLOCKS		2048
#define BLOCK		4000
#define KEEP_EVERY	64

static void
skip_unless_glibc_malloc(void)
{
#if defined(__SANITIZE_ADDRESS__)
	skip();
#endif
	if (RUNNING_ON_VALGRIND)
		skip();
}

static int
setup(void **state)
{
	(void)state;
	footprint_init();
	return 0;
}

/* Resident bytes of this process. */
static long
rss(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

/* ---- small stacks ------------------------------------------------------ */

static void *
own_stack_size(void *arg)
{
	pthread_attr_t a;

	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		pthread_attr_getstacksize(&a, arg);
		pthread_attr_destroy(&a);
	}
	return NULL;
}

static void
test_thread_stack(void **state)
{
	pthread_t t;
	size_t size = 0;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, own_stack_size, &size), 0);
	pthread_join(t, NULL);
	/* glibc may count the guard page in or out. */
	assert_true(size > (STACK_KB - 8) * 1024);
	assert_true(size <= STACK_KB * 1024);
}

/* ---- the worker trims -------------------------------------------------- */

struct big_job {
	struct job	 job;
	long		 peak;		/* RSS with the blocks in use */
	char		*kept[NBLOCKS / KEEP_EVERY];
	struct event_base *base;
};

static void
big_run(struct job *j)
{
	struct big_job *b = (struct big_job *)j;
	static char *p[NBLOCKS];

	for (int i = 0; i < NBLOCKS; i++) {
		p[i] = malloc(BLOCK);
		memset(p[i], 0x5a, BLOCK);
	}
	b->peak = rss();
	for (int i = 0; i < NBLOCKS; i++) {
		if (i % KEEP_EVERY == KEEP_EVERY - 1)
			b->kept[i / KEEP_EVERY] = p[i];
		else
			free(p[i]);
	}
}

static void
big_done(struct job *j)
{
	struct big_job *b = (struct big_job *)j;

	event_base_loopbreak(b->base);
}

static void
test_worker_trims(void **state)
{
	struct big_job b = { .job = { .run = big_run, .done = big_done } };
	struct worker *w;
	char err[256];
	long now = 0;

	(void)state;
	skip_unless_glibc_malloc();
	assert_non_null(b.base = event_base_new());
	w = worker_start(b.base, err, sizeof(err));
	assert_non_null(w);
	worker_submit(w, &b.job);
	event_base_dispatch(b.base);
	assert_true(b.job.ran);
	assert_true(b.peak > (long)NBLOCKS * BLOCK);
	/* The worker trims after handing the job back: give it 5 s. */
	for (int i = 0; i < 500; i++) {
		if ((now = rss()) < b.peak - (long)NBLOCKS * BLOCK * 3 / 4)
			break;
		usleep(10000);
	}
	worker_stop(w);
	event_base_free(b.base);
	for (int i = 0; i < NBLOCKS / KEEP_EVERY; i++)
		free(b.kept[i]);
	if (now >= b.peak - (long)NBLOCKS * BLOCK * 3 / 4)
		fail_msg("RSS %ld kB after the job, %ld kB with its 8 MiB in "
		    "use: the worker kept what the job freed", now / 1024,
		    b.peak / 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_stack),
		cmocka_unit_test(test_worker_trims),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
