/* STAND-IN for jumpd/rec/recspool.c (trail branch): see recspool.h. No
 * torn-tail recovery: seq restarts at the line count. */
#include "recspool.h"
#include "../../common/auditrec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int recspool_open(struct recspool *s, const char *path, uint64_t max_bytes,
		  const char *host, char *err, size_t errlen)
{
	struct stat st;
	memset(s, 0, sizeof *s);
	s->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (s->fd < 0 || fstat(s->fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	s->size = (uint64_t)st.st_size;
	s->max = max_bytes;
	s->seq = s->size / 200; /* stand-in: monotonic enough */
	snprintf(s->host, sizeof s->host, "%s", host);
	return 0;
}

int recspool_put(struct recspool *s, struct recchain *rc, const uint8_t *raw, size_t len)
{
	static char line[4200];
	char ts[40];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now.tv_sec));
	if (s->size + len * 2 + 400 > s->max)
		return -2;
	while (len) {
		size_t n = len > RECSPOOL_CHUNK ? RECSPOOL_CHUNK : len;
		uint64_t chunk = rc->next_chunk;
		recchain_step(rc, raw, n);
		int l = recchain_format(line, sizeof line - 1, ts, s->host, (long)getpid(), ++s->seq, s->prev,
					rc, chunk, raw, n);
		if (l < 0)
			return -1;
		auditrec_hash(line, (size_t)l, s->prev);
		line[l++] = '\n';
		if (write(s->fd, line, (size_t)l) != l)
			return -1;
		s->size += (uint64_t)l;
		raw += n;
		len -= n;
	}
	return 0;
}

int recspool_sync(struct recspool *s)
{
	return fdatasync(s->fd);
}

int recspool_last(const char *path, const char *session, struct recchain *rc)
{
	static char line[4200];
	char sess[17];
	uint64_t chunk;
	uint8_t chain[32];
	size_t rawlen;
	FILE *f = fopen(path, "re");
	recchain_init(rc, session);
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\n");
		if (recchain_parse(line, n, sess, &chunk, chain, NULL, 0, &rawlen) == 0 && !strcmp(sess, session)) {
			memcpy(rc->chain, chain, 32);
			rc->next_chunk = chunk + 1;
		}
	}
	fclose(f);
	return 0;
}
