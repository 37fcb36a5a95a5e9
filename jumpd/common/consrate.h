/* consrate: a bound on the console lines one kind of event can make (a
 * refused connection, a refused request): the first CONSRATE_SHOWN in each
 * CONSRATE_WINDOW_MS window are printed as themselves, the rest only
 * counted, and one summary line per window says how many were not shown.
 * So a local flood prints at most CONSRATE_SHOWN + 1 lines per window,
 * whatever its rate (docs/hardening.md, "Local sockets"). No allocation;
 * one struct per kind of line, kept by its caller. */
#ifndef JB_CONSRATE_H
#define JB_CONSRATE_H
#include <stdint.h>

#define CONSRATE_WINDOW_MS 10000LL
#define CONSRATE_SHOWN 5

struct consrate {
	int64_t window_start;   /* monotonic ms; 0: no window open */
	unsigned shown;         /* printed in this window */
	unsigned long hidden;   /* counted, not printed, in this window */
};

/* One more event at now_ms: 1 if its line should be printed, 0 if it was
 * counted instead (for the window's summary). */
int consrate_take(struct consrate *r, int64_t now_ms);

/* Call now and then (and at exit with a far-future now_ms): once the
 * window is over, returns how many lines it held back (the caller prints
 * the summary if that is not 0) and closes the window; 0 otherwise. */
unsigned long consrate_due(struct consrate *r, int64_t now_ms);
#endif
