/*
 * Unit tests of runner PINs (src/control/pins.c) against a real SQLite
 * history, with a clock the test moves: a PIN set, a wrong one refused,
 * five wrong ones in a row locking the runner out (the right one too),
 * the lock-out ending, and the hash being a real yescrypt one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <pthread.h>

#include "belt.h"
#include "commands.h"
#include "history.h"
#include "log.h"
#include "pins.h"
#include "testutil.h"

#define LOCKOUT_MIN	15

static time_t fake_now = 1770000000;

static time_t
fake_clock(void)
{
	return fake_now;
}

static int
setup(void **state)
{
	char path[128], err[256];
	struct history *h;

	if (tu_mkdir("test_pins") == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/history.db", tu_dir);
	if ((h = history_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	pins_reset();
	pins_set_clock(fake_clock);
	*state = h;
	return 0;
}

static int
teardown(void **state)
{
	const char *const files[] = { "history.db", "history.db-wal",
	    "history.db-shm" };
	char path[128];

	history_close(*state);
	pins_set_clock(NULL);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tu_dir, files[i]);
		unlink(path);
	}
	return tu_rmdir();
}

/* What set-pin stores: the hash, in the history. */
static void
set_pin(struct history *h, const char *runner, const char *pin)
{
	struct hist_pin p;
	char why[128];

	memset(&p, 0, sizeof(p));
	snprintf(p.runner, sizeof(p.runner), "%s", runner);
	snprintf(p.staff, sizeof(p.staff), "maria");
	p.at = fake_now;
	assert_int_equal(pins_hash(pin, p.hash, sizeof(p.hash), why,
	    sizeof(why)), 0);
	history_add_pin(h, &p);
	assert_int_equal(history_sync(h), 0);
}

static int
check(struct history *h, const char *runner, const char *pin, char *why,
    size_t len)
{
	return pins_check(h, LOCKOUT_MIN, runner, pin, why, len);
}

static void
test_valid(void **state)
{
	char why[64];

	(void)state;
	assert_int_equal(pins_valid("1234", why, sizeof(why)), 0);
	assert_int_equal(pins_valid("123456789012", why, sizeof(why)), 0);
	assert_int_equal(pins_valid("123", why, sizeof(why)), -1);
	assert_string_equal(why, "a PIN is 4 to 12 digits");
	assert_int_equal(pins_valid("1234567890123", why, sizeof(why)), -1);
	assert_int_equal(pins_valid("12a4", why, sizeof(why)), -1);
	assert_int_equal(pins_valid("", why, sizeof(why)), -1);
	assert_int_equal(pins_valid("12 34", why, sizeof(why)), -1);
}

/* A yescrypt string, salted afresh: the same PIN never hashes the same. */
static void
test_hash_is_yescrypt(void **state)
{
	char a[PIN_HASH_MAX], b[PIN_HASH_MAX], why[128];

	(void)state;
	assert_int_equal(pins_hash("2468", a, sizeof(a), why, sizeof(why)), 0);
	assert_int_equal(pins_hash("2468", b, sizeof(b), why, sizeof(why)), 0);
	assert_int_equal(strncmp(a, "$y$", 3), 0);
	assert_string_not_equal(a, b);
	assert_null(strstr(a, "2468"));
	assert_int_equal(pins_hash("24x8", a, sizeof(a), why, sizeof(why)),
	    -1);
}

static void
test_no_pin_yet(void **state)
{
	struct history *h = *state;
	char why[256];

	assert_int_equal(check(h, "bea", "1234", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "bea has no PIN yet"));
	assert_non_null(strstr(why, "treadctl set-pin bea"));
}

static void
test_right_and_wrong(void **state)
{
	struct history *h = *state;
	char why[256];

	set_pin(h, "bea", "2468");
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), 0);
	assert_int_equal(check(h, "bea", "1357", why, sizeof(why)), -1);
	assert_string_equal(why, "wrong PIN (4 more tries before a lock-out)");
	/* Another runner's PIN is not hers. */
	set_pin(h, "anna", "1357");
	assert_int_equal(check(h, "bea", "1357", why, sizeof(why)), -1);
	assert_int_equal(check(h, "anna", "1357", why, sizeof(why)), 0);
	/* A new PIN replaces the old one. */
	fake_now += 60;
	set_pin(h, "bea", "97531");
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), -1);
	assert_int_equal(check(h, "bea", "97531", why, sizeof(why)), 0);
}

/* Four wrong, then right: the count starts again. */
static void
test_right_resets_count(void **state)
{
	struct history *h = *state;
	char why[256];

	set_pin(h, "bea", "2468");
	for (int i = 0; i < PIN_TRIES - 1; i++)
		assert_int_equal(check(h, "bea", "0000", why, sizeof(why)), -1);
	assert_string_equal(why, "wrong PIN (1 more try before a lock-out)");
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), 0);
	for (int i = 0; i < PIN_TRIES - 1; i++)
		assert_int_equal(check(h, "bea", "0000", why, sizeof(why)), -1);
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), 0);
}

static void
test_lockout(void **state)
{
	struct history *h = *state;
	char why[256];

	set_pin(h, "bea", "2468");
	set_pin(h, "anna", "1357");
	for (int i = 0; i < PIN_TRIES - 1; i++)
		assert_int_equal(check(h, "bea", "0000", why, sizeof(why)), -1);
	assert_int_equal(check(h, "bea", "0000", why, sizeof(why)), -1);
	assert_string_equal(why, "wrong PIN; 5 wrong in a row: bea is locked "
	    "out for 15 minutes");
	/* The right PIN is refused while she is locked out... */
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), -1);
	assert_string_equal(why, "too many wrong PINs for bea: try again in "
	    "15 minutes, or ask staff");
	/* ...another runner is not. */
	assert_int_equal(check(h, "anna", "1357", why, sizeof(why)), 0);
	fake_now += LOCKOUT_MIN * 60 - 61;
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), -1);
	assert_string_equal(why, "too many wrong PINs for bea: try again in "
	    "2 minutes, or ask staff");
	fake_now += 61;
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), 0);
}

/* Staff setting a new PIN ends a lock-out. */
static void
test_new_pin_unlocks(void **state)
{
	struct history *h = *state;
	char why[256];

	set_pin(h, "bea", "2468");
	for (int i = 0; i < PIN_TRIES; i++)
		assert_int_equal(check(h, "bea", "0000", why, sizeof(why)), -1);
	assert_int_equal(check(h, "bea", "2468", why, sizeof(why)), -1);
	set_pin(h, "bea", "8642");
	pins_unlock("bea");
	assert_int_equal(check(h, "bea", "8642", why, sizeof(why)), 0);
}

/* From the loop: the check runs on the worker thread, the answer comes
 * back on the loop's thread, after pins_verify_later has returned. */
struct answer {
	int		 calls, rc;
	char		 why[256];
	pthread_t	 thread;
	struct event_base *base;
};

static void
answered(void *arg, int rc, const char *why)
{
	struct answer *a = arg;

	a->calls++;
	a->rc = rc;
	a->thread = pthread_self();
	snprintf(a->why, sizeof(a->why), "%s", why);
	event_base_loopbreak(a->base);
}

static void
wait_answer(struct answer *a)
{
	struct timeval tv = { 10, 0 };

	/* Bounded: a lost answer fails the test instead of hanging it. */
	event_base_loopexit(a->base, &tv);
	event_base_dispatch(a->base);
	assert_int_equal(a->calls, 1);
	assert_true(pthread_equal(a->thread, pthread_self()));
}

static void
test_verify_later(void **state)
{
	static struct belt b;
	struct answer a;

	memset(&b, 0, sizeof(b));
	memset(&a, 0, sizeof(a));
	b.hist = *state;
	b.cfg.control.pin_lockout_min = LOCKOUT_MIN;
	assert_non_null(b.base = a.base = event_base_new());
	set_pin(b.hist, "bea", "2468");

	pins_verify_later(&b, "bea", "2468", answered, &a);
	assert_int_equal(a.calls, 0);	/* not on the caller's stack */
	wait_answer(&a);
	assert_int_equal(a.rc, 0);

	a.calls = 0;
	pins_verify_later(&b, "bea", "1111", answered, &a);
	wait_answer(&a);
	assert_int_equal(a.rc, -1);
	assert_string_equal(a.why, "wrong PIN (4 more tries before a "
	    "lock-out)");

	/* A PIN longer than any is refused as one, not cut to fit. */
	a.calls = 0;
	pins_verify_later(&b, "bea", "24680000000000000000", answered, &a);
	wait_answer(&a);
	assert_int_equal(a.rc, -1);
	assert_string_equal(a.why, "a PIN is 4 to 12 digits");

	/* Without a history: refused at once, still through the callback. */
	a.calls = 0;
	b.hist = NULL;
	snprintf(b.hist_error, sizeof(b.hist_error), "disk gone");
	pins_verify_later(&b, "bea", "2468", answered, &a);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.rc, -1);
	assert_string_equal(a.why, "the history is unavailable: disk gone");
	commands_close();
	event_base_free(a.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_hash_is_yescrypt),
		cmocka_unit_test_setup_teardown(test_no_pin_yet, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_right_and_wrong, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_right_resets_count, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_pin_unlocks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_later, setup,
		    teardown),
	};

	log_init("test_pins", 1, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
