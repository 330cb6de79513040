/*
 * treadctl: talk to treadmilld over its control socket.  It sends one
 * command line and prints the reply; the exit status is 0 for "ok", 1 for
 * "error: ...", 2 when the daemon cannot be reached.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "control.h"
#include "errlist.h"
#include "pin_input.h"

#define DEFAULT_SOCKET "/run/treadmilld/treadmilld.sock"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: treadctl [-hj] [-c config | -s socket] command [args ...]\n"
	    "  -c file    read the socket path from this treadmilld.conf\n"
	    "  -s socket  control socket (default $TREADMILLD_SOCKET or %s)\n"
	    "  -j         the reply as one line of JSON (any command)\n"
	    "  -h         this help\n"
	    "commands: status, start, stop, resume, end, speed KMH,\n"
	    "  incline PERCENT, log-level [LEVEL], reload, help (the daemon's\n"
	    "  list), set-pin RUNNER (the PIN from the terminal or stdin),\n"
	    "  watch (a live line until the session ends)\n",
	    DEFAULT_SOCKET);
}

static int
connect_socket(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "treadctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "treadctl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "treadctl: cannot reach treadmilld at %s: %s\n",
		    path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Quote a word if the daemon would otherwise split it. */
static int
append_word(char *line, size_t len, const char *w)
{
	size_t off = strlen(line);
	int quote = strpbrk(w, " \t") != NULL || *w == '\0', n;

	if (strchr(w, '"') != NULL || strchr(w, '\n') != NULL) {
		fprintf(stderr, "treadctl: arguments may not contain quotes "
		    "or newlines\n");
		return -1;
	}
	n = snprintf(line + off, len - off, "%s%s%s%s", off ? " " : "",
	    quote ? "\"" : "", w, quote ? "\"" : "");
	if (n < 0 || (size_t)n >= len - off) {
		fprintf(stderr, "treadctl: command too long (at most %d "
		    "bytes)\n", CONTROL_LINE_MAX);
		return -1;
	}
	return 0;
}

/*
 * Send one request line; data lines go to fp (if not NULL), the status
 * line's text to stdout or stderr.  Returns 0 ok, 1 error, 2 unreachable.
 */
static int
request(const char *sock, const char *line, FILE *fp, char *data,
    size_t datalen)
{
	char buf[4096];
	int fd, status = 2;
	FILE *in;

	if ((fd = connect_socket(sock)) == -1)
		return 2;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		fprintf(stderr, "treadctl: write: %s\n", strerror(errno));
		close(fd);
		return 2;
	}
	if ((in = fdopen(fd, "r")) == NULL) {
		close(fd);
		return 2;
	}
	if (data != NULL && datalen > 0)
		data[0] = '\0';
	while (fgets(buf, sizeof(buf), in) != NULL) {
		if (strcmp(buf, "ok\n") == 0) {
			status = 0;
			break;
		}
		if (strncmp(buf, "ok ", 3) == 0) {
			if (fp != NULL)
				fputs(buf + 3, fp);
			status = 0;
			break;
		}
		if (strncmp(buf, "error: ", 7) == 0) {
			fprintf(stderr, "treadctl: %s", buf + 7);
			status = 1;
			break;
		}
		if (fp != NULL)
			fputs(buf[0] == ' ' ? buf + 1 : buf, fp);
		if (data != NULL && strlen(data) + strlen(buf) < datalen)
			strcat(data, buf);
	}
	if (status == 2)
		fprintf(stderr, "treadctl: the daemon closed the connection "
		    "without a reply\n");
	fclose(in);
	return status;
}

/* A field of the status as a number (0 when it is not one). */
static double
num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static const char *
str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * watch: one updating line with the session's figures, until the session
 * ends (or ^C).  It only reads status: it never commands the belt.
 */
static int
watch(const char *sock, int tty)
{
	char line[8192];
	int seen_session = 0, rc;
	struct timespec quarter = { 0, 250 * 1000 * 1000 };
	json_error_t jerr;
	json_t *o;
	double e;

	signal(SIGINT, on_sigint);
	while (!interrupted) {
		if ((rc = request(sock, "json status\n", NULL, line,
		    sizeof(line))) != 0)
			return rc;
		if ((o = json_loads(line, 0, &jerr)) == NULL) {
			fprintf(stderr, "treadctl: the daemon's status is not "
			    "JSON: %s\n", jerr.text);
			return 1;
		}
		if (strcmp(str(o, "session"), "idle") != 0)
			seen_session = 1;
		else if (seen_session) {
			json_decref(o);
			break;
		}
		e = num(o, "elapsed_s");
		printf("%s%3d:%02d  belt %5.2f km/h  cmd %5.2f  cap %5.2f  "
		    "incline %4.1f %%  HR %3d/%-3d  %5.2f km  %-9s %-12s%s",
		    tty ? "\r" : "", (int)e / 60, (int)e % 60,
		    num(o, "belt_kmh"), num(o, "cmd_kmh"), num(o, "cap_kmh"),
		    num(o, "incline_pct"), (int)num(o, "hr_bpm"),
		    (int)num(o, "hr_ceiling"), num(o, "distance_m") / 1000,
		    str(o, "state"), str(o, "segment"), tty ? "\033[K" : "\n");
		json_decref(o);
		fflush(stdout);
		nanosleep(&quarter, NULL);
	}
	if (tty)
		printf("\n");
	return 0;
}

int
main(int argc, char *argv[])
{
	/* At most CONTROL_LINE_MAX bytes, then the newline and the NUL. */
	char line[CONTROL_LINE_MAX + 2] = "";
	const size_t linelen = CONTROL_LINE_MAX + 1;	/* without '\n' */
	const char *sock = getenv("TREADMILLD_SOCKET"), *conf = NULL;
	int ch, json = 0;

	while ((ch = getopt(argc, argv, "+c:hjs:")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			json = 1;
			break;
		case 's':
			sock = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return 2;
	}
	if (conf != NULL) {
		static struct config cfg;
		static const struct profile_set none;
		struct profile_reload r;
		struct errlist errs = { 0 };

		/* Only the socket is needed: a profile with errors must not
		 * keep `treadctl -c FILE reload` from asking the daemon. */
		if (config_reload(&cfg, conf, &none, &r, &errs) == -1) {
			errlist_print(&errs, stderr);
			errlist_free(&errs);
			return 2;
		}
		sock = cfg.control.socket;
	}
	if (sock == NULL || *sock == '\0')
		sock = DEFAULT_SOCKET;

	/* "json COMMAND ...": the daemon answers with one line of JSON. */
	if (json && strcmp(argv[0], "watch") != 0)
		if (append_word(line, linelen, "json") == -1)
			return 2;
	for (int i = 0; i < argc; i++)
		if (append_word(line, linelen, argv[i]) == -1)
			return 2;

	if (strcmp(argv[0], "watch") == 0)
		return watch(sock, isatty(STDOUT_FILENO));
	if (strcmp(argv[0], "set-pin") == 0) {
		char pin[64];
		int rc;

		if (argc != 2) {
			fprintf(stderr, "treadctl: usage: set-pin RUNNER (the "
			    "PIN is read from the terminal or stdin, never "
			    "given on the command line)\n");
			return 2;
		}
		if (pin_input(argv[1], pin, sizeof(pin)) == -1 ||
		    append_word(line, linelen, pin) == -1) {
			memset(pin, 0, sizeof(pin));
			return 2;
		}
		memset(pin, 0, sizeof(pin));
		strcat(line, "\n");
		rc = request(sock, line, stdout, NULL, 0);
		memset(line, 0, sizeof(line));
		return rc;
	}
	strcat(line, "\n");
	return request(sock, line, stdout, NULL, 0);
}
