/* spool: durable, hash-chained audit spool with torn-tail recovery (see
 * spool.h). */
#include "spool.h"
#include "../common/auditrec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TAIL ((size_t)2 * (AUDITREC_MAX + 1))

/* One recovery step: looks at the end of the file. Returns 1 if the last
 * line is a valid record (seq and hash taken), 0 if the file is empty, or
 * -1 after cutting an invalid or torn tail (call again). */
static int recover_step(struct spool *s, long *truncated)
{
	static char buf[TAIL];
	off_t size = lseek(s->fd, 0, SEEK_END);
	if (size <= 0)
		return 0;
	off_t start = size > (off_t)TAIL ? size - (off_t)TAIL : 0;
	ssize_t n = pread(s->fd, buf, (size_t)(size - start), start);
	if (n != size - start)
		return -2;
	ssize_t nl = n - 1;
	while (nl >= 0 && buf[nl] != '\n')
		nl--;
	off_t keep;
	if (nl == n - 1) {
		ssize_t b = nl - 1;
		while (b >= 0 && buf[b] != '\n')
			b--;
		if (b >= 0 || start == 0) {
			struct auditrec_info info;
			const char *line = buf + (b + 1);
			size_t len = (size_t)(nl - b - 1);
			if (auditrec_parse(line, len, &info) == 0) {
				s->seq = info.seq;
				auditrec_hash(line, len, s->last);
				s->size = size;
				return 1;
			}
			keep = start + b + 1; /* a whole but invalid line: cut it */
		} else {
			/* a line longer than any record: cut to the window's start; the
			 * rest of it is then a torn line, cut at the next step */
			keep = start;
		}
	} else {
		keep = nl >= 0 ? start + nl + 1 : start; /* torn: no '\n' at the end */
	}
	if (ftruncate(s->fd, keep) || fsync(s->fd))
		return -2;
	*truncated += (long)(size - keep);
	return -1;
}

int spool_open(struct spool *s, const char *path, const char *host, const char *version,
	       off_t max_size, long *truncated, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	*truncated = 0;
	snprintf(s->host, sizeof s->host, "%s", host);
	snprintf(s->version, sizeof s->version, "%s", version);
	s->max_size = max_size;
	s->pid = (long)getpid();
	s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < 64; i++) {
		int rc = recover_step(s, truncated);
		if (rc >= 0)
			return 0;
		if (rc == -2)
			break;
	}
	snprintf(err, errlen, "%s: cannot recover the spool: %s", path, strerror(errno));
	close(s->fd);
	s->fd = -1;
	return -1;
}

int spool_append(struct spool *s, const char *timestamp, const char *msgid, const char *const *kv)
{
	char line[AUDITREC_MAX + 2];
	int n = auditrec_format(line, sizeof line - 1, timestamp, s->host, s->version, s->pid, msgid,
				s->seq + 1, s->last, kv);
	if (n < 0 || s->fd < 0)
		return -1;
	if (s->size + n + 1 > s->max_size)
		return -2;
	line[n] = '\n';
	ssize_t w = pwrite(s->fd, line, (size_t)n + 1, s->size);
	if (w != n + 1 || fdatasync(s->fd)) {
		/* a partial write is cut back, so the next record starts clean */
		if (ftruncate(s->fd, s->size)) {
			/* recovery at the next start removes it */
		}
		return -1;
	}
	s->size += n + 1;
	s->seq++;
	auditrec_hash(line, (size_t)n, s->last);
	memcpy(s->last_line, line, (size_t)n);
	s->last_line[n] = 0;
	return 0;
}
