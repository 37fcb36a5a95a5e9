/* recctl_client: jumpctl's side of the recorder's admin socket
 * (/run/rec/ctl.sock, jumpd/rec/recctl.c): `jumpctl sessions`, `watch ID`,
 * `end ID`, `target-key TARGET`, `target-pin TARGET`. Owns sending the one
 * request line and printing the reply lines (or, for watch, copying the
 * session's output to stdout until it ends). */
#ifndef JB_RECCTL_CLIENT_H
#define JB_RECCTL_CLIENT_H

#define RECCTL_SOCKET "/run/rec/ctl.sock"

/* Runs one subcommand (argv[0] is its name). Returns the exit status
 * (0 ok, 1 refused or failed, 2 usage), or -1 if argv[0] is not one of
 * the recorder's subcommands. */
int recctl_client_main(const char *sock, int argc, char **argv);

/* For the jump menu (`ssh admin@box sessions|watch ID|end ID`): one
 * command line, split at blanks; runs it if it is sessions, watch or end
 * (jumpd decides whether the user is an admin: rec_admin). Returns as
 * recctl_client_main (2: usage, told on stderr), -1 if it is none of them. */
int recctl_client_line(const char *sock, const char *line);
#endif
