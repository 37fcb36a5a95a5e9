/* jb-sandbox: Dropbear's connection process filter (see jb-sandbox.h). */
#include "jb-sandbox.h"
/* beside this file in Dropbear's tree (build/pkg/dropbear/ours) */
#if __has_include("sandbox.h")
#include "sandbox.h"
#else
#include "../common/sandbox.h"
#endif

#include <sys/syscall.h>

static const struct sandbox_rule connection_denied[] = {
	/* other processes' memory and registers */
	SB_CALL(ptrace), SB_CALL(process_vm_readv), SB_CALL(process_vm_writev), SB_CALL(kcmp),
	SB_CALL(pidfd_getfd),
	/* file systems and the kernel itself */
	SB_CALL(mount), SB_CALL(umount2), SB_CALL(pivot_root), SB_CALL(chroot), SB_CALL(fsopen),
	SB_CALL(fsconfig), SB_CALL(fsmount), SB_CALL(fspick), SB_CALL(move_mount), SB_CALL(open_tree),
	SB_CALL(swapon), SB_CALL(swapoff), SB_CALL(reboot), SB_CALL(kexec_load), SB_CALL(kexec_file_load),
	SB_CALL(init_module), SB_CALL(finit_module), SB_CALL(delete_module), SB_CALL(acct),
	SB_CALL(quotactl), SB_CALL(uselib), SB_CALL(syslog), SB_CALL(sethostname), SB_CALL(setdomainname),
	SB_CALL(vhangup), SB_CALL(open_by_handle_at), SB_CALL(name_to_handle_at), SB_CALL(lookup_dcookie),
	/* attack surface an SSH session has no use for */
	SB_CALL(bpf), SB_CALL(perf_event_open), SB_CALL(userfaultfd), SB_CALL(keyctl), SB_CALL(add_key),
	SB_CALL(request_key), SB_CALL(unshare), SB_CALL(setns), SB_CALL(io_uring_setup),
	SB_CALL(io_uring_enter), SB_CALL(io_uring_register), SB_CALL(fanotify_init), SB_CALL(iopl),
	SB_CALL(ioperm), SB_CALL(modify_ldt), SB_CALL(personality),
	/* time is the box's (NTP's, root's), not a session's */
	SB_CALL(settimeofday), SB_CALL(clock_settime), SB_CALL(clock_adjtime), SB_CALL(adjtimex),
};

int jb_sandbox_connection(char *err, size_t errlen)
{
	return sandbox_install_deny("dropbear connection", connection_denied,
				    sizeof connection_denied / sizeof connection_denied[0], err, errlen);
}
