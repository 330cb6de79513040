/*
 * The groups of treadmilld.conf, each parsed in a file of its own;
 * config.c reads the file and calls them in turn.  Errors are file:line
 * like the rest of treadmilld.conf.
 */
#ifndef TREAD_CONFIG_SECTIONS_H
#define TREAD_CONFIG_SECTIONS_H

#include <libconfig.h>

#include "config.h"

/* drive and machine (config_drive.c). */
void	 config_parse_drive(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);
/* The machine's limits against the register map, once both are known. */
void	 config_check_map(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);
/* daemon, profiles, history, control and session (config_site.c). */
void	 config_parse_site(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);
/* plugins (config_plugins.c). */
void	 config_parse_plugins(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);
/* http and mqtt, what reports to the outside; both off when absent
 * (config_fleet.c). */
void	 config_parse_fleet(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);

#endif
