/* jb-sandbox: the seccomp filter of Dropbear's connection process (patch
 * 0021 installs it first thing in svr_session, before a byte from the
 * client is read). Dropbear has no separate pre-auth child as OpenSSH
 * has: the same process authenticates, then switches to the user (patch
 * 0004's privilege drop) and runs the user's session, shell and forwarded
 * connections, and a filter cannot be lifted. So it cannot be an
 * allow-list: it is a deny-list of what neither Dropbear nor a user's
 * session needs (tracing other processes, mounts, modules, kexec, BPF,
 * keyrings, namespaces, the kernel log, clock setting, raw I/O ports,
 * io_uring, handles by inode) plus the builder's fixed rules (x86-64 only,
 * no x32). docs/hardening.md compares it with OpenSSH's pre-auth sandbox. */
#ifndef JB_DROPBEAR_SANDBOX_H
#define JB_DROPBEAR_SANDBOX_H
#include <stddef.h>

/* 0, or -1 with a message in err: the connection must then end. */
int jb_sandbox_connection(char *err, size_t errlen);
#endif
