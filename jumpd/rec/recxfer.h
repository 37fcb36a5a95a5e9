/* recxfer: what a file-transfer session records instead of its content
 * (docs/recording.md): `scp -t|-f PATH`, the sftp subsystem and `rsync
 * --server` through the transfer parsers (common/scpparse.h, sftpparse.h,
 * rsyncstream.h: one FILE record per file with path, size, SHA-256; an
 * rsync file sent as a delta has sha256 "-" and reason "delta"; what the
 * rsync parser cannot follow is one record with reason
 * "unparsed:WHAT"; an rsync command rsyncparse cannot read,
 * "unparsed:command"). Owns
 * telling which the session is from its mode and command, feeding the
 * parser both directions, and turning each event into jumpd's `file`
 * request. Fixed memory (the parsers' structs in a union). */
#ifndef JB_RECXFER_H
#define JB_RECXFER_H
#include "../common/rsyncstream.h"
#include "../common/scpparse.h"
#include "../common/sftpparse.h"
#include <stdint.h>

enum recxfer_kind { RECXFER_NONE, RECXFER_SCP, RECXFER_SFTP, RECXFER_RSYNC };

struct recxfer {
	enum recxfer_kind kind;
	const char *jumpd_sock;
	char session[17];
	uint64_t up, down;            /* bytes each way */
	int audit_failed;             /* a `file` request jumpd could not audit */
	union {
		struct scpparse scp;
		struct sftpparse sftp;
		struct rsyncstream rsync;
	} u;
};

/* The kind a session is, from mode (shell|exec|sftp) and its command. */
enum recxfer_kind recxfer_kind_of(const char *mode, const char *cmd);

/* Starts recording the transfer of session (kind from recxfer_kind_of).
 * An scp command that cannot be read is reported at once as unparsed. */
void recxfer_start(struct recxfer *x, enum recxfer_kind kind, const char *cmd, const char *session,
		   const char *jumpd_sock);

/* Bytes user -> target, and target -> user (stdout), in the order they pass. */
void recxfer_from_user(struct recxfer *x, const uint8_t *p, size_t n);
void recxfer_from_target(struct recxfer *x, const uint8_t *p, size_t n);

/* The session ended: files left open or cut short. */
void recxfer_end(struct recxfer *x);
#endif
