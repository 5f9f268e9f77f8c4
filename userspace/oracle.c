// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a reference string as libCacheSim's oracleGeneral records
 * (oracle.h): each reference a request for the page's 4096 bytes at time
 * 0, with the index of the next reference to the page, which libCacheSim's
 * Belady needs, found by one pass from the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

/* @v in @n bytes at @p, little-endian. */
static void oracle_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = v & 0xff;
}

/**
 * oracle_write() - write a reference string as oracleGeneral records
 * @out: where to
 * @refs: the string: page numbers below @npages
 * @nrefs: its length
 * @npages: a bound on its page numbers
 *
 * Return: 0, -ENOMEM, -EINVAL for a page number not below @npages, or
 * -EIO if a write failed.
 */
int oracle_write(FILE *out, const unsigned long *refs, size_t nrefs,
		 unsigned long npages)
{
	int64_t *next = malloc((nrefs ? nrefs : 1) * sizeof(*next));
	int64_t *seen = malloc((npages ? npages : 1) * sizeof(*seen));
	unsigned char rec[ORACLE_RECORD];
	int err = 0;

	if (!next || !seen) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned long p = 0; p < npages; p++)
		seen[p] = -1;
	for (size_t t = 0; t < nrefs; t++)
		if (refs[t] >= npages) {
			err = -EINVAL;
			goto out;
		}
	for (size_t t = nrefs; t-- > 0;) {
		next[t] = seen[refs[t]];
		seen[refs[t]] = t;
	}
	memset(rec, 0, sizeof(rec));
	oracle_put(rec + 12, 4096, 4);
	for (size_t t = 0; t < nrefs; t++) {
		oracle_put(rec + ORACLE_OBJ_ID, refs[t], 8);
		oracle_put(rec + 16, (uint64_t)next[t], 8);
		if (fwrite(rec, sizeof(rec), 1, out) != 1) {
			err = -EIO;
			break;
		}
	}
	if (!err && fflush(out))
		err = -EIO;
out:
	free(seen);
	free(next);
	return err;
}
