/* log: the console, and one-line messages from init's programs to it,
 * prefixed "jumpinit: " (they are one binary; the tests and the docs read
 * the console by that prefix). */
#ifndef JB_INIT_LOG_H
#define JB_INIT_LOG_H
/* stdin, stdout and stderr on /dev/console (PID 1 starts with none) */
void console_attach(void);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a warning that must not be missed in a console scroll */
void log_loud(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
