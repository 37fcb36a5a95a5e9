/* bootpaths: where init's programs and the programs it runs live, and the
 * files init's programs hand each other during the boot. One place, so the
 * writer and the reader of each file cannot disagree.
 *
 * /sbin/init is the multi-call binary (multicall.c); the other jb-* names
 * are symlinks to it (build/mkrootfs.sh). */
#ifndef JB_INIT_BOOTPATHS_H
#define JB_INIT_BOOTPATHS_H

/* init's own programs */
#define PROG_INIT "/sbin/init"
#define PROG_SUPERVISOR "/sbin/jb-supervise"
#define PROG_SETUP "/sbin/jb-setup"
#define PROG_HOSTKEYS "/sbin/jb-hostkeys"
#define PROG_NETUP "/sbin/jb-net"
#define PROG_DHCP_HOOK "/sbin/jb-dhcp-hook"

/* the programs it supervises */
#define PROG_DROPBEAR "/sbin/dropbearmulti"
#define PROG_JUMPD "/sbin/jumpd"
#define PROG_JUMPFW "/sbin/jumpfw"
#define PROG_JUMPSHIP "/sbin/jumpship"
#define PROG_JUMPREC "/sbin/jumprec"
#define PROG_BUSYBOX "/bin/busybox"

/* the volumes and where the site configuration is looked for */
#define STATE_LABEL "JBSTATE"
#define CONFIG_LABEL "JBCONFIG"
#define CONFIG_ON_VOLUME "/config/jumpbox.conf"
#define CONFIG_BAKED "/etc/jumpbox/jumpbox.conf"

/* jb-setup's record of the config check (root only, 0700): the validated
 * bytes, or why the file was refused; neither: there was no file */
#define SETUP_DIR "/run/init"
#define SETUP_APPLIED "site.conf"
#define SETUP_REFUSED "refused"

#define HOSTKEY_DIR "/state/ssh"
#define RANDOM_SEED "/state/random-seed"
#endif
