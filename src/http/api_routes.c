/*
 * The console's routes: /api/... for the page, and the page itself.
 * Who may do what: anyone sees the belt's state (no health data) and may
 * STOP; a signed-in runner checks in, reads her plan and history, and
 * starts and steers her own session; another runner's session or data
 * is 403.  Staff commands are not here: they stay on the socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "belt.h"
#include "log.h"
#include "profile_load.h"
#include "xmalloc.h"

/* Steering a session: hers, or none on the belt.  NULL when answered. */
static const char *
steer(struct api *a, struct evhttp_request *req, json_t *body)
{
	const char *me = api_runner(req, body);
	json_t *st;
	bool busy;

	if (me == NULL)
		return NULL;
	st = api_status(a->b, me);
	busy = json_is_true(json_object_get(st, "busy"));
	json_decref(st);
	if (busy) {
		api_error(req, 403, "another runner's session is on the belt");
		return NULL;
	}
	return me;
}

static void
on_status(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	json_t *body = api_body(req, false);

	if (body == NULL)
		return;
	json_decref(body);
	api_json(req, 200, api_status(a->b, websess_runner(req)));
}

/* Names only: she picks hers from the list.  The units are hers once
 * she is signed in, the site's before. */
static void
on_runners(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	const struct profile_set *ps = &a->b->cfg.runners;
	json_t *body = api_body(req, false), *l;
	const char *me = websess_runner(req);

	if (body == NULL)
		return;
	json_decref(body);
	l = json_array();
	for (size_t i = 0; i < ps->n; i++)
		json_array_append_new(l, json_pack("{s:s, s:s}", "id",
		    ps->v[i].id, "name", ps->v[i].name));
	api_json(req, 200, json_pack("{s:o, s:s?, s:s}", "runners", l, "me",
	    me, "units", api_units(a->b, me)));
}

static void
on_logout(struct evhttp_request *req, void *arg)
{
	json_t *body = api_body(req, true);

	(void)arg;
	if (body == NULL)
		return;
	json_decref(body);
	websess_end(req);
	api_json(req, 200, NULL);
}

/* No body, no token: STOP is for anyone, at once, on the loop. */
static void
on_stop(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	char *argv[] = { "stop", NULL };

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		api_error(req, 405, "use POST here");
		return;
	}
	api_run(a->b, req, cmd_stop, 1, argv);
}

static void
on_checkin(struct evhttp_request *req, void *arg)
{
	static const char *const syms[] = { "leak", "heaviness", "bleeding",
	    "limitation", NULL };
	struct api *a = arg;
	json_t *body = api_body(req, true);
	char sleep[32], pain[32], flag[4][16];
	char *argv[12];
	const char *me;
	int argc = 0;

	if (body == NULL)
		return;
	if ((me = api_runner(req, body)) == NULL ||
	    api_num(req, body, "sleep", 0, 24, sleep, sizeof(sleep)) == -1 ||
	    api_num(req, body, "pain", 0, 10, pain, sizeof(pain)) == -1)
		goto out;
	argv[argc++] = "checkin";
	argv[argc++] = (char *)me;
	argv[argc++] = "--sleep";
	argv[argc++] = sleep;
	argv[argc++] = "--pain";
	argv[argc++] = pain;
	for (int i = 0; syms[i] != NULL; i++) {
		json_t *v = json_object_get(body, syms[i]);

		if (v != NULL && !json_is_boolean(v)) {
			api_error(req, 400, "'%s' must be true or false",
			    syms[i]);
			goto out;
		}
		if (json_is_true(v)) {
			snprintf(flag[i], sizeof(flag[i]), "--%s", syms[i]);
			argv[argc++] = flag[i];
		}
	}
	argv[argc] = NULL;
	api_run(a->b, req, cmd_checkin, argc, argv);
out:
	json_decref(body);
}

/* plan and history: hers, read on the worker thread. */
static void
read_mine(struct evhttp_request *req, struct api *a, cmd_fn *fn,
    const char *name)
{
	json_t *body = api_body(req, false);
	char *argv[] = { (char *)name, NULL, "--limit", "60", NULL };
	const char *me;

	if (body == NULL)
		return;
	if ((me = api_runner(req, body)) != NULL) {
		argv[1] = (char *)me;
		api_run(a->b, req, fn, fn == cmd_history ? 4 : 2, argv);
	}
	json_decref(body);
}

static void
on_plan(struct evhttp_request *req, void *arg)
{
	read_mine(req, arg, cmd_plan, "plan");
}

static void
on_history(struct evhttp_request *req, void *arg)
{
	read_mine(req, arg, cmd_history, "history");
}

static void
on_start(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	json_t *body = api_body(req, true);
	const char *me, *wk;
	char *argv[5];
	int argc = 0;

	if (body == NULL)
		return;
	if ((me = steer(a, req, body)) == NULL)
		goto out;
	argv[argc++] = "start";
	argv[argc++] = (char *)me;
	if ((wk = json_string_value(json_object_get(body, "workout"))) !=
	    NULL) {
		argv[argc++] = "--workout";
		argv[argc++] = (char *)wk;
	}
	argv[argc] = NULL;
	api_run(a->b, req, cmd_start, argc, argv);
out:
	json_decref(body);
}

/* speed, incline, symptom, resume, end: her session.  key: the field,
 * a number in [lo, hi] (lo < hi) or a word. */
static void
steer_cmd(struct evhttp_request *req, struct api *a, cmd_fn *fn,
    const char *name, const char *key, double lo, double hi)
{
	json_t *body = api_body(req, true);
	char *argv[3] = { (char *)name, NULL, NULL }, num[32];
	const char *word;
	int argc = 1;

	if (body == NULL)
		return;
	if (steer(a, req, body) == NULL)
		goto out;
	if (key != NULL && lo < hi) {
		if (api_num(req, body, key, lo, hi, num, sizeof(num)) == -1)
			goto out;
		argv[argc++] = num;
	} else if (key != NULL) {
		if ((word = json_string_value(json_object_get(body, key))) ==
		    NULL) {
			api_error(req, 400, "'%s' is missing", key);
			goto out;
		}
		argv[argc++] = (char *)word;
	}
	api_run(a->b, req, fn, argc, argv);
out:
	json_decref(body);
}

static void
on_speed(struct evhttp_request *req, void *arg)
{
	steer_cmd(req, arg, cmd_speed, "speed", "kmh", 0, 30);
}

static void
on_incline(struct evhttp_request *req, void *arg)
{
	steer_cmd(req, arg, cmd_incline, "incline", "pct", -30, 40);
}

static void
on_symptom(struct evhttp_request *req, void *arg)
{
	steer_cmd(req, arg, cmd_symptom, "symptom", "kind", 0, 0);
}

static void
on_resume(struct evhttp_request *req, void *arg)
{
	steer_cmd(req, arg, cmd_resume, "resume", NULL, 0, 0);
}

static void
on_end(struct evhttp_request *req, void *arg)
{
	steer_cmd(req, arg, cmd_end, "end", NULL, 0, 0);
}

static void
on_other(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(
	    req));

	if (path != NULL && strncmp(path, "/api/", 5) == 0) {
		api_error(req, 404, "no such API call: %.64s", path);
		return;
	}
	web_serve(req, a->web);
}

struct api *
api_open(struct belt *b, struct http *h, char *err, size_t errlen)
{
	static const struct {
		const char	*path;
		http_raw_handler fn;
	} r[] = {
		{ "/api/status", on_status }, { "/api/runners", on_runners },
		{ "/api/login", api_login }, { "/api/logout", on_logout },
		{ "/api/stop", on_stop }, { "/api/checkin", on_checkin },
		{ "/api/plan", on_plan }, { "/api/history", on_history },
		{ "/api/start", on_start }, { "/api/speed", on_speed },
		{ "/api/incline", on_incline }, { "/api/symptom", on_symptom },
		{ "/api/resume", on_resume }, { "/api/end", on_end },
	};
	struct api *a = xcalloc(1, sizeof(*a));

	a->b = b;
	a->h = h;
	/* The API goes on without the page. */
	if ((a->web = web_load(b->cfg.http.web_dir, err, errlen)) == NULL)
		log_warnx("%s; the API only", err);
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (http_route_raw(h, r[i].path, r[i].fn, a) == -1) {
			snprintf(err, errlen, "http: too many routes");
			api_close(a);
			return NULL;
		}
	a->ev = events_open(b, http_base(h));
	if (http_route_raw(h, "/api/events", events_serve, a->ev) == -1) {
		snprintf(err, errlen, "http: too many routes");
		api_close(a);
		return NULL;
	}
	http_route_other(h, on_other, a);
	return a;
}

void
api_close(struct api *a)
{
	if (a == NULL)
		return;
	events_close(a->ev);
	web_free(a->web);
	free(a);
}
