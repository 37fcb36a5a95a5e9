/* recaudit: see recaudit.h. */
#include "recaudit.h"
#include "../common/hex.h"
#include "../common/utf8.h"
#include "../dropbear/jb-authhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int recaudit_safe_value(char *out, size_t cap, const char *s, size_t n)
{
	size_t o = 0, i = 0;
	int changed = 0;
	if (cap == 0)
		return 1;
	while (i < n) {
		size_t k = utf8_safe_char((const unsigned char *)s + i, n - i);
		size_t w = k ? k : 1;
		if (o + w >= cap || o + w > HOOK_MAX_VALUE) {
			changed = 1;
			break;
		}
		if (k)
			memcpy(out + o, s + i, k);
		else
			out[o] = '?', changed = 1;
		o += w;
		i += w;
	}
	out[o] = 0;
	return changed;
}

int recaudit_ask(const char *sock, const struct hook_msg *req, struct hook_msg *rep, char *reason, size_t rlen)
{
	struct hook_msg local;
	char why[200] = "";
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	if (jb_hook_ask(sock, req, rep, why, sizeof why) < 0) {
		snprintf(reason, rlen, "audit-unavailable (%s)", why);
		return -1;
	}
	if (!strcmp(rep->verb, "ok") || !strcmp(rep->verb, "allow"))
		return 0;
	const char *r = hook_get(rep, "reason");
	snprintf(reason, rlen, "%s", r ? r : rep->verb);
	return -1;
}

static int copy_field(const struct hook_msg *m, const char *key, char *out, size_t cap)
{
	const char *v = hook_get(m, key);
	if (!v || strlen(v) >= cap || !*v)
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

int recaudit_open(const char *sock, uid_t uid, const char *selector, const char *mode, pid_t conn,
		  struct recaudit_grant *g, char *reason, size_t rlen)
{
	struct hook_msg req, rep;
	char u[16], c[16];
	snprintf(u, sizeof u, "%u", (unsigned)uid);
	snprintf(c, sizeof c, "%ld", (long)conn);
	if (hook_init(&req, "rec_open") || hook_add(&req, "uid", u) || hook_add(&req, "target", selector) ||
	    hook_add(&req, "mode", mode) || hook_add(&req, "conn", c)) {
		snprintf(reason, rlen, "malformed");
		return -1;
	}
	if (recaudit_ask(sock, &req, &rep, reason, rlen))
		return -1;
	memset(g, 0, sizeof *g);
	const char *port = hook_get(&rep, "port"), *input = hook_get(&rep, "input");
	char *end = NULL;
	unsigned long p = port ? strtoul(port, &end, 10) : 0;
	/* an allow that does not say all it must is no allow */
	if (strcmp(rep.verb, "allow") != 0 || copy_field(&rep, "session", g->session, sizeof g->session) ||
	    strlen(g->session) != 16 || copy_field(&rep, "target", g->target, sizeof g->target) ||
	    copy_field(&rep, "account", g->account, sizeof g->account) ||
	    copy_field(&rep, "address", g->address, sizeof g->address) ||
	    copy_field(&rep, "hostkey", g->hostkey, sizeof g->hostkey) || !port || *end || p == 0 || p > 65535) {
		snprintf(reason, rlen, "malformed-grant");
		return -1;
	}
	for (const char *s = g->session; *s; s++)
		if (hex_digit(*s) < 0) {
			snprintf(reason, rlen, "malformed-grant");
			return -1;
		}
	g->port = (unsigned)p;
	g->input = input && !strcmp(input, "yes");
	return 0;
}

int recaudit_start(const char *sock, const char *session, unsigned cols, unsigned rows, const char *cmd,
		   char *reason, size_t rlen)
{
	struct hook_msg req;
	char c[12], r[12], safe[HOOK_MAX_VALUE + 1];
	snprintf(c, sizeof c, "%u", cols);
	snprintf(r, sizeof r, "%u", rows);
	recaudit_safe_value(safe, sizeof safe, cmd, strlen(cmd));
	hook_init(&req, "rec_start");
	if (hook_add(&req, "session", session) || hook_add(&req, "cols", c) || hook_add(&req, "rows", r) ||
	    hook_add(&req, "cmd", *safe ? safe : "-")) {
		snprintf(reason, rlen, "malformed");
		return -1;
	}
	return recaudit_ask(sock, &req, NULL, reason, rlen);
}

static int chain_fields(struct hook_msg *req, const char *session, uint64_t chunks, uint64_t bytes,
			const uint8_t chain[32], const char *chunk_key)
{
	char n[24], b[24], h[65];
	snprintf(n, sizeof n, "%llu", (unsigned long long)chunks);
	snprintf(b, sizeof b, "%llu", (unsigned long long)bytes);
	hex_encode(chain, 32, h);
	h[64] = 0;
	return hook_add(req, "session", session) || hook_add(req, chunk_key, n) || hook_add(req, "bytes", b) ||
	       hook_add(req, "chain", h);
}

int recaudit_mark_req(struct hook_msg *req, const char *session, uint64_t chunks, uint64_t bytes,
		      const uint8_t chain[32])
{
	hook_init(req, "rec_mark");
	return chain_fields(req, session, chunks, bytes, chain, "chunk") ? -1 : 0;
}

int recaudit_end(const char *sock, const char *session, uint64_t chunks, uint64_t bytes, const uint8_t chain[32],
		 int64_t duration_ms, const char *exit, const char *why, char *reason, size_t rlen)
{
	struct hook_msg req;
	char d[24];
	snprintf(d, sizeof d, "%lld", (long long)(duration_ms < 0 ? 0 : duration_ms));
	hook_init(&req, "rec_end");
	if (chain_fields(&req, session, chunks, bytes, chain, "chunks") || hook_add(&req, "duration_ms", d) ||
	    hook_add(&req, "exit", exit) || hook_add(&req, "reason", why)) {
		snprintf(reason, rlen, "malformed");
		return -1;
	}
	return recaudit_ask(sock, &req, NULL, reason, rlen);
}

int recaudit_command_req(struct hook_msg *req, const char *session, const char *line, const char *kind,
			 int truncated)
{
	char safe[HOOK_MAX_VALUE + 1];
	int cut = recaudit_safe_value(safe, sizeof safe, line, strlen(line)) || truncated;
	hook_init(req, "command");
	return hook_add(req, "session", session) || hook_add(req, "line", safe) || hook_add(req, "kind", kind) ||
			       hook_add(req, "truncated", cut ? "1" : "0")
		       ? -1
		       : 0;
}

int recaudit_command(const char *sock, const char *session, const char *line, const char *kind, int truncated,
		     char *reason, size_t rlen)
{
	struct hook_msg req;
	if (recaudit_command_req(&req, session, line, kind, truncated)) {
		snprintf(reason, rlen, "malformed");
		return -1;
	}
	return recaudit_ask(sock, &req, NULL, reason, rlen);
}

int recaudit_admin(const char *sock, uid_t uid, const char *action, const char *session, const char *target,
		   struct hook_msg *rep, char *reason, size_t rlen)
{
	struct hook_msg req;
	char u[16];
	snprintf(u, sizeof u, "%u", (unsigned)uid);
	hook_init(&req, "rec_admin");
	if (hook_add(&req, "uid", u) || hook_add(&req, "action", action) ||
	    hook_add(&req, "session", session && *session ? session : "-") ||
	    hook_add(&req, "target", target && *target ? target : "-")) {
		snprintf(reason, rlen, "malformed");
		return -1;
	}
	if (recaudit_ask(sock, &req, rep, reason, rlen))
		return -1;
	if (!rep || strcmp(rep->verb, "allow") != 0) {
		snprintf(reason, rlen, "not-admin");
		return -1;
	}
	return 0;
}
