/* siteconf: the site configuration file (jumpbox.conf on the config volume).
 *
 * Owns parsing and validating the file into a caller-owned struct siteconf.
 * The format is INI-like: `[section]` or `[user NAME]` headers, `key = value`
 * lines, `#` comments. Parsing is strict: an unknown section or key, a bad
 * value, a duplicate where one is allowed — each is an error naming file and
 * line, and the caller must then apply nothing (the struct's contents are
 * unspecified after a failure).
 *
 * No allocation: the struct holds fixed-size arrays (limits below). */
#ifndef JB_SITECONF_H
#define JB_SITECONF_H

#include <stddef.h>
#include <stdint.h>

#define SITECONF_MAX_USERS 64
#define SITECONF_MAX_KEYS 256      /* all users together */
#define SITECONF_MAX_KEYLEN 2048   /* one authorized_keys line */
#define SITECONF_MAX_DNS 3
#define SITECONF_NAMELEN 32        /* user names: [a-z_][a-z0-9_-]{0,31} */
#define SITECONF_HOSTLEN 64
#define SITECONF_MAX_SECRET 64     /* TOTP secret bytes (512 bits) */
#define SITECONF_MIN_SECRET 16     /* 128 bits, RFC 4226 section 4 R6 */
#define SITECONF_MAX_REMEMBER 720  /* minutes: hard cap of the remember window */

struct siteconf_user {
	char name[SITECONF_NAMELEN + 1];
	uint32_t uid;              /* assigned: 2000 + index, in file order */
	unsigned first_key, nkeys; /* range in siteconf.keys */
	unsigned line;             /* of the [user NAME] header, for messages */
	/* MFA: mfa = totp (default) or off */
	int mfa;
	uint8_t totp_secret[SITECONF_MAX_SECRET];
	unsigned totp_secret_len;  /* 0: none given */
	unsigned totp_alg;         /* enum totp_alg (jumpd/mfa/totp.h) */
	unsigned totp_digits;      /* 6 or 8 */
	unsigned remember_minutes; /* 0: off */
	int admin;                 /* may use jumpctl's admin commands */
};

struct siteconf {
	char hostname[SITECONF_HOSTLEN];
	/* [network] */
	char interface[16];
	int dhcp;                  /* 1: DHCP; 0: static address below */
	uint32_t address;          /* host byte order */
	unsigned prefix;           /* 0..32 */
	uint32_t gateway;          /* 0: none */
	uint32_t dns[SITECONF_MAX_DNS];
	unsigned ndns;
	/* [ssh] */
	unsigned ssh_port;
	/* [mfa] */
	unsigned lockout_failures;       /* consecutive failures before lockout */
	unsigned max_delay_seconds;      /* cap of the growing delay */
	unsigned source_lockout_minutes; /* how long a source address stays locked */
	/* [user NAME] */
	struct siteconf_user users[SITECONF_MAX_USERS];
	unsigned nusers;
	char keys[SITECONF_MAX_KEYS][SITECONF_MAX_KEYLEN];
	unsigned nkeys;
};

struct siteconf_error {
	char file[128];
	unsigned line;             /* 0: not tied to a line */
	char msg[256];
};

/* Fills *out with defaults (hostname "jumpbox", DHCP on eth0, port 22, no
 * users; [mfa] lockout after 20 failures, delay capped at 8 s, source
 * lockout 15 min). Never fails. */
void siteconf_defaults(struct siteconf *out);

/* Parses `len` bytes of `text` (need not be NUL-terminated) over the
 * defaults. `filename` is used only in error messages. Returns 0 on success;
 * on failure returns -1 and fills *err (file, line, what was expected). */
int siteconf_parse(struct siteconf *out, const char *text, size_t len,
		   const char *filename, struct siteconf_error *err);

/* Reads and parses a whole file (at most 1 MiB). Same contract as
 * siteconf_parse; an unreadable or oversized file is an error too. */
int siteconf_load(struct siteconf *out, const char *path, struct siteconf_error *err);

/* Parses "a.b.c.d" into host byte order. Returns 0, or -1 if malformed. */
int siteconf_parse_ipv4(const char *s, uint32_t *out);

/* Checks one authorized_keys line: an allowed key type, base64 blob whose
 * embedded type matches, optional comment; no options. Returns 0 or -1 with
 * a reason in `why` (at least 128 bytes). */
int siteconf_check_key(const char *line, char *why, size_t whylen);

#endif
