/*
 * Checking the plugins group of treadmilld.conf against the plugins, at
 * treadmilld -n and at reload (plugin_check.c).
 */
#ifndef TREAD_PLUGIN_CHECK_H
#define TREAD_PLUGIN_CHECK_H

#include "config.h"
#include "errlist.h"

/* The plugin directory, a NAME.so for every plugins.NAME group, and each
 * plugin's own check of its settings.  0, or -1 with every problem in
 * errs as file:line. */
int	 plugin_check_conf(const struct config *, struct errlist *);

#endif
