/* reckeys: the box's credential for each recorded target:
 * STATEDIR/keys/TARGET, a Dropbear ed25519 key, dir 0700 and file 0600,
 * owned by the recorder's uid (the only process that reads it is the
 * dbclient jumprec starts). Owns the target-name rule for file names,
 * making a key on first use and the authorized_keys line of its public
 * half. */
#ifndef JB_RECKEYS_H
#define JB_RECKEYS_H
#include <stddef.h>

/* 1 if name can be a key file's name: 1-63 bytes of [a-z0-9._-], not
 * starting with '.' (no path, no hidden file), else 0. */
int reckeys_name_ok(const char *name);

/* The key's path for target into out. 0, or -1 (bad name or too long). */
int reckeys_path(const char *keys_dir, const char *target, char *out, size_t cap);

/* Makes the key with `bin dropbearkey -t ed25519 -f PATH` if it is not
 * there, and checks it is a regular 0600 file of ours. 0, or -1 with err. */
int reckeys_ensure(const char *bin, const char *keys_dir, const char *target, char *path, size_t pathcap,
		   char *err, size_t errlen);

/* From `dropbearkey -y` output, the line "ssh-ed25519 AAAA..." (without
 * the comment) into out. 0, or -1 if there is none. */
int reckeys_public_from_output(const char *output, char *out, size_t cap);

/* The authorized_keys line for the target, restricted to the box's address:
 *   from="ADDR" ssh-ed25519 AAAA... jumpbox-rec@TARGET
 * addr must be an address (digits, hex, '.', ':'), or NULL: the box's
 * address is not known (DHCP), the line has no from= (the caller says so).
 * 0, or -1 (bad input, does not fit). */
int reckeys_authorized_line(char *out, size_t cap, const char *addr, const char *pub, const char *target);

/* The whole target-key step: ensure the key, run `dropbearkey -y`, format
 * the line (addr as for reckeys_authorized_line). 0, or -1 with err. */
int reckeys_target_line(const char *bin, const char *keys_dir, const char *target, const char *addr,
			char *out, size_t cap, char *err, size_t errlen);
#endif
