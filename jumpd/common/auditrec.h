/* auditrec: one audit record, as jumpd spools and ships it and as a
 * collector stores it: an RFC 5424 syslog message on one line,
 *
 *   <85>1 2026-11-24T10:00:00.123Z bastion jumpd 77 AUTH
 *     [origin software="jumpbox" swVersion="0.1.0+g..."][meta sequenceId="42"]
 *     [jumpbox@32473 prev="<sha256 hex of record 41's line>" user="ops" ...]
 *
 * (one line; wrapped here). sequenceId (RFC 5424 7.3.1) counts records
 * from 1; prev chains each record to the one before (64 zeros for the
 * first), so removing, altering or reordering a record breaks the chain.
 * Owns formatting and the strict parser the spool recovery and the
 * verifier share. Caller-owned buffers, no allocation. */
#ifndef JB_AUDITREC_H
#define JB_AUDITREC_H
#include <stddef.h>
#include <stdint.h>

#define AUDITREC_MAX 4096         /* bytes of one record line, without '\n' */
#define AUDITREC_SDID "jumpbox@32473"

struct auditrec_info {
	uint64_t seq;                 /* sequenceId */
	uint8_t prev[32];             /* the chain field */
	char msgid[33];
	char host[256];               /* HOSTNAME */
	char app[49];                 /* APP-NAME: jumpd (the audit trail), jumprec (the recording trail) */
	uint8_t sig[64];              /* a checkpoint's signature (auditsign.h) */
	int has_sig;                  /* 1 if the record has a well-formed sig= */
};

/* Formats a record into out (NUL-terminated, no '\n'). kv: key, value
 * pairs ended by NULL; values written by auditrec_put_value. Returns the
 * length, or -1 if it exceeds cap or AUDITREC_MAX. */
int auditrec_format(char *out, size_t cap, const char *timestamp, const char *host,
		    const char *version, long pid, const char *msgid, uint64_t seq,
		    const uint8_t prev[32], const char *const *kv);

/* The same with another APP-NAME (RFC 5424: printable ASCII, at most 48):
 * jumprec writes the recording trail in this format (jumpd/rec/recchain.h).
 * auditrec_format is this with "jumpd". */
int auditrec_format_app(char *out, size_t cap, const char *timestamp, const char *host, const char *app,
			const char *version, long pid, const char *msgid, uint64_t seq,
			const uint8_t prev[32], const char *const *kv);

/* Appends the value v, as the inside of a PARAM-VALUE, at out + *len: a
 * record is valid UTF-8 with no C0 or C1 control (RFC 5424 6.3.3 wants
 * UTF-8, and records reach operators' screens). Safe text (utf8.h) is
 * copied, with '"', '\' and ']' escaped by '\' (RFC 5424 6.3.3); every
 * other byte (a control, a C1 control's bytes, a byte of no valid
 * character) is written as the four characters \xNN (lower-case hex).
 * Unambiguous: a '\' of the value itself is written "\\". Returns 0, or
 * -1 if out (cap bytes) cannot take it all with two bytes to spare (*len
 * then counts what was written: whole characters and escapes only). out is
 * not NUL-terminated. */
int auditrec_put_value(char *out, size_t cap, size_t *len, const char *v);

/* Parses one record line (len bytes, no '\n'): RFC 5424 header, the three
 * SD elements above (others allowed after them), strict SD syntax.
 * Returns 0 and fills *info, or -1. */
int auditrec_parse(const char *line, size_t len, struct auditrec_info *info);

/* The value of parameter name of the jumpbox@32473 element of a record
 * that auditrec_parse accepts, unescaped, into out (cap bytes, NUL-
 * terminated). Returns its length; -1 if the record is malformed, has no
 * such parameter or has it twice; -2 if it does not fit out. */
int auditrec_param(const char *line, size_t len, const char *name, char *out, size_t cap);

/* SHA-256 of a record line: what the next record's prev holds. */
void auditrec_hash(const char *line, size_t len, uint8_t out[32]);
#endif
