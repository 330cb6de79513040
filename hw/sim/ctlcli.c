/*
 * "treadsim ctl -c PATH COMMAND [ARGS...]": send one line, print the one
 * line answered, exit 0 on "ok...", 1 on "error: ..." or any failure.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"

#define CLI_MAX_LINE	256
#define CLI_TIMEOUT_S	5

static void
ctl_usage(void)
{
	fprintf(stderr, "usage: treadsim ctl -c CTL_SOCKET COMMAND [ARGS...]\n");
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sim_ctl_client(int argc, char **argv)
{
	const char *path = NULL;
	char line[CLI_MAX_LINE + 2], reply[1024];
	struct sockaddr_un sun;
	struct timeval tv = { CLI_TIMEOUT_S, 0 };
	size_t len = 0, got = 0;
	ssize_t n;
	int ch, fd, i;

	optind = 1;
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		default:
			ctl_usage();
			return 1;
		}
	}
	if (path == NULL || optind >= argc) {
		ctl_usage();
		return 1;
	}
	for (i = optind; i < argc; i++) {
		size_t a = strlen(argv[i]);

		if (len + a + 1 > CLI_MAX_LINE) {
			fprintf(stderr, "treadsim ctl: command too long\n");
			return 1;
		}
		if (len > 0)
			line[len++] = ' ';
		memcpy(line + len, argv[i], a);
		len += a;
	}
	line[len++] = '\n';

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "treadsim ctl: %s: path too long\n", path);
		return 1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    write_all(fd, line, len) == -1) {
		fprintf(stderr, "treadsim ctl: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return 1;
	}
	while (got < sizeof(reply) - 1 && memchr(reply, '\n', got) == NULL) {
		n = read(fd, reply + got, sizeof(reply) - 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	reply[got] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	if (got == 0) {
		fprintf(stderr, "treadsim ctl: %s: no reply\n", path);
		return 1;
	}
	printf("%s\n", reply);
	return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}
