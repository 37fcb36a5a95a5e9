/* relay: jumpmenu's recorded-session stub (docs/recording.md). When the
 * login name carried a target (`ssh alice+db1@box`, Dropbear patch 0015
 * sets JB_TARGET), or the user picks a recorded target in the menu, the
 * session is not ours to run: the stub hands the user's descriptors 0, 1, 2
 * to the recorder (jumprec, /run/rec/rec.sock) with one `open` line, keeps
 * only the socket (and, for a terminal, one descriptor of it to read the
 * window size when SIGWINCH comes: `winch cols= rows=`), and exits with
 * the status jumprec reports (`exit status=N`; `exit signal=NAME` gives
 * 128 + the signal's number; `end reason=...` or a lost socket gives 255).
 * It prints nothing once the descriptors are handed over: jumprec tells
 * the user why a session ended. Runs as the user; holds no secret. */
#ifndef JB_RELAY_H
#define JB_RELAY_H
#include <stddef.h>

#define RELAY_SOCKET "/run/rec/rec.sock"
#define RELAY_SFTP_COMMAND "/usr/libexec/jb-sftp"   /* the sftp subsystem (localoptions.h) */

struct relay_tty {
	int pty;                /* 1: fd 0 is a terminal */
	const char *term;       /* TERM (pty only) */
	unsigned cols, rows;    /* the window (pty only; 0: unknown, sent as 80x24) */
};

/* Writes the `open` request line ('\n' included) for selector and the
 * shell's -c command (NULL: an interactive shell; RELAY_SFTP_COMMAND:
 * sftp; anything else: exec) into out. Returns its length, or -1 with a
 * one-line reason in why: the selector is not well formed, or the command
 * is not something the line can carry (longer than 255 bytes, or not safe
 * text: a control character). */
int relay_open_line(char *out, size_t cap, const char *selector, const char *cmd, const struct relay_tty *tty,
		    char *why, size_t whylen);

/* The exit status for one line from jumprec: 0-255 for `exit status=N`,
 * 128 + N for `exit signal=NAME`, 255 for `end ...`; -1 for a line that is
 * none of those (ignored: a later version may say more). */
int relay_status_of(const char *line);

/* Runs the session at sock_path: raw mode on a terminal fd 0, the open
 * line with fds 0, 1, 2, then fds 0, 1, 2 are /dev/null (if keep_tty, a
 * copy of the terminal is put back on them after the session, with its
 * mode restored: the menu goes on). Returns the exit status. A failure
 * before the hand-over (no recorder, a command the line cannot carry) is
 * told on stderr, status 255. */
int relay_run(const char *sock_path, const char *selector, const char *cmd, int keep_tty);

#endif
