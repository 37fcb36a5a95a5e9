/* STAND-IN for jumpd/rec/typed.c (parsers branch): see typed.h. */
#include "typed.h"
#include <string.h>

void typed_init(struct typed *t)
{
	memset(t, 0, sizeof *t);
}

void typed_output(struct typed *t, const uint8_t *p, size_t n)
{
	(void)t, (void)p, (void)n;
}

size_t typed_input(struct typed *t, const uint8_t *p, size_t n, uint8_t *rec, size_t reccap,
		   void (*on_line)(void *ctx, const char *line, int truncated), void *ctx)
{
	size_t k = n < reccap ? n : reccap;
	memcpy(rec, p, k);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n') {
			t->line[t->len] = 0;
			if (t->len && on_line)
				on_line(ctx, t->line, t->truncated);
			t->len = 0;
			t->truncated = 0;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			if (t->len + 1 < sizeof t->line)
				t->line[t->len++] = (char)p[i];
			else
				t->truncated = 1;
		}
	}
	return k;
}
