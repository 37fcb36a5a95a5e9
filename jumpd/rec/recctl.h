/* recctl: the recorder's admin socket, /run/rec/ctl.sock (jumpctl
 * sessions|watch|end|target-key|target-pin). One table, ctl_verbs[], says
 * for each request line what jumpd is asked (rec_admin: the admin check
 * and the REC_ADMIN record, decided there and failing closed) and which
 * handler serves it. Replies are hookproto lines: zero or more data lines
 * (`session ...`, `line text=...`), then `ok ...` or `error reason=...`;
 * after `watch`'s `ok` the connection carries the session's output bytes,
 * read-only, until the session ends or the watcher leaves. target_key and
 * target_pin run a Dropbear program (blocking for seconds at worst) in a
 * forked child of their own, so no session waits for them. */
#ifndef JB_RECCTL_H
#define JB_RECCTL_H
#include "recsess.h"
#include <sys/types.h>

/* Serves one complete request line from the connection fd of peer uid;
 * takes fd over (closed, or kept as a watcher). */
void recctl_serve(struct recsess_table *t, int fd, uid_t uid, const char *line, size_t len);

/* For tests: the row for a verb, NULL if none. */
struct recctl_row {
	const char *verb;       /* on ctl.sock */
	const char *action;     /* rec_admin action= */
	int needs;              /* CTL_SESSION or CTL_TARGET: the field required */
	void (*handler)(struct recsess_table *t, int fd, const struct hook_msg *req, const struct hook_msg *grant);
};
#define CTL_NONE 0
#define CTL_SESSION 1
#define CTL_TARGET 2
const struct recctl_row *recctl_find(const char *verb);

/* The reply line for one live session (`session id= user= target=
 * account= mode= since= bytes=`) into out. Its length, or -1. */
int recctl_session_line(const struct recsess *s, char *out, size_t cap);
#endif
