/* daemon: what jumpd's modules share — the loaded site config, the MFA
 * state, the budget (budget.h), the live sessions and open channels, and
 * the live recorded sessions, the revokes still to be retried, and the identities of its peers (the uids
 * init gives the SSH server, the firewall helper, the shipper and the
 * recorder). One instance,
 * owned by jumpd.c's main and handed to every verb handler; nothing else
 * keeps global state. */
#ifndef JB_DAEMON_H
#define JB_DAEMON_H
#include "budget.h"
#include "channels.h"
#include "mfa.h"
#include "recsessions.h"
#include "revokes.h"
#include "sessions.h"
#include "../common/monotime.h"
#include "../common/siteconf.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PINHOLE_TTL_S 60   /* pinholes live this long unless refreshed ... */
#define REFRESH_MS 20000   /* ... and jumpd refreshes them well before */

struct jumpd {
	struct siteconf conf;
	struct mfa mfa;
	struct jumpd_budget budget;
	struct sessions sessions;
	struct channels channels;
	struct recsessions recs;   /* recorded sessions (verbs_rec.c) */
	struct revokes revokes;    /* revokes the firewall helper did not answer (verbs_settle.c) */
	char steps_path[512];      /* the TOTP replay state */
	uid_t sshd_uid;
	uid_t fw_uid, ship_uid;    /* (uid_t)-1: no such peer */
	uid_t rec_uid;             /* the recorder (jumprec); (uid_t)-1: none */
	const char *fw_socket;     /* NULL: no firewall helper (no pinholes) */
};

/* 1 if uid is a configured user's; 1 if it is root's or an admin user's */
int jumpd_is_user(const struct jumpd *jd, uid_t uid);
int jumpd_is_admin(const struct jumpd *jd, uid_t uid);
/* the index of the configured user with this uid, or -1 */
int jumpd_user_index(const struct jumpd *jd, uid_t uid);
/* the box's SSH address as configured: the static address (A.B.C.D), or
 * "-" with DHCP (into buf; returns buf) */
const char *jumpd_box_address(const struct jumpd *jd, char *buf, size_t cap);
/* what a user types to reach the box: the static address, or with DHCP
 * the host name (into buf; returns buf) */
const char *jumpd_box_name(const struct jumpd *jd, char *buf, size_t cap);
/* the configured user whose uid is the decimal uid_text, or "-" */
const char *jumpd_user_of_uid(const struct jumpd *jd, const char *uid_text);
#endif
