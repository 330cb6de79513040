/*
 * treadmilld.conf: parsed whole into a fresh struct, validated, and only
 * then swapped in, so a bad reload leaves the running configuration.
 */
#ifndef TREAD_CONFIG_H
#define TREAD_CONFIG_H

#include "errlist.h"
#include "profile_load.h"
#include "regmap.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef MAPDIR
#define MAPDIR "/usr/local/share/treadmilld/maps"
#endif
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#define CONFIG_DEFAULT_PATH SYSCONFDIR "/treadmilld/treadmilld.conf"

#ifndef HISTPGMOD
#define HISTPGMOD "/usr/local/lib/treadmilld/history_pg.so"
#endif
#ifndef PLUGINDIR
#define PLUGINDIR "/usr/local/lib/treadmilld/plugins"
#endif
#define PLUGIN_CONF_MAX	8
#define PLUGIN_KEYS_MAX	16

enum transport { TRANSPORT_TCP, TRANSPORT_RTU };

struct config {
	char	 path[512];
	struct {
		enum transport transport;
		char	 host[256];
		int	 port;
		char	 device[256];
		int	 baud;
		char	 parity;	/* 'N', 'E' or 'O' */
		int	 unit_id;
		char	 map[512];	/* as written */
		char	 map_dir[512];
		double	 tick_hz;
		int	 response_timeout_ms;
		int	 watchdog_ms;
		int	 comm_loss_ticks;
		int	 reconnect_max_ms;
	} drive;
	struct regmap map;		/* the map the drive group names */
	struct {
		double	 max_speed;	/* km/h */
		double	 min_incline, max_incline;	/* % grade */
		double	 accel, decel;	/* km/h per s */
		double	 speed_tolerance;
	} machine;
	struct {
		char	 socket[256];
		char	 staff_group[64];
		char	 group[64];	/* owns the socket (0660): console */
		int	 pin_lockout_min;	/* after PIN_TRIES wrong PINs */
		int	 max_clients;
		int	 idle_timeout_s;
		int	 max_output_kb;
	} control;
	struct {
		char	 name[64];	/* this treadmill, in the history */
		char	 user[32];	/* drop to this user when root */
		char	 group[32];
	} daemon;
	struct {
		char	 dir[512];	/* runner profiles */
	} profiles;
	struct profile_set runners;	/* loaded from profiles.dir (owned) */
	struct {
		char	 dir[512];	/* workout plugins (NAME.so) */
		int	 dir_line;	/* where dir is set, 0: default */
		int	 line;		/* the plugins group, 0: none */
		struct plugin_conf {
			char	 name[32];
			int	 line;	/* of plugins.NAME, for errors */
			int	 nkeys;
			struct plugin_kv {
				char	 key[32];
				int	 line;
				int	 is_string;
				double	 num;
				char	 str[128];
			} kv[PLUGIN_KEYS_MAX];
		} conf[PLUGIN_CONF_MAX];	/* plugins.NAME groups */
		int	 nconf;
	} plugins;
	struct {
		char	 backend[16];	/* "sqlite" or "postgresql" */
		char	 path[512];	/* sqlite */
		char	 conninfo_file[512];	/* postgresql: */
		char	 spool[512];
		int	 stale_minutes;
		int	 connect_timeout_s;
		char	 conninfo_src[512];	/* where conninfo_file is set */
		int	 conninfo_line;
		char	 module[512];	/* history_pg.so */
		char	 module_src[512];	/* where module is set */
		int	 module_line;	/* 0: not set */
	} history;
	struct {
		double	 speed;		/* km/h, the fixed easy pace */
		double	 incline;
		double	 minutes;	/* session length */
		double	 max_speed;	/* km/h cap for a runner's request */
		bool	 require_checkin;	/* a runner checks in first */
	} session;
	struct {
		char	 listen[128];	/* "host:port"; "" is off */
		char	 host[64];	/* listen, split */
		int	 port;
		int	 max_connections;
		int	 timeout_s;
		int	 max_body;	/* bytes of headers or of a body */
		int	 metrics_runner;	/* the runner's id in /metrics */
		char	 web_dir[256];	/* the console page's files */
		char	 units[16];	/* "metric" or "imperial" */
	} http;
	struct {
		char	 host[256];	/* the broker; "" is off */
		int	 port;
		char	 topic_prefix[128];
		char	 client_id[96];
		char	 username[64];
		char	 password_file[512];
		int	 keepalive_s;
		int	 queue_max;	/* messages in flight or waiting */
		int	 reconnect_max_s;
		int	 share_runner;	/* the runner's id in state and events */
		int	 share_health;	/* heart rate, symptom outcomes */
	} mqtt;
};

/* 0 and a complete config, or -1 with every error in errs. */
int	 config_load(struct config *, const char *path, struct errlist *);
/* For a reload: -1 when treadmilld.conf (or its map, or the profile
 * directory) has errors, and the running configuration stays whole;
 * else 0, where a profile with errors keeps its version in running or,
 * if new, is left out (r says which; errs has their errors). */
int	 config_reload(struct config *, const char *path,
	    const struct profile_set *running, struct profile_reload *r,
	    struct errlist *);
/* The plugins.NAME group for a plugin, or NULL. */
const struct plugin_conf *config_plugin(const struct config *,
	    const char *name);
/* Free what config_load allocated (the profiles). */
void	 config_free(struct config *);
/* Do two configurations talk to the drive the same way? */
int	 config_same_link(const struct config *, const struct config *);

#endif
