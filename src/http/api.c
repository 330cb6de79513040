/*
 * The console's JSON API: the shared parts.  A route checks the request
 * (method, a bounded JSON body, the runner's token) and then calls the
 * very command function the control socket calls (commands.h), with a
 * peer that is never staff; a command that finishes on the worker
 * thread answers the request later, on the loop.
 */
#include <sys/queue.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "api.h"
#include "belt.h"
#include "profile_load.h"
#include "status.h"

#define BODY_MAX	2048

/* Never root, never the staff group: staff commands stay on the socket. */
static const struct peer web_peer = { 0, (uid_t)-1, (gid_t)-1 };

void
api_json(struct evhttp_request *req, int code, json_t *o)
{
	struct evbuffer *body = evbuffer_new();
	char *s;

	if (o == NULL)
		o = json_object();
	if (json_object_get(o, "ok") == NULL)
		json_object_set_new(o, "ok", json_boolean(code < 400));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL || s == NULL) {
		free(s);
		if (body != NULL)
			evbuffer_free(body);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evbuffer_add_printf(body, "%s\n", s);
	free(s);
	http_reply(req, code, "application/json", body);
	evbuffer_free(body);
}

void
api_error(struct evhttp_request *req, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_json(req, code, json_pack("{s:b, s:s}", "ok", 0, "error", msg));
}

/* Health data (heart rate) and who runs: for that runner's token only. */
json_t *
api_status(struct belt *b, const char *runner)
{
	static const char *const health[] = { "hr_bpm", "hr_ceiling",
	    "hr_max", "runner", "workout", "walkrun_stage", "walkrun_stages",
	    "above_cap_s", NULL };
	struct status st;
	json_t *o;
	bool mine;

	status_fill(b, &st);
	o = status_json(&st);
	mine = runner != NULL && st.runner[0] != '\0' &&
	    strcmp(runner, st.runner) == 0;
	if (!mine)
		for (int i = 0; health[i] != NULL; i++)
			json_object_del(o, health[i]);
	json_object_set_new(o, "mine", json_boolean(mine));
	/* A session that has ended leaves its runner's name behind: the
	 * belt is free for the next runner all the same. */
	json_object_set_new(o, "busy", json_boolean(st.runner[0] != '\0' &&
	    !mine && strcmp(st.session, "idle") != 0));
	return o;
}

const char *
api_units(const struct belt *b, const char *runner)
{
	const struct profile *p = runner != NULL ?
	    profile_find(&b->cfg.runners, runner) : NULL;

	return p != NULL && p->units[0] != '\0' ? p->units :
	    b->cfg.http.units;
}

/* The command's reply as JSON: its fields, ok, and message or error. */
static void
reply_done(void *arg, struct reply *r)
{
	struct evhttp_request *req = arg;
	json_t *o = r->o != NULL ? r->o : json_object();

	r->o = NULL;
	json_object_set_new(o, "ok", json_boolean(!r->error));
	json_object_set_new(o, r->error ? "error" : "message",
	    json_string(r->msg));
	api_json(req, r->error ? 409 : 200, o);
}

void
api_run(struct belt *b, struct evhttp_request *req, cmd_fn *fn, int argc,
    char **argv)
{
	struct reply r;

	memset(&r, 0, sizeof(r));
	fn(b, &web_peer, argc, argv, &r);
	if (r.later != NULL)
		commands_later(b, &r, reply_done, req);
	else
		reply_done(req, &r);
}

json_t *
api_body(struct evhttp_request *req, bool post)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	size_t len = evbuffer_get_length(in);
	json_error_t je;
	json_t *o;

	if (post != (m == EVHTTP_REQ_POST)) {
		api_error(req, 405, "use %s here", post ? "POST" : "GET");
		return NULL;
	}
	if (!post)
		return json_object();
	if (len > BODY_MAX) {
		api_error(req, 413, "the body is %zu bytes; at most %d",
		    len, BODY_MAX);
		return NULL;
	}
	if (len == 0)
		return json_object();
	o = json_loadb((const char *)evbuffer_pullup(in, -1), len, 0, &je);
	if (o == NULL) {
		api_error(req, 400, "the body is not JSON: %s at line %d "
		    "column %d", je.text, je.line, je.column);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		api_error(req, 400, "the body must be a JSON object");
		return NULL;
	}
	return o;
}

const char *
api_runner(struct evhttp_request *req, json_t *body)
{
	const char *me = websess_runner(req), *asked, *query;
	struct evkeyvalq q;

	if (me == NULL) {
		api_error(req, 401, "sign in first: pick your name and enter "
		    "your PIN");
		return NULL;
	}
	asked = json_string_value(json_object_get(body, "runner"));
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	TAILQ_INIT(&q);
	if (asked == NULL && query != NULL &&
	    evhttp_parse_query_str(query, &q) == 0)
		asked = evhttp_find_header(&q, "runner");
	if (asked != NULL && strcmp(asked, me) != 0) {
		api_error(req, 403, "signed in as '%s': another runner's data "
		    "is hers alone", me);
		me = NULL;
	}
	evhttp_clear_headers(&q);
	return me;
}

int
api_num(struct evhttp_request *req, json_t *body, const char *key,
    double lo, double hi, char *buf, size_t len)
{
	json_t *v = json_object_get(body, key);

	if (v == NULL) {
		api_error(req, 400, "'%s' is missing", key);
		return -1;
	}
	if (!json_is_number(v) || json_number_value(v) < lo ||
	    json_number_value(v) > hi) {
		api_error(req, 400, "'%s' must be a number from %g to %g",
		    key, lo, hi);
		return -1;
	}
	snprintf(buf, len, "%g", json_number_value(v));
	return 0;
}
