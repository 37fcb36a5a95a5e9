/* mfa: the login decision after a good public key, and the verdict on a
 * second-factor answer. Owns the pending challenges, the per-user replay
 * state (last TOTP step used), the brute-force guard tables and the
 * "remember this key from this address" window. A user locks after
 * lockout-failures wrong answers; a source address, which may try many
 * users, after twice that (so one user's lockout, lifted by an admin,
 * does not leave their address locked too).
 *
 * Pure: time and randomness come from the caller, nothing is written; the
 * caller persists last_step after a result with persist set (replay.c) and
 * audits every result (event.c). Fixed-size tables, no allocation. */
#ifndef JB_MFA_H
#define JB_MFA_H
#include <stdint.h>
#include "../common/siteconf.h"
#include "guard.h"

#define MFA_TOKEN_HEX 32          /* 128-bit challenge tokens */
#define MFA_FPLEN 128
#define MFA_MAX_CHALLENGES 128
#define MFA_MAX_PER_USER 4         /* live challenges one user may hold */
#define MFA_USER_FORGET_MS ((int64_t)24 * 3600 * 1000) /* a full failure count leaks away in a day */
#define MFA_MAX_SOURCES 256
#define MFA_MAX_REMEMBERED 256
#define MFA_CHALLENGE_MS ((int64_t)3 * 60 * 1000)

struct mfa_clock {
	int64_t mono_ms;              /* for delays, expiries */
	uint64_t unix_s;              /* for TOTP steps */
};

struct mfa_challenge {
	int used;
	char token[MFA_TOKEN_HEX + 1];
	unsigned user;
	char fp[MFA_FPLEN];
	char src[GUARD_ADDRLEN];
	long conn;                    /* the connection (its process id) that got it: only it may answer */
	int64_t expires_ms;
};

struct mfa_source {
	char addr[GUARD_ADDRLEN];     /* "" : free slot */
	struct guard_entry g;
};

struct mfa_remembered {
	unsigned user;
	char fp[MFA_FPLEN];
	char src[GUARD_ADDRLEN];
	int64_t expires_ms;           /* 0: free slot */
};

struct mfa {
	const struct siteconf *conf;
	struct guard_policy user_policy;   /* lockout-failures, locked until unlocked */
	struct guard_policy source_policy; /* twice that, across users, timed */
	uint64_t last_step[SITECONF_MAX_USERS];
	struct guard_entry user_guard[SITECONF_MAX_USERS];
	struct mfa_source sources[MFA_MAX_SOURCES];
	struct mfa_challenge ch[MFA_MAX_CHALLENGES];
	struct mfa_remembered rem[MFA_MAX_REMEMBERED];
};

enum mfa_verdict { MFA_ALLOW, MFA_DENY, MFA_CHALLENGE };

struct mfa_result {
	enum mfa_verdict verdict;
	const char *reason;           /* static string: why (for the audit and the hook) */
	char token[MFA_TOKEN_HEX + 1];/* challenge, or another try after a wrong answer ("" : none) */
	unsigned delay_ms;            /* wait imposed before the reply to a wrong answer */
	int persist;                  /* last_step or the user's guard changed: the caller must save them (replay.c) */
	int locked_user, locked_source; /* this result locked one (audit LOCKOUT) */
	int user;                     /* index in conf->users, -1 if unknown */
	char fp[MFA_FPLEN];           /* key fingerprint and source of the login, */
	char src[GUARD_ADDRLEN];      /* for the audit event */
};

/* Binds to conf (which must outlive m) and clears all state. */
void mfa_init(struct mfa *m, const struct siteconf *conf);

/* Public key accepted by Dropbear for user/fp from src, on connection conn
 * (the asking process's id, from the kernel). Result: ALLOW (mfa off, or
 * remembered), CHALLENGE with a token bound to conn, or DENY (unknown user,
 * user or source locked, no room). rnd: 16 fresh random bytes for the token. */
void mfa_pubkey(struct mfa *m, const char *user, const char *fp, const char *src, long conn,
		const struct mfa_clock *now, const uint8_t rnd[16], struct mfa_result *r);

/* An answer to the challenge `token`, from connection conn. The token is
 * consumed whatever the outcome. A token answered on another connection
 * than the one it was given to is refused unjudged
 * (challenge-of-another-connection: the code is not checked, nothing is
 * counted). ALLOW on a fresh valid code; DENY otherwise, with a new token
 * in r->token when another try is allowed (rnd as above). */
void mfa_answer(struct mfa *m, const char *user, const char *token, const char *code, long conn,
		const struct mfa_clock *now, const uint8_t rnd[16], struct mfa_result *r);

/* Admin actions: lift a user's or a source's lockout and counters (and,
 * for a user, forget their remembered keys). Return 0, or -1 if unknown. */
int mfa_unlock_user(struct mfa *m, const char *user);
int mfa_unlock_source(struct mfa *m, const char *src);

/* 1 if mfa_unlock_source would find src (a source with a record), else 0:
 * the unlock's outcome known before it is recorded and done. */
int mfa_has_source(const struct mfa *m, const char *src);

/* The key a source address is counted under: IPv4 as a.b.c.d (also when
 * written ::ffff:a.b.c.d), IPv6 as its /64 (one site's hosts count as one
 * source, so rotating addresses within it gains nothing). */
void mfa_source_key(const char *src, char out[GUARD_ADDRLEN]);

/* Forgets every remembered key of conf->users[user] (an admin unlock; or
 * an ALLOW the caller could not make durable, so it must not be remembered). */
void mfa_forget_remembered(struct mfa *m, int user);

/* Index of user in conf, or -1. */
int mfa_user_index(const struct mfa *m, const char *user);
#endif
