/* addr: the box's one form of an IP address, and networks over it.
 *
 * An address is 16 bytes; an IPv4 address is kept as the IPv4-mapped IPv6
 * address ::ffff:a.b.c.d (RFC 4291 2.5.5.2), so one comparison, one table
 * and one prefix rule serve both families: an IPv4 /n is a prefix of 96 + n.
 * Owns parsing and formatting that form and CIDR networks (parse, contains,
 * format). The site config, jumpd's policy, the firewall helper, init and
 * the shipper all speak it, and none needs anything else from another's
 * module to do so: a leaf, it includes no other module of ours.
 *
 * Caller-owned buffers, no allocation, no name resolution. */
#ifndef JB_ADDR_H
#define JB_ADDR_H
#include <stddef.h>
#include <stdint.h>

#define ADDR_TEXT_MAX 46                  /* INET6_ADDRSTRLEN: the longest text, NUL included */
#define ADDR_CIDR_TEXT_MAX (ADDR_TEXT_MAX + 4) /* and "/128" */

/* The first 12 bytes of every IPv4 address in the 16-byte form. */
extern const uint8_t addr_v4_mapped_prefix[12];

struct addr_cidr {
	uint8_t addr[16];
	unsigned prefix;                  /* 0..128; IPv4 as 96 + n */
};

/* 1 if a is an IPv4 address (::ffff:a.b.c.d), else 0. */
int addr_is_v4(const uint8_t a[16]);

/* out = ::ffff:v4, v4 in network byte order (as in a packet header). */
void addr_from_v4(uint8_t out[16], const uint8_t v4[4]);

/* Parses a dotted quad "a.b.c.d" into host byte order. Strict: four
 * decimal parts 0-255, no leading zeros (some resolvers read "010" as octal
 * 8, so such text is refused rather than read one way here and another
 * there), nothing after. Returns 0, or -1 (*out untouched). */
int addr_parse_ipv4(const char *s, uint32_t *out);

/* Parses an IPv4 (as addr_parse_ipv4) or IPv6 (inet_pton) literal into
 * the 16-byte form. Returns 4 or 6, the family of the text (an IPv6 text
 * such as ::ffff:1.2.3.4 is 6), or -1; out is unspecified after -1. */
int addr_parse(const char *s, uint8_t out[16]);

/* Writes the canonical text (dotted quad for IPv4, RFC 5952 for IPv6,
 * NUL-terminated) into out. Returns 0, or -1 if cap is too small
 * (ADDR_TEXT_MAX always suffices); out is then "" if cap > 0. */
int addr_format(const uint8_t a[16], char *out, size_t cap);

/* The netmask of a prefix (0..128) in the 16-byte form: prefix one bits,
 * then zeros. A prefix above 128 counts as 128. */
void addr_prefix_mask(unsigned prefix, uint8_t mask[16]);

/* Parses "ADDRESS/N": N up to 32 for an IPv4 address, 128 for IPv6, no
 * leading zeros. Returns 0; -1 if malformed; -2 if host bits are set
 * (10.0.0.1/24: the network address is required, so a typo cannot widen
 * or shift a network silently). out is unspecified after -1, and holds the
 * text as written after -2. */
int addr_cidr_parse(const char *s, struct addr_cidr *out);

/* 1 if a lies in c, else 0. */
int addr_cidr_contains(const struct addr_cidr *c, const uint8_t a[16]);

/* Writes "ADDRESS/N" (N as the family counts it: 10.0.0.0/8, not /104)
 * into out. Returns 0, or -1 if cap is too small (ADDR_CIDR_TEXT_MAX always
 * suffices) or the prefix is out of range for the family. */
int addr_cidr_format(const struct addr_cidr *c, char *out, size_t cap);
#endif
