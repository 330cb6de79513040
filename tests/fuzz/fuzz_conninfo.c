/*
 * The shared history's conninfo file: the input is the file's contents,
 * read as the daemon reads it (its own file, mode 0600).  It is read, or
 * refused with a message naming the file; what is read holds no comment
 * and no line break.  Then every password libpq finds in the string
 * (quoted, escaped, percent-encoded in a URI, however long) is gone from
 * a message made of the string, of that password and of libpq's
 * complaint about the string, once the daemon has masked it.  Nothing
 * crashes, leaks or reads out of bounds.
 */
#include <sys/stat.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "history_pg.h"

/* As large as the longest string the file may hold, twice, and more:
 * the checks below are about masking, not about a message cut short. */
#define MSG_LEN	16384

/* Masking makes "*****"; a password of asterisks only cannot be told
 * from it, whatever masking does. */
static int
all_stars(const char *s)
{
	return s[strspn(s, "*")] == '\0';
}

/* A message as the daemon makes them: its own words, then the string
 * and libpq's complaint, both as they are. */
static void
check_masked(const struct hist_pg_info *info, const char *ci,
    const char *perr, const char *pw)
{
	static char msg[MSG_LEN];

	snprintf(msg, sizeof(msg), "history: PostgreSQL at %s unreachable: "
	    "%s (%s) password %s", ci, perr != NULL ? perr : "",
	    info->where, pw != NULL ? pw : "");
	hist_pg_mask(info, msg, sizeof(msg));
	if (pw != NULL && pw[0] != '\0' && !all_stars(pw) &&
	    strstr(msg, pw) != NULL)
		fuzz_fail("a password libpq reads is left in a masked message");
}

/* As hist_pg_connect does with a string libpq refuses. */
static void
check_scrubbed(const struct hist_pg_info *info, const char *perr,
    const char *path)
{
	char scrubbed[512], msg[1024];

	hist_pg_scrub_quotes(perr, scrubbed, sizeof(scrubbed));
	if (strlen(scrubbed) >= sizeof(scrubbed))
		fuzz_fail("scrubbing overran its buffer");
	snprintf(msg, sizeof(msg), "history.conninfo_file %s is not a libpq "
	    "connection string: %s", path, scrubbed);
	hist_pg_mask(info, msg, sizeof(msg));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hist_pg_info info;
	PQconninfoOption *opts;
	const char *path = fuzz_file(data, size), *pw = NULL;
	char err[1024], *ci, *perr = NULL;
	size_t plen;

	if (chmod(path, 0600) == -1) {
		perror(path);
		abort();
	}
	err[0] = '\0';
	ci = hist_pg_read_conninfo(path, getuid(), err, sizeof(err));
	plen = strlen("history.conninfo_file ") + strlen(path);
	if (ci == NULL) {
		if (strncmp(err, "history.conninfo_file ", 22) != 0 ||
		    strncmp(err + 22, path, strlen(path)) != 0 ||
		    strlen(err) <= plen)
			fuzz_fail("refused without a message naming the file");
		return 0;
	}
	if (err[0] != '\0')
		fuzz_fail("read, yet an error was set");
	if (ci[0] == '\0' || strchr(ci, '\n') != NULL ||
	    strchr(ci, '\r') != NULL || strlen(ci) > size)
		fuzz_fail("the string read is empty, has a line break or grew");

	memset(&info, 0, sizeof(info));
	snprintf(info.where, sizeof(info.where), "PostgreSQL");
	hist_pg_find_secrets(ci, &info);
	if ((opts = PQconninfoParse(ci, &perr)) != NULL) {
		hist_pg_describe(opts, &info);
		for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0)
				pw = o->val;
		check_masked(&info, ci, NULL, pw);
		PQconninfoFree(opts);
	} else {
		check_masked(&info, ci, perr, NULL);
		check_scrubbed(&info, perr != NULL ? perr : "out of memory",
		    path);
	}
	PQfreemem(perr);
	explicit_bzero(ci, strlen(ci));
	free(ci);
	return 0;
}
