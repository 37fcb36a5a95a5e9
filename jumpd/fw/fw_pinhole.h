/* fw_pinhole: the per-user holes in the egress policy. A pinhole is one
 * element (target address . TCP port . socket uid) of the set pin4 or pin6
 * (fw_ruleset.h) with a timeout: while it lives, a socket of that uid may
 * open connections to that address and port (if the address is also in an
 * approved segment). Every change is one netlink transaction. */
#ifndef JB_FW_PINHOLE_H
#define JB_FW_PINHOLE_H
#include <stddef.h>
#include <stdint.h>

/* Opens or refreshes the pinhole, expiring timeout_ms from now (an existing
 * one gets the new timeout: delete and add in one transaction). */
int fw_pin_open(void *nl, uint32_t uid, const uint8_t addr[16], unsigned port, uint32_t timeout_ms,
		char *err, size_t errlen);

/* Closes it; closing one that is gone (expired) is not an error. */
int fw_pin_close(void *nl, uint32_t uid, const uint8_t addr[16], unsigned port, char *err, size_t errlen);

/* Removes every pinhole (both sets). */
int fw_pin_flush(void *nl, char *err, size_t errlen);

/* 1 if a pinhole may be opened for uid: one of the nusers configured
 * users' (siteconf: SITECONF_FIRST_UID + index), else 0. System accounts
 * (root, the services' uids, nobody) and every uid past the last user are
 * refused, whoever asks. */
int fw_pin_uid_ok(uint32_t uid, unsigned nusers);

/* The set key for a pinhole: returns its length (12 for IPv4, 24 for IPv6). */
size_t fw_pin_key(uint8_t key[24], uint32_t uid, const uint8_t addr[16], unsigned port);
#endif
