/*
 * The console page's files (HTML, CSS, JavaScript, SVG), read from
 * http.web_dir once when the listener opens, so that serving them never
 * waits on the disk.  Only plain files of the directory itself, by exact
 * name: no path is ever built from a request.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "xmalloc.h"

#define NFILES		32
#define FILE_MAX	(512 * 1024)

struct wfile {
	char		 name[64];
	char		*data;
	size_t		 len;
	const char	*ctype;
};

struct web {
	struct wfile	 f[NFILES];
	int		 n;
};

static const char *
ctype_of(const char *name)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(dot, t[i].ext) == 0)
			return t[i].type;
	return NULL;
}

static int
load_one(struct wfile *w, const char *dir, const char *name, char *err,
    size_t errlen)
{
	char path[4096];
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "http: cannot read %s", path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    n > FILE_MAX || fseek(fp, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "http: %s is over %d bytes or "
		    "unreadable", path, FILE_MAX);
		fclose(fp);
		return -1;
	}
	w->data = xmalloc((size_t)n + 1);
	w->len = fread(w->data, 1, (size_t)n, fp);
	fclose(fp);
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->ctype = ctype_of(name);
	return 0;
}

struct web *
web_load(const char *dir, char *err, size_t errlen)
{
	struct web *w = xcalloc(1, sizeof(*w));
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "http: cannot open the page directory "
		    "%s (http.web_dir)", dir);
		free(w);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || ctype_of(de->d_name) == NULL ||
		    strlen(de->d_name) >= sizeof(w->f[0].name))
			continue;
		if (w->n == NFILES) {
			snprintf(err, errlen, "http: more than %d files in %s",
			    NFILES, dir);
			break;
		}
		if (load_one(&w->f[w->n], dir, de->d_name, err, errlen) == -1)
			break;
		w->n++;
	}
	closedir(d);
	if (de != NULL) {
		web_free(w);
		return NULL;
	}
	return w;
}

void
web_serve(struct evhttp_request *req, void *arg)
{
	struct web *w = arg;
	struct evbuffer *body = evbuffer_new();
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(
	    req));
	enum evhttp_cmd_type m = evhttp_request_get_command(req);

	if (body == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	if (path == NULL || strcmp(path, "/") == 0)
		path = "/index.html";
	for (int i = 0; w != NULL && i < w->n; i++) {
		if (strcmp(path + 1, w->f[i].name) != 0)
			continue;
		if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD)
			break;
		evbuffer_add_reference(body, w->f[i].data, w->f[i].len, NULL,
		    NULL);
		http_reply(req, 200, w->f[i].ctype, body);
		evbuffer_free(body);
		return;
	}
	evbuffer_add_printf(body, "not found\n");
	http_reply(req, 404, "text/plain; charset=utf-8", body);
	evbuffer_free(body);
}

void
web_free(struct web *w)
{
	if (w == NULL)
		return;
	for (int i = 0; i < w->n; i++)
		free(w->f[i].data);
	free(w);
}
