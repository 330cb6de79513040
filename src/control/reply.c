/*
 * The control socket's line protocol, apart from the connections: words
 * out of a request line, and reply lines that cannot be mistaken for one
 * another.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "control.h"

static void
vreply(struct evbuffer *out, const char *prefix, const char *fmt, va_list ap)
{
	char line[CONTROL_LINE_MAX * 2];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* One line per call: a newline inside would forge a status line. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	evbuffer_add_printf(out, "%s%s\n", prefix, line);
}

void
reply_data(struct evbuffer *out, const char *fmt, ...)
{
	char line[CONTROL_LINE_MAX * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* A data line must never read as a status line. */
	if (strncmp(line, "ok", 2) == 0 || strncmp(line, "error:", 6) == 0)
		evbuffer_add(out, " ", 1);
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	evbuffer_add_printf(out, "%s\n", line);
}

void
reply_ok(struct evbuffer *out, const char *fmt, ...)
{
	va_list ap;

	if (fmt == NULL || *fmt == '\0') {
		evbuffer_add_printf(out, "ok\n");
		return;
	}
	va_start(ap, fmt);
	vreply(out, "ok ", fmt, ap);
	va_end(ap);
}

void
reply_error(struct evbuffer *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreply(out, "error: ", fmt, ap);
	va_end(ap);
}

int
control_split(char *line, int *argc, char **argv, int max, const char **err)
{
	char *p = line, *w;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n == max) {
			*err = "too many words";
			return -1;
		}
		if (*p == '"') {
			w = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"') {
				*err = "unterminated quote";
				return -1;
			}
			*p++ = '\0';
		} else {
			w = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = '\0';
		}
		for (char *q = w; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f) {
				*err = "control characters are not allowed";
				return -1;
			}
		argv[n++] = w;
	}
	*argc = n;
	return 0;
}
