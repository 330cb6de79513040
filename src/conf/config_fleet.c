/*
 * http = { listen = "127.0.0.1:8080"; ... } and mqtt = { host = ...; }.
 * Errors are file:line like the rest of treadmilld.conf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgutil.h"
#include "config_sections.h"

static const char *const http_keys[] = {
	"listen", "max_connections", "timeout_s", "max_body",
	"metrics_runner", "web_dir", "units", NULL
};
static const char *const units[] = { "metric", "imperial", NULL };
static const char *const mqtt_keys[] = {
	"host", "port", "topic_prefix", "client_id", "username",
	"password_file", "keepalive_s", "queue_max", "reconnect_max_s",
	"share_runner", "share_health", NULL
};

/* "host:port" or "[v6]:port" into its parts; -1 if it is neither. */
static int
split_listen(const char *s, char *host, size_t hlen, int *port)
{
	const char *colon;
	char *end;
	long p;
	size_t n;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (rb == NULL || rb[1] != ':')
			return -1;
		n = (size_t)(rb - s - 1);
		s++;
		colon = rb + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		n = (size_t)(colon - s);
	}
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

static void
parse_http(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "http", false, f, e), *m;
	long long v;
	bool b;

	if (g)
		cfg_unknown_keys(g, http_keys, f, e);
	cfg_string(g, "listen", false, "", c->http.listen,
	    sizeof(c->http.listen), f, e);
	if (c->http.listen[0] != '\0' && split_listen(c->http.listen,
	    c->http.host, sizeof(c->http.host), &c->http.port) == -1) {
		m = config_setting_get_member(g, "listen");
		errlist_add(e, cfg_file(m, f), cfg_line(m), "http listen is "
		    "\"%s\", must be \"address:port\" (e.g. \"127.0.0.1:8080\")",
		    c->http.listen);
	}
	cfg_int(g, "max_connections", false, 16, 1, 1024, &v, f, e);
	c->http.max_connections = (int)v;
	cfg_int(g, "timeout_s", false, 5, 1, 300, &v, f, e);
	c->http.timeout_s = (int)v;
	cfg_int(g, "max_body", false, 8192, 1024, 1048576, &v, f, e);
	c->http.max_body = (int)v;
	cfg_bool(g, "metrics_runner", false, &b, f, e);
	c->http.metrics_runner = b;
	cfg_string(g, "web_dir", false, WEBDIR, c->http.web_dir,
	    sizeof(c->http.web_dir), f, e);
	cfg_choice(g, "units", "http units", units, c->http.units,
	    sizeof(c->http.units), f, e);
}

static void
parse_mqtt(struct config *c, const config_setting_t *root, const char *f,
    struct errlist *e)
{
	config_setting_t *g = cfg_group(root, "mqtt", false, f, e);
	char def_id[96];
	long long v;
	bool b;

	if (g)
		cfg_unknown_keys(g, mqtt_keys, f, e);
	cfg_string(g, "host", false, "", c->mqtt.host, sizeof(c->mqtt.host),
	    f, e);
	cfg_int(g, "port", false, 1883, 1, 65535, &v, f, e);
	c->mqtt.port = (int)v;
	cfg_string(g, "topic_prefix", false, "treadmill", c->mqtt.topic_prefix,
	    sizeof(c->mqtt.topic_prefix), f, e);
	if (strpbrk(c->mqtt.topic_prefix, "+#") != NULL ||
	    c->mqtt.topic_prefix[0] == '\0') {
		config_setting_t *m = config_setting_get_member(g,
		    "topic_prefix");
		errlist_add(e, cfg_file(m, f), cfg_line(m), "mqtt topic_prefix "
		    "\"%s\" must be non-empty, without + or #",
		    c->mqtt.topic_prefix);
	}
	snprintf(def_id, sizeof(def_id), "treadmilld-%s", c->daemon.name);
	cfg_string(g, "client_id", false, def_id, c->mqtt.client_id,
	    sizeof(c->mqtt.client_id), f, e);
	cfg_string(g, "username", false, "", c->mqtt.username,
	    sizeof(c->mqtt.username), f, e);
	cfg_string(g, "password_file", false, "", c->mqtt.password_file,
	    sizeof(c->mqtt.password_file), f, e);
	cfg_int(g, "keepalive_s", false, 30, 5, 3600, &v, f, e);
	c->mqtt.keepalive_s = (int)v;
	cfg_int(g, "queue_max", false, 100, 10, 100000, &v, f, e);
	c->mqtt.queue_max = (int)v;
	cfg_int(g, "reconnect_max_s", false, 30, 1, 3600, &v, f, e);
	c->mqtt.reconnect_max_s = (int)v;
	cfg_bool(g, "share_runner", false, &b, f, e);
	c->mqtt.share_runner = b;
	cfg_bool(g, "share_health", false, &b, f, e);
	c->mqtt.share_health = b;
}

void
config_parse_fleet(struct config *c, const config_setting_t *root,
    const char *f, struct errlist *e)
{
	parse_http(c, root, f, e);
	parse_mqtt(c, root, f, e);
}
