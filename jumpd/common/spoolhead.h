/* spoolhead: where an audit spool's records begin once its head has been
 * reclaimed. jumpd gives delivered records back to the file system by
 * punching a hole at the spool's start (daemon/spool.h, spool_reclaim):
 * offsets never move, so the shipper's cursor stays valid, and the bytes
 * before the first data block read as zeros. The hole ends on a block
 * boundary, inside or at the end of a delivered record, never past the
 * '\n' that ends the last reclaimed record, so the first data block starts
 * with at most a piece of one record: skipped. Used by jumpd (at open),
 * the shipper (a resend from the start) and `jumpctl audit-verify` (a
 * spool read in place). No allocation. */
#ifndef JB_SPOOLHEAD_H
#define JB_SPOOLHEAD_H
#include <stdint.h>
#include <sys/types.h>

/* The offset of the first byte the file system holds (lseek SEEK_DATA):
 * 0 for a spool never reclaimed (or a file system without holes), the
 * file's size if it holds no data; -1 on error. */
off_t spoolhead_data(int fd);
/* The offset of the first whole line of the spool: 0 if nothing was
 * reclaimed, else just past the first '\n' at or after the data start.
 * -1 on a read error; the file's size if no line ends after the hole. */
off_t spoolhead_first_line(int fd);
#endif
