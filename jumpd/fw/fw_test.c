/* Unit tests for jumpd/fw: the pinhole key layout, the nflog parser on
 * hand-built messages, and (as root, in a network namespace of its own)
 * the policy and pinholes against the running kernel, read back with nft,
 * and the conntrack flush of a revoked pinhole against entries made over
 * ctnetlink. */
#include "fw_ctflush.h"
#include "fw_nflog.h"
#include "fw_pinhole.h"
#include "fw_ruleset.h"
#include "../common/unittest.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <netinet/in.h>
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t v4_10_89_2_10[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 89, 2, 10 };

static void test_pin_key_layout(void)
{
	uint8_t k[24], v6[16] = { 0xfd, 0x89, 0, 2 };
	uint32_t uid = 2001;
	CHECK(fw_pin_key(k, uid, v4_10_89_2_10, 22) == 12);
	CHECK(!memcmp(k, "\x0a\x59\x02\x0a\x00\x16\x00\x00", 8) && !memcmp(k + 8, &uid, 4));
	CHECK(fw_pin_key(k, uid, v6, 2222) == 24);
	CHECK(!memcmp(k, v6, 16) && k[16] == 0x08 && k[17] == 0xae && !memcmp(k + 20, &uid, 4));
}

/* pinholes only for the configured users' uids (2000 + index) and the recorder's */
static void test_pin_uid_bound(void)
{
	/* 3 users: 2000, 2001, 2002 */
	CHECK(fw_pin_uid_ok(2000, 3, 0) && fw_pin_uid_ok(2001, 3, 0) && fw_pin_uid_ok(2002, 3, 0));
	CHECK(!fw_pin_uid_ok(2003, 3, 0) && !fw_pin_uid_ok(65534, 3, 0) && !fw_pin_uid_ok(0xfffffffeu, 3, 0));
	CHECK(!fw_pin_uid_ok(0, 3, 0) && !fw_pin_uid_ok(104, 3, 0) && !fw_pin_uid_ok(1999, 3, 0));
	/* none configured: none; the most a config holds: 2000..2063 */
	CHECK(!fw_pin_uid_ok(2000, 0, 0));
	CHECK(fw_pin_uid_ok(2063, 64, 0) && !fw_pin_uid_ok(2064, 64, 0) && !fw_pin_uid_ok(65534, 64, 0));
	/* the recorder's uid (-e), and only that service's */
	CHECK(fw_pin_uid_ok(106, 3, 106) && fw_pin_uid_ok(106, 0, 106) && fw_pin_uid_ok(2000, 3, 106));
	CHECK(!fw_pin_uid_ok(105, 3, 106) && !fw_pin_uid_ok(0, 3, 106) && !fw_pin_uid_ok(106, 3, 0));
}

/* one NFULNL_MSG_PACKET message with optional uid and a packet payload */
static size_t nflog_msg(uint8_t *buf, const uint8_t *pkt, size_t plen, int with_uid)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	size_t off = NLMSG_HDRLEN + 4; /* nfgenmsg */
	memset(buf, 0, 512);
	h->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
	if (with_uid) {
		struct nlattr *a = (struct nlattr *)(buf + off);
		uint32_t be = htonl(2001);
		a->nla_type = NFULA_UID;
		a->nla_len = 8;
		memcpy(buf + off + 4, &be, 4);
		off += 8;
	}
	struct nlattr *a = (struct nlattr *)(buf + off);
	a->nla_type = NFULA_PAYLOAD;
	a->nla_len = (uint16_t)(4 + plen);
	memcpy(buf + off + 4, pkt, plen);
	off += (4 + plen + 3) & ~3u;
	h->nlmsg_len = (uint32_t)off;
	return off;
}

static void test_nflog_parse(void)
{
	uint8_t buf[512], pkt[40] = { 0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 89, 2, 1, 10, 89, 2, 10,
				      0xc3, 0x50, 0x00, 0x16 };
	struct fw_blocked b;
	size_t n = nflog_msg(buf, pkt, sizeof pkt, 1);
	CHECK(fw_nflog_parse(buf, n, &b) == 1);
	CHECK(b.has_uid && b.uid == 2001 && b.proto == 6 && b.dport == 22 && !memcmp(b.daddr, v4_10_89_2_10, 16));
	n = nflog_msg(buf, pkt, sizeof pkt, 0);
	CHECK(fw_nflog_parse(buf, n, &b) == 1 && !b.has_uid);
	CHECK(fw_nflog_parse(buf, n - 8, &b) == -1);      /* cut inside the payload attribute */
	CHECK(fw_nflog_parse(buf, 10, &b) == -1);          /* shorter than a header */
	pkt[7] = 1;                                        /* a later fragment: no port */
	n = nflog_msg(buf, pkt, sizeof pkt, 1);
	CHECK(fw_nflog_parse(buf, n, &b) == 1 && b.dport == 0);
	n = nflog_msg(buf, pkt, 12, 1);                    /* truncated IPv4 header */
	CHECK(fw_nflog_parse(buf, n, &b) == -1);
	((struct nlmsghdr *)buf)->nlmsg_type = NLMSG_ERROR;
	CHECK(fw_nflog_parse(buf, n, &b) == 0);
}

static int nft_shows(const char *what, const char *needle)
{
	char cmd[256], line[512];
	int found = 0;
	snprintf(cmd, sizeof cmd, "nft list %s 2>&1", what);
	FILE *p = popen(cmd, "r"); /* NOLINT(cert-env33-c): the test reads the kernel state back with the real nft */
	if (!p)
		return -1;
	while (fgets(line, sizeof line, p))
		if (strstr(line, needle))
			found = 1;
	pclose(p);
	return found;
}

/* a conntrack entry 10.89.2.1:sport -> 10.89.2.10:dport over TCP, made
 * (new) or looked up (get) over ctnetlink; returns the kernel's answer */
static int ct_request(struct mnl_socket *nl, int type, unsigned sport, unsigned dport, uint32_t mark)
{
	static char buf[8192];
	static uint32_t seq;
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | (uint16_t)type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (type == IPCTNL_MSG_CT_NEW ? NLM_F_CREATE | NLM_F_EXCL : 0);
	h->nlmsg_seq = ++seq + (uint32_t)time(NULL);
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(h, sizeof *g);
	g->nfgen_family = AF_INET;
	uint8_t a[4] = { 10, 89, 2, 1 }, b[4] = { 10, 89, 2, 10 };
	for (int dir = 0; dir < (type == IPCTNL_MSG_CT_NEW ? 2 : 1); dir++) {
		struct nlattr *t = mnl_attr_nest_start(h, dir ? CTA_TUPLE_REPLY : CTA_TUPLE_ORIG);
		struct nlattr *ip = mnl_attr_nest_start(h, CTA_TUPLE_IP);
		mnl_attr_put(h, CTA_IP_V4_SRC, 4, dir ? b : a);
		mnl_attr_put(h, CTA_IP_V4_DST, 4, dir ? a : b);
		mnl_attr_nest_end(h, ip);
		struct nlattr *pr = mnl_attr_nest_start(h, CTA_TUPLE_PROTO);
		mnl_attr_put_u8(h, CTA_PROTO_NUM, IPPROTO_TCP);
		mnl_attr_put_u16(h, CTA_PROTO_SRC_PORT, htons((uint16_t)(dir ? dport : sport)));
		mnl_attr_put_u16(h, CTA_PROTO_DST_PORT, htons((uint16_t)(dir ? sport : dport)));
		mnl_attr_nest_end(h, pr);
		mnl_attr_nest_end(h, t);
	}
	if (type == IPCTNL_MSG_CT_NEW) {
		mnl_attr_put_u32(h, CTA_TIMEOUT, htonl(600));
		mnl_attr_put_u32(h, CTA_MARK, htonl(mark));
	}
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
		if (n < 0)
			return -1;
		int rc = mnl_cb_run(buf, (size_t)n, h->nlmsg_seq, mnl_socket_get_portid(nl), NULL, NULL);
		if (rc <= MNL_CB_STOP)
			return rc;
	}
}

static int ct_exists(struct mnl_socket *nl, unsigned sport, unsigned dport)
{
	return ct_request(nl, IPCTNL_MSG_CT_GET, sport, dport, 0) >= 0;
}

/* a revoked pinhole cuts only its own flows: its uid's mark, its address and port */
static void test_ct_flush_in_kernel(struct mnl_socket *nl)
{
	char err[256];
	CHECK(ct_request(nl, IPCTNL_MSG_CT_NEW, 40001, 22, 2001) >= 0); /* the pinhole's flow */
	CHECK(ct_request(nl, IPCTNL_MSG_CT_NEW, 40002, 22, 2001) >= 0); /* another of them */
	CHECK(ct_request(nl, IPCTNL_MSG_CT_NEW, 40003, 22, 2002) >= 0); /* another uid's */
	CHECK(ct_request(nl, IPCTNL_MSG_CT_NEW, 40004, 23, 2001) >= 0); /* another port's */
	CHECK(ct_exists(nl, 40001, 22) && ct_exists(nl, 40003, 22) && ct_exists(nl, 40004, 23));
	CHECK(fw_ct_flush(nl, 2001, v4_10_89_2_10, 22, err, sizeof err) == 0);
	CHECK(!ct_exists(nl, 40001, 22) && !ct_exists(nl, 40002, 22));
	CHECK(ct_exists(nl, 40003, 22) && ct_exists(nl, 40004, 23));
	CHECK(fw_ct_flush(nl, 2001, v4_10_89_2_10, 22, err, sizeof err) == 0); /* none left: fine */
}

/* Another netlink socket takes the table: NFT_TABLE_F_OWNER, with one chain
 * of its own ("held"). The kernel keeps it while that socket is open and
 * refuses every change to it from any other socket (EPERM). Returns the
 * owner's socket, or NULL. */
static struct mnl_socket *hold_table(void)
{
	static char buf[8192];
	char err[256];
	uint32_t seq = 1;
	unsigned nmsgs = 0;
	struct mnl_socket *owner = mnl_socket_open(NETLINK_NETFILTER);
	if (!owner || mnl_socket_bind(owner, 0, MNL_SOCKET_AUTOPID))
		return NULL;
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof buf);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, FW_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, NFT_TABLE_F_OWNER);
	nftnl_table_nlmsg_build_payload(nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWTABLE, NFPROTO_INET,
							      NLM_F_CREATE | NLM_F_ACK, seq++), t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(b);
	nmsgs++;
	struct nftnl_chain *c = nftnl_chain_alloc();
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, FW_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, "held");
	nftnl_chain_nlmsg_build_payload(nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWCHAIN, NFPROTO_INET,
							      NLM_F_CREATE | NLM_F_ACK, seq++), c);
	nftnl_chain_free(c);
	mnl_nlmsg_batch_next(b);
	nmsgs++;
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	int rc = fw_batch_send(owner, b, nmsgs, err, sizeof err);
	mnl_nlmsg_batch_stop(b);
	if (rc) {
		fprintf(stderr, "hold_table: %s\n", err);
		mnl_socket_close(owner);
		return NULL;
	}
	return owner;
}

/* A batch the kernel itself refuses: the whole policy load fails with the
 * kernel's reason, and the table is as it was before (none of the load's
 * chains, the other socket's chain still there). Once that socket is gone
 * the same load goes in (the positive control). */
static void test_kernel_refusal_changes_nothing(struct mnl_socket *nl, const struct fw_policy *p)
{
	char err[256] = "";
	CHECK(system("nft delete table inet " FW_TABLE) == 0); /* NOLINT(cert-env33-c): the real nft */
	struct mnl_socket *owner = hold_table();
	CHECK(owner != NULL);
	CHECK(nft_shows("table inet " FW_TABLE, "chain held") == 1);
	CHECK(fw_ruleset_load(nl, p, err, sizeof err) == -1);
	CHECK(strstr(err, "nftables refused the change") && strstr(err, strerror(EPERM)));
	CHECK(nft_shows("table inet " FW_TABLE, "chain held") == 1);
	CHECK(nft_shows("table inet " FW_TABLE, "chain input") == 0);
	CHECK(nft_shows("table inet " FW_TABLE, "chain output") == 0);
	CHECK(nft_shows("table inet " FW_TABLE, "pin4") == 0);
	if (owner)
		mnl_socket_close(owner); /* the kernel drops the table with its owner */
	CHECK(fw_ruleset_load(nl, p, err, sizeof err) == 0);
	CHECK(nft_shows("chain inet " FW_TABLE " input", "tcp dport 2222 accept") == 1);
	CHECK(nft_shows("table inet " FW_TABLE, "chain held") == 0);
}

static void test_policy_and_pinholes_in_kernel(void)
{
	struct fw_policy p = { .ifname = "eth9", .ssh_port = 2222 };
	char err[256];
	uint8_t outside[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 1, 1 };
	if (geteuid() != 0 || unshare(CLONE_NEWNET)) {
		CHECK(!"needs root and a network namespace of its own");
		return;
	}
	p.segments[0] = (struct addr_cidr){ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 89, 2, 0 }, 96 + 24 };
	p.nsegments = 1;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	CHECK(nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0);
	CHECK(fw_ruleset_load(nl, &p, err, sizeof err) == 0);
	CHECK(nft_shows("chain inet jumpbox input", "iifname \"eth9\" tcp dport 2222 accept") == 1);
	CHECK(nft_shows("chain inet jumpbox segments", "ip daddr 10.89.2.0/24 accept") == 1);
	CHECK(nft_shows("chain inet jumpbox output", "policy drop") == 1);
	CHECK(fw_in_segments(&p, v4_10_89_2_10) && !fw_in_segments(&p, outside));
	CHECK(fw_pin_open(nl, 2001, v4_10_89_2_10, 22, 60000, err, sizeof err) == 0);
	CHECK(fw_pin_open(nl, 2001, v4_10_89_2_10, 22, 60000, err, sizeof err) == 0); /* refresh */
	CHECK(nft_shows("set inet jumpbox pin4", "10.89.2.10 . 22 . 2001") == 1);
	CHECK(nft_shows("chain inet jumpbox output", "ct mark set meta skuid jump segments") == 1);
	test_ct_flush_in_kernel(nl);
	CHECK(fw_pin_close(nl, 2001, v4_10_89_2_10, 22, err, sizeof err) == 0);
	CHECK(fw_pin_close(nl, 2001, v4_10_89_2_10, 22, err, sizeof err) == 0); /* already gone: fine */
	CHECK(nft_shows("set inet jumpbox pin4", "10.89.2.10") == 0);
	CHECK(fw_pin_open(nl, 2002, v4_10_89_2_10, 23, 60000, err, sizeof err) == 0);
	CHECK(fw_ruleset_load(nl, &p, err, sizeof err) == 0); /* a reload drops every pinhole */
	CHECK(nft_shows("set inet jumpbox pin4", "10.89.2.10") == 0);
	CHECK(fw_pin_open(nl, 2002, v4_10_89_2_10, 23, 60000, err, sizeof err) == 0);
	CHECK(fw_pin_flush(nl, err, sizeof err) == 0);
	CHECK(nft_shows("set inet jumpbox pin4", "10.89.2.10") == 0);
	/* the largest policy the config allows loads whole (every answer fits) */
	struct fw_policy big = p;
	big.nsegments = FW_MAX_CIDRS;
	for (unsigned i = 0; i < FW_MAX_CIDRS; i++) {
		big.segments[i] = (struct addr_cidr){ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, (uint8_t)(i >> 8), (uint8_t)i, 0 },
						    96 + 24 };
	}
	CHECK(fw_ruleset_load(nl, &big, err, sizeof err) == 0);
	CHECK(nft_shows("chain inet jumpbox segments", "ip daddr 10.1.255.0/24 accept") == 1);
	/* the collector and DHCP rules name the one uid allowed each */
	p.have_collector = 1;
	memcpy(p.collector, v4_10_89_2_10, 16);
	p.collector_port = 6514;
	p.collector_uid = 105;
	p.dhcp = 1;
	p.dhcp_uid = 101;
	CHECK(fw_ruleset_load(nl, &p, err, sizeof err) == 0);
	CHECK(nft_shows("chain inet jumpbox output", "ip daddr 10.89.2.10 tcp dport 6514 meta skuid 105 accept") == 1);
	CHECK(nft_shows("chain inet jumpbox output", "oifname \"eth9\" udp sport 68 udp dport 67 meta skuid 101 accept") == 1);
	/* a policy without SSH is refused before it reaches the kernel, and says why */
	p.ssh_port = 0;
	CHECK(fw_ruleset_load(nl, &p, err, sizeof err) == -1 && strstr(err, "SSH"));
	p.ssh_port = 2222;
	test_kernel_refusal_changes_nothing(nl, &p);
	if (nl)
		mnl_socket_close(nl);
}

int main(void)
{
	RUN(test_pin_key_layout);
	RUN(test_pin_uid_bound);
	RUN(test_nflog_parse);
	RUN(test_policy_and_pinholes_in_kernel);
	UT_END();
}
