/* supervisor (jb-supervise): init's second process. PID 1 starts it once the
 * file systems are mounted; it runs the boot steps, each its own program and
 * each waited for, in the order the boot depends on:
 *
 *   1. jb-setup [FILE]   root                config check, host name, accounts
 *   2. jb-hostkeys       root                host keys (only with users), in
 *                                            the background of 3 and 4 (only
 *                                            the SSH server needs them);
 *                                            waited for before 5
 *   3. jumpfw ... -l     fw, NET_ADMIN       the egress policy, before any
 *                                            network; if it fails, no SSH
 *   4. jb-net ...        dhcp, NET_ADMIN     links up, static address
 *   5. the services (services.c), started together,
 *
 * then tells PID 1 the boot is complete (a newline on the ready fd, as s6's
 * readiness notification) and keeps the services running: it reaps its
 * children, restarts a service that exits (backoff, supervise.h) and tells
 * jumpd each exit for the audit trail. PID 1 kills it first at shutdown, so
 * nothing is restarted while the services stop; should it die otherwise,
 * PID 1 reboots the box (nothing would watch the services any more).
 *
 *     jb-supervise [-c CONFIG_FILE] [-r READY_FD] */
#ifndef JB_INIT_SUPERVISOR_H
#define JB_INIT_SUPERVISOR_H
int supervisor_main(int argc, char **argv);
#endif
