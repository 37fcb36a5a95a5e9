/* jb-admit: fair admission before authentication (see jb-admit.h). */
#include "jb-admit.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

unsigned jb_admit_derive(uint64_t mem_bytes, uint64_t nofile)
{
	uint64_t n = mem_bytes ? mem_bytes / JB_ADMIT_COST / 2 : JB_ADMIT_SLOTS;
	uint64_t by_fd = nofile > 64 ? nofile / 2 - 16 : JB_ADMIT_MIN;
	if (n > by_fd)
		n = by_fd;
	if (n > JB_ADMIT_SLOTS)
		n = JB_ADMIT_SLOTS;
	return n < JB_ADMIT_MIN ? JB_ADMIT_MIN : (unsigned)n;
}

void jb_admit_init(struct jb_admit *a, unsigned budget)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < JB_ADMIT_SLOTS; i++)
		a->s[i].fd = -1;
	if (!budget) {
		uint64_t mem = 0, nofile = 1024;
		struct rlimit rl;
		FILE *f = fopen("/proc/meminfo", "re");
		if (f) {
			char line[128];
			if (fgets(line, sizeof line, f) && !strncmp(line, "MemTotal:", 9))
				mem = (uint64_t)strtoull(line + 9, NULL, 10) * 1024;
			fclose(f);
		}
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			nofile = (uint64_t)rl.rlim_cur;
		budget = jb_admit_derive(mem, nofile);
	}
	a->budget = budget > JB_ADMIT_SLOTS ? JB_ADMIT_SLOTS : budget;
}

unsigned jb_admit_count(const struct jb_admit *a, const char *addr)
{
	unsigned n = 0;
	for (int i = 0; i < JB_ADMIT_SLOTS; i++)
		n += a->s[i].fd >= 0 && !strcmp(a->s[i].addr, addr);
	return n;
}

unsigned jb_admit_total(const struct jb_admit *a)
{
	unsigned n = 0;
	for (int i = 0; i < JB_ADMIT_SLOTS; i++)
		n += a->s[i].fd >= 0;
	return n;
}

enum jb_admit_verdict jb_admit_decide(const struct jb_admit *a, const char *addr, int *slot, int *victim)
{
	unsigned total = 0, mine = 0;
	int free_slot = -1;
	*slot = *victim = -1;
	for (int i = 0; i < JB_ADMIT_SLOTS; i++) {
		if (a->s[i].fd < 0) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		total++;
		mine += !strcmp(a->s[i].addr, addr);
	}
	if (total < a->budget && free_slot >= 0) {
		*slot = free_slot;
		return JB_ADMIT_YES;
	}
	/* full: the biggest holder (ties: the one whose oldest is oldest),
	 * counted per distinct source once */
	static int first_of[JB_ADMIT_SLOTS];   /* distinct source k: its first slot */
	static unsigned count_of[JB_ADMIT_SLOTS];
	int k = 0;
	for (int i = 0; i < JB_ADMIT_SLOTS; i++) {
		if (a->s[i].fd < 0)
			continue;
		int j = 0;
		while (j < k && strcmp(a->s[first_of[j]].addr, a->s[i].addr) != 0)
			j++;
		if (j == k) {
			first_of[k] = i;
			count_of[k++] = 0;
		}
		count_of[j]++;
		if (a->s[i].since_ms < a->s[first_of[j]].since_ms)
			first_of[j] = i; /* keep the source's oldest slot */
	}
	unsigned most = 0;
	int oldest = -1;
	for (int j = 0; j < k; j++) {
		if (count_of[j] > most || (count_of[j] == most && a->s[first_of[j]].since_ms < a->s[oldest].since_ms)) {
			most = count_of[j];
			oldest = first_of[j];
		}
	}
	/* oldest is now the oldest slot of a biggest holder */
	if (oldest < 0 || mine + 1 >= most)
		return JB_ADMIT_NO;
	*victim = *slot = oldest;
	return JB_ADMIT_EVICT;
}

void jb_admit_take(struct jb_admit *a, int slot, const char *addr, int fd, pid_t pid, int64_t now_ms)
{
	struct jb_admit_slot *s = &a->s[slot];
	s->fd = fd;
	s->pid = pid;
	s->since_ms = now_ms;
	snprintf(s->addr, sizeof s->addr, "%s", addr);
}

void jb_admit_release(struct jb_admit *a, int slot)
{
	if (a->s[slot].fd >= 0)
		close(a->s[slot].fd);
	a->s[slot].fd = -1;
	a->s[slot].addr[0] = 0;
}

int jb_admit_evict(struct jb_admit *a, int slot)
{
	struct pollfd p = { .fd = a->s[slot].fd, .events = POLLIN };
	int killed = 0;
	/* a readable pipe: the child closed it (authenticated) or exited */
	if (poll(&p, 1, 0) == 0 && a->s[slot].pid > 0)
		killed = kill(a->s[slot].pid, SIGKILL) == 0;
	jb_admit_release(a, slot);
	return killed;
}

int jb_admit_note(struct jb_admit *a, int evicted, const char *addr, int64_t now_ms, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = 0;
	if (now_ms - a->window_ms >= JB_ADMIT_LOG_WINDOW_MS) {
		if (a->refused || a->evicted) {
			int n = snprintf(buf, cap, "pre-auth admission: %u more refused, %u more evicted in the last %d s "
					 "(not logged one by one); ", a->refused, a->evicted, JB_ADMIT_LOG_WINDOW_MS / 1000);
			len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
		}
		a->window_ms = now_ms;
		a->logged[0] = a->logged[1] = a->refused = a->evicted = 0;
	}
	if (a->logged[evicted != 0] >= JB_ADMIT_LOG_EVENTS) {
		if (evicted)
			a->evicted++;
		else
			a->refused++;
		return len > 0;
	}
	a->logged[evicted != 0]++;
	snprintf(buf + len, cap - len, evicted
		 ? "pre-auth admission: evicted the oldest unauthenticated connection of %s (it holds the most of %u; reason=preauth-evicted)"
		 : "pre-auth admission: refused a connection from %s (budget of %u full, it holds the most; reason=preauth-full)",
		 addr, a->budget);
	return 1;
}
