/* fw_nflog: the blocked-egress feed. The output chain's last rule logs
 * dropped packets (rate-limited in the kernel) to nflog group FW_LOG_GROUP;
 * this module subscribes to that group and turns each logged packet into a
 * struct fw_blocked (who sent what where). fw_nflog_parse takes one netlink
 * message as the kernel sent it and trusts nothing in it. */
#ifndef JB_FW_NFLOG_H
#define JB_FW_NFLOG_H
#include <stddef.h>
#include <stdint.h>

struct fw_blocked {
	int has_uid;            /* the packet had a local socket */
	uint32_t uid;
	uint8_t daddr[16];      /* common/addr.h form: IPv4 as ::ffff:a.b.c.d */
	uint8_t proto;          /* IPPROTO_* */
	unsigned dport;         /* 0 if not TCP/UDP */
};

/* Opens a netlink socket bound to nflog group `group`, copying `snaplen`
 * bytes of each packet. Returns the fd, or -1 with a
 * reason in err. */
int fw_nflog_open(unsigned group, unsigned snaplen, char *err, size_t errlen);

/* Parses one netlink message (header included, len bytes). Returns 1 and
 * fills *out for a logged IPv4/IPv6 packet, 0 for any other message, -1 if
 * malformed. */
int fw_nflog_parse(const uint8_t *msg, size_t len, struct fw_blocked *out);
#endif
