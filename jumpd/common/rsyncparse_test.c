/* unit tests for rsyncparse.c: the server commands real rsync builds
 * (3.2.7 and 3.5.0, captured with a remote shell that prints its
 * arguments) give direction, path and the options; escaped paths are
 * undone; what a stream parser cannot follow is named; malformed
 * commands are refused (with the well-formed one as control). */
#include "rsyncparse.h"
#include "unittest.h"
#include <string.h>

static struct rsync_cmd c;
static char path[64];

static int rd(const char *cmd)
{
	return rsyncparse_command(cmd, &c, path, sizeof path);
}

static void upload_download(void)
{
	CHECK(rd("rsync --server -e.LsfxCIvu . /tmp/x") == 0);
	CHECK(c.dir == XFER_UPLOAD && !strcmp(path, "/tmp/x") && c.npaths == 1 && !c.unsupported);
	CHECK(!(c.opts & RSYNC_O_INC_RECURSE) && (c.opts & RSYNC_O_VARINT_FLAGS));
	CHECK(rd("rsync --server --sender -logDtpre.iLsfxCIvu . /tmp/x") == 0);
	CHECK(c.dir == XFER_DOWNLOAD && !strcmp(path, "/tmp/x") && !c.unsupported);
	CHECK((c.opts & (RSYNC_O_RECURSE | RSYNC_O_OWNER | RSYNC_O_GROUP | RSYNC_O_LINKS | RSYNC_O_INC_RECURSE)) ==
	      (RSYNC_O_RECURSE | RSYNC_O_OWNER | RSYNC_O_GROUP | RSYNC_O_LINKS | RSYNC_O_INC_RECURSE));
	CHECK(!(c.opts & RSYNC_O_COMPRESS));
	/* several sources of a download: the first is the path, all counted */
	CHECK(rd("rsync --server --sender -vlogDtpre.iLsfxCIvu . /a /b") == 0 && c.npaths == 2 && !strcmp(path, "/a"));
	/* 3.2.7 puts the protocol number after e */
	CHECK(rd("rsync --server -vlogDtpre31.iLsfxCIvu --log-format=X . d/") == 0 && !strcmp(path, "d/"));
	CHECK(c.opts & RSYNC_O_INC_RECURSE);
}

static void escapes_and_long_options(void)
{
	CHECK(rd("rsync --server -lHogDtpAXre.iLsfxCIvu --delete . /tmp/a\\ b") == 0);
	CHECK(!strcmp(path, "/tmp/a b") && c.npaths == 1);
	CHECK(c.unsupported && !strcmp(c.unsupported, "ACLs"));
	CHECK(rd("rsync --server -We.LsfxCIvu --partial-dir=.p\\;x . \\$HOME/\\'q") == 0 && !strcmp(path, "$HOME/'q"));
	CHECK((c.opts & RSYNC_O_WHOLE) && !c.unsupported);
}

static void unsupported(void)
{
	CHECK(rd("rsync --server -logDtprze.iLsfxCIvu . /tmp/x") == 0 && !strcmp(c.unsupported, "compression"));
	CHECK(rd("rsync --server -e.LsfxCIvu --compress-choice=zstd . /x") == 0 && !strcmp(c.unsupported, "compression"));
	CHECK(rd("rsync --server -He.LsfxCIvu . /x") == 0 && !strcmp(c.unsupported, "hard links"));
	CHECK(rd("rsync --server -Xe.LsfxCIvu . /x") == 0 && !strcmp(c.unsupported, "xattrs"));
	CHECK(rd("rsync --server -e.LsfxCIvu --iconv=utf8 . /x") == 0 && !strcmp(c.unsupported, "iconv"));
	CHECK(rd("rsync --server -Qe.LsfxCIvu . /x") == 0 && !strcmp(c.unsupported, "unknown short option"));
	/* -s: the paths come in the stream */
	CHECK(rd("rsync --server -se.LsfxCIvu") == 0 && !strcmp(path, "") && !strcmp(c.unsupported, "protected args"));
}

static void refused(void)
{
	CHECK(rd("rsync --server -e.Lsfx . /x") == 0); /* control */
	CHECK(rd("rsync -e.Lsfx . /x") == -1);          /* not a server */
	CHECK(rd("rsyncx --server . /x") == -1);
	CHECK(rd("rsync --server -e.Lsfx /x") == -1);   /* no placeholder */
	CHECK(rd("rsync --server -e.Lsfx .") == -1);    /* no path */
	CHECK(rd("rsync --server -e.Lsfx bogus . /x") == -1);
	CHECK(rd("rsync --server -e.Lsfx . /x\\") == -1); /* escape at the end */
	CHECK(rd("rsync --server -se.Lsfx . /x") == -1);  /* -s but paths on the line */
	/* a path longer than the buffer */
	CHECK(rd("rsync --server . /0123456789012345678901234567890123456789012345678901234567890123456789") == -1);
	CHECK(rsyncparse_command("rsync --server . /x", &c, path, 0) == -1);
}

int main(void)
{
	RUN(upload_download);
	RUN(escapes_and_long_options);
	RUN(unsupported);
	RUN(refused);
	UT_END();
}
