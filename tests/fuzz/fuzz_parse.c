/*
 * The configuration parsers: treadmilld.conf, a runner profile, a
 * register map.  Built once per parser (-DPARSE_CONFIG, -DPARSE_PROFILE,
 * -DPARSE_REGMAP).  Any bytes are either loaded with no error listed, or
 * refused with at least one message, each naming the file; nothing
 * crashes, leaks or reads out of bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "errlist.h"
#include "fuzz.h"
#include "profile_load.h"
#include "regmap.h"

static int
load(const char *path, struct errlist *e)
{
#if defined(PARSE_CONFIG)
	struct config c;

	memset(&c, 0, sizeof(c));
	if (config_load(&c, path, e) == -1)
		return -1;
	config_free(&c);
	return 0;
#elif defined(PARSE_PROFILE)
	struct profile p;

	memset(&p, 0, sizeof(p));
	return profile_load(&p, path, e);
#elif defined(PARSE_REGMAP)
	struct regmap m;

	memset(&m, 0, sizeof(m));
	return regmap_load(&m, path, e);
#else
#error "build with -DPARSE_CONFIG, -DPARSE_PROFILE or -DPARSE_REGMAP"
#endif
}

/*
 * Every message begins with the file it is about: this one, or for
 * treadmilld.conf also a map or profile it names.
 */
static int
names_file(const char *msg, const char *path)
{
#if defined(PARSE_CONFIG)
	(void)path;
	return msg[0] == '/' && strchr(msg, ':') != NULL;
#else
	return strncmp(msg, path, strlen(path)) == 0 &&
	    msg[strlen(path)] == ':';
#endif
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errlist e;
	const char *path = fuzz_file(data, size);
	int rc;

	memset(&e, 0, sizeof(e));
	rc = load(path, &e);
	if (rc == 0 && e.n != 0)
		fuzz_fail("loaded, yet errors were listed");
	if (rc == -1 && e.n == 0)
		fuzz_fail("refused without a message");
	for (size_t i = 0; i < e.n; i++)
		if (!names_file(e.msgs[i], path))
			fuzz_fail("an error does not name its file");
	errlist_free(&e);
	return 0;
}
