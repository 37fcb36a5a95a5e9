/* libFuzzer harness: the trail verifier (what an auditor runs over a
 * collector's file, which anyone holding the collector can shape): a file of
 * any bytes, checked with a key and --from/--seen taken from the input, must
 * give a verdict without crashing, and an intact verdict must be consistent
 * with the report (no gap, break, cut, forgery; signed_to within the trail). */
#include "auditverify.h"
#include "../common/auditsign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* a fixed public key (the generator point of P-256): signatures in the
 * input will not verify, which is what a forger faces */
static const char G[] = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
			"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct auditsign_key key;
	static int have;
	if (!have) {
		if (auditsign_pub_from_hex(&key, G, strlen(G)))
			abort();
		have = 1;
	}
	if (size < 2)
		return 0;
	struct verify_opts o = { .key = (data[0] & 1) ? &key : NULL, .from = data[0] >> 5, .seen = data[1] & 31 };
	FILE *in = fmemopen((void *)(data + 2), size - 2 ? size - 2 : 1, "r");
	FILE *out = fopen("/dev/null", "w");
	if (!in || !out)
		abort();
	if (size == 2)
		fgetc(in);
	struct verify_report r;
	int rc = audit_verify(in, out, &o, &r);
	fclose(in);
	fclose(out);
	if (rc == 0 && (r.gaps || r.breaks || r.cut || r.forged || r.malformed || (o.key && !r.signed_to)))
		abort();
	if (r.signed_to && (r.signed_to < r.first_seq || r.signed_to > r.last_seq))
		abort();
	return 0;
}
