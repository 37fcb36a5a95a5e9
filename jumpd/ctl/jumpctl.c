/* jumpctl: the admin command line. Talks to jumpd's admin socket (peer
 * uid checked there) for lockouts and status; the other commands run
 * offline, on the box or on an operator's workstation (built for the host
 * too): enrolling a TOTP secret and checking a site configuration.
 *
 *   jumpctl unlock USER | --source ADDR
 *   jumpctl status
 *   jumpctl mfa-enroll USER [--algorithm SHA1|SHA256|SHA512] [--digits 6|8]
 *                           [--issuer NAME] [--host HOSTNAME]
 *   jumpctl check-config FILE
 *   jumpctl audit-verify [--key PUBHEX] [--from SEQ] [--seen SEQ] FILE|-
 *   jumpctl sessions | watch ID | end ID | target-key TARGET | target-pin TARGET
 *     (the recorder's admin socket, /run/rec/ctl.sock: recctl_client.c)
 *   jumpctl rec-export SESSION OUTFILE --collector LOG | --local SPOOL [--audit FILE] [--key PUBHEX]
 * Global: --socket PATH (default /run/jumpd/ctl.sock). */
#include "auditverify.h"
#include "../common/spoolhead.h"
#include "recctl_client.h"
#include "recexport.h"
#include "../common/auditsign.h"
#include "../dropbear/jb-authhook.h"
#include "../common/hookproto.h"
#include "../common/siteconf.h"
#include "../mfa/base32.h"
#include "../mfa/totp.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static const char *sock_path = "/run/jumpd/ctl.sock";

static int usage(void)
{
	fprintf(stderr,
		"usage: jumpctl [--socket PATH] unlock USER | unlock --source ADDR\n"
		"       jumpctl [--socket PATH] status\n"
		"       jumpctl mfa-enroll USER [--algorithm SHA1|SHA256|SHA512] [--digits 6|8]\n"
		"                               [--issuer NAME] [--host HOSTNAME]\n"
		"       jumpctl check-config FILE\n"
		"       jumpctl audit-verify [--key PUBHEX] [--from SEQ] [--seen SEQ] FILE|-\n"
		"       jumpctl rec-export SESSION OUTFILE --collector LOG | --local SPOOL [--audit FILE] [--key PUBHEX]\n"
		"       jumpctl [--rec-socket PATH] sessions | watch ID | end ID | target-key TARGET | target-pin TARGET\n");
	return 2;
}

/* one request to jumpd's admin socket, through the same client Dropbear
 * uses for the auth hook (jumpd/dropbear/jb-authhook.c) */
static int ask(const struct hook_msg *req)
{
	struct hook_msg rep;
	char err[256];

	errno = 0;
	if (jb_hook_ask(sock_path, req, &rep, err, sizeof err) < 0) {
		if (errno == EACCES && strstr(err, "cannot reach")) /* the socket is group ctl-sock's (sockgroups.h) */
			fprintf(stderr, "jumpctl: refused: not an admin (%s: only admins and root may connect)\n", sock_path);
		else
			fprintf(stderr, "jumpctl: %s\n", err);
		return 1;
	}
	if (strcmp(rep.verb, "ok") != 0) {
		const char *why = hook_get(&rep, "reason");
		fprintf(stderr, "jumpctl: refused: %s\n", why ? why : rep.verb);
		return 1;
	}
	for (unsigned i = 0; i < rep.nfields; i++)
		printf("%s: %s\n", rep.f[i].key, rep.f[i].val);
	if (rep.nfields == 0)
		printf("ok\n");
	return 0;
}

static int enroll(int argc, char **argv)
{
	const char *user = NULL, *issuer = "jumpbox", *host = NULL;
	enum totp_alg alg = TOTP_SHA1;
	unsigned digits = 6;
	char hostbuf[SITECONF_HOSTLEN], account[128], secret[BASE32_ENCLEN(64) + 1], uri[512];
	uint8_t key[64];

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--algorithm") && i + 1 < argc) {
			if (totp_alg_parse(argv[++i], &alg))
				return usage();
		} else if (!strcmp(argv[i], "--digits") && i + 1 < argc) {
			char *end;
			errno = 0;
			long d = strtol(argv[++i], &end, 10);
			if (errno != 0 || end == argv[i] || *end != '\0' || (d != 6 && d != 8))
				return usage();
			digits = (unsigned)d;
		} else if (!strcmp(argv[i], "--issuer") && i + 1 < argc) {
			issuer = argv[++i];
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			host = argv[++i];
		} else if (argv[i][0] != '-' && !user) {
			user = argv[i];
		} else {
			return usage();
		}
	}
	if (!user)
		return usage();
	if (!host) {
		if (gethostname(hostbuf, sizeof hostbuf))
			snprintf(hostbuf, sizeof hostbuf, "%s", "jumpbox");
		hostbuf[sizeof hostbuf - 1] = 0;
		host = hostbuf;
	}
	/* the HMAC's block-size-friendly key lengths of RFC 6238's reference */
	size_t keylen = alg == TOTP_SHA1 ? 20 : alg == TOTP_SHA256 ? 32 : 64;
	if (getrandom(key, keylen, 0) != (ssize_t)keylen) {
		fprintf(stderr, "jumpctl: no randomness: %s\n", strerror(errno));
		return 1;
	}
	base32_encode(key, keylen, secret, sizeof secret);
	explicit_bzero(key, sizeof key);
	snprintf(account, sizeof account, "%s@%s", user, host);
	if (totp_uri(uri, sizeof uri, issuer, account, secret, alg, digits) < 0) {
		fprintf(stderr, "jumpctl: issuer or names too long\n");
		return 1;
	}
	printf("# TOTP enrollment for '%s'. Treat this output as a secret.\n", user);
	printf("# 1. Add these lines to [user %s] in jumpbox.conf on the config volume:\n", user);
	printf("totp-secret = %s\n", secret);
	if (alg != TOTP_SHA1)
		printf("totp-algorithm = %s\n", totp_alg_name(alg));
	if (digits != 6)
		printf("totp-digits = %u\n", digits);
	printf("# 2. Give the user this URI for their authenticator app (as a QR code:\n"
	       "#    `qrencode -t ansiutf8 'URI'` on a workstation), or the secret above:\n");
	printf("%s\n", uri);
	explicit_bzero(secret, sizeof secret);
	return 0;
}

static int check_config(const char *path)
{
	static struct siteconf c;
	struct siteconf_error e = { 0 };
	if (siteconf_load(&c, path, &e)) {
		if (e.line)
			fprintf(stderr, "%s:%u: %s\n", e.file, e.line, e.msg);
		else
			fprintf(stderr, "%s: %s\n", e.file, e.msg);
		return 1;
	}
	unsigned mfa = 0;
	for (unsigned i = 0; i < c.nusers; i++)
		mfa += c.users[i].mfa ? 1 : 0;
	printf("%s: ok (%u users, %u with TOTP)\n", path, c.nusers, mfa);
	return 0;
}

static int parse_seq(const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || end == v || *end || n == 0 || v[0] == '-')
		return -1;
	*out = n;
	return 0;
}

static int verify(int argc, char **argv)
{
	struct verify_report r;
	struct verify_opts o = { 0 };
	struct auditsign_key key;
	int i = 0;
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--key")) {
			if (auditsign_pub_from_hex(&key, argv[i + 1], strlen(argv[i + 1]))) {
				fprintf(stderr, "jumpctl: --key: want the 130 hex digits jumpd printed "
					"(\"audit signing key ...\", or sign_key= in JUMPD_START)\n");
				return 2;
			}
			o.key = &key;
		} else if (!strcmp(argv[i], "--from") || !strcmp(argv[i], "--seen")) {
			if (parse_seq(argv[i + 1], argv[i][2] == 'f' ? &o.from : &o.seen)) {
				fprintf(stderr, "jumpctl: %s: want a sequenceId (1 or more)\n", argv[i]);
				return 2;
			}
		} else {
			break;
		}
	}
	if (argc - i != 1)
		return usage();
	const char *path = argv[i];
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	if (!f) {
		fprintf(stderr, "jumpctl: %s: %s\n", path, strerror(errno));
		return 2;
	}
	/* a spool read in place whose head jumpd reclaimed (common/spoolhead.h):
	 * from its first whole record; the start is then a stated one (--from) */
	off_t head = f != stdin ? spoolhead_first_line(fileno(f)) : 0;
	if (head > 0) {
		if (fseeko(f, head, SEEK_SET)) {
			fprintf(stderr, "jumpctl: %s: %s\n", path, strerror(errno));
			fclose(f);
			return 2;
		}
		printf("%s: the head was reclaimed: verifying from offset %lld (AUDIT_RECLAIM's first_kept_seq is "
		       "the checkpoint for --from)\n", path, (long long)head);
	}
	int rc = audit_verify(f, stdout, &o, &r);
	if (f != stdin)
		fclose(f);
	if (rc < 0) {
		fprintf(stderr, "jumpctl: %s: read error\n", path);
		return 2;
	}
	char sig[160] = "";
	if (o.key)
		snprintf(sig, sizeof sig, "; %llu checkpoints, %llu forged, signed through sequenceId %llu",
			 (unsigned long long)r.checkpoints, (unsigned long long)r.forged, (unsigned long long)r.signed_to);
	char rec[96] = "";
	if (r.rec_lines)
		snprintf(rec, sizeof rec, "; %llu recording-trail lines (jumprec: rec-export checks them)",
			 (unsigned long long)r.rec_lines);
	printf("%s: %llu records, sequenceId %llu..%llu, %llu duplicates; %llu missing, %llu chain breaks, "
	       "%llu reordered, %llu malformed%s%s%s: %s\n", path, (unsigned long long)r.records,
	       (unsigned long long)r.first_seq, (unsigned long long)r.last_seq, (unsigned long long)r.duplicates,
	       (unsigned long long)r.gaps, (unsigned long long)r.breaks, (unsigned long long)r.disorder,
	       (unsigned long long)r.malformed, r.cut ? ", cut" : "", sig, rec, rc ? "NOT INTACT" : "intact");
	return rc;
}

int main(int argc, char **argv)
{
	struct hook_msg req;
	int i = 1;
	const char *rec_sock = RECCTL_SOCKET;
	for (; i + 1 < argc && (!strcmp(argv[i], "--socket") || !strcmp(argv[i], "--rec-socket")); i += 2)
		*(argv[i][2] == 's' ? &sock_path : &rec_sock) = argv[i + 1];
	if (i >= argc)
		return usage();
	int rec = recctl_client_main(rec_sock, argc - i, argv + i);
	if (rec >= 0)
		return rec == 2 ? usage() : rec;
	const char *cmd = argv[i++];
	if (!strcmp(cmd, "unlock") && argc - i == 1 && argv[i][0] != '-') {
		if (hook_init(&req, "unlock") || hook_add(&req, "user", argv[i]))
			return usage();
		return ask(&req);
	}
	if (!strcmp(cmd, "unlock") && argc - i == 2 && !strcmp(argv[i], "--source")) {
		if (hook_init(&req, "unlock") || hook_add(&req, "src", argv[i + 1]))
			return usage();
		return ask(&req);
	}
	if (!strcmp(cmd, "status") && argc == i) {
		hook_init(&req, "status");
		return ask(&req);
	}
	if (!strcmp(cmd, "mfa-enroll"))
		return enroll(argc - i, argv + i);
	if (!strcmp(cmd, "check-config") && argc - i == 1)
		return check_config(argv[i]);
	if (!strcmp(cmd, "audit-verify"))
		return verify(argc - i, argv + i);
	if (!strcmp(cmd, "rec-export"))
		return rec_export_main(argc - i, argv + i);
	return usage();
}
