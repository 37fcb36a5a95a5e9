/* fw_ctflush: the connections a pinhole let through. The pinhole rule marks
 * each flow it admits with the socket's uid (ct mark, fw_ruleset.c); when a
 * pinhole is revoked (jumpd could not make its channel durable, or lost the
 * channel's answer) its flows are cut: the conntrack entries with that mark
 * to that address and TCP port are deleted over ctnetlink, so the output
 * chain's established-first rule no longer carries them (their next packet
 * is new, finds no pinhole and is rejected). Needs CONFIG_NF_CT_NETLINK and
 * CONFIG_NF_CONNTRACK_MARK; uses jumpfw's NETLINK_NETFILTER socket. */
#ifndef JB_FW_CTFLUSH_H
#define JB_FW_CTFLUSH_H
#include <stddef.h>
#include <stdint.h>

/* Deletes every conntrack entry with ct mark uid whose original direction
 * goes to addr (16 bytes, IPv4 as ::ffff:a.b.c.d) TCP port. 0 (also when
 * there was none), or -1 with the kernel's reason in err. */
int fw_ct_flush(void *nl, uint32_t uid, const uint8_t addr[16], unsigned port, char *err, size_t errlen);
#endif
