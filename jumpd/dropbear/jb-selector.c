/* jb-selector: login name split and selector syntax (see jb-selector.h). */
#include "jb-selector.h"

#include <string.h>

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* length of a run of name characters at s, at most JB_SELECTOR_PART_MAX + 1 looked at */
static size_t part_len(const char *s)
{
	size_t n = 0;
	while (n <= JB_SELECTOR_PART_MAX && name_char(s[n]))
		n++;
	return n;
}

int jb_selector_valid(const char *s)
{
	size_t n = part_len(s);
	if (n == 0 || n > JB_SELECTOR_PART_MAX)
		return 0;
	if (s[n] == 0)
		return 1;
	if (s[n] != '%')
		return 0;
	s += n + 1;
	n = part_len(s);
	return n > 0 && n <= JB_SELECTOR_PART_MAX && s[n] == 0;
}

int jb_login_split(const char *name, char *user, size_t usercap, char selector[JB_SELECTOR_MAX + 1])
{
	const char *plus = strchr(name, '+');
	size_t ulen = plus ? (size_t)(plus - name) : strlen(name);
	if (usercap)
		user[0] = 0;
	selector[0] = 0;
	if (ulen >= usercap)
		return JB_LOGIN_BAD;
	if (!plus) {
		memcpy(user, name, ulen + 1);
		return JB_LOGIN_PLAIN;
	}
	if (ulen == 0 || !jb_selector_valid(plus + 1))
		return JB_LOGIN_BAD;
	memcpy(user, name, ulen);
	user[ulen] = 0;
	memcpy(selector, plus + 1, strlen(plus + 1) + 1); /* valid: at most JB_SELECTOR_MAX bytes */
	return JB_LOGIN_SELECTOR;
}
