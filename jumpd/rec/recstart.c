/* recstart: see recstart.h. */
#include "recstart.h"
#include "recaudit.h"
#include "recspool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int recstart_mark(const char *live_dir, const char *session, int64_t start_unix_ms, uid_t uid,
		  const char *target)
{
	char path[320], line[160];
	if (!recchain_session_ok(session) || snprintf(path, sizeof path, "%s/%s", live_dir, session) >= (int)sizeof path)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	int n = snprintf(line, sizeof line, "%lld %u %.63s\n", (long long)start_unix_ms, (unsigned)uid, target);
	if (write(fd, line, (size_t)n) != n || fdatasync(fd)) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

void recstart_touch(int fd)
{
	if (fd >= 0)
		futimens(fd, NULL);
}

void recstart_unmark(const char *live_dir, const char *session, int fd)
{
	char path[320];
	if (fd >= 0)
		close(fd);
	if (recchain_session_ok(session) && snprintf(path, sizeof path, "%s/%s", live_dir, session) < (int)sizeof path)
		unlink(path);
}

/* one mark: 0 recovered (and removed), -1 kept */
static int recover_one(const char *live_dir, const char *name, const char *spool_path, const char *jumpd_sock)
{
	char path[320], buf[160] = "", reason[256];
	struct stat st = { 0 };
	struct recchain rc;
	snprintf(path, sizeof path, "%s/%s", live_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, buf, sizeof buf - 1);
	int ok = r > 0 && fstat(fd, &st) == 0;
	close(fd);
	long long start_ms = ok ? strtoll(buf, NULL, 10) : 0;
	/* the duration known: up to the last checkpoint (the mark's mtime) */
	int64_t last_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
	if (!ok || recspool_last(spool_path, name, &rc)) {
		fprintf(stderr, "jumprec: recovery: %s: cannot read the mark or the spool\n", name);
		return -1;
	}
	if (recaudit_end(jumpd_sock, name, rc.next_chunk, rc.bytes, rc.chain, start_ms ? last_ms - start_ms : 0, "-",
			 "recovered", reason, sizeof reason)) {
		fprintf(stderr, "jumprec: recovery: %s: jumpd did not take REC_END: %s\n", name, reason);
		return -1;
	}
	fprintf(stderr, "jumprec: recovered session %s: %llu chunks, %llu bytes\n", name,
		(unsigned long long)rc.next_chunk, (unsigned long long)rc.bytes);
	unlink(path);
	return 0;
}

int recstart_recover(const char *live_dir, const char *spool_path, const char *jumpd_sock, unsigned *failed)
{
	int n = 0;
	*failed = 0;
	DIR *d = opendir(live_dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!recchain_session_ok(e->d_name))
			continue;
		if (recover_one(live_dir, e->d_name, spool_path, jumpd_sock) == 0)
			n++;
		else
			(*failed)++;
	}
	closedir(d);
	return n;
}
