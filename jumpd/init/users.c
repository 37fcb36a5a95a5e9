/* users: accounts and authorized_keys from the site config (see users.h). */
#include "users.h"
#include "fsutil.h"
#include "log.h"
#include "../common/durable.h"
#include "../common/sockgroups.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, cap - *len, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* one socket group's line: its services, then the configured users
 * (admins_only: the admins among them) */
static int socket_group(char *group, size_t gcap, size_t *gl, const char *name, unsigned gid, const char *services,
			const struct siteconf *c, int users, int admins_only)
{
	if (append(group, gcap, gl, "%s:x:%u:%s", name, gid, services))
		return -1;
	for (unsigned i = 0; users && i < c->nusers; i++)
		if ((!admins_only || c->users[i].admin) && append(group, gcap, gl, ",%s", c->users[i].name))
			return -1;
	return append(group, gcap, gl, "\n");
}

/* who may connect to which socket (common/sockgroups.h): the servers are
 * members too (each gives its socket file the group) */
static int socket_groups(const struct siteconf *c, char *group, size_t gcap, size_t *gl)
{
	return socket_group(group, gcap, gl, GROUP_AUTH_SOCK, GID_AUTH_SOCK, "jumpd,sshd,fw,ship,rec", c, 1, 0) ||
	       socket_group(group, gcap, gl, GROUP_CTL_SOCK, GID_CTL_SOCK, "jumpd,rec", c, 1, 1) ||
	       socket_group(group, gcap, gl, GROUP_FW_SOCK, GID_FW_SOCK, "jumpd,fw", c, 0, 0) ||
	       socket_group(group, gcap, gl, GROUP_REC_SOCK, GID_REC_SOCK, "rec", c, 1, 0) ? -1 : 0;
}

int users_render(const struct siteconf *c, char *passwd, size_t pcap, char *group, size_t gcap)
{
	size_t pl = 0, gl = 0;
	if (pcap == 0 || gcap == 0)
		return -1;
	passwd[0] = group[0] = 0;
	if (append(passwd, pcap, &pl, "root:x:0:0:root:/:/bin/false\n") ||
	    append(passwd, pcap, &pl, "dhcp:x:%d:%d:dhcp client:/:/bin/false\n", USERS_DHCP_UID, USERS_DHCP_UID) ||
	    append(passwd, pcap, &pl, "sshd:x:%d:%d:ssh server:/:/bin/false\n", USERS_SSHD_UID, USERS_SSHD_UID) ||
	    append(passwd, pcap, &pl, "jumpd:x:%d:%d:jump daemon:/:/bin/false\n", USERS_JUMPD_UID, USERS_JUMPD_UID) ||
	    append(passwd, pcap, &pl, "fw:x:%d:%d:firewall helper:/:/bin/false\n", USERS_FW_UID, USERS_FW_UID) ||
	    append(passwd, pcap, &pl, "ship:x:%d:%d:audit shipper:/:/bin/false\n", USERS_SHIP_UID, USERS_JUMPD_UID) ||
	    append(passwd, pcap, &pl, "rec:x:%d:%d:session recorder:/:/bin/false\n", USERS_REC_UID, USERS_REC_UID) ||
	    append(passwd, pcap, &pl, "nobody:x:65534:65534:nobody:/:/bin/false\n") ||
	    append(group, gcap, &gl, "root:x:0:\n") ||
	    append(group, gcap, &gl, "dhcp:x:%d:\n", USERS_DHCP_UID) ||
	    append(group, gcap, &gl, "sshd:x:%d:\n", USERS_SSHD_UID) ||
	    append(group, gcap, &gl, "jumpd:x:%d:\n", USERS_JUMPD_UID) ||
	    append(group, gcap, &gl, "fw:x:%d:\n", USERS_FW_UID) ||
	    append(group, gcap, &gl, "rec:x:%d:\n", USERS_REC_UID) ||
	    append(group, gcap, &gl, "nogroup:x:65534:\n") || socket_groups(c, group, gcap, &gl))
		return -1;
	for (unsigned i = 0; i < c->nusers; i++) {
		const struct siteconf_user *u = &c->users[i];
		if (append(passwd, pcap, &pl, "%s:x:%u:%u:%s:%s/%s:%s\n", u->name, u->uid, u->uid,
			   u->name, USERS_HOME, u->name, u->diagnostic_shell ? USERS_DIAG_SHELL : USERS_MENU) ||
		    append(group, gcap, &gl, "%s:x:%u:\n", u->name, u->uid))
			return -1;
	}
	return 0;
}

int users_apply(const struct siteconf *c, const char *etcdir, const char *homedir)
{
	static char passwd[SITECONF_MAX_USERS * 160 + 256], group[SITECONF_MAX_USERS * (64 + 3 * (SITECONF_NAMELEN + 1)) + 512];
	static char keys[SITECONF_MAX_KEYS * (SITECONF_MAX_KEYLEN + 1)];
	char path[512];

	if (users_render(c, passwd, sizeof passwd, group, sizeof group))
		return -1;
	snprintf(path, sizeof path, "%s/passwd", etcdir);
	if (durable_replace(path, passwd, strlen(passwd), 0644))
		goto err;
	snprintf(path, sizeof path, "%s/group", etcdir);
	if (durable_replace(path, group, strlen(group), 0644))
		goto err;
	mkdir(homedir, 0755);
	for (unsigned i = 0; i < c->nusers; i++) {
		const struct siteconf_user *u = &c->users[i];
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", homedir, u->name);
		if (mkdir(path, 0755) && errno != EEXIST)
			goto err;
		snprintf(path, sizeof path, "%s/%s/.ssh", homedir, u->name);
		if (mkdir(path, 0755) && errno != EEXIST)
			goto err;
		for (unsigned k = 0; k < u->nkeys; k++)
			len += (size_t)snprintf(keys + len, sizeof keys - len, "%s\n", c->keys[u->first_key + k]);
		snprintf(path, sizeof path, "%s/%s/.ssh/authorized_keys", homedir, u->name);
		if (durable_replace(path, keys, len, 0644))
			goto err;
	}
	return 0;
err:
	log_msg("users: cannot write %s: %s", path, strerror(errno));
	return -1;
}
