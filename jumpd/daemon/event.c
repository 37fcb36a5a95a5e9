/* event: audit events into the spool (see event.h). */
#include "event.h"
#include "spool.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../common/monotime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EVENT_MAX_KV 24

static struct spool spool = { .fd = -1 };
static int full;
static int fail_closed = 1;
static const struct auditsign_key *signer;
static unsigned since_checkpoint;   /* records since the last checkpoint */
static int64_t checkpoint_ms;        /* monotonic time of the last one */
static int batching, batch_written;

/* The reserve (event.h): the last 1/EVENT_RESERVE_DIV of the spool takes
 * only admins' records and the box's own; its last EVENT_SYSTEM_SLACK bytes
 * only the box's own (AUDIT_SPOOL, checkpoints, start and stop). */
#define EVENT_RESERVE_DIV 16
#define EVENT_SYSTEM_SLACK ((off_t)16 * 1024)
#define EVENT_RESERVE_REPORT_MS 60000
enum rec_class { REC_ANY, REC_RESERVE, REC_SYSTEM };
enum spool_state { SPOOL_NORMAL, SPOOL_RESERVE, SPOOL_FULL };
static const char *const state_names[] = { "normal", "reserve", "full" };
static int reserve_level;            /* EV_RESERVE_*: what the records being written may use */
static enum spool_state sstate;
static unsigned refused_since;       /* records refused by the reserve since the last AUDIT_SPOOL */
static int64_t reserve_report_ms;
static const char *refusal = "audit-unavailable";
static int append(enum rec_class cls, const char *msgid, const char *const *kv);
static int unspooled(const char *msgid, const char *const *kv);

void event_allow_reserve(int level)
{
	reserve_level = level;
}

const char *event_refusal(void)
{
	return refusal;
}

/* jumpd's own start, stop and config refusal: the box's records whoever
 * writes them (JUMPD_STOP reason=sandbox is written at the request level
 * NONE, before the loop ever ran: it must fit like the signal's) */
static int box_own(const char *msgid)
{
	return !strcmp(msgid, "JUMPD_START") || !strcmp(msgid, "JUMPD_STOP") || !strcmp(msgid, "CONFIG_REFUSED");
}

static enum rec_class class_now(const char *msgid)
{
	if (box_own(msgid))
		return REC_SYSTEM;
	return reserve_level >= EV_RESERVE_BOX ? REC_SYSTEM : reserve_level ? REC_RESERVE : REC_ANY;
}

static off_t limit_of(enum rec_class c)
{
	off_t max = spool.max_size, reserve = max / EVENT_RESERVE_DIV;
	off_t slack = reserve / 4 < EVENT_SYSTEM_SLACK ? reserve / 4 : EVENT_SYSTEM_SLACK;
	return c == REC_SYSTEM ? max : c == REC_RESERVE ? max - slack : max - reserve;
}

/* The spool's state changed: one AUDIT_SPOOL record (the box's own, so it
 * fits while anything does) and the console told. */
static void set_state(enum spool_state st)
{
	char live[24], max[24], res[24], refused[16];
	for (;;) {
		sstate = st;
		full = st == SPOOL_FULL;
		snprintf(live, sizeof live, "%lld", (long long)spool_live(&spool));
		snprintf(max, sizeof max, "%lld", (long long)spool.max_size);
		snprintf(res, sizeof res, "%lld", (long long)(spool.max_size / EVENT_RESERVE_DIV));
		snprintf(refused, sizeof refused, "%u", refused_since);
		fprintf(stderr, "jumpd: AUDIT SPOOL %s (%s of %s bytes held)%s\n",
			st == SPOOL_FULL ? "FULL" : st == SPOOL_RESERVE ? "RESERVE" : "NORMAL again", live, max,
			st == SPOOL_FULL ? ": every new login and channel is refused (audit-spool-full) until records "
					   "are delivered and reclaimed, or the spool archived; the records in it are kept"
			: st == SPOOL_RESERVE ? ": only admins' logins and actions are recorded now, others are "
						"refused (audit-spool-reserve) until records are delivered and reclaimed"
					      : "");
		const char *kv[] = { "state", state_names[st], "live_bytes", live, "max_bytes", max, "reserve_bytes",
				     res, "refused_records", refused, NULL, NULL };
		refused_since = 0;
		reserve_report_ms = mono_ms();
		int rc = append(REC_SYSTEM, "AUDIT_SPOOL", kv);
		if (rc == -2 && st != SPOOL_FULL) {
			st = SPOOL_FULL; /* not even the box's own record fits */
			continue;
		}
		if (rc)
			unspooled("AUDIT_SPOOL", kv);
		return;
	}
}

/* after an append of class c: rc its result */
static void track_state(enum rec_class c, int rc)
{
	if (rc == -2) {
		refusal = c == REC_ANY ? "audit-spool-reserve" : "audit-spool-full";
		if (c == REC_ANY)
			refused_since++;
		if (c == REC_ANY && sstate == SPOOL_NORMAL)
			set_state(SPOOL_RESERVE);
		else if (c != REC_ANY && sstate != SPOOL_FULL)
			set_state(SPOOL_FULL);
	} else if (rc == 0) {
		if (c == REC_ANY && sstate != SPOOL_NORMAL)
			set_state(SPOOL_NORMAL);
		else if (c == REC_RESERVE && sstate == SPOOL_FULL)
			set_state(SPOOL_RESERVE);
	} else {
		refusal = "audit-unavailable";
	}
}

void event_batch_begin(void)
{
	batching = 1;
	batch_written = 0;
}

int event_batch_end(void)
{
	int written = batch_written;
	batching = batch_written = 0;
	if (!written || spool_sync(&spool) == 0)
		return 0;
	fprintf(stderr, "jumpd: AUDIT SPOOL SYNC FAILED: the last %d records may not be on disk%s\n", written,
		fail_closed ? "; their requests are refused" : " (fail-open: answered anyway)");
	return fail_closed ? -1 : 0;
}

void event_set_fail_closed(int on)
{
	fail_closed = on;
}

int event_open(const char *path, const char *hostname, const char *version, off_t max_size,
	       long *truncated, char *err, size_t errlen)
{
	full = 0;
	sstate = SPOOL_NORMAL;
	refused_since = 0;
	return spool_open(&spool, path, hostname, version, max_size, truncated, err, errlen);
}

void event_set_signer(const struct auditsign_key *k)
{
	signer = k;
	checkpoint_ms = mono_ms();
}

void event_tick(int64_t now_ms)
{
	/* in the reserve: what was refused, once a minute */
	if (sstate != SPOOL_NORMAL && refused_since && now_ms - reserve_report_ms >= EVENT_RESERVE_REPORT_MS)
		set_state(sstate);
	if (signer && now_ms - checkpoint_ms >= AUDITSIGN_EVERY_MS && event_checkpoint("heartbeat") != 0)
		checkpoint_ms = now_ms; /* spool full: try again in a minute, not in a loop */
}

int event_spool_full(void)
{
	return full;
}

static void timestamp(char *ts, size_t cap)
{
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
}

/* one record of class cls into the spool (kv: pairs ended by NULL, NULL),
 * its console copy; spool_append's result */
static int append(enum rec_class cls, const char *msgid, const char *const *kv)
{
	char ts[96];
	timestamp(ts, sizeof ts);
	spool.limit = limit_of(cls);
	int rc = batching ? spool_append_nosync(&spool, ts, msgid, kv) : spool_append(&spool, ts, msgid, kv);
	if (rc == 0 && batching)
		batch_written++;
	if (rc == 0)
		fprintf(stderr, "%s\n", spool.last_line);
	return rc;
}

/* what a record not spooled becomes: -1 (fail closed; a reserve's refusal
 * is counted in the next AUDIT_SPOOL), or with fail-open 1 after its copy on
 * the console, each value escaped as a record's (one line, valid UTF-8, no
 * control) */
static int unspooled(const char *msgid, const char *const *kv)
{
	char ts[96];
	if (fail_closed)
		return -1;
	timestamp(ts, sizeof ts);
	fprintf(stderr, "jumpd: UNSPOOLED %s %s", ts, msgid);
	for (int i = 0; kv[i] && kv[i + 1]; i += 2) {
		static char esc[AUDITREC_MAX + 1];
		size_t len = 0;
		int cut = auditrec_put_value(esc, sizeof esc, &len, kv[i + 1]);
		fprintf(stderr, " %s=\"%.*s%s\"", kv[i], (int)len, esc, cut ? "..." : "");
	}
	fputc('\n', stderr);
	return 1; /* not spooled, but the site chose to go on */
}

/* one record, of the class the current request gives it; what event_emit
 * says of the result */
static int write_event(const char *msgid, const char *const *kv)
{
	enum rec_class cls = class_now(msgid);
	int rc = append(cls, msgid, kv);
	track_state(cls, rc);
	return rc == 0 ? 0 : unspooled(msgid, kv);
}

/* writes one of the box's own records (reclaim, checkpoint): they may use
 * the whole spool */
static int write_own(const char *msgid, const char *const *kv)
{
	int rc = append(REC_SYSTEM, msgid, kv);
	track_state(REC_SYSTEM, rc);
	return rc == 0 ? 0 : unspooled(msgid, kv);
}

int event_checkpoint(const char *reason)
{
	uint8_t digest[32], sig[AUDITSIGN_SIG_LEN];
	char sig_hex[AUDITSIGN_SIG_HEX], fp[AUDITSIGN_FP_HEX], upto[24];
	if (!signer)
		return -1;
	/* the record about to be written: its sequenceId and its prev (the
	 * chain value of everything before it) are what the signature covers */
	auditsign_digest(spool.host, spool.seq + 1, spool.last, digest);
	if (auditsign_sign(signer, digest, sig))
		return -1;
	hex_encode(sig, sizeof sig, sig_hex);
	auditsign_fingerprint(signer, fp);
	snprintf(upto, sizeof upto, "%llu", (unsigned long long)spool.seq);
	const char *kv[] = { "reason", reason, "covers_to", upto, "key", fp, "sig", sig_hex, NULL, NULL };
	int rc = write_own("AUDIT_CHECKPOINT", kv);
	if (rc != 0)
		return -1;
	since_checkpoint = 0;
	checkpoint_ms = mono_ms();
	return 0;
}

int event_emit(const char *msgid, ...)
{
	const char *kv[2 * EVENT_MAX_KV + 2];
	va_list ap;
	int n = 0;

	va_start(ap, msgid);
	while (n < 2 * EVENT_MAX_KV && (kv[n] = va_arg(ap, const char *)) != NULL) /* NOLINT(clang-analyzer-valist.Uninitialized): va_start just above */
		n++;
	va_end(ap);
	kv[n] = NULL;
	kv[n + 1] = NULL;
	int rc = write_event(msgid, kv);
	if (rc == 0 && signer && ++since_checkpoint >= AUDITSIGN_EVERY_RECORDS)
		event_checkpoint("records");
	return rc < 0 ? -1 : 0;
}

int event_spool_reserve(void)
{
	return sstate != SPOOL_NORMAL;
}

int event_reclaim(off_t upto, const char *first_seq, const char *delivered_seq, const char *keep, off_t *freed)
{
	char from[24], to[24], held[24];
	*freed = 0;
	snprintf(from, sizeof from, "%lld", (long long)spool.head);
	snprintf(to, sizeof to, "%lld", (long long)upto);
	snprintf(held, sizeof held, "%lld", (long long)spool_live(&spool));
	/* recorded before it is done: what is given back, and from where the
	 * spool is verified (--from first_kept_seq) */
	const char *kv[] = { "from_offset", from, "upto_offset", to, "first_kept_seq", first_seq, "delivered_seq",
			     delivered_seq, "keep_hours", keep, "held_bytes", held, NULL, NULL };
	if (write_own("AUDIT_RECLAIM", kv))
		return -1;
	if (spool_reclaim(&spool, upto, freed)) {
		fprintf(stderr, "jumpd: AUDIT SPOOL RECLAIM FAILED: %s: the spool keeps every record\n", strerror(errno));
		const char *why[] = { "result", "failed", "reason", strerror(errno), NULL, NULL };
		write_own("AUDIT_RECLAIM", why);
		return -1;
	}
	if (sstate != SPOOL_NORMAL && spool_live(&spool) + AUDITREC_MAX < limit_of(REC_ANY))
		set_state(SPOOL_NORMAL);
	return 0;
}
