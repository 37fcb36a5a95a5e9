/* spoolgen: a test and benchmark tool, not shipped in the image. Appends
 * N audit records to a spool the way jumpd does (spool.h: same format,
 * sequence and chain, torn-tail recovery at open), at a given rate, with
 * group commit: the records due in each 1 ms tick are written, then
 * synced once. Each record's timestamp is taken when it is written, so a
 * collector's receive time minus it is the event-to-collector latency.
 *
 *   spoolgen -f SPOOL -n COUNT [-r PER_SECOND] [-H HOSTNAME] [-p PAD_BYTES]
 *
 * -r 0 (the default): as fast as possible, 256 records per sync. Prints
 * the records written and the rate reached. */
#include "../daemon/spool.h"
#include "../common/monotime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void timestamp(char *out, size_t cap)
{
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *host = "bastion-bench";
	unsigned long long count = 0, rate = 0, pad = 0;
	int opt;
	while ((opt = getopt(argc, argv, "f:n:r:H:p:")) != -1) {
		switch (opt) {
		case 'f': path = optarg; break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 'r': rate = strtoull(optarg, NULL, 10); break;
		case 'H': host = optarg; break;
		case 'p': pad = strtoull(optarg, NULL, 10); break;
		default: path = NULL; break;
		}
	}
	if (!path || !count || pad > 2048) {
		fprintf(stderr, "usage: spoolgen -f SPOOL -n COUNT [-r PER_SECOND] [-H HOSTNAME] [-p PAD_BYTES]\n");
		return 2;
	}
	static struct spool sp;
	char err[320], ts[96], n_s[24], user[16], padding[2049];
	long torn = 0;
	if (spool_open(&sp, path, host, "0.1.0+spoolgen", (off_t)1 << 40, &torn, err, sizeof err)) {
		fprintf(stderr, "spoolgen: %s\n", err);
		return 1;
	}
	if (torn)
		fprintf(stderr, "spoolgen: recovered: %ld torn bytes cut\n", torn);
	memset(padding, 'x', pad);
	padding[pad] = 0;
	int64_t t0 = mono_us();
	uint64_t written = 0;
	while (written < count) {
		/* how many are due by now: rate * elapsed, or a batch */
		uint64_t due = rate ? (uint64_t)(mono_us() - t0) * rate / 1000000u + 1 : written + 256;
		if (due > count)
			due = count;
		if (due <= written) {
			struct timespec ts1 = { 0, 1000000 };
			nanosleep(&ts1, NULL);
			continue;
		}
		timestamp(ts, sizeof ts);
		for (; written < due; written++) {
			snprintf(n_s, sizeof n_s, "%llu", (unsigned long long)written + 1);
			snprintf(user, sizeof user, "user%llu", (unsigned long long)(written % 50));
			const char *kv[] = { "user", user, "src", "192.0.2.7", "result", "allow", "n", n_s,
					     pad ? "pad" : NULL, padding, NULL };
			if (spool_append_nosync(&sp, ts, "BENCH", kv)) {
				fprintf(stderr, "spoolgen: append failed after %llu records\n", (unsigned long long)written);
				return 1;
			}
		}
		if (spool_sync(&sp)) {
			fprintf(stderr, "spoolgen: sync failed\n");
			return 1;
		}
	}
	double secs = (double)(mono_us() - t0) / 1e6;
	printf("spoolgen: %llu records in %.2f s (%.0f/s), last sequenceId %llu\n", (unsigned long long)written, secs,
	       secs > 0 ? (double)written / secs : 0.0, (unsigned long long)sp.seq);
	return 0;
}
