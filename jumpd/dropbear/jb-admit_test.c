/* Unit tests for jb-admit.c: the budget from the machine; room for a
 * burst from one source; a flood from one source refused while newcomers
 * from elsewhere evict its oldest; the log bounded per window; eviction
 * kills a real pre-auth child and spares one that authenticated. */
#include "jb-admit.h"
#include "../common/unittest.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct jb_admit a;
static int fake_fd(void) { return dup(2); }

static void test_derive(void)
{
	CHECK(jb_admit_derive(512ull << 20, 65536) == 64);      /* the image: 512 MiB */
	CHECK(jb_admit_derive(24ull << 30, 65536) == JB_ADMIT_SLOTS);
	CHECK(jb_admit_derive(24ull << 30, 1024) == 496);      /* 1024 / 2 - 16 */
	CHECK(jb_admit_derive(1 << 20, 1024) == JB_ADMIT_MIN);
	CHECK(jb_admit_derive(0, 1 << 20) == JB_ADMIT_SLOTS);
	jb_admit_init(&a, 0);
	CHECK(a.budget >= JB_ADMIT_MIN && a.budget <= JB_ADMIT_SLOTS);
	jb_admit_init(&a, 100000);
	CHECK(a.budget == JB_ADMIT_SLOTS);
}

static int admit(const char *addr, int64_t now, int *evicted)
{
	int slot, victim;
	enum jb_admit_verdict v = jb_admit_decide(&a, addr, &slot, &victim);
	*evicted = v == JB_ADMIT_EVICT;
	if (v == JB_ADMIT_NO)
		return 0;
	if (v == JB_ADMIT_EVICT)
		jb_admit_release(&a, victim); /* no process behind these */
	jb_admit_take(&a, slot, addr, fake_fd(), 0, now);
	return 1;
}

static void clear(void)
{
	for (int i = 0; i < JB_ADMIT_SLOTS; i++)
		jb_admit_release(&a, i);
}

static void test_office_burst(void)
{
	int ev, in = 0;
	jb_admit_init(&a, 64);
	for (int i = 0; i < 50; i++)
		in += admit("10.0.0.7", i, &ev);
	CHECK(in == 50 && jb_admit_count(&a, "10.0.0.7") == 50); /* 0 refused */
	clear();
}

static void test_flood_contained(void)
{
	int ev, in = 0, evictions = 0;
	jb_admit_init(&a, 64);
	for (int i = 0; i < 500; i++)
		in += admit("10.6.6.6", i, &ev);
	CHECK(in == 64 && jb_admit_total(&a) == 64);            /* the flood fills the room, no more */
	/* logins from elsewhere during the flood: each gets a slot */
	for (int i = 0; i < 20; i++) {
		char addr[32];
		snprintf(addr, sizeof addr, "10.1.0.%d", i);
		CHECK(admit(addr, 1000 + i, &ev));
		evictions += ev;
	}
	CHECK(evictions == 20 && jb_admit_count(&a, "10.6.6.6") == 44 && jb_admit_total(&a) == 64);
	/* the flood's oldest went first: its newest (since 63) is still there */
	int newest = 0;
	for (int i = 0; i < JB_ADMIT_SLOTS; i++)
		newest |= a.s[i].fd >= 0 && !strcmp(a.s[i].addr, "10.6.6.6") && a.s[i].since_ms == 63;
	CHECK(newest);
	/* the flood itself still gets nothing */
	CHECK(!admit("10.6.6.6", 2000, &ev));
	/* two big holders: the newcomer from one of them is refused */
	clear();
	for (int i = 0; i < 32; i++)
		admit("10.2.0.1", i, &ev), admit("10.2.0.2", i, &ev);
	CHECK(!admit("10.2.0.1", 100, &ev) && !admit("10.2.0.2", 100, &ev) && admit("10.2.0.3", 100, &ev) && ev);
	clear();
}

static void test_log_bounded(void)
{
	char buf[512];
	int lines = 0;
	jb_admit_init(&a, 16);
	for (int i = 0; i < 1000; i++)
		lines += jb_admit_note(&a, i & 1, "10.6.6.6", 1000 + i, buf, sizeof buf);
	CHECK(lines == 2 * JB_ADMIT_LOG_EVENTS);
	CHECK(jb_admit_note(&a, 0, "10.6.6.6", 1000 + JB_ADMIT_LOG_WINDOW_MS, buf, sizeof buf) == 1);
	CHECK(strstr(buf, "495 more refused, 495 more evicted") != NULL && strstr(buf, "reason=preauth-full") != NULL);
}

static void test_evict_kills_preauth_only(void)
{
	int p1[2], p2[2];
	if (pipe(p1) || pipe(p2)) {
		CHECK(!"pipe");
		return;
	}
	pid_t c1 = fork();
	if (c1 == 0) { close(p1[0]); pause(); _exit(0); }            /* still pre-auth: holds its pipe */
	pid_t c2 = fork();
	if (c2 == 0) { close(p2[0]); close(p2[1]); pause(); _exit(0); } /* "authenticated": closed it */
	close(p1[1]);
	close(p2[1]);
	usleep(100000);
	jb_admit_init(&a, 16);
	jb_admit_take(&a, 0, "10.0.0.1", p1[0], c1, 0);
	jb_admit_take(&a, 1, "10.0.0.1", p2[0], c2, 0);
	int st = 0;
	CHECK(jb_admit_evict(&a, 0) == 1 && waitpid(c1, &st, 0) == c1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK(jb_admit_evict(&a, 1) == 0 && waitpid(c2, &st, WNOHANG) == 0); /* spared */
	CHECK(a.s[0].fd == -1 && a.s[1].fd == -1);
	kill(c2, SIGKILL);
	waitpid(c2, &st, 0);
}

int main(void)
{
	RUN(test_derive);
	RUN(test_office_burst);
	RUN(test_flood_contained);
	RUN(test_log_bounded);
	RUN(test_evict_kills_preauth_only);
	UT_END();
}
