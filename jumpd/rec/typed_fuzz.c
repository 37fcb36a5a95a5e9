/* libFuzzer harness for typed.c. The input drives a session: arbitrary
 * output and input reads (the input never holds 'Q'), then a password
 * prompt (split where the input says) and a password made of 'Q's typed in
 * pieces mixed with other keys and output, then Enter, then more arbitrary
 * reads. Properties: typed_input never writes past reccap (each rec buffer
 * is allocated to exactly its cap, so ASan sees an overrun) and returns at
 * most reccap; no 'Q' ever reaches the record or a command line; a line
 * typed right after the password's Enter is reported exactly (the positive
 * control: the harness does see lines). */
#include "typed.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int got_control;

static void on_line(void *ctx, const char *line, int truncated)
{
	(void)ctx;
	if (strchr(line, 'Q') || strlen(line) > TYPED_LINE_MAX)
		__builtin_trap();
	if (!strcmp(line, "zz") && !truncated)
		got_control = 1;
}

static void input(struct typed *t, const uint8_t *p, size_t n, size_t cap)
{
	uint8_t *rec = malloc(cap ? cap : 1);
	if (!rec)
		abort();
	size_t w = typed_input(t, p, n, rec, cap, on_line, NULL);
	if (w > cap || memchr(rec, 'Q', w))
		__builtin_trap();
	free(rec);
}

/* arbitrary reads from d: each a header byte (bit 0: output or input;
 * the rest: length) and the bytes; 'Q' in input becomes 'q' */
static void arbitrary(struct typed *t, const uint8_t **d, size_t *left)
{
	uint8_t buf[128];
	while (*left > 1 && **d != 0xff) {
		size_t n = (**d >> 1) % 64;
		int is_out = **d & 1;
		size_t cap = (*d)[1] % 80;
		*d += 2, *left -= 2;
		if (n > *left)
			n = *left;
		memcpy(buf, *d, n);
		*d += n, *left -= n;
		if (is_out) {
			typed_output(t, buf, n);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (buf[i] == 'Q')
				buf[i] = 'q';
		input(t, buf, n, cap);
	}
	if (*left > 0)
		(*d)++, (*left)--;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prompts[] = {
		"[sudo] password for alice: ", "Password: ", "alice@db1's password:", "Enter passphrase for key 'k': ",
		"\x1b[0mNew PASSWORD:\x1b[0m  ", "Enter passphrase",
	};
	struct typed t;
	const uint8_t *d = data;
	size_t left = size;
	typed_init(&t);
	got_control = 0;
	arbitrary(&t, &d, &left);

	/* the prompt on a line of its own, split in two output reads */
	const char *pr = prompts[(left ? d[0] : 0) % (sizeof prompts / sizeof *prompts)];
	size_t plen = strlen(pr), cut = (left > 1 ? d[1] : 0) % (plen + 1);
	if (left >= 2)
		d += 2, left -= 2;
	typed_output(&t, (const uint8_t *)"\r\n", 2);
	typed_output(&t, (const uint8_t *)pr, cut);
	typed_output(&t, (const uint8_t *)pr + cut, plen - cut);

	/* the password: 'Q's with other keys (no Enter), in pieces; output
	 * (anything) may come between pieces once typing has begun */
	uint8_t piece[64];
	for (int round = 0; round < 8; round++) {
		size_t n = 0;
		piece[n++] = 'Q';
		while (left > 0 && n < sizeof piece - 1 && d[0] != 0xfe) {
			uint8_t c = *d++;
			left--;
			piece[n++] = c == '\r' || c == '\n' ? 'Q' : c;
		}
		if (left > 0)
			d++, left--;
		input(&t, piece, n, n % 3 ? TYPED_MARKER_LEN + n : n % 17);
		if (left > 0 && d[0] & 1) {
			size_t k = d[0] % 16 < left ? d[0] % 16 : left;
			typed_output(&t, d, k);
			d += k, left -= k;
		}
	}
	input(&t, (const uint8_t *)"Q\r", 2, 1);
	input(&t, (const uint8_t *)"zz\r", 3, 3);
	if (!got_control)
		__builtin_trap();
	arbitrary(&t, &d, &left);
	return 0;
}
