/* jb-privdrop: capability handling for a non-root Dropbear (see jb-privdrop.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getresuid(), getresgid() */
#endif
#include "jb-privdrop.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int capget_now(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	return (int)syscall(SYS_capget, &hdr, data);
}

/* 1 if no set holds any capability (ambient included) */
static int no_caps_left(void)
{
	struct __user_cap_data_struct now[2];
	if (capget_now(now))
		return 0;
	for (int i = 0; i < 2; i++)
		if (now[i].effective || now[i].permitted || now[i].inheritable)
			return 0;
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
			return 0;
	return 1;
}

int jb_can_switch_user(void)
{
	struct __user_cap_data_struct d[2];
	if (getuid() == 0)
		return 1;
	if (capget_now(d))
		return 0;
	return (d[0].effective & (1u << CAP_SETUID)) && (d[0].effective & (1u << CAP_SETGID));
}

int jb_drop_all_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct zero[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && getuid() != 0)
		return -1;
	if (syscall(SYS_capset, &hdr, zero))
		return -1;
	return no_caps_left() ? 0 : -1;
}

int jb_check_user(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (uid == 0)
		return -1;
	if (getresuid(&ru, &eu, &su) || getresgid(&rg, &eg, &sg) ||
	    ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
		return -1;
	if (!no_caps_left())
		return -1;
	if (setuid(0) == 0 || setgid(0) == 0 || jb_can_switch_user())
		return -1;
	return 0;
}
