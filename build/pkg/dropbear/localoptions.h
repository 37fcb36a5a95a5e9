/* jumpbox: compile-time options for Dropbear 2025.89 (server, dropbearkey,
 * and dbclient as the recorded sessions' relay client), checked against its
 * default_options.h. Tightest sane defaults:
 * public keys only, no root login (runtime -w), modern algorithms only
 * (post-quantum hybrid key exchange first; strict KEX is always on in the
 * server; nothing with SHA-1), no forwarding except direct-tcpip for `ssh -J`,
 * the connection becomes the user right after authentication. */

/* host keys live on the state volume; generated on first boot by jumpinit */
#define ECDSA_PRIV_FILENAME "/state/ssh/dropbear_ecdsa_host_key"
#define ED25519_PRIV_FILENAME "/state/ssh/dropbear_ed25519_host_key"
#define DROPBEAR_PIDFILE "/run/dropbear.pid"
#define MOTD_FILENAME "/etc/motd"

/* authentication: public key only */
#define DROPBEAR_SVR_PASSWORD_AUTH 0
#define DROPBEAR_SVR_PAM_AUTH 0
#define DROPBEAR_SVR_PUBKEY_AUTH 1
#define DROPBEAR_SVR_PUBKEY_OPTIONS 1
#define DROPBEAR_USE_PASSWORD_ENV 0
#define MAX_AUTH_TRIES 6
#define DO_HOST_LOOKUP 0

/* after authentication the connection process is the user (upstream's
 * switch, made to work from the capability-holding `sshd` account and
 * checked by our patches 0001 and 0004, which need it on) */
#define DROPBEAR_SVR_DROP_PRIVS 1

/* forwarding: only local (direct-tcpip) for ssh -J; no unix sockets
 * (direct-streamlocal, on by default since 2024.84) */
#define DROPBEAR_X11FWD 0
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_SVR_REMOTETCPFWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 1
#define DROPBEAR_SVR_LOCALSTREAMFWD 0
/* an sftp subsystem request runs the login shell (jumpmenu) with
 * `-c /usr/libexec/jb-sftp`: in a recorded session (login name
 * USER+TARGET, patch 0015) jumpmenu takes that exact command as "sftp to
 * the target"; otherwise it refuses it. No sftp server runs on the box. */
#define DROPBEAR_SFTPSERVER 1
#define SFTPSERVER_PATH "/usr/libexec/jb-sftp"

/* the client (dbclient) is only the recorder's relay to a target (patch
 * 0016: pinned host key, no prompt): public key only (-i), no agent, no
 * forwarding of any kind, no netcat/multi-hop; -J '&FD' (a socket the
 * recorder opened) stays */
#define DROPBEAR_CLI_PASSWORD_AUTH 0
#define DROPBEAR_CLI_AGENTFWD 0
#define DROPBEAR_CLI_LOCALTCPFWD 0
#define DROPBEAR_CLI_REMOTETCPFWD 0
#define DROPBEAR_CLI_NETCAT 0
#define DROPBEAR_CLI_PROXYCMD 1
#define DROPBEAR_USE_SSH_CONFIG 0

/* ciphers: the AEADs first (chacha20-poly1305, aes-gcm), then AES-CTR with
 * an encrypt-then-MAC SHA-2 MAC for clients without an AEAD (paramiko 2.12);
 * no CBC, no 3DES. GCM is off by default upstream (code size); on here for
 * clients without chacha20-poly1305 (FIPS-mode ones). All of them run on
 * AES-NI/PCLMUL/AVX2 when the CPU has them (patch 0009) */
#define DROPBEAR_AES128 1
#define DROPBEAR_AES256 1
#define DROPBEAR_3DES 0
#define DROPBEAR_CHACHA20POLY1305 1
#define DROPBEAR_ENABLE_CTR_MODE 1
#define DROPBEAR_ENABLE_CBC_MODE 0
#define DROPBEAR_ENABLE_GCM_MODE 1

/* MACs, for the CTR ciphers only (AEAD ciphers carry their own): SHA-2,
 * encrypt-then-MAC only (hmac-sha2-256-etm@openssh.com and -512-etm, patch
 * 0010); no encrypt-and-MAC, no SHA-1 */
#define DROPBEAR_SHA1_HMAC 0
#define DROPBEAR_SHA1_96_HMAC 0
#define DROPBEAR_SHA2_256_HMAC 1
#define DROPBEAR_SHA2_512_HMAC 1
#define DROPBEAR_ENCRYPT_AND_MAC 0

/* host and user keys: ed25519 and ecdsa (FIDO sk- variants kept for the roadmap) */
#define DROPBEAR_RSA 0
#define DROPBEAR_RSA_SHA1 0
#define DROPBEAR_DSS 0
#define DROPBEAR_ECDSA 1
#define DROPBEAR_ED25519 1
#define DROPBEAR_SK_KEYS 1

/* key exchange, in upstream's order of preference: post-quantum hybrids
 * sntrup761x25519-sha512 and mlkem768x25519-sha256 first, then curve25519,
 * then ECDH; no finite-field DH (group14-sha1 is SHA-1, the others slow) */
#define DROPBEAR_SNTRUP761 1
#define DROPBEAR_MLKEM768 1
#define DROPBEAR_CURVE25519 1
#define DROPBEAR_ECDH 1
#define DROPBEAR_DH_GROUP1 0
#define DROPBEAR_DH_GROUP14_SHA1 0
#define DROPBEAR_DH_GROUP14_SHA256 0
#define DROPBEAR_DH_GROUP16 0

#define DEFAULT_PATH "/bin"
#define DEFAULT_ROOT_PATH "/sbin:/bin"
#define DEFAULT_KEEPALIVE 60
#define DEFAULT_IDLE_TIMEOUT 0

/* bulk data through the jump (tests/host/bench_throughput.sh): a channel
 * window of 24 KiB (upstream's) is smaller than one 32 KiB packet, so the
 * client stalls for a window adjust every few KiB (one more packet, one more
 * write each); OpenSSH gives 2 MiB. The channel's buffer is allocated only
 * when the target does not take the data at once, so an idle session costs
 * nothing more. Packets to the client carry up to 32 KiB (upstream: 16). */
#define DEFAULT_RECV_WINDOW (2 * 1024 * 1024)
#define TRANS_MAX_PAYLOAD_LEN 32768
