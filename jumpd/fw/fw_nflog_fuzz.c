/* libFuzzer harness: fw_nflog_parse on arbitrary netlink messages (what the
 * kernel hands jumpfw for each blocked packet, packet bytes included). */
#include "fw_nflog.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_blocked b;
	/* an aligned copy, as recv() gives it */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fw_nflog_parse(buf, size, &b);
	free(buf);
	return 0;
}
