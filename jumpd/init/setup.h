/* setup (jb-setup): the site configuration check, and what follows from it
 * before any service runs: the host name and the unix accounts.
 *
 * Run once by the supervisor, as root, first of the boot steps, with the
 * file PID 1 found (`jb-setup FILE`, or no argument: none). It records the
 * outcome in SETUP_DIR for the steps after it: the validated bytes
 * (SETUP_APPLIED), so every later reader parses exactly what was checked,
 * or the refusal (SETUP_REFUSED: "file:line: reason"), or nothing. A
 * refused or missing config applies the defaults: no user, nothing served. */
#ifndef JB_INIT_SETUP_H
#define JB_INIT_SETUP_H
#include <stddef.h>
#include "../common/siteconf.h"

enum setup_outcome {
	SETUP_NONE,    /* no file to check */
	SETUP_OK,      /* checked and applied */
	SETUP_REFUSE,  /* checked and refused: serve nothing, say why */
};

/* Checks `file` (NULL: none) and records the outcome in `dir` (which must
 * exist). Fills *conf: the file's settings, or the defaults; and `why`
 * (cap bytes) with the refusal, or "". Logs the outcome on the console. */
enum setup_outcome setup_check_config(const char *file, const char *dir, struct siteconf *conf,
				      char *why, size_t cap);

/* Reads back what setup_check_config recorded in `dir`: the same outcome,
 * *conf and `why`. A record that cannot be read is a refusal. */
enum setup_outcome setup_read_outcome(const char *dir, struct siteconf *conf, char *why, size_t cap);

/* jb-setup [FILE] */
int setup_main(int argc, char **argv);
#endif
