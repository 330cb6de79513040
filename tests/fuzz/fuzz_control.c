/*
 * The control protocol: the input is what a client sends on the socket,
 * line by line, as a staff member or as anyone (one byte picks), to a
 * daemon with a profile, a history and no drive.  Every request must get
 * exactly one status line ("ok..." or "error: ...") after its data
 * lines, whatever it holds; nothing crashes, leaks or reads out of
 * bounds.
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "belt.h"
#include "commands.h"
#include "config.h"
#include "control.h"
#include "fuzz.h"
#include "log.h"

#ifndef TOP
#define TOP "."
#endif

static struct event_base *base;
static struct belt belt;

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* A daemon as treadmilld starts it, but for the drive, which is away. */
static void
start(void)
{
	char path[256], conf[2048], cmd[512];
	struct config cfg;
	struct errlist e;
	const char *dir = fuzz_dir();

	snprintf(path, sizeof(path), "%s/profiles", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp %s/tests/integration/"
	    "data/maya.conf %s/", path, TOP, path);
	if (system(cmd) != 0)
		abort();
	snprintf(conf, sizeof(conf),
	    "drive = { transport = \"tcp\"; host = \"127.0.0.1\"; port = 9; "
	    "map = \"reference\"; map_dir = \"%s/hw/maps\"; };\n"
	    "control = { socket = \"%s/ctl.sock\"; };\n"
	    "daemon = { name = \"fuzz\"; user = \"\"; };\n"
	    "profiles = { dir = \"%s/profiles\"; };\n"
	    "history = { path = \"%s/history.db\"; };\n"
	    "plugins = { dir = \"%s/plugins\"; };\n", TOP, dir, dir, dir, dir);
	snprintf(path, sizeof(path), "%s/treadmilld.conf", dir);
	write_text(path, conf);
	memset(&e, 0, sizeof(e));
	memset(&cfg, 0, sizeof(cfg));
	if (config_load(&cfg, path, &e) == -1) {
		errlist_print(&e, stderr);
		abort();
	}
	/* To syslog, not stderr: the run's output stays libFuzzer's. */
	log_init("fuzz_control", 0, LOG_LVL_WARN);
	base = event_base_new();
	belt_init(&belt, base, &cfg);
	belt_open_history(&belt);
}

/* The reply to one request: data lines, then one status line. */
static void
check_reply(struct evbuffer *out)
{
	size_t len = evbuffer_get_length(out), nlines = 0;
	char *r, *line, *next, *last = NULL;

	if (len == 0)
		fuzz_fail("a request got no reply");
	r = malloc(len + 1);
	evbuffer_remove(out, r, len);
	r[len] = '\0';
	if (r[len - 1] != '\n')
		fuzz_fail("a reply does not end its last line");
	for (line = r; *line; line = next) {
		next = strchr(line, '\n') + 1;
		next[-1] = '\0';
		if (last != NULL)
			fuzz_fail("a line follows the status line");
		if (strncmp(line, "ok", 2) == 0 ||
		    strncmp(line, "error: ", 7) == 0)
			last = line;
		nlines++;
	}
	if (last == NULL)
		fuzz_fail("a reply has no status line");
	free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct peer staff = { 1, 0, 0 }, anyone = { 2, 65534, 65534 };
	char line[CONTROL_LINE_MAX + 1], *argv[CONTROL_ARGS_MAX];
	struct evbuffer *out;
	const char *err;
	size_t i = 0;
	int argc;

	if (base == NULL)
		start();
	out = evbuffer_new();
	while (i < size) {
		const struct peer *p = data[i++] & 1 ? &staff : &anyone;
		size_t n = 0;

		while (i < size && data[i] != '\n' && n < CONTROL_LINE_MAX)
			line[n++] = (char)data[i++];
		if (i < size && data[i] == '\n')
			i++;
		line[n] = '\0';
		if (control_split(line, &argc, argv, CONTROL_ARGS_MAX,
		    &err) == -1 || argc == 0)
			continue;
		commands_dispatch(&belt, p, argc, argv, out);
		check_reply(out);
	}
	evbuffer_free(out);
	return 0;
}
