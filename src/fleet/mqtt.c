/*
 * MQTT publishing.  libmosquitto's thread (mosquitto_loop_start) does the
 * connecting, reconnecting with backoff and the socket I/O; the loop
 * calls mosquitto_publish, which only queues.  The counters shared with
 * that thread are atomics.
 */
#include <jansson.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mqtt.h"
#include "mqtt_hold.h"
#include "session.h"
#include "status.h"
#include "xmalloc.h"

struct mqtt {
	struct mosquitto *m;
	char		 base[256];	/* topic_prefix/name */
	char		 node[64];	/* the name, as a discovery id */
	char		 name[64];
	int		 queue_max;
	int		 share_runner, share_health;
	atomic_int	 connected;
	atomic_int	 pending;	/* QoS 1 not yet acknowledged */
	atomic_int	 pending0;	/* QoS 0 not yet written */
	atomic_ulong	 published, dropped, connects;
	/* Events while the broker is away wait here, in order; the lock
	 * also orders them against a connection coming up. */
	pthread_mutex_t	 lock;
	struct mqtt_hold *hold;
	atomic_int	 held;
};

static void
topic(const struct mqtt *q, const char *leaf, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", q->base, leaf);
}

/*
 * A QoS 1 message; an event only if fewer than queue_max wait for their
 * acknowledgement.  Held events and the messages of a new connection
 * were bounded already, so they go unchecked: at most queue_max held and
 * queue_max (and those few) unacknowledged.
 */
static void
send_q1(struct mqtt *q, const char *t, const char *payload, int retain,
    int bounded)
{
	if (bounded && atomic_load(&q->pending) >= q->queue_max) {
		atomic_fetch_add(&q->dropped, 1);
		return;
	}
	atomic_fetch_add(&q->pending, 1);
	if (mosquitto_publish(q->m, NULL, t, (int)strlen(payload), payload, 1,
	    retain) != MOSQ_ERR_SUCCESS) {
		atomic_fetch_sub(&q->pending, 1);
		atomic_fetch_add(&q->dropped, 1);
	}
}

/* An event: sent, or held while the broker is away. */
static void
send_event(struct mqtt *q, const char *t, const char *payload)
{
	pthread_mutex_lock(&q->lock);
	if (!atomic_load(&q->connected)) {
		if (mqtt_hold_put(q->hold, t, payload) == -1)
			atomic_fetch_add(&q->dropped, 1);
		atomic_store(&q->held, mqtt_hold_count(q->hold));
		pthread_mutex_unlock(&q->lock);
		return;
	}
	pthread_mutex_unlock(&q->lock);
	send_q1(q, t, payload, 0, 1);
}

static void
send_held(void *arg, const char *t, const char *payload)
{
	send_q1(arg, t, payload, 0, 0);
}

static void
discovery(struct mqtt *q)
{
	static const struct {
		const char *id, *name, *value, *unit, *dclass;
	} s[] = {
		{ "speed", "Belt speed", "belt_kmh", "km/h", "speed" },
		{ "incline", "Incline", "incline_pct", "%", NULL },
		{ "heart_rate", "Heart rate", "hr_bpm", "bpm", NULL },
		{ "state", "State", "state", NULL, NULL },
	};
	char t[384], st[320], av[320], tpl[64];

	topic(q, "state", st, sizeof(st));
	topic(q, "availability", av, sizeof(av));
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		json_t *o = json_object(), *dev = json_object();
		char uid[128], *txt;

		snprintf(uid, sizeof(uid), "treadmilld_%s_%s", q->node, s[i].id);
		snprintf(tpl, sizeof(tpl), "{{ value_json.%s }}", s[i].value);
		json_object_set_new(o, "name", json_string(s[i].name));
		json_object_set_new(o, "unique_id", json_string(uid));
		json_object_set_new(o, "state_topic", json_string(st));
		json_object_set_new(o, "value_template", json_string(tpl));
		json_object_set_new(o, "availability_topic", json_string(av));
		if (s[i].unit != NULL) {
			json_object_set_new(o, "unit_of_measurement",
			    json_string(s[i].unit));
			json_object_set_new(o, "state_class",
			    json_string("measurement"));
		}
		if (s[i].dclass != NULL)
			json_object_set_new(o, "device_class",
			    json_string(s[i].dclass));
		json_object_set_new(dev, "identifiers", json_pack("[s]",
		    q->node));
		json_object_set_new(dev, "name", json_string(q->name));
		json_object_set_new(dev, "model", json_string("treadmilld"));
		json_object_set_new(o, "device", dev);
		txt = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (txt == NULL)
			continue;
		snprintf(t, sizeof(t), "homeassistant/sensor/%s/%s/config",
		    q->node, s[i].id);
		send_q1(q, t, txt, 1, 0);
		free(txt);
	}
}

/* The callbacks run on libmosquitto's thread: atomics and the queue only. */
static void
on_connect(struct mosquitto *m, void *arg, int rc)
{
	struct mqtt *q = arg;
	char t[320];

	(void)m;
	if (rc != 0)
		return;
	atomic_fetch_add(&q->connects, 1);
	topic(q, "availability", t, sizeof(t));
	send_q1(q, t, "online", 1, 0);
	discovery(q);
	pthread_mutex_lock(&q->lock);
	mqtt_hold_drain(q->hold, send_held, q);
	atomic_store(&q->held, 0);
	atomic_store(&q->connected, 1);
	pthread_mutex_unlock(&q->lock);
}

static void
on_disconnect(struct mosquitto *m, void *arg, int rc)
{
	struct mqtt *q = arg;

	(void)m;
	(void)rc;
	pthread_mutex_lock(&q->lock);
	atomic_store(&q->connected, 0);
	pthread_mutex_unlock(&q->lock);
	/* Unwritten QoS 0 messages go with the connection. */
	atomic_store(&q->pending0, 0);
}

static void
on_publish(struct mosquitto *m, void *arg, int mid)
{
	struct mqtt *q = arg;

	(void)m;
	(void)mid;
	/* Called for both kinds, by mid; a QoS 0 message is written at
	 * once, so one outstanding is taken to be it.  The total is exact,
	 * the split at worst one message off. */
	atomic_fetch_add(&q->published, 1);
	if (atomic_load(&q->pending0) > 0)
		atomic_fetch_sub(&q->pending0, 1);
	else if (atomic_load(&q->pending) > 0)
		atomic_fetch_sub(&q->pending, 1);
}

static int
read_password(const char *path, char *buf, size_t len, char *err,
    size_t errlen)
{
	FILE *fp = fopen(path, "r");

	if (fp == NULL || fgets(buf, (int)len, fp) == NULL) {
		snprintf(err, errlen, "mqtt: cannot read password_file %s",
		    path);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

struct mqtt *
mqtt_open(const struct config *c, char *err, size_t errlen)
{
	struct mqtt *q = xcalloc(1, sizeof(*q));
	char t[320], pw[256];
	int rc;

	mosquitto_lib_init();
	snprintf(q->base, sizeof(q->base), "%s/%s", c->mqtt.topic_prefix,
	    c->daemon.name);
	snprintf(q->name, sizeof(q->name), "%s", c->daemon.name);
	for (size_t i = 0; c->daemon.name[i] && i < sizeof(q->node) - 1; i++)
		q->node[i] = strchr("/+# ", c->daemon.name[i]) ? '_' :
		    c->daemon.name[i];
	q->queue_max = c->mqtt.queue_max;
	q->share_runner = c->mqtt.share_runner;
	q->share_health = c->mqtt.share_health;
	pthread_mutex_init(&q->lock, NULL);
	q->hold = mqtt_hold_new(q->queue_max);
	if ((q->m = mosquitto_new(c->mqtt.client_id, true, q)) == NULL) {
		snprintf(err, errlen, "mqtt: cannot make the client");
		goto fail;
	}
	mosquitto_connect_callback_set(q->m, on_connect);
	mosquitto_disconnect_callback_set(q->m, on_disconnect);
	mosquitto_publish_callback_set(q->m, on_publish);
	mosquitto_reconnect_delay_set(q->m, 1, (unsigned)c->mqtt.reconnect_max_s,
	    true);
	topic(q, "availability", t, sizeof(t));
	mosquitto_will_set(q->m, t, 7, "offline", 1, true);
	if (c->mqtt.username[0] != '\0') {
		if (c->mqtt.password_file[0] != '\0' && read_password(
		    c->mqtt.password_file, pw, sizeof(pw), err, errlen) == -1)
			goto fail;
		mosquitto_username_pw_set(q->m, c->mqtt.username,
		    c->mqtt.password_file[0] ? pw : NULL);
	}
	/* A broker that is down now is tried again by the thread. */
	rc = mosquitto_connect_async(q->m, c->mqtt.host, c->mqtt.port,
	    c->mqtt.keepalive_s);
	if (rc != MOSQ_ERR_SUCCESS)
		log_warnx("mqtt: %s:%d: %s; retrying", c->mqtt.host,
		    c->mqtt.port, mosquitto_strerror(rc));
	if ((rc = mosquitto_loop_start(q->m)) != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "mqtt: cannot start its thread: %s",
		    mosquitto_strerror(rc));
		goto fail;
	}
	log_info("mqtt: publishing to %s:%d under %s", c->mqtt.host,
	    c->mqtt.port, q->base);
	return q;
fail:
	if (q->m != NULL)
		mosquitto_destroy(q->m);
	mqtt_hold_free(q->hold);
	pthread_mutex_destroy(&q->lock);
	free(q);
	mosquitto_lib_cleanup();
	return NULL;
}

static void
publish_json(struct mqtt *q, const char *leaf, json_t *o, int qos)
{
	char t[320], *txt = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));

	json_decref(o);
	if (txt == NULL)
		return;
	topic(q, leaf, t, sizeof(t));
	if (qos == 1)
		send_event(q, t, txt);
	else if (atomic_load(&q->connected)) {
		atomic_fetch_add(&q->pending0, 1);
		if (mosquitto_publish(q->m, NULL, t, (int)strlen(txt), txt, 0,
		    true) != MOSQ_ERR_SUCCESS) {
			atomic_fetch_sub(&q->pending0, 1);
			atomic_fetch_add(&q->dropped, 1);
		}
	} else
		atomic_fetch_add(&q->dropped, 1);
	free(txt);
}

static const char *
outcome_shown(const struct mqtt *q, const char *o)
{
	/* A symptom is health data: the site decides whether it leaves. */
	if (!q->share_health && strcmp(o, "symptom") == 0)
		return "stopped";
	return o;
}

/*
 * The state message: these fields of the status snapshot, as treadctl -j
 * status has them, in this order.  The runner only where the site shares
 * her name.
 */
static const char *const state_keys[] = {
	"state", "session", "workout", "runner", "belt_kmh", "cap_kmh",
	"incline_pct", "hr_bpm", "run", "elapsed_s", "distance_m",
	"connected", NULL
};

void
mqtt_state(struct mqtt *q, const json_t *status)
{
	json_t *o = json_object(), *v;

	for (const char *const *k = state_keys; *k != NULL; k++) {
		if (!q->share_runner && strcmp(*k, "runner") == 0)
			continue;
		if ((v = json_object_get(status, *k)) != NULL)
			json_object_set(o, *k, v);
	}
	publish_json(q, "state", o, 0);
}

void
mqtt_event(struct mqtt *q, const struct ctr_event *ev)
{
	json_t *o = json_object();

	json_object_set_new(o, "at", json_integer((json_int_t)time(NULL)));
	switch (ev->kind) {
	case CTR_SESSION_START:
	case CTR_SESSION_END:
		json_object_set_new(o, "event", json_string(ev->kind ==
		    CTR_SESSION_START ? "session_start" : "session_end"));
		json_object_set_new(o, "workout", json_string(ev->workout));
		if (q->share_runner)
			json_object_set_new(o, "runner",
			    json_string(ev->runner));
		if (ev->kind == CTR_SESSION_END)
			json_object_set_new(o, "outcome", json_string(
			    outcome_shown(q, session_outcome_name(
			    (enum session_outcome)ev->outcome))));
		break;
	case CTR_STOP:
		json_object_set_new(o, "event", json_string("stop"));
		json_object_set_new(o, "causes", status_causes(ev->causes));
		break;
	case CTR_RELOAD:
		json_object_set_new(o, "event", json_string("reload"));
		json_object_set_new(o, "ok", json_boolean(ev->ok));
		break;
	}
	publish_json(q, "event", o, 1);
}

void
mqtt_stats(struct mqtt *q, struct mqtt_stats *s)
{
	s->connected = atomic_load(&q->connected);
	s->published = atomic_load(&q->published);
	s->dropped = atomic_load(&q->dropped);
	s->connects = atomic_load(&q->connects);
	s->pending = atomic_load(&q->pending) + atomic_load(&q->held);
}

void
mqtt_close(struct mqtt *q)
{
	char t[320];

	if (q == NULL)
		return;
	/* Said on the way out; the will covers a crash. */
	topic(q, "availability", t, sizeof(t));
	if (atomic_load(&q->connected)) {
		mosquitto_publish(q->m, NULL, t, 7, "offline", 1, true);
		mosquitto_disconnect(q->m);
		mosquitto_loop_stop(q->m, false);
	} else	/* it may be waiting out a reconnect delay */
		mosquitto_loop_stop(q->m, true);
	mosquitto_destroy(q->m);
	mqtt_hold_free(q->hold);
	pthread_mutex_destroy(&q->lock);
	free(q);
	mosquitto_lib_cleanup();
}
