/*
 * mbrelay: a timestamping TCP relay for Modbus TCP on loopback.
 *
 * It listens on 127.0.0.1 (a free port, printed as "port N" on stdout),
 * relays each connection to 127.0.0.1:UPSTREAM and logs every chunk it
 * reads, one line each:
 *
 *   c <t> <bytes> <fc>    from the master (client) toward the drive
 *   s <t> <bytes> <fc>    from the drive back to the master
 *   x <t>                 the connection closed
 *
 * t is CLOCK_MONOTONIC in seconds with nanosecond digits, taken when the
 * chunk was read; fc is the Modbus function code (byte 7 of the MBAP
 * frame) when the chunk starts a frame, which on loopback it does.
 * One connection at a time; SIGTERM or SIGINT ends it.
 *
 * usage: mbrelay UPSTREAM_PORT LOGFILE
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void
on_signal(int sig)
{
	(void)sig;
	done = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Relay one chunk from -> to; -1 when either side is gone. */
static int
relay(int from, int to, char dir, int logfd)
{
	unsigned char buf[1024];
	ssize_t n;
	double t;

	n = read(from, buf, sizeof(buf));
	t = now();
	if (n <= 0)
		return -1;
	dprintf(logfd, "%c %.9f %zd %u\n", dir, t, n,
	    n >= 8 ? (unsigned)buf[7] : 0u);
	return write_all(to, buf, (size_t)n);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct sigaction sa;
	long up;
	char *end;
	int lfd, logfd, one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: mbrelay UPSTREAM_PORT LOGFILE\n");
		return 2;
	}
	up = strtol(argv[1], &end, 10);
	if (*end != '\0' || up < 1 || up > 65535) {
		fprintf(stderr, "mbrelay: bad port %s\n", argv[1]);
		return 2;
	}
	if ((logfd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) == -1) {
		perror(argv[2]);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	    -1 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1) {
		perror("mbrelay: listen");
		return 1;
	}
	printf("port %u\n", (unsigned)ntohs(sin.sin_port));
	fflush(stdout);

	while (!done) {
		struct pollfd pf[2];
		int cfd, ufd;

		if ((cfd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			perror("mbrelay: accept");
			return 1;
		}
		sin.sin_port = htons((unsigned short)up);
		if ((ufd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
		    -1 || connect(ufd, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1) {
			perror("mbrelay: upstream");
			if (ufd != -1)
				close(ufd);
			close(cfd);
			continue;
		}
		nodelay(cfd);
		nodelay(ufd);
		pf[0].fd = cfd;
		pf[1].fd = ufd;
		pf[0].events = pf[1].events = POLLIN;
		while (!done) {
			if (poll(pf, 2, -1) == -1) {
				if (errno == EINTR)
					continue;
				break;
			}
			if ((pf[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    relay(cfd, ufd, 'c', logfd) == -1)
				break;
			if ((pf[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    relay(ufd, cfd, 's', logfd) == -1)
				break;
		}
		dprintf(logfd, "x %.9f\n", now());
		close(cfd);
		close(ufd);
	}
	close(lfd);
	close(logfd);
	return 0;
}
