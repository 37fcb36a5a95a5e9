/* scpparse: the legacy scp protocol, both directions (see scpparse.h). */
#include "scpparse.h"

#include <string.h>

enum { DS_LINE, DS_CONTENT, DS_STATUS, DS_STATUS_MSG };
/* what the source waits for the sink to answer */
enum { AW_NONE, AW_READY, AW_TIMES, AW_FILE, AW_DIR, AW_END, AW_CONTENT };

static void stop(struct scpparse *p)
{
	p->stopped = 1;
}

static void unparsed(struct scpparse *p, const char *why)
{
	struct xfer_event ev = { .dir = p->dir, .path = "-", .size = -1, .reason = "unparsed", .detail = why };
	if (p->stopped)
		return;
	stop(p);
	p->cb(p->ctx, &ev);
}

/* reports the file whose name ends path at entry_len, then leaves it */
static void report_file(struct scpparse *p, int whole)
{
	struct xfer_event ev = { .dir = p->dir, .path = p->path, .size = (int64_t)(p->size - p->remaining) };
	p->path[p->entry_len] = 0;
	if (whole) {
		ev.sha_known = 1;
		br_sha256_out(&p->sha, ev.sha256);
	} else {
		ev.reason = "incomplete";
	}
	p->cb(p->ctx, &ev);
}

void scpparse_init(struct scpparse *p, enum xfer_dir dir, const char *path, xfer_event_fn cb, void *ctx)
{
	size_t n = strlen(path);
	memset(p, 0, sizeof *p);
	p->dir = dir;
	p->cb = cb;
	p->ctx = ctx;
	p->awaiting = AW_READY;
	if (n >= SCP_PATH_MAX) {
		unparsed(p, "path argument too long");
		return;
	}
	p->rooted = path[0] == '/';
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (dir == XFER_DOWNLOAD) { /* the source names entries by their base names */
		while (n > 0 && path[n - 1] != '/')
			n--;
		while (n > 0 && path[n - 1] == '/')
			n--;
	}
	memcpy(p->path, path, n);
	p->path[n] = 0;
	p->path_len = p->entry_len = n;
}

int scpparse_command(const char *cmd, enum xfer_dir *dir, const char **path)
{
	int seen = 0;
	if (strncmp(cmd, "scp ", 4) != 0)
		return -1;
	cmd += 4;
	while (cmd[0] == '-' && cmd[1] != '-') { /* an option word */
		size_t n = strspn(cmd + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (n == 0 || cmd[1 + n] != ' ')
			return -1;
		for (size_t i = 1; i <= n; i++) {
			if (cmd[i] == 't' || cmd[i] == 'f') {
				if (seen++)
					return -1;
				*dir = cmd[i] == 't' ? XFER_UPLOAD : XFER_DOWNLOAD;
			}
		}
		cmd += n + 2;
	}
	if (!strncmp(cmd, "-- ", 3))
		cmd += 3;
	if (!seen || !*cmd)
		return -1;
	*path = cmd;
	return 0;
}

/* parses digits at *s into *v (at least one, no overflow past INT64_MAX) */
static int number(const char **s, uint64_t *v)
{
	const char *start = *s;
	*v = 0;
	while (**s >= '0' && **s <= '9') {
		if (*v > (UINT64_C(0x7fffffffffffffff) - (uint64_t)(**s - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*(*s)++ - '0');
	}
	return *s == start ? -1 : 0;
}

static int times_line(const char *s)
{
	uint64_t v;
	for (int i = 0; i < 4; i++) {
		if (number(&s, &v) || *s++ != (i < 3 ? ' ' : 0))
			return -1;
	}
	return 0;
}

/* C or D line (after the letter): mode, size, name; puts the name after
 * the current directory in path */
static const char *entry_line(struct scpparse *p, const char *s, int is_dir)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '7')
			return "bad mode";
	s += 4;
	if (*s++ != ' ' || number(&s, &p->size) || *s++ != ' ')
		return "bad size";
	size_t n = strlen(s);
	if (n == 0 || strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
		return "unexpected file name";
	if (n != (size_t)(p->line + p->line_len - 1 - s))
		return "NUL in file name";
	if (is_dir && p->depth == SCP_DEPTH_MAX)
		return "directories too deep";
	size_t at = p->path_len, slash = at > 0 || p->rooted;
	if (at + slash + n >= SCP_PATH_MAX)
		return "path too long";
	if (slash)
		p->path[at++] = '/';
	memcpy(p->path + at, s, n + 1);
	p->entry_len = at + n; /* the directory is path[0..path_len) until the answer */
	return NULL;
}

static void control_line(struct scpparse *p)
{
	const char *why = NULL;
	p->line[p->line_len - 1] = 0; /* the \n */
	switch (p->line[0]) {
	case 1: /* a warning the source shows the sink's user */
		break;
	case 2:
		stop(p);
		break;
	case 'E':
		if (p->line_len != 2)
			why = "bad E line";
		p->awaiting = AW_END;
		break;
	case 'T':
		if (times_line(p->line + 1))
			why = "bad T line";
		p->awaiting = AW_TIMES;
		break;
	case 'C':
	case 'D':
		why = entry_line(p, p->line + 1, p->line[0] == 'D');
		p->awaiting = p->line[0] == 'C' ? AW_FILE : AW_DIR;
		break;
	default:
		why = "bad control line";
		break;
	}
	p->line_len = 0;
	if (why)
		unparsed(p, why);
}

/* the sink's answer to what the source waits for: ok, refused, or fatal */
static void answer(struct scpparse *p, int ok, int fatal)
{
	int what = p->awaiting;
	p->awaiting = AW_NONE;
	if (fatal || (what == AW_READY && !ok)) {
		stop(p);
		return;
	}
	if (what == AW_FILE && ok) {
		br_sha256_init(&p->sha);
		p->remaining = p->size;
		p->state = p->size ? DS_CONTENT : DS_STATUS;
	} else if (what == AW_DIR && ok) {
		p->dir_end[p->depth++] = (uint16_t)p->path_len;
		p->path_len = p->entry_len;
	} else if (what == AW_END) {
		if (p->depth == 0) { /* the sink's top level ends: no more files */
			stop(p);
			return;
		}
		p->path_len = p->dir_end[--p->depth];
	}
}

void scpparse_reply(struct scpparse *p, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n && !p->stopped; i++) {
		uint8_t c = buf[i];
		if (p->reply_msg) {
			if (c == '\n') {
				p->reply_msg = 0;
				answer(p, 0, p->fatal);
			} else if (++p->reply_len == SCP_LINE_MAX) {
				unparsed(p, "answer line too long");
			}
			continue;
		}
		if (p->awaiting == AW_NONE) {
			unparsed(p, "answer out of turn");
		} else if (c == 0) {
			answer(p, 1, 0);
		} else { /* as OpenSSH's response(): any other byte starts an error line */
			p->reply_msg = 1;
			p->fatal = c == 2;
			p->reply_len = 1;
		}
	}
}

void scpparse_data(struct scpparse *p, const uint8_t *buf, size_t n)
{
	size_t i = 0;
	while (i < n && !p->stopped) {
		uint8_t c = buf[i];
		switch (p->state) {
		case DS_CONTENT: {
			size_t k = n - i < p->remaining ? n - i : (size_t)p->remaining;
			br_sha256_update(&p->sha, buf + i, k);
			p->remaining -= k;
			i += k;
			if (p->remaining == 0)
				p->state = DS_STATUS;
			continue;
		}
		case DS_STATUS:
			if (c == 0) {
				report_file(p, 1);
				p->state = DS_LINE;
				p->awaiting = AW_CONTENT;
			} else if (c == 1 || c == 2) {
				p->status_fatal = c == 2;
				p->status_len = 1;
				p->state = DS_STATUS_MSG;
			} else {
				unparsed(p, "bad status byte after a file");
			}
			break;
		case DS_STATUS_MSG: /* the source could not read the file: the bytes are not it */
			if (c == '\n') {
				report_file(p, 0);
				p->state = DS_LINE;
				p->awaiting = AW_CONTENT;
				if (p->status_fatal)
					stop(p);
			} else if (++p->status_len == SCP_LINE_MAX) {
				unparsed(p, "status line too long");
			}
			break;
		default:
			if (p->line_len == 0 && p->awaiting != AW_NONE) {
				unparsed(p, "data before the answer it waits for");
				break;
			}
			p->line[p->line_len++] = (char)c;
			if (c == '\n')
				control_line(p);
			else if (p->line_len == SCP_LINE_MAX)
				unparsed(p, "control line too long");
			break;
		}
		i++;
	}
}

void scpparse_end(struct scpparse *p)
{
	if (!p->stopped && (p->state == DS_CONTENT || p->state == DS_STATUS || p->state == DS_STATUS_MSG)) {
		report_file(p, 0);
		p->state = DS_LINE;
	}
	stop(p);
}
