/* transfer_tap: a test tool (not shipped) that sits between a real client
 * and a real server of a file transfer, copies both directions, feeds them
 * to sftpparse or scpparse as the recorder would, and appends each event
 * to a file as a line `DIR PATH SIZE SHA256|- REASON|-`.
 *
 *   sftp -D 'transfer_tap sftp EVENTS /usr/lib/openssh/sftp-server' ...
 *   TAP_EVENTS=EVENTS scp -O -S transfer_tap ...
 *
 * In scp mode it is run as scp's ssh program: `transfer_tap [ssh options]
 * host COMMAND`, and runs COMMAND (`scp -t|-f [options] PATH`) locally
 * under sh -c, as a target's sshd would.
 *
 * In rsync mode it is rsync's remote shell: `rsync -e 'transfer_tap rsync
 * EVENTS' SRC host:DST` runs it as `transfer_tap rsync EVENTS host rsync
 * --server ...`; it reads that command with rsyncparse_command (the words
 * joined as ssh would send them), writes `command DIR PATH UNSUPPORTED|-`,
 * runs the command locally under sh -c, feeds both directions to
 * rsyncstream (one event line per file) and at the end writes `bytes UP
 * DOWN`.
 *
 * With TAP_NOISE=TEXT the server's side first says TEXT (as a target whose
 * shell start-up prints something would), which legacy scp cannot take.
 *
 * With TAP_DUMP=FILE it also writes the first 8000 bytes of the session in
 * the raw form the fuzz harnesses read (tests/corpus/sftpparse, scpparse):
 * (rsync: the whole session, up to 4 MiB, the first byte being 0 for an
 * upload, 2 for a download, then the command line and a NUL),
 * a first byte (bit 1: a download), then chunks of a header byte
 * (length << 1 | 1 for the server's or the sink's stream) and the bytes. */
#include "rsyncparse.h"
#include "rsyncstream.h"
#include "scpparse.h"
#include "sftpparse.h"
#include "hex.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *events;
static struct sftpparse sftp;
static struct scpparse scp;
static int is_scp, scp_upload, is_rsync;
static unsigned long long rsync_up, rsync_down;
static struct rsyncstream rsync_p;
static char rsync_cmdline[8192];
static int rsync_download;
static FILE *dump;
static size_t dumped;

/* second: 1 for the server's stream (sftp) or the sink's (scp) */
static void dump_chunk(int second, const uint8_t *b, size_t n)
{
	if (!dump && getenv("TAP_DUMP")) {
		if (!(dump = fopen(getenv("TAP_DUMP"), "w")))
			return;
		fputc((is_scp && !scp_upload) || rsync_download ? 2 : 0, dump);
		dumped = 1;
		if (is_rsync) {
			fwrite(rsync_cmdline, 1, strlen(rsync_cmdline) + 1, dump);
			dumped += strlen(rsync_cmdline) + 1;
		}
	}
	while (dump && n > 0 && dumped + 128 <= (is_rsync ? 4u << 20 : 8000)) {
		size_t k = n < 127 ? n : 127;
		fputc((int)(k << 1 | (size_t)second), dump);
		fwrite(b, 1, k, dump);
		dumped += k + 1;
		b += k;
		n -= k;
	}
}

static void on_event(void *ctx, const struct xfer_event *ev)
{
	char sha[65] = "-", path[SCP_PATH_MAX * 4];
	(void)ctx;
	if (ev->sha_known)
		hex_encode(ev->sha256, 32, sha);
	xfer_path_visible(ev->path, path, sizeof path);
	fprintf(events, "%s %s %lld %s %s%s%s\n", ev->dir == XFER_UPLOAD ? "upload" : "download", path,
		(long long)ev->size, sha, ev->reason ? ev->reason : "-", ev->detail ? ":" : "",
		ev->detail ? ev->detail : "");
	fflush(events);
}

/* bytes from the client (our stdin) and from the server (the child) */
static void from_client(const uint8_t *b, size_t n)
{
	dump_chunk(is_scp && !scp_upload, b, n);
	if (is_rsync) {
		rsync_up += n;
		rsyncstream_client(&rsync_p, b, n);
	} else if (!is_scp)
		sftpparse_client(&sftp, b, n);
	else if (scp_upload)
		scpparse_data(&scp, b, n);
	else
		scpparse_reply(&scp, b, n);
}

static void from_server(const uint8_t *b, size_t n)
{
	dump_chunk(!is_scp || scp_upload, b, n);
	if (is_rsync) {
		rsync_down += n;
		rsyncstream_server(&rsync_p, b, n);
	} else if (!is_scp)
		sftpparse_server(&sftp, b, n);
	else if (scp_upload)
		scpparse_reply(&scp, b, n);
	else
		scpparse_data(&scp, b, n);
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) { /* rsync hands its remote shell non-blocking ends */
			struct pollfd o = { .fd = fd, .events = POLLOUT };
			poll(&o, 1, -1);
			continue;
		}
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* runs argv with pipes and copies both ways until the server's output ends */
static int relay(char *const argv[])
{
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return 255;
	pid_t pid = fork();
	if (pid < 0)
		return 255;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	signal(SIGPIPE, SIG_IGN);
	const char *noise = getenv("TAP_NOISE");
	if (noise) {
		from_server((const uint8_t *)noise, strlen(noise));
		write_all(1, (const uint8_t *)noise, strlen(noise));
	}
	struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = out[0], .events = POLLIN } };
	static uint8_t buf[65536];
	int to_child = in[1];
	while (fds[1].fd >= 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof buf);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				if (i == 0 && to_child >= 0) {
					close(to_child);
					to_child = -1;
				}
				fds[i].fd = -1;
				continue;
			}
			if (i == 0) {
				from_client(buf, (size_t)n);
				if (to_child >= 0 && write_all(to_child, buf, (size_t)n)) {
					close(to_child);
					to_child = -1;
				}
			} else {
				from_server(buf, (size_t)n);
				if (write_all(1, buf, (size_t)n))
					break;
			}
		}
	}
	if (to_child >= 0)
		close(to_child);
	int status = 0;
	waitpid(pid, &status, 0);
	if (dump)
		fclose(dump);
	if (is_rsync) {
		rsyncstream_end(&rsync_p);
		fprintf(events, "bytes %llu %llu\n", rsync_up, rsync_down);
	}
	else if (is_scp)
		scpparse_end(&scp);
	else
		sftpparse_end(&sftp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

/* `rsync EVENTS host WORDS...`: the command is WORDS joined by spaces */
static int rsync_mode(const char *evfile, int n, char **words)
{
	static char cmd[8192], path[SCP_PATH_MAX * 4];
	size_t len = 0;
	struct rsync_cmd c;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(words[i]);
		if (len + k + 2 > sizeof cmd)
			return 255;
		if (i)
			cmd[len++] = ' ';
		memcpy(cmd + len, words[i], k + 1);
		len += k;
	}
	if (!(events = fopen(evfile, "a")))
		return 255;
	is_rsync = 1;
	if (rsyncparse_command(cmd, &c, path, sizeof path))
		fprintf(events, "command - - unreadable\n");
	else
		fprintf(events, "command %s %s %s\n", c.dir == XFER_UPLOAD ? "upload" : "download", path[0] ? path : "-",
			c.unsupported ? c.unsupported : "-");
	fflush(events);
	snprintf(rsync_cmdline, sizeof rsync_cmdline, "%s", cmd);
	if (rsyncparse_command(cmd, &c, path, sizeof path))
		memset(&c, 0, sizeof c), c.unsupported = "unreadable command", path[0] = 0;
	rsync_download = c.dir == XFER_DOWNLOAD;
	rsyncstream_init(&rsync_p, &c, path, on_event, NULL);
	char *sh[] = { "sh", "-c", cmd, NULL };
	return relay(sh);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "sftp")) {
		if (!(events = fopen(argv[2], "a")))
			return 255;
		sftpparse_init(&sftp, on_event, NULL);
		return relay(argv + 3);
	}
	if (argc >= 6 && !strcmp(argv[1], "rsync"))
		return rsync_mode(argv[2], argc - 4, argv + 4);
	const char *ev = getenv("TAP_EVENTS"), *path;
	enum xfer_dir dir;
	if (argc < 3 || !ev || scpparse_command(argv[argc - 1], &dir, &path)) {
		fprintf(stderr, "usage: transfer_tap sftp EVENTS SERVER [ARGS] | TAP_EVENTS=F transfer_tap [ssh args] HOST 'scp -t|-f PATH'\n");
		return 255;
	}
	if (!(events = fopen(ev, "a")))
		return 255;
	is_scp = 1;
	scp_upload = dir == XFER_UPLOAD;
	scpparse_init(&scp, dir, path, on_event, NULL);
	char *sh[] = { "sh", "-c", argv[argc - 1], NULL };
	return relay(sh);
}
