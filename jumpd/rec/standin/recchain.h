/* STAND-IN for jumpd/rec/recchain.h (trail branch, H4), API of rec-spec.md:
 * the hash chain over a session's chunks and its REC_DATA records. */
#ifndef JB_RECCHAIN_H
#define JB_RECCHAIN_H
#include <stddef.h>
#include <stdint.h>
struct recchain { uint8_t chain[32]; uint64_t next_chunk, bytes; char session[17]; };
void recchain_init(struct recchain *rc, const char session[17]);
void recchain_step(struct recchain *rc, const uint8_t *raw, size_t len);
int recchain_format(char *out, size_t cap, const char *ts, const char *host, long pid,
		    uint64_t seq, const uint8_t prev[32], const struct recchain *after,
		    uint64_t chunk, const uint8_t *raw, size_t len);
int recchain_parse(const char *line, size_t len, char session[17], uint64_t *chunk,
		   uint8_t chain[32], uint8_t *raw, size_t rawcap, size_t *rawlen);
#endif
