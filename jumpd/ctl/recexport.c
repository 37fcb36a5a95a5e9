/* recexport: rebuild and verify a recorded session (see recexport.h). */
#include "recexport.h"
#include "auditverify.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../rec/recchain.h"

#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct chunk_at {
	uint64_t off, seq;            /* the line's place in rec_path; its sequenceId */
	uint32_t len;
	uint8_t content[32];          /* SHA-256(chain || raw): what a resend repeats */
	uint8_t line_hash[32], prev[32];
	uint8_t present;
};

struct anchor {                       /* a REC_CHECKPOINT or the REC_END */
	uint64_t seq, chunk, bytes, duration_ms;
	uint8_t chain[32];
	char reason[64];
};

struct state {
	const struct recexport_opts *o;
	struct recexport_result *r;
	struct chunk_at *chunks;
	uint64_t cap, nchunks;        /* slots; highest chunk number + 1 */
	struct anchor *ckpt;
	size_t nckpt, ckcap;
	struct anchor end;
	int have_end;
};

static int refuse(struct state *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->r->problem, sizeof s->r->problem, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	return 1;
}

static int io_error(struct state *s, const char *path)
{
	snprintf(s->r->problem, sizeof s->r->problem, "%s: %s", path, strerror(errno ? errno : EIO));
	return -1;
}

static int get_u64(const char *line, size_t len, const char *name, uint64_t *out)
{
	char v[24], *end;
	if (auditrec_param(line, len, name, v, sizeof v) <= 0 || v[0] < '0' || v[0] > '9')
		return -1;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

/* a line's length without its end ("\n", or "\r\n" as audit-verify also takes) */
static size_t line_len(const char *line, ssize_t n)
{
	size_t len = (size_t)n;
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	return len;
}

/* one REC_CHECKPOINT or REC_END of the session: its values */
static int read_anchor(const char *line, size_t len, const struct auditrec_info *info, int is_end, struct anchor *a)
{
	char hex[80];
	memset(a, 0, sizeof *a);
	a->seq = info->seq;
	if (get_u64(line, len, is_end ? "chunks" : "chunk", &a->chunk) || get_u64(line, len, "bytes", &a->bytes) ||
	    auditrec_param(line, len, "chain", hex, sizeof hex) != 64 || hex_decode(hex, a->chain, 32))
		return -1;
	if (is_end) {
		if (get_u64(line, len, "duration_ms", &a->duration_ms))
			a->duration_ms = 0;
		if (auditrec_param(line, len, "reason", a->reason, sizeof a->reason) < 0)
			snprintf(a->reason, sizeof a->reason, "-");
	}
	return 0;
}

/* the audit side: verified as audit-verify does, then the session's anchors */
static int read_audit(struct state *s)
{
	const struct recexport_opts *o = s->o;
	struct verify_opts vo = { .key = o->key };
	struct verify_report vr;
	char *msgs = NULL, *line = NULL;
	size_t msize = 0, lcap = 0;
	ssize_t n;
	int rc = 0;
	FILE *f = fopen(o->audit_path, "re");
	FILE *out = open_memstream(&msgs, &msize);
	if (!f || !out) {
		rc = io_error(s, o->audit_path);
		goto done;
	}
	int v = audit_verify(f, out, &vo, &vr);
	fclose(out);
	out = NULL;
	if (v < 0) {
		rc = io_error(s, o->audit_path);
		goto done;
	}
	if (v > 0) {
		rc = refuse(s, "the audit trail does not verify: %.*s", (int)strcspn(msgs, "\n"), msgs);
		goto done;
	}
	s->r->signed_to = vr.signed_to;
	rewind(f);
	while ((n = getline(&line, &lcap, f)) > 0) {
		struct auditrec_info info;
		char sess[24];
		size_t len = line_len(line, n);
		if (auditrec_parse(line, len, &info) || strcmp(info.app, "jumpd") != 0 ||
		    (strcmp(info.msgid, "REC_CHECKPOINT") != 0 && strcmp(info.msgid, "REC_END") != 0) ||
		    auditrec_param(line, len, "session", sess, sizeof sess) < 0 || strcmp(sess, o->session) != 0)
			continue;
		int is_end = info.msgid[4] == 'E';
		struct anchor a;
		if (read_anchor(line, len, &info, is_end, &a)) {
			rc = refuse(s, "%s sequenceId %llu of the session is malformed", info.msgid,
				    (unsigned long long)info.seq);
			goto done;
		}
		if (is_end) {
			if (s->have_end && s->end.seq != a.seq) {
				rc = refuse(s, "two REC_END records for the session (sequenceIds %llu and %llu)",
					    (unsigned long long)s->end.seq, (unsigned long long)a.seq);
				goto done;
			}
			s->end = a;
			s->have_end = 1;
			continue;
		}
		int dup = 0;
		for (size_t i = 0; i < s->nckpt; i++)
			dup |= s->ckpt[i].seq == a.seq;
		if (dup)
			continue; /* a resend: audit_verify saw it is the same record */
		if (s->nckpt == s->ckcap) {
			size_t nc = s->ckcap ? 2 * s->ckcap : 64;
			struct anchor *p = realloc(s->ckpt, nc * sizeof *p);
			if (!p) {
				rc = io_error(s, "memory");
				goto done;
			}
			s->ckpt = p;
			s->ckcap = nc;
		}
		s->ckpt[s->nckpt++] = a;
	}
	if (ferror(f))
		rc = io_error(s, o->audit_path);
done:
	if (out)
		fclose(out);
	if (f)
		fclose(f);
	free(msgs);
	free(line);
	return rc;
}

static void content_hash(const uint8_t chain[32], const uint8_t *raw, size_t len, uint8_t out[32])
{
	br_sha256_context c;
	br_sha256_init(&c);
	br_sha256_update(&c, chain, 32);
	br_sha256_update(&c, raw, len);
	br_sha256_out(&c, out);
}

/* the recording side: an index of the session's chunks, resends merged */
static int index_chunks(struct state *s)
{
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	const struct recexport_opts *o = s->o;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t n;
	uint64_t off = 0, lineno = 0, seen = 0;
	int rc = 0;
	FILE *f = fopen(o->rec_path, "re");
	if (!f)
		return io_error(s, o->rec_path);
	for (; (n = getline(&line, &lcap, f)) > 0; off += (uint64_t)n) {
		struct auditrec_info info;
		char sess[24];
		uint8_t chain[32];
		uint64_t chunk;
		size_t rawlen, len = line_len(line, n);
		lineno++;
		if (auditrec_parse(line, len, &info) || strcmp(info.app, RECCHAIN_APP) != 0 ||
		    auditrec_param(line, len, "session", sess, sizeof sess) < 0 || strcmp(sess, o->session) != 0)
			continue;
		if (recchain_parse(line, len, sess, &chunk, chain, raw, sizeof raw, &rawlen)) {
			rc = refuse(s, "line %llu: a malformed REC_DATA record of the session", (unsigned long long)lineno);
			break;
		}
		seen++;
		/* a forged huge chunk number must not make us allocate gigabytes */
		if (chunk > 16 * seen + ((uint64_t)1 << 20)) {
			rc = refuse(s, "line %llu: chunk %llu out of range (forged)", (unsigned long long)lineno,
				    (unsigned long long)chunk);
			break;
		}
		if (chunk >= s->cap) {
			uint64_t nc = s->cap ? s->cap : 1024;
			while (nc <= chunk)
				nc *= 2;
			struct chunk_at *p = realloc(s->chunks, (size_t)nc * sizeof *p);
			if (!p) {
				rc = io_error(s, "memory");
				break;
			}
			memset(p + s->cap, 0, (size_t)(nc - s->cap) * sizeof *p);
			s->chunks = p;
			s->cap = nc;
		}
		struct chunk_at *c = &s->chunks[chunk];
		uint8_t h[32];
		content_hash(chain, raw, rawlen, h);
		if (c->present) {
			if (memcmp(c->content, h, 32) != 0) {
				rc = refuse(s, "chunk %llu appears twice with other content (forged)", (unsigned long long)chunk);
				break;
			}
			s->r->duplicates++;
			continue;
		}
		c->present = 1;
		c->off = off;
		c->len = (uint32_t)len;
		c->seq = info.seq;
		memcpy(c->content, h, 32);
		memcpy(c->prev, info.prev, 32);
		auditrec_hash(line, len, c->line_hash);
		if (chunk + 1 > s->nchunks)
			s->nchunks = chunk + 1;
	}
	if (!rc && ferror(f))
		rc = io_error(s, o->rec_path);
	free(line);
	fclose(f);
	return rc;
}

/* the anchors at `done` chunks: the REC_CHECKPOINTs that name it */
static int check_checkpoints(struct state *s, const struct recchain *rc, uint64_t *since)
{
	for (size_t i = 0; i < s->nckpt; i++) {
		const struct anchor *a = &s->ckpt[i];
		if (a->chunk != rc->next_chunk)
			continue;
		s->r->checkpoints++;
		if (a->bytes != rc->bytes || memcmp(a->chain, rc->chain, 32) != 0) {
			if (rc->next_chunk == 0)
				return refuse(s, "the session's chain does not start as REC_CHECKPOINT at chunk 0 says (forged)");
			return refuse(s, "chunk %llu..%llu altered or forged (chain differs from REC_CHECKPOINT at chunk %llu)",
				      (unsigned long long)*since, (unsigned long long)rc->next_chunk - 1,
				      (unsigned long long)rc->next_chunk);
		}
		*since = rc->next_chunk;
	}
	return 0;
}

/* the chunks in order: recomputed, compared, written to fd */
static int rebuild(struct state *s, int fd)
{
	static char line[AUDITREC_MAX + 1];
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	struct recchain rc;
	uint64_t since = 0;
	int in = open(s->o->rec_path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return io_error(s, s->o->rec_path);
	recchain_init(&rc, s->o->session);
	int ret = check_checkpoints(s, &rc, &since);
	for (uint64_t k = 0; !ret && k < s->nchunks; k++) {
		const struct chunk_at *c = &s->chunks[k];
		char sess[17];
		uint8_t chain[32];
		uint64_t chunk;
		size_t rawlen;
		if (!c->present) {
			ret = refuse(s, "chunk %llu missing", (unsigned long long)k);
			break;
		}
		if (pread(in, line, c->len, (off_t)c->off) != (ssize_t)c->len ||
		    recchain_parse(line, c->len, sess, &chunk, chain, raw, sizeof raw, &rawlen) || chunk != k) {
			ret = refuse(s, "chunk %llu: the file changed while it was read", (unsigned long long)k);
			break;
		}
		recchain_step(&rc, raw, rawlen);
		if (memcmp(rc.chain, chain, 32) != 0) {
			ret = refuse(s, "chunk %llu does not chain (altered, swapped or forged)", (unsigned long long)k);
			break;
		}
		if (k > 0 && c->seq == s->chunks[k - 1].seq + 1 && memcmp(c->prev, s->chunks[k - 1].line_hash, 32) != 0) {
			ret = refuse(s, "chunk %llu: the recording trail's line chain breaks at sequenceId %llu (altered)",
				     (unsigned long long)k, (unsigned long long)c->seq);
			break;
		}
		if (write(fd, raw, rawlen) != (ssize_t)rawlen) {
			ret = io_error(s, s->o->out_path);
			break;
		}
		ret = check_checkpoints(s, &rc, &since);
	}
	close(in);
	if (ret)
		return ret;
	for (size_t i = 0; i < s->nckpt; i++)
		if (s->ckpt[i].chunk > rc.next_chunk)
			return refuse(s, "chunk %llu missing (REC_CHECKPOINT at chunk %llu)", (unsigned long long)rc.next_chunk,
				      (unsigned long long)s->ckpt[i].chunk);
	if (!s->have_end)
		return refuse(s, "no REC_END: recording open or cut%s",
			      s->o->audit_path ? "" : " (with --local, give the box's audit spool with --audit)");
	if (s->end.chunk > rc.next_chunk)
		return refuse(s, "chunk %llu missing (REC_END says %llu chunks)", (unsigned long long)rc.next_chunk,
			      (unsigned long long)s->end.chunk);
	if (s->end.chunk < rc.next_chunk)
		return refuse(s, "chunk %llu comes after REC_END (%llu chunks): forged", (unsigned long long)s->end.chunk,
			      (unsigned long long)s->end.chunk);
	if (s->end.bytes != rc.bytes || memcmp(s->end.chain, rc.chain, 32) != 0)
		return refuse(s, "chunk %llu..%llu altered or forged (chain differs from REC_END at chunk %llu)",
			      (unsigned long long)since, (unsigned long long)rc.next_chunk - 1,
			      (unsigned long long)rc.next_chunk);
	if (s->o->key && s->end.seq > s->r->signed_to)
		return refuse(s, "REC_END (sequenceId %llu) is not signed yet (the trail is signed through sequenceId %llu): "
			      "export again after the next AUDIT_CHECKPOINT", (unsigned long long)s->end.seq,
			      (unsigned long long)s->r->signed_to);
	s->r->chunks = rc.next_chunk;
	s->r->bytes = rc.bytes;
	s->r->end_seq = s->end.seq;
	s->r->duration_ms = s->end.duration_ms;
	snprintf(s->r->end_reason, sizeof s->r->end_reason, "%s", s->end.reason);
	return 0;
}

int rec_export(const struct recexport_opts *o, struct recexport_result *r)
{
	struct state s = { .o = o, .r = r };
	char tmp[4200];
	int fd = -1, rc;
	memset(r, 0, sizeof *r);
	if (!recchain_session_ok(o->session)) {
		snprintf(r->problem, sizeof r->problem, "%s: not a session id (16 lower-case hex digits)", o->session);
		return 1;
	}
	rc = o->audit_path ? read_audit(&s) : 0;
	if (!rc)
		rc = index_chunks(&s);
	if (!rc && s.nchunks == 0 && !s.have_end)
		rc = refuse(&s, "no REC_DATA of session %s in %s", o->session, o->rec_path);
	if (!rc) {
		if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", o->out_path) >= (int)sizeof tmp || (fd = mkstemp(tmp)) < 0)
			rc = io_error(&s, o->out_path);
	}
	if (!rc)
		rc = rebuild(&s, fd);
	if (!rc && (fsync(fd) || rename(tmp, o->out_path)))
		rc = io_error(&s, o->out_path);
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(tmp);
	}
	free(s.chunks);
	free(s.ckpt);
	return rc;
}

int rec_export_main(int argc, char **argv)
{
	struct recexport_opts o = { 0 };
	struct recexport_result r;
	struct auditsign_key key;
	const char *collector = NULL, *local = NULL, *audit = NULL;
	int pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 < argc && (!strcmp(a, "--collector") || !strcmp(a, "--local") || !strcmp(a, "--audit") ||
				     !strcmp(a, "--key"))) {
			const char *v = argv[++i];
			if (a[2] == 'c')
				collector = v;
			else if (a[2] == 'l')
				local = v;
			else if (a[2] == 'a')
				audit = v;
			else if (auditsign_pub_from_hex(&key, v, strlen(v))) {
				fprintf(stderr, "jumpctl: --key: want the 130 hex digits jumpd printed "
					"(\"audit signing key ...\", or sign_key= in JUMPD_START)\n");
				return 2;
			} else {
				o.key = &key;
			}
		} else if (a[0] != '-' && pos == 0) {
			o.session = a;
			pos++;
		} else if (a[0] != '-' && pos == 1) {
			o.out_path = a;
			pos++;
		} else {
			pos = -1;
			break;
		}
	}
	if (pos != 2 || !collector == !local || (collector && audit)) {
		fprintf(stderr, "usage: jumpctl rec-export SESSION OUTFILE --collector LOG [--key PUBHEX]\n"
				"       jumpctl rec-export SESSION OUTFILE --local SPOOL [--audit AUDIT_SPOOL] [--key PUBHEX]\n");
		return 2;
	}
	o.rec_path = collector ? collector : local;
	o.audit_path = collector ? collector : audit;
	int rc = rec_export(&o, &r);
	if (rc) {
		fprintf(stderr, "jumpctl: rec-export %s: %s%s\n", o.session, r.problem, rc > 0 ? ": refused" : "");
		return rc > 0 ? 1 : 2;
	}
	char sig[96];
	if (o.key)
		snprintf(sig, sizeof sig, "signed through sequenceId %llu", (unsigned long long)r.signed_to);
	else
		snprintf(sig, sizeof sig, "not signature-checked (no --key)");
	printf("%s: %s: %llu chunks, %llu bytes, %llu.%03llu s, %llu duplicate lines; verified through REC_END "
	       "(sequenceId %llu, reason %s, %llu checkpoints); %s\n", o.session, o.out_path,
	       (unsigned long long)r.chunks, (unsigned long long)r.bytes, (unsigned long long)r.duration_ms / 1000,
	       (unsigned long long)r.duration_ms % 1000, (unsigned long long)r.duplicates,
	       (unsigned long long)r.end_seq, r.end_reason, (unsigned long long)r.checkpoints, sig);
	return 0;
}
