/* syslog_tls: the shipper's TLS client (BearSSL, TLS 1.2: BearSSL 0.6 has
 * no 1.3; RFC 5425 requires 1.2 and rsyslog/syslog-ng accept it), offering
 * only forward-secret AEAD suites: ECDHE_ECDSA and ECDHE_RSA with AES-GCM
 * and ChaCha20-Poly1305.
 *
 * Owns: loading the trust anchors (a PEM CA bundle) and the optional client
 * certificate chain and key (EC or RSA) once; one connection at a time over
 * a nonblocking TCP socket: connect and handshake with timeouts, the X.509
 * minimal engine checking the chain against the CA bundle, the configured
 * server name and the validity dates against the real clock; moving
 * ciphertext between the engine and the socket; counting the ciphertext
 * bytes written, and asking the kernel how many of them the peer's TCP has
 * acknowledged (SIOCOUTQ), which is what the shipper's at-least-once
 * accounting builds on. There is no plain-TCP fallback.
 *
 * Memory: everything lives in caller-owned structs of fixed size (the
 * credentials arena, the engine's I/O buffer); nothing is allocated. */
#ifndef JB_SYSLOG_TLS_H
#define JB_SYSLOG_TLS_H
#include <bearssl.h>
#include <stddef.h>
#include <stdint.h>

#define STLS_MAX_ANCHORS 32
#define STLS_MAX_CHAIN 8
#define STLS_ARENA ((size_t)64 * 1024) /* DER of anchors' names and keys, client chain */

struct stls_creds {
	br_x509_trust_anchor anchors[STLS_MAX_ANCHORS];
	size_t nanchors;
	br_x509_certificate chain[STLS_MAX_CHAIN];
	size_t nchain;
	int key_type;                 /* 0: no client certificate; BR_KEYTYPE_EC or BR_KEYTYPE_RSA */
	br_skey_decoder_context key;  /* holds the decoded client key */
	unsigned char arena[STLS_ARENA];
	size_t used;
};

/* Loads the CA bundle (every CERTIFICATE in it becomes a trust anchor) and,
 * if cert_path is not NULL/empty, the client chain and its private key
 * (PKCS#1 RSA, SEC1 EC or PKCS#8). Returns 0, or -1 with a reason. */
int stls_load(struct stls_creds *cr, const char *ca_path, const char *cert_path, const char *key_path,
	      char *err, size_t errlen);

struct stls {
	br_ssl_client_context cc;
	br_x509_minimal_context xc;
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
	int fd;
	uint64_t sent;                /* ciphertext bytes written to the socket */
	int refused;                  /* the last failure was the peer's certificate or a TLS alert */
	int handshaking;              /* in stls_connect's handshake */
	char why[224];                /* the last failure, for the status file and the console */
};

/* Connects to addr (16 bytes, IPv4 as ::ffff:a.b.c.d) and port, and
 * completes the TLS handshake, the server's certificate checked against
 * cr's anchors and server_name; each step within timeout_ms. Returns 0,
 * or -1 with the reason in t->why ("certificate: unknown CA", "certificate:
 * name mismatch", "certificate: expired or not yet valid", ...) and
 * t->refused set when the peer was reached but not trusted. */
int stls_connect(struct stls *t, const struct stls_creds *cr, const uint8_t addr[16], unsigned port,
		 const char *server_name, int timeout_ms);

/* The engine's buffer for plaintext to send: NULL (and *len 0) when it
 * holds ciphertext not yet written; copy into it, then stls_sendack. */
unsigned char *stls_sendbuf(struct stls *t, size_t *len);
void stls_sendack(struct stls *t, size_t len);

/* 1 if the engine takes plaintext now (stls_sendbuf gives room): no
 * ciphertext is waiting for the socket. */
int stls_can_take(const struct stls *t);

/* Seals every byte given so far into records. Returns the ciphertext
 * offset (in the count of t->sent) at which the last of them ends: once
 * the peer's TCP has acknowledged that many bytes, it holds them all. */
uint64_t stls_flush(struct stls *t);

/* Moves ciphertext between the engine and the socket without blocking;
 * data the collector sends (none is expected) is read and dropped.
 * Returns 0, or -1 when the connection is over (reason in t->why). */
int stls_io(struct stls *t);

/* Waits up to timeout_ms for the socket (in the directions the engine
 * needs) or for extra_fd (if >= 0) to be readable. Returns 1 if extra_fd
 * is readable, 0 otherwise. */
int stls_wait(struct stls *t, int timeout_ms, int extra_fd);

/* Ciphertext bytes the peer's TCP has acknowledged (t->sent minus what is
 * still in the socket's send queue). Returns 0, or -1. */
int stls_acked(const struct stls *t, uint64_t *acked);

void stls_close(struct stls *t);
#endif
