// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a reference string as libCacheSim's oracleGeneral records
 * (oracle.h), for `swaplab gen` and `swaplab record`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/oracle.h"

/* @v in @n bytes at @p, little-endian. */
static void oracle_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = v & 0xff;
}

/*
 * The last index each page was seen at, going from the end: an
 * open-addressing table of pages (mix64() hash, linear probing), at most
 * half full.
 */
struct oracle_seen {
	uint64_t *page;
	int64_t *at;		/* -1: an empty slot */
	size_t mask;
};

static int oracle_seen_init(struct oracle_seen *t, size_t n)
{
	size_t size = 1024;

	while (size < 2 * n)
		size *= 2;
	t->page = malloc(size * sizeof(*t->page));
	t->at = malloc(size * sizeof(*t->at));
	t->mask = size - 1;
	if (!t->page || !t->at)
		return -ENOMEM;
	memset(t->at, 0xff, size * sizeof(*t->at));
	return 0;
}

/* @p's slot: the one holding it, or the empty one where it goes. */
static size_t oracle_seen_slot(const struct oracle_seen *t, uint64_t p)
{
	size_t i = mix64(p) & t->mask;

	while (t->at[i] >= 0 && t->page[i] != p)
		i = (i + 1) & t->mask;
	return i;
}

/**
 * oracle_write() - write a reference string as oracleGeneral records
 * @out: where to
 * @refs: the string: page numbers, any 64-bit values
 * @nrefs: its length
 *
 * Each reference is a request for its page's 4096 bytes at time 0, with
 * the index of the next reference to the page (-1: none), found by one
 * pass from the end through a table of the pages (16 bytes a slot, at
 * least two slots a reference).
 *
 * Return: 0, -ENOMEM, or -EIO if a write failed.
 */
int oracle_write(FILE *out, const uint64_t *refs, size_t nrefs)
{
	int64_t *next = malloc((nrefs ? nrefs : 1) * sizeof(*next));
	unsigned char rec[ORACLE_RECORD];
	struct oracle_seen seen = { 0 };
	int err = next ? oracle_seen_init(&seen, nrefs) : -ENOMEM;

	if (err)
		goto out;
	for (size_t t = nrefs; t-- > 0;) {
		size_t i = oracle_seen_slot(&seen, refs[t]);

		next[t] = seen.at[i];
		seen.page[i] = refs[t];
		seen.at[i] = t;
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
	free(seen.page);
	free(seen.at);
	free(next);
	return err;
}
