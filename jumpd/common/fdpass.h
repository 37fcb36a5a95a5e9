/* fdpass: a line protocol over a unix stream socket that can carry file
 * descriptors (SCM_RIGHTS), for the recorded sessions' socket
 * /run/rec/rec.sock (docs/recording.md): jumpmenu (the stub) sends one
 * `open ...` line with the user's fds 0, 1, 2; jumprec receives them, and
 * the two then exchange plain lines (`winch ...`, `exit ...`).
 * Owns the sending of one line with its descriptors and the receiving
 * side's buffer: lines popped one at a time (a read may bring more than one
 * line, the rest stays for the next pop), descriptors collected as they
 * come (close-on-exec), never more than FDPASS_MAX_FDS (more, or cut
 * control data, is an error and every received descriptor is closed).
 * The line's syntax is hookproto's; this module only frames. Works on
 * blocking and non-blocking sockets. Caller-owned state, no allocation. */
#ifndef JB_FDPASS_H
#define JB_FDPASS_H
#include <stddef.h>
#include <sys/types.h>

#define FDPASS_MAX_FDS 3
#define FDPASS_MAX_LINE 1024          /* bytes including the '\n' (HOOK_MAX_LINE) */

struct fdpass_rx {
	char buf[2 * FDPASS_MAX_LINE];
	size_t len;                   /* bytes in buf not yet popped */
	int fds[FDPASS_MAX_FDS];      /* received, not yet taken */
	int nfds;
};

/* Sends the line (len bytes, ending in '\n', at most FDPASS_MAX_LINE) with
 * nfds (0 to FDPASS_MAX_FDS) descriptors, which travel with its first
 * byte; the caller keeps its own copies. Retries EINTR and short writes
 * (on a non-blocking socket EAGAIN is an error). Returns 0, or -1 with
 * errno (EINVAL: no '\n' at the end, too long, too many fds). */
int fdpass_send(int sock, const char *line, size_t len, const int *fds, int nfds);

void fdpass_rx_init(struct fdpass_rx *rx);

/* One recvmsg into rx: appends bytes, collects descriptors. Returns the
 * bytes read (> 0), 0 at end of stream, or -1 with errno: EAGAIN (nothing
 * yet, non-blocking), EPROTO (more than FDPASS_MAX_FDS descriptors in all,
 * or the control data was cut: every descriptor in rx is closed), ENOBUFS
 * (the buffer is full and holds no line end: the peer does not speak
 * lines). EINTR is retried. */
ssize_t fdpass_rx_read(int sock, struct fdpass_rx *rx);

/* Pops the first complete line from rx into out (cap bytes) without its
 * '\n', NUL-terminated. Returns its length (>= 0), -1 if no complete line
 * is buffered yet, -2 if the line is longer than FDPASS_MAX_LINE or than
 * cap - 1 (it is dropped, out is ""). */
ssize_t fdpass_rx_line(struct fdpass_rx *rx, char *out, size_t cap);

/* Moves the received descriptors into fds (up to max; the caller owns them
 * now, those beyond max are closed). Returns how many were moved. */
int fdpass_rx_take_fds(struct fdpass_rx *rx, int *fds, int max);

/* Closes the descriptors received and not taken. */
void fdpass_rx_close(struct fdpass_rx *rx);

#endif
