/*
 * Unit tests of the daemon's memory settings (src/util/footprint.c):
 * threads share one malloc arena, and a thread made without attributes
 * gets the small stack.  What looks at glibc's allocator itself is
 * skipped under AddressSanitizer and valgrind, whose allocators replace
 * it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <malloc.h>
#include <pthread.h>
#include <valgrind/valgrind.h>

#include "footprint.h"

#define NTHREADS	3
#define STACK_KB	256

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

/* ---- one arena -------------------------------------------------------- */

static pthread_barrier_t holding, release;

static void *
allocate_and_hold(void *arg)
{
	void *p[64];

	(void)arg;
	for (int i = 0; i < 64; i++)
		p[i] = malloc(256);
	pthread_barrier_wait(&holding);
	pthread_barrier_wait(&release);
	for (int i = 0; i < 64; i++)
		free(p[i]);
	return NULL;
}

static void
test_one_arena(void **state)
{
	pthread_t t[NTHREADS];
	char *xml = NULL;
	size_t len = 0;
	FILE *f;
	int heaps = 0;

	(void)state;
	skip_unless_glibc_malloc();
	pthread_barrier_init(&holding, NULL, NTHREADS + 1);
	pthread_barrier_init(&release, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, allocate_and_hold,
		    NULL), 0);
	/* Every thread has allocated and still holds it. */
	pthread_barrier_wait(&holding);
	assert_non_null(f = open_memstream(&xml, &len));
	assert_int_equal(malloc_info(0, f), 0);
	fclose(f);
	pthread_barrier_wait(&release);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (const char *p = xml; (p = strstr(p, "<heap nr=")) != NULL; p++)
		heaps++;
	free(xml);
	pthread_barrier_destroy(&holding);
	pthread_barrier_destroy(&release);
	assert_int_equal(heaps, 1);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_arena),
		cmocka_unit_test(test_thread_stack),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
