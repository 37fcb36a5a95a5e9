/* channels: see channels.h. */
#include "channels.h"
#include "../common/hex.h"

#include <stdlib.h>
#include <string.h>

static int same_pinhole(const struct channel *a, const struct channel *b)
{
	return a->uid == b->uid && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

int channels_init(struct channels *t, unsigned cap)
{
	t->c = calloc(cap ? cap : 1, sizeof *t->c);
	t->cap = t->c ? cap : 0;
	t->n = 0;
	return t->c ? 0 : -1;
}

struct channel *channels_add(struct channels *t, uint32_t uid, unsigned user, int target,
			     const uint8_t addr[16], unsigned port, pid_t pid, int64_t now_ms,
			     const uint8_t rnd[8])
{
	if (t->n >= t->cap)
		return NULL;
	for (unsigned i = 0; i < t->cap; i++) {
		struct channel *c = &t->c[i];
		if (c->used)
			continue;
		t->n++;
		*c = (struct channel){ .used = 1, .uid = uid, .user = user, .target = target, .port = port,
				       .pid = pid, .pidfd = -1, .opened_ms = now_ms };
		memcpy(c->addr, addr, 16);
		hex_encode(rnd, 8, c->id);
		return c;
	}
	return NULL;
}

unsigned channels_of_uid(const struct channels *t, uint32_t uid)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->cap; i++)
		n += t->c[i].used && t->c[i].uid == uid;
	return n;
}

struct channel *channels_find(struct channels *t, const char *id)
{
	if (strlen(id) != CHANNEL_ID_LEN)
		return NULL;
	for (unsigned i = 0; i < t->cap; i++)
		if (t->c[i].used && !strcmp(t->c[i].id, id))
			return &t->c[i];
	return NULL;
}

unsigned channels_sharing(const struct channels *t, const struct channel *self)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->cap; i++)
		if (t->c[i].used && &t->c[i] != self && same_pinhole(&t->c[i], self))
			n++;
	return n;
}

int channels_first_of_pinhole(const struct channels *t, const struct channel *ch)
{
	for (const struct channel *c = t->c; c < ch; c++)
		if (c->used && same_pinhole(c, ch))
			return 0;
	return 1;
}

void channels_remove(struct channels *t, struct channel *ch)
{
	if (ch->used && t->n)
		t->n--;
	memset(ch, 0, sizeof *ch);
}
