/*
 * The http and mqtt groups of treadmilld.conf: what reports to the
 * outside.  Both are off when absent.
 */
#ifndef TREAD_CONFIG_FLEET_H
#define TREAD_CONFIG_FLEET_H

#include <libconfig.h>

#include "config.h"

void	 config_parse_fleet(struct config *, const config_setting_t *root,
	    const char *file, struct errlist *);

#endif
