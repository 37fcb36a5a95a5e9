/* brake: see brake.h. */
#include "brake.h"
#include "event.h"
#include "guard.h"

#include <stdio.h>
#include <string.h>

enum src_kind { SRC_UID, SRC_ADDR, SRC_BOX };

struct brake_slot {
	double tokens;                  /* < 0: a new slot (full at its first use) */
	int64_t last_ms, window_ms;     /* last use; start of the refusal window */
	int used;
	enum src_kind kind;
	uid_t uid;                      /* SRC_UID */
	unsigned suppressed;            /* braked requests (uid) or AUTH records not written (address, box) this window */
	int recorded[REFUSED_KINDS];    /* this window's first of each kind was recorded */
	unsigned refused[REFUSED_KINDS];
	char addr[GUARD_ADDRLEN];       /* SRC_ADDR */
};
static struct brake_slot slots[BRAKE_SLOTS];
static struct brake_slot box = { .used = 1, .kind = SRC_BOX, .tokens = -1 };

static int pending(const struct brake_slot *s)
{
	return s->suppressed || s->refused[REFUSED_CONNECTION] || s->refused[REFUSED_VERB] ||
	       s->refused[REFUSED_MALFORMED];
}

/* One record of what was counted in s's window. Returns 0 if written (or
 * nothing to write); a summary that cannot be written keeps its counts. */
static int write_summary(struct brake_slot *s)
{
	char sup[16], win[16];
	if (!pending(s))
		return 0;
	snprintf(sup, sizeof sup, "%u", s->suppressed);
	snprintf(win, sizeof win, "%d", BRAKE_WINDOW_MS);
	int rc;
	if (s->kind == SRC_UID) {
		char id[16], con[16], verb[16], bad[16];
		snprintf(id, sizeof id, "%u", (unsigned)s->uid);
		snprintf(con, sizeof con, "%u", s->refused[REFUSED_CONNECTION]);
		snprintf(verb, sizeof verb, "%u", s->refused[REFUSED_VERB]);
		snprintf(bad, sizeof bad, "%u", s->refused[REFUSED_MALFORMED]);
		rc = event_emit("RATE_LIMITED", "peer_uid", id, "channels_refused", sup, "connections_refused", con,
				"verbs_refused", verb, "malformed", bad, "window_ms", win, EV_END);
	} else {
		rc = event_emit("RATE_LIMITED", "src", s->kind == SRC_BOX ? "*" : s->addr, "auth_not_recorded", sup,
				"window_ms", win, EV_END);
	}
	if (rc)
		return -1;
	s->suppressed = 0;
	for (int k = 0; k < REFUSED_KINDS; k++)
		s->refused[k] = 0;
	return 0;
}

/* At the end of a window: its summary, then a new window. */
static void roll_window(struct brake_slot *s, int64_t now)
{
	if (now - s->window_ms < BRAKE_WINDOW_MS || write_summary(s))
		return;
	s->window_ms = now;
	for (int k = 0; k < REFUSED_KINDS; k++)
		s->recorded[k] = 0;
}

static struct brake_slot *slot_for(enum src_kind kind, uid_t uid, const char *addr, int64_t now)
{
	struct brake_slot *oldest = &slots[0];
	for (int i = 0; i < BRAKE_SLOTS; i++) {
		struct brake_slot *s = &slots[i];
		if (s->used && s->kind == kind && (kind == SRC_UID ? s->uid == uid : !strcmp(s->addr, addr)))
			return s;
		if (!s->used || (oldest->used && s->last_ms < oldest->last_ms))
			oldest = s;
	}
	/* a reused slot's counts are written out first, or added to the box's */
	if (oldest->used && write_summary(oldest) && oldest->kind == SRC_ADDR)
		box.suppressed += oldest->suppressed;
	*oldest = (struct brake_slot){ .used = 1, .kind = kind, .uid = uid, .tokens = -1, .last_ms = now,
				       .window_ms = now };
	if (addr)
		snprintf(oldest->addr, sizeof oldest->addr, "%s", addr);
	return oldest;
}

/* the token bucket: 1 and a token used, or 0 (none left) */
static int bucket_take(struct brake_slot *s, int64_t now, unsigned burst, unsigned per_sec)
{
	if (s->tokens < 0) /* a new slot: full */
		s->tokens = burst;
	if (now > s->last_ms)
		s->tokens += (double)(now - s->last_ms) * per_sec / 1000.0;
	if (s->tokens > burst)
		s->tokens = burst;
	s->last_ms = now;
	roll_window(s, now);
	if (s->tokens < 1)
		return 0;
	s->tokens -= 1;
	return 1;
}

int brake_take(uid_t uid, int64_t now, unsigned burst, unsigned per_sec)
{
	struct brake_slot *s = slot_for(SRC_UID, uid, NULL, now);
	if (bucket_take(s, now, burst, per_sec))
		return 1;
	s->suppressed++;
	return 0;
}

int brake_auth(const char *src, int64_t now)
{
	struct brake_slot *s = slot_for(SRC_ADDR, 0, src, now);
	if (!bucket_take(s, now, BRAKE_AUTH_BURST, BRAKE_AUTH_PER_SEC)) {
		s->suppressed++;
		return 0;
	}
	if (!bucket_take(&box, now, BRAKE_BOX_BURST, BRAKE_BOX_PER_SEC)) {
		s->tokens += 1; /* the address's token was not spent on a record */
		box.suppressed++;
		return 0;
	}
	return 1;
}

int brake_refusal(uid_t uid, enum brake_refusal kind, int64_t now)
{
	struct brake_slot *s = slot_for(SRC_UID, uid, NULL, now);
	s->last_ms = now;
	roll_window(s, now);
	if (!s->recorded[kind]) {
		s->recorded[kind] = 1;
		return 1;
	}
	s->refused[kind]++;
	return 0;
}

void brake_tick(int64_t now)
{
	for (int i = 0; i < BRAKE_SLOTS; i++)
		if (slots[i].used && pending(&slots[i]))
			roll_window(&slots[i], now);
	if (pending(&box))
		roll_window(&box, now);
}

void brake_reset(void)
{
	for (int i = 0; i < BRAKE_SLOTS; i++)
		slots[i] = (struct brake_slot){ 0 };
	box = (struct brake_slot){ .used = 1, .kind = SRC_BOX, .tokens = -1 };
}
