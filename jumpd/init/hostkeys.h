/* hostkeys (jb-hostkeys): the SSH server's host keys, ed25519 and ECDSA,
 * on the state volume. Generated on the first boot (dropbearkey), then kept;
 * owned by the SSH server's uid, which reads them; each public key and its
 * fingerprint is printed on the console at every boot, so an operator can
 * compare it before accepting it.
 *
 * Run once by the supervisor, as root, after jb-setup and only when users
 * are configured (nothing else needs a host key). */
#ifndef JB_INIT_HOSTKEYS_H
#define JB_INIT_HOSTKEYS_H

/* Makes `dir` (0700, the SSH server's), generates each key missing there
 * with `dropbear` (the dropbearmulti binary, called as dropbearkey), hands
 * each to the SSH server's uid and shows it. Returns how many keys could
 * not be generated. */
int hostkeys_ensure(const char *dir, const char *dropbear);

/* jb-hostkeys */
int hostkeys_main(int argc, char **argv);
#endif
