/* recaudit: jumprec's requests to jumpd (auth.sock, peer class rec):
 * rec_open, rec_start, rec_mark, rec_end, command, file, rec_admin, as in
 * docs/hook-protocol.md. Owns building each request line and reading the
 * answer; one request, one reply, through jb-authhook's client (it blocks
 * up to its 5 s timeout: jumpd answers within its round). Fails closed:
 * anything but `allow`/`ok` is a refusal with a reason. */
#ifndef JB_RECAUDIT_H
#define JB_RECAUDIT_H
#include "../common/hookproto.h"
#include <stdint.h>
#include <sys/types.h>

/* what jumpd allowed for a session */
struct recaudit_grant {
	char session[17], target[64], account[64], address[64], hostkey[HOOK_MAX_VALUE + 1];
	unsigned port;
	int input;                 /* record-input = yes */
};

/* Asks rec_open. Returns 0 (allowed, *g filled), or -1 with the reason
 * (jumpd's, or "recorder-unavailable"-style text when it cannot be asked)
 * in reason. */
int recaudit_open(const char *sock, uid_t uid, const char *selector, const char *mode, pid_t conn,
		  struct recaudit_grant *g, char *reason, size_t rlen);

/* Sends req, wants `ok` (or `allow`: *rep then holds the reply). Returns
 * 0, or -1 with jumpd's reason (or why it could not be asked) in reason. */
int recaudit_ask(const char *sock, const struct hook_msg *req, struct hook_msg *rep, char *reason, size_t rlen);

int recaudit_start(const char *sock, const char *session, unsigned cols, unsigned rows, const char *cmd,
		   char *reason, size_t rlen);
/* The rec_mark request, built for recasync (asked off the loop). 0, or
 * -1 if a field does not fit. */
int recaudit_mark_req(struct hook_msg *req, const char *session, uint64_t chunks, uint64_t bytes,
		      const uint8_t chain[32]);
/* exit: "0".."255", "signal:NAME" or "-" */
int recaudit_end(const char *sock, const char *session, uint64_t chunks, uint64_t bytes, const uint8_t chain[32],
		 int64_t duration_ms, const char *exit, const char *why, char *reason, size_t rlen);
/* kind "exec" or "typed"; a line longer than a field is cut (truncated=1).
 * _req builds the request only (0, or -1 if it does not fit). */
int recaudit_command_req(struct hook_msg *req, const char *session, const char *line, const char *kind,
			 int truncated);
int recaudit_command(const char *sock, const char *session, const char *line, const char *kind, int truncated,
		     char *reason, size_t rlen);
/* admin check for ctl.sock: 0 allowed (*rep: address/port/hostkey when
 * given), -1 refused with reason */
int recaudit_admin(const char *sock, uid_t uid, const char *action, const char *session, const char *target,
		   struct hook_msg *rep, char *reason, size_t rlen);

/* Copies s into out (cap bytes) keeping only safe text (a byte that is
 * not part of a safe character becomes '?'), cut at a character boundary
 * to at most HOOK_MAX_VALUE bytes. Returns 1 if anything was cut or
 * replaced, else 0. */
int recaudit_safe_value(char *out, size_t cap, const char *s, size_t n);
#endif
