/* libFuzzer harness for the shipper's PEM loading (stls_load): a CA
 * bundle, client chain and key as a damaged or hostile config volume may
 * hold them. The input is one file, given as all three (the first byte
 * picks whether a client certificate is loaded). Whatever it holds,
 * nothing overruns; an accepted load has 1..STLS_MAX_ANCHORS anchors and
 * at most STLS_MAX_CHAIN certificates inside the arena; a refusal says why. */
#include "syslog_tls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int inside(const struct stls_creds *cr, const void *p, size_t len)
{
	const unsigned char *b = p;
	return b >= cr->arena && len <= STLS_ARENA && (size_t)(b - cr->arena) + len <= cr->used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stls_creds cr;
	static char path[64];
	static int fd = -1;
	char err[320];
	if (fd < 0) {
		snprintf(path, sizeof path, "/tmp/jb-pem-fuzz-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	int client = size && (data[0] & 1);
	err[0] = 0;
	if (stls_load(&cr, path, client ? path : NULL, path, err, sizeof err)) {
		if (!err[0] || !memchr(err, 0, sizeof err))
			__builtin_trap();
		return 0;
	}
	if (cr.nanchors == 0 || cr.nanchors > STLS_MAX_ANCHORS || cr.nchain > STLS_MAX_CHAIN || cr.used > STLS_ARENA)
		__builtin_trap();
	for (size_t i = 0; i < cr.nanchors; i++)
		if (!inside(&cr, cr.anchors[i].dn.data, cr.anchors[i].dn.len))
			__builtin_trap();
	for (size_t i = 0; i < cr.nchain; i++)
		if (!inside(&cr, cr.chain[i].data, cr.chain[i].data_len))
			__builtin_trap();
	if (client && (cr.nchain == 0 || !cr.key_type))
		__builtin_trap();
	return 0;
}
