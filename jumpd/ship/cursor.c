/* cursor: the shipper's durable position (see cursor.h). */
#include "cursor.h"
#include "../common/durable.h"
#include "../common/hex.h"
#include "../common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define CURSOR_MAGIC "jumpship-cursor 1"

int cursor_format(const struct cursor *c, char *out, size_t cap)
{
	char hex[2 * sizeof c->hash + 1];
	hex_encode(c->hash, sizeof c->hash, hex);
	int n = snprintf(out, cap, CURSOR_MAGIC " seq=%llu offset=%llu hash=%s\n",
			 (unsigned long long)c->seq, (unsigned long long)c->offset, hex);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

static int parse_u64(const char **p, const char *end, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	uint64_t v = 0;
	const char *s = *p;
	if ((size_t)(end - s) <= kl || memcmp(s, key, kl) != 0)
		return -1;
	s += kl;
	const char *digits = s;
	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	if (s == digits || (s - digits > 1 && *digits == '0'))
		return -1;
	*out = v;
	*p = s;
	return 0;
}

int cursor_parse(const char *text, size_t len, struct cursor *c)
{
	const char *p = text, *end = text + len;
	size_t ml = sizeof CURSOR_MAGIC - 1;
	if (len < ml || memcmp(p, CURSOR_MAGIC, ml) != 0)
		return -1;
	p += ml;
	if (parse_u64(&p, end, " seq=", &c->seq) || parse_u64(&p, end, " offset=", &c->offset))
		return -1;
	if (end - p != 6 + 64 + 1 || memcmp(p, " hash=", 6) != 0 || end[-1] != '\n')
		return -1;
	p += 6;
	if (hex_decode(p, c->hash, sizeof c->hash))
		return -1;
	/* nothing delivered sits at offset 0, and a record sits past it */
	return (c->seq == 0) != (c->offset == 0) ? -1 : 0;
}

int cursor_load(const char *path, struct cursor *c, char *err, size_t errlen)
{
	char buf[256];
	size_t len;
	memset(c, 0, sizeof *c);
	if (readfile_whole(path, O_NOFOLLOW, buf, sizeof buf, &len)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (cursor_parse(buf, len, c)) {
		memset(c, 0, sizeof *c);
		snprintf(err, errlen, "%s: malformed", path);
		return -1;
	}
	return 1;
}

int cursor_store(const char *path, const struct cursor *c, char *err, size_t errlen)
{
	char line[256];
	int n = cursor_format(c, line, sizeof line);
	if (n < 0 || durable_replace(path, line, (size_t)n, 0640)) {
		snprintf(err, errlen, "%s: %s", path, n < 0 ? "cannot format" : strerror(errno));
		return -1;
	}
	return 0;
}
