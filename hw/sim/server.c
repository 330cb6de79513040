/*
 * Modbus transport: a TCP server (several clients, each served until it
 * disconnects) or an RTU link.  libmodbus frames each request; regs.c
 * decides whether the contract allows it before modbus_reply answers from
 * a mapping refreshed for that one reply.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <modbus.h>

#include "sim.h"

#define MAX_CLIENTS	8
#define QUEUE_LEN	32	/* requests held back by "slow" */
#define BYTE_TIMEOUT_US	200000	/* a stalled frame blocks the loop this long */
#define REOPEN_S	1	/* RTU link lost: retry period */

struct client {
	struct sim_server	*sv;
	int			 fd;
	unsigned		 id;
	struct event		*ev;
	char			 peer[INET_ADDRSTRLEN + 8];
	struct client		*next;
};

/* What one request is answered with, fixed when it is received. */
struct answer {
	int		code;		/* exception, 0 for a normal reply */
	uint16_t	tele[SIM_NTELE];
	uint16_t	cmd[SIM_NCMD];
};

struct pending {
	uint8_t		req[MODBUS_MAX_ADU_LENGTH];
	int		len;
	unsigned	client;		/* 0: the RTU link */
	double		due;
	struct answer	ans;
};

struct sim_server {
	struct sim		*s;
	modbus_t		*ctx;
	bool			 rtu;
	int			 crc_len;
	modbus_mapping_t	*map;

	/* TCP */
	int			 listen_fd;
	struct event		*listen_ev;
	struct client		*clients;
	int			 nclients;
	unsigned		 next_id;

	/* RTU */
	char			*device;
	int			 baud;
	char			 parity;
	struct event		*rtu_ev;
	struct event		*reopen_ev;
	bool			 link_warned;

	int			 cap[2];	/* socketpair: a reply captured */

	struct pending		 q[QUEUE_LEN];
	int			 qhead, qlen;
	struct event		*q_ev;
};

static struct client *
client_find(struct sim_server *sv, unsigned id)
{
	struct client *cl;

	for (cl = sv->clients; cl != NULL; cl = cl->next)
		if (cl->id == id)
			return cl;
	return NULL;
}

static void
log_write(const struct sim *s, const struct sim_req *q)
{
	const struct sim_cmd *c = &s->model.cmd;

	sim_event("write fc=%u run=%d reset=%d speed=%.2f incline=%.1f hb=%u "
	    "addr=%u n=%u", q->fc, c->run, c->reset, c->speed_kmh,
	    c->incline_pct, c->heartbeat, q->wr_addr, q->wr_n);
}

/* Validate and apply one request addressed to us; decide its answer. */
static void
handle(struct sim_server *sv, const uint8_t *req, int len, struct answer *a)
{
	struct sim *s = sv->s;
	struct sim_req q;
	int hl = modbus_get_header_length(sv->ctx);
	double now = sim_now();
	unsigned ev;

	sim_model_events(s, sim_model_tick(&s->model, now));
	s->requests++;
	if (s->exc_code != 0)
		a->code = s->exc_code;
	else
		a->code = sim_regs_parse(s->regs.lay, req + hl,
		    (size_t)(len - hl - sv->crc_len), &q);
	if (a->code == 0 && q.wr_n > 0) {
		s->writes++;
		ev = sim_regs_apply(&s->regs, &s->model, &q, now);
		log_write(s, &q);
		sim_model_events(s, ev);
	}
	if (a->code != 0) {
		s->errors++;
		sim_event("exception fc=%u code=%d", req[hl], a->code);
	}
	sim_regs_telemetry(&s->regs, &s->model, a->tele);
	memcpy(a->cmd, s->regs.cmd, sizeof(a->cmd));
}

/*
 * A misbehaving drive: the reply libmodbus would send is captured through
 * a socket pair and handed to misbehave.c to be changed and sent.
 */
static int
capture_begin(struct sim_server *sv, int *out_fd)
{
	if (sv->cap[0] == sv->cap[1] && socketpair(AF_UNIX,
	    SOCK_STREAM | SOCK_CLOEXEC, 0, sv->cap) == -1) {
		sim_warn("socketpair");
		sv->cap[0] = sv->cap[1] = 0;
		return -1;
	}
	*out_fd = modbus_get_socket(sv->ctx);
	modbus_set_socket(sv->ctx, sv->cap[0]);
	return 0;
}

static void
capture_end(struct sim_server *sv, unsigned client, int fd)
{
	uint8_t b[MODBUS_MAX_ADU_LENGTH];
	ssize_t n;

	modbus_set_socket(sv->ctx, fd);
	n = recv(sv->cap[1], b, sizeof(b), MSG_DONTWAIT);
	if (n > 0)
		sim_mb_send(sv->s, fd, client, sv->rtu, b, (size_t)n);
}

static void
answer(struct sim_server *sv, unsigned client, const uint8_t *req, int len,
    const struct answer *a)
{
	const struct sim_layout *lay = sv->s->regs.lay;
	struct client *cl;
	int hl = modbus_get_header_length(sv->ctx), rc, fd = -1;
	bool mis = sv->s->misbehave != SIM_MB_NONE;

	if (sv->s->mute)
		return;
	if (!sv->rtu) {
		if ((cl = client_find(sv, client)) == NULL)
			return;		/* gone while its reply was held */
		modbus_set_socket(sv->ctx, cl->fd);
	}
	if (a->code != 0 && sv->rtu && req[hl - 1] == MODBUS_BROADCAST_ADDRESS)
		return;			/* never answer a broadcast */
	if (mis && capture_begin(sv, &fd) == -1)
		return;
	if (a->code != 0) {
		rc = modbus_reply_exception(sv->ctx, req, (unsigned)a->code);
	} else {
		/* The mapping is storage only: regs.c checked every address. */
		memcpy(sv->map->tab_registers + lay->tele_base, a->tele,
		    sizeof(a->tele));
		memcpy(sv->map->tab_input_registers + lay->tele_base, a->tele,
		    sizeof(a->tele));
		memcpy(sv->map->tab_registers + lay->cmd_base, a->cmd,
		    sizeof(a->cmd));
		rc = modbus_reply(sv->ctx, req, len, sv->map);
	}
	if (mis)
		capture_end(sv, client, fd);
	if (rc == -1)
		sim_warnx("reply: %s", modbus_strerror(errno));
}

static void
queue_arm(struct sim_server *sv)
{
	double d = sv->q[sv->qhead].due - sim_now();
	struct timeval tv;

	if (d < 0)
		d = 0;
	tv.tv_sec = (time_t)d;
	tv.tv_usec = (suseconds_t)((d - (double)tv.tv_sec) * 1e6);
	evtimer_add(sv->q_ev, &tv);
}

static void
queue_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_server *sv = arg;
	struct pending p;

	(void)fd;
	(void)what;
	if (sv->qlen == 0)
		return;
	p = sv->q[sv->qhead];
	sv->qhead = (sv->qhead + 1) % QUEUE_LEN;
	sv->qlen--;
	answer(sv, p.client, p.req, p.len, &p.ans);
	if (sv->qlen > 0)
		queue_arm(sv);
}

static void
received(struct sim_server *sv, unsigned client, const uint8_t *req, int len)
{
	struct sim *s = sv->s;
	struct pending *p;
	struct answer a;
	int hl = modbus_get_header_length(sv->ctx);

	/* RTU is filtered by libmodbus (our unit or broadcast). */
	if ((!sv->rtu && req[hl - 1] != s->unit) || s->mute) {
		s->ignored++;
		return;
	}
	if (s->slow_ms == 0 && sv->qlen == 0) {
		handle(sv, req, len, &a);
		answer(sv, client, req, len, &a);
		return;
	}
	/* "slow": the request takes effect now, its reply goes out later. */
	if (sv->qlen == QUEUE_LEN) {
		s->ignored++;
		sim_warnx("slow: queue full, request dropped");
		return;
	}
	p = &sv->q[(sv->qhead + sv->qlen) % QUEUE_LEN];
	handle(sv, req, len, &p->ans);
	memcpy(p->req, req, (size_t)len);
	p->len = len;
	p->client = client;
	p->due = sim_now() + s->slow_ms / 1000.0;
	if (sv->qlen++ == 0)
		queue_arm(sv);
}

/* TCP */

static void
client_drop(struct client *cl, int err)
{
	struct sim_server *sv = cl->sv;
	struct client **pp;

	if (err != ECONNRESET)
		sim_warnx("client %s: %s", cl->peer, modbus_strerror(err));
	sim_event("disconnect peer=%s", cl->peer);
	sim_mb_forget(sv->s, cl->id);
	for (pp = &sv->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	event_free(cl->ev);
	close(cl->fd);
	if (modbus_get_socket(sv->ctx) == cl->fd)
		modbus_set_socket(sv->ctx, -1);
	sv->nclients--;
	free(cl);
}

static void
client_cb(evutil_socket_t fd, short what, void *arg)
{
	struct client *cl = arg;
	struct sim_server *sv = cl->sv;
	uint8_t req[MODBUS_TCP_MAX_ADU_LENGTH];
	int rc;

	(void)fd;
	(void)what;
	modbus_set_socket(sv->ctx, cl->fd);
	rc = modbus_receive(sv->ctx, req);
	if (rc == -1) {
		/* Framing is lost on a TCP stream: drop the client. */
		client_drop(cl, errno);
		return;
	}
	if (rc > 0)
		received(sv, cl->id, req, rc);
}

static void
accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_server *sv = arg;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct client *cl;
	char addr[INET_ADDRSTRLEN] = "?";
	int cfd;

	(void)fd;
	(void)what;
	if ((cfd = modbus_tcp_accept(sv->ctx, &sv->listen_fd)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != ECONNABORTED)
			sim_warn("accept");
		return;
	}
	modbus_set_socket(sv->ctx, -1);
	if (sv->nclients >= MAX_CLIENTS ||
	    (cl = calloc(1, sizeof(*cl))) == NULL) {
		sim_warnx("too many clients, connection refused");
		close(cfd);
		return;
	}
	if (getpeername(cfd, (struct sockaddr *)&sin, &slen) == 0)
		inet_ntop(AF_INET, &sin.sin_addr, addr, sizeof(addr));
	snprintf(cl->peer, sizeof(cl->peer), "%s:%u", addr,
	    (unsigned)ntohs(sin.sin_port));
	cl->sv = sv;
	cl->fd = cfd;
	cl->id = ++sv->next_id;
	cl->ev = event_new(sv->s->base, cfd, EV_READ | EV_PERSIST, client_cb,
	    cl);
	if (cl->ev == NULL || event_add(cl->ev, NULL) == -1) {
		sim_warnx("client event setup failed");
		if (cl->ev != NULL)
			event_free(cl->ev);
		close(cfd);
		free(cl);
		return;
	}
	cl->next = sv->clients;
	sv->clients = cl;
	sv->nclients++;
	sim_event("connect peer=%s", cl->peer);
}

static int
tcp_open(struct sim_server *sv, const char *spec, char *desc, size_t dlen)
{
	char host[64], *colon, *end;
	struct in_addr ia;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	long port;

	if (strlen(spec) >= sizeof(host) ||
	    (colon = strrchr(strcpy(host, spec), ':')) == NULL) {
		sim_warnx("-t %s: expected ADDR:PORT", spec);
		return -1;
	}
	*colon = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 0 ||
	    port > 65535) {
		sim_warnx("-t %s: bad port", spec);
		return -1;
	}
	if (inet_pton(AF_INET, host, &ia) != 1) {
		sim_warnx("-t %s: expected a numeric IPv4 address", spec);
		return -1;
	}
	if ((sv->ctx = modbus_new_tcp(host, (int)port)) == NULL) {
		sim_warnx("modbus_new_tcp: %s", modbus_strerror(errno));
		return -1;
	}
	modbus_set_byte_timeout(sv->ctx, 0, BYTE_TIMEOUT_US);
	if ((sv->listen_fd = modbus_tcp_listen(sv->ctx, MAX_CLIENTS)) == -1) {
		sim_warn("listen on %s", spec);
		return -1;
	}
	/* Never block the loop on an accept that lost its race. */
	fcntl(sv->listen_fd, F_SETFL,
	    fcntl(sv->listen_fd, F_GETFL) | O_NONBLOCK);
	if (getsockname(sv->listen_fd, (struct sockaddr *)&sin, &slen) == 0)
		port = ntohs(sin.sin_port);	/* port 0: the one we got */
	sv->listen_ev = event_new(sv->s->base, sv->listen_fd,
	    EV_READ | EV_PERSIST, accept_cb, sv);
	if (sv->listen_ev == NULL || event_add(sv->listen_ev, NULL) == -1) {
		sim_warnx("listen event setup failed");
		return -1;
	}
	snprintf(desc, dlen, "tcp %s:%ld", host, port);
	return 0;
}

/* RTU */

static modbus_t *
rtu_new(struct sim_server *sv)
{
	modbus_t *ctx;

	ctx = modbus_new_rtu(sv->device, sv->baud, sv->parity, 8, 1);
	if (ctx == NULL) {
		sim_warnx("modbus_new_rtu %s: %s", sv->device,
		    modbus_strerror(errno));
		return NULL;
	}
	if (modbus_set_slave(ctx, sv->s->unit) == -1) {
		sim_warnx("unit %d: %s", sv->s->unit, modbus_strerror(errno));
		modbus_free(ctx);
		return NULL;
	}
	modbus_set_byte_timeout(ctx, 0, BYTE_TIMEOUT_US);
	return ctx;
}

/*
 * After a frame for another unit libmodbus swallows the next frame as that
 * unit's answer.  On a point-to-point line there is none, so start a fresh
 * context on the same fd; closing the fd could end the peer (socat).
 */
static void
rtu_renew(struct sim_server *sv)
{
	modbus_t *ctx;

	if ((ctx = rtu_new(sv)) == NULL)
		return;
	modbus_set_socket(ctx, modbus_get_socket(sv->ctx));
	modbus_free(sv->ctx);	/* frees, never closes */
	sv->ctx = ctx;
}

/* Not modbus_close: a renewed context has no saved termios to restore. */
static void
rtu_close(struct sim_server *sv)
{
	int fd = modbus_get_socket(sv->ctx);

	if (fd != -1)
		close(fd);
	modbus_set_socket(sv->ctx, -1);
}

static void rtu_cb(evutil_socket_t, short, void *);

static int
rtu_connect(struct sim_server *sv)
{
	if (modbus_connect(sv->ctx) == -1) {
		if (!sv->link_warned)
			sim_warnx("open %s: %s", sv->device,
			    modbus_strerror(errno));
		sv->link_warned = true;
		return -1;
	}
	sv->link_warned = false;
	sv->rtu_ev = event_new(sv->s->base, modbus_get_socket(sv->ctx),
	    EV_READ | EV_PERSIST, rtu_cb, sv);
	if (sv->rtu_ev == NULL || event_add(sv->rtu_ev, NULL) == -1) {
		sim_warnx("rtu event setup failed");
		return -1;
	}
	return 0;
}

static void
rtu_link_lost(struct sim_server *sv)
{
	struct timeval tv = { REOPEN_S, 0 };

	sim_event("link_lost device=%s", sv->device);
	sim_mb_forget(sv->s, 0);
	event_free(sv->rtu_ev);
	sv->rtu_ev = NULL;
	rtu_close(sv);
	evtimer_add(sv->reopen_ev, &tv);
}

static void
reopen_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_server *sv = arg;
	struct timeval tv = { REOPEN_S, 0 };

	(void)fd;
	(void)what;
	if (rtu_connect(sv) == -1) {
		evtimer_add(sv->reopen_ev, &tv);
		return;
	}
	sim_event("link_up device=%s", sv->device);
}

static void
rtu_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_server *sv = arg;
	uint8_t req[MODBUS_RTU_MAX_ADU_LENGTH];
	int rc;

	(void)fd;
	(void)what;
	rc = modbus_receive(sv->ctx, req);
	if (rc > 0) {
		received(sv, 0, req, rc);
		return;
	}
	if (rc == 0) {		/* for another unit */
		sv->s->ignored++;
		rtu_renew(sv);
		return;
	}
	switch (errno) {
	case EMBBADCRC:
	case EMBBADDATA:
	case ETIMEDOUT:
		/* Line noise or a torn frame: resynchronise on silence. */
		sim_warnx("%s: %s", sv->device, modbus_strerror(errno));
		modbus_flush(sv->ctx);
		break;
	default:
		sim_warnx("%s: %s", sv->device, modbus_strerror(errno));
		rtu_link_lost(sv);
		break;
	}
}

static int
rtu_open(struct sim_server *sv, const struct sim_server_opts *o, char *desc,
    size_t dlen)
{
	if ((sv->device = strdup(o->device)) == NULL) {
		sim_warn("strdup");
		return -1;
	}
	sv->baud = o->baud;
	sv->parity = o->parity;
	if ((sv->ctx = rtu_new(sv)) == NULL)
		return -1;
	sv->reopen_ev = evtimer_new(sv->s->base, reopen_cb, sv);
	if (sv->reopen_ev == NULL || rtu_connect(sv) == -1)
		return -1;
	snprintf(desc, dlen, "rtu %s %d 8%c1", o->device, o->baud, o->parity);
	return 0;
}

int
sim_server_open(struct sim *s, const struct sim_server_opts *o, char *desc,
    size_t dlen)
{
	struct sim_server *sv;
	const struct sim_layout *lay = s->regs.lay;
	int n;

	if ((sv = calloc(1, sizeof(*sv))) == NULL) {
		sim_warn("calloc");
		return -1;
	}
	s->srv = sv;
	sv->s = s;
	sv->listen_fd = -1;
	sv->rtu = o->tcp == NULL;
	sv->crc_len = sv->rtu ? 2 : 0;

	/* Storage only: regs.c has already checked every address. */
	n = lay->tele_base + SIM_NTELE;
	if (lay->cmd_base + SIM_NCMD > n)
		n = lay->cmd_base + SIM_NCMD;
	if ((sv->map = modbus_mapping_new(0, 0, n, n)) == NULL ||
	    (sv->q_ev = evtimer_new(s->base, queue_cb, sv)) == NULL) {
		sim_warnx("server setup failed");
		return -1;
	}
	if (sv->rtu)
		return rtu_open(sv, o, desc, dlen);
	return tcp_open(sv, o->tcp, desc, dlen);
}

void
sim_server_close(struct sim *s)
{
	struct sim_server *sv = s->srv;

	if (sv == NULL)
		return;
	while (sv->clients != NULL)
		client_drop(sv->clients, ECONNRESET);
	if (sv->listen_ev != NULL)
		event_free(sv->listen_ev);
	if (sv->listen_fd != -1)
		close(sv->listen_fd);
	if (sv->rtu_ev != NULL)
		event_free(sv->rtu_ev);
	if (sv->reopen_ev != NULL)
		event_free(sv->reopen_ev);
	if (sv->q_ev != NULL)
		event_free(sv->q_ev);
	if (sv->ctx != NULL) {
		if (sv->rtu)
			rtu_close(sv);
		modbus_free(sv->ctx);
	}
	if (sv->map != NULL)
		modbus_mapping_free(sv->map);
	if (sv->cap[0] != sv->cap[1]) {
		close(sv->cap[0]);
		close(sv->cap[1]);
	}
	sim_mb_free(s);
	free(sv->device);
	free(sv);
	s->srv = NULL;
}
