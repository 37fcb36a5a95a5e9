/* typed: the input side of a recorded pty session, best effort: it hides
 * what is typed after a password prompt from the recording, and it follows
 * the line the user types at a shell prompt to report each command line.
 *
 * Password prompts are judged from the target's output: when the output so
 * far ends (trailing spaces and terminal escape sequences aside) with a
 * line whose lower-case text ends in "password:" or "passphrase:", holds
 * "password for " or "passphrase" and ends in ':', or holds
 * "[sudo] password for", the next input up to and including Enter (CR or
 * LF) is hidden: the recorded input gets "[input hidden]" once in its
 * place, and nothing of it goes into a command line. Only Enter ends
 * hiding (Ctrl-C too is hidden: a password is never cut into a visible
 * part). A line typed before the prompt-like output came (the shell's echo
 * of a command ending in "password:" is one) is reported at that Enter,
 * without the hidden part, marked truncated.
 *
 * Command lines are what the keys would leave in a plain line editor:
 * printable characters appended, Backspace/DEL remove one character
 * (UTF-8 aware), Ctrl-W a word, Ctrl-U and Ctrl-C the line. Keys whose
 * effect the input does not show (arrows and other escape sequences,
 * history recall, Tab completion, other control keys) mark the line
 * truncated=1: it may differ from what the shell ran. Bracketed paste
 * marks (ESC[200~, ESC[201~) are not such keys. A line longer than
 * TYPED_LINE_MAX bytes is cut and marked truncated. Reported lines are
 * safe text (common/utf8.h): a byte that is not becomes '?' (truncated).
 *
 * Fixed size, caller-owned, no allocation. */
#ifndef JB_TYPED_H
#define JB_TYPED_H
#include <stddef.h>
#include <stdint.h>

#define TYPED_LINE_MAX 255
#define TYPED_TAIL_MAX 128
#define TYPED_MARKER "[input hidden]"
#define TYPED_MARKER_LEN (sizeof TYPED_MARKER - 1)

struct typed {
	/* output side: the current output line's last TYPED_TAIL_MAX
	 * characters, lower case, escape sequences left out */
	char tail[TYPED_TAIL_MAX];
	size_t tail_len;
	uint8_t out_esc;   /* where output stands in an escape sequence */
	uint8_t at_prompt; /* the output ends with a password prompt */
	/* input side */
	uint8_t hidden;    /* hiding input until Enter */
	uint8_t marked;    /* the marker is written for this hidden input */
	uint8_t in_esc;    /* where input stands in an escape sequence */
	uint8_t edited;    /* a key the input does not show was pressed */
	uint8_t cut;       /* the line ran past TYPED_LINE_MAX */
	char csi[8];       /* the parameters of the input's current CSI sequence */
	size_t csi_len;
	char line[TYPED_LINE_MAX + 1];
	size_t line_len;
};

void typed_init(struct typed *t);

/* Feeds the target's output (any split: a prompt may arrive in pieces). */
void typed_output(struct typed *t, const uint8_t *p, size_t n);

/* Feeds the user's input p[0..n). Writes the bytes to record as input (an
 * "i" event) into rec[0..reccap): the input with hidden parts replaced by
 * TYPED_MARKER (whole or not at all); room for n + TYPED_MARKER_LEN bytes
 * always suffices, and what does not fit in a smaller rec is left out of
 * the record (never written past reccap). Returns the bytes written.
 * Calls on_line(ctx, line, truncated) (on_line may be NULL) for each
 * non-empty command line that Enter completes outside hidden input; line
 * is NUL-terminated safe text of at most TYPED_LINE_MAX bytes. */
size_t typed_input(struct typed *t, const uint8_t *p, size_t n, uint8_t *rec, size_t reccap,
		   void (*on_line)(void *ctx, const char *line, int truncated), void *ctx);
#endif
