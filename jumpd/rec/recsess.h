/* recsess: the table of recorded sessions and each one's life: the open
 * request a stub sends (its line and the user's fds 0,1,2), jumpd's
 * rec_open, the connection to the target, dbclient, the recording's
 * start, and its end (exit status back to the stub, REC_END to jumpd, the
 * user's descriptors closed so that EOF reaches the user). The byte pump
 * of a running session is recpump.c. A fixed table, sized once at start
 * (-n); fixed buffers per session, so memory is bounded whatever the
 * output rate; no queue grows. */
#ifndef JB_RECSESS_H
#define JB_RECSESS_H
#include "recasync.h"
#include "recaudit.h"
#include "recopen.h"
#include "recrecord.h"
#include "recxfer.h"
#include "typed.h"
#include "../common/fdpass.h"

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#define RECSESS_BUF 16384
#define RECSESS_WATCHERS 4
#define RECSESS_CONNECT_MS 10000  /* to reach the target's port */
#define RECSESS_CLOSE_MS 3000     /* an ending session's last output, then it is cut */

struct recbuf {
	uint8_t d[RECSESS_BUF];
	size_t head, len;
};

enum recsess_state { RS_FREE, RS_CONNECTING, RS_RUNNING, RS_CLOSING };

struct recsess {
	enum recsess_state state;
	struct recopen_req req;
	struct recaudit_grant grant;
	char user[33];
	uid_t uid;
	pid_t conn;               /* the stub's pid */
	int stub;                 /* the stub's socket: winch in, exit out */
	struct fdpass_rx stubrx;  /* its lines after the open one */
	int ufd[3];               /* the user's 0, 1, 2 */
	int tcp;                  /* while connecting */
	pid_t child;
	int cin, cout, cerr;      /* dbclient: pty master twice, or pipes */
	int child_done, child_status;
	int transfer;             /* scp/sftp/rsync: content not recorded, FILE records instead */
	struct recxfer xfer;
	int hostkey_refused;
	int user_gone, up_eof, out_eof, err_eof;
	struct recbuf up, down, err;
	struct recrecord rec;
	struct typed typed;
	int watch[RECSESS_WATCHERS];
	int live_fd;              /* STATEDIR/live/SESSION (recstart.h) */
	int mark_inflight;        /* a rec_mark is with the audit worker */
	char end_reason[32];
	int64_t since_unix_ms, start_ms, deadline_ms;
	uint64_t bytes;           /* output bytes shown */
};

struct recsess_table {
	struct recsess *s;
	unsigned cap, used;
	struct recasync async;    /* marks and typed COMMANDs, off the loop */
};

/* Allocates the table (once), its audit requests inline (jr.jumpd_sock,
 * jr.spool must be set). 0 or -1. */
int recsess_init(struct recsess_table *t, unsigned cap);

/* Moves the marks and typed COMMANDs off the loop (recasync's worker);
 * without it they are made inline. 0, or -1 with errno. */
int recsess_start_audit_worker(struct recsess_table *t);

/* Sends msg (built by recaudit_*_req) for s through the audit worker;
 * its answer comes back to recsess's own handler (fail-closed sessions
 * end on a refusal). sync_trail: flush the trail before asking. */
void recsess_audit_async(struct recsess_table *t, struct recsess *s, enum recasync_kind kind,
			 const struct hook_msg *msg, int sync_trail);

/* A stub's complete open line with its fds (nfds of them; taken over:
 * closed on every path). uid/pid from SO_PEERCRED. Refusals are told to
 * the user and the stub here. */
void recsess_open(struct recsess_table *t, int stub, uid_t uid, pid_t pid, const char *line, size_t len,
		  const int *fds, unsigned nfds);

/* Ends a live session: reason in REC_END, text shown to the user (NULL:
 * nothing). Its child is stopped; its last output still flows for up to
 * RECSESS_CLOSE_MS. */
void recsess_end(struct recsess *s, const char *reason, const char *shown);

/* The trail refused a put (rc -2 full, -1 I/O): with fail-closed every
 * live session ends (storage-full), else every recording stops. */
void recsess_trail_failed(struct recsess_table *t, int rc);

/* A child exited (from waitpid): notes it on its session. */
void recsess_reaped(struct recsess_table *t, pid_t pid, int status);

/* Periodic work: connect and close deadlines, flushes, checkpoints,
 * sessions whose end is complete. */
void recsess_tick(struct recsess_table *t, int64_t now_ms);

/* The session with id, or NULL. */
struct recsess *recsess_find(struct recsess_table *t, const char *id);

/* Called by the pump once a session is connected: starts dbclient and the
 * recording. Internal to recsess.c/recpump.c. */
void recsess_connected(struct recsess_table *t, struct recsess *s);
/* a session that got its grant but did not start: REC_END with reason,
 * shown to the user, told to the stub, freed (internal) */
void recsess_fail(struct recsess_table *t, struct recsess *s, const char *reason, const char *shown);
/* finishes a session whose child and output are done (internal) */
void recsess_finish(struct recsess_table *t, struct recsess *s);
/* records output/input/resize, applying the trail's failure policy */
void recsess_record(struct recsess_table *t, struct recsess *s, char code, const uint8_t *p, size_t n);
#endif
