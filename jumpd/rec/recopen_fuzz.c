/* libFuzzer harness for the recorder's open request (recopen.c), what a
 * user's process sends on /run/rec/rec.sock: a line the hook syntax takes
 * and recopen_parse accepts has only values the recorder can act on (mode
 * one of three, pty 0/1, the window 1-9999, TERM of [A-Za-z0-9.+_-], an
 * exec with a command, a shell or sftp without one), every string
 * NUL-terminated within its buffer; parsing never reads or writes out of
 * bounds (ASan). */
#include "recopen.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hook_msg m;
	static struct recopen_req r;
	char why[200];
	if (hook_parse((const char *)data, size, &m) || recopen_parse(&m, &r, why, sizeof why))
		return 0;
	if (strcmp(r.mode, "shell") != 0 && strcmp(r.mode, "exec") != 0 && strcmp(r.mode, "sftp") != 0)
		__builtin_trap();
	if ((r.pty != 0 && r.pty != 1) || r.cols < 1 || r.cols > 9999 || r.rows < 1 || r.rows > 9999)
		__builtin_trap();
	if (!r.term[0] || strspn(r.term, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+_-") != strlen(r.term))
		__builtin_trap();
	if (!strcmp(r.mode, "exec") != !!r.cmd[0])
		__builtin_trap();
	if (memchr(r.selector, 0, sizeof r.selector) == NULL || !r.selector[0] || memchr(r.cmd, 0, sizeof r.cmd) == NULL)
		__builtin_trap();
	return 0;
}
