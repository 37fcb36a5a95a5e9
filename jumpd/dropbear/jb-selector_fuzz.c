/* libFuzzer harness for jb-selector: any bytes as a login name. An accepted
 * selector is 1-65 bytes of [a-z0-9_%-] with at most one '%', not at either
 * end; user + '+' + selector gives back the name; a refusal leaves both "". */
#include "jb-selector.h"
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[8193], user[101], sel[JB_SELECTOR_MAX + 1];
	if (size >= sizeof name)
		return 0;
	memcpy(name, data, size);
	name[size] = 0;
	int kind = jb_login_split(name, user, sizeof user, sel);
	if (kind == JB_LOGIN_BAD) {
		if (user[0] || sel[0])
			__builtin_trap();
		return 0;
	}
	if (kind == JB_LOGIN_PLAIN) {
		if (strcmp(user, name) != 0 || sel[0] || strchr(name, '+'))
			__builtin_trap();
		return 0;
	}
	size_t ul = strlen(user), sl = strlen(sel);
	if (kind != JB_LOGIN_SELECTOR || ul == 0 || sl == 0 || sl > JB_SELECTOR_MAX || !jb_selector_valid(sel) ||
	    ul + 1 + sl != strlen(name) || memcmp(name, user, ul) != 0 || name[ul] != '+' ||
	    strcmp(name + ul + 1, sel) != 0)
		__builtin_trap();
	const char *pct = strchr(sel, '%');
	if (sel[0] == '%' || sel[sl - 1] == '%' || (pct && strchr(pct + 1, '%')))
		__builtin_trap();
	for (size_t i = 0; i < sl; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_-%", sel[i]))
			__builtin_trap();
	return 0;
}
