/* revokes: see revokes.h. */
#include "revokes.h"

#include <string.h>

struct revoke *revokes_add(struct revokes *t, uint32_t uid, unsigned target, unsigned port, const char *user,
			   const char *reason, int64_t now_ms)
{
	struct revoke *free_slot = NULL;
	for (unsigned i = 0; i < REVOKES_MAX; i++) {
		struct revoke *e = &t->r[i];
		if (e->used && e->uid == uid && e->target == target && e->port == port)
			return e;
		if (!e->used && !free_slot)
			free_slot = e;
	}
	if (!free_slot)
		return NULL;
	*free_slot = (struct revoke){ .used = 1, .uid = uid, .target = target, .port = port, .user = user,
				      .reason = reason, .attempts = 1, .first_ms = now_ms,
				      .next_ms = now_ms + REVOKES_FIRST_GAP_MS };
	t->n++;
	return free_slot;
}

struct revoke *revokes_due(struct revokes *t, int64_t now_ms)
{
	struct revoke *best = NULL;
	for (unsigned i = 0; i < REVOKES_MAX; i++) {
		struct revoke *e = &t->r[i];
		if (e->used && e->next_ms <= now_ms && (!best || e->next_ms < best->next_ms))
			best = e;
	}
	return best;
}

int revokes_failed(struct revoke *e, int64_t now_ms)
{
	e->attempts++;
	if (now_ms - e->first_ms >= REVOKES_GIVE_UP_MS)
		return 1;
	int64_t gap = REVOKES_FIRST_GAP_MS;
	for (unsigned i = 2; i < e->attempts && gap < REVOKES_MAX_GAP_MS; i++)
		gap *= 2;
	e->next_ms = now_ms + (gap < REVOKES_MAX_GAP_MS ? gap : REVOKES_MAX_GAP_MS);
	return 0;
}

void revokes_remove(struct revokes *t, struct revoke *e)
{
	if (e->used && t->n)
		t->n--;
	memset(e, 0, sizeof *e);
}
