/* sessions: see sessions.h. */
#include "sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sessions_init(struct sessions *t, unsigned cap)
{
	memset(t, 0, sizeof *t);
	t->s = calloc(cap ? cap : 1, sizeof *t->s);
	t->cap = t->s ? cap : 0;
	return t->s ? 0 : -1;
}

struct session *sessions_add(struct sessions *t, unsigned user, pid_t pid, int64_t now_ms)
{
	if (t->n >= t->cap || user >= SITECONF_MAX_USERS)
		return NULL;
	for (unsigned i = 0; i < t->cap; i++) {
		struct session *s = &t->s[i];
		if (s->used)
			continue;
		*s = (struct session){ .used = 1, .pid = pid, .pidfd = -1, .user = user, .opened_ms = now_ms };
		t->n++;
		t->per_user[user]++;
		return s;
	}
	return NULL;
}

struct session *sessions_find(struct sessions *t, pid_t pid)
{
	for (unsigned i = 0; i < t->cap; i++)
		if (t->s[i].used && t->s[i].pid == pid)
			return &t->s[i];
	return NULL;
}

unsigned sessions_of_user(const struct sessions *t, unsigned user)
{
	return user < SITECONF_MAX_USERS ? t->per_user[user] : 0;
}

void sessions_remove(struct sessions *t, struct session *s)
{
	if (!s->used)
		return;
	t->n--;
	t->per_user[s->user]--;
	memset(s, 0, sizeof *s);
}

/* pid's parent (/proc/PID/stat's fourth field, after the name in
 * parentheses, which may hold anything), or -1 */
static pid_t parent_of(pid_t pid)
{
	char path[32], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	char *close = strrchr(buf, ')'), *end;
	/* ") S 1234 ...": the state letter, then the parent */
	if (!close || close[1] != ' ' || !close[2] || close[3] != ' ')
		return -1;
	long ppid = strtol(close + 4, &end, 10);
	if (end == close + 4 || *end != ' ' || ppid < 0)
		return -1;
	return (pid_t)ppid;
}

struct session *sessions_of_process(struct sessions *t, unsigned user, pid_t pid)
{
	for (int gen = 0; gen <= SESSIONS_ANCESTRY && pid > 1; gen++) {
		struct session *s = sessions_find(t, pid);
		if (s)
			return s->user == user ? s : NULL;
		pid = parent_of(pid);
	}
	return NULL;
}
