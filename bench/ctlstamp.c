/*
 * ctlstamp: send one command line to treadmilld's control socket and time
 * it.  The socket is connected first; CLOCK_MONOTONIC is read just before
 * the line is written and again when the status line ("ok..." or
 * "error: ...") has arrived.  Prints one line:
 *
 *   <t_write> <t_reply> <status line>
 *
 * both times in seconds with nanosecond digits, the same clock the
 * simulator's event log uses.  Exit status: 0 ok, 1 error reply, 2 no
 * reply (or no daemon).
 *
 * usage: ctlstamp SOCKET WORD...
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN	512

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
usage(void)
{
	fprintf(stderr, "usage: ctlstamp SOCKET WORD...\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun;
	struct timeval tmo = { 5, 0 };
	char line[LINE_MAX_LEN], buf[4096];
	size_t len = 0, have = 0;
	double t0, t1;
	int fd;

	if (argc < 3)
		return usage();
	line[0] = '\0';
	for (int i = 2; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s",
		    i > 2 ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - len - 1) {
			fprintf(stderr, "ctlstamp: command too long\n");
			return 2;
		}
		len += (size_t)n;
	}
	line[len++] = '\n';
	line[len] = '\0';

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "ctlstamp: socket path too long\n");
		return 2;
	}
	memcpy(sun.sun_path, argv[1], strlen(argv[1]) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "ctlstamp: %s: %s\n", argv[1],
		    strerror(errno));
		return 2;
	}
	/* Never hang the benchmark on a daemon that does not answer. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));

	t0 = now();
	if (write(fd, line, len) != (ssize_t)len) {
		fprintf(stderr, "ctlstamp: write: %s\n", strerror(errno));
		close(fd);
		return 2;
	}
	for (;;) {
		char *nl, *start = buf;
		ssize_t n;

		if (have == sizeof(buf) - 1)
			have = 0;	/* a data line longer than buf: drop it */
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			if (strncmp(start, "ok", 2) == 0 ||
			    strncmp(start, "error:", 6) == 0) {
				t1 = now();
				printf("%.9f %.9f %s\n", t0, t1, start);
				close(fd);
				return start[0] == 'o' ? 0 : 1;
			}
			start = nl + 1;
		}
		have = strlen(start);
		memmove(buf, start, have + 1);
	}
	fprintf(stderr, "ctlstamp: no status line from the daemon\n");
	close(fd);
	return 2;
}
