/*
 * The PIN for set-pin, never from the command line (where ps(1) and the
 * shell's history would show it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pin_input.h"

/* One line of fd 0 without its newline; -1 at EOF or if too long. */
static int
read_line(char *buf, size_t len)
{
	size_t n = 0;
	char c;
	ssize_t r;

	while ((r = read(STDIN_FILENO, &c, 1)) == 1 && c != '\n') {
		if (n + 1 >= len)
			return -1;
		buf[n++] = c;
	}
	if (r == -1 || (r == 0 && n == 0))
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int
ask(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int rc;

	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) == -1) {
		fprintf(stderr, "\ntreadctl: terminal: %s\n", strerror(errno));
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == -1) {
		fprintf(stderr, "\ntreadctl: terminal: %s\n", strerror(errno));
		return -1;
	}
	rc = read_line(buf, len);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

int
pin_input(const char *runner, char *pin, size_t len)
{
	char prompt[96], again[64];
	size_t n;

	if (!isatty(STDIN_FILENO)) {
		if (read_line(pin, len) == -1) {
			fprintf(stderr, "treadctl: set-pin: no PIN on stdin "
			    "(one line of 4 to 12 digits)\n");
			return -1;
		}
	} else {
		snprintf(prompt, sizeof(prompt), "PIN for %s: ", runner);
		if (ask(prompt, pin, len) == -1 ||
		    ask("The same PIN again: ", again, sizeof(again)) == -1) {
			fprintf(stderr, "treadctl: set-pin: no PIN read\n");
			return -1;
		}
		n = strcmp(pin, again);
		memset(again, 0, sizeof(again));
		if (n != 0) {
			fprintf(stderr, "treadctl: set-pin: the two PINs "
			    "differ; nothing changed\n");
			return -1;
		}
	}
	n = strlen(pin);
	if (n < 4 || n > 12 || strspn(pin, "0123456789") != n) {
		fprintf(stderr, "treadctl: set-pin: a PIN is 4 to 12 digits\n");
		return -1;
	}
	return 0;
}
