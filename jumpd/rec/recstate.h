/* recstate: the recorder's process-wide state, shared by its modules
 * (set up once by jumprec.c's main, then read by the rest; only the
 * recording trail's fields change: recrecord.c). */
#ifndef JB_RECSTATE_H
#define JB_RECSTATE_H
#include "recspool.h"
#include <stdint.h>

struct jumprec {
	const char *statedir, *rundir, *jumpd_sock, *bin; /* -s -r -j -b */
	uint64_t max_bytes;          /* -M, in bytes */
	int fail_closed;             /* -F */
	unsigned max_sessions;       /* -n */
	char spool_path[256], keys_dir[256], live_dir[256];
	char host[64];
	struct recspool spool;       /* the recording trail, its only writer */
	int trail_failed;            /* the last put was refused (full) or failed: 1 full, 2 I/O */
};
extern struct jumprec jr;
#endif
