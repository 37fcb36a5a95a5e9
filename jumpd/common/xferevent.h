/* xferevent: the FILE event that the transfer parsers (scpparse, sftpparse)
 * report, one per file moved, or one "unparsed" when a stream could not be
 * followed (then nothing more is reported for it: fail visible, never a
 * wrong record). The recorder turns each into a `file` request to jumpd. */
#ifndef JB_XFEREVENT_H
#define JB_XFEREVENT_H
#include "utf8.h"
#include <stddef.h>
#include <stdint.h>

enum xfer_dir { XFER_UPLOAD, XFER_DOWNLOAD }; /* user to target, target to user */

struct xfer_event {
	enum xfer_dir dir;
	const char *path;   /* the file's path on the target, as the protocol names it; "-" if unparsed */
	int64_t size;       /* bytes moved; -1 if unparsed */
	int sha_known;      /* sha256 is the SHA-256 of the bytes in file order */
	uint8_t sha256[32];
	const char *reason; /* NULL for a file; "unparsed" when the stream could not be followed */
	const char *detail; /* with reason: what was wrong (a short phrase, for logs) */
};

typedef void (*xfer_event_fn)(void *ctx, const struct xfer_event *ev);

/* Writes path into out (cap >= 1) as safe text (common/utf8.h), each byte
 * that is not shown as \xNN, cut at a character boundary to fit: a path
 * may hold any bytes but NUL, the hook protocol's values only safe text.
 * Returns 1 if all of it fit, 0 if it was cut. */
static inline int xfer_path_visible(const char *path, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)path;
	size_t w = 0, left = 0;
	while (p[left])
		left++;
	while (left > 0) {
		size_t k = utf8_safe_char(p, left);
		size_t need = k ? k : 4;
		if (w + need >= cap) {
			out[w] = 0;
			return 0;
		}
		if (k) {
			for (size_t i = 0; i < k; i++)
				out[w++] = (char)p[i];
		} else {
			out[w++] = '\\', out[w++] = 'x';
			out[w++] = digits[*p >> 4], out[w++] = digits[*p & 15];
			k = 1;
		}
		p += k;
		left -= k;
	}
	out[w] = 0;
	return 1;
}
#endif
