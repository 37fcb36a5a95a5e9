/* auditverify: checks an audit trail as a collector stored it (one record
 * per line, auditrec.h) — the sequence and the hash chain. Reports gaps
 * (missing sequenceIds), breaks (a record whose prev is not the hash of the
 * record before it: that one was altered or replaced), reordering (a new
 * sequenceId after a higher one), malformed lines, and counts duplicates
 * (identical resends are expected: delivery is at-least-once).
 * Used by `jumpctl audit-verify`; runs on any Linux host. */
#ifndef JB_AUDITVERIFY_H
#define JB_AUDITVERIFY_H
#include <stdint.h>
#include <stdio.h>

struct verify_report {
	uint64_t records, duplicates, first_seq, last_seq;
	uint64_t gaps, breaks, disorder, malformed;
};

/* Reads every line of in; writes one line per problem to out. Returns 0 if
 * the trail is whole (no gap, break, reordering or malformed line), 1 if
 * not, -1 on a read or memory error. */
int audit_verify(FILE *in, FILE *out, struct verify_report *r);
#endif
