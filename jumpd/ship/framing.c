/* framing: RFC 5425 octet-counting (see framing.h). */
#include "framing.h"

#include <string.h>

size_t framing_header(char out[FRAMING_HEADER_MAX], size_t len)
{
	char digits[FRAMING_LEN_DIGITS];
	size_t n = 0;
	if (len == 0 || len > 999999999)
		return 0;
	while (len) {
		digits[n++] = (char)('0' + len % 10);
		len /= 10;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	out[n] = ' ';
	return n + 1;
}

size_t framing_encode(char *out, size_t cap, const char *msg, size_t len)
{
	char hdr[FRAMING_HEADER_MAX];
	size_t h = framing_header(hdr, len);
	if (h == 0 || cap < h || cap - h < len)
		return 0;
	memcpy(out, hdr, h);
	memcpy(out + h, msg, len);
	return h + len;
}

void framing_decoder_init(struct framing_decoder *d, char *buf, size_t cap)
{
	memset(d, 0, sizeof *d);
	d->buf = buf;
	d->cap = cap;
}

int framing_decode(struct framing_decoder *d, const char *in, size_t len, size_t *used)
{
	size_t i = 0;
	if (d->in_body && d->have == d->want) { /* the previous message was handed out */
		d->in_body = 0;
		d->want = d->have = 0;
		d->digits = 0;
	}
	while (i < len) {
		if (!d->in_body) {
			char ch = in[i++];
			if (ch == ' ' && d->digits > 0) {
				if (d->want > d->cap)
					return -1;
				d->in_body = 1;
				d->have = 0;
				continue;
			}
			/* MSG-LEN = NONZERO-DIGIT *DIGIT */
			if (ch < '0' || ch > '9' || (d->digits == 0 && ch == '0') || d->digits == FRAMING_LEN_DIGITS)
				return -1;
			d->want = d->want * 10 + (size_t)(ch - '0');
			d->digits++;
			continue;
		}
		size_t take = d->want - d->have;
		if (take > len - i)
			take = len - i;
		memcpy(d->buf + d->have, in + i, take);
		d->have += take;
		i += take;
		if (d->have == d->want)
			break;
	}
	*used = i;
	return d->in_body && d->have == d->want ? 1 : 0;
}
