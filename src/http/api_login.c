/*
 * POST /api/login {"runner": ID, "pin": "1234"}: the PIN is checked on
 * the control worker thread (pins.h: slow on purpose, and it counts
 * wrong PINs to a lock-out); a right one opens a runner session whose
 * token goes back as an HttpOnly cookie, with the units her page shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "belt.h"
#include "pins.h"
#include "profile_load.h"
#include "xmalloc.h"

struct login {
	struct evhttp_request	*req;
	struct belt		*b;
	char			 runner[64];
};

static void
checked(void *arg, int rc, const char *why)
{
	struct login *l = arg;
	const char *token;

	if (rc == -1)
		api_error(l->req, 403, "%s", why);
	else if ((token = websess_new(l->runner)) == NULL)
		api_error(l->req, 503, "cannot open a session now; try again");
	else {
		websess_cookie(l->req, token);
		api_json(l->req, 200, json_pack("{s:s, s:s}", "runner",
		    l->runner, "units", api_units(l->b, l->runner)));
	}
	free(l);
}

void
api_login(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	json_t *body = api_body(req, true);
	const char *runner, *pin;
	struct login *l;
	char why[128];

	if (body == NULL)
		return;
	runner = json_string_value(json_object_get(body, "runner"));
	pin = json_string_value(json_object_get(body, "pin"));
	if (runner == NULL || pin == NULL)
		api_error(req, 400, "login needs \"runner\" and \"pin\" "
		    "(strings)");
	else if (!profile_id_valid(runner) ||
	    profile_find(&a->b->cfg.runners, runner) == NULL)
		api_error(req, 404, "no runner '%.40s' on this treadmill",
		    runner);
	else if (pins_valid(pin, why, sizeof(why)) == -1)
		api_error(req, 400, "%s", why);
	else {
		l = xcalloc(1, sizeof(*l));
		l->req = req;
		l->b = a->b;
		snprintf(l->runner, sizeof(l->runner), "%s", runner);
		pins_verify_later(a->b, runner, pin, checked, l);
	}
	json_decref(body);
}
