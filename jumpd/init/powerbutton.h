/* powerbutton: the ACPI power button (hypervisor "shut down", chassis
 * button) as a request for a clean power-off, read from the kernel's evdev
 * devices: there is no acpid on the image. */
#ifndef JB_INIT_POWERBUTTON_H
#define JB_INIT_POWERBUTTON_H
#include <stddef.h>

/* Opens every /dev/input/event* that can report KEY_POWER, up to max fds.
 * Returns how many were opened (0 if the kernel has none). */
int powerbutton_open(int *fds, int max);

/* Drains the pending events of one of those (non-blocking) fds; returns 1
 * if they held a KEY_POWER press. */
int powerbutton_read(int fd);

/* Returns 1 if the `len` bytes of input events in `buf` contain a KEY_POWER
 * press, else 0. Pure: used on what was read from one of the fds. */
int powerbutton_pressed(const void *buf, size_t len);
#endif
