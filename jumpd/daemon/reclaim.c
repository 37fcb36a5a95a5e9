/* reclaim: see reclaim.h. */
#include "reclaim.h"
#include "event.h"
#include "../common/spoolhead.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int reclaim_init(struct reclaim *r, const char *spool_path, const char *cursor_path, unsigned keep_hours)
{
	char err[320];
	memset(r, 0, sizeof *r);
	r->sr.fd = -1;
	r->spool_path = spool_path;
	r->cursor_path = cursor_path;
	r->keep_hours = keep_hours;
	if (!cursor_path)
		return 0;
	if (spoolread_open(&r->sr, spool_path, err, sizeof err)) {
		fprintf(stderr, "jumpd: reclaim: %s: nothing is reclaimed\n", err);
		r->cursor_path = NULL;
		return -1;
	}
	off_t first = spoolhead_first_line(r->sr.fd);
	r->scan = first > 0 ? (uint64_t)first : 0;
	return 0;
}

static int digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

int64_t reclaim_record_time(const char *line, size_t len)
{
	/* "<PRI>1 YYYY-MM-DDTHH:MM:SS" */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const char *p = memchr(line, '>', len < 5 ? len : 5);
	if (!p || (size_t)(p - line) + 3 + 19 > len || p[1] != '1' || p[2] != ' ')
		return -1;
	p += 3;
	for (int i = 0; i < 19; i++)
		if (shape[i] == 'd' ? (p[i] < '0' || p[i] > '9') : p[i] != shape[i])
			return -1;
	struct tm tm = { .tm_year = digits(p, 4) - 1900, .tm_mon = digits(p + 5, 2) - 1, .tm_mday = digits(p + 8, 2),
			 .tm_hour = digits(p + 11, 2), .tm_min = digits(p + 14, 2), .tm_sec = digits(p + 17, 2) };
	return (int64_t)timegm(&tm);
}

long long reclaim_tick(struct reclaim *r, int64_t now_ms, int64_t now_unix)
{
	struct cursor c;
	char err[320];
	if (!r->cursor_path || now_ms < r->next_ms)
		return 0;
	r->next_ms = now_ms + RECLAIM_EVERY_MS;
	if (cursor_load(r->cursor_path, &c, err, sizeof err) != 1)
		return 0; /* nothing delivered yet (or unreadable): keep all */
	int m = spoolread_matches(&r->sr, &c);
	if (m != 1) {
		if (!r->said_mismatch++)
			fprintf(stderr, "jumpd: reclaim: the shipper's cursor (sequenceId %llu) does not name a record "
				"of this spool: nothing is reclaimed\n", (unsigned long long)c.seq);
		return m < 0 ? -1 : 0;
	}
	r->said_mismatch = 0;
	int64_t keep_until = now_unix - (int64_t)r->keep_hours * 3600;
	int ignore_age = event_spool_reserve();
	uint64_t off = r->scan, scanned = 0, cand = 0, cand_seq = 0;
	while (off < c.offset && scanned < RECLAIM_SCAN_MAX) {
		const char *line;
		size_t len;
		int last;
		int rc = spoolread_line(&r->sr, off, &line, &len, &last);
		struct auditrec_info info;
		if (rc != 1 || auditrec_parse(line, len, &info))
			break; /* not a record (or a read error): stop here, keep the rest */
		if (!strcmp(info.msgid, "AUDIT_CHECKPOINT") && off > r->cut) {
			cand = off;
			cand_seq = info.seq;
		}
		uint64_t end = off + len + 1;
		int64_t t = reclaim_record_time(line, len);
		if (end >= c.offset || t < 0 || (!ignore_age && t > keep_until))
			break; /* the cursor's own record, or one to keep: nothing from here on */
		off = end;
		scanned += len + 1;
	}
	r->scan = off;
	if (!cand)
		return 0;
	char first[24], delivered[24], keep[16];
	snprintf(first, sizeof first, "%llu", (unsigned long long)cand_seq);
	snprintf(delivered, sizeof delivered, "%llu", (unsigned long long)c.seq);
	snprintf(keep, sizeof keep, "%u", r->keep_hours);
	off_t freed = 0;
	if (event_reclaim((off_t)cand, first, delivered, ignore_age ? "reserve" : keep, &freed))
		return -1;
	r->cut = cand;
	r->cut_seq = cand_seq;
	return (long long)freed;
}
