/* jb-selector: login names that carry a target selector (Dropbear patch
 * 0015, docs/recording.md). `alice+db1` and `alice+deploy%db1` log in as
 * `alice` exactly as `alice` does (public key hook, second factor, the
 * switch to alice's uid); what follows the first `+` is the selector
 * `[ACCOUNT%]TARGET`, which the hooks carry as `target=` and the session's
 * program (jumpmenu) gets as JB_TARGET: a recorded session to TARGET.
 * Owns the split of the name and the selector's syntax,
 * [a-z0-9_-]{1,32}(%[a-z0-9_-]{1,32})?; a name whose selector is anything
 * else is refused (the login fails: never a guess at what was meant).
 * Pure functions over caller buffers, unit-tested and fuzzed. */
#ifndef JB_SELECTOR_H
#define JB_SELECTOR_H
#include <stddef.h>

#define JB_SELECTOR_PART_MAX 32                            /* an account or a target name */
#define JB_SELECTOR_MAX (2 * JB_SELECTOR_PART_MAX + 1)     /* ACCOUNT%TARGET */

enum jb_login_kind {
	JB_LOGIN_BAD = -1,      /* a '+' with a selector that is not well formed, or no user before it */
	JB_LOGIN_PLAIN = 0,     /* no '+': the name is the user */
	JB_LOGIN_SELECTOR = 1,  /* USER+SELECTOR */
};

/* 1 if s (NUL-terminated) is a well-formed selector, else 0. */
int jb_selector_valid(const char *s);

/* Splits the login name `name` (NUL-terminated) at its first '+'. user
 * (usercap bytes) gets the part before it, selector the part after it
 * (empty for a plain name). Returns JB_LOGIN_PLAIN, JB_LOGIN_SELECTOR, or
 * JB_LOGIN_BAD (the selector is malformed, the user part is empty, or the
 * user does not fit usercap); on JB_LOGIN_BAD both outputs are "". */
int jb_login_split(const char *name, char *user, size_t usercap, char selector[JB_SELECTOR_MAX + 1]);

#endif
