/* caps: per-service capability sets (see caps.h). */
#include "caps.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last_cap(void)
{
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[8] = "";
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		long v = n > 0 ? strtol(buf, NULL, 10) : 0;
		if (v > 0 && v < 64)
			return (int)v;
	}
	return 63; /* unknown: try them all; PR_CAPBSET_DROP says EINVAL past the last */
}

/* the account's groups from /etc/group (the socket groups: common/sockgroups.h),
 * none for a uid without an account */
static int account_groups(uid_t uid, gid_t gid)
{
	const struct passwd *pw = getpwuid(uid);
	return pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL);
}

int caps_drop_to(uint64_t keep, uid_t uid, gid_t gid)
{
	int last = last_cap();
	for (int c = 0; c <= last && c < 64; c++)
		if (!(keep & CAPBIT(c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL)
			return -1;
	if (uid != 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || account_groups(uid, gid) || setgid(gid) || setuid(uid))
			return -1;
	}
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	for (int i = 0; i < 2; i++) {
		data[i].effective = data[i].permitted = (uint32_t)(keep >> (32 * i));
		data[i].inheritable = uid != 0 ? (uint32_t)(keep >> (32 * i)) : 0;
	}
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	if (uid != 0)
		for (int c = 0; c <= last && c < 64; c++)
			if ((keep & CAPBIT(c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
				return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}
