/* sysctl: hardening and network sysctls (see sysctl.h). */
#include "sysctl.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const struct sysctl_setting sysctl_table[] = {
	{ "kernel.kptr_restrict", "2" },
	{ "kernel.dmesg_restrict", "1" },
	{ "kernel.perf_event_paranoid", "3" },
	{ "kernel.unprivileged_bpf_disabled", "1" },
	{ "kernel.yama.ptrace_scope", "2" },
	{ "kernel.kexec_load_disabled", "1" },
	{ "kernel.sysrq", "0" },
	{ "kernel.randomize_va_space", "2" },
	{ "kernel.core_pattern", "|/bin/false" },
	{ "kernel.panic_on_oops", "1" },
	{ "kernel.io_uring_disabled", "2" },
	{ "user.max_user_namespaces", "0" },
	{ "vm.mmap_min_addr", "65536" },
	{ "vm.unprivileged_userfaultfd", "0" },
	{ "dev.tty.ldisc_autoload", "0" },
	{ "dev.tty.legacy_tiocsti", "0" },
	{ "net.core.bpf_jit_harden", "2" },
	{ "fs.suid_dumpable", "0" },
	{ "fs.protected_symlinks", "1" },
	{ "fs.protected_hardlinks", "1" },
	{ "fs.protected_fifos", "2" },
	{ "fs.protected_regular", "2" },
	{ "net.ipv4.conf.all.rp_filter", "1" },
	{ "net.ipv4.conf.default.rp_filter", "1" },
	{ "net.ipv4.conf.all.accept_redirects", "0" },
	{ "net.ipv4.conf.default.accept_redirects", "0" },
	{ "net.ipv4.conf.all.secure_redirects", "0" },
	{ "net.ipv4.conf.default.secure_redirects", "0" },
	{ "net.ipv4.conf.all.send_redirects", "0" },
	{ "net.ipv4.conf.default.send_redirects", "0" },
	{ "net.ipv4.conf.all.accept_source_route", "0" },
	{ "net.ipv4.conf.default.accept_source_route", "0" },
	{ "net.ipv4.conf.all.log_martians", "1" },
	{ "net.ipv4.icmp_echo_ignore_broadcasts", "1" },
	{ "net.ipv4.icmp_ignore_bogus_error_responses", "1" },
	{ "net.ipv4.tcp_syncookies", "1" },
	{ "net.ipv4.tcp_rfc1337", "1" },
	{ "net.ipv4.ip_forward", "0" },
	{ "net.ipv6.conf.all.accept_redirects", "0" },
	{ "net.ipv6.conf.default.accept_redirects", "0" },
	{ "net.ipv6.conf.all.accept_source_route", "0" },
	{ "net.ipv6.conf.default.accept_source_route", "0" },
	{ "net.ipv6.conf.all.forwarding", "0" },
	{ NULL, NULL }
};

int sysctl_apply(const char *procroot)
{
	int failed = 0;
	for (const struct sysctl_setting *s = sysctl_table; s->key; s++) {
		char path[256];
		int n = snprintf(path, sizeof path, "%s/", procroot);
		for (const char *k = s->key; *k && n < (int)sizeof path - 1; k++)
			path[n++] = (char)(*k == '.' ? '/' : *k);
		path[n] = 0;
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				log_msg("sysctl %s: not in this kernel (feature compiled out), skipped", s->key);
			else {
				log_loud("sysctl %s: cannot open: %s", s->key, strerror(errno));
				failed++;
			}
			continue;
		}
		size_t len = strlen(s->value);
		if (write(fd, s->value, len) != (ssize_t)len) {
			log_loud("sysctl %s=%s: %s", s->key, s->value, strerror(errno));
			failed++;
		}
		close(fd);
	}
	return failed;
}
