/*
 * Loading workout plugins (include/treadmill/plugin.h).  Exactly NAME.so
 * from the plugin directory: no symlinks, nothing writable by group or
 * others (file or directory), dlopen(RTLD_NOW), one dlsym, and the ABI
 * handshake.  Every refusal says why, with dlerror's words where it has
 * any.
 */
#ifndef TREAD_PLUGIN_H
#define TREAD_PLUGIN_H

#include <stddef.h>

#include "treadmill/plugin.h"

struct plugin {
	char			 name[32];
	char			 path[512];
	void			*handle;	/* dlopen */
	const struct tm_plugin	*p;
	int			 slot;		/* in the loaded table, or -1 */
};

/* Is NAME a plugin name ([a-z0-9_-], 1..31)? */
int	 plugin_name_valid(const char *name);
/* Refuse a plugin directory that others could write to.  0 or -1. */
int	 plugin_dir_check(const char *dir, char *err, size_t errlen);
/* Load dir/NAME.so and shake hands.  0, or -1 with err.  The file is
 * checked every time, and opened once: it stays loaded for the next
 * caller until it changes on disk. */
int	 plugin_load(struct plugin *, const char *dir, const char *name,
	    char *err, size_t errlen);
void	 plugin_unload(struct plugin *);

#endif
