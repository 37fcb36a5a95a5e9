/* sysctl: the runtime kernel settings jumpbox applies at boot. */
#ifndef JB_INIT_SYSCTL_H
#define JB_INIT_SYSCTL_H
struct sysctl_setting {
	const char *key;   /* dotted, e.g. "kernel.kptr_restrict" */
	const char *value;
};
extern const struct sysctl_setting sysctl_table[];
/* Writes every setting under procroot ("/proc/sys"). A key the kernel does
 * not have is logged and skipped (the feature is compiled out); a write that
 * fails is logged loudly. Returns the number of failed writes. */
int sysctl_apply(const char *procroot);
#endif
