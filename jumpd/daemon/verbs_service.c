/* verbs_service: what the box's own services report, each from its own uid
 * (the table checks which): the firewall helper's blocked-egress summaries
 * (`egress`), the shipper's collector state (`collector`), and init's
 * service restarts (`service`, root on the admin socket). Each becomes one
 * audit record. */
#include "event.h"
#include "verbs.h"

#include <string.h>

/* `egress uid= addr= proto= port= count=`: packets the policy dropped on the way out */
void verb_egress(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *uid = hook_get(req, "uid"), *addr = hook_get(req, "addr"), *proto = hook_get(req, "proto"),
		   *port = hook_get(req, "port"), *count = hook_get(req, "count");
	if (!uid || !addr || !proto || !port || !count) {
		conn_reply_reason(c, "error", "malformed");
		return;
	}
	int rc = event_emit("EGRESS_BLOCKED", "uid", uid, "user", jumpd_user_of_uid(jd, uid), "address", addr,
			    "proto", proto, "port", port, "count", count, "window_s", "10", EV_END);
	conn_reply_reason(c, rc ? "error" : "ok", NULL);
}

/* `collector state=up|down [reason= backlog= seq=]`: the connection to the syslog collector changed */
void verb_collector(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *state = hook_get(req, "state"), *reason = hook_get(req, "reason"),
		   *backlog = hook_get(req, "backlog"), *seq = hook_get(req, "seq");
	(void)jd;
	if (!state || (strcmp(state, "up") != 0 && strcmp(state, "down") != 0)) {
		conn_reply_reason(c, "error", "malformed");
		return;
	}
	int rc = event_emit(!strcmp(state, "up") ? "COLLECTOR_UP" : "COLLECTOR_DOWN", "reason", reason ? reason : "-",
			    "backlog", backlog ? backlog : "-", "delivered_seq", seq ? seq : "-", EV_END);
	conn_reply_reason(c, rc ? "error" : "ok", NULL);
}

/* `service name= status= [restarts= restart_in_s=]`: a service exited and is restarted */
void verb_service(struct jumpd *jd, struct conn *c, const struct hook_msg *req)
{
	const char *name = hook_get(req, "name"), *status = hook_get(req, "status"),
		   *restarts = hook_get(req, "restarts"), *in = hook_get(req, "restart_in_s");
	(void)jd;
	if (!name || !status) {
		conn_reply_reason(c, "error", "bad-request");
		return;
	}
	int rc = event_emit("SERVICE_RESTART", "service", name, "status", status, "restarts",
			    restarts ? restarts : "-", "restart_in_s", in ? in : "-", EV_END);
	conn_reply_reason(c, rc ? "error" : "ok", NULL);
}
