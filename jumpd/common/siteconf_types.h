/* siteconf_types: the parsed site configuration — its limits and the
 * caller-owned struct siteconf that siteconf.c fills and every program
 * reads. Types only (a leaf): siteconf.c (the file format, [system], [ssh],
 * [mfa], [syslog], [user]) and siteconf_policy.c ([segment], [target],
 * [grant]) both fill it, and neither needs the other's header for that. */
#ifndef JB_SITECONF_TYPES_H
#define JB_SITECONF_TYPES_H

#include "addr.h"
#include "authkey.h"

#include <stddef.h>
#include <stdint.h>

#define SITECONF_MAX_USERS 64
#define SITECONF_FIRST_UID 2000u   /* users' uids: SITECONF_FIRST_UID + index, in file order */
#define SITECONF_MAX_KEYS 256      /* all users together */
#define SITECONF_MAX_KEYLEN AUTHKEY_MAX_LINE /* one authorized_keys line (authkey.h) */
#define SITECONF_MAX_DNS 3
#define SITECONF_NAMELEN 32        /* user names: [a-z_][a-z0-9_-]{0,31} */
#define SITECONF_HOSTLEN 64
#define SITECONF_MAX_SECRET 64     /* TOTP secret bytes (512 bits) */
#define SITECONF_MIN_SECRET 16     /* 128 bits, RFC 4226 section 4 R6 */
#define SITECONF_MAX_REMEMBER 720  /* minutes: hard cap of the remember window */
#define SITECONF_MAX_SEGMENTS 32
#define SITECONF_MAX_CIDRS 16      /* per segment */
#define SITECONF_MAX_TARGETS 128
#define SITECONF_MAX_PORTS 8       /* per target or grant */
#define SITECONF_MAX_GRANTS 64
#define SITECONF_MAX_GRANTEES 16   /* user:/group: entries per grant */
#define SITECONF_MAX_GRANT_TARGETS 32
#define SITECONF_MAX_GROUPS 8      /* per user */
#define SITECONF_PATHLEN 256       /* a file named by the config ([syslog] ca, ...) */
#define SITECONF_DNSNAMELEN 254    /* a DNS name, at most 253 characters */
#define SITECONF_SYSLOG_PORT 6514  /* RFC 5425 */
#define SITECONF_SPOOL_MAX_MB 256  /* default [syslog] spool-max-mb */
#define SITECONF_SPOOL_KEEP_H 24   /* default [syslog] spool-keep-hours */
#define SITECONF_SPOOL_KEEP_MAX_H 8760
#define SITECONF_MAX_CHANNELS 1000000 /* [ssh] channels-max, channels-per-user */
#define SITECONF_MAX_HOST_KEYS 4   /* host-key pins per target */
#define SITECONF_HOST_KEY_LEN 50   /* "SHA256:" and 43 base64 characters */
#define SITECONF_MAX_ACCOUNTS 8    /* target accounts per grant */
#define SITECONF_REC_MAX_MB 1024   /* default [recording] max-mb */
#define SITECONF_REC_SHIP_KB 2048  /* default [recording] ship-rate-kb */

/* [target] access: how users reach it (docs/configuration.md) */
enum siteconf_access {
	SITECONF_ACCESS_JUMP = 0,  /* ssh -J only: end to end, not recorded (the default) */
	SITECONF_ACCESS_RECORDED,  /* only through the recorder (ssh USER+TARGET@box) */
	SITECONF_ACCESS_BOTH,      /* either */
};

struct siteconf_user {
	char name[SITECONF_NAMELEN + 1];
	uint32_t uid;              /* assigned: SITECONF_FIRST_UID + index, in file order */
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
	int diagnostic_shell;      /* shell = diagnostic (admins only): a shell, not the jump menu */
	char groups[SITECONF_MAX_GROUPS][SITECONF_NAMELEN + 1];
	unsigned ngroups;
};

struct siteconf_segment {      /* [segment NAME]: an approved network */
	char name[SITECONF_NAMELEN + 1];
	struct addr_cidr cidrs[SITECONF_MAX_CIDRS];
	unsigned ncidrs;
	unsigned line;
};

struct siteconf_target {       /* [target NAME]: a host admins may reach */
	char name[SITECONF_NAMELEN + 1];
	uint8_t addr[16];          /* addr.h's form: IPv4 as ::ffff:a.b.c.d */
	char addr_text[48];        /* canonical text form */
	uint16_t ports[SITECONF_MAX_PORTS];
	unsigned nports;           /* 0 in the file: 22 */
	unsigned segment;          /* index in segments */
	unsigned line;
	/* recorded sessions (siteconf_rec.c) */
	int access;                /* enum siteconf_access */
	char host_keys[SITECONF_MAX_HOST_KEYS][SITECONF_HOST_KEY_LEN + 1]; /* pinned SHA256 fingerprints */
	unsigned nhost_keys;
	int record_input;          /* record-input = yes: the user's keystrokes are recorded too */
	int seen_access, seen_record_input;
};

struct siteconf_grant {        /* [grant NAME]: who may reach which targets, when */
	char name[SITECONF_NAMELEN + 1];
	char to[SITECONF_MAX_GRANTEES][SITECONF_NAMELEN + 7]; /* "user:NAME" or "group:NAME" */
	unsigned nto;
	unsigned targets[SITECONF_MAX_GRANT_TARGETS];
	unsigned ntargets;
	uint16_t ports[SITECONF_MAX_PORTS]; /* 0 entries: every port of the target */
	unsigned nports;
	int64_t expires;           /* unix time the grant ends (exclusive); 0: never */
	int window_from, window_to;/* minutes after midnight UTC; -1: all day */
	unsigned days;             /* bit 0 = Monday .. bit 6 = Sunday; 0x7f: every day */
	unsigned line;
	char accounts[SITECONF_MAX_ACCOUNTS][SITECONF_NAMELEN + 1]; /* target accounts of recorded sessions */
	unsigned naccounts;        /* the first is the default */
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
	unsigned channels_max;     /* jumpd's channel table; 0: derived from the machine (jumpd/daemon/budget.h) */
	unsigned channels_per_user;/* one user's share of it; 0: derived */
	/* [syslog]: the collector the audit trail is shipped to (jumpship) */
	int have_syslog;           /* 1: a collector is configured */
	uint8_t syslog_addr[16];   /* addr.h's form */
	char syslog_addr_text[48]; /* as written in the file */
	unsigned syslog_port;      /* default 6514 */
	char syslog_server_name[SITECONF_DNSNAMELEN]; /* the name its certificate must carry */
	char syslog_ca[SITECONF_PATHLEN];             /* PEM CA bundle */
	char syslog_client_cert[SITECONF_PATHLEN];    /* PEM chain; "" : no client certificate */
	char syslog_client_key[SITECONF_PATHLEN];     /* PEM key (EC or RSA); "" with the cert */
	uint64_t spool_max_bytes;  /* the audit spool's bound (spool-max-mb, default 256 MiB) */
	unsigned spool_keep_hours; /* delivered records stay this long before they are reclaimed (spool-keep-hours, default 24) */
	int fail_closed;           /* 1 (default): an event that cannot be spooled refuses its action */
	/* [recording]: jumprec's bounds (init passes them as flags) */
	unsigned rec_max_mb;       /* the recording trail's bound on /state/rec (default 1024) */
	int rec_fail_closed;       /* 1 (default): recorder or storage gone ends live recorded sessions */
	unsigned rec_ship_rate_kb; /* recording trail shipping cap, KiB/s (default 2048) */
	unsigned rec_seen;         /* [recording] keys given (once each) */
	/* [mfa] */
	unsigned lockout_failures;       /* consecutive failures before lockout */
	unsigned max_delay_seconds;      /* cap of the growing delay */
	unsigned source_lockout_minutes; /* how long a source address stays locked */
	/* [segment], [target], [grant] */
	struct siteconf_segment segments[SITECONF_MAX_SEGMENTS];
	unsigned nsegments;
	struct siteconf_target targets[SITECONF_MAX_TARGETS];
	unsigned ntargets;
	struct siteconf_grant grants[SITECONF_MAX_GRANTS];
	unsigned ngrants;
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
#endif
