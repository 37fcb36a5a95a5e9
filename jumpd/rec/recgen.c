/* recgen: a test tool, not shipped in the image. Records a given .cast
 * file as a session the way the box does: the recording trail through
 * recspool (REC_DATA chunks, synced at each checkpoint), and jumpd's audit
 * records through jumpd's own event module (REC_START, REC_CHECKPOINT every
 * K chunks, REC_END; with a key file, signed AUDIT_CHECKPOINTs), in the
 * fields of docs/audit.md. Feeds the cast in puts of P bytes, so chunks and
 * puts do not line up.
 *
 *   recgen -c CAST -R RECSPOOL -A AUDITSPOOL -S SESSION [-K KEYFILE]
 *          [-k CHUNKS_PER_CHECKPOINT] [-p PUT_BYTES] [-E]
 *
 * -E: no REC_END (a recording still open or cut). Prints the counts, and
 * with -K the public key (for rec-export --key). */
#include "recspool.h"
#include "../common/auditsign.h"
#include "../common/hex.h"
#include "../daemon/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int anchor(const char *msgid, const struct recchain *rc, const char *extra_k, const char *extra_v)
{
	char chunks[24], bytes[24], chain[65];
	snprintf(chunks, sizeof chunks, "%llu", (unsigned long long)rc->next_chunk);
	snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)rc->bytes);
	hex_encode(rc->chain, sizeof rc->chain, chain);
	if (!extra_k)
		return event_emit(msgid, "session", rc->session, "chunk", chunks, "bytes", bytes, "chain", chain, EV_END);
	return event_emit(msgid, "session", rc->session, "chunks", chunks, "bytes", bytes, "chain", chain,
			  "duration_ms", "4321", "exit", "0", extra_k, extra_v, EV_END);
}

int main(int argc, char **argv)
{
	const char *cast = NULL, *rec = NULL, *audit = NULL, *session = NULL, *keyfile = NULL;
	unsigned long every = 8, put = 1000;
	int no_end = 0, opt;
	while ((opt = getopt(argc, argv, "c:R:A:S:K:k:p:E")) != -1) {
		switch (opt) {
		case 'c': cast = optarg; break;
		case 'R': rec = optarg; break;
		case 'A': audit = optarg; break;
		case 'S': session = optarg; break;
		case 'K': keyfile = optarg; break;
		case 'k': every = strtoul(optarg, NULL, 10); break;
		case 'p': put = strtoul(optarg, NULL, 10); break;
		case 'E': no_end = 1; break;
		default: cast = NULL; break;
		}
	}
	if (!cast || !rec || !audit || !session || !recchain_session_ok(session) || !every || !put || put > 1 << 20) {
		fprintf(stderr, "usage: recgen -c CAST -R RECSPOOL -A AUDITSPOOL -S SESSION [-K KEYFILE] "
				"[-k CHUNKS_PER_CHECKPOINT] [-p PUT_BYTES] [-E]\n");
		return 2;
	}
	static struct recspool rs;
	static struct auditsign_key key;
	char err[320];
	long torn;
	if (recspool_open(&rs, rec, (uint64_t)1 << 40, "bastion-test", err, sizeof err) ||
	    event_open(audit, "bastion-test", "0.1.0+recgen", (off_t)1 << 40, &torn, err, sizeof err)) {
		fprintf(stderr, "recgen: %s\n", err);
		return 1;
	}
	if (keyfile) {
		int created;
		char pub[AUDITSIGN_PK_HEX];
		if (auditsign_load_or_create(&key, keyfile, &created, err, sizeof err)) {
			fprintf(stderr, "recgen: %s\n", err);
			return 1;
		}
		event_set_signer(&key);
		auditsign_pub_hex(&key, pub);
		printf("key %s\n", pub);
		event_checkpoint("start");
	}
	FILE *f = fopen(cast, "re");
	if (!f) {
		perror(cast);
		return 1;
	}
	struct recchain rc;
	recchain_init(&rc, session);
	if (event_emit("REC_START", "session", session, "user", "alice", "target", "db1", "account", "deploy",
		       "mode", "shell", "cols", "80", "rows", "24", "cmd", "-", EV_END))
		return 1;
	static uint8_t buf[1 << 20];
	size_t n;
	uint64_t marked = 0;
	while ((n = fread(buf, 1, put, f)) > 0) {
		if (recspool_put(&rs, &rc, buf, n)) {
			fprintf(stderr, "recgen: %s: cannot append\n", rec);
			return 1;
		}
		if (rc.next_chunk - marked >= every) {
			if (recspool_sync(&rs) || anchor("REC_CHECKPOINT", &rc, NULL, NULL))
				return 1;
			marked = rc.next_chunk;
		}
	}
	fclose(f);
	if (recspool_sync(&rs) || (!no_end && anchor("REC_END", &rc, "reason", "exit")))
		return 1;
	if (keyfile)
		event_checkpoint("stop");
	printf("recgen: %llu chunks, %llu bytes%s\n", (unsigned long long)rc.next_chunk, (unsigned long long)rc.bytes,
	       no_end ? ", no REC_END" : "");
	return 0;
}
