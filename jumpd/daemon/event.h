/* event: jumpd's audit events. Each event is one line with a stable MSGID
 * and structured fields in RFC 5424 structured-data syntax, so the audit
 * spool (issue #5) can take the same records over:
 *   2026-11-24T10:00:00.123Z bastion jumpd AUTH [jumpbox@32473 user="ops" result="allow"]
 * Lines go to the event log (appended and fdatasync'ed before the caller
 * acts on the decision) and to stderr, which init puts on the console. */
#ifndef JB_EVENT_H
#define JB_EVENT_H
#include <stddef.h>

/* Opens (creates, mode 0600) the event log at path. Returns 0 or -1. */
int event_open(const char *path, const char *hostname);

/* Formats one event into out: msgid, then (key, value) string pairs ended
 * by NULL. Values are escaped per RFC 5424 6.3.3 ('"', '\' and ']');
 * control bytes become '?'. Returns the length, or -1 if it does not fit. */
int event_format(char *out, size_t cap, const char *timestamp, const char *hostname,
		 const char *msgid, const char *const *kv);

/* Writes one event (key/value pairs, ended by EV_END) durably. Returns 0,
 * or -1 if the event log could not be written: the caller must then refuse
 * whatever the event records (an action that cannot be audited is not done).
 * End the list with EV_END, never a bare NULL: NULL may be a plain integer 0,
 * which is not the same as a null const char * when read back by va_arg. */
int event_emit(const char *msgid, ...);
#define EV_END ((const char *)NULL)
#endif
