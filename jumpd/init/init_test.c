/* unit tests for PID 1's own modules: volume label probing (mounts), the
 * power button, the random seed */
#include "entropy.h"
#include "powerbutton.h"
#include "testutil.h"
#include "volumes.h"
#include "../common/unittest.h"
#include <linux/input.h>
#include <string.h>
#include <sys/stat.h>

static void test_probe_ext4(void)
{
	unsigned char b[2048] = { 0 };
	char label[32], fs[8];
	b[1024 + 56] = 0x53; b[1024 + 57] = 0xEF;
	memcpy(b + 1024 + 120, "JBSTATE", 7);
	CHECK(volume_probe(b, sizeof b, label, sizeof label, fs) == 0);
	CHECK(!strcmp(label, "JBSTATE") && !strcmp(fs, "ext4"));
	CHECK(volume_probe(b, 1100, label, sizeof label, fs) == -1); /* short read */
}

static void test_probe_fat(void)
{
	unsigned char b[2048] = { 0 };
	char label[32], fs[8];
	b[510] = 0x55; b[511] = 0xAA;
	memcpy(b + 0x36, "FAT16   ", 8); b[0x26] = 0x29;
	memcpy(b + 0x2B, "JBCONFIG   ", 11);
	CHECK(volume_probe(b, sizeof b, label, sizeof label, fs) == 0);
	CHECK(!strcmp(label, "JBCONFIG") && !strcmp(fs, "vfat"));
	memset(b, 0, sizeof b);
	b[510] = 0x55; b[511] = 0xAA;
	memcpy(b + 0x52, "FAT32   ", 8); b[0x42] = 0x29;
	memcpy(b + 0x47, "JBCONFIG   ", 11);
	CHECK(volume_probe(b, sizeof b, label, sizeof label, fs) == 0 && !strcmp(label, "JBCONFIG"));
	memset(b, 0, sizeof b);
	CHECK(volume_probe(b, sizeof b, label, sizeof label, fs) == -1);
}

/* a fake block device: NAME in sys/ and an ext4 superblock labelled LABEL in dev/ */
static void fake_disk(const char *dir, const char *name, const char *label)
{
	unsigned char b[2048] = { 0 };
	char path[512];
	b[1024 + 56] = 0x53; b[1024 + 57] = 0xEF;
	memcpy(b + 1024 + 120, label, strlen(label) + 1); /* the label field is NUL-padded */
	snprintf(path, sizeof path, "%s/sys/%s", dir, name);
	CHECK(test_write(path, "", 0644) == 0);
	snprintf(path, sizeof path, "%s/dev/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f && fwrite(b, 1, sizeof b, f) == sizeof b);
	if (f)
		fclose(f);
}

/* issue #18: a second disk labelled JBSTATE (or JBCONFIG) was taken or not
 * depending on the directory order; now the label is refused outright */
static void test_duplicate_label_refused(void)
{
	const char *d = test_dir("vol");
	char sys[300], dev[300], got[300], other[300], fs[8];
	snprintf(sys, sizeof sys, "%s/sys", d);
	snprintf(dev, sizeof dev, "%s/dev", d);
	CHECK(mkdir(sys, 0755) == 0 && mkdir(dev, 0755) == 0);
	fake_disk(d, "vdb", "JBSTATE");
	fake_disk(d, "vdc", "OTHER");
	/* positive control: one JBSTATE among others is found */
	CHECK(volume_find_in(sys, dev, "JBSTATE", got, sizeof got, fs, other, sizeof other) == 0);
	CHECK(strstr(got, "/dev/vdb") && !strcmp(fs, "ext4"));
	CHECK(volume_find_in(sys, dev, "JBCONFIG", got, sizeof got, fs, other, sizeof other) == -1);
	fake_disk(d, "vdd", "JBSTATE");
	got[0] = other[0] = 0;
	CHECK(volume_find_in(sys, dev, "JBSTATE", got, sizeof got, fs, other, sizeof other) == -2);
	CHECK((strstr(got, "/dev/vdb") && strstr(other, "/dev/vdd")) || (strstr(got, "/dev/vdd") && strstr(other, "/dev/vdb")));
	CHECK(volume_find_in(sys, dev, "OTHER", got, sizeof got, fs, other, sizeof other) == 0);
}

static void test_powerbutton(void)
{
	struct input_event ev[3];
	memset(ev, 0, sizeof ev);
	ev[0].type = EV_KEY; ev[0].code = KEY_POWER; ev[0].value = 0; /* release */
	ev[1].type = EV_SYN;
	CHECK(powerbutton_pressed(ev, 2 * sizeof ev[0]) == 0);
	ev[2].type = EV_KEY; ev[2].code = KEY_POWER; ev[2].value = 1;
	CHECK(powerbutton_pressed(ev, sizeof ev) == 1);
	CHECK(powerbutton_pressed(ev, sizeof ev - 1) == 0); /* torn last event ignored */
	ev[2].code = KEY_A;
	CHECK(powerbutton_pressed(ev, sizeof ev) == 0);
}

static void test_entropy_seed_replaced_each_boot(void)
{
	const char *dir = test_dir("seed");
	char seed[300], before[ENTROPY_SEED_BYTES], after[ENTROPY_SEED_BYTES];
	struct stat st;
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(seed, sizeof seed, "%s/random-seed", dir);
	entropy_seed(seed, 0); /* in RAM: nothing written */
	CHECK(stat(seed, &st) != 0);
	entropy_seed(seed, 1); /* first boot on a volume: a seed appears */
	CHECK(stat(seed, &st) == 0 && st.st_size == ENTROPY_SEED_BYTES && (st.st_mode & 0777) == 0600);
	FILE *f = fopen(seed, "rb");
	CHECK(f && fread(before, 1, sizeof before, f) == sizeof before);
	if (f)
		fclose(f);
	entropy_seed(seed, 1); /* the next boot: never the same seed twice */
	f = fopen(seed, "rb");
	CHECK(f && fread(after, 1, sizeof after, f) == sizeof after);
	if (f)
		fclose(f);
	CHECK(memcmp(before, after, sizeof before) != 0);
	snprintf(seed, sizeof seed, "%s/random-seed.new", dir);
	CHECK(stat(seed, &st) != 0); /* renamed into place, nothing left over */
}

int main(void)
{
	RUN(test_powerbutton);
	RUN(test_probe_ext4);
	RUN(test_probe_fat);
	RUN(test_duplicate_label_refused);
	RUN(test_entropy_seed_replaced_each_boot);
	UT_END();
}
