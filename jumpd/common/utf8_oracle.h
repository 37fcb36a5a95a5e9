/* utf8_oracle: for unit tests and fuzz harnesses only. The rule of utf8.h
 * ("safe text": printable ASCII and well-formed UTF-8 without C0 or C1
 * controls) checked another way, through the C library's own UTF-8 decoder
 * (mbrtowc in the C.UTF-8 locale), so that a test does not grade utf8.h by
 * utf8.h. glibc's decoder takes code points past U+10FFFF (and so 5- and
 * 6-byte forms), which RFC 3629 does not: those are refused here. */
#ifndef JB_UTF8_ORACLE_H
#define JB_UTF8_ORACLE_H
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* 1 if the n bytes at s are well-formed UTF-8 and, with controls 0, hold
 * no C0/C1 control or DEL (safe text); else 0. Aborts if the C library has
 * no C.UTF-8 locale (the oracle would then say nothing). */
static inline int utf8_oracle_check(const char *s, size_t n, int controls)
{
	static locale_t utf8;
	if (!utf8 && !(utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0)))
		abort();
	locale_t old = uselocale(utf8);
	mbstate_t st;
	int ok = 1;
	memset(&st, 0, sizeof st);
	while (ok && n > 0) {
		wchar_t w = 0;
		size_t k = mbrtowc(&w, s, n, &st);
		if (k == 0) /* a NUL */
			k = 1, w = 0;
		ok = k != (size_t)-1 && k != (size_t)-2 && (unsigned long)w <= 0x10ffff &&
		     (controls || !((unsigned long)w < 0x20 || ((unsigned long)w >= 0x7f && (unsigned long)w < 0xa0)));
		if (ok) {
			s += k;
			n -= k;
		}
	}
	uselocale(old);
	return ok;
}

/* 1 if the n bytes at s are safe text, else 0. */
static inline int utf8_oracle_safe(const char *s, size_t n)
{
	return utf8_oracle_check(s, n, 0);
}

/* 1 if the n bytes at s are well-formed UTF-8 (controls allowed), else 0. */
static inline int utf8_oracle_valid(const char *s, size_t n)
{
	return utf8_oracle_check(s, n, 1);
}
#endif
