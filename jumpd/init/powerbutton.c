/* powerbutton: KEY_POWER from evdev as a power-off request (see powerbutton.h). */
#include "powerbutton.h"

#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BITS_PER_LONG (8 * sizeof(unsigned long))

int powerbutton_open(int *fds, int max)
{
	int n = 0;
	for (int i = 0; i < 32 && n < max; i++) {
		char path[32];
		unsigned long keys[KEY_MAX / BITS_PER_LONG + 1];
		snprintf(path, sizeof path, "/dev/input/event%d", i);
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(keys, 0, sizeof keys);
		if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof keys), keys) >= 0 &&
		    (keys[KEY_POWER / BITS_PER_LONG] >> (KEY_POWER % BITS_PER_LONG)) & 1)
			fds[n++] = fd;
		else
			close(fd);
	}
	return n;
}

int powerbutton_read(int fd)
{
	struct input_event ev[16];
	ssize_t n;
	int pressed = 0;
	while ((n = read(fd, ev, sizeof ev)) > 0)
		pressed |= powerbutton_pressed(ev, (size_t)n);
	return pressed;
}

int powerbutton_pressed(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	for (size_t off = 0; off + sizeof(struct input_event) <= len; off += sizeof(struct input_event)) {
		struct input_event ev;
		memcpy(&ev, p + off, sizeof ev);
		if (ev.type == EV_KEY && ev.code == KEY_POWER && ev.value == 1)
			return 1;
	}
	return 0;
}
