/* recspawn: starting Dropbear's programs for jumprec, with exactly the
 * descriptors and environment given and nothing of jumprec's inherited
 * (no other session's descriptors, no environment variable, default
 * signal dispositions). Owns the child side of fork: pty or pipes, the
 * target connection on fd 3, a new session. No allocation. */
#ifndef JB_RECSPAWN_H
#define JB_RECSPAWN_H
#include <sys/types.h>

/* A running dbclient: in and out are the same pty master for a pty
 * session, pipes (its stdin, its stdout) otherwise; err is always a pipe
 * from its stderr (so its own refusals can be read apart from a pty's
 * stream). All non-blocking, close-on-exec. */
struct recspawn_child {
	pid_t pid;
	int in, out, err;
};

/* Runs `bin argv[1..]` (argv[0] is bin's name for the multi-call binary)
 * with envp only, setsid, the connected socket tcp as fd 3 (-J '&3'); with
 * pty, a new pty of cols x rows as its controlling terminal on fds 0 and 1.
 * Returns 0, or -1 with a reason in err (then nothing is left open or
 * running). tcp stays the caller's to close. */
int recspawn_dbclient(const char *bin, char *const argv[], char *const envp[], int tcp, int pty,
		      unsigned cols, unsigned rows, struct recspawn_child *c, char *err, size_t errlen);

/* Runs `bin argv[1..]` with envp, optional fd3 (-1: none) as fd 3, stdin
 * /dev/null, stdout and stderr into out (at most cap-1 bytes kept,
 * NUL-terminated), for at most timeout_ms (then killed). Returns its exit
 * status (0-255), or -1 if it could not run, was killed or timed out (err
 * says which). Blocks: for short admin steps, not the session path. */
int recspawn_capture(const char *bin, char *const argv[], char *const envp[], int fd3,
		     char *out, size_t cap, int timeout_ms, char *err, size_t errlen);

/* Sets O_NONBLOCK on fd. 0 or -1. */
int recspawn_nonblock(int fd);
#endif
