/* sftpparse: follows one SFTP session (version 3, draft-ietf-secsh-filexfer-02,
 * which OpenSSH's sftp-server speaks) in both directions and reports one
 * FILE event (xferevent.h) per file handle that moved data, when the
 * client closes it (or at the end for handles left open).
 *
 * Packets are `uint32 length, byte type, ...`. From the client it reads
 * INIT, OPEN (id, path, pflags), READ (id, handle, offset, length), WRITE
 * (id, handle, offset, data) and CLOSE (id, handle); from the server
 * VERSION (must be 3), HANDLE (the handle an OPEN got), DATA (a READ's
 * bytes) and STATUS (a failed OPEN, a READ at the end). Everything else is
 * passed over by its length. A handle's upload is what WRITEs carry (an
 * OPEN with the write flag is an upload even with no WRITE: an empty
 * file), its download what DATA replies carry (a READ makes it one even if
 * only the end of file comes back); each side has its byte count and the
 * SHA-256 of its bytes while they come in offset order from 0 (OpenSSH's
 * client and server keep that order); once a piece comes out of order the
 * SHA-256 is unknown ("-"), as it is for a file written by the server
 * itself (OpenSSH's copy-data extension). Handles with neither (stat, directories) emit
 * nothing. Data bytes are hashed as they stream by: nothing buffers a
 * packet's data.
 *
 * Anything the parser cannot follow (a packet longer than SFTP_PACKET_MAX,
 * a malformed OPEN/HANDLE/READ/WRITE/DATA, a version other than 3, more
 * than SFTP_FILES_MAX open files or SFTP_READS_MAX outstanding reads, a
 * path longer than SFTP_PATH_MAX - 1) stops it: one event with reason
 * "unparsed" (dir: the direction that was not followed), after the files
 * open at that point are reported with reason "incomplete" and their
 * SHA-256 unknown. Fixed memory (the struct, caller-owned). */
#ifndef JB_SFTPPARSE_H
#define JB_SFTPPARSE_H
#include "xferevent.h"
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

#define SFTP_PACKET_MAX (256 * 1024 + 1024) /* OpenSSH's sftp-server takes 256 KiB messages */
#define SFTP_FILES_MAX 32
#define SFTP_READS_MAX 256 /* OpenSSH's sftp keeps up to 64 requests (-R) in flight */
#define SFTP_HANDLE_MAX 256
#define SFTP_PATH_MAX 1024
#define SFTP_HEAD_MAX (1 + 4 + 4 + SFTP_PATH_MAX + 4) /* the part of a packet that is parsed */

/* one direction of a handle's traffic */
struct sftp_side {
	uint64_t bytes, next; /* bytes moved; the offset that keeps the order */
	uint8_t moved;        /* the handle has this direction */
	uint8_t unordered;    /* a piece came out of order: the SHA-256 is unknown */
	uint8_t cut;          /* the streams ended inside a piece */
	br_sha256_context sha;
};

struct sftp_file {
	uint8_t state;        /* free, OPEN sent (waiting for HANDLE), open */
	uint32_t open_id, gen;
	uint16_t handle_len;
	char handle[SFTP_HANDLE_MAX];
	char path[SFTP_PATH_MAX];
	struct sftp_side side[2]; /* [XFER_UPLOAD], [XFER_DOWNLOAD] */
};

struct sftp_read {
	uint8_t used;
	uint32_t id, gen;
	uint8_t slot;
	uint64_t offset;
};

/* where one direction's stream stands */
struct sftp_stream {
	uint8_t lenbuf[4];
	uint8_t lenhave;
	uint8_t phase;        /* length, head, data, skip */
	uint8_t seen;         /* a packet came (the first must be INIT / VERSION) */
	uint32_t pktlen, got; /* the packet's length after the length field; bytes of it read */
	uint32_t head_want;
	uint32_t headlen;
	uint8_t head[SFTP_HEAD_MAX];
	uint32_t data_left;   /* in a WRITE's or DATA's data */
	struct sftp_side *to; /* the side that data goes to, or NULL */
};

struct sftpparse {
	xfer_event_fn cb;
	void *ctx;
	uint8_t stopped;
	uint32_t gen;
	struct sftp_stream stream[2]; /* [0] client to server, [1] server to client */
	struct sftp_file files[SFTP_FILES_MAX];
	struct sftp_read reads[SFTP_READS_MAX];
};

/* Starts a parser; cb gets each event (the event and its strings live only
 * during the call). */
void sftpparse_init(struct sftpparse *p, xfer_event_fn cb, void *ctx);

/* Feeds bytes the client sent to the server (user to target). */
void sftpparse_client(struct sftpparse *p, const uint8_t *buf, size_t n);

/* Feeds bytes the server sent to the client (target to user). */
void sftpparse_server(struct sftpparse *p, const uint8_t *buf, size_t n);

/* Both streams have ended: reports the handles still open that moved data
 * (a packet cut short: its file's SHA-256 unknown, reason "incomplete"). */
void sftpparse_end(struct sftpparse *p);
#endif
