/* daemon: see daemon.h (the lookups every module asks of the shared state). */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>

int jumpd_is_user(const struct jumpd *jd, uid_t uid)
{
	for (unsigned i = 0; i < jd->conf.nusers; i++)
		if (jd->conf.users[i].uid == uid)
			return 1;
	return 0;
}

int jumpd_user_index(const struct jumpd *jd, uid_t uid)
{
	for (unsigned i = 0; i < jd->conf.nusers; i++)
		if (jd->conf.users[i].uid == uid)
			return (int)i;
	return -1;
}

int jumpd_is_admin(const struct jumpd *jd, uid_t uid)
{
	if (uid == 0)
		return 1;
	for (unsigned i = 0; i < jd->conf.nusers; i++)
		if (jd->conf.users[i].uid == uid && jd->conf.users[i].admin)
			return 1;
	return 0;
}

const char *jumpd_user_of_uid(const struct jumpd *jd, const char *uid_text)
{
	char *end;
	unsigned long uid = strtoul(uid_text, &end, 10);
	if (*uid_text && !*end)
		for (unsigned i = 0; i < jd->conf.nusers; i++)
			if (jd->conf.users[i].uid == uid)
				return jd->conf.users[i].name;
	return "-";
}

const char *jumpd_box_address(const struct jumpd *jd, char *buf, size_t cap)
{
	uint32_t a = jd->conf.address;
	if (jd->conf.dhcp)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

const char *jumpd_box_name(const struct jumpd *jd, char *buf, size_t cap)
{
	if (jd->conf.dhcp)
		snprintf(buf, cap, "%s", jd->conf.hostname);
	else
		jumpd_box_address(jd, buf, cap);
	return buf;
}
