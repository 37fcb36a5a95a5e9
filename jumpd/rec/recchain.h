/* recchain: the recording trail's chunk chain and its record line.
 *
 * A recorded session's .cast text is cut into chunks (any byte ranges, at
 * most RECCHAIN_CHUNK_MAX bytes; the .cast is exactly chunks 0..N-1 put
 * together; chunk 0 starts with the asciicast header line). Each chunk
 * advances the session's chain:
 *
 *   chain_-1 = SHA-256("jumpbox-rec-1" || session id text)
 *   chain_N  = SHA-256(chain_N-1 || be64(N) || raw_N)
 *
 * so a chunk altered, missing, swapped or added changes every chain value
 * after it. jumpd's audit trail anchors the chain (REC_CHECKPOINT and
 * REC_END carry chain values, and are signed through AUDIT_CHECKPOINT).
 * Each chunk is one RFC 5424 record in the audit record format
 * (auditrec.h), APP-NAME jumprec, MSGID REC_DATA:
 *
 *   ... jumprec PID REC_DATA [origin ...][meta sequenceId="S"]
 *     [jumpbox@32473 prev=".." session="<16 hex>" chunk="N" chain="<64 hex>" data="<base64>"]
 *
 * (sequenceId and prev: the recording trail's own line chain, as the audit
 * spool's.) Owns the chain arithmetic, formatting and the strict parser
 * (jumpctl rec-export reads collector files with it: outside input).
 * Caller-owned buffers, no allocation. */
#ifndef JB_RECCHAIN_H
#define JB_RECCHAIN_H
#include <stddef.h>
#include <stdint.h>

#define RECCHAIN_CHUNK_MAX 2400       /* raw bytes of one chunk: base64 of it fits a record */
#define RECCHAIN_APP "jumprec"
#define RECCHAIN_MSGID "REC_DATA"
#define RECCHAIN_SESSION_LEN 16       /* hex digits of a session id */

struct recchain {
	uint8_t chain[32];            /* after chunk next_chunk - 1 (chain_-1 when none) */
	uint64_t next_chunk, bytes;   /* chunks so far; raw bytes so far */
	char session[17];
};

/* 1 if s is a session id: RECCHAIN_SESSION_LEN lower-case hex digits, NUL-terminated. */
int recchain_session_ok(const char *s);

/* Starts the chain of a session (chain_-1, no chunk, no byte). */
void recchain_init(struct recchain *rc, const char session[17]);

/* Appends one chunk (len <= RECCHAIN_CHUNK_MAX): updates chain, next_chunk, bytes. */
void recchain_step(struct recchain *rc, const uint8_t *raw, size_t len);

/* Formats the REC_DATA record of chunk `chunk` (raw, len: 1..RECCHAIN_CHUNK_MAX
 * bytes) into out (NUL-terminated, no '\n'): after is the chain once that
 * chunk was stepped (so after->next_chunk == chunk + 1), seq and prev the
 * recording trail's sequenceId and line chain (auditrec.h); ts an RFC 3339
 * time stamp, version the image's (origin swVersion). Returns the length,
 * or -1 (out too small, a bad chunk length, after not past chunk). */
int recchain_format(char *out, size_t cap, const char *ts, const char *host, const char *version, long pid,
		    uint64_t seq, const uint8_t prev[32], const struct recchain *after, uint64_t chunk,
		    const uint8_t *raw, size_t len);

/* Parses one REC_DATA line (len bytes, no '\n'), strictly: a record
 * auditrec_parse accepts, APP-NAME jumprec, MSGID REC_DATA, a session id,
 * a decimal chunk number (no leading zero, below 2^63), a 64 lower-case hex
 * chain and canonical padded base64 data of 1..RECCHAIN_CHUNK_MAX bytes.
 * Fills session, *chunk, chain (the value the line claims) and the decoded
 * bytes into raw (rawcap) with *rawlen. Returns 0, or -1. */
int recchain_parse(const char *line, size_t len, char session[17], uint64_t *chunk, uint8_t chain[32],
		   uint8_t *raw, size_t rawcap, size_t *rawlen);
#endif
