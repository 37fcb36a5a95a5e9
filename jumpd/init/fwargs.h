/* fwargs: the firewall helper's command line, from the applied config: the
 * SSH interface and port, DHCP (and its client's uid), the collector (and
 * the shipper's uid), every segment network. jumpfw gets no copy of the
 * config: that holds TOTP secrets (docs/firewall.md).
 *
 * Two forms: FW_LOAD_ONLY (`-l`), the boot step that loads the policy
 * before the network comes up, and FW_SERVICE, the supervised helper that
 * answers jumpd on /run/fw. */
#ifndef JB_INIT_FWARGS_H
#define JB_INIT_FWARGS_H
#include <arpa/inet.h>
#include "../common/siteconf.h"

#define FW_ARGV_MAX (24 + 2 * SITECONF_MAX_SEGMENTS * SITECONF_MAX_CIDRS)
#define FW_RUN_DIR "/run/fw"
#define FW_SOCKET "/run/fw/fw.sock" /* in FW_RUN_DIR */

enum fw_mode { FW_LOAD_ONLY, FW_SERVICE };

/* argv points into the struct itself: keep it as long as argv is used */
struct fw_args {
	const char *argv[FW_ARGV_MAX];
	char text[SITECONF_MAX_SEGMENTS * SITECONF_MAX_CIDRS + 8][INET6_ADDRSTRLEN + 8];
	char port[8], collector_port[8], jumpd_uid[8], dhcp_uid[8], ship_uid[8], nusers[8], rec_uid[8];
};

void fw_args(const struct siteconf *c, enum fw_mode mode, const char *program, struct fw_args *out);
#endif
