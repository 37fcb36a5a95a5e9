/* auditverify: sequence and chain check of a stored audit trail (see
 * auditverify.h). */
#include "auditverify.h"
#include "../common/auditrec.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SPAN ((uint64_t)1 << 28) /* sequenceIds one file may span */

struct slot {
	uint8_t hash[32], prev[32];
	uint8_t seen;
};

int audit_verify(FILE *in, FILE *out, struct verify_report *r)
{
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
	rc = (r->gaps || r->breaks || r->disorder || r->malformed) ? 1 : 0;
done:
	free(line);
	free(s);
	return rc;
}
