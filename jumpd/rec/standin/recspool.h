/* STAND-IN for jumpd/rec/recspool.h (trail branch, H4), API of rec-spec.md:
 * the recording trail's writer (/state/rec/spool). */
#ifndef JB_RECSPOOL_H
#define JB_RECSPOOL_H
#include "recchain.h"
#include <stddef.h>
#include <stdint.h>
#define RECSPOOL_CHUNK 2400
struct recspool { int fd; uint64_t seq; uint8_t prev[32]; uint64_t size, max; char host[64]; };
int recspool_open(struct recspool *s, const char *path, uint64_t max_bytes,
		  const char *host, char *err, size_t errlen);
int recspool_put(struct recspool *s, struct recchain *rc, const uint8_t *raw, size_t len);
int recspool_sync(struct recspool *s);
int recspool_last(const char *path, const char *session, struct recchain *rc);
#endif
