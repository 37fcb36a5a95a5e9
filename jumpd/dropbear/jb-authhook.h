/* jb-authhook: Dropbear's side of the auth hook. One request, one reply,
 * one connection to jumpd's unix socket (docs/hook-protocol.md). Anything
 * but a well-formed reply within the timeout is an error, and the caller
 * refuses the login: the hook fails closed.
 * Compiled into Dropbear by build/pkg/dropbear (patch 0003 calls it). */
#ifndef JB_AUTHHOOK_H
#define JB_AUTHHOOK_H
#include <stddef.h>
/* Dropbear's tree has its copy of hookproto.h beside this file (see
 * build/pkg/dropbear/ours); jumpbox's own tree keeps it in ../common. */
#if __has_include("hookproto.h")
#include "hookproto.h"
#else
#include "../common/hookproto.h"
#endif

#define JB_HOOK_SOCKET "/run/jumpd/auth.sock"
#define JB_HOOK_TIMEOUT_MS 5000

/* Sends req to the socket at path and reads one reply line into *rep.
 * Returns 0, or -1 with a short reason in why (connect refused, timeout,
 * malformed reply, ...). */
int jb_hook_ask(const char *path, const struct hook_msg *req, struct hook_msg *rep,
		char *why, size_t whylen);

/* A report jumpd must not miss (a channel's close, a session's end: patch
 * 0014): jb_hook_ask again and again, with a growing pause (20 ms doubling
 * to 1 s, jittered by the pid so a mass close spreads out), while jumpd
 * cannot be reached, turns the connection away (its slots full), times
 * out, or answers reason=audit-unavailable; at most JB_HOOK_REPORT_MS.
 * Any other reply is final (`error reason=no such channel` included: the
 * report had been taken, or there is nothing to take). Returns 0 with the
 * reply, or -1 with the last reason in why. */
#define JB_HOOK_REPORT_MS 60000
int jb_hook_report(const char *path, const struct hook_msg *req, struct hook_msg *rep,
		   char *why, size_t whylen);
#endif
