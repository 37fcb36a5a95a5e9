/* STAND-IN for jumpd/common/fdpass.h (front branch, H1a): descriptors over
 * a unix stream socket (SCM_RIGHTS). */
#ifndef JB_FDPASS_H
#define JB_FDPASS_H
#include <stddef.h>
#include <sys/types.h>
/* sends len bytes with nfds descriptors attached. 0 or -1 (errno) */
int fdpass_send(int sock, const void *buf, size_t len, const int *fds, unsigned nfds);
/* one recvmsg: up to cap bytes into buf, up to maxfds descriptors into fds
 * (close-on-exec; any beyond maxfds are closed). Returns the byte count
 * (0 at EOF) with *nfds set, or -1 (errno). */
ssize_t fdpass_recv(int sock, void *buf, size_t cap, int *fds, unsigned maxfds, unsigned *nfds);
#endif
