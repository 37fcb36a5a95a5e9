/* recpump: see recpump.h. */
#include "recpump.h"
#include "recstate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define READ_MAX RECRECORD_MAX_EVENT

enum role { P_STUB, P_U0, P_U1, P_U2, P_CIN, P_COUT, P_CERR, P_TCP, P_WATCH };

static size_t room(struct recbuf *b)
{
	if (b->head && b->head + b->len > RECSESS_BUF / 2) {
		memmove(b->d, b->d + b->head, b->len);
		b->head = 0;
	}
	return RECSESS_BUF - b->head - b->len;
}

static void append(struct recbuf *b, const void *p, size_t n)
{
	memcpy(b->d + b->head + b->len, p, n); /* callers checked room() */
	b->len += n;
}

/* writes what fd takes; -1 if the far side is gone */
static int drain(int fd, struct recbuf *b)
{
	ssize_t w = write(fd, b->d + b->head, b->len);
	if (w < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	b->head += (size_t)w;
	b->len -= (size_t)w;
	if (!b->len)
		b->head = 0;
	return 0;
}

static int can_take(struct recbuf *b, size_t n)
{
	return room(b) >= n;
}

unsigned recpump_poll_set(struct recsess_table *t, struct pollfd *p, unsigned *tag, unsigned cap)
{
	unsigned n = 0;
#define ADD(fd_, ev_, role_) do { if ((fd_) >= 0 && (ev_) && n < cap) { \
	p[n] = (struct pollfd){ .fd = (fd_), .events = (short)(ev_) }; tag[n++] = i << 8 | (role_); } } while (0)
	for (unsigned i = 0; i < t->cap; i++) {
		struct recsess *s = &t->s[i];
		if (s->state == RS_FREE)
			continue;
		ADD(s->stub, POLLIN, P_STUB);
		if (s->state == RS_CONNECTING) {
			ADD(s->tcp, POLLOUT, P_TCP);
			continue;
		}
		/* an ending session takes no more input: its last output still flows */
		if (s->state == RS_RUNNING && !s->up_eof && !s->user_gone && can_take(&s->up, READ_MAX))
			ADD(s->ufd[0], POLLIN, P_U0);
		if (s->up.len)
			ADD(s->cin, POLLOUT, P_CIN);
		if (!s->out_eof && can_take(&s->down, READ_MAX))
			ADD(s->cout, POLLIN, P_COUT);
		if (s->down.len)
			ADD(s->ufd[1], POLLOUT, P_U1);
		if (!s->err_eof && can_take(&s->err, (size_t)2 * READ_MAX))
			ADD(s->cerr, POLLIN, P_CERR);
		if (s->err.len)
			ADD(s->ufd[2], POLLOUT, P_U2);
		for (int w = 0; w < RECSESS_WATCHERS; w++)
			ADD(s->watch[w], POLLIN, P_WATCH + w);
	}
#undef ADD
	return n;
}

int recpump_add_watcher(struct recsess *s, int fd)
{
	for (int w = 0; w < RECSESS_WATCHERS; w++)
		if (s->watch[w] < 0) {
			s->watch[w] = fd;
			return 0;
		}
	return -1;
}

/* the live copy for watchers: all of it at once, or the watcher is dropped */
static void to_watchers(struct recsess *s, const uint8_t *p, size_t n)
{
	for (int w = 0; w < RECSESS_WATCHERS; w++) {
		if (s->watch[w] < 0)
			continue;
		ssize_t k = send(s->watch[w], p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k != (ssize_t)n) {
			close(s->watch[w]);
			s->watch[w] = -1;
		}
	}
}

struct typed_ctx {
	struct recsess_table *t;
	struct recsess *s;
};

/* a typed line: its COMMAND goes through the audit worker, off the pump */
static void on_typed_line(void *ctx, const char *line, int truncated)
{
	struct typed_ctx *c = ctx;
	struct recsess *s = c->s;
	struct hook_msg m;
	if (recaudit_command_req(&m, s->grant.session, line, "typed", truncated) == 0)
		recsess_audit_async(c->t, s, RECASYNC_COMMAND, &m, 0);
	else if (jr.fail_closed)
		recsess_end(s, "audit-unavailable", "the session cannot be audited now");
}

static void user_input(struct recsess_table *t, struct recsess *s)
{
	static uint8_t in[READ_MAX], shown[READ_MAX * 2];
	ssize_t r = read(s->ufd[0], in, sizeof in);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		s->up_eof = 1;
		/* a pty's read end: the user hung up (a ^D is a byte, not EOF) */
		if (s->req.pty) {
			s->user_gone = 1;
			recsess_end(s, "user-gone", NULL);
		}
		return;
	}
	if (s->transfer)
		recxfer_from_user(&s->xfer, in, (size_t)r);
	else if (s->req.pty) {
		struct typed_ctx tc = { t, s };
		size_t k = typed_input(&s->typed, in, (size_t)r, shown, sizeof shown, on_typed_line, &tc);
		if (s->grant.input && k)
			recsess_record(t, s, 'i', shown, k);
	}
	append(&s->up, in, (size_t)r);
}

static void child_output(struct recsess_table *t, struct recsess *s)
{
	static uint8_t out[READ_MAX];
	ssize_t r = read(s->cout, out, sizeof out);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) { /* EOF, or EIO: a pty whose other side is closed */
		s->out_eof = 1;
		return;
	}
	if (s->transfer) {
		recxfer_from_target(&s->xfer, out, (size_t)r);
	} else {
		recsess_record(t, s, 'o', out, (size_t)r);
		if (s->req.pty)
			typed_output(&s->typed, out, (size_t)r);
		to_watchers(s, out, (size_t)r);
	}
	s->bytes += (uint64_t)r;
	if (!s->user_gone)
		append(&s->down, out, (size_t)r);
}

/* dbclient's own refusal of the target's host key (patch 0016's exit
 * message names it); a line of the target's stderr could say the same
 * only in a session that then fails anyway */
static void scan_hostkey(struct recsess *s, const uint8_t *p, size_t n)
{
	char text[READ_MAX + 1];
	memcpy(text, p, n);
	text[n] = 0;
	for (size_t i = 0; i < n; i++)
		if (!text[i])
			text[i] = ' ';
	if (strcasestr(text, "host key") && (strcasestr(text, "pin") || strcasestr(text, "mismatch") ||
					     strcasestr(text, "validate")))
		s->hostkey_refused = 1;
}

static void child_stderr(struct recsess_table *t, struct recsess *s)
{
	static uint8_t in[READ_MAX], crlf[READ_MAX * 2];
	ssize_t r = read(s->cerr, in, sizeof in);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		s->err_eof = 1;
		return;
	}
	scan_hostkey(s, in, (size_t)r);
	if (s->transfer || s->user_gone)
		return;
	/* in a pty session the user's terminal is raw: a bare \n would not return the carriage */
	size_t n = 0;
	for (ssize_t i = 0; i < r; i++) {
		if (s->req.pty && in[i] == '\n' && (i == 0 || in[i - 1] != '\r'))
			crlf[n++] = '\r';
		crlf[n++] = in[i];
	}
	recsess_record(t, s, 'o', crlf, n > READ_MAX ? READ_MAX : n);
	if (n > READ_MAX)
		recsess_record(t, s, 'o', crlf + READ_MAX, n - READ_MAX);
	to_watchers(s, crlf, n);
	append(&s->err, crlf, n);
}

/* `winch cols=N rows=N` lines from the stub; its EOF: the user is gone */
static void stub_input(struct recsess_table *t, struct recsess *s)
{
	char line[HOOK_MAX_LINE + 1];
	ssize_t r = fdpass_rx_read(s->stub, &s->stubrx), len;
	fdpass_rx_close(&s->stubrx); /* descriptors now are not part of the protocol */
	if (r < 0 && errno == EAGAIN)
		return;
	if (r <= 0) {
		s->user_gone = 1;
		close(s->stub);
		s->stub = -1;
		recsess_end(s, "user-gone", NULL);
		return;
	}
	while ((len = fdpass_rx_line(&s->stubrx, line, sizeof line - 1)) != -1) {
		struct hook_msg m;
		unsigned c = 0, w = 0;
		if (len < 0)
			continue; /* a line too long: dropped */
		line[len++] = '\n';
		if (hook_parse(line, (size_t)len, &m) == 0 && !strcmp(m.verb, "winch") && hook_get(&m, "cols") &&
		    hook_get(&m, "rows")) {
			c = (unsigned)strtoul(hook_get(&m, "cols"), NULL, 10);
			w = (unsigned)strtoul(hook_get(&m, "rows"), NULL, 10);
		}
		if (c && w && c < 10000 && w < 10000 && s->req.pty && s->cin >= 0) {
			struct winsize ws = { .ws_col = (unsigned short)c, .ws_row = (unsigned short)w };
			char dim[24];
			ioctl(s->cin, TIOCSWINSZ, &ws); /* the kernel signals dbclient, its foreground */
			int n = snprintf(dim, sizeof dim, "%ux%u", c, w);
			recsess_record(t, s, 'r', (const uint8_t *)dim, (size_t)n);
		}
	}
}

void recpump_ready(struct recsess_table *t, unsigned tag, short revents)
{
	struct recsess *s = &t->s[tag >> 8];
	unsigned role = tag & 0xff;
	if (s->state == RS_FREE)
		return;
	switch (role) {
	case P_STUB: stub_input(t, s); break;
	case P_TCP: {
		int e = 0;
		socklen_t l = sizeof e;
		if (getsockopt(s->tcp, SOL_SOCKET, SO_ERROR, &e, &l) || e)
			recsess_fail(t, s, "target-unreachable", "the target cannot be reached");
		else
			recsess_connected(t, s);
		break;
	}
	case P_U0: user_input(t, s); break;
	case P_CIN:
		if (drain(s->cin, &s->up)) {
			s->up.len = 0;
			s->up_eof = 1;
		}
		break;
	case P_COUT: child_output(t, s); break;
	case P_CERR: child_stderr(t, s); break;
	case P_U1:
	case P_U2:
		if (drain(s->ufd[role == P_U1 ? 1 : 2], role == P_U1 ? &s->down : &s->err)) {
			s->user_gone = 1;
			recsess_end(s, "user-gone", NULL);
		}
		break;
	default: {
		int w = (int)role - P_WATCH;
		char junk[256];
		if (w >= 0 && w < RECSESS_WATCHERS && s->watch[w] >= 0 &&
		    (recv(s->watch[w], junk, sizeof junk, MSG_DONTWAIT) <= 0 || (revents & (POLLHUP | POLLERR)))) {
			close(s->watch[w]);
			s->watch[w] = -1;
		}
	}
	}
}

void recpump_settle(struct recsess_table *t)
{
	for (unsigned i = 0; i < t->cap; i++) {
		struct recsess *s = &t->s[i];
		if (s->state != RS_RUNNING && s->state != RS_CLOSING)
			continue;
		if (s->user_gone)
			s->down.len = s->err.len = 0;
		if (s->transfer && s->xfer.audit_failed && jr.fail_closed)
			recsess_end(s, "audit-unavailable", "the session cannot be audited now");
		/* the user's EOF reaches the target once their input is through */
		if (!s->req.pty && s->up_eof && !s->up.len && s->cin >= 0) {
			close(s->cin);
			s->cin = -1;
		}
		int started = s->child > 0;
		if (!started || (s->child_done && s->out_eof && s->err_eof && !s->down.len && !s->err.len))
			recsess_finish(t, s);
	}
}
