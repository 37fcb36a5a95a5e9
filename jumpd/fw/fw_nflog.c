/* fw_nflog: see fw_nflog.h. Netlink attributes are walked by hand (no
 * library) so the parser can be fuzzed on its own. */
#include "fw_nflog.h"
#include "../common/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ALIGN4(n) (((n) + 3u) & ~3u)

static int config(int fd, unsigned group, uint16_t type, const void *attr, uint16_t alen, uint16_t family)
{
	uint8_t buf[64] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nfgenmsg *g = (struct nfgenmsg *)(buf + NLMSG_HDRLEN);
	struct nlattr *a = (struct nlattr *)(buf + NLMSG_HDRLEN + ALIGN4(sizeof *g));
	h->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + ALIGN4(sizeof *g) + ALIGN4(NLA_HDRLEN + alen));
	h->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = htons((uint16_t)group);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + alen);
	memcpy((uint8_t *)a + NLA_HDRLEN, attr, alen);
	if (send(fd, buf, h->nlmsg_len, 0) < 0)
		return -1;
	uint8_t rep[256];
	ssize_t n = recv(fd, rep, sizeof rep, 0);
	if (n < (ssize_t)(NLMSG_HDRLEN + sizeof(struct nlmsgerr)))
		return -1;
	const struct nlmsghdr *rh = (const struct nlmsghdr *)rep;
	if (rh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)(rep + NLMSG_HDRLEN);
		if (e->error) {
			errno = -e->error;
			return -1;
		}
	}
	return 0;
}

int fw_nflog_open(unsigned group, unsigned snaplen, char *err, size_t errlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nfulnl_msg_config_cmd cmd = { .command = NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = { .copy_range = htonl(snaplen), .copy_mode = NFULNL_COPY_PACKET };
	/* one packet per message, sent at once: the kernel otherwise holds up to
	 * 100 for a second, and a helper stopped in that second loses them (the
	 * log rule is rate-limited, so this costs nothing) */
	uint32_t qthresh = htonl(1);
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv)) {
		snprintf(err, errlen, "nflog socket: %s", strerror(errno));
		goto fail;
	}
	/* the kernel adds the sending socket's uid (NFULA_UID) by itself */
	if (config(fd, group, NFULA_CFG_CMD, &cmd, sizeof cmd, AF_UNSPEC) ||
	    config(fd, group, NFULA_CFG_MODE, &mode, sizeof mode, AF_UNSPEC) ||
	    config(fd, group, NFULA_CFG_QTHRESH, &qthresh, sizeof qthresh, AF_UNSPEC)) {
		snprintf(err, errlen, "nflog group %u: %s", group, strerror(errno));
		goto fail;
	}
	tv.tv_sec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int parse_packet(const uint8_t *p, size_t len, struct fw_blocked *out)
{
	size_t l4;

	if (len < 1)
		return -1;
	if (p[0] >> 4 == 4) {
		if (len < 20 || (p[0] & 15) < 5)
			return -1;
		l4 = (size_t)(p[0] & 15) * 4;
		out->proto = p[9];
		addr_from_v4(out->daddr, p + 16);
		if ((p[6] & 0x1f) | p[7]) /* a later fragment: no ports in it */
			l4 = len;
	} else if (p[0] >> 4 == 6) {
		if (len < 40)
			return -1;
		l4 = 40;
		out->proto = p[6]; /* extension headers: reported as that protocol, no port */
		memcpy(out->daddr, p + 24, 16);
	} else {
		return -1;
	}
	out->dport = 0;
	if ((out->proto == IPPROTO_TCP || out->proto == IPPROTO_UDP) && len >= l4 + 4)
		out->dport = (unsigned)p[l4 + 2] << 8 | p[l4 + 3];
	return 1;
}

int fw_nflog_parse(const uint8_t *msg, size_t len, struct fw_blocked *out)
{
	const struct nlmsghdr *h = (const void *)msg;
	size_t off = NLMSG_HDRLEN + ALIGN4(sizeof(struct nfgenmsg));
	const uint8_t *payload = NULL;
	size_t plen = 0;

	if (len < NLMSG_HDRLEN || h->nlmsg_len > len || h->nlmsg_len < NLMSG_HDRLEN)
		return -1;
	if (h->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
		return 0;
	len = h->nlmsg_len;
	if (len < off)
		return -1;
	memset(out, 0, sizeof *out);
	while (off < len) {
		struct nlattr a;
		if (len - off < NLA_HDRLEN)
			return -1;
		memcpy(&a, msg + off, sizeof a);
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len - off)
			return -1;
		const uint8_t *v = msg + off + NLA_HDRLEN;
		size_t vlen = a.nla_len - NLA_HDRLEN;
		switch (a.nla_type & NLA_TYPE_MASK) {
		case NFULA_PAYLOAD:
			payload = v;
			plen = vlen;
			break;
		case NFULA_UID:
			if (vlen != 4)
				return -1;
			out->has_uid = 1;
			out->uid = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
			break;
		}
		off += ALIGN4(a.nla_len);
	}
	if (!payload)
		return -1;
	return parse_packet(payload, plen, out);
}
