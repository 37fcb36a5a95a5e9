/* unit tests for jb-privdrop.c: run as root on the build host; a child takes
 * on the listener's shape (non-root uid with ambient SETUID/SETGID), switches
 * user like a session does, drops, and must end with no capability at all. */
#include "jb-privdrop.h"
#include "../common/unittest.h"

#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* the listener's shape: uid 65533, SETUID/SETGID kept (0, or a status) */
static int become_listener(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	uint32_t keep = (1u << CAP_SETUID) | (1u << CAP_SETGID);
	struct __user_cap_data_struct d[2] = { { keep, keep, keep }, { 0, 0, 0 } };
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(0, NULL) || setgid(65533) || setuid(65533))
		return 10;
	if (syscall(SYS_capset, &hdr, d))
		return 11;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID, 0, 0))
		return 12;
	if (!jb_can_switch_user())
		return 13;
	return 0;
}

static int child_drop(void)
{
	int rc = become_listener();
	if (rc)
		return rc;
	if (setgid(65532) || setuid(65532))
		return 14;
	/* a non-root to non-root switch keeps capabilities: this is why the drop exists */
	if (!jb_can_switch_user())
		return 15;
	if (jb_drop_all_caps())
		return 16;
	if (jb_can_switch_user() || setuid(0) == 0)
		return 17;
	return 0;
}

/* right after authentication: the connection process becomes the user the
 * way Dropbear's svr_switch_user() does it (patch 0001 adds the drop), and
 * patch 0004's check must pass only when nothing of the listener is left */
static int child_become_user(void)
{
	int rc = become_listener();
	if (rc)
		return rc;
	if (jb_check_user(65533, 65533) == 0)
		return 20; /* the listener itself: it holds capabilities */
	if (setgid(65531) || setgroups(0, NULL) || setuid(65532))
		return 21;
	if (jb_check_user(65532, 65531) == 0)
		return 22; /* switched, but the capabilities survived setuid() */
	if (jb_drop_all_caps())
		return 23;
	if (jb_check_user(0, 0) == 0 || jb_check_user(65532, 65530) == 0 || jb_check_user(65530, 65531) == 0)
		return 24; /* root, or another user's ids */
	if (jb_check_user(65532, 65531))
		return 25;
	if (jb_can_switch_user() || setuid(0) == 0 || setuid(65533) == 0)
		return 26;
	return 0;
}

/* a saved gid left behind (upstream keeps utmp's there when login records
 * are built) fails the check */
static int child_saved_gid_left(void)
{
	int rc = become_listener();
	if (rc)
		return rc;
	if (setgid(65531) || setgroups(0, NULL) || setresgid(-1, -1, 43) || setuid(65532) || jb_drop_all_caps())
		return 30;
	if (jb_check_user(65532, 65531) == 0)
		return 31;
	return 0;
}

static void run_child(int (*fn)(void))
{
	if (getuid() != 0) {
		printf("  (needs root; skipped)\n");
		CHECK(0);
		return;
	}
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int st = -1;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		printf("  child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_drop_from_unprivileged_listener(void)
{
	run_child(child_drop);
}

static void test_become_user_after_auth(void)
{
	run_child(child_become_user);
}

static void test_saved_gid_left_refused(void)
{
	run_child(child_saved_gid_left);
}

int main(void)
{
	RUN(test_drop_from_unprivileged_listener);
	RUN(test_become_user_after_auth);
	RUN(test_saved_gid_left_refused);
	UT_END();
}
