/* consrate: see consrate.h. */
#include "consrate.h"

unsigned long consrate_due(struct consrate *r, int64_t now_ms)
{
	if (!r->window_start || now_ms - r->window_start < CONSRATE_WINDOW_MS)
		return 0;
	unsigned long hidden = r->hidden;
	r->window_start = 0;
	r->shown = 0;
	r->hidden = 0;
	return hidden;
}

int consrate_take(struct consrate *r, int64_t now_ms)
{
	if (!r->window_start) {
		r->window_start = now_ms ? now_ms : 1;
		r->shown = 0;
		r->hidden = 0;
	}
	if (r->shown < CONSRATE_SHOWN && now_ms - r->window_start < CONSRATE_WINDOW_MS) {
		r->shown++;
		return 1;
	}
	r->hidden++;
	return 0;
}
