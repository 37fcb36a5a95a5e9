/* recstart: the live-session marks and crash recovery. While a session is
 * recorded, STATEDIR/live/SESSION exists ("START_UNIX_MS UID TARGET\n",
 * its mtime touched at each checkpoint); it is removed once jumpd took
 * the session's REC_END. At start, each mark left (jumprec was killed, the
 * box lost power, jumpd could not take the REC_END) gets
 * `rec_end reason=recovered` with the chain of the session's last whole
 * chunk in the spool (recspool_last), then is removed. */
#ifndef JB_RECSTART_H
#define JB_RECSTART_H
#include <stdint.h>
#include <sys/types.h>

/* Creates the mark; returns its fd (kept open for recstart_touch), or -1. */
int recstart_mark(const char *live_dir, const char *session, int64_t start_unix_ms, uid_t uid,
		  const char *target);
/* Notes the session alive now (mtime); fd may be -1. */
void recstart_touch(int fd);
/* Removes the mark and closes fd (may be -1). */
void recstart_unmark(const char *live_dir, const char *session, int fd);

/* Recovers every mark in live_dir: recspool_last on spool_path, rec_end to
 * jumpd at jumpd_sock. Returns the number recovered; *failed counts marks
 * jumpd did not take (kept for the next start). */
int recstart_recover(const char *live_dir, const char *spool_path, const char *jumpd_sock, unsigned *failed);
#endif
