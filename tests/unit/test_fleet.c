/*
 * The outside reporting's pure parts: the counters where events happen,
 * the text exposition made from a snapshot, and the bounded hold of
 * events for an absent broker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/buffer.h>

#include "counters.h"
#include "metrics.h"
#include "mqtt.h"
#include "mqtt_hold.h"
#include "safety.h"
#include "session.h"
#include "status.h"

static int heard;
static struct ctr_event last;

static void
listen_fn(void *arg, const struct ctr_event *ev)
{
	(void)arg;
	heard++;
	last = *ev;
}

static void
test_counters(void **state)
{
	struct counters c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.listener = listen_fn;
	heard = 0;
	ctr_tick(&c, 0.050);	/* on time: the 0.05 bucket */
	ctr_tick(&c, 0.052);	/* late: 0.055 */
	ctr_tick(&c, 3.0);	/* a stall: past every bound */
	assert_int_equal(c.tick_count, 3);
	assert_int_equal(c.tick_le[4], 1);
	assert_int_equal(c.tick_le[5], 1);
	unsigned long sum = 0;
	for (int i = 0; i < CTR_TICK_BUCKETS; i++)
		sum += c.tick_le[i];
	assert_int_equal(sum, 2);
	ctr_stop(&c, STOP_ESTOP | STOP_COMM);
	assert_int_equal(c.stops[0], 1);
	assert_int_equal(c.stops[6], 1);
	assert_int_equal(heard, 1);
	assert_int_equal(last.causes, STOP_ESTOP | STOP_COMM);
	ctr_session_end(&c, OUTCOME_SYMPTOM, "easy", "maya");
	assert_int_equal(c.sessions[OUTCOME_SYMPTOM], 1);
	assert_int_equal(last.kind, CTR_SESSION_END);
	ctr_reload(&c, 0);
	assert_int_equal(c.reload_failures, 1);
	assert_int_equal(heard, 3);
}

static char *
render(const struct status *st, const struct counters *c, int runner)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;
	char *s;

	metrics_render(st, c, NULL, runner, b);
	n = evbuffer_get_length(b);
	s = malloc(n + 1);
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	evbuffer_free(b);
	return s;
}

static void
test_metrics_text(void **state)
{
	struct status st;
	struct counters c;
	char *s;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(&c, 0, sizeof(c));
	st.state = "running";
	st.session = "running";
	strcpy(st.workout, "easy");
	strcpy(st.runner, "ma\"ya");
	st.belt_kmh = 6.25;
	st.transactions = 1234;
	ctr_tick(&c, 0.050);
	ctr_tick(&c, 0.052);
	ctr_stop(&c, STOP_KEY);
	s = render(&st, &c, 0);
	assert_non_null(strstr(s, "\ntreadmill_belt_speed_kmh 6.25\n"));
	assert_non_null(strstr(s, "\ntreadmill_modbus_transactions_total 1234\n"));
	/* Buckets are cumulative and end at the count. */
	assert_non_null(strstr(s, "treadmill_tick_period_seconds_bucket{le=\"0.05\"} 1\n"));
	assert_non_null(strstr(s, "treadmill_tick_period_seconds_bucket{le=\"0.055\"} 2\n"));
	assert_non_null(strstr(s, "treadmill_tick_period_seconds_bucket{le=\"0.5\"} 2\n"));
	assert_non_null(strstr(s, "treadmill_tick_period_seconds_bucket{le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(s, "treadmill_stops_total{cause=\"safety key\"} 1\n"));
	/* No runner unless allowed; escaped when allowed. */
	assert_null(strstr(s, "runner="));
	assert_null(strstr(s, "mqtt"));
	free(s);
	s = render(&st, &c, 1);
	assert_non_null(strstr(s, "runner=\"ma\\\"ya\"} 1\n"));
	free(s);
}

static void
count_fn(void *arg, const char *t, const char *p)
{
	char *log = arg;

	strcat(log, t);
	strcat(log, "=");
	strcat(log, p);
	strcat(log, ";");
}

static void
test_hold(void **state)
{
	struct mqtt_hold *h = mqtt_hold_new(3);
	char log[256] = "";

	(void)state;
	assert_int_equal(mqtt_hold_put(h, "a", "1"), 0);
	assert_int_equal(mqtt_hold_put(h, "b", "2"), 0);
	mqtt_hold_drain(h, count_fn, log);
	assert_string_equal(log, "a=1;b=2;");
	/* Around the ring, and bounded. */
	log[0] = '\0';
	assert_int_equal(mqtt_hold_put(h, "c", "3"), 0);
	assert_int_equal(mqtt_hold_put(h, "d", "4"), 0);
	assert_int_equal(mqtt_hold_put(h, "e", "5"), 0);
	assert_int_equal(mqtt_hold_put(h, "f", "6"), -1);
	assert_int_equal(mqtt_hold_count(h), 3);
	mqtt_hold_drain(h, count_fn, log);
	assert_string_equal(log, "c=3;d=4;e=5;");
	assert_int_equal(mqtt_hold_count(h), 0);
	assert_int_equal(mqtt_hold_put(h, "g", "7"), 0);
	mqtt_hold_free(h);	/* frees what it still holds */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_metrics_text),
		cmocka_unit_test(test_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
