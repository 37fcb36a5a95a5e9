/* cast: asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/) as
 * the recorder writes it: one header line, then one event per line,
 * `[seconds, "code", "data"]`, into caller-owned buffers.
 *
 * Owns the JSON string encoding of what a terminal session sends (any
 * bytes): well-formed UTF-8 (RFC 3629) is copied, RFC 8259's escapes are
 * used for '"', '\\' and control characters (C0, DEL and the C1 range
 * U+0080-U+009F too, so that `cat` of a .cast file cannot drive the
 * viewer's terminal), and each ill-formed sequence (its maximal valid
 * prefix, as Unicode's "U+FFFD substitution of maximal subparts") becomes
 * U+FFFD. Every line this module writes is valid UTF-8 and valid JSON. */
#ifndef JB_CAST_H
#define JB_CAST_H
#include <stddef.h>
#include <stdint.h>

/* The smallest cap cast_event accepts: room for the frame with the largest
 * time and one escaped character, so that each call makes progress. */
#define CAST_EVENT_MIN 64
/* A cap that always takes all of len data bytes in one event: the frame
 * (33 bytes with the largest time) and at most 6 bytes of JSON a byte. */
#define CAST_EVENT_MAX(len) (40 + 6 * (size_t)(len))

/* Writes the header line ("{...}\n" and a NUL) into out:
 * {"version": 2, "width": COLS, "height": ROWS, "timestamp": UNIX_TS,
 *  "command": ..., "title": ..., "env": {"TERM": ...}}
 * title, term and command may be NULL (then left out); they are encoded as
 * event data is (any bytes; a cut sequence at the end becomes U+FFFD).
 * Returns the line's length, or -1 if it does not fit in cap. */
int cast_header(char *out, size_t cap, unsigned cols, unsigned rows, int64_t unix_ts,
		const char *title, const char *term, const char *command);

/* Writes one event line ("[T, "C", "DATA"]\n" and a NUL) into out: T is
 * t_us as seconds with 6 decimals, C the code ('o' output, 'i' input,
 * 'r' resize "COLSxROWS", 'm' marker). data may hold any bytes. *used is
 * set to the number of data bytes encoded: all of them, or fewer when cap
 * ran out (call again with the rest) or when data ends in the first 1-3
 * bytes of a UTF-8 character that the next read may complete (keep them
 * and put them in front of the next data; cast_event_final encodes them).
 * Returns the line's length; 0 when data was not empty but nothing of it
 * could be taken yet (only a cut character: no line written); -1 for a
 * code other than o/i/r/m, t_us < 0, or cap < CAST_EVENT_MIN. */
int cast_event(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
	       size_t len, size_t *used);

/* As cast_event, for the last data of a stream: a cut character at the
 * end is written as U+FFFD instead of being left (so *used == len unless
 * cap ran out). */
int cast_event_final(char *out, size_t cap, int64_t t_us, char code, const uint8_t *data,
		     size_t len, size_t *used);
#endif
