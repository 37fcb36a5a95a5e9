/* unit tests for recexport.c: a session recorded with the real modules
 * (recspool for the recording trail; the audit records REC_START,
 * REC_CHECKPOINT, REC_END in jumpd's format and chain, auditrec_format,
 * with a signed AUDIT_CHECKPOINT), interleaved into a collector file with
 * resent lines. Exported intact, byte for byte; then each kind of damage is
 * refused with its reason and chunk, and writes no OUTFILE. Every negative
 * case runs next to the intact file (the positive control). */
#include "recexport.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../common/unittest.h"
#include "../rec/recspool.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SESSION "feedface00c0ffee"
#define MAXL 256
static char rec[MAXL][AUDITREC_MAX + 2], aud[MAXL][AUDITREC_MAX + 2];
static int nrec, naud;
static uint8_t cast[40000];
static size_t cast_len;
static struct auditsign_key key;
static uint8_t aprev[32];
static char path_col[256], path_out[256];

static void audit_line(const char *msgid, const char *const *kv)
{
	CHECK(auditrec_format(aud[naud], sizeof aud[naud], "2026-12-02T00:00:00.000Z", "bastion", "0.1", 5, msgid,
			      (uint64_t)naud + 1, aprev, kv) > 0);
	auditrec_hash(aud[naud], strlen(aud[naud]), aprev);
	naud++;
}

static void anchor(const char *msgid, const struct recchain *rc)
{
	char n[24], b[24], chain[65];
	snprintf(n, sizeof n, "%llu", (unsigned long long)rc->next_chunk);
	snprintf(b, sizeof b, "%llu", (unsigned long long)rc->bytes);
	hex_encode(rc->chain, 32, chain);
	int end = msgid[4] == 'E';
	const char *kv[] = { "session", SESSION, end ? "chunks" : "chunk", n, "bytes", b, "chain", chain,
			     "duration_ms", "2500", "exit", "0", "reason", "exit", NULL };
	if (!end)
		kv[8] = NULL;
	audit_line(msgid, kv);
}

static void signed_checkpoint(void)
{
	uint8_t d[32], sig[AUDITSIGN_SIG_LEN];
	char sig_hex[AUDITSIGN_SIG_HEX], fp[AUDITSIGN_FP_HEX];
	auditsign_digest("bastion", (uint64_t)naud + 1, aprev, d);
	CHECK(auditsign_sign(&key, d, sig) == 0);
	hex_encode(sig, sizeof sig, sig_hex);
	auditsign_fingerprint(&key, fp);
	const char *kv[] = { "reason", "heartbeat", "key", fp, "sig", sig_hex, NULL };
	audit_line("AUDIT_CHECKPOINT", kv);
}

/* the session: a cast of ~36 KB in puts of 1700 bytes; a checkpoint every 4 chunks */
static void record_session(void)
{
	char path[256], err[256];
	struct recspool s;
	struct recchain rc;
	size_t len = (size_t)snprintf((char *)cast, sizeof cast,
				      "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1764640000}\n");
	for (int i = 0; len < sizeof cast - 100; i++)
		len += (size_t)snprintf((char *)cast + len, sizeof cast - len, "[%d.%03d, \"o\", \"line %d \\u00e9\\r\\n\"]\n",
					i / 100, i % 100 * 10, i);
	cast_len = len;
	ut_path(path, sizeof path, "rec.spool");
	unlink(path);
	CHECK(recspool_open(&s, path, 1 << 24, "bastion", err, sizeof err) == 0);
	recchain_init(&rc, SESSION);
	const char *kv[] = { "session", SESSION, "user", "alice", "target", "db1", "cols", "80", "rows", "24", NULL };
	signed_checkpoint();
	audit_line("REC_START", kv);
	uint64_t marked = 0;
	for (size_t off = 0; off < cast_len; off += 1700) {
		CHECK(recspool_put(&s, &rc, cast + off, cast_len - off < 1700 ? cast_len - off : 1700) == 0);
		if (rc.next_chunk - marked >= 4) {
			anchor("REC_CHECKPOINT", &rc);
			marked = rc.next_chunk;
		}
	}
	anchor("REC_END", &rc);
	signed_checkpoint();
	recspool_close(&s);
	FILE *f = fopen(path, "r");
	for (; nrec < MAXL && fgets(rec[nrec], sizeof rec[nrec], f); nrec++)
		rec[nrec][strcspn(rec[nrec], "\n")] = 0;
	fclose(f);
	unlink(path);
	CHECK(nrec == (int)rc.next_chunk && nrec > 12);
}

/* the collector file: audit and recording lines interleaved (one audit
 * line per three chunks), rec line `dup` sent twice, lines edited by the
 * caller first */
static void write_collector(int dup)
{
	FILE *f = fopen(path_col, "w");
	int a = 0;
	for (int i = 0; i < nrec; i++) {
		if (rec[i][0])
			fprintf(f, "%s\n", rec[i]);
		if (dup >= 0 && i == dup)
			fprintf(f, "%s\n", rec[i]);
		if (i % 3 == 2 && a < naud && aud[a][0])
			fprintf(f, "%s\n", aud[a++]);
		else if (i % 3 == 2 && a < naud)
			a++;
	}
	for (; a < naud; a++)
		if (aud[a][0])
			fprintf(f, "%s\n", aud[a]);
	fclose(f);
}

static int export(const struct auditsign_key *k, struct recexport_result *r)
{
	struct recexport_opts o = { SESSION, path_col, path_col, path_out, k };
	unlink(path_out);
	return rec_export(&o, r);
}

static int out_matches(void)
{
	static uint8_t buf[sizeof cast + 1];
	int fd = open(path_out, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	return n == (ssize_t)cast_len && memcmp(buf, cast, cast_len) == 0;
}

static int no_out(void)
{
	return access(path_out, F_OK) != 0;
}

static char saved[AUDITREC_MAX + 2];

/* the intact collector file exports (the control for the case after it) */
static int control(void)
{
	struct recexport_result r;
	write_collector(-1);
	return export(&key, &r) == 0 && out_matches();
}

static void test_intact_with_resends_exports_byte_for_byte(void)
{
	struct recexport_result r;
	write_collector(5);
	CHECK(export(&key, &r) == 0 && out_matches());
	CHECK(r.chunks == (uint64_t)nrec && r.bytes == cast_len && r.duplicates == 1 && r.duration_ms == 2500 &&
	      r.checkpoints >= 3 && r.signed_to >= r.end_seq && !strcmp(r.end_reason, "exit"));
	CHECK(export(NULL, &r) == 0 && out_matches() && r.signed_to == 0);
}

/* one byte of chunk 7's data changed (another valid base64 letter) */
static void test_altered_byte_names_the_chunk(void)
{
	struct recexport_result r;
	CHECK(control());
	memcpy(saved, rec[7], sizeof saved);
	char *d = strstr(rec[7], "data=\"") + 6 + 40;
	*d = *d == 'A' ? 'B' : 'A';
	write_collector(-1);
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, "chunk 7 does not chain (altered, swapped or forged)") && no_out());
	memcpy(rec[7], saved, sizeof saved);
}

static void test_removed_chunk_line_is_a_gap(void)
{
	struct recexport_result r;
	CHECK(control());
	memcpy(saved, rec[9], sizeof saved);
	rec[9][0] = 0;
	write_collector(-1);
	CHECK(export(NULL, &r) == 1 && !strcmp(r.problem, "chunk 9 missing") && no_out());
	memcpy(rec[9], saved, sizeof saved);
	/* the last chunk removed: only the anchors know it was there */
	memcpy(saved, rec[nrec - 1], sizeof saved);
	rec[nrec - 1][0] = 0;
	write_collector(-1);
	char want[64];
	snprintf(want, sizeof want, "chunk %d missing (REC_", nrec - 1);
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, want) && no_out());
	memcpy(rec[nrec - 1], saved, sizeof saved);
}

/* the data= values of chunks 3 and 4 exchanged: each line still parses */
static void swap_data(int a, int b)
{
	static char x[AUDITREC_MAX + 2], y[AUDITREC_MAX + 2];
	char *da = strstr(rec[a], "data=\""), *db = strstr(rec[b], "data=\"");
	snprintf(x, sizeof x, "%.*s%s", (int)(da - rec[a]), rec[a], db);
	snprintf(y, sizeof y, "%.*s%s", (int)(db - rec[b]), rec[b], da);
	memcpy(rec[a], x, sizeof x);
	memcpy(rec[b], y, sizeof y);
}

static void test_swapped_data_refused(void)
{
	struct recexport_result r;
	CHECK(control());
	swap_data(3, 4);
	write_collector(-1);
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, "chunk 3 does not chain") && no_out());
	swap_data(3, 4);
	CHECK(control());
}

static void test_missing_rec_end_refused(void)
{
	struct recexport_result r;
	int e = 0;
	while (!strstr(aud[e], " REC_END "))
		e++;
	memcpy(saved, aud[e], sizeof saved);
	aud[e][0] = 0;
	write_collector(-1);
	/* the audit chain breaks there: refused by the audit check first */
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, "the audit trail does not verify: gap") && no_out());
	memcpy(aud[e], saved, sizeof saved);
	/* the trail ends before the REC_END (a recording still open, or the
	 * rest cut away): the audit chain is whole, the anchor missing */
	int all = naud;
	naud = e;
	write_collector(-1);
	CHECK(export(NULL, &r) == 1 && !strcmp(r.problem, "no REC_END: recording open or cut") && no_out());
	naud = all;
	CHECK(control());
}

/* a forger who rewrites chunk 6 and its chain field, and every chain
 * field after it: the REC_DATA lines agree with each other, not with
 * the audit trail's anchors */
static void test_recomputed_chain_caught_by_checkpoint(void)
{
	static char keep[MAXL][AUDITREC_MAX + 2];
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	struct recexport_result r;
	struct recchain rc;
	uint8_t prev[32] = { 0 };
	memcpy(keep, rec, sizeof keep);
	recchain_init(&rc, SESSION);
	for (int i = 0; i < nrec; i++) {
		char s[17];
		uint64_t chunk;
		uint8_t chain[32];
		size_t n;
		CHECK(recchain_parse(rec[i], strlen(rec[i]), s, &chunk, chain, raw, sizeof raw, &n) == 0);
		if (i == 6)
			raw[10] ^= 1;
		recchain_step(&rc, raw, n);
		CHECK(recchain_format(rec[i], sizeof rec[i], "2026-12-02T00:00:00.000Z", "bastion", "0.1", 9,
				      (uint64_t)i + 1, prev, &rc, chunk, raw, n) > 0);
		auditrec_hash(rec[i], strlen(rec[i]), prev);
	}
	write_collector(-1);
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, "chunk 4..7 altered or forged (chain differs from REC_CHECKPOINT at chunk 8)") &&
	      no_out());
	memcpy(rec, keep, sizeof keep);
}

static void test_resend_with_other_content_is_forged(void)
{
	struct recexport_result r;
	CHECK(control());
	memcpy(saved, rec[2], sizeof saved);
	write_collector(-1);
	FILE *f = fopen(path_col, "a");
	char *d = strstr(saved, "data=\"") + 6 + 8;
	*d = *d == 'A' ? 'B' : 'A';
	fprintf(f, "%s\n", saved);
	fclose(f);
	CHECK(export(NULL, &r) == 1 && strstr(r.problem, "chunk 2 appears twice with other content") && no_out());
}

static void test_key_checks(void)
{
	struct recexport_result r;
	struct auditsign_key other;
	char path[256], err[256];
	int created;
	ut_path(path, sizeof path, "other.key");
	unlink(path);
	CHECK(auditsign_load_or_create(&other, path, &created, err, sizeof err) == 0);
	unlink(path);
	write_collector(-1);
	CHECK(export(&key, &r) == 0);
	CHECK(export(&other, &r) == 1 && strstr(r.problem, "the audit trail does not verify: line") && no_out());
	/* the heartbeat after the REC_END not there yet: the key proves only what came before */
	naud--;
	write_collector(-1);
	CHECK(export(&key, &r) == 1 && strstr(r.problem, "is not signed yet (the trail is signed through sequenceId 1)") &&
	      no_out());
	CHECK(export(NULL, &r) == 0);
	naud++;
}

int main(void)
{
	char path[256], err[256];
	int created;
	ut_path(path, sizeof path, "sign.key");
	unlink(path);
	if (auditsign_load_or_create(&key, path, &created, err, sizeof err))
		return 1;
	unlink(path);
	ut_path(path_col, sizeof path_col, "collector.log");
	ut_path(path_out, sizeof path_out, "out.cast");
	record_session();
	RUN(test_intact_with_resends_exports_byte_for_byte);
	RUN(test_altered_byte_names_the_chunk);
	RUN(test_removed_chunk_line_is_a_gap);
	RUN(test_swapped_data_refused);
	RUN(test_missing_rec_end_refused);
	RUN(test_recomputed_chain_caught_by_checkpoint);
	RUN(test_resend_with_other_content_is_forged);
	RUN(test_key_checks);
	unlink(path_col);
	unlink(path_out);
	UT_END();
}
