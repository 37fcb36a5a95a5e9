/* auditverify: sequence and chain check of a stored audit trail (see
 * auditverify.h). */
#include "auditverify.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SPAN ((uint64_t)1 << 28) /* sequenceIds one file may span */

struct slot {
	uint8_t hash[32], prev[32];
	uint8_t seen;
	uint8_t ckpt;                 /* CK_*: is it a checkpoint, and does it verify */
};

enum { CK_NONE, CK_UNCHECKED, CK_VALID, CK_FORGED };

/* a checkpoint's verdict: signed by the key over its own host, sequenceId and prev */
static uint8_t checkpoint_verdict(const struct auditrec_info *info, const struct verify_opts *o)
{
	uint8_t digest[32];
	if (strcmp(info->msgid, "AUDIT_CHECKPOINT") != 0)
		return CK_NONE;
	if (!o->key)
		return CK_UNCHECKED;
	if (!info->has_sig)
		return CK_FORGED;
	auditsign_digest(info->host, info->seq, info->prev, digest);
	return auditsign_verify(o->key, digest, info->sig) ? CK_VALID : CK_FORGED;
}

/* the ends: where the trail starts and how far it reaches, and (with a key)
 * how far the last valid checkpoint proves it */
static void check_ends(FILE *out, const struct verify_opts *o, struct verify_report *r, const struct slot *s,
		       uint64_t base, uint64_t max)
{
	if (!r->records || !s) {
		if (o->from || o->seen) {
			fprintf(out, "cut: the trail is empty\n");
			r->cut++;
		}
		return;
	}
	if (!o->from && base != 1) {
		fprintf(out, "cut: the trail starts at sequenceId %llu, not 1 (records before it removed?); "
			"--from N starts at a checkpoint you trust\n", (unsigned long long)base);
		r->cut++;
	}
	if (o->from && (o->from < base || o->from > max || !s[o->from - base].seen ||
			s[o->from - base].ckpt == CK_NONE || s[o->from - base].ckpt == CK_FORGED)) {
		fprintf(out, "cut: the stated start, sequenceId %llu, is not a %scheckpoint in this trail\n",
			(unsigned long long)o->from, o->key ? "valid " : "");
		r->cut++;
	}
	if (o->seen && max < o->seen) {
		fprintf(out, "cut: the trail ends at sequenceId %llu, but sequenceId %llu was seen before "
			"(records after it removed?)\n", (unsigned long long)max, (unsigned long long)o->seen);
		r->cut++;
	}
	if (!o->key)
		return;
	/* the chain was checked above: a valid checkpoint proves all before it */
	for (uint64_t i = max - base + 1; i-- > 0;)
		if (s[i].seen && s[i].ckpt == CK_VALID) {
			r->signed_to = base + i;
			break;
		}
	if (!r->signed_to)
		fprintf(out, "unsigned: no checkpoint verifies with the key: nothing here is proven to come from the box\n");
	else if (r->signed_to < max)
		fprintf(out, "not yet proven: sequenceId %llu..%llu come after the last checkpoint (the next one signs them)\n",
			(unsigned long long)r->signed_to + 1, (unsigned long long)max);
}

int audit_verify(FILE *in, FILE *out, const struct verify_opts *opts, struct verify_report *r)
{
	static const struct verify_opts none;
	const struct verify_opts *o = opts ? opts : &none;
	struct slot *s = NULL;
	uint64_t cap = 0, base = 0, max = 0, lineno = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	int rc = -1;

	memset(r, 0, sizeof *r);
	while ((n = getline(&line, &lcap, in)) > 0) {
		struct auditrec_info info;
		lineno++;
		if (line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (auditrec_parse(line, (size_t)n, &info)) {
			fprintf(out, "line %llu: malformed: not a jumpbox audit record\n", (unsigned long long)lineno);
			r->malformed++;
			continue;
		}
		if (strcmp(info.app, "jumprec") == 0) {
			/* the recording trail: a chain of its own, in the same
			 * collector file (jumpctl rec-export checks it) */
			r->rec_lines++;
			continue;
		}
		r->records++;
		if (r->records == 1)
			base = max = info.seq;
		/* the span a file may claim grows with what it holds: a forged
		 * huge sequenceId must not make the verifier allocate gigabytes */
		if (info.seq < base || info.seq - base >= MAX_SPAN ||
		    info.seq - base > 16 * r->records + ((uint64_t)1 << 20)) {
			fprintf(out, "line %llu: sequenceId %llu out of order or out of range (the trail starts at %llu)\n",
				(unsigned long long)lineno, (unsigned long long)info.seq, (unsigned long long)base);
			r->disorder++;
			continue;
		}
		uint64_t i = info.seq - base;
		if (i >= cap) {
			uint64_t ncap = cap ? cap : 1024;
			while (ncap <= i)
				ncap *= 2;
			struct slot *ns = realloc(s, (size_t)ncap * sizeof *s);
			if (!ns)
				goto done;
			memset(ns + cap, 0, (size_t)(ncap - cap) * sizeof *s);
			s = ns;
			cap = ncap;
		}
		uint8_t h[32];
		auditrec_hash(line, (size_t)n, h);
		if (s[i].seen) {
			if (memcmp(s[i].hash, h, 32) == 0) {
				r->duplicates++;
			} else {
				fprintf(out, "line %llu: sequenceId %llu seen before with other content\n",
					(unsigned long long)lineno, (unsigned long long)info.seq);
				r->breaks++;
			}
			continue;
		}
		if (info.seq < max) {
			fprintf(out, "line %llu: sequenceId %llu arrives after %llu (reordered)\n",
				(unsigned long long)lineno, (unsigned long long)info.seq, (unsigned long long)max);
			r->disorder++;
		}
		if (info.seq > max)
			max = info.seq;
		memcpy(s[i].hash, h, 32);
		memcpy(s[i].prev, info.prev, 32);
		s[i].seen = 1;
		s[i].ckpt = checkpoint_verdict(&info, o);
		if (s[i].ckpt != CK_NONE)
			r->checkpoints++;
		if (s[i].ckpt == CK_FORGED) {
			fprintf(out, "line %llu: forged: checkpoint sequenceId %llu does not verify with the key\n",
				(unsigned long long)lineno, (unsigned long long)info.seq);
			r->forged++;
		}
	}
	if (ferror(in))
		goto done;
	if (r->records && s) {
		static const uint8_t zero[32];
		r->first_seq = base;
		r->last_seq = max;
		for (uint64_t i = 0; i <= max - base; i++) {
			if (!s[i].seen) {
				uint64_t j = i;
				while (j + 1 <= max - base && !s[j + 1].seen)
					j++;
				fprintf(out, "gap: sequenceId %llu..%llu missing\n", (unsigned long long)base + i,
					(unsigned long long)base + j);
				r->gaps += j - i + 1;
				i = j;
				continue;
			}
			if (i == 0 && base == 1 && memcmp(s[0].prev, zero, 32) != 0) {
				fprintf(out, "break: sequenceId 1 does not start a chain\n");
				r->breaks++;
			}
			if (i > 0 && s[i - 1].seen && memcmp(s[i].prev, s[i - 1].hash, 32) != 0) {
				fprintf(out, "break: sequenceId %llu does not chain to %llu (altered or replaced)\n",
					(unsigned long long)base + i, (unsigned long long)base + i - 1);
				r->breaks++;
			}
		}
	}
	check_ends(out, o, r, s, base, max);
	rc = (r->gaps || r->breaks || r->disorder || r->malformed || r->cut || r->forged ||
	      (o->key && r->signed_to == 0)) ? 1 : 0;
done:
	free(line);
	free(s);
	return rc;
}
