/* fw_pinhole: see fw_pinhole.h. */
#include "fw_pinhole.h"
#include "fw_ruleset.h"
#include "../common/addr.h"
#include "../common/siteconf_types.h"

#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int fw_pin_uid_ok(uint32_t uid, unsigned nusers)
{
	return uid >= SITECONF_FIRST_UID && uid - SITECONF_FIRST_UID < nusers;
}

size_t fw_pin_key(uint8_t key[24], uint32_t uid, const uint8_t addr[16], unsigned port)
{
	/* the registers the rule fills: address, port (network order) padded to
	 * 4 bytes, uid (host order), each field 4-byte aligned */
	uint16_t be = htons((uint16_t)port);
	size_t off = addr_is_v4(addr) ? 4 : 16;
	memset(key, 0, 24);
	memcpy(key, addr_is_v4(addr) ? addr + 12 : addr, off);
	memcpy(key + off, &be, 2);
	memcpy(key + off + 4, &uid, 4);
	return off + 8;
}

enum op { ADD, DEL, FLUSH };

struct step {
	enum op op;
	const uint8_t *key;
	size_t keylen;
	uint32_t timeout_ms;
	int v4;
};

static int run(void *nl, const struct step *steps, unsigned n, char *err, size_t errlen)
{
	static char buf[1 << 14];
	uint32_t seq = (uint32_t)time(NULL);
	unsigned nmsgs = 0;
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof buf);

	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	for (unsigned i = 0; i < n; i++) {
		struct nftnl_set *s = nftnl_set_alloc();
		if (!s)
			abort();
		nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
		nftnl_set_set_str(s, NFTNL_SET_TABLE, FW_TABLE);
		nftnl_set_set_str(s, NFTNL_SET_NAME, steps[i].v4 ? "pin4" : "pin6");
		if (steps[i].op != FLUSH) {
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();
			if (!e)
				abort();
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, steps[i].key, (uint32_t)steps[i].keylen);
			if (steps[i].op == ADD)
				nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, steps[i].timeout_ms);
			nftnl_set_elem_add(s, e);
		}
		struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
				steps[i].op == ADD ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, NFPROTO_INET,
				(steps[i].op == ADD ? NLM_F_CREATE : 0) | NLM_F_ACK, seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
		mnl_nlmsg_batch_next(b);
		nmsgs++;
	}
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	int rc = fw_batch_send(nl, b, nmsgs, err, errlen);
	mnl_nlmsg_batch_stop(b);
	return rc;
}

int fw_pin_open(void *nl, uint32_t uid, const uint8_t addr[16], unsigned port, uint32_t timeout_ms,
		char *err, size_t errlen)
{
	uint8_t key[24];
	size_t len = fw_pin_key(key, uid, addr, port);
	int v4 = addr_is_v4(addr);
	/* add (a no-op if present), delete, add: the element ends up new with
	 * the full timeout whether or not it existed, in one transaction */
	struct step steps[] = {
		{ ADD, key, len, timeout_ms, v4 }, { DEL, key, len, 0, v4 }, { ADD, key, len, timeout_ms, v4 },
	};
	return run(nl, steps, 3, err, errlen);
}

int fw_pin_close(void *nl, uint32_t uid, const uint8_t addr[16], unsigned port, char *err, size_t errlen)
{
	uint8_t key[24];
	size_t len = fw_pin_key(key, uid, addr, port);
	int v4 = addr_is_v4(addr);
	struct step steps[] = { { ADD, key, len, 1000, v4 }, { DEL, key, len, 0, v4 } };
	return run(nl, steps, 2, err, errlen);
}

int fw_pin_flush(void *nl, char *err, size_t errlen)
{
	struct step steps[] = { { FLUSH, NULL, 0, 0, 1 }, { FLUSH, NULL, 0, 0, 0 } };
	return run(nl, steps, 2, err, errlen);
}
