/* services: what the supervisor keeps running, decided from the applied
 * config, each as its own uid with only the capabilities it needs
 * (docs/hardening.md), registered in start order: udhcpc (with DHCP),
 * jumpfw, jumpd, jumpship (with a [syslog] collector), jumprec and the
 * shipper of its trail (with a recorded target), dropbear. And the
 * files handed to them beforehand: jumpd's copy of the config, the
 * shipper's trimmed config and certificates, their directories.
 *
 * Two halves, so the decision can be tested on any host: services_prepare()
 * touches the file system, services_register() only fills the supervisor's
 * table (supervise.h) from the plan and what was prepared. */
#ifndef JB_INIT_SERVICES_H
#define JB_INIT_SERVICES_H
#include <stddef.h>
#include "../common/siteconf.h"

#define JUMPD_RUN_DIR "/run/jumpd"
#define JUMPD_STATE_DIR "/state/jumpd"
#define JUMPD_CONFIG "/run/jumpd/site.conf" /* the applied config, readable by jumpd only */
#define JUMPD_CTL_SOCKET JUMPD_RUN_DIR "/ctl.sock"
#define SERVICES_JUMPD_NOFILE 65536 /* jumpd's RLIMIT_NOFILE: its budget of sessions and channels (below fs.nr_open) */
#define SHIP_DIR "/run/ship"
#define SHIP_CONFIG SHIP_DIR "/site.conf"
/* the session recorder (docs/recording.md) and the shipper of its trail */
#define REC_RUN_DIR "/run/rec"
#define REC_STATE_DIR "/state/rec"
#define REC_SPOOL REC_STATE_DIR "/spool"
#define RECSHIP_STATE_DIR "/state/recship"
#define SHIP_STATE_DIR "/state/ship"   /* the audit shipper's cursor: 0750, jumpd's group reads it */
#define RECSHIP_RUN_DIR "/run/recship"

enum services_plan {
	SERVE_REFUSAL_ONLY,        /* config refused: jumpd with no user, to audit the refusal */
	SERVE_NOTHING_NO_USERS,    /* nobody could log in: no SSH */
	SERVE_NOTHING_NO_FIREWALL, /* the egress policy did not load: no SSH */
	SERVE_ALL,
};

/* refusal: "" unless the config was refused */
enum services_plan services_plan(const struct siteconf *c, const char *refusal, int firewall_ok);

struct services_prepared {
	int jumpd_config; /* jumpd's copy is in place (else no SSH) */
	int ship_config;  /* the shipper's files are in place (else no shipper) */
	int recorder;     /* a target is recorded and the recorder's directories are in place */
};

/* The directories and handed-over files the plan needs; failures are
 * logged and reported in *out. */
void services_prepare(enum services_plan plan, const struct siteconf *c, struct services_prepared *out);

/* Registers the services (nothing is started). udhcpc comes first and is
 * registered on its own, before the network step: its hook configures the
 * interface that step brought up. */
void services_register_dhcp_client(const struct siteconf *c);
void services_register(enum services_plan plan, const struct siteconf *c, const char *refusal,
		       const struct services_prepared *prep);

/* The shipper's config: [system] hostname and [syslog] only, no user and no
 * TOTP secret, naming the copies in SHIP_DIR. Returns its length, or -1 if
 * it does not fit. Pure. */
int services_ship_config(const struct siteconf *c, char *out, size_t cap);
#endif
