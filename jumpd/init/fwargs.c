/* fwargs: jumpfw's command line (see fwargs.h). */
#include "fwargs.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

static const char *addr_text(const uint8_t a[16], unsigned prefix, char *out)
{
	static const uint8_t v4[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int is4 = memcmp(a, v4, 12) == 0;
	inet_ntop(is4 ? AF_INET : AF_INET6, is4 ? a + 12 : a, out, INET6_ADDRSTRLEN);
	if (prefix <= 128)
		sprintf(out + strlen(out), "/%u", is4 ? prefix - 96 : prefix);
	return out;
}

void fw_args(const struct siteconf *c, enum fw_mode mode, const char *program, struct fw_args *out)
{
	unsigned n = 0, t = 0;
	snprintf(out->port, sizeof out->port, "%u", c->ssh_port);
	snprintf(out->jumpd_uid, sizeof out->jumpd_uid, "%d", USERS_JUMPD_UID);
	out->argv[n++] = program;
	out->argv[n++] = "-i";
	out->argv[n++] = c->interface;
	out->argv[n++] = "-p";
	out->argv[n++] = out->port;
	if (c->dhcp) {
		snprintf(out->dhcp_uid, sizeof out->dhcp_uid, "%d", USERS_DHCP_UID);
		out->argv[n++] = "-d";
		out->argv[n++] = out->dhcp_uid;
	}
	if (c->have_syslog) {
		snprintf(out->collector_port, sizeof out->collector_port, "%u", c->syslog_port);
		out->argv[n++] = "-C";
		out->argv[n++] = addr_text(c->syslog_addr, 999, out->text[t++]);
		out->argv[n++] = "-P";
		out->argv[n++] = out->collector_port;
		snprintf(out->ship_uid, sizeof out->ship_uid, "%d", USERS_SHIP_UID);
		out->argv[n++] = "-U";
		out->argv[n++] = out->ship_uid;
	}
	for (unsigned i = 0; i < c->nsegments; i++)
		for (unsigned j = 0; j < c->segments[i].ncidrs; j++) {
			out->argv[n++] = "-S";
			out->argv[n++] = addr_text(c->segments[i].cidrs[j].addr, c->segments[i].cidrs[j].prefix, out->text[t++]);
		}
	if (mode == FW_LOAD_ONLY) {
		out->argv[n++] = "-l";
	} else {
		out->argv[n++] = "-u";
		out->argv[n++] = out->jumpd_uid;
		out->argv[n++] = "-r";
		out->argv[n++] = FW_RUN_DIR;
	}
	out->argv[n] = NULL;
}
