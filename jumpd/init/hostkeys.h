/* hostkeys (jb-hostkeys): the SSH server's host keys, ed25519 and ECDSA,
 * on the state volume. Generated on the first boot (dropbearkey), then kept;
 * root's, readable by the SSH server's group (0640 in a 0750 directory of
 * root's): the SSH server reads them but can neither change them nor put a
 * link in their place, so root here never follows a link nor parses a file
 * another uid controls (security finding 9); each public key and its
 * fingerprint is printed on the console at every boot, so an operator can
 * compare it before accepting it.
 *
 * Run once by the supervisor, as root, after jb-setup and only when users
 * are configured (nothing else needs a host key). */
#ifndef JB_INIT_HOSTKEYS_H
#define JB_INIT_HOSTKEYS_H

/* Makes `dir` (root:sshd 0750; an older image's sshd-owned one is taken
 * back), removes anything in a key's place that is not a regular file (a
 * link: said on the console), generates each key missing there with
 * `dropbear` (the dropbearmulti binary, called as dropbearkey), sets each
 * to root:sshd 0640 through a descriptor opened O_NOFOLLOW, and shows it.
 * Returns how many keys could not be generated or secured. */
int hostkeys_ensure(const char *dir, const char *dropbear);

/* jb-hostkeys */
int hostkeys_main(int argc, char **argv);
#endif
