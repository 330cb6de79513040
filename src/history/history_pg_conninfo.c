/*
 * The shared history's connection string: read from its file, which must
 * be the daemon's own and closed to everyone else (it holds the
 * password), and the password kept out of every message made from it.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history_pg.h"
#include "xmalloc.h"

/* The longest conninfo file read, comments included (documented in
 * treadmilld.conf(5)). */
#define CONNINFO_MAX	4096

/* ---- the conninfo file -------------------------------------------------- */

static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char pwbuf[1024];

	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 &&
	    res != NULL)
		snprintf(buf, len, "%s (uid %u)", pw.pw_name, (unsigned)uid);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

static const char *
file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";
}

/* Comment lines (#) go; the other lines join with spaces. */
static void
strip_comments(char *s)
{
	char *in = s, *out = s;
	bool bol = true, skip = false;

	for (; *in != '\0'; in++) {
		if (bol) {
			const char *p = in;
			while (*p == ' ' || *p == '\t')
				p++;
			skip = *p == '#';
			bol = false;
		}
		if (*in == '\n' || *in == '\r') {
			bol = true;
			if (!skip && out > s && out[-1] != ' ')
				*out++ = ' ';
			continue;
		}
		if (!skip)
			*out++ = *in;
	}
	while (out > s && isspace((unsigned char)out[-1]))
		out--;
	*out = '\0';
}

char *
hist_pg_read_conninfo(const char *path, uid_t owner, char *err, size_t errlen)
{
	char who[96], want[96], *buf = NULL;
	struct stat st;
	ssize_t n = 0, got;	/* read so far, read this time */
	int fd;

	/* O_NONBLOCK: opening a FIFO to read would wait for a writer; it
	 * is refused below, like anything that is not a regular file. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		snprintf(err, errlen, "history.conninfo_file %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	/* Of what was opened, so a swap after the check cannot fool it. */
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "history.conninfo_file %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "history.conninfo_file %s is not a "
		    "regular file (it is %s)", path, file_kind(st.st_mode));
		goto fail;
	}
	if (st.st_uid != owner) {
		snprintf(err, errlen, "history.conninfo_file %s is owned by "
		    "%s, not by %s that treadmilld runs as; it holds the "
		    "database password, so it is refused (chown it)", path,
		    user_name(st.st_uid, who, sizeof(who)),
		    user_name(owner, want, sizeof(want)));
		goto fail;
	}
	if ((st.st_mode & 07777) != 0600 && (st.st_mode & 07777) != 0400) {
		snprintf(err, errlen, "history.conninfo_file %s has mode %04o; "
		    "it holds the database password, so only its owner may "
		    "read it: it is refused unless its mode is 0600 or 0400 "
		    "(chmod 600 %s)", path, (unsigned)(st.st_mode & 07777),
		    path);
		goto fail;
	}
	/* Up to one byte more than the limit, to tell a file of exactly
	 * CONNINFO_MAX bytes from a longer one. */
	buf = xmalloc(CONNINFO_MAX + 1);
	while (n <= CONNINFO_MAX) {
		got = read(fd, buf + n, CONNINFO_MAX + 1 - (size_t)n);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			snprintf(err, errlen, "history.conninfo_file %s: %s",
			    path, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += got;
	}
	if (n > CONNINFO_MAX) {
		snprintf(err, errlen, "history.conninfo_file %s is longer than "
		    "%d bytes", path, CONNINFO_MAX);
		goto fail;
	}
	buf[n] = '\0';
	strip_comments(buf);
	if (buf[0] == '\0') {
		snprintf(err, errlen, "history.conninfo_file %s holds no "
		    "connection string", path);
		goto fail;
	}
	close(fd);
	return buf;
fail:
	if (buf != NULL) {
		explicit_bzero(buf, CONNINFO_MAX + 1);
		free(buf);
	}
	close(fd);
	return NULL;
}

/* ---- keeping the password out of messages ----------------------------- */

/*
 * Every password seen so far, longest first, so that one that starts
 * another cannot leave the other's tail in view.  The list is the
 * process's, not a connection's: the backend copies struct hist_pg_info
 * freely, and the copies then own nothing.  It holds what the conninfo
 * file says (a new password, after the file is mended, adds one) and is
 * shared by the background connector and the control loop.
 */
static struct {
	pthread_mutex_t	 lock;
	char		**v;
	size_t		 n, cap;
} secrets = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0 };

#define SECRETS_MAX	64	/* passwords remembered, past one string's */

/*
 * Bounded: a file edited again and again must not grow the list for
 * ever.  Past SECRETS_MAX it starts afresh, under the same lock as the
 * string's passwords are then added, so that every password of the
 * string in use is there whenever a message is masked.
 */
static void
forget_if_many(void)
{
	if (secrets.n > SECRETS_MAX) {
		for (size_t i = 0; i < secrets.n; i++)
			free(secrets.v[i]);
		secrets.n = 0;
	}
}

/* The caller holds secrets.lock. */
static void
add_secret(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i < secrets.n; i++)
		if (strlen(secrets.v[i]) == len &&
		    memcmp(secrets.v[i], s, len) == 0)
			return;
	if (secrets.n == secrets.cap) {
		secrets.cap = secrets.cap ? 2 * secrets.cap : 8;
		secrets.v = xreallocarray(secrets.v, secrets.cap,
		    sizeof(*secrets.v));
	}
	for (i = secrets.n; i > 0 && strlen(secrets.v[i - 1]) < len; i--)
		secrets.v[i] = secrets.v[i - 1];
	secrets.v[i] = xmalloc(len + 1);
	memcpy(secrets.v[i], s, len);
	secrets.v[i][len] = '\0';
	secrets.n++;
}

/*
 * What could be a password: the value libpq takes from the string
 * (unquoted, unescaped, percent-decoded), and, as written, every
 * password=VALUE (quoted or not, also in a URI's query) and a URI's
 * user:password@.  The written forms matter where libpq quotes the raw
 * text (a string it cannot parse) and for the earlier values of a
 * repeated password=, which libpq drops.
 */
void
hist_pg_find_secrets(const char *ci, struct hist_pg_info *info)
{
	PQconninfoOption *opts;
	const char *p, *v, *e;
	char *perr = NULL;

	(void)info;
	pthread_mutex_lock(&secrets.lock);
	forget_if_many();
	if ((opts = PQconninfoParse(ci, &perr)) != NULL) {
		for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0 &&
			    o->val != NULL)
				add_secret(o->val, strlen(o->val));
		PQconninfoFree(opts);
	}
	PQfreemem(perr);
	for (p = ci; (p = strstr(p, "password")) != NULL; p += 8) {
		v = p + 8;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\'') {
			for (e = ++v; *e != '\0' && *e != '\''; e++)
				if (*e == '\\' && e[1] != '\0')
					e++;
		} else
			for (e = v; *e != '\0' && !isspace((unsigned char)*e);
			    e++)
				;
		add_secret(v, (size_t)(e - v));
		/* In a URI the value ends at the next parameter. */
		add_secret(v, strcspn(v, "&# \t"));
	}
	if ((p = strstr(ci, "://")) != NULL) {
		p += 3;
		e = p + strcspn(p, "/?# \t");
		for (v = e; v > p && v[-1] != '@'; v--)
			;
		if (v > p) {		/* user[:password]@ */
			const char *colon = memchr(p, ':', (size_t)(v - 1 - p));
			if (colon != NULL)
				add_secret(colon + 1,
				    (size_t)(v - 1 - colon - 1));
		}
	}
	pthread_mutex_unlock(&secrets.lock);
}

/* Each sec in s becomes "*****"; what no longer fits in len is cut. */
static void
mask_one(char *s, size_t len, const char *sec)
{
	size_t sl = strlen(sec), pos, tail;
	char *p = s, *hit;

	while ((hit = strstr(p, sec)) != NULL) {
		pos = (size_t)(hit - s);
		if (len - pos <= 5) {		/* no room for the mask */
			memset(hit, '*', len - pos - 1);
			s[len - 1] = '\0';
			return;
		}
		tail = strlen(hit + sl) + 1;	/* with its NUL */
		if (tail > len - pos - 5)
			tail = len - pos - 5;
		memmove(hit + 5, hit + sl, tail);
		memcpy(hit, "*****", 5);
		s[len - 1] = '\0';
		p = hit + 5;
	}
}

void
hist_pg_mask(const struct hist_pg_info *info, char *s, size_t len)
{
	(void)info;
	if (len == 0)
		return;
	pthread_mutex_lock(&secrets.lock);
	for (size_t i = 0; i < secrets.n; i++)
		mask_one(s, len, secrets.v[i]);
	pthread_mutex_unlock(&secrets.lock);
}

/*
 * libpq's complaints about a string it cannot parse quote parts of it.
 * A quoted part is kept when it looks like a setting's name (what the
 * complaint is about), masked otherwise: the string is unparsed, so what
 * is the password there cannot be known for sure.
 */
void
hist_pg_scrub_quotes(const char *msg, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = msg; *p != '\0' && o + 8 < len; p++) {
		const char *q;
		if (*p != '"' || (q = strchr(p + 1, '"')) == NULL) {
			out[o++] = isspace((unsigned char)*p) ? ' ' : *p;
			continue;
		}
		/* A setting's name, or a bit of syntax ("=", "]"). */
		bool name = q > p + 1 && q - p - 1 <= 40;
		bool punct = q - p - 1 <= 2;
		for (const char *c = p + 1; c < q && (name || punct); c++) {
			name = name && (islower((unsigned char)*c) ||
			    *c == '_');
			punct = punct && ispunct((unsigned char)*c);
		}
		name = name || punct;
		if (name) {
			size_t n = (size_t)(q - p + 1);
			if (n > len - 8 - o)
				n = len - 8 - o;
			memcpy(out + o, p, n);
			o += n;
		} else {
			memcpy(out + o, "\"*****\"", 7);
			o += 7;
		}
		p = q;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* Where the string points, before a connection says it for sure. */
void
hist_pg_describe(PQconninfoOption *opts, struct hist_pg_info *info)
{
	const char *host = NULL, *addr = NULL, *port = NULL;

	for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || o->val[0] == '\0')
			continue;
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "hostaddr") == 0)
			addr = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "password") == 0)
			add_secret(o->val, strlen(o->val));
	}
	if (host == NULL)
		host = addr != NULL ? addr : getenv("PGHOST");
	if (port == NULL)
		port = getenv("PGPORT");
	snprintf(info->where, sizeof(info->where), "PostgreSQL at %s:%s",
	    host != NULL ? host : "/var/run/postgresql",
	    port != NULL ? port : "5432");
}
