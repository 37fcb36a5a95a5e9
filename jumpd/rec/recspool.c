/* recspool: the recording trail's writer (see recspool.h). */
#include "recspool.h"
#include "../common/auditrec.h"
#include "../common/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* lines are told apart by sequenceId and chunk digits only: a margin for
 * both growing by a digit, per line, keeps the bound check an upper bound */
#define LINE_SLACK 8

int recspool_open(struct recspool *s, const char *path, uint64_t max_bytes, const char *host, char *err,
		  size_t errlen)
{
	char version[96];
	size_t vlen = 0;
	memset(s, 0, sizeof *s);
	if (readfile_whole("/etc/jumpbox-version", 0, version, sizeof version, &vlen))
		vlen = 0;
	version[vlen] = 0;
	version[strcspn(version, "\n")] = 0;
	if (!version[0])
		snprintf(version, sizeof version, "unknown");
	return spool_open(&s->sp, path, host, version, (off_t)max_bytes, &s->torn_bytes, err, errlen);
}

void recspool_close(struct recspool *s)
{
	if (s->sp.fd >= 0)
		close(s->sp.fd);
	s->sp.fd = -1;
}

int recspool_sync(struct recspool *s)
{
	return spool_sync(&s->sp);
}

static void now_rfc3339(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, cap - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

int recspool_put(struct recspool *s, struct recchain *rc, const uint8_t *raw, size_t len)
{
	struct spool *sp = &s->sp;
	char line[AUDITREC_MAX + 2], ts[40];
	if (len == 0)
		return 0;
	if (sp->fd < 0)
		return -1;
	now_rfc3339(ts, sizeof ts);
	const struct spool before = *sp;
	struct recchain next = *rc;
	uint64_t nchunks = (len + RECCHAIN_CHUNK_MAX - 1) / RECCHAIN_CHUNK_MAX;
	for (uint64_t i = 0; i < nchunks; i++) {
		size_t off = (size_t)i * RECCHAIN_CHUNK_MAX;
		size_t n = len - off < RECCHAIN_CHUNK_MAX ? len - off : RECCHAIN_CHUNK_MAX;
		uint64_t chunk = next.next_chunk;
		recchain_step(&next, raw + off, n);
		int l = recchain_format(line, sizeof line - 1, ts, sp->host, sp->version, sp->pid, sp->seq + 1,
					sp->last, &next, chunk, raw + off, n);
		if (l < 0)
			goto fail;
		/* the first line is the longest (every chunk but the last is full) */
		if (i == 0 && (uint64_t)sp->size + nchunks * ((uint64_t)l + 1 + LINE_SLACK) > (uint64_t)sp->max_size)
			return -2;
		line[l] = '\n';
		if (pwrite(sp->fd, line, (size_t)l + 1, sp->size) != l + 1)
			goto fail;
		sp->size += l + 1;
		sp->seq++;
		auditrec_hash(line, (size_t)l, sp->last);
	}
	*rc = next;
	return 0;
fail:
	/* cut back to where this put began: the trail holds whole puts only */
	if (ftruncate(sp->fd, before.size)) {
		/* recovery at the next open removes a torn line */
	}
	sp->size = before.size;
	sp->seq = before.seq;
	memcpy(sp->last, before.last, sizeof sp->last);
	return -1;
}

int recspool_last(const char *path, const char *session, struct recchain *rc)
{
	static uint8_t raw[RECCHAIN_CHUNK_MAX];
	char sess[17];
	uint8_t chain[32];
	uint64_t chunk;
	size_t rawlen, cap = 0;
	char *line = NULL;
	ssize_t n;
	int rc_ok = 0;
	char needle[32];
	recchain_init(rc, session);
	/* recovery scans the whole spool once per unfinished session: other
	 * sessions' lines are passed over before any parsing */
	snprintf(needle, sizeof needle, " session=\"%s\"", session);
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break; /* a torn tail: not a whole chunk */
		if (!memmem(line, (size_t)n, needle, strlen(needle)) ||
		    recchain_parse(line, (size_t)n - 1, sess, &chunk, chain, raw, sizeof raw, &rawlen) ||
		    strcmp(sess, session) != 0)
			continue; /* other sessions, other records */
		struct recchain next = *rc;
		recchain_step(&next, raw, rawlen);
		if (chunk != rc->next_chunk || memcmp(next.chain, chain, 32) != 0) {
			rc_ok = -1;
			break;
		}
		*rc = next;
	}
	if (ferror(f))
		rc_ok = -1;
	free(line);
	fclose(f);
	return rc_ok;
}
