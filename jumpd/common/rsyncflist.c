/* rsyncflist: see rsyncdata.h (the file lists' order and indexes). */
#include "rsyncdata.h"

#include <string.h>
#include <sys/stat.h>


/* rsync's order of one file list's names: of one directory, its files
 * before its directories; names compared byte by byte, a directory's with
 * its trailing "/" */
static int name_cmp(const struct rsyncstream *p, const struct rsync_entry *a, const struct rsync_entry *b)
{
	const unsigned char *x = (const unsigned char *)p->pool + a->name, *y = (const unsigned char *)p->pool + b->name;
	size_t i = 0, j = 0, xn = a->len, yn = b->len;
	if (xn == 1 && x[0] == '.')
		return yn == 1 && y[0] == '.' ? 0 : -1;
	if (yn == 1 && y[0] == '.')
		return 1;
	for (;;) {
		size_t ie = i, je = j;
		while (ie < xn && x[ie] != '/')
			ie++;
		while (je < yn && y[je] != '/')
			je++;
		int xd = ie < xn || a->isdir, yd = je < yn || b->isdir;
		if (xd != yd)
			return xd ? 1 : -1;
		for (;; i++, j++) { /* the components, a directory's with "/" after it */
			int cx = i < ie ? x[i] : xd ? '/' : -1, cy = j < je ? y[j] : yd ? '/' : -1;
			if (cx != cy)
				return cx < cy ? -1 : 1;
			if (i >= ie)
				break;
		}
		int xend = ie >= xn, yend = je >= yn;
		if (xend || yend)
			return yend - xend; /* a directory before its contents */
		i = ie + 1, j = je + 1;
	}
}

/* sorts the file list that starts at entry `from` (a shell sort: in place) */
void rsyncflist_sort(struct rsyncstream *p, uint32_t from)
{
	uint32_t n = p->nent - from;
	struct rsync_entry *e = p->ent + from;
	for (uint32_t gap = n / 2; gap; gap /= 2)
		for (uint32_t i = gap; i < n; i++) {
			struct rsync_entry t = e[i];
			uint32_t j = i;
			for (; j >= gap && name_cmp(p, &e[j - gap], &t) > 0; j -= gap)
				e[j] = e[j - gap];
			e[j] = t;
		}
}

/* the entry of ndx in the file lists: its place in ent, -2 for the index
 * just before a list's first (that list's directory: rsync's ndx_start
 * leaves a gap of 1 before each list), -1 if there is none */
int32_t rsyncflist_entry(const struct rsyncstream *p, int32_t ndx)
{
	/* the lists are kept in order, each one's entries sorted and ended by
	 * a sentinel: the entry's place in its list is ndx - the list's start */
	uint32_t start = p->first_start;
	for (uint32_t k = 0; k < p->nent;) {
		uint32_t end = k;
		while (end < p->nent && p->ent[end].name != UINT32_MAX)
			end++;
		if (ndx == (int32_t)start - 1)
			return -2;
		if (ndx >= (int32_t)start && ndx < (int32_t)(start + end - k))
			return (int32_t)(k + (uint32_t)(ndx - (int32_t)start));
		start += end - k + 1;
		k = end + 1;
	}
	return -1;
}

void rsyncflist_drop_oldest(struct rsyncstream *p)
{
	uint32_t e = 0, cut = p->pool_used;
	while (e < p->nent && p->ent[e].name != UINT32_MAX)
		e++;
	if (e + 1 >= p->nent)
		return; /* only one list: it is the one in use */
	for (uint32_t k = e + 1; k < p->nent; k++) /* the later lists' names: after the oldest's (sorted: the least) */
		if (p->ent[k].name != UINT32_MAX && p->ent[k].name < cut)
			cut = p->ent[k].name;
	memmove(p->pool, p->pool + cut, p->pool_used - cut);
	p->pool_used -= cut;
	memmove(p->ent, p->ent + e + 1, (p->nent - e - 1) * sizeof p->ent[0]);
	p->nent -= e + 1;
	for (uint32_t k = 0; k < p->nent; k++)
		if (p->ent[k].name != UINT32_MAX)
			p->ent[k].name -= cut;
	p->first_start += e + 1;
	if (p->cur >= 0)
		p->cur = -1;
}

int rsyncflist_add(struct rsyncstream *p)
{
	if (p->nent + 2 > RSYNC_ENTRIES_MAX || p->pool_used + p->namelen > RSYNC_POOL) {
		rsyncdata_stop(p, "file list too large");
		return -1;
	}
	struct rsync_entry *e = &p->ent[p->nent++];
	e->name = p->pool_used;
	e->len = p->namelen;
	e->isdir = S_ISDIR(p->mode) != 0;
	e->isreg = S_ISREG(p->mode) != 0;
	e->size = p->length;
	memcpy(p->pool + p->pool_used, p->name, p->namelen);
	p->pool_used += p->namelen;
	memcpy(p->lastname, p->name, p->namelen);
	p->lastmode = p->mode;
	return 0;
}
