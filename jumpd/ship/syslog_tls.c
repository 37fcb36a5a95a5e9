/* syslog_tls: BearSSL TLS 1.2 client for the shipper (see syslog_tls.h). */
#include "syslog_tls.h"
#include "../common/addr.h"
#include "../common/monotime.h"
#include "../common/readfile.h"

#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define PEM_FILE_MAX ((size_t)256 * 1024)
#define DER_MAX ((size_t)16 * 1024)      /* one certificate or key */
#define TCP_DEAD_MS 20000         /* unacknowledged data this long: the link is dead */

/* ---- loading credentials (once, at start) ---- */

struct der_buf {
	unsigned char data[DER_MAX];
	size_t len;
	int overflow;
};

static void der_append(void *ctx, const void *buf, size_t len)
{
	struct der_buf *d = ctx;
	if (len > sizeof d->data - d->len) {
		d->overflow = 1;
		return;
	}
	memcpy(d->data + d->len, buf, len);
	d->len += len;
}

static void *arena_copy(struct stls_creds *cr, const void *p, size_t len)
{
	if (len > sizeof cr->arena - cr->used)
		return NULL;
	unsigned char *dst = cr->arena + cr->used;
	memcpy(dst, p, len);
	cr->used += len;
	return dst;
}

/* name of the kind of object being collected, and what to do with it */
typedef int (*pem_object_fn)(struct stls_creds *cr, const char *name, const struct der_buf *der,
			     char *err, size_t errlen);

static int read_pem(struct stls_creds *cr, const char *path, pem_object_fn fn, int *count,
		    char *err, size_t errlen)
{
	static unsigned char file[PEM_FILE_MAX + 1];
	static struct der_buf der;
	br_pem_decoder_context pc;
	char name[128] = "";
	size_t len;
	/* room for one more byte than PEM_FILE_MAX: the '\n' added below */
	if (readfile_whole(path, 0, file, sizeof file, &len)) {
		if (errno == EFBIG)
			snprintf(err, errlen, "%s: larger than %zu KiB", path, PEM_FILE_MAX / 1024);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	file[len++] = '\n'; /* the decoder needs the last END line ended */
	br_pem_decoder_init(&pc);
	*count = 0;
	int inside = 0;
	const unsigned char *p = file;
	while (len > 0) {
		size_t n = br_pem_decoder_push(&pc, p, len);
		p += n;
		len -= n;
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			snprintf(name, sizeof name, "%s", br_pem_decoder_name(&pc));
			der.len = 0;
			der.overflow = 0;
			br_pem_decoder_setdest(&pc, der_append, &der);
			inside = 1;
			break;
		case BR_PEM_END_OBJ:
			inside = 0;
			if (der.overflow) {
				snprintf(err, errlen, "%s: a %s larger than %zu bytes", path, name, DER_MAX);
				return -1;
			}
			if (fn(cr, name, &der, err, errlen))
				return -1;
			(*count)++;
			break;
		case BR_PEM_ERROR:
			snprintf(err, errlen, "%s: not valid PEM", path);
			return -1;
		default:
			break;
		}
	}
	if (inside) {
		snprintf(err, errlen, "%s: PEM object without its END line", path);
		return -1;
	}
	return 0;
}

/* a CA bundle: each certificate's subject name and public key become an anchor */
static int add_anchor(struct stls_creds *cr, const char *name, const struct der_buf *der,
		      char *err, size_t errlen)
{
	static struct der_buf dn;
	br_x509_decoder_context dc;
	if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "X509 CERTIFICATE") != 0)
		return 0; /* bundles may carry other objects: not anchors */
	if (cr->nanchors == STLS_MAX_ANCHORS) {
		snprintf(err, errlen, "CA bundle: more than %d certificates", STLS_MAX_ANCHORS);
		return -1;
	}
	dn.len = 0;
	dn.overflow = 0;
	br_x509_decoder_init(&dc, der_append, &dn);
	br_x509_decoder_push(&dc, der->data, der->len);
	const br_x509_pkey *pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || dn.overflow) {
		snprintf(err, errlen, "CA bundle: certificate %zu cannot be decoded (BearSSL error %d)",
			 cr->nanchors + 1, br_x509_decoder_last_error(&dc));
		return -1;
	}
	br_x509_trust_anchor *ta = &cr->anchors[cr->nanchors];
	memset(ta, 0, sizeof *ta);
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->dn.data = arena_copy(cr, dn.data, dn.len);
	ta->dn.len = dn.len;
	ta->pkey.key_type = pk->key_type;
	int ok = ta->dn.data != NULL;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = arena_copy(cr, pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = arena_copy(cr, pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
		ok = ok && ta->pkey.key.rsa.n && ta->pkey.key.rsa.e;
	} else if (pk->key_type == BR_KEYTYPE_EC) {
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = arena_copy(cr, pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
		ok = ok && ta->pkey.key.ec.q;
	} else {
		ok = 0;
	}
	if (!ok) {
		snprintf(err, errlen, "CA bundle: too large or unsupported key type");
		return -1;
	}
	cr->nanchors++;
	return 0;
}

static int add_chain_cert(struct stls_creds *cr, const char *name, const struct der_buf *der,
			  char *err, size_t errlen)
{
	if (strcmp(name, "CERTIFICATE") != 0)
		return 0;
	if (cr->nchain == STLS_MAX_CHAIN) {
		snprintf(err, errlen, "client-cert: more than %d certificates", STLS_MAX_CHAIN);
		return -1;
	}
	cr->chain[cr->nchain].data = arena_copy(cr, der->data, der->len);
	cr->chain[cr->nchain].data_len = der->len;
	if (!cr->chain[cr->nchain].data) {
		snprintf(err, errlen, "client-cert: too large");
		return -1;
	}
	cr->nchain++;
	return 0;
}

static int add_key(struct stls_creds *cr, const char *name, const struct der_buf *der,
		   char *err, size_t errlen)
{
	if (strcmp(name, "RSA PRIVATE KEY") != 0 && strcmp(name, "EC PRIVATE KEY") != 0 &&
	    strcmp(name, "PRIVATE KEY") != 0)
		return 0; /* e.g. "EC PARAMETERS" before the key */
	if (cr->key_type) {
		snprintf(err, errlen, "client-key: more than one key");
		return -1;
	}
	br_skey_decoder_init(&cr->key);
	br_skey_decoder_push(&cr->key, der->data, der->len);
	int e = br_skey_decoder_last_error(&cr->key);
	cr->key_type = br_skey_decoder_key_type(&cr->key);
	if (e || (cr->key_type != BR_KEYTYPE_RSA && cr->key_type != BR_KEYTYPE_EC)) {
		snprintf(err, errlen, "client-key: cannot decode an RSA or EC key (BearSSL error %d)", e);
		cr->key_type = 0;
		return -1;
	}
	return 0;
}

int stls_load(struct stls_creds *cr, const char *ca_path, const char *cert_path, const char *key_path,
	      char *err, size_t errlen)
{
	char why[200];
	int n;
	memset(cr, 0, sizeof *cr);
	if (read_pem(cr, ca_path, add_anchor, &n, why, sizeof why) || cr->nanchors == 0) {
		snprintf(err, errlen, "ca %s: %s", ca_path, cr->nanchors ? why : "no CERTIFICATE in it");
		return -1;
	}
	if (!cert_path || !cert_path[0])
		return 0;
	if (read_pem(cr, cert_path, add_chain_cert, &n, why, sizeof why) || cr->nchain == 0) {
		snprintf(err, errlen, "client-cert %s: %s", cert_path, cr->nchain ? why : "no CERTIFICATE in it");
		return -1;
	}
	if (read_pem(cr, key_path, add_key, &n, why, sizeof why) || !cr->key_type) {
		snprintf(err, errlen, "client-key %s: %s", key_path, cr->key_type ? why : "no private key in it");
		return -1;
	}
	return 0;
}

/* ---- one connection ---- */

/* What the client offers (security finding 4): forward-secret key exchange
 * (ECDHE, signed by the collector's ECDSA or RSA key) with an AEAD cipher
 * (AES-GCM or ChaCha20-Poly1305) only. No RSA key exchange (a stolen
 * collector key would decrypt every recorded session), no CBC, no 3DES.
 * BearSSL's full profile offers those too; br_ssl_engine_set_suites keeps
 * these. rsyslog's and syslog-ng's TLS defaults include them. */
static const uint16_t offered_suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};
#define OFFERED "ECDHE with AES-GCM or ChaCha20-Poly1305"

/* what an operator needs to read on the console for a BearSSL error */
static void explain(struct stls *t, int e)
{
	t->refused = 1;
	switch (e) {
	case BR_ERR_X509_NOT_TRUSTED:
		snprintf(t->why, sizeof t->why, "certificate: unknown CA (not signed by the configured ca)");
		return;
	case BR_ERR_X509_BAD_SERVER_NAME:
		snprintf(t->why, sizeof t->why, "certificate: name mismatch (does not carry the configured server-name)");
		return;
	case BR_ERR_X509_EXPIRED:
		snprintf(t->why, sizeof t->why, "certificate: expired or not yet valid");
		return;
	default:
		break;
	}
	if (e == BR_ERR_RECV_FATAL_ALERT + 40 || e == BR_ERR_RECV_FATAL_ALERT + 71)
		snprintf(t->why, sizeof t->why, "the collector refused us: TLS alert %d (no cipher suite in common? "
			 "the box offers only " OFFERED ")", e - BR_ERR_RECV_FATAL_ALERT);
	else if (e == BR_ERR_BAD_CIPHER_SUITE)
		snprintf(t->why, sizeof t->why, "the collector chose a cipher suite the box did not offer "
			 "(only " OFFERED ")");
	else if (e >= BR_ERR_X509_OK && e < BR_ERR_X509_OK + 32)
		snprintf(t->why, sizeof t->why, "certificate: rejected (BearSSL X.509 error %d)", e);
	else if (e >= BR_ERR_RECV_FATAL_ALERT && e < BR_ERR_RECV_FATAL_ALERT + 256)
		snprintf(t->why, sizeof t->why, "the collector refused us: TLS alert %d%s", e - BR_ERR_RECV_FATAL_ALERT,
			 e - BR_ERR_RECV_FATAL_ALERT == 42 || e - BR_ERR_RECV_FATAL_ALERT == 48 ||
			 e - BR_ERR_RECV_FATAL_ALERT == 116 ? " (our client certificate?)" : "");
	else if (e >= BR_ERR_SEND_FATAL_ALERT && e < BR_ERR_SEND_FATAL_ALERT + 256)
		snprintf(t->why, sizeof t->why, "TLS: we sent alert %d", e - BR_ERR_SEND_FATAL_ALERT);
	else if (e == BR_ERR_UNSUPPORTED_VERSION || e == BR_ERR_BAD_VERSION || e == BR_ERR_BAD_LENGTH ||
		 e == BR_ERR_BAD_HANDSHAKE || e == BR_ERR_UNEXPECTED)
		snprintf(t->why, sizeof t->why, "the collector does not speak TLS 1.2 (BearSSL error %d)", e);
	else {
		snprintf(t->why, sizeof t->why, "TLS error %d", e);
		t->refused = 0;
	}
}

/* the engine closed: say why (an error, or the peer's close_notify) */
static int engine_closed(struct stls *t)
{
	int e = br_ssl_engine_last_error(&t->cc.eng);
	if (e)
		explain(t, e);
	else
		snprintf(t->why, sizeof t->why, "the collector closed the TLS session");
	return -1;
}

static int socket_error(struct stls *t, const char *what, int e)
{
	t->refused = 0;
	snprintf(t->why, sizeof t->why, "%s: %s", what, e ? strerror(e) : "connection closed by the collector");
	return -1;
}

int stls_io(struct stls *t)
{
	br_ssl_engine_context *eng = &t->cc.eng;
	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		int progress = 0;
		size_t len;
		if (st & BR_SSL_CLOSED)
			return engine_closed(t);
		if (st & BR_SSL_SENDREC) {
			unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len);
			ssize_t w = send(t->fd, buf, len, MSG_NOSIGNAL);
			if (w > 0) {
				br_ssl_engine_sendrec_ack(eng, (size_t)w);
				t->sent += (uint64_t)w;
				progress = 1;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				return socket_error(t, "send", errno);
			}
		}
		if (st & BR_SSL_RECVREC) {
			unsigned char *buf = br_ssl_engine_recvrec_buf(eng, &len);
			ssize_t r = recv(t->fd, buf, len, 0);
			if (r > 0) {
				br_ssl_engine_recvrec_ack(eng, (size_t)r);
				progress = 1;
			} else if (r == 0) {
				int e = br_ssl_engine_last_error(eng);
				if (e) {
					explain(t, e);
					return -1;
				}
				if (t->handshaking) { /* e.g. rsyslog's gtls finding no suite in common */
					t->refused = 1;
					snprintf(t->why, sizeof t->why, "the collector ended the TLS handshake without an alert "
						 "(no cipher suite in common? the box offers only " OFFERED "; or our client certificate?)");
					return -1;
				}
				return socket_error(t, "recv", 0);
			} else if (errno != EAGAIN && errno != EINTR) {
				return socket_error(t, "recv", errno);
			}
		}
		if (st & BR_SSL_RECVAPP) { /* a collector has nothing to say: drop it */
			br_ssl_engine_recvapp_buf(eng, &len);
			br_ssl_engine_recvapp_ack(eng, len);
			progress = 1;
		}
		if (!progress)
			return 0;
	}
}

int stls_wait(struct stls *t, int timeout_ms, int extra_fd)
{
	unsigned st = br_ssl_engine_current_state(&t->cc.eng);
	struct pollfd p[2] = {
		{ .fd = t->fd, .events = (short)(((st & BR_SSL_SENDREC) ? POLLOUT : 0) | POLLIN) },
		{ .fd = extra_fd, .events = POLLIN },
	};
	int r = poll(p, extra_fd >= 0 ? 2 : 1, timeout_ms);
	return r > 0 && extra_fd >= 0 && (p[1].revents & POLLIN) ? 1 : 0;
}

static void tune_socket(int fd)
{
	int one = 1, idle = 10, intvl = 5, cnt = 3;
	unsigned dead = TCP_DEAD_MS;
	/* records go out as they come (latency); a silent peer or a cut
	 * link is noticed in about 20 s, not after TCP's 15 minutes */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &dead, sizeof dead);
}

static int tcp_connect(struct stls *t, const uint8_t addr[16], unsigned port, int timeout_ms)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	if (addr_is_v4(addr)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		memcpy(&sin->sin_addr, addr + 12, 4);
		sl = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		memcpy(&sin6->sin6_addr, addr, 16);
		sl = sizeof *sin6;
	}
	t->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return socket_error(t, "socket", errno);
	tune_socket(t->fd);
	if (connect(t->fd, (struct sockaddr *)&ss, sl) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return socket_error(t, "connect", errno);
	struct pollfd p = { .fd = t->fd, .events = POLLOUT };
	int e = 0;
	socklen_t el = sizeof e;
	int r = poll(&p, 1, timeout_ms);
	if (r == 0)
		return socket_error(t, "connect", ETIMEDOUT);
	if (r < 0 || getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &e, &el) || e)
		return socket_error(t, "connect", r < 0 ? errno : e);
	return 0;
}

int stls_connect(struct stls *t, const struct stls_creds *cr, const uint8_t addr[16], unsigned port,
		 const char *server_name, int timeout_ms)
{
	t->fd = -1;
	t->sent = 0;
	t->refused = 0;
	t->why[0] = 0;
	if (tcp_connect(t, addr, port, timeout_ms))
		goto fail;
	br_ssl_client_init_full(&t->cc, &t->xc, cr->anchors, cr->nanchors);
	br_ssl_engine_set_versions(&t->cc.eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(&t->cc.eng, offered_suites, sizeof offered_suites / sizeof offered_suites[0]);
	br_ssl_engine_set_buffer(&t->cc.eng, t->iobuf, sizeof t->iobuf, 1);
	if (cr->key_type == BR_KEYTYPE_EC)
		br_ssl_client_set_single_ec(&t->cc, cr->chain, cr->nchain, br_skey_decoder_get_ec(&cr->key),
					    BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, br_ec_get_default(),
					    br_ecdsa_sign_asn1_get_default());
	else if (cr->key_type == BR_KEYTYPE_RSA)
		br_ssl_client_set_single_rsa(&t->cc, cr->chain, cr->nchain, br_skey_decoder_get_rsa(&cr->key),
					     br_rsa_pkcs1_sign_get_default());
	if (!br_ssl_client_reset(&t->cc, server_name, 0)) {
		engine_closed(t);
		goto fail;
	}
	/* the handshake is done when the engine takes application data */
	int64_t t0 = mono_ms();
	t->handshaking = 1;
	for (;;) {
		if (stls_io(t))
			goto fail;
		if (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_SENDAPP) {
			t->handshaking = 0;
			return 0;
		}
		int64_t left = timeout_ms - (mono_ms() - t0);
		if (left <= 0) {
			snprintf(t->why, sizeof t->why,
				 "TLS handshake timed out (no TLS answer: a plain-TCP server, or the wrong port?)");
			t->refused = 1;
			goto fail;
		}
		stls_wait(t, (int)left, -1);
	}
fail:
	t->handshaking = 0;
	stls_close(t);
	return -1;
}

unsigned char *stls_sendbuf(struct stls *t, size_t *len)
{
	return br_ssl_engine_sendapp_buf(&t->cc.eng, len);
}

int stls_can_take(const struct stls *t)
{
	return (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_SENDAPP) != 0;
}

void stls_sendack(struct stls *t, size_t len)
{
	br_ssl_engine_sendapp_ack(&t->cc.eng, len);
}

uint64_t stls_flush(struct stls *t)
{
	size_t pending = 0;
	br_ssl_engine_flush(&t->cc.eng, 0);
	/* all plaintext is sealed now; what is not yet written waits in the
	 * engine's output buffer */
	if (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_SENDREC)
		br_ssl_engine_sendrec_buf(&t->cc.eng, &pending);
	return t->sent + pending;
}

int stls_acked(const struct stls *t, uint64_t *acked)
{
	int queued = 0;
	if (t->fd < 0 || ioctl(t->fd, SIOCOUTQ, &queued) < 0 || queued < 0 || (uint64_t)queued > t->sent)
		return -1;
	*acked = t->sent - (uint64_t)queued;
	return 0;
}

void stls_close(struct stls *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
