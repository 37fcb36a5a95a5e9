/* svcreport: telling jumpd that a supervised service ended (the audit
 * trail's SERVICE_RESTART: name, status as svc_status_text has it,
 * restarts, restart_in_s). From a child, so the supervisor never waits on
 * a socket: jumpd's own exit is told to its successor, which may take a
 * moment to listen, so the child retries for the backoff and 10 s more. */
#ifndef JB_INIT_SVCREPORT_H
#define JB_INIT_SVCREPORT_H
#include "supervise.h"

/* Forks the reporting child and returns its pid (-1: fork failed) in the
 * caller; the child exits 0 once jumpd took the record, 1 if it never did. */
pid_t svcreport_exit(const char *ctl_socket, const struct service *s, int status);
#endif
