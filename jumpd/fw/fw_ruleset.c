/* fw_ruleset: builds and loads the base policy (see fw_ruleset.h). */
#include "fw_ruleset.h"

#include <netinet/in.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* nftables' data type numbers, so that `nft list` shows the sets readably */
#define NFT_TYPE_IPADDR 7
#define NFT_TYPE_IP6ADDR 8
#define NFT_TYPE_INET_SERVICE 13
#define NFT_TYPE_UID 24
#define CONCAT3(a, b, c) ((((a) << 6 | (b)) << 6) | (c))

#define CT_INVALID 1u
#define CT_ESTABLISHED_RELATED 6u

int fw_in_segments(const struct fw_policy *p, const uint8_t addr[16])
{
	for (unsigned i = 0; i < p->nsegments; i++)
		if (addr_cidr_contains(&p->segments[i], addr))
			return 1;
	return 0;
}

/* ---- one batch being built ---- */
struct builder {
	struct mnl_nlmsg_batch *b;
	uint32_t seq;
	unsigned nmsgs;
	int oom;
};

static struct nlmsghdr *msg(struct builder *bd, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bd->b), type, NFPROTO_INET,
						     flags | NLM_F_ACK, bd->seq++);
	bd->nmsgs++;
	return nlh;
}

static void next(struct builder *bd)
{
	if (!mnl_nlmsg_batch_next(bd->b))
		bd->oom = 1;
}

static struct nftnl_rule *rule(const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	if (!r)
		abort();
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, FW_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	return r;
}

static struct nftnl_expr *expr(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);
	if (!e)
		abort();
	nftnl_rule_add_expr(r, e);
	return e;
}

static void commit(struct builder *bd, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = msg(bd, NFT_MSG_NEWRULE, NLM_F_APPEND | NLM_F_CREATE);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	next(bd);
}

static void load_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = expr(r, "meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
}

static void load_payload(struct nftnl_rule *r, uint32_t base, uint32_t off, uint32_t len, uint32_t dreg)
{
	struct nftnl_expr *e = expr(r, "payload");
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
}

static void cmp(struct nftnl_rule *r, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr(r, "cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
}

static void match_u8_meta(struct nftnl_rule *r, uint32_t key, uint8_t v)
{
	load_meta(r, key, NFT_REG_1);
	cmp(r, NFT_CMP_EQ, &v, 1);
}

static void match_family(struct nftnl_rule *r, int v4)
{
	match_u8_meta(r, NFT_META_NFPROTO, v4 ? NFPROTO_IPV4 : NFPROTO_IPV6);
}

static void match_l4(struct nftnl_rule *r, uint8_t proto)
{
	match_u8_meta(r, NFT_META_L4PROTO, proto);
}

static void match_port(struct nftnl_rule *r, int dst, unsigned port)
{
	uint16_t be = htons((uint16_t)port);
	load_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, dst ? 2 : 0, 2, NFT_REG_1);
	cmp(r, NFT_CMP_EQ, &be, 2);
}

static void match_ifindex(struct nftnl_rule *r, uint32_t key, uint32_t index)
{
	load_meta(r, key, NFT_REG_1);
	cmp(r, NFT_CMP_EQ, &index, 4);
}

static void match_ifname(struct nftnl_rule *r, uint32_t key, const char *name)
{
	char padded[16] = { 0 };
	memcpy(padded, name, strnlen(name, sizeof padded - 1));
	load_meta(r, key, NFT_REG_1);
	cmp(r, NFT_CMP_EQ, padded, sizeof padded);
}

/* the local socket's owner (fsuid) */
static void match_skuid(struct nftnl_rule *r, uint32_t uid)
{
	load_meta(r, NFT_META_SKUID, NFT_REG_1);
	cmp(r, NFT_CMP_EQ, &uid, 4);
}

static void match_ct_state(struct nftnl_rule *r, uint32_t mask)
{
	uint32_t zero = 0;
	struct nftnl_expr *e = expr(r, "ct");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	e = expr(r, "bitwise");
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &mask, 4);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, 4);
	cmp(r, NFT_CMP_NEQ, &zero, 4);
}

/* the family match included; dst: destination (else source) address */
static void match_addr(struct nftnl_rule *r, int dst, const uint8_t a[16], unsigned prefix)
{
	int v4 = addr_is_v4(a);
	/* the packet holds an IPv4 address as its last 4 bytes in our form */
	uint32_t len = v4 ? 4 : 16, skip = 16 - len;
	uint8_t mask[16], net[16];

	match_family(r, v4);
	load_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v4 ? (dst ? 16 : 12) : (dst ? 24 : 8), len, NFT_REG_1);
	addr_prefix_mask(prefix, mask);
	for (unsigned i = 0; i < 16; i++)
		net[i] = a[i] & mask[i];
	if (prefix < 128) {
		uint8_t zero[16] = { 0 };
		struct nftnl_expr *e = expr(r, "bitwise");
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask + skip, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	}
	cmp(r, NFT_CMP_EQ, net + skip, len);
}

static void verdict(struct nftnl_rule *r, int v, const char *chain)
{
	struct nftnl_expr *e = expr(r, "immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
}

static void counter(struct nftnl_rule *r)
{
	expr(r, "counter");
}

/* ---- the policy ---- */
static void add_chain(struct builder *bd, const char *name, int hook, int policy)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	if (!c)
		abort();
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, FW_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, (uint32_t)policy);
	}
	nftnl_chain_nlmsg_build_payload(msg(bd, NFT_MSG_NEWCHAIN, NLM_F_CREATE), c);
	nftnl_chain_free(c);
	next(bd);
}

static void add_pin_set(struct builder *bd, const char *name, int v4, uint32_t id)
{
	struct nftnl_set *s = nftnl_set_alloc();
	if (!s)
		abort();
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, FW_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_TIMEOUT);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, v4 ? 12 : 24);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, CONCAT3(v4 ? NFT_TYPE_IPADDR : NFT_TYPE_IP6ADDR,
							NFT_TYPE_INET_SERVICE, NFT_TYPE_UID));
	nftnl_set_nlmsg_build_payload(msg(bd, NFT_MSG_NEWSET, NLM_F_CREATE), s);
	nftnl_set_free(s);
	next(bd);
}

static void table_msg(struct builder *bd, uint16_t type)
{
	struct nftnl_table *t = nftnl_table_alloc();
	if (!t)
		abort();
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, FW_TABLE);
	nftnl_table_nlmsg_build_payload(msg(bd, type, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0), t);
	nftnl_table_free(t);
	next(bd);
}

static void accept_icmp(struct builder *bd, const char *chain, int v4, const uint8_t *types, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct nftnl_rule *r = rule(chain);
		match_family(r, v4);
		match_l4(r, v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
		load_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1);
		cmp(r, NFT_CMP_EQ, &types[i], 1);
		verdict(r, NF_ACCEPT, NULL);
		commit(bd, r);
	}
}

static void common_head(struct builder *bd, const char *chain, uint32_t lo_key)
{
	struct nftnl_rule *r = rule(chain);
	match_ifindex(r, lo_key, 1); /* lo is ifindex 1 in every network namespace */
	verdict(r, NF_ACCEPT, NULL);
	commit(bd, r);
	r = rule(chain);
	match_ct_state(r, CT_ESTABLISHED_RELATED);
	verdict(r, NF_ACCEPT, NULL);
	commit(bd, r);
}

static void drop_invalid(struct builder *bd, const char *chain)
{
	struct nftnl_rule *r = rule(chain);
	match_ct_state(r, CT_INVALID);
	counter(r);
	verdict(r, NF_DROP, NULL);
	commit(bd, r);
}

static void counted_drop(struct builder *bd, const char *chain)
{
	struct nftnl_rule *r = rule(chain);
	counter(r);
	verdict(r, NF_DROP, NULL);
	commit(bd, r);
}

static void accept_to(struct builder *bd, const uint8_t addr[16], uint8_t proto, unsigned port, uint32_t uid)
{
	struct nftnl_rule *r = rule("output");
	match_addr(r, 1, addr, 128);
	match_l4(r, proto);
	match_port(r, 1, port);
	match_skuid(r, uid);
	verdict(r, NF_ACCEPT, NULL);
	commit(bd, r);
}

/* daddr . tcp dport . socket uid in the pinhole set: the flow marked with
 * the uid, then the segment check */
static void pinhole_rule(struct builder *bd, int v4)
{
	struct nftnl_rule *r = rule("output");
	struct nftnl_expr *e;
	match_family(r, v4);
	match_l4(r, IPPROTO_TCP);
	load_payload(r, NFT_PAYLOAD_NETWORK_HEADER, v4 ? 16 : 24, v4 ? 4 : 16, NFT_REG_1);
	load_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, v4 ? NFT_REG32_01 : NFT_REG32_04);
	load_meta(r, NFT_META_SKUID, v4 ? NFT_REG32_02 : NFT_REG32_05);
	e = expr(r, "lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, v4 ? "pin4" : "pin6");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, v4 ? 1 : 2);
	/* the flow carries its uid (ct mark): a revoked pinhole's flows are
	 * found and cut by it (fw_ctflush.h) */
	e = expr(r, "ct");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_MARK);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, v4 ? NFT_REG32_02 : NFT_REG32_05);
	verdict(r, NFT_JUMP, "segments");
	commit(bd, r);
}

static void build(struct builder *bd, const struct fw_policy *p)
{
	static const uint8_t icmp4_in[] = { 3, 8, 11, 12 }, icmp4_out[] = { 3, 11, 12 };
	static const uint8_t icmp6_in[] = { 1, 2, 3, 4, 128, 133, 134, 135, 136 };
	static const uint8_t icmp6_out[] = { 1, 2, 3, 4, 133, 135, 136, 143 };
	struct nftnl_rule *r;

	table_msg(bd, NFT_MSG_NEWTABLE); /* exists afterwards, so the delete cannot fail */
	table_msg(bd, NFT_MSG_DELTABLE);
	table_msg(bd, NFT_MSG_NEWTABLE);
	add_pin_set(bd, "pin4", 1, 1);
	add_pin_set(bd, "pin6", 0, 2);
	add_chain(bd, "input", NF_INET_LOCAL_IN, NF_DROP);
	add_chain(bd, "output", NF_INET_LOCAL_OUT, NF_DROP);
	add_chain(bd, "forward", NF_INET_FORWARD, NF_DROP);
	add_chain(bd, "segments", -1, 0);

	common_head(bd, "input", NFT_META_IIF);
	accept_icmp(bd, "input", 1, icmp4_in, sizeof icmp4_in);
	accept_icmp(bd, "input", 0, icmp6_in, sizeof icmp6_in);
	drop_invalid(bd, "input");
	r = rule("input");
	match_ifname(r, NFT_META_IIFNAME, p->ifname);
	match_l4(r, IPPROTO_TCP);
	match_port(r, 1, p->ssh_port);
	verdict(r, NF_ACCEPT, NULL);
	commit(bd, r);
	if (p->dhcp) {
		r = rule("input");
		match_l4(r, IPPROTO_UDP);
		match_port(r, 0, 67);
		match_port(r, 1, 68);
		verdict(r, NF_ACCEPT, NULL);
		commit(bd, r);
	}
	counted_drop(bd, "input");

	common_head(bd, "output", NFT_META_OIF);
	accept_icmp(bd, "output", 1, icmp4_out, sizeof icmp4_out);
	accept_icmp(bd, "output", 0, icmp6_out, sizeof icmp6_out);
	drop_invalid(bd, "output");
	if (p->dhcp) {
		r = rule("output");
		match_ifname(r, NFT_META_OIFNAME, p->ifname);
		match_l4(r, IPPROTO_UDP);
		match_port(r, 0, 68);
		match_port(r, 1, 67);
		match_skuid(r, p->dhcp_uid);
		verdict(r, NF_ACCEPT, NULL);
		commit(bd, r);
	}
	/* no DNS: the box resolves no names (targets and the collector are addresses) */
	if (p->have_collector)
		accept_to(bd, p->collector, IPPROTO_TCP, p->collector_port, p->collector_uid);
	pinhole_rule(bd, 1);
	pinhole_rule(bd, 0);
	r = rule("output");
	{
		struct nftnl_expr *e = expr(r, "limit");
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, 10);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, 1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, 20);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
		e = expr(r, "log");
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, FW_LOG_GROUP);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, 128);
	}
	commit(bd, r);
	/* rejected, not silently dropped: the local program (and so the user's
	 * ssh -J) fails at once with "administratively prohibited" */
	r = rule("output");
	counter(r);
	{
		struct nftnl_expr *e = expr(r, "reject");
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMPX_UNREACH);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, NFT_REJECT_ICMPX_ADMIN_PROHIBITED);
	}
	commit(bd, r);

	counted_drop(bd, "forward");

	for (unsigned i = 0; i < p->nsegments; i++) {
		r = rule("segments");
		match_addr(r, 1, p->segments[i].addr, p->segments[i].prefix);
		verdict(r, NF_ACCEPT, NULL);
		commit(bd, r);
	}
}

int fw_batch_send(void *nl_, void *batch, unsigned nmsgs, char *err, size_t errlen)
{
	struct mnl_socket *nl = nl_;
	struct mnl_nlmsg_batch *b = batch;
	static char buf[1 << 16];
	unsigned answered = 0;
	int failed = 0;
	int fd = mnl_socket_get_fd(nl);
	/* the kernel queues every answer while it takes the batch: room for
	 * them all (CAP_NET_ADMIN may force it past rmem_max), and nothing
	 * left over from an earlier request that timed out */
	int room = (int)(nmsgs * 1024u + 65536u);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &room, sizeof room);
	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		;
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0) {
		snprintf(err, errlen, "netlink send: %s", strerror(errno));
		return -1;
	}
	/* every message carries NLM_F_ACK, so each gets one answer: an ack
	 * (error 0) or its error; one error and the kernel applied nothing */
	while (answered < nmsgs) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
		if (n < 0) {
			snprintf(err, errlen, "netlink receive: %s", strerror(errno));
			return -1;
		}
		int len = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			answered++;
			if (e->error < 0 && !failed) {
				failed = 1;
				snprintf(err, errlen, "nftables refused the change: %s", strerror(-e->error));
			}
		}
		if (failed) {
			/* the kernel queued every answer while it took the batch:
			 * drain them so the next request starts clean */
			while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
				;
			return -1;
		}
	}
	return 0;
}

int fw_ruleset_load(void *nl, const struct fw_policy *p, char *err, size_t errlen)
{
	static char buf[1 << 20];
	struct builder bd = { .seq = (uint32_t)time(NULL) };
	int rc;

	if (p->ssh_port == 0 || p->ssh_port > 65535 || !p->ifname[0]) {
		snprintf(err, errlen, "policy without an SSH interface and port");
		return -1;
	}
	bd.b = mnl_nlmsg_batch_start(buf, sizeof buf / 2); /* room for the message past the limit */
	nftnl_batch_begin(mnl_nlmsg_batch_current(bd.b), bd.seq++);
	mnl_nlmsg_batch_next(bd.b);
	build(&bd, p);
	nftnl_batch_end(mnl_nlmsg_batch_current(bd.b), bd.seq++);
	mnl_nlmsg_batch_next(bd.b);
	if (bd.oom) {
		mnl_nlmsg_batch_stop(bd.b);
		snprintf(err, errlen, "ruleset larger than the batch buffer");
		return -1;
	}
	rc = fw_batch_send(nl, bd.b, bd.nmsgs, err, errlen);
	mnl_nlmsg_batch_stop(bd.b);
	return rc;
}
