/* libFuzzer harness: rec-export over a collector file of any bytes (whoever
 * holds the collector can shape it; the lines reach recchain_parse,
 * auditrec_param and the anchors' fields). Must give a verdict without
 * crashing; OUTFILE exists exactly when the export is verified, and then
 * holds exactly the bytes the REC_END accounts for. */
#include "recexport.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char in[64], out[64];
	if (!in[0]) {
		snprintf(in, sizeof in, "/tmp/jb-recexport-fuzz-%ld.log", (long)getpid());
		snprintf(out, sizeof out, "/tmp/jb-recexport-fuzz-%ld.cast", (long)getpid());
	}
	FILE *f = fopen(in, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	unlink(out);
	struct recexport_opts o = { "0123456789abcdef", in, in, out, NULL };
	struct recexport_result r;
	int rc = rec_export(&o, &r);
	struct stat st;
	int exists = stat(out, &st) == 0;
	if (rc == 0 ? !exists || (uint64_t)st.st_size != r.bytes : exists)
		abort();
	unlink(out);
	unlink(in);
	return 0;
}
