/* spoolread: following the audit spool (see spoolread.h). */
#include "spoolread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int spoolread_open(struct spoolread *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	r->buf_len = 0;
	r->buf_off = 0;
	r->durable = 0;
	snprintf(r->path, sizeof r->path, "%s", path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (r->fd < 0 || fstat(r->fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		spoolread_close(r);
		return -1;
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	return 0;
}

void spoolread_close(struct spoolread *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* reads from off into the buffer, only what is durable */
static int refill(struct spoolread *r, uint64_t off)
{
	struct stat st;
	if (fstat(r->fd, &st))
		return -1;
	uint64_t size = (uint64_t)st.st_size;
	if (size > r->durable) {
		/* everything written before the fstat is made durable; jumpd
		 * already synced it, a batch writer may not have yet */
		if (fdatasync(r->fd))
			return -1;
		r->durable = size;
	}
	uint64_t end = r->durable < size ? r->durable : size;
	r->buf_off = off;
	r->buf_len = 0;
	if (end <= off)
		return 0;
	size_t want = end - off < SPOOLREAD_BUF ? (size_t)(end - off) : SPOOLREAD_BUF;
	ssize_t n = pread(r->fd, r->buf, want, (off_t)off);
	if (n < 0)
		return -1;
	r->buf_len = (size_t)n;
	return 0;
}

int spoolread_line(struct spoolread *r, uint64_t off, const char **line, size_t *len, int *last)
{
	for (int pass = 0; pass < 2; pass++) {
		if (off >= r->buf_off && off < r->buf_off + r->buf_len) {
			const char *p = r->buf + (off - r->buf_off);
			size_t avail = r->buf_len - (size_t)(off - r->buf_off);
			const char *nl = memchr(p, '\n', avail);
			if (nl) {
				*line = p;
				*len = (size_t)(nl - p);
				/* more after it in the buffer, or the buffer ends where the file does not */
				*last = (size_t)(nl - p) + 1 == avail && r->buf_off + r->buf_len >= r->durable;
				if (*len <= AUDITREC_MAX)
					return 1;
				(*len)++; /* skip its '\n' too */
				return 2;
			}
			if (avail > AUDITREC_MAX) { /* no '\n' where a record must have one */
				*line = p;
				*len = avail;
				*last = 0;
				return 2;
			}
		}
		if (pass == 0 && refill(r, off))
			return -1;
	}
	return 0;
}

int spoolread_last(struct spoolread *r, uint64_t *seq, uint64_t *size)
{
	static char tail[2 * (AUDITREC_MAX + 1)];
	struct stat st;
	*seq = 0;
	if (fstat(r->fd, &st))
		return -1;
	*size = (uint64_t)st.st_size;
	off_t start = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
	ssize_t n = pread(r->fd, tail, (size_t)(st.st_size - start), start);
	if (n < 0)
		return -1;
	/* the last whole valid line */
	ssize_t e = n - 1;
	while (e >= 0 && tail[e] != '\n')
		e--;
	while (e > 0) {
		ssize_t b = e - 1;
		while (b >= 0 && tail[b] != '\n')
			b--;
		struct auditrec_info info;
		const char *line = tail + (b + 1); /* b >= -1 */
		if (auditrec_parse(line, (size_t)(e - b - 1), &info) == 0) {
			*seq = info.seq;
			return 0;
		}
		e = b;
	}
	return 0;
}

int spoolread_hash(struct spoolread *r, uint64_t line_start, uint64_t off, uint8_t out[32])
{
	static char line[AUDITREC_MAX + 1];
	if (off <= line_start || off - line_start > sizeof line)
		return -1;
	size_t n = (size_t)(off - line_start);
	if (pread(r->fd, line, n, (off_t)line_start) != (ssize_t)n || line[n - 1] != '\n')
		return -1;
	auditrec_hash(line, n - 1, out);
	return 0;
}

int spoolread_matches(struct spoolread *r, const struct cursor *c)
{
	static char back[AUDITREC_MAX + 2];
	uint8_t h[32];
	if (c->offset == 0)
		return 0;
	size_t n = c->offset < sizeof back ? (size_t)c->offset : sizeof back;
	ssize_t got = pread(r->fd, back, n, (off_t)(c->offset - n));
	if (got < 0)
		return -1;
	if ((size_t)got != n || back[n - 1] != '\n')
		return 0;
	size_t b = n - 1;
	while (b > 0 && back[b - 1] != '\n')
		b--;
	if (b == 0 && n == sizeof back)
		return 0; /* no line start within a record's length */
	auditrec_hash(back + b, n - 1 - b, h);
	return memcmp(h, c->hash, 32) == 0;
}

int spoolread_replaced(struct spoolread *r, uint64_t offset)
{
	struct stat st, fst;
	if (stat(r->path, &st) || fstat(r->fd, &fst))
		return 1;
	return st.st_dev != r->dev || st.st_ino != r->ino || (uint64_t)fst.st_size < offset;
}
