/* jumpbox: compile-time options for Dropbear (server + dropbearkey only).
 * Tightest sane defaults: public keys only, no root login (runtime -w),
 * modern algorithms only, no forwarding except direct-tcpip for `ssh -J`. */

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

/* forwarding: only local (direct-tcpip) for ssh -J */
#define DROPBEAR_X11FWD 0
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_SVR_REMOTETCPFWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 1
#define DROPBEAR_SFTPSERVER 0

/* ciphers: AEAD only (chacha20-poly1305, aes-gcm); no CBC, no CTR, no 3DES */
#define DROPBEAR_AES128 1
#define DROPBEAR_AES256 1
#define DROPBEAR_3DES 0
#define DROPBEAR_CHACHA20POLY1305 1
#define DROPBEAR_ENABLE_CTR_MODE 0
#define DROPBEAR_ENABLE_CBC_MODE 0
#define DROPBEAR_ENABLE_GCM_MODE 1

/* MACs: SHA-2 only (unused with AEAD ciphers, but one must exist) */
#define DROPBEAR_SHA1_HMAC 0
#define DROPBEAR_SHA1_96_HMAC 0
#define DROPBEAR_SHA2_256_HMAC 1
#define DROPBEAR_SHA2_512_HMAC 1

/* host and user keys: ed25519 and ecdsa (FIDO sk- variants kept for the roadmap) */
#define DROPBEAR_RSA 0
#define DROPBEAR_RSA_SHA1 0
#define DROPBEAR_DSS 0
#define DROPBEAR_ECDSA 1
#define DROPBEAR_ED25519 1
#define DROPBEAR_SK_KEYS 1

/* key exchange: curve25519 and ECDH only */
#define DROPBEAR_DH_GROUP1 0
#define DROPBEAR_DH_GROUP14_SHA1 0
#define DROPBEAR_DH_GROUP14_SHA256 0
#define DROPBEAR_DH_GROUP16 0
#define DROPBEAR_CURVE25519 1
#define DROPBEAR_ECDH 1

#define DEFAULT_PATH "/bin"
#define DEFAULT_ROOT_PATH "/sbin:/bin"
#define DEFAULT_KEEPALIVE 60
#define DEFAULT_IDLE_TIMEOUT 0
