/* event: audit events into the spool (see event.h). */
#include "event.h"
#include "spool.h"
#include "../common/auditrec.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../common/monotime.h"

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
	return spool_open(&spool, path, hostname, version, max_size, truncated, err, errlen);
}

void event_set_signer(const struct auditsign_key *k)
{
	signer = k;
	checkpoint_ms = mono_ms();
}

void event_tick(int64_t now_ms)
{
	if (signer && now_ms - checkpoint_ms >= AUDITSIGN_EVERY_MS && event_checkpoint("heartbeat") != 0)
		checkpoint_ms = now_ms; /* spool full: try again in a minute, not in a loop */
}

int event_spool_full(void)
{
	return full;
}

/* one record into the spool (kv: pairs ended by NULL, NULL); what
 * event_emit says of the result */
static int write_event(const char *msgid, const char *const *kv)
{
	char ts[96];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
	int rc = batching ? spool_append_nosync(&spool, ts, msgid, kv) : spool_append(&spool, ts, msgid, kv);
	if (rc == 0 && batching)
		batch_written++;
	if (rc == -2 && !full) {
		full = 1;
		fprintf(stderr, "jumpd: AUDIT SPOOL FULL (%lld bytes): new logins and channels are refused "
			"until it is archived; the records in it are kept, the refusals are not recorded\n",
			(long long)spool.max_size);
	}
	if (rc == 0) {
		fprintf(stderr, "%s\n", spool.last_line);
		return 0;
	}
	if (fail_closed)
		return -1;
	/* fail open: the console gets what the spool could not take, each
	 * value escaped as a record's (one line, valid UTF-8, no control) */
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
	int rc = write_event("AUDIT_CHECKPOINT", kv);
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
