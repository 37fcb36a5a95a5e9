/* recsessions: see recsessions.h. */
#include "recsessions.h"
#include "../common/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int recs_init(struct recsessions *t, unsigned cap)
{
	t->s = calloc(cap ? cap : 1, sizeof *t->s);
	t->cap = t->s ? cap : 0;
	t->n = 0;
	return t->s ? 0 : -1;
}

struct rec_session *recs_add(struct recsessions *t, unsigned user, unsigned target, const char *account,
			     const char *mode, unsigned port, int64_t now_ms, const uint8_t rnd[8])
{
	if (t->n >= t->cap)
		return NULL;
	for (unsigned i = 0; i < t->cap; i++) {
		struct rec_session *s = &t->s[i];
		if (s->used)
			continue;
		*s = (struct rec_session){ .used = 1, .user = user, .target = target, .port = port, .opened_ms = now_ms,
					   .tokens_milli = (int64_t)RECS_BURST * 1000, .refilled_ms = now_ms,
					   .window_ms = now_ms };
		snprintf(s->account, sizeof s->account, "%s", account);
		snprintf(s->mode, sizeof s->mode, "%s", mode);
		hex_encode(rnd, 8, s->id);
		t->n++;
		return s;
	}
	return NULL;
}

struct rec_session *recs_find(struct recsessions *t, const char *id)
{
	for (unsigned i = 0; i < t->cap; i++)
		if (t->s[i].used && strcmp(t->s[i].id, id) == 0)
			return &t->s[i];
	return NULL;
}

unsigned recs_sharing(const struct recsessions *t, const struct rec_session *self, unsigned target, unsigned port)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->cap; i++)
		n += t->s[i].used && &t->s[i] != self && t->s[i].target == target && t->s[i].port == port;
	return n;
}

int recs_first_of_pinhole(const struct recsessions *t, const struct rec_session *s)
{
	for (unsigned i = 0; i < t->cap && &t->s[i] != s; i++)
		if (t->s[i].used && t->s[i].target == s->target && t->s[i].port == s->port)
			return 0;
	return 1;
}

int recs_take(struct rec_session *s, int64_t now_ms)
{
	if (now_ms > s->refilled_ms) {
		s->tokens_milli += (now_ms - s->refilled_ms) * RECS_PER_SEC;
		if (s->tokens_milli > (int64_t)RECS_BURST * 1000)
			s->tokens_milli = (int64_t)RECS_BURST * 1000;
		s->refilled_ms = now_ms;
	}
	if (s->tokens_milli >= 1000) {
		s->tokens_milli -= 1000;
		return 1;
	}
	if (!s->limited)
		s->window_ms = now_ms; /* the window opens with its first refusal */
	s->limited++;
	return 0;
}

unsigned recs_summary_due(struct rec_session *s, int64_t now_ms, int force)
{
	unsigned n = s->limited;
	if (!n || (!force && now_ms - s->window_ms < RECS_WINDOW_MS))
		return 0;
	s->limited = 0;
	s->window_ms = now_ms;
	return n;
}

void recs_remove(struct recsessions *t, struct rec_session *s)
{
	if (!s->used)
		return;
	t->n--;
	memset(s, 0, sizeof *s);
}
