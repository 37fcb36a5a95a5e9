/* brake: see brake.h. */
#include "brake.h"
#include "event.h"

#include <stdio.h>

struct brake_slot {
	uid_t uid;
	int used;
	double tokens;
	int64_t last_ms, window_ms;     /* last use; start of the refusal window */
	int recorded[REFUSED_KINDS];    /* this window's first of each kind was recorded */
	unsigned suppressed;            /* braked requests this window */
	unsigned refused[REFUSED_KINDS];
};
static struct brake_slot slots[BRAKE_SLOTS];

static struct brake_slot *slot_for(uid_t uid, int64_t now)
{
	struct brake_slot *oldest = &slots[0];
	for (int i = 0; i < BRAKE_SLOTS; i++) {
		if (slots[i].used && slots[i].uid == uid)
			return &slots[i];
		if (!slots[i].used || slots[i].last_ms < oldest->last_ms)
			oldest = &slots[i];
	}
	*oldest = (struct brake_slot){ .uid = uid, .used = 1, .tokens = -1, .last_ms = now,
				       .window_ms = now };
	return oldest;
}

/* At the end of a window: one record of what was counted in it, then a new
 * window. A summary that cannot be written keeps its counts for the next. */
static void roll_window(struct brake_slot *s, int64_t now)
{
	if (now - s->window_ms < BRAKE_WINDOW_MS)
		return;
	if (s->suppressed || s->refused[REFUSED_CONNECTION] || s->refused[REFUSED_VERB] ||
	    s->refused[REFUSED_MALFORMED]) {
		char uid[16], sup[16], con[16], verb[16], bad[16];
		snprintf(uid, sizeof uid, "%u", (unsigned)s->uid);
		snprintf(sup, sizeof sup, "%u", s->suppressed);
		snprintf(con, sizeof con, "%u", s->refused[REFUSED_CONNECTION]);
		snprintf(verb, sizeof verb, "%u", s->refused[REFUSED_VERB]);
		snprintf(bad, sizeof bad, "%u", s->refused[REFUSED_MALFORMED]);
		if (event_emit("RATE_LIMITED", "peer_uid", uid, "channels_refused", sup, "connections_refused", con,
			       "verbs_refused", verb, "malformed", bad, "window_ms", "10000", EV_END))
			return;
		s->suppressed = 0;
		for (int k = 0; k < REFUSED_KINDS; k++)
			s->refused[k] = 0;
	}
	s->window_ms = now;
	for (int k = 0; k < REFUSED_KINDS; k++)
		s->recorded[k] = 0;
}

int brake_take(uid_t uid, int64_t now, unsigned burst, unsigned per_sec)
{
	struct brake_slot *s = slot_for(uid, now);
	if (s->tokens < 0) /* a new slot: full */
		s->tokens = burst;
	s->tokens += (double)(now - s->last_ms) * per_sec / 1000.0;
	if (s->tokens > burst)
		s->tokens = burst;
	s->last_ms = now;
	roll_window(s, now);
	if (s->tokens < 1) {
		s->suppressed++;
		return 0;
	}
	s->tokens -= 1;
	return 1;
}

int brake_refusal(uid_t uid, enum brake_refusal kind, int64_t now)
{
	struct brake_slot *s = slot_for(uid, now);
	s->last_ms = now;
	roll_window(s, now);
	if (!s->recorded[kind]) {
		s->recorded[kind] = 1;
		return 1;
	}
	s->refused[kind]++;
	return 0;
}

void brake_reset(void)
{
	for (int i = 0; i < BRAKE_SLOTS; i++)
		slots[i] = (struct brake_slot){ 0 };
}
