/* recexport: `jumpctl rec-export`: rebuilds a recorded session's .cast from
 * the recording trail (REC_DATA records, jumpd/rec/recchain.h) and proves
 * it against jumpd's audit trail before writing a byte of it.
 *
 * The trails come from a collector's file (both in one file, interleaved,
 * lines possibly repeated: delivery is at least once) or from the box (its
 * recording spool, and its audit spool for the anchors). Checks, the first
 * failure refused with its chunk number:
 *  - the audit lines verify as `jumpctl audit-verify` verifies them
 *    (auditverify.h: sequence, chain, and with a key the signed
 *    checkpoints; with a key the REC_END must be signed already);
 *  - each chunk 0..N-1 is there once (a repeat with the same content is a
 *    resend; with other content, a forgery);
 *  - the chain recomputed from the data matches what each REC_DATA
 *    claims, every REC_CHECKPOINT of the session, and its REC_END (chunks,
 *    bytes, final chain), which must exist;
 *  - where two chunks' lines follow each other in the recording trail
 *    (consecutive sequenceIds), its line chain holds.
 * Chunks are placed by number, not by their place in the file: two lines'
 * content swapped shows as a chunk that does not chain.
 * The .cast is written to a temporary file beside OUTFILE and renamed over
 * it only when everything verified. Memory: an index entry per chunk
 * (offsets and hashes, not the data). */
#ifndef JB_RECEXPORT_H
#define JB_RECEXPORT_H
#include <stdint.h>

struct auditsign_key;

struct recexport_opts {
	const char *session;           /* 16 hex */
	const char *rec_path;          /* the file holding the REC_DATA lines */
	const char *audit_path;        /* the file holding jumpd's records (NULL: none: nothing anchors) */
	const char *out_path;
	const struct auditsign_key *key; /* NULL: the signed checkpoints are not checked */
};

struct recexport_result {
	uint64_t chunks, bytes, duration_ms, duplicates, checkpoints;
	uint64_t end_seq, signed_to;   /* the REC_END's sequenceId; what the key proves */
	char end_reason[64];
	char problem[400];             /* the first problem, when refused */
};

/* Returns 0 (verified, OUTFILE written), 1 (refused: r->problem), -1 (a
 * read or write error: r->problem). */
int rec_export(const struct recexport_opts *o, struct recexport_result *r);

/* The command: argv after "rec-export". Prints the summary or the
 * problem; returns the exit status (0, 1 refused, 2 usage or I/O). */
int rec_export_main(int argc, char **argv);
#endif
