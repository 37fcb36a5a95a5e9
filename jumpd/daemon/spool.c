/* spool: durable, hash-chained audit spool with torn-tail recovery (see
 * spool.h). */
#include "spool.h"
#include "../common/auditrec.h"
#include "../common/spoolhead.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAIL ((size_t)2 * (AUDITREC_MAX + 1))

/* A crash can tear only the record being written: every earlier one was
 * synced before the next began. So recovery cuts the unterminated tail, and
 * at most one whole but invalid last line (a write that reached the disk
 * only in part); the line before must then be a valid record. Anything
 * else is damage recovery must not paper over: refuse (-1, errno EBADMSG),
 * so jumpd does not start and the spool is left for an operator. */
static int recover(struct spool *s, long *truncated)
{
	static char buf[TAIL];
	off_t size = lseek(s->fd, 0, SEEK_END);
	if (size < 0)
		return -1;
	if (size == 0)
		return 0;
	off_t start = size > (off_t)TAIL ? size - (off_t)TAIL : 0;
	ssize_t n = pread(s->fd, buf, (size_t)(size - start), start);
	if (n != size - start)
		return -1;
	ssize_t e = n - 1; /* bytes after the last '\n' are torn */
	while (e >= 0 && buf[e] != '\n')
		e--;
	int invalid = 0; /* whole lines found invalid, from the end */
	for (int tries = 0; tries < 2 && e >= 0; tries++) {
		ssize_t b = e - 1;
		while (b >= 0 && buf[b] != '\n')
			b--;
		if (b < 0 && start > 0)
			break; /* a line longer than any record */
		struct auditrec_info info;
		const char *line = buf + (b + 1);
		size_t len = (size_t)(e - b - 1);
		if (auditrec_parse(line, len, &info) == 0) {
			s->seq = info.seq;
			auditrec_hash(line, len, s->last);
			s->size = start + e + 1;
			goto cut;
		}
		e = b;
		invalid++;
	}
	/* no whole line, or one invalid line only: a torn first record. Two
	 * invalid lines are damage however small the spool (it was cut to 0) */
	if (e < 0 && start == 0 && invalid <= 1) {
		s->size = 0;
		goto cut;
	}
	errno = EBADMSG;
	return -1;
cut:
	if (s->size < size) {
		if (ftruncate(s->fd, s->size) || fsync(s->fd))
			return -1;
		*truncated = (long)(size - s->size);
	}
	return 0;
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
	s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, SPOOL_MODE);
	/* explicitly: the umask (jumpd's is 077) or an older 0600 spool
	 * would keep the shipper out */
	if (s->fd < 0 || fchmod(s->fd, SPOOL_MODE)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return -1;
	}
	if (recover(s, truncated) == 0) {
		/* what earlier reclaims gave back (a hole at the start) does
		 * not count against the bound */
		off_t d = spoolhead_data(s->fd);
		s->head = d > 0 && d <= s->size ? d : 0;
		return 0;
	}
	snprintf(err, errlen, "%s: %s", path, errno == EBADMSG
		 ? "damaged before its last record (not a torn write): left as it is; move it aside "
		   "after saving it, and jumpd starts a new chain" : strerror(errno));
	close(s->fd);
	s->fd = -1;
	return -1;
}

off_t spool_live(const struct spool *s)
{
	return s->size - s->head;
}

int spool_append(struct spool *s, const char *timestamp, const char *msgid, const char *const *kv)
{
	int rc = spool_append_nosync(s, timestamp, msgid, kv);
	return rc ? rc : spool_sync(s);
}

int spool_sync(struct spool *s)
{
	return s->fd >= 0 && fdatasync(s->fd) == 0 ? 0 : -1;
}

int spool_append_nosync(struct spool *s, const char *timestamp, const char *msgid, const char *const *kv)
{
	char line[AUDITREC_MAX + 2];
	int n = auditrec_format(line, sizeof line - 1, timestamp, s->host, s->version, s->pid, msgid,
				s->seq + 1, s->last, kv);
	if (n < 0 || s->fd < 0)
		return -1;
	if (spool_live(s) + n + 1 > (s->limit ? s->limit : s->max_size))
		return -2;
	line[n] = '\n';
	ssize_t w = pwrite(s->fd, line, (size_t)n + 1, s->size);
	if (w != n + 1) {
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

int spool_reclaim(struct spool *s, off_t upto, off_t *freed)
{
	*freed = 0;
	if (s->fd < 0 || upto <= 0 || upto > s->size)
		return -1;
	/* whole blocks only (a partial one would be zeroed, not freed), and
	 * never the '\n' at upto - 1: a reader then knows the first data
	 * block begins inside a reclaimed record (spoolhead.h) */
	off_t end = (upto - 1) / SPOOL_RECLAIM_BLOCK * SPOOL_RECLAIM_BLOCK;
	if (end <= s->head)
		return 0;
	if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, end))
		return -1;
	*freed = end - s->head;
	s->head = end;
	return 0;
}
