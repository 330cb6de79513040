/*
 * Replies as data: a command fills a struct reply once; it leaves as the
 * plain protocol's lines or as one line of JSON (jansson), never both
 * built by hand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

static void
vset(struct reply *r, bool error, const char *fmt, va_list ap)
{
	r->error = error;
	if (fmt == NULL)
		r->msg[0] = '\0';
	else
		vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
}

void
rep_ok(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r, false, fmt, ap);
	va_end(ap);
}

void
rep_err(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(r, true, fmt, ap);
	va_end(ap);
}

void
rep_set(struct reply *r, const char *key, json_t *v)
{
	if (r->o == NULL)
		r->o = json_object();
	json_object_set_new(r->o, key, v);
}

const char *
rep_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

double
rep_num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

void
rep_render(struct reply *r, bool json, struct evbuffer *out)
{
	json_t *o;
	char *txt;

	if (json) {
		/* The fields, and the status as fields too. */
		o = json_object();
		json_object_set_new(o, "ok", json_boolean(!r->error));
		if (r->msg[0] != '\0')
			json_object_set_new(o, r->error ? "error" : "message",
			    json_string(r->msg));
		if (r->o != NULL)
			json_object_update(o, r->o);
		txt = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(12));
		json_decref(o);
		if (txt == NULL) {
			reply_error(out, "could not render the reply as JSON");
			goto out;
		}
		evbuffer_add_printf(out, "%s\n", txt);
		free(txt);
	} else if (r->text != NULL)
		r->text(r, out);	/* an error may carry details too */
	/* The JSON holds the message: the status line is then just "ok". */
	if (r->error)
		reply_error(out, "%s", r->msg);
	else if (r->msg[0] != '\0' && !json)
		reply_ok(out, "%s", r->msg);
	else
		reply_ok(out, NULL);
out:
	json_decref(r->o);
	r->o = NULL;
}
