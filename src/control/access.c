/* Who may run a control command (access.h). */
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>

#include "access.h"
#include "belt.h"

const char *
access_name(enum access who)
{
	static const char *const names[] = { "anyone", "console", "staff" };

	return names[who];
}

/* Is the peer root, or in group name (primary or supplementary)? */
static bool
in_group(const struct peer *p, const char *name)
{
	struct group *gr;
	struct passwd *pw;
	gid_t groups[64];
	int n = 64;

	if (p->uid == 0)
		return true;
	if ((gr = getgrnam(name)) == NULL)
		return false;
	if (p->gid == gr->gr_gid)
		return true;
	if ((pw = getpwuid(p->uid)) == NULL)
		return false;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return true;
	return false;
}

int
access_check(const struct belt *b, const struct peer *p, enum access who,
    const char *cmd, char *why, size_t len)
{
	const char *staff = b->cfg.control.staff_group;

	if (who == ACCESS_ANYONE || in_group(p, staff))
		return 0;
	if (who == ACCESS_STAFF) {
		snprintf(why, len, "'%s' is for staff: uid %u is not root nor "
		    "in group '%s'", cmd, (unsigned)p->uid, staff);
		return -1;
	}
	if (in_group(p, b->cfg.control.group))
		return 0;
	snprintf(why, len, "'%s' shows or records a runner's health data: "
	    "uid %u is not root nor in group '%s' or '%s'", cmd,
	    (unsigned)p->uid, staff, b->cfg.control.group);
	return -1;
}
