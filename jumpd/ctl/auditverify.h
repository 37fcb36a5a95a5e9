/* auditverify: checks an audit trail as a collector stored it (one record
 * per line, auditrec.h) — the sequence and the hash chain. Reports gaps
 * (missing sequenceIds), breaks (a record whose prev is not the hash of the
 * record before it: that one was altered or replaced), reordering (a new
 * sequenceId after a higher one), malformed lines, and counts duplicates
 * (identical resends are expected: delivery is at-least-once).
 * Truncation: a trail must start at sequenceId 1 (a new chain) or at a
 * stated checkpoint (opts->from), and must reach a sequenceId the verifier
 * saw earlier (opts->seen), so a cut at either end is an error.
 * Origin: with the box's public key (opts->key), every AUDIT_CHECKPOINT's
 * signature is checked (auditsign.h); a trail with no valid checkpoint, or
 * one that does not verify, fails: whoever rewrote the records could
 * recompute the chain but not the signature. Records after the last valid
 * checkpoint are reported as not yet proven (the next heartbeat signs them).
 * Lines of the recording trail (APP-NAME jumprec, jumpd/rec/recchain.h),
 * which a collector stores in the same file, are another chain: counted,
 * not checked here.
 * Used by `jumpctl audit-verify` and `jumpctl rec-export`; runs on any Linux host. */
#ifndef JB_AUDITVERIFY_H
#define JB_AUDITVERIFY_H
#include <stdint.h>
#include <stdio.h>

struct auditsign_key;

struct verify_opts {
	const struct auditsign_key *key;  /* NULL: no signature check */
	uint64_t from;                    /* 0: the trail starts at 1; else at this checkpoint */
	uint64_t seen;                    /* 0: none; else the trail must reach this sequenceId */
};

struct verify_report {
	uint64_t records, duplicates, first_seq, last_seq;
	uint64_t gaps, breaks, disorder, malformed;
	uint64_t cut;                     /* 1 per end found cut (start, end) */
	uint64_t checkpoints, forged;     /* checkpoints seen; of them, signatures that fail */
	uint64_t signed_to;               /* last sequenceId a valid checkpoint covers (with a key) */
	uint64_t rec_lines;               /* recording-trail lines (APP-NAME jumprec) passed over */
};

/* Reads every line of in; writes one line per problem to out. Returns 0 if
 * the trail is whole (no gap, break, reordering, malformed line or cut end;
 * with a key: at least one checkpoint and none forged), 1 if not, -1 on a
 * read or memory error. opts may be NULL (no key, start at 1). */
int audit_verify(FILE *in, FILE *out, const struct verify_opts *opts, struct verify_report *r);
#endif
