/* unit tests for typed.c: a password after a sudo (or ssh, or passphrase)
 * prompt is absent from the recorded input and from command lines, with a
 * positive control (the same text outside a prompt is recorded); command
 * lines with Backspace, Ctrl-U, Ctrl-C, Ctrl-W, arrows, Tab, bracketed
 * paste; a prompt split over output reads; small record buffers. */
#include "typed.h"
#include "../common/unittest.h"
#include <string.h>

static char lines[16][TYPED_LINE_MAX + 1];
static int truncs[16], nlines;

static void on_line(void *ctx, const char *line, int truncated)
{
	(void)ctx;
	if (nlines < 16) {
		snprintf(lines[nlines], sizeof lines[nlines], "%s", line);
		truncs[nlines++] = truncated;
	}
}

static uint8_t rec[4096];
static size_t reclen;

static void out(struct typed *t, const char *s)
{
	typed_output(t, (const uint8_t *)s, strlen(s));
}

/* types s one call per byte (as a person does), appending to rec */
static void keys(struct typed *t, const char *s)
{
	for (size_t i = 0; s[i]; i++)
		reclen += typed_input(t, (const uint8_t *)s + i, 1, rec + reclen, sizeof rec - reclen, on_line, NULL);
}

static void start(struct typed *t)
{
	typed_init(t);
	nlines = 0;
	reclen = 0;
}

static int rec_has(const char *s)
{
	return memmem(rec, reclen, s, strlen(s)) != NULL;
}

static void test_sudo_password_hidden(void)
{
	struct typed t;
	start(&t);
	out(&t, "alice@db1:~$ ");
	keys(&t, "sudo -k id\r");
	out(&t, "\r\n[sudo] password for alice: ");
	keys(&t, "Hunter2secret\r");
	out(&t, "\r\nuid=0(root)\r\nalice@db1:~$ ");
	keys(&t, "echo done\r");
	CHECK(!rec_has("Hunter2secret") && !rec_has("Hunter") && !rec_has("secret"));
	CHECK(rec_has("sudo -k id\r" TYPED_MARKER "echo done\r"));
	CHECK(nlines == 2 && !strcmp(lines[0], "sudo -k id") && !strcmp(lines[1], "echo done"));
	CHECK(truncs[0] == 0 && truncs[1] == 0);
	/* the positive control: the same text at a shell prompt is recorded */
	keys(&t, "Hunter2secret\r");
	CHECK(rec_has("Hunter2secret\r") && nlines == 3 && !strcmp(lines[2], "Hunter2secret"));
}

static void test_other_prompts(void)
{
	static const char *const prompts[] = {
		"alice@db1's password: ", "Password:", "Enter passphrase for key '/home/a/.ssh/id_ed25519': ",
		"PASSWORD FOR alice@EXAMPLE.COM:   ", "\x1b[1mNew password:\x1b[0m ", "Enter passphrase ",
		"(current) UNIX password:\t",
	};
	for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++) {
		struct typed t;
		start(&t);
		out(&t, prompts[i]);
		keys(&t, "s3cr3t\r");
		CHECK(!rec_has("s3cr3t") && rec_has(TYPED_MARKER) && nlines == 0);
		if (rec_has("s3cr3t"))
			printf("  leaked after prompt %zu\n", i);
	}
	/* not prompts: the input shows */
	static const char *const plain[] = { "alice@db1:~$ ", "Password: ok\r\n$ ", "Verification code: ", "password" };
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
		struct typed t;
		start(&t);
		out(&t, plain[i]);
		keys(&t, "s3cr3t\r");
		CHECK(rec_has("s3cr3t\r") && nlines == 1);
	}
}

static void test_command_that_looks_like_a_prompt(void)
{
	struct typed t;
	start(&t);
	out(&t, "$ ");
	/* the shell echoes each key: after the ':' the output ends "password:" */
	const char *cmd = "echo password:";
	for (size_t i = 0; cmd[i]; i++) {
		keys(&t, (char[]){ cmd[i], 0 });
		out(&t, (char[]){ cmd[i], 0 });
	}
	keys(&t, " x\r");
	/* the line before the look-alike is reported (marked); what came after is hidden */
	CHECK(nlines == 1 && !strcmp(lines[0], "echo password:") && truncs[0] == 1);
	CHECK(rec_has("echo password:" TYPED_MARKER) && !rec_has(" x"));
}

static void test_prompt_split_over_reads(void)
{
	struct typed t;
	start(&t);
	out(&t, "\r\n[sudo] pass");
	out(&t, "word for al");
	out(&t, "ice: ");
	/* the whole password in one read, with the Enter and the next command */
	const char in[] = "pw-in-one\rls\r";
	reclen = typed_input(&t, (const uint8_t *)in, strlen(in), rec, sizeof rec, on_line, NULL);
	CHECK(reclen == TYPED_MARKER_LEN + 3 && !memcmp(rec, TYPED_MARKER "ls\r", reclen));
	CHECK(nlines == 1 && !strcmp(lines[0], "ls"));
	/* output after the prompt that is not a prompt: input shows again */
	out(&t, "Password:");
	out(&t, " wrong\r\n$ ");
	keys(&t, "visible\r");
	CHECK(rec_has("visible"));
}

static void test_editing(void)
{
	struct typed t;
	start(&t);
	keys(&t, "lx\x7fs -l\r");              /* DEL */
	keys(&t, "rm -rf /\x15pwd\r");         /* Ctrl-U */
	keys(&t, "cat /etc/shadow\x03uptime\r"); /* Ctrl-C */
	keys(&t, "echo caf\xc3\xa9\x08\x08" "e\r"); /* Backspace over a 2-byte character, then over 'f' */
	keys(&t, "git push origin\x17main\r");  /* Ctrl-W */
	keys(&t, "\r\r");                      /* empty lines: none */
	CHECK(nlines == 5);
	CHECK(!strcmp(lines[0], "ls -l") && !strcmp(lines[1], "pwd") && !strcmp(lines[2], "uptime"));
	CHECK(!strcmp(lines[3], "echo cae") && !strcmp(lines[4], "git push main"));
	for (int i = 0; i < 5; i++)
		CHECK(truncs[i] == 0);
	/* all of it is recorded as typed */
	CHECK(rec_has("lx\x7fs -l\rrm -rf /\x15pwd\r"));
}

static void test_unseen_edits_truncated(void)
{
	struct typed t;
	start(&t);
	keys(&t, "\x1b[A\r");              /* history recall alone: nothing seen */
	keys(&t, "ls\x1b[D\x1b[Dx\r");     /* cursor moved */
	keys(&t, "cd /us\t\r");            /* Tab completion */
	keys(&t, "vi \x1bOAx\r");          /* SS3 arrow */
	keys(&t, "\x1b[200~echo pasted\x1b[201~\r"); /* bracketed paste: exact */
	keys(&t, "uname\r");               /* a fresh line is exact again */
	CHECK(nlines == 5);
	CHECK(!strcmp(lines[0], "lsx") && truncs[0] == 1);
	CHECK(!strcmp(lines[1], "cd /us") && truncs[1] == 1);
	CHECK(!strcmp(lines[2], "vi x") && truncs[2] == 1);
	CHECK(!strcmp(lines[3], "echo pasted") && truncs[3] == 0);
	CHECK(!strcmp(lines[4], "uname") && truncs[4] == 0);
}

static void test_long_line_and_bad_bytes(void)
{
	struct typed t;
	char big[400];
	start(&t);
	memset(big, 'a', sizeof big - 2);
	big[sizeof big - 2] = '\r';
	big[sizeof big - 1] = 0;
	keys(&t, big);
	CHECK(nlines == 1 && strlen(lines[0]) == TYPED_LINE_MAX && truncs[0] == 1);
	keys(&t, "echo \xff\xc2\x9b\r");   /* not safe text: '?', marked */
	CHECK(nlines == 2 && !strcmp(lines[1], "echo ???") && truncs[1] == 1);
}

static void test_small_record_buffer(void)
{
	struct typed t;
	uint8_t small[8 + TYPED_MARKER_LEN + 4];
	typed_init(&t);
	nlines = 0;
	out(&t, "Password: ");
	/* room for all: marker and the 3 visible bytes after Enter */
	size_t n = typed_input(&t, (const uint8_t *)"secret\rls\r", 10, small, sizeof small, on_line, NULL);
	CHECK(n == TYPED_MARKER_LEN + 3 && !memcmp(small, TYPED_MARKER "ls\r", n));
	/* too small for the marker: left out, the password still never shows */
	out(&t, "Password: ");
	memset(small, 0, sizeof small);
	n = typed_input(&t, (const uint8_t *)"secret\rab", 9, small, 4, on_line, NULL);
	CHECK(n == 2 && !memcmp(small, "ab\0\0\0", 5));
	/* a full buffer: nothing past reccap */
	n = typed_input(&t, (const uint8_t *)"cdefgh", 6, small, 3, on_line, NULL);
	CHECK(n == 3 && !memcmp(small, "cde\0", 4));
}

int main(void)
{
	RUN(test_sudo_password_hidden);
	RUN(test_other_prompts);
	RUN(test_command_that_looks_like_a_prompt);
	RUN(test_prompt_split_over_reads);
	RUN(test_editing);
	RUN(test_unseen_edits_truncated);
	RUN(test_long_line_and_bad_bytes);
	RUN(test_small_record_buffer);
	UT_END();
}
