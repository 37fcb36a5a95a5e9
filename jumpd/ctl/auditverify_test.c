/* unit tests for the signed checkpoints (../common/auditsign.c) and what
 * the verifier (auditverify.c) makes of them: a trail cut at the start or
 * the end, a trail rewritten with a recomputed chain, a checkpoint signed
 * by another key, records after the last checkpoint. Each trail is built
 * here the way jumpd writes one (auditrec_format, chained, checkpoints
 * signed over host, sequenceId and prev). */
#include "auditverify.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../common/unittest.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXREC 64
static char trail[MAXREC][AUDITREC_MAX + 1];
static int ntrail;
static struct auditsign_key box, other;

/* n records, a checkpoint (signed by k) at every index in ck[]; user
 * names of record `altered` changed (the chain recomputed over it: a forger) */
static void build(int n, const int *ck, int nck, const struct auditsign_key *k, int altered)
{
	uint8_t prev[32] = { 0 };
	ntrail = n;
	for (int i = 0; i < n; i++) {
		uint64_t seq = (uint64_t)i + 1;
		int is_ck = 0;
		for (int j = 0; j < nck; j++)
			is_ck |= ck[j] == i;
		if (is_ck) {
			uint8_t d[32], sig[AUDITSIGN_SIG_LEN];
			char sig_hex[AUDITSIGN_SIG_HEX], fp[AUDITSIGN_FP_HEX];
			auditsign_digest("bastion", seq, prev, d);
			CHECK(auditsign_sign(k, d, sig) == 0);
			hex_encode(sig, sizeof sig, sig_hex);
			auditsign_fingerprint(k, fp);
			const char *kv[] = { "reason", "heartbeat", "key", fp, "sig", sig_hex, NULL };
			CHECK(auditrec_format(trail[i], sizeof trail[i], "2026-12-01T00:00:00.000Z", "bastion", "0.1",
					      7, "AUDIT_CHECKPOINT", seq, prev, kv) > 0);
		} else {
			const char *kv[] = { "user", i == altered ? "mallory" : "ops", "result", "allow", NULL };
			CHECK(auditrec_format(trail[i], sizeof trail[i], "2026-12-01T00:00:00.000Z", "bastion", "0.1",
					      7, "AUTH", seq, prev, kv) > 0);
		}
		auditrec_hash(trail[i], strlen(trail[i]), prev);
	}
}

/* verify trail[from..to) with opts; returns audit_verify's result */
static int run(int from, int to, const struct verify_opts *o, struct verify_report *r, char *msgs, size_t cap)
{
	char buf[MAXREC * (AUDITREC_MAX + 2)];
	size_t len = 0;
	for (int i = from; i < to; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", trail[i]);
	FILE *in = fmemopen(buf, len ? len : 1, "r"), *out = fmemopen(msgs, cap, "w");
	if (!len)
		fgetc(in); /* empty */
	int rc = audit_verify(in, out, o, r);
	fclose(in);
	fclose(out);
	return rc;
}

static void test_key_file_made_once_and_reloaded(void)
{
	char path[256], err[256];
	int created;
	struct auditsign_key again;
	ut_path(path, sizeof path, "sign.key");
	unlink(path);
	CHECK(auditsign_load_or_create(&box, path, &created, err, sizeof err) == 0 && created == 1);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(auditsign_load_or_create(&again, path, &created, err, sizeof err) == 0 && created == 0);
	CHECK(memcmp(again.pk, box.pk, sizeof box.pk) == 0 && again.can_sign);
	/* not a key: refused with the reason, and the file is left as it was */
	char bad[256];
	ut_path(bad, sizeof bad, "bad.key");
	FILE *f = fopen(bad, "w");
	fputs("jumpbox-audit-key 1 zz\n", f);
	fclose(f);
	CHECK(auditsign_load_or_create(&again, bad, &created, err, sizeof err) == -1 && strstr(err, "not an audit signing key"));
	CHECK(stat(bad, &st) == 0 && st.st_size == 23);
	unlink(bad);
	/* a link in its place is not followed */
	char link[256];
	ut_path(link, sizeof link, "link.key");
	unlink(link);
	CHECK(symlink(path, link) == 0);
	CHECK(auditsign_load_or_create(&again, link, &created, err, sizeof err) == -1 && created == 0);
	unlink(link);
	unlink(path);
	ut_path(path, sizeof path, "other.key");
	unlink(path);
	CHECK(auditsign_load_or_create(&other, path, &created, err, sizeof err) == 0);
	unlink(path);
	CHECK(memcmp(other.pk, box.pk, sizeof box.pk) != 0);
}

static void test_public_key_hex_round_trip_and_refusals(void)
{
	char hex[AUDITSIGN_PK_HEX];
	struct auditsign_key pub;
	auditsign_pub_hex(&box, hex);
	CHECK(auditsign_pub_from_hex(&pub, hex, strlen(hex)) == 0 && !pub.can_sign);
	CHECK(memcmp(pub.pk, box.pk, sizeof pub.pk) == 0);
	CHECK(auditsign_pub_from_hex(&pub, hex, strlen(hex) - 2) == -1);
	hex[129] = hex[129] == '0' ? '1' : '0'; /* off the curve */
	CHECK(auditsign_pub_from_hex(&pub, hex, strlen(hex)) == -1);
	hex[0] = 'A';
	CHECK(auditsign_pub_from_hex(&pub, hex, strlen(hex)) == -1);
	uint8_t d[32] = { 1 }, sig[AUDITSIGN_SIG_LEN];
	CHECK(auditsign_sign(&pub, d, sig) == -1); /* verify-only */
}

static void test_signed_trail_intact(void)
{
	static const int ck[] = { 9, 19 };
	struct verify_opts o = { .key = &box };
	struct verify_report r;
	char msgs[4096];
	build(20, ck, 2, &box, -1);
	CHECK(run(0, 20, &o, &r, msgs, sizeof msgs) == 0);
	CHECK(r.checkpoints == 2 && r.forged == 0 && r.signed_to == 20 && r.cut == 0);
	/* records after the last checkpoint: intact, but said to be not yet proven */
	CHECK(run(0, 15, &o, &r, msgs, sizeof msgs) == 0 && r.signed_to == 10);
	CHECK(strstr(msgs, "not yet proven: sequenceId 11..15") != NULL);
}

static void test_rewritten_trail_with_recomputed_chain(void)
{
	static const int ck[] = { 9, 19 };
	struct verify_opts plain = { 0 }, keyed = { .key = &box };
	struct verify_report r;
	char msgs[4096];
	build(20, ck, 2, &box, -1);
	/* whoever holds the stored trail rewrites record 5 and recomputes every
	 * prev after it; the checkpoints keep the box's signatures (of the old chain) */
	char *u = strstr(trail[4], "user=\"ops\"");
	CHECK(u != NULL);
	if (u)
		u[6] = 'm'; /* ops -> mps */
	uint8_t prev[32];
	auditrec_hash(trail[4], strlen(trail[4]), prev);
	for (int i = 5; i < 20; i++) {
		char hexprev[65], *p = strstr(trail[i], "prev=\"");
		hex_encode(prev, 32, hexprev);
		memcpy(p + 6, hexprev, 64);
		auditrec_hash(trail[i], strlen(trail[i]), prev);
	}
	CHECK(run(0, 20, &plain, &r, msgs, sizeof msgs) == 0); /* the chain alone cannot tell */
	CHECK(run(0, 20, &keyed, &r, msgs, sizeof msgs) == 1);
	CHECK(r.forged == 2 && strstr(msgs, "forged: checkpoint sequenceId 10 does not verify") != NULL);
	/* positive control: the records before the edit still verify, signed by nobody after */
	CHECK(run(0, 4, &plain, &r, msgs, sizeof msgs) == 0);
}

static void test_checkpoints_of_another_key(void)
{
	static const int ck[] = { 9 };
	struct verify_opts o = { .key = &box };
	struct verify_report r;
	char msgs[4096];
	build(12, ck, 1, &other, -1);
	CHECK(run(0, 12, &o, &r, msgs, sizeof msgs) == 1 && r.forged == 1 && r.signed_to == 0);
	CHECK(strstr(msgs, "unsigned: no checkpoint verifies") != NULL);
	/* positive control: the same trail checked with that other key */
	o.key = &other;
	CHECK(run(0, 12, &o, &r, msgs, sizeof msgs) == 0 && r.signed_to == 10);
}

static void test_no_checkpoint_with_a_key_fails(void)
{
	struct verify_opts o = { .key = &box };
	struct verify_report r;
	char msgs[4096];
	build(8, NULL, 0, &box, -1);
	CHECK(run(0, 8, &o, &r, msgs, sizeof msgs) == 1 && r.checkpoints == 0);
	CHECK(run(0, 8, NULL, &r, msgs, sizeof msgs) == 0); /* without a key: only order is checked */
}

static void test_cut_at_the_start(void)
{
	static const int ck[] = { 4, 14 };
	struct verify_opts o = { 0 };
	struct verify_report r;
	char msgs[4096];
	build(20, ck, 2, &box, -1);
	CHECK(run(3, 20, &o, &r, msgs, sizeof msgs) == 1 && r.cut == 1);
	CHECK(strstr(msgs, "cut: the trail starts at sequenceId 4, not 1") != NULL);
	/* stated start at a checkpoint (sequenceId 5): accepted, with the key too */
	o.from = 5;
	o.key = &box;
	CHECK(run(4, 20, &o, &r, msgs, sizeof msgs) == 0 && r.cut == 0 && r.signed_to == 15);
	/* a stated start that is not a checkpoint */
	o.from = 6;
	CHECK(run(4, 20, &o, &r, msgs, sizeof msgs) == 1 && strstr(msgs, "sequenceId 6, is not a valid checkpoint"));
}

static void test_cut_at_the_end(void)
{
	static const int ck[] = { 9, 19 };
	struct verify_opts o = { .seen = 20 };
	struct verify_report r;
	char msgs[4096];
	build(20, ck, 2, &box, -1);
	CHECK(run(0, 20, &o, &r, msgs, sizeof msgs) == 0);
	CHECK(run(0, 12, &o, &r, msgs, sizeof msgs) == 1 && r.cut == 1);
	CHECK(strstr(msgs, "cut: the trail ends at sequenceId 12, but sequenceId 20 was seen") != NULL);
	CHECK(run(0, 0, &o, &r, msgs, sizeof msgs) == 1 && strstr(msgs, "cut: the trail is empty"));
}

/* a collector file holds the recording trail too (APP-NAME jumprec, its
 * own sequenceIds and chain): passed over and counted, while a line of
 * neither trail still fails (the control: skipping is by APP-NAME only) */
static void test_recording_trail_lines_passed_over(void)
{
	static const uint8_t zero[32];
	char rec[AUDITREC_MAX + 1], msgs[4096], buf[8 * (AUDITREC_MAX + 2)];
	const char *kv[] = { "session", "00112233aabbccdd", "chunk", "0", "data", "YQ==", NULL };
	struct verify_report r;
	build(4, NULL, 0, &box, -1);
	/* sequenceId 1 again, with other content: in the audit chain, a break */
	CHECK(auditrec_format_app(rec, sizeof rec, "2026-12-01T00:00:00.000Z", "bastion", "jumprec", "0.1", 9,
				  "REC_DATA", 1, zero, kv) > 0);
	size_t len = 0;
	for (int i = 0; i < 4; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", trail[i]);
		if (i == 1)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n%s\n", rec, rec);
	}
	FILE *in = fmemopen(buf, len, "r"), *out = fmemopen(msgs, sizeof msgs, "w");
	int rc = audit_verify(in, out, NULL, &r);
	fclose(in);
	fclose(out);
	CHECK(rc == 0 && r.records == 4 && r.rec_lines == 2 && r.breaks == 0 && r.duplicates == 0);
	/* the same line with its APP-NAME blanked out: not skipped, it fails */
	char *app = strstr(rec, " jumprec ");
	memcpy(app, " jumpd   ", 9);
	len = (size_t)snprintf(buf, sizeof buf, "%s\n%s\n%s\n", trail[0], rec, trail[1]);
	in = fmemopen(buf, len, "r");
	out = fmemopen(msgs, sizeof msgs, "w");
	rc = audit_verify(in, out, NULL, &r);
	fclose(in);
	fclose(out);
	CHECK(rc == 1 && r.rec_lines == 0);
}

int main(void)
{
	RUN(test_key_file_made_once_and_reloaded);
	RUN(test_public_key_hex_round_trip_and_refusals);
	RUN(test_signed_trail_intact);
	RUN(test_rewritten_trail_with_recomputed_chain);
	RUN(test_checkpoints_of_another_key);
	RUN(test_no_checkpoint_with_a_key_fails);
	RUN(test_cut_at_the_start);
	RUN(test_cut_at_the_end);
	RUN(test_recording_trail_lines_passed_over);
	ut_remove_scratch_dir();
	UT_END();
}
