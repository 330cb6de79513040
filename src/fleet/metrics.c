/*
 * The text exposition, written by hand (there is no packaged C library
 * for it).  Every value is read from the status snapshot or the
 * counters; none is computed here.
 */
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "metrics.h"
#include "mqtt.h"
#include "safety.h"
#include "session.h"
#include "status.h"

static void
head(struct evbuffer *o, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

static void
gauge(struct evbuffer *o, const char *name, const char *help, double v)
{
	head(o, name, "gauge", help);
	evbuffer_add_printf(o, "%s %.17g\n", name, v);
}

static void
counter(struct evbuffer *o, const char *name, const char *help,
    unsigned long v)
{
	head(o, name, "counter", help);
	evbuffer_add_printf(o, "%s %lu\n", name, v);
}

/* A label value: \, " and newline escaped. */
static void
label(struct evbuffer *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			evbuffer_add_printf(o, "\\%c", *s);
		else if (*s == '\n')
			evbuffer_add_printf(o, "\\n");
		else
			evbuffer_add(o, s, 1);
	}
}

static void
histogram(struct evbuffer *o, const struct counters *c)
{
	unsigned long cum = 0;

	head(o, "treadmill_tick_period_seconds", "histogram",
	    "Time between two control ticks.");
	for (int i = 0; i < CTR_TICK_BUCKETS; i++) {
		cum += c->tick_le[i];
		evbuffer_add_printf(o, "treadmill_tick_period_seconds_bucket"
		    "{le=\"%g\"} %lu\n", ctr_tick_bounds[i], cum);
	}
	evbuffer_add_printf(o, "treadmill_tick_period_seconds_bucket"
	    "{le=\"+Inf\"} %lu\n", c->tick_count);
	evbuffer_add_printf(o, "treadmill_tick_period_seconds_sum %.17g\n",
	    c->tick_sum);
	evbuffer_add_printf(o, "treadmill_tick_period_seconds_count %lu\n",
	    c->tick_count);
}

void
metrics_render(const struct status *st, const struct counters *c,
    const struct mqtt_stats *mq, int with_runner, struct evbuffer *o)
{
	head(o, "treadmill_state", "gauge",
	    "The treadmill's state: 1 for the current one.");
	evbuffer_add_printf(o, "treadmill_state{state=\"");
	label(o, st->state);
	evbuffer_add_printf(o, "\"} 1\n");
	gauge(o, "treadmill_drive_connected", "1 while the drive link is up.",
	    st->connected);
	gauge(o, "treadmill_belt_speed_kmh", "Belt speed the drive reports.",
	    st->belt_kmh);
	gauge(o, "treadmill_commanded_speed_kmh", "Speed last commanded.",
	    st->cmd_kmh);
	gauge(o, "treadmill_cap_speed_kmh", "This tick's speed cap.",
	    st->cap_kmh);
	gauge(o, "treadmill_incline_percent", "Incline the drive reports.",
	    st->incline_pct);
	gauge(o, "treadmill_heart_rate_bpm", "Heart rate; 0 without signal.",
	    st->hr_bpm);
	gauge(o, "treadmill_run", "1 while RUN is commanded.", st->run);
	gauge(o, "treadmill_session_elapsed_seconds", "Time into the session.",
	    st->elapsed_s);
	head(o, "treadmill_session_info", "gauge",
	    "The running session; 0 values when idle.");
	evbuffer_add_printf(o, "treadmill_session_info{session=\"");
	label(o, st->session);
	evbuffer_add_printf(o, "\",workout=\"");
	label(o, st->workout);
	if (with_runner) {
		evbuffer_add_printf(o, "\",runner=\"");
		label(o, st->runner);
	}
	evbuffer_add_printf(o, "\"} 1\n");
	histogram(o, c);
	counter(o, "treadmill_ticks_total", "Control ticks run.", st->ticks);
	counter(o, "treadmill_modbus_transactions_total",
	    "Modbus transactions with the drive.", st->transactions);
	counter(o, "treadmill_modbus_failures_total",
	    "Modbus transactions that failed.", st->failures);
	counter(o, "treadmill_drive_connects_total",
	    "Connections made to the drive.", st->connects);
	head(o, "treadmill_stops_total", "counter", "Stops latched, by cause.");
	for (int i = 0; i < CTR_CAUSES; i++)
		evbuffer_add_printf(o, "treadmill_stops_total{cause=\"%s\"} "
		    "%lu\n", safety_cause_name(1u << i), c->stops[i]);
	head(o, "treadmill_sessions_total", "counter",
	    "Sessions ended, by outcome.");
	for (int i = 1; i < CTR_OUTCOMES; i++)
		evbuffer_add_printf(o, "treadmill_sessions_total{outcome=\"%s\"}"
		    " %lu\n", session_outcome_name((enum session_outcome)i),
		    c->sessions[i]);
	counter(o, "treadmill_reloads_total", "Configuration reloads applied.",
	    c->reloads);
	counter(o, "treadmill_reload_failures_total",
	    "Configuration reloads refused.", c->reload_failures);
	gauge(o, "treadmill_history_available", "1 while the history is open.",
	    st->history_ok);
	gauge(o, "treadmill_history_spooled_rows",
	    "History rows waiting in the spool.", (double)st->history_spooled);
	counter(o, "treadmill_history_write_errors_total",
	    "History writes that failed.", st->history_write_errors);
	if (mq == NULL)
		return;
	gauge(o, "treadmill_mqtt_connected", "1 while the broker is "
	    "connected.", mq->connected);
	counter(o, "treadmill_mqtt_published_total", "MQTT messages sent.",
	    mq->published);
	counter(o, "treadmill_mqtt_dropped_total", "MQTT messages dropped: "
	    "no broker, or the queue full.", mq->dropped);
	counter(o, "treadmill_mqtt_connects_total", "Connections made to the "
	    "broker.", mq->connects);
	gauge(o, "treadmill_mqtt_pending_messages", "Events held for the "
	    "broker or waiting for its acknowledgement.", mq->pending);
}
