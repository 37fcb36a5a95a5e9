/* fwargs: jumpfw's command line (see fwargs.h). */
#include "fwargs.h"
#include "users.h"
#include "../common/siteconf_rec.h"
#include "../common/addr.h"

#include <stdio.h>
#include <string.h>

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
		addr_format(c->syslog_addr, out->text[t], sizeof out->text[t]);
		out->argv[n++] = out->text[t++];
		out->argv[n++] = "-P";
		out->argv[n++] = out->collector_port;
		snprintf(out->ship_uid, sizeof out->ship_uid, "%d", USERS_SHIP_UID);
		out->argv[n++] = "-U";
		out->argv[n++] = out->ship_uid;
	}
	for (unsigned i = 0; i < c->nsegments; i++)
		for (unsigned j = 0; j < c->segments[i].ncidrs; j++) {
			out->argv[n++] = "-S";
			addr_cidr_format(&c->segments[i].cidrs[j], out->text[t], sizeof out->text[t]);
			out->argv[n++] = out->text[t++];
		}
	if (mode == FW_LOAD_ONLY) {
		out->argv[n++] = "-l";
	} else {
		out->argv[n++] = "-u";
		out->argv[n++] = out->jumpd_uid;
		/* pinholes only for the configured users' uids (a count, not a name) */
		snprintf(out->nusers, sizeof out->nusers, "%u", c->nusers);
		out->argv[n++] = "-n";
		out->argv[n++] = out->nusers;
		if (siteconf_any_recorded(c)) { /* and the recorder's, which reaches recorded targets */
			snprintf(out->rec_uid, sizeof out->rec_uid, "%d", USERS_REC_UID);
			out->argv[n++] = "-e";
			out->argv[n++] = out->rec_uid;
		}
		out->argv[n++] = "-r";
		out->argv[n++] = FW_RUN_DIR;
	}
	out->argv[n] = NULL;
}
