/* verbs: the one table that says which peer may send jumpd which request
 * (after OpenSSH's monitor dispatch table). A peer's class comes from the
 * socket it used and its uid (SO_PEERCRED); a row names the verb, the socket
 * it is read on, the peer classes that may send it, its rate class and its
 * handler. Nothing outside the table grants a right: verbs_serve() looks the
 * request up, refuses what the row does not permit (audited as HOOK_REFUSED,
 * braked per uid), brakes what the rate class says, and only then calls the
 * handler. Handlers still check what only the request can tell (that a user
 * asks for their own name, that a channel is theirs). */
#ifndef JB_VERBS_H
#define JB_VERBS_H
#include "conn.h"
#include "daemon.h"
#include "../common/hookproto.h"

#include <stddef.h>

enum peer_class {
	PEER_NONE = 0,
	PEER_SSHD = 1 << 0,   /* the SSH server (Dropbear's listener, before a login) */
	PEER_USER = 1 << 1,   /* a process of a configured user: their connection process, their menu */
	PEER_FW = 1 << 2,     /* the firewall helper */
	PEER_SHIP = 1 << 3,   /* the audit shipper */
	PEER_ADMIN = 1 << 4,  /* an admin user, on the admin socket */
	PEER_ROOT = 1 << 5,   /* root on the admin socket: init, or root's jumpctl */
	PEER_REC = 1 << 6,    /* the recorder (jumprec): recorded sessions */
};
#define PEER_CLASSES 7

enum rate_class {
	RATE_NONE,            /* bounded elsewhere: logins by the SSH server's admission, services by their design */
	RATE_USER,            /* a user's processes: the per-uid token bucket (brake.h), which grows with the user's live sessions */
	RATE_OPEN,            /* bounded by what is open: `close` only for a channel the asking connection process has open,
				 `logout` once per session (sessions.h), `rec_end` once per recorded session (recsessions.h);
				 anything else is refused and the refusals braked */
	RATE_SERVICE,         /* the box's services (firewall helper, shipper, recorder): a larger per-uid bucket */
};

typedef void verb_handler(struct jumpd *jd, struct conn *c, const struct hook_msg *req);

struct verb_row {
	const char *verb;
	enum jumpd_socket sock;
	unsigned peers;          /* the peer classes that may send it (or-ed) */
	enum rate_class rate;
	const char *refusal;     /* the reply verb when refused or braked: "deny" where the asker expects a decision */
	verb_handler *handler;
};

extern const struct verb_row jumpd_verbs[];
extern const size_t jumpd_nverbs;

/* The class of a peer with uid on sock (PEER_NONE: no class; conn.c
 * disconnects those before they can send anything). */
enum peer_class verbs_peer_class(const struct jumpd *jd, enum jumpd_socket sock, uid_t uid);
const char *verbs_peer_name(enum peer_class p);
/* The row for verb on sock, or NULL. */
const struct verb_row *verbs_find(const struct verb_row *table, size_t n, enum jumpd_socket sock, const char *verb);
/* Serves c's request line with the table: parse, look up, permit, brake,
 * handle. Every refusal and every malformed line is audited (braked). */
void verbs_serve_table(const struct verb_row *table, size_t n, struct jumpd *jd, struct conn *c);
/* verbs_serve_table with jumpd_verbs (the shape conns_read wants) */
void verbs_serve(struct jumpd *jd, struct conn *c);

/* the handlers, by concern */
verb_handler verb_pubkey, verb_answer;                       /* verbs_auth.c */
verb_handler verb_channel, verb_close, verb_logout, verb_targets; /* verbs_channel.c, verbs_menu.c */
verb_handler verb_unlock, verb_status;                       /* verbs_admin.c */
verb_handler verb_egress, verb_collector, verb_service;      /* verbs_service.c */
verb_handler verb_rec_open, verb_rec_start, verb_rec_mark, verb_rec_end, /* verbs_rec.c */
	verb_command, verb_file, verb_rec_admin;
/* verbs.c: a HOOK_ERROR record naming its sender (the connection's
 * SO_PEERCRED uid and pid), the verb (NULL: "-") and, if not NULL, the
 * user the request named; event_emit's result */
int verbs_hook_error(const struct conn *c, const char *reason, const char *verb, const char *user);
/* verbs_channel.c: an allowed login of connection process pid becomes a
 * session (0; -1: the table is full, the login is refused), and is undone
 * if its AUTH record could not be written */
int sessions_login(struct jumpd *jd, unsigned user, pid_t pid);
void sessions_login_undo(struct jumpd *jd, pid_t pid);
/* verbs_channel.c, every REFRESH_MS: channels and sessions whose
 * connection process is gone are ended (killed, or its report lost); live
 * pinholes are refreshed, each once */
void channels_refresh_all(struct jumpd *jd);
/* verbs_channel.c: has the firewall helper open (refresh) or close the
 * pinhole for uid to addr:port, or revoke it (close it and cut the
 * connections it let through). Returns 0, or -1 (logged). */
enum pin_op { PIN_CLOSE = 0, PIN_OPEN = 1, PIN_REVOKE = 2 };
int jumpd_pinhole(const struct jumpd *jd, uint32_t uid, const char *addr, unsigned port, int op);
/* verbs_settle.c, once a round's records are durable (durable 1) or not:
 * the round's allowed channels, recorded sessions and target-pins get
 * their pinholes (the request's record is on disk before the firewall
 * opens), PINHOLE_OPEN made durable, their replies sent; on any failure
 * after opening every request relying on that pinhole's record is
 * refused and the pinhole revoked. Call before conns_flush. */
void pinholes_settle(struct jumpd *jd, struct conns *t, int durable);
/* verbs_settle.c: revokes (uid to target:port; PINHOLE_CLOSE reason=
 * reason), or queues it if the helper does not answer (revokes.h) */
void pinhole_revoke(struct jumpd *jd, uint32_t uid, unsigned target, unsigned port, const char *user,
		    const char *reason);
/* verbs_settle.c, every round: the queued revokes that are due, tried
 * again (PINHOLE_REVOKE result=revoked|gave-up) */
void pinholes_retry_revokes(struct jumpd *jd, int64_t now_ms);
/* verbs_settle.c: a PINHOLE_OPEN or PINHOLE_CLOSE record (pin_us:
 * PINHOLE_OPEN's time to open, else NULL); event_emit's result */
int pinhole_record(const struct jumpd *jd, const char *msgid, uint32_t uid, unsigned target, unsigned port,
		   const char *user, const char *reason, const char *pin_us);
/* verbs_channel.c, for the settle: ch (its CHANNEL record durable) gets no
 * pinhole after all (CHANNEL_CLOSE reason=why) and is dropped; ch is
 * dropped with nothing recorded (its CHANNEL was not durable); ch's yes
 * was lost (CHANNEL_CLOSE reason=reply-lost, its pinhole revoked if it was
 * the last of it) */
void channel_unmade(struct jumpd *jd, struct channel *ch, const char *why);
void channel_forget(struct jumpd *jd, struct channel *ch);
void channel_lost(struct jumpd *jd, struct channel *ch);
/* verbs_rec.c, for the settle: the same for a recorded session (REC_DENIED
 * session= reason=why; reply-lost) */
void rec_unmade(struct jumpd *jd, struct rec_session *s, const char *why);
void rec_lost(struct jumpd *jd, struct rec_session *s);
/* verbs_rec.c, every REFRESH_MS: the recorder's pinholes of live recorded
 * sessions refreshed (each once), due RATE_LIMITED summaries written */
void recs_refresh_all(struct jumpd *jd);
#endif
