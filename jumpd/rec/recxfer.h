/* recxfer: what a file-transfer session records instead of its content
 * (docs/recording.md): `scp -t|-f PATH` and the sftp subsystem through the
 * transfer parsers (common/scpparse.h, sftpparse.h: one FILE record per
 * file with path, size, SHA-256), `rsync --server` as one FILE record per
 * direction with the byte count only and sha256 "-" (its data stream is
 * not parsed; common/rsyncparse.h reads its command: the direction that
 * carries the files gets the path it names, the other "-"; a command it
 * cannot read gives "-" both ways). Owns
 * telling which the session is from its mode and command, feeding the
 * parser both directions, and turning each event into jumpd's `file`
 * request. Fixed memory (the parsers' structs in a union). */
#ifndef JB_RECXFER_H
#define JB_RECXFER_H
#include "../common/rsyncparse.h"
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
		struct {
			struct rsync_cmd cmd;
			char path[SCP_PATH_MAX]; /* "" if the command could not be read */
		} rsync;
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

/* The session ended: files left open, rsync's totals. */
void recxfer_end(struct recxfer *x);
#endif
