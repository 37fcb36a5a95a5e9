/* setup (jb-setup): config check, host name, accounts (see setup.h). */
#include "setup.h"
#include "bootpaths.h"
#include "fsutil.h"
#include "log.h"
#include "users.h"
#include "../common/durable.h"
#include "../common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char text[FSUTIL_MAX_FILE]; /* the file, read once: what is checked is what is recorded */

static void record_path(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

enum setup_outcome setup_check_config(const char *file, const char *dir, struct siteconf *conf,
				      char *why, size_t cap)
{
	char applied[256], refused[256];
	struct siteconf_error err = { 0 };
	ssize_t len = -1;

	why[0] = 0;
	record_path(applied, sizeof applied, dir, SETUP_APPLIED);
	record_path(refused, sizeof refused, dir, SETUP_REFUSED);
	unlink(applied);
	unlink(refused);
	if (!file) {
		siteconf_defaults(conf);
		log_loud("no site configuration (no volume labelled %s, none baked in): "
			 "no users, SSH will not be started", CONFIG_LABEL);
		return SETUP_NONE;
	}
	/* read here rather than by siteconf_load, which would not give the bytes
	 * back; the same messages, the same 1 MiB limit */
	size_t got;
	if (readfile_whole(file, 0, text, sizeof text, &got) == 0) {
		len = (ssize_t)got;
	} else {
		snprintf(err.file, sizeof err.file, "%s", file);
		if (errno == EFBIG)
			snprintf(err.msg, sizeof err.msg, "file larger than 1 MiB");
		else
			snprintf(err.msg, sizeof err.msg, "cannot read: %s", strerror(errno));
	}
	if (len < 0 || siteconf_parse(conf, text, (size_t)len, file, &err)) {
		siteconf_defaults(conf);
		if (err.line)
			snprintf(why, cap, "%s:%u: %s", err.file, err.line, err.msg);
		else
			snprintf(why, cap, "%s: %s", err.file, err.msg);
		if (durable_replace(refused, why, strlen(why), 0600))
			log_loud("cannot record the refusal in %s: %s", refused, strerror(errno));
		log_loud("CONFIG REFUSED: %s", why);
		log_loud("serving nothing until the configuration is fixed (the network stays up for diagnosis)");
		explicit_bzero(text, sizeof text);
		return SETUP_REFUSE;
	}
	/* 0600 root in a 0700 directory: the file holds TOTP secrets */
	int recorded = durable_replace(applied, text, (size_t)len, 0600);
	explicit_bzero(text, sizeof text);
	if (recorded) {
		/* the supervisor would find no record and serve nothing: say so */
		snprintf(why, cap, "%s: cannot record the checked file in %s: %s", file, applied, strerror(errno));
		siteconf_defaults(conf);
		log_loud("CONFIG REFUSED: %s", why);
		return SETUP_REFUSE;
	}
	log_msg("config %s applied: %u users, %s", file, conf->nusers, conf->dhcp ? "dhcp" : "static address");
	return SETUP_OK;
}

enum setup_outcome setup_read_outcome(const char *dir, struct siteconf *conf, char *why, size_t cap)
{
	char path[256];
	struct siteconf_error err = { 0 };

	why[0] = 0;
	siteconf_defaults(conf);
	record_path(path, sizeof path, dir, SETUP_REFUSED);
	if (access(path, F_OK) == 0) {
		size_t n;
		if (readfile_whole(path, O_NOFOLLOW, why, cap, &n)) /* still refused: a record that cannot be read never opens anything */
			snprintf(why, cap, "%s: refusal record unreadable: %s", path, strerror(errno));
		else
			why[n] = 0;
		return SETUP_REFUSE;
	}
	record_path(path, sizeof path, dir, SETUP_APPLIED);
	if (access(path, F_OK) != 0)
		return SETUP_NONE;
	if (siteconf_load(conf, path, &err) == 0)
		return SETUP_OK;
	/* the same bytes passed a moment ago: only a broken record gets here */
	siteconf_defaults(conf);
	snprintf(why, cap, "%s: %s", path, err.msg);
	return SETUP_REFUSE;
}

int setup_main(int argc, char **argv)
{
	static struct siteconf conf;
	char why[400];
	int rc = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: jb-setup [CONFIG_FILE]\n");
		return 2;
	}
	mkdir(SETUP_DIR, 0700);
	if (chmod(SETUP_DIR, 0700)) {
		log_loud("%s: %s", SETUP_DIR, strerror(errno));
		return 1;
	}
	setup_check_config(argc == 2 ? argv[1] : NULL, SETUP_DIR, &conf, why, sizeof why);
	if (sethostname(conf.hostname, strlen(conf.hostname)))
		log_msg("hostname %s: %s", conf.hostname, strerror(errno));
	if (users_apply(&conf, "/run/etc", USERS_HOME)) {
		log_loud("accounts could not be written: SSH will refuse every login");
		rc = 1;
	}
	explicit_bzero(&conf, sizeof conf);
	return rc;
}
