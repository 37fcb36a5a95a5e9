/* log: one-line messages from init to the console, prefixed "jumpinit: ". */
#ifndef JB_INIT_LOG_H
#define JB_INIT_LOG_H
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a warning that must not be missed in a console scroll */
void log_loud(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
