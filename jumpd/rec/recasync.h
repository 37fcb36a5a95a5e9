/* recasync: the recorder's audit requests that must not hold up the pump:
 * the once-a-second marks (rec_mark, each after the recording trail's
 * fdatasync) and the typed-line COMMAND records. Made inline in the loop,
 * each cost a disk flush plus a jumpd round (jumpd answers after its own
 * group-commit fdatasync), and every session's bytes waited for it: the
 * echo p99 of a recorded shell. Here a worker process asks instead.
 *
 * The worker is a fork of jumprec made once at start (same uid, not
 * dumpable, no new privileges, SIGKILLed with its parent). It reads the
 * requests in order from a SOCK_SEQPACKET pair, syncs the trail once per
 * batch that holds a request needing it, asks jumpd one request at a time
 * and answers each, in the order queued. So a session's requests reach
 * jumpd in the order it made them; a session waits for its own outstanding
 * ones (recasync_wait) before its REC_END, which stays inline.
 *
 * Bounded: at most RECASYNC_QUEUE requests outstanding (a fixed ring in
 * the caller's struct); with the ring full, submit blocks for the oldest
 * answer, as the inline call did. Nothing is lost silently: if the worker
 * is gone, every outstanding request is answered -1 "audit-unavailable
 * (...)" to the callback (so fail-closed sessions end) and later requests
 * are made inline. */
#ifndef JB_RECASYNC_H
#define JB_RECASYNC_H
#include "../common/hookproto.h"
#include <stdint.h>
#include <sys/types.h>

#define RECASYNC_QUEUE 64
#define RECASYNC_BATCH 16   /* requests the worker takes per trail sync */
#define RECASYNC_WAIT_MS 10000 /* a session's outstanding ones, at its end: two jumpd timeouts */

enum recasync_kind { RECASYNC_MARK = 1, RECASYNC_COMMAND = 2 };

struct recasync_req {
	uint32_t kind;          /* enum recasync_kind */
	uint32_t sync_trail;    /* fdatasync the trail before asking */
	char session[17];
	struct hook_msg msg;    /* the request to jumpd, whole */
};

struct recasync_rep {
	uint32_t kind;
	char session[17];
	int32_t rc;             /* 0 ok; -1 refused or not asked: why */
	char why[256];
};

/* called once per answered request, in the order submitted */
typedef void (*recasync_done_fn)(const struct recasync_rep *rep, void *ctx);

struct recasync {
	int fd;                 /* our end of the pair; -1: no worker (inline) */
	pid_t pid;
	const char *jumpd_sock;
	int trail_fd;           /* the recording trail, synced by the worker */
	recasync_done_fn done;
	void *ctx;
	struct { uint32_t kind; char session[17]; } ring[RECASYNC_QUEUE];
	unsigned head, count;   /* outstanding, oldest at head */
};

/* Sets a up with no worker: every request is made inline. jumpd_sock and
 * trail_fd are the caller's (kept open by it). */
void recasync_init(struct recasync *a, const char *jumpd_sock, int trail_fd, recasync_done_fn done, void *ctx);

/* Forks the worker (once, after recasync_init). Returns 0, or -1 with
 * errno (a stays inline, still usable). */
int recasync_start(struct recasync *a);

/* Queues r (or, with no worker, does it inline and calls done before
 * returning). Blocks only while RECASYNC_QUEUE are outstanding. */
void recasync_submit(struct recasync *a, const struct recasync_req *r);

/* The worker's fd became readable (or hung up): takes every answer there
 * is and calls done for each; a gone worker fails the outstanding ones. */
void recasync_ready(struct recasync *a);

/* How many of session's requests are outstanding. */
unsigned recasync_outstanding(const struct recasync *a, const char *session);

/* Blocks until none of session's requests is outstanding or timeout_ms
 * has passed (then the worker is taken as gone). Returns 0 or -1. */
int recasync_wait(struct recasync *a, const char *session, int timeout_ms);

/* The caller's SIGCHLD loop reaped pid (waitpid(-1)): returns 1 if it was
 * the worker, whose pid is then forgotten, so that recasync never kills or
 * waits for a pid the kernel may already have given to another child;
 * the worker's hang-up then fails what is outstanding, as for any death.
 * Returns 0 for any other pid. */
int recasync_reaped(struct recasync *a, pid_t pid);

/* Ends the worker (closes the pair, reaps it); outstanding ones fail. */
void recasync_stop(struct recasync *a);
#endif
