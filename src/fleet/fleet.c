/*
 * Starting and stopping the outside reporting, the 1 Hz state timer, and
 * the counters' listener that turns events into MQTT messages.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "belt.h"
#include "fleet.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "mqtt.h"
#include "status.h"
#include "xmalloc.h"

struct fleet {
	struct belt	*b;
	struct http	*http;
	struct api	*api;
	struct mqtt	*mqtt;
	struct event	*state_ev;
	int		 metrics_runner;	/* as at start-up, like the rest */
};

static int
on_metrics(struct evhttp_request *req, struct evbuffer *body,
    const char **ctype, void *arg)
{
	struct fleet *f = arg;
	struct mqtt_stats ms;
	struct status st;

	(void)req;
	status_fill(f->b, &st);
	if (f->mqtt != NULL)
		mqtt_stats(f->mqtt, &ms);
	metrics_render(&st, &f->b->ctr, f->mqtt ? &ms : NULL,
	    f->metrics_runner, body);
	*ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 200;
}

static void
on_event(void *arg, const struct ctr_event *ev)
{
	struct fleet *f = arg;

	mqtt_event(f->mqtt, ev);
}

static void
on_second(evutil_socket_t fd, short what, void *arg)
{
	struct fleet *f = arg;
	struct status st;
	json_t *o;

	(void)fd;
	(void)what;
	/* The one snapshot treadctl status shows: the same fields, the
	 * same numbers. */
	status_fill(f->b, &st);
	o = status_json(&st);
	mqtt_state(f->mqtt, o);
	json_decref(o);
}

static void
open_http(struct fleet *f, const struct config *c)
{
	struct http_limits lim = { c->http.max_connections, c->http.timeout_s,
	    c->http.max_body };
	char err[256];

	f->http = http_open(f->b->base, c->http.host, c->http.port, &lim, err,
	    sizeof(err));
	if (f->http == NULL) {
		log_warnx("%s; no metrics", err);
		return;
	}
	http_route(f->http, "/metrics", on_metrics, f);
	if ((f->api = api_open(f->b, f->http, err, sizeof(err))) == NULL)
		log_warnx("%s; no console", err);
	log_info("http: listening on %s", c->http.listen);
}

static void
open_mqtt(struct fleet *f, const struct config *c)
{
	struct timeval one = { 1, 0 };
	char err[256];

	if ((f->mqtt = mqtt_open(c, err, sizeof(err))) == NULL) {
		log_warnx("%s; not publishing", err);
		return;
	}
	f->b->ctr.listener = on_event;
	f->b->ctr.listener_arg = f;
	f->state_ev = event_new(f->b->base, -1, EV_PERSIST, on_second, f);
	event_add(f->state_ev, &one);
}

struct fleet *
fleet_open(struct belt *b)
{
	struct fleet *f = xcalloc(1, sizeof(*f));

	f->b = b;
	f->metrics_runner = b->cfg.http.metrics_runner;
	if (b->cfg.http.listen[0] != '\0')
		open_http(f, &b->cfg);
	if (b->cfg.mqtt.host[0] != '\0')
		open_mqtt(f, &b->cfg);
	return f;
}

void
fleet_close(struct fleet *f)
{
	if (f == NULL)
		return;
	f->b->ctr.listener = NULL;
	if (f->state_ev != NULL)
		event_free(f->state_ev);
	mqtt_close(f->mqtt);
	api_close(f->api);
	http_close(f->http);
	free(f);
}
