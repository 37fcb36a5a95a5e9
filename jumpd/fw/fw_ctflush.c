/* fw_ctflush: see fw_ctflush.h. */
#include "fw_ctflush.h"
#include "../common/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* the tuple-filter flags of a ctnetlink flush (the kernel's
 * net/netfilter/nf_internals.h, not in the uapi headers) */
#define CT_FILTER_IP_DST (1u << 1)
#define CT_FILTER_PROTO_NUM (1u << 3)
#define CT_FILTER_PROTO_DST_PORT (1u << 5)

int fw_ct_flush(void *nl_, uint32_t uid, const uint8_t addr[16], unsigned port, char *err, size_t errlen)
{
	struct mnl_socket *nl = nl_;
	static char buf[1 << 14];
	int v4 = addr_is_v4(addr), fd = mnl_socket_get_fd(nl);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = seq;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(h, sizeof *g);
	g->nfgen_family = v4 ? AF_INET : AF_INET6;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	struct nlattr *tuple = mnl_attr_nest_start(h, CTA_TUPLE_ORIG);
	struct nlattr *ip = mnl_attr_nest_start(h, CTA_TUPLE_IP);
	if (v4)
		mnl_attr_put(h, CTA_IP_V4_DST, 4, addr + 12);
	else
		mnl_attr_put(h, CTA_IP_V6_DST, 16, addr);
	mnl_attr_nest_end(h, ip);
	struct nlattr *proto = mnl_attr_nest_start(h, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(h, CTA_PROTO_NUM, IPPROTO_TCP);
	mnl_attr_put_u16(h, CTA_PROTO_DST_PORT, htons((uint16_t)port));
	mnl_attr_nest_end(h, proto);
	mnl_attr_nest_end(h, tuple);
	mnl_attr_put_u32(h, CTA_MARK, htonl(uid));
	mnl_attr_put_u32(h, CTA_MARK_MASK, htonl(0xffffffffu));
	struct nlattr *filter = mnl_attr_nest_start(h, CTA_FILTER);
	mnl_attr_put_u32(h, CTA_FILTER_ORIG_FLAGS, CT_FILTER_IP_DST | CT_FILTER_PROTO_NUM | CT_FILTER_PROTO_DST_PORT);
	mnl_attr_nest_end(h, filter);

	while (recv(fd, buf + h->nlmsg_len, sizeof buf - h->nlmsg_len, MSG_DONTWAIT) > 0)
		; /* nothing left over from an earlier request that timed out */
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0) {
		snprintf(err, errlen, "conntrack flush: netlink send: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
		if (n < 0) {
			snprintf(err, errlen, "conntrack flush: netlink receive: %s", strerror(errno));
			return -1;
		}
		int rc = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), NULL, NULL);
		if (rc == MNL_CB_STOP)
			return 0; /* the ack (error 0) */
		if (rc == MNL_CB_ERROR && errno != ESRCH) { /* ESRCH: an earlier request's late answer */
			snprintf(err, errlen, "conntrack flush refused: %s", strerror(errno));
			return -1;
		}
	}
}
