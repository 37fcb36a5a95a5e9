/* replay: durable last-used TOTP step per user (see replay.h). */
#include "replay.h"
#include "../common/durable.h"
#include "../common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* "USER STEP" with USER as siteconf allows and STEP decimal, no sign. */
static int parse_line(const char *s, size_t n, char *name, uint64_t *step)
{
	size_t i = 0;
	while (i < n && s[i] != ' ') {
		char c = s[i];
		if (i >= SITECONF_NAMELEN || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return -1;
		name[i] = c;
		i++;
	}
	if (i == 0 || i == n)
		return -1;
	name[i++] = 0;
	if (i == n)
		return -1;
	uint64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*step = v;
	return 0;
}

int replay_parse(struct mfa *m, const char *text, size_t len, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		char name[SITECONF_NAMELEN + 1];
		uint64_t step;
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		line++;
		if (end == len) {
			snprintf(err, errlen, "line %u: not terminated", line);
			return -1;
		}
		if (parse_line(text + pos, end - pos, name, &step)) {
			snprintf(err, errlen, "line %u: expected 'USER STEP'", line);
			return -1;
		}
		pos = end + 1;
		int ui = mfa_user_index(m, name);
		if (ui >= 0)
			m->last_step[ui] = step;
	}
	return 0;
}

int replay_load(struct mfa *m, const char *path, char *err, size_t errlen)
{
	static char buf[SITECONF_MAX_USERS * 64 + 4096];
	char why[96];
	size_t len;
	if (readfile_whole(path, O_NOFOLLOW, buf, sizeof buf, &len)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, errno == EFBIG ? "too large" : strerror(errno));
		return -1;
	}
	if (replay_parse(m, buf, len, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	return 0;
}

int replay_save(const struct mfa *m, const char *path)
{
	char buf[SITECONF_MAX_USERS * 64];
	size_t len = 0;
	for (unsigned i = 0; i < m->conf->nusers; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %llu\n", m->conf->users[i].name,
					(unsigned long long)m->last_step[i]);
	return durable_replace(path, buf, len, 0600);
}
