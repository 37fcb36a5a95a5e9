/* typed: password redaction and typed command lines (see typed.h). */
#include "typed.h"
#include "../common/utf8.h"

#include <string.h>

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_OSC, ESC_OSC_END, ESC_SS3 };

void typed_init(struct typed *t)
{
	memset(t, 0, sizeof *t);
}

static int has(const char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what)) != NULL;
}

static int ends(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);
	return n >= k && memcmp(s + n - k, what, k) == 0;
}

/* 1 if the output line's tail (lower case) is a password-like prompt */
static int is_prompt(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (has(s, n, "[sudo] password for") || ends(s, n, "passphrase"))
		return 1;
	if (n == 0 || s[n - 1] != ':')
		return 0;
	return ends(s, n, "password:") || has(s, n, "password for ") || has(s, n, "passphrase");
}

/* follows escape sequences in the output, so that a prompt's colour codes
 * do not hide it; 1 if c belongs to one (and is not text) */
static int output_escape(struct typed *t, uint8_t c)
{
	switch (t->out_esc) {
	case ESC_START:
		t->out_esc = c == '[' ? ESC_CSI : c == ']' ? ESC_OSC : ESC_NONE;
		return 1;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			t->out_esc = ESC_NONE;
		return 1;
	case ESC_OSC:
		if (c == 0x07)
			t->out_esc = ESC_NONE;
		else if (c == 0x1b)
			t->out_esc = ESC_OSC_END;
		return 1;
	case ESC_OSC_END:
		t->out_esc = c == '\\' ? ESC_NONE : ESC_OSC;
		return 1;
	default:
		if (c != 0x1b)
			return 0;
		t->out_esc = ESC_START;
		return 1;
	}
}

void typed_output(struct typed *t, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == '\r' || c == '\n') { /* a new line; also ends a sequence cut short */
			t->tail_len = 0;
			t->out_esc = ESC_NONE;
			continue;
		}
		if (output_escape(t, c) || c < 0x20 || c == 0x7f)
			continue;
		if (t->tail_len == TYPED_TAIL_MAX) {
			memmove(t->tail, t->tail + TYPED_TAIL_MAX / 2, TYPED_TAIL_MAX / 2);
			t->tail_len = TYPED_TAIL_MAX / 2;
		}
		t->tail[t->tail_len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (n > 0)
		t->at_prompt = (uint8_t)is_prompt(t->tail, t->tail_len);
}

static void line_reset(struct typed *t)
{
	t->line_len = 0;
	t->edited = t->cut = 0;
	t->in_esc = ESC_NONE;
}

static void line_pop_char(struct typed *t)
{
	while (t->line_len > 0 && ((uint8_t)t->line[t->line_len - 1] & 0xc0) == 0x80)
		t->line_len--;
	if (t->line_len > 0)
		t->line_len--;
}

static void line_pop_word(struct typed *t)
{
	while (t->line_len > 0 && t->line[t->line_len - 1] == ' ')
		t->line_len--;
	while (t->line_len > 0 && t->line[t->line_len - 1] != ' ')
		t->line_len--;
}

/* Enter: reports the line (made safe text) and starts the next */
static void line_enter(struct typed *t, void (*on_line)(void *, const char *, int), void *ctx)
{
	int truncated = t->edited || t->cut;
	size_t i = 0;
	while (i < t->line_len) {
		size_t k = utf8_safe_char((const unsigned char *)t->line + i, t->line_len - i);
		if (k == 0) {
			t->line[i] = '?';
			truncated = 1;
			k = 1;
		}
		i += k;
	}
	t->line[t->line_len] = 0;
	if (t->line_len > 0 && on_line)
		on_line(ctx, t->line, truncated);
	line_reset(t);
}

/* follows escape sequences in the input; 1 if c was taken by one */
static int input_escape(struct typed *t, uint8_t c)
{
	switch (t->in_esc) {
	case ESC_START:
		if (c == '[') {
			t->in_esc = ESC_CSI;
			t->csi_len = 0;
			return 1;
		}
		t->in_esc = c == 'O' ? ESC_SS3 : ESC_NONE;
		t->edited = 1; /* Alt-key, or SS3 (arrows in application mode) */
		return c >= 0x20; /* ESC then a control key: the key still acts */
	case ESC_SS3:
		t->in_esc = ESC_NONE;
		return 1;
	case ESC_CSI:
		if (c >= 0x20 && c <= 0x3f) {
			if (t->csi_len < sizeof t->csi)
				t->csi[t->csi_len++] = (char)c;
			return 1;
		}
		t->in_esc = ESC_NONE;
		if (c >= 0x40 && c <= 0x7e) {
			/* bracketed paste marks only frame text that follows as typed */
			if (!(c == '~' && t->csi_len == 3 && (!memcmp(t->csi, "200", 3) || !memcmp(t->csi, "201", 3))))
				t->edited = 1;
			return 1;
		}
		t->edited = 1;
		return 0;
	default:
		if (c != 0x1b)
			return 0;
		t->in_esc = ESC_START;
		return 1;
	}
}

static void line_key(struct typed *t, uint8_t c, void (*on_line)(void *, const char *, int), void *ctx)
{
	if (input_escape(t, c))
		return;
	switch (c) {
	case '\r':
	case '\n':
		line_enter(t, on_line, ctx);
		return;
	case 0x7f: /* DEL and Backspace: one character */
	case 0x08:
		line_pop_char(t);
		return;
	case 0x15: /* Ctrl-U: the line (from the cursor, which only an escape moves) */
		t->line_len = 0;
		t->cut = 0;
		return;
	case 0x03: /* Ctrl-C: the shell drops the line */
		line_reset(t);
		return;
	case 0x17: /* Ctrl-W: a word */
		line_pop_word(t);
		return;
	default:
		break;
	}
	if (c < 0x20) { /* Tab completion, Ctrl-R, Ctrl-A...: effects the input does not show */
		t->edited = 1;
		return;
	}
	if (t->line_len < TYPED_LINE_MAX)
		t->line[t->line_len++] = (char)c;
	else
		t->cut = 1;
}

size_t typed_input(struct typed *t, const uint8_t *p, size_t n, uint8_t *rec, size_t reccap,
		   void (*on_line)(void *ctx, const char *line, int truncated), void *ctx)
{
	size_t w = 0;
	if (n > 0 && t->at_prompt) {
		t->at_prompt = 0; /* one prompt, one hidden input: type-ahead after Enter shows */
		if (!t->hidden) {
			t->hidden = 1;
			t->marked = 0;
			t->in_esc = ESC_NONE;
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (t->hidden) {
			if (!t->marked) {
				if (reccap - w >= TYPED_MARKER_LEN) {
					memcpy(rec + w, TYPED_MARKER, TYPED_MARKER_LEN);
					w += TYPED_MARKER_LEN;
				}
				t->marked = 1;
			}
			if (c == '\r' || c == '\n') {
				/* a line typed before the "prompt" (the shell's echo of
				 * `echo password:` looks like one) is still reported,
				 * without what was hidden, and marked */
				t->hidden = 0;
				t->edited = 1;
				line_enter(t, on_line, ctx);
			}
			continue;
		}
		if (w < reccap)
			rec[w++] = c;
		line_key(t, c, on_line, ctx);
	}
	return w;
}
