/* recxfer: see recxfer.h. */
#include "recxfer.h"
#include "recaudit.h"
#include "../common/hex.h"

#include <stdio.h>
#include <string.h>

enum recxfer_kind recxfer_kind_of(const char *mode, const char *cmd)
{
	if (!strcmp(mode, "sftp"))
		return RECXFER_SFTP;
	if (strncmp(cmd, "scp ", 4) == 0)
		return RECXFER_SCP; /* one scpparse_command cannot read is reported unparsed */
	if (!strncmp(cmd, "rsync --server", 14))
		return RECXFER_RSYNC;
	return RECXFER_NONE;
}

static void report(struct recxfer *x, enum xfer_dir dir, const char *path, const char *size, const char *sha,
		   const char *proto, const char *reason)
{
	struct hook_msg req;
	char why[256], shown[HOOK_MAX_VALUE + 1];
	xfer_path_visible(path, shown, sizeof shown);
	hook_init(&req, "file");
	if (hook_add(&req, "session", x->session) || hook_add(&req, "dir", dir == XFER_UPLOAD ? "upload" : "download") ||
	    hook_add(&req, "path", shown) || hook_add(&req, "size", size) || hook_add(&req, "sha256", sha) ||
	    hook_add(&req, "proto", proto) || (reason && hook_add(&req, "reason", reason)))
		return;
	if (recaudit_ask(x->jumpd_sock, &req, NULL, why, sizeof why) && !strncmp(why, "audit-unavailable", 17))
		x->audit_failed = 1;
}

static void on_event(void *ctx, const struct xfer_event *ev)
{
	struct recxfer *x = ctx;
	char size[24] = "-", sha[65] = "-";
	if (ev->size >= 0)
		snprintf(size, sizeof size, "%lld", (long long)ev->size);
	if (ev->sha_known) {
		hex_encode(ev->sha256, 32, sha);
		sha[64] = 0;
	}
	if (x->kind == RECXFER_RSYNC && ev->reason && ev->detail) { /* rsync's says what it could not follow */
		char why[128];
		snprintf(why, sizeof why, "%s:%s", ev->reason, ev->detail);
		report(x, ev->dir, ev->path, size, sha, "rsync", why);
		return;
	}
	report(x, ev->dir, ev->path, size, sha,
	       x->kind == RECXFER_SFTP ? "sftp" : x->kind == RECXFER_RSYNC ? "rsync" : "scp", ev->reason);
}

void recxfer_start(struct recxfer *x, enum recxfer_kind kind, const char *cmd, const char *session,
		   const char *jumpd_sock)
{
	const char *path = NULL;
	enum xfer_dir dir = XFER_UPLOAD;
	x->kind = kind;
	x->jumpd_sock = jumpd_sock;
	snprintf(x->session, sizeof x->session, "%s", session);
	x->up = x->down = 0;
	x->audit_failed = 0;
	if (kind == RECXFER_RSYNC) {
		struct rsync_cmd c;
		char rpath[SCP_PATH_MAX];
		if (rsyncparse_command(cmd, &c, rpath, sizeof rpath)) {
			report(x, XFER_UPLOAD, "-", "-", "-", "rsync", "unparsed:command");
			x->kind = RECXFER_NONE;
			return;
		}
		rsyncstream_init(&x->u.rsync, &c, rpath, on_event, x);
	} else if (kind == RECXFER_SFTP) {
		sftpparse_init(&x->u.sftp, on_event, x);
	} else if (kind == RECXFER_SCP) {
		if (scpparse_command(cmd, &dir, &path)) {
			report(x, XFER_UPLOAD, "-", "-", "-", "scp", "unparsed");
			x->kind = RECXFER_NONE;
			return;
		}
		scpparse_init(&x->u.scp, dir, path, on_event, x);
	}
}

void recxfer_from_user(struct recxfer *x, const uint8_t *p, size_t n)
{
	x->up += n;
	if (x->kind == RECXFER_RSYNC)
		rsyncstream_client(&x->u.rsync, p, n);
	else if (x->kind == RECXFER_SFTP)
		sftpparse_client(&x->u.sftp, p, n);
	else if (x->kind == RECXFER_SCP && x->u.scp.dir == XFER_UPLOAD)
		scpparse_data(&x->u.scp, p, n);
	else if (x->kind == RECXFER_SCP)
		scpparse_reply(&x->u.scp, p, n);
}

void recxfer_from_target(struct recxfer *x, const uint8_t *p, size_t n)
{
	x->down += n;
	if (x->kind == RECXFER_RSYNC)
		rsyncstream_server(&x->u.rsync, p, n);
	else if (x->kind == RECXFER_SFTP)
		sftpparse_server(&x->u.sftp, p, n);
	else if (x->kind == RECXFER_SCP && x->u.scp.dir == XFER_UPLOAD)
		scpparse_reply(&x->u.scp, p, n);
	else if (x->kind == RECXFER_SCP)
		scpparse_data(&x->u.scp, p, n);
}

void recxfer_end(struct recxfer *x)
{
	if (x->kind == RECXFER_SFTP)
		sftpparse_end(&x->u.sftp);
	else if (x->kind == RECXFER_SCP)
		scpparse_end(&x->u.scp);
	else if (x->kind == RECXFER_RSYNC)
		rsyncstream_end(&x->u.rsync);
	x->kind = RECXFER_NONE;
}
