/*
 * Unit tests of the console's runner sessions (src/http/api_session.c):
 * a token names its runner only when sent whole in the session cookie;
 * a forged, shortened or lengthened token names nobody; signing out
 * forgets it; tokens differ; the cookie is HttpOnly and SameSite=Strict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api.h"

/* A request carrying cookie (NULL: none). */
static struct evhttp_request *
req_with(const char *cookie)
{
	struct evhttp_request *r = evhttp_request_new(NULL, NULL);

	if (cookie != NULL)
		evhttp_add_header(evhttp_request_get_input_headers(r),
		    "Cookie", cookie);
	return r;
}

static const char *
runner_for(const char *cookie)
{
	static char who[64];
	struct evhttp_request *r = req_with(cookie);
	const char *w = websess_runner(r);

	snprintf(who, sizeof(who), "%s", w ? w : "(none)");
	evhttp_request_free(r);
	return who;
}

static void
test_token_names_runner(void **state)
{
	char tok[API_TOKEN_LEN + 1], c[256];

	(void)state;
	snprintf(tok, sizeof(tok), "%s", websess_new("maya"));
	assert_int_equal(strlen(tok), API_TOKEN_LEN);
	snprintf(c, sizeof(c), "treadmill_session=%s", tok);
	assert_string_equal(runner_for(c), "maya");
	snprintf(c, sizeof(c), "theme=dark; treadmill_session=%s; x=1", tok);
	assert_string_equal(runner_for(c), "maya");
	assert_string_equal(runner_for(NULL), "(none)");
	assert_string_equal(runner_for("theme=dark"), "(none)");
}

static void
test_forged_tokens(void **state)
{
	char tok[API_TOKEN_LEN + 1], c[256];

	(void)state;
	snprintf(tok, sizeof(tok), "%s", websess_new("maya"));
	/* One character changed. */
	snprintf(c, sizeof(c), "treadmill_session=%s", tok);
	c[strlen(c) - 1] = c[strlen(c) - 1] == 'a' ? 'b' : 'a';
	assert_string_equal(runner_for(c), "(none)");
	/* Shortened, lengthened, empty. */
	snprintf(c, sizeof(c), "treadmill_session=%.*s", API_TOKEN_LEN - 1,
	    tok);
	assert_string_equal(runner_for(c), "(none)");
	snprintf(c, sizeof(c), "treadmill_session=%s0", tok);
	assert_string_equal(runner_for(c), "(none)");
	assert_string_equal(runner_for("treadmill_session="), "(none)");
	/* Another cookie whose name ends the same. */
	snprintf(c, sizeof(c), "xtreadmill_session=%s", tok);
	assert_string_equal(runner_for(c), "(none)");
}

static void
test_tokens_differ_and_sign_out(void **state)
{
	char a[API_TOKEN_LEN + 1], b[API_TOKEN_LEN + 1], c[256];
	struct evhttp_request *r;
	const char *set;

	(void)state;
	snprintf(a, sizeof(a), "%s", websess_new("maya"));
	snprintf(b, sizeof(b), "%s", websess_new("ivy"));
	assert_string_not_equal(a, b);
	snprintf(c, sizeof(c), "treadmill_session=%s", b);
	assert_string_equal(runner_for(c), "ivy");
	r = req_with(c);
	websess_end(r);
	set = evhttp_find_header(evhttp_request_get_output_headers(r),
	    "Set-Cookie");
	assert_non_null(set);
	assert_non_null(strstr(set, "Max-Age=0"));
	evhttp_request_free(r);
	assert_string_equal(runner_for(c), "(none)");
	snprintf(c, sizeof(c), "treadmill_session=%s", a);
	assert_string_equal(runner_for(c), "maya");
}

static void
test_cookie_attributes(void **state)
{
	struct evhttp_request *r = req_with(NULL);
	const char *set;

	(void)state;
	websess_cookie(r, websess_new("maya"));
	set = evhttp_find_header(evhttp_request_get_output_headers(r),
	    "Set-Cookie");
	assert_non_null(set);
	assert_non_null(strstr(set, "; HttpOnly"));
	assert_non_null(strstr(set, "; SameSite=Strict"));
	assert_non_null(strstr(set, "; Path=/"));
	evhttp_request_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_names_runner),
		cmocka_unit_test(test_forged_tokens),
		cmocka_unit_test(test_tokens_differ_and_sign_out),
		cmocka_unit_test(test_cookie_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
