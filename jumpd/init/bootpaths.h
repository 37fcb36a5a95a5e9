/* bootpaths: where init's programs and the programs it runs live, and the
 * files init's programs hand each other during the boot. One place, so the
 * writer and the reader of each file cannot disagree. */
#ifndef JB_INIT_BOOTPATHS_H
#define JB_INIT_BOOTPATHS_H

#define PROG_INIT "/sbin/init"

/* the programs it supervises */
#define PROG_DROPBEAR "/sbin/dropbearmulti"
#define PROG_JUMPD "/sbin/jumpd"
#define PROG_JUMPFW "/sbin/jumpfw"
#define PROG_JUMPSHIP "/sbin/jumpship"

/* the volumes and where the site configuration is looked for */
#define STATE_LABEL "JBSTATE"
#define CONFIG_LABEL "JBCONFIG"
#define CONFIG_ON_VOLUME "/config/jumpbox.conf"
#define CONFIG_BAKED "/etc/jumpbox/jumpbox.conf"

#define HOSTKEY_DIR "/state/ssh"
#define RANDOM_SEED "/state/random-seed"
#endif
