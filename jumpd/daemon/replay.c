/* replay: durable last-used TOTP step per user (see replay.h). */
#include "replay.h"
#include "../common/durable.h"
#include "../common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* a decimal without sign or leading space, into *v; -1 if not one */
static int parse_decimal(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (s[i] < '0' || s[i] > '9' || d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

struct replay_line {
	char name[SITECONF_NAMELEN + 1];
	uint64_t step, failures, locked;
};

/* "USER STEP" or "USER STEP FAILURES LOCKED": USER as siteconf allows, the
 * rest decimal, one space apart. */
static int parse_line(const char *s, size_t n, struct replay_line *out)
{
	const char *field[4];
	size_t flen[4], nf = 0, i = 0;
	while (i < n && s[i] != ' ') {
		char c = s[i];
		if (i >= SITECONF_NAMELEN || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return -1;
		out->name[i] = c;
		i++;
	}
	if (i == 0 || i == n)
		return -1;
	out->name[i] = 0;
	while (i < n) {
		if (s[i] != ' ' || nf == 3)
			return -1;
		size_t start = ++i;
		while (i < n && s[i] != ' ')
			i++;
		field[nf] = s + start;
		flen[nf++] = i - start;
	}
	out->failures = out->locked = 0;
	if ((nf != 1 && nf != 3) || parse_decimal(field[0], flen[0], UINT64_MAX, &out->step))
		return -1;
	if (nf == 3 && (parse_decimal(field[1], flen[1], 1000000, &out->failures) ||
			parse_decimal(field[2], flen[2], 1, &out->locked)))
		return -1;
	return 0;
}

int replay_parse(struct mfa *m, const char *text, size_t len, int64_t now_ms, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		struct replay_line l;
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		line++;
		if (end == len) {
			snprintf(err, errlen, "line %u: not terminated", line);
			return -1;
		}
		if (parse_line(text + pos, end - pos, &l)) {
			snprintf(err, errlen, "line %u: expected 'USER STEP FAILURES LOCKED'", line);
			return -1;
		}
		pos = end + 1;
		int ui = mfa_user_index(m, l.name);
		if (ui < 0)
			continue;
		struct guard_entry *g = &m->user_guard[ui];
		m->last_step[ui] = l.step;
		g->failures = (unsigned)l.failures;
		g->last_fail_ms = l.failures ? now_ms : 0;
		g->locked_until_ms = l.locked ? INT64_MAX : 0;
	}
	return 0;
}

size_t replay_format(const struct mfa *m, char *buf, size_t cap)
{
	size_t len = 0;
	for (unsigned i = 0; i < m->conf->nusers && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s %llu %u %d\n", m->conf->users[i].name,
					(unsigned long long)m->last_step[i], m->user_guard[i].failures,
					m->user_guard[i].locked_until_ms == INT64_MAX);
	return len < cap ? len : cap;
}

int replay_load(struct mfa *m, const char *path, int64_t now_ms, char *err, size_t errlen)
{
	static char buf[SITECONF_MAX_USERS * 96 + 4096];
	char why[96];
	size_t len;
	if (readfile_whole(path, O_NOFOLLOW, buf, sizeof buf, &len)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, errno == EFBIG ? "too large" : strerror(errno));
		return -1;
	}
	if (replay_parse(m, buf, len, now_ms, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	return 0;
}

int replay_save(const struct mfa *m, const char *path)
{
	static char buf[SITECONF_MAX_USERS * 96];
	size_t len = replay_format(m, buf, sizeof buf);
	return durable_replace(path, buf, len, 0600);
}
