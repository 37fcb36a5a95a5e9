/* rsyncparse: see rsyncparse.h. */
#include "rsyncparse.h"

#include <string.h>

/* Copies the next word of *s into w (cap bytes), undoing backslash
 * escapes, and advances *s past it and the spaces after it. Returns the
 * word's length, or -1 if it does not fit or a backslash ends the line. */
static long next_word(const char **s, char *w, size_t cap)
{
	const char *p = *s;
	size_t n = 0;
	while (*p && *p != ' ') {
		char ch = *p++;
		if (ch == '\\') {
			if (!*p)
				return -1;
			ch = *p++;
		}
		if (n + 1 >= cap)
			return -1;
		w[n++] = ch;
	}
	w[n] = 0;
	while (*p == ' ')
		p++;
	*s = p;
	return (long)n;
}

/* the short option letters and what they mean to the stream; letters that
 * only change what the peers do with files (v, n, u, ...) are known and
 * harmless; any other is unsupported, as its effect on the stream is not */
static int short_opts(const char *w, struct rsync_cmd *c)
{
	static const char harmless[] = "vqbundKOJyLkECIRxS";
	static const struct { char ch; unsigned bit; } bits[] = {
		{'r', RSYNC_O_RECURSE}, {'l', RSYNC_O_LINKS}, {'o', RSYNC_O_OWNER}, {'g', RSYNC_O_GROUP},
		{'D', RSYNC_O_DEVICES}, {'t', RSYNC_O_TIMES}, {'p', RSYNC_O_PERMS}, {'W', RSYNC_O_WHOLE},
		{'z', RSYNC_O_COMPRESS}, {'A', RSYNC_O_ACLS}, {'X', RSYNC_O_XATTRS}, {'H', RSYNC_O_HARDLINKS},
		{'s', RSYNC_O_PROTECT}, {'c', RSYNC_O_CHECKSUM}, {'U', RSYNC_O_ATIMES}, {'N', RSYNC_O_CRTIMES},
		{'m', RSYNC_O_FILTERS},
	};
	for (const char *p = w + 1; *p; p++) {
		size_t i;
		if (*p == 'e') { /* the rest is "e<proto>.<capabilities>" or "e.<capabilities>" */
			const char *dot = strchr(p, '.');
			if (dot && strchr(dot, 'i'))
				c->opts |= RSYNC_O_INC_RECURSE;
			if (dot && strchr(dot, 'v'))
				c->opts |= RSYNC_O_VARINT_FLAGS;
			return 0;
		}
		for (i = 0; i < sizeof bits / sizeof bits[0]; i++)
			if (bits[i].ch == *p)
				break;
		if (i < sizeof bits / sizeof bits[0])
			c->opts |= bits[i].bit;
		else if (!strchr(harmless, *p) && !c->unsupported)
			c->unsupported = "unknown short option";
	}
	return 0;
}

/* long options that change what crosses the wire in a way a stream parser
 * would have to follow */
static void long_opt(const char *w, struct rsync_cmd *c)
{
	static const char *const odd[] = {"--iconv", "--files-from", "--list-only", "--only-write-batch",
					  "--new-compress", "--old-compress", "--compress-choice", "--numeric-ids",
					  "--checksum-choice", "--usermap", "--groupmap", "--chown", "--append"};
	size_t len = strcspn(w, "=");
	if (!strncmp(w, "--delete", 8) || !strcmp(w, "--prune-empty-dirs"))
		c->opts |= RSYNC_O_FILTERS;
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		if (strlen(odd[i]) == len && !strncmp(w, odd[i], len)) {
			if (!c->unsupported)
				c->unsupported = odd[i] + 2;
			if (i >= 4 && i <= 6)
				c->opts |= RSYNC_O_COMPRESS;
		}
}

int rsyncparse_command(const char *cmd, struct rsync_cmd *c, char *path, size_t cap)
{
	char w[1024];
	int seen_dot = 0;
	memset(c, 0, sizeof *c);
	c->dir = XFER_UPLOAD;
	if (!cap)
		return -1;
	path[0] = 0;
	while (*cmd == ' ')
		cmd++;
	if (next_word(&cmd, w, sizeof w) < 0 || strcmp(w, "rsync") != 0 || next_word(&cmd, w, sizeof w) < 0 ||
	    strcmp(w, "--server") != 0)
		return -1;
	while (*cmd) {
		if (seen_dot) {
			long n = next_word(&cmd, w, sizeof w);
			if (n < 0 || (!c->npaths && (size_t)n >= cap))
				return -1;
			if (!c->npaths)
				memcpy(path, w, (size_t)n + 1);
			c->npaths++;
			continue;
		}
		if (next_word(&cmd, w, sizeof w) < 0)
			return -1;
		if (!strcmp(w, "."))
			seen_dot = 1;
		else if (!strcmp(w, "--sender"))
			c->dir = XFER_DOWNLOAD;
		else if (!strncmp(w, "--", 2) && strlen(w) > 2)
			long_opt(w, c);
		else if (w[0] == '-' && w[1] && w[1] != '-')
			short_opts(w, c);
		else
			return -1; /* a word that is neither an option nor the placeholder */
	}
	if (c->opts & RSYNC_O_PROTECT) { /* the rest of the command comes in the stream */
		c->unsupported = "protected args";
		return seen_dot ? -1 : 0;
	}
	if (!seen_dot || !c->npaths)
		return -1;
	if (c->opts & RSYNC_O_COMPRESS)
		c->unsupported = "compression";
	else if (c->opts & RSYNC_O_ACLS)
		c->unsupported = "ACLs";
	else if (c->opts & RSYNC_O_XATTRS)
		c->unsupported = "xattrs";
	else if (c->opts & RSYNC_O_HARDLINKS)
		c->unsupported = "hard links";
	return 0;
}
