/* fw_ruleset: the box's nftables policy, built with libnftnl and loaded in
 * one netlink batch (one transaction: the old table goes and the new one
 * comes in the same commit, so there is never a moment without a policy).
 *
 * table inet jumpbox:
 *   input   (policy drop): loopback; established/related; SSH on the
 *           configured interface; essential ICMP/ICMPv6; DHCP replies if
 *           DHCP; everything else counted and dropped.
 *   output  (policy drop): loopback; established/related; DHCP requests
 *           from the DHCP client's uid on the interface; the syslog
 *           collector from the shipper's uid; essential ICMP/ICMPv6; a
 *           pinhole (set pin4/pin6: daddr . dport . socket uid, each with a
 *           timeout) whose address also lies in an approved segment (chain
 *           segments), its flow marked with the uid (ct mark: fw_ctflush.h); everything else logged (rate-limited, nflog group
 *           FW_LOG_GROUP: blocked-egress events), counted and rejected
 *           (ICMP administratively prohibited: the sender fails at once).
 *   forward (policy drop): the box routes nothing.
 * Addresses are 16 bytes, IPv4 as ::ffff:a.b.c.d (common/addr.h). */
#ifndef JB_FW_RULESET_H
#define JB_FW_RULESET_H
#include "../common/addr.h"

#include <stdint.h>
#include <stddef.h>

#define FW_TABLE "jumpbox"
#define FW_LOG_GROUP 7
#define FW_MAX_CIDRS 512

struct fw_policy {
	char ifname[16];        /* SSH is accepted on this interface only */
	unsigned ssh_port;
	int dhcp;
	uint32_t dhcp_uid;      /* the DHCP client's uid: the only one let out to port 67 */
	int have_collector;
	uint8_t collector[16];
	unsigned collector_port;
	uint32_t collector_uid; /* the shipper's uid: the only one let out to the collector */
	struct addr_cidr segments[FW_MAX_CIDRS];
	unsigned nsegments;
};

/* 1 if addr lies in one of the policy's segments */
int fw_in_segments(const struct fw_policy *p, const uint8_t addr[16]);

/* Replaces the table with the policy's, atomically, over the netlink socket
 * nl (a struct mnl_socket *, bound). Returns 0, or -1 with a reason in err
 * (the old table, if any, then stays as it was). */
int fw_ruleset_load(void *nl, const struct fw_policy *p, char *err, size_t errlen);

/* Sends a prepared batch (mnl_nlmsg_batch) and collects one ack per
 * message: returns 0, or -1 with the kernel's reason in err. Shared with
 * fw_pinhole. */
int fw_batch_send(void *nl, void *batch, unsigned nmsgs, char *err, size_t errlen);
#endif
