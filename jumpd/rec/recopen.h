/* recopen: the request line a stub (jumpmenu in relay mode) opens a
 * recorded session with on /run/rec/rec.sock:
 *   open target=SELECTOR mode=shell|exec|sftp pty=yes|no term=T cols=N rows=N cmd=PCT
 * Owns checking its fields past hookproto's syntax (which values, which
 * combinations); what comes from a user's process is refused unless it is
 * exactly what the recorder can act on. Fuzzed (recopen_fuzz.c). */
#ifndef JB_RECOPEN_H
#define JB_RECOPEN_H
#include "../common/hookproto.h"

/* the open request, as the stub sent it (checked by recopen_parse) */
struct recopen_req {
	char selector[128], term[32], cmd[HOOK_MAX_VALUE + 1];
	char mode[8];            /* shell, exec, sftp */
	int pty;
	unsigned cols, rows;
};

/* Checks an open line's fields: target, mode shell|exec|sftp, pty yes|no,
 * term [A-Za-z0-9.+_-]{1,31}, cols/rows 1-9999, cmd (required for exec;
 * for sftp it must be absent or "sftp"). 0 and *r filled, or -1 with what
 * is wrong in why. */
int recopen_parse(const struct hook_msg *m, struct recopen_req *r, char *why, size_t whylen);

#endif
