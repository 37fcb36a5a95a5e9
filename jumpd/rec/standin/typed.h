/* STAND-IN for jumpd/rec/typed.h (parsers branch, H3), API of rec-spec.md.
 * The stand-in records input as it is and reports lines ended by CR. */
#ifndef JB_TYPED_H
#define JB_TYPED_H
#include <stddef.h>
#include <stdint.h>
struct typed { char line[256]; size_t len; int truncated; };
void typed_init(struct typed *t);
void typed_output(struct typed *t, const uint8_t *p, size_t n);
size_t typed_input(struct typed *t, const uint8_t *p, size_t n, uint8_t *rec, size_t reccap,
		   void (*on_line)(void *ctx, const char *line, int truncated), void *ctx);
#endif
