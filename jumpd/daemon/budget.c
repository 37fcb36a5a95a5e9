/* budget: see budget.h. */
#include "budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void budget_derive(struct jumpd_budget *b, uint64_t nofile, uint64_t mem_bytes, unsigned site_channels,
		   unsigned site_per_user)
{
	const uint64_t floor = (uint64_t)2 * BUDGET_CONN_MIN;
	uint64_t fds = nofile > BUDGET_FD_RESERVE + floor ? nofile - BUDGET_FD_RESERVE : floor;
	uint64_t conns = clamp(fds / 8, BUDGET_CONN_MIN, BUDGET_CONN_MAX);
	/* what is left: one pidfd per session and one per channel */
	uint64_t per_kind = fds > conns + 32 ? (fds - conns) / 2 : 16;
	if (per_kind > UINT32_MAX / 4)
		per_kind = UINT32_MAX / 4;
	/* memory: half of it for the sessions */
	uint64_t by_mem = mem_bytes ? mem_bytes / 2 / (uint64_t)BUDGET_SESSION_COST : per_kind;
	uint64_t sessions = clamp(by_mem, 16, per_kind);
	uint64_t channels = clamp((uint64_t)2 * by_mem, 16, per_kind);
	if (site_channels)
		channels = site_channels < per_kind ? site_channels : per_kind;
	uint64_t per_user = site_per_user ? site_per_user : clamp(channels / 4, BUDGET_PER_USER_MIN, channels);
	b->conns_max = (unsigned)conns;
	b->sessions_max = (unsigned)sessions;
	b->channels_max = (unsigned)channels;
	b->channels_per_user = (unsigned)(per_user < channels ? per_user : channels);
	/* no descriptor each (the recorder's requests carry the session id) */
	b->rec_sessions_max = (unsigned)(sessions < BUDGET_REC_MAX ? sessions : BUDGET_REC_MAX);
}

void budget_machine(uint64_t *nofile, uint64_t *mem_bytes)
{
	struct rlimit rl;
	*nofile = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			if (setrlimit(RLIMIT_NOFILE, &rl))
				getrlimit(RLIMIT_NOFILE, &rl);
		}
		*nofile = rl.rlim_cur == RLIM_INFINITY ? (1u << 20) : (uint64_t)rl.rlim_cur;
	}
	*mem_bytes = 0;
	FILE *f = fopen("/proc/meminfo", "re");
	if (f) {
		char line[128];
		if (fgets(line, sizeof line, f) && !strncmp(line, "MemTotal:", 9))
			*mem_bytes = (uint64_t)strtoull(line + 9, NULL, 10) * 1024;
		fclose(f);
	}
}
