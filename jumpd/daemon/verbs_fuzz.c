/* libFuzzer harness for jumpd's request dispatch: one request line, as a
 * local process can send it on either socket, served by the real verb
 * table and the real handlers (verbs_serve, over a site config with a
 * recorded target, an admin and a user without MFA). Input: a byte that
 * picks the peer (socket and uid), then the bytes the peer sent. Whatever
 * they hold, nothing overruns, any reply is one line, and a verb outside
 * the peer's row is answered not-permitted (the table is the only grant). */
#include "brake.h"
#include "event.h"
#include "verbs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4NbuuV4lNEVOEfsmhyRNMlBEyhaIH1AsoMzmkyVbNX fuzz@x"

static const struct {
	enum jumpd_socket sock;
	uid_t uid;
} peers[] = {
	{ SOCK_AUTH, 102 }, { SOCK_AUTH, 2000 }, { SOCK_AUTH, 104 }, { SOCK_AUTH, 105 }, { SOCK_AUTH, 106 },
	{ SOCK_CTL, 2001 }, { SOCK_CTL, 0 }, { SOCK_AUTH, 2001 }, { SOCK_CTL, 2000 }, { SOCK_AUTH, 0 },
};

static struct jumpd jd;
static char dir[64], spool[128];
static unsigned runs;

static void open_spool(void)
{
	char e[256];
	long torn;
	unlink(spool);
	if (event_open(spool, "fuzzbox", "fuzz", (off_t)1 << 28, &torn, e, sizeof e)) {
		fprintf(stderr, "verbs_fuzz: %s\n", e);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char conf[] = "[segment s]\ncidr = 10.9.0.0/16\n"
				   "[target rec1]\naddress = 10.9.0.2\naccess = recorded\n"
				   "host-key = SHA256:4SfpGpin6WnmYunFUZhMSjuViuvC5L16b3jS+QS0zf8\n"
				   "[target plain1]\naddress = 10.9.0.3\n"
				   "[grant a]\nto = user:alice\ntarget = rec1\ntarget = plain1\naccount = deploy\n"
				   "[user alice]\nkey = " KEY "\nmfa = off\n"
				   "[user harry]\nkey = " KEY "\nmfa = off\nadmin = yes\n";
	struct siteconf_error err;
	(void)argc;
	(void)argv;
	/* the console copy of each record: not wanted a million times (ASan and
	 * libFuzzer write to the descriptor, not through stdio) */
	stderr = fopen("/dev/null", "w");
	snprintf(dir, sizeof dir, "%s/jb-verbs-fuzz-XXXXXX", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!stderr || !mkdtemp(dir) || siteconf_parse(&jd.conf, conf, sizeof conf - 1, "fuzz.conf", &err))
		abort();
	jd.sshd_uid = 102, jd.fw_uid = 104, jd.ship_uid = 105, jd.rec_uid = 106;
	budget_derive(&jd.budget, 4096, 1ull << 30, 0, 0);
	if (channels_init(&jd.channels, jd.budget.channels_max) || sessions_init(&jd.sessions, jd.budget.sessions_max) ||
	    recs_init(&jd.recs, 4))
		abort();
	mfa_init(&jd.mfa, &jd.conf);
	snprintf(jd.steps_path, sizeof jd.steps_path, "%s/totp-steps", dir);
	snprintf(spool, sizeof spool, "%s/audit.spool", dir);
	jd.fw_socket = NULL; /* no firewall helper: pinhole requests fail, as with a helper that is down */
	open_spool();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	/* a fresh spool now and then, so it never fills (that path is spool_test's);
	 * event has no close, so this leaks one descriptor each time */
	if (++runs % 50000 == 0)
		open_spool();
	unsigned p = data[0] % (sizeof peers / sizeof peers[0]);
	int sv[2];
	struct conn c = { .sock = peers[p].sock, .uid = peers[p].uid, .pid = getpid(), .deferred = 1 };
	c.len = size - 1 < sizeof c.buf ? size - 1 : sizeof c.buf;
	memcpy(c.buf, data + 1, c.len);
	if (!memchr(c.buf, '\n', c.len))
		return 0; /* conns_read serves only a whole line */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		abort();
	c.fd = sv[0];
	if (runs % 64 == 0)
		brake_reset(); /* else the brakes soon answer everything */
	event_batch_begin();
	verbs_serve(&jd, &c);
	event_batch_end();
	close(sv[0]);
	close(sv[1]);
	if (c.answered) {
		if (c.reply_len == 0 || c.reply_len > HOOK_MAX_LINE || c.reply[c.reply_len - 1] != '\n' ||
		    memchr(c.reply, '\n', c.reply_len - 1))
			__builtin_trap();
	}
	/* the table is the only grant: a known verb outside the peer's row is refused */
	struct hook_msg req;
	if (hook_parse(c.buf, c.len, &req) == 0) {
		const struct verb_row *row = verbs_find(jumpd_verbs, jumpd_nverbs, c.sock, req.verb);
		enum peer_class cls = verbs_peer_class(&jd, c.sock, c.uid);
		if (row && !(row->peers & (unsigned)cls) &&
		    (!c.answered || !memmem(c.reply, c.reply_len, "reason=not-permitted", 20)))
			__builtin_trap();
	}
	return 0;
}
