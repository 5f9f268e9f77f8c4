// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a reference string from a file: page numbers separated by white
 * space, '#' starting a comment.
 *
 * The simulator and the replays index their tables by page, so they take
 * a string of page ids below some npages. A trace may name pages far
 * apart (tens of millions, or any 64-bit number): each distinct page then
 * gets a dense id, 0, 1, 2... in the order of its first reference, found
 * through an open-addressing hash table, and every table has exactly one
 * entry per distinct page.
 *
 * Page numbers are kept as they are while a table indexed by them stays
 * small: all below TRACE_DENSE_MAX, or at most half of 0..max unused. So
 * the strings of `swaplab gen`, and the ones made by hand, keep their
 * numbering. The simulator's policies never look at a page's number
 * (random draws among resident pages in admission order; LRU and OPT key
 * on times), so fault counts are the same either way; what renumbering
 * changes is the page count printed and, in a replay on the module, where
 * each page lies in the region, which readahead sees.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "trace.h"

/* Page numbers below this are kept as they are: 2^20, 4 GiB of 4 KiB pages. */
#define TRACE_DENSE_MAX		1048576UL
#define TRACE_SPACE		" \t\r\n\v\f"

/* A slot of the id table: a page and its id plus one (0: empty slot). */
struct trace_slot {
	uint64_t page;
	uint32_t id1;
};

/**
 * struct trace_ids - pages to dense ids, in first-reference order
 * @slot: the table, linear probing; its size is a power of two
 * @mask: its size less one
 * @n: distinct pages so far, which is also the next id
 */
struct trace_ids {
	struct trace_slot *slot;
	size_t mask;
	size_t n;
};

/**
 * struct trace_reader - a trace being read
 * @path: the file, for messages
 * @line: the line being read, from 1
 * @refs: the references so far, as ids
 * @n: how many
 * @cap: room in @refs
 * @ids: the id of each page
 * @max: the largest page number seen
 */
struct trace_reader {
	const char *path;
	unsigned long line;
	unsigned long *refs;
	size_t n;
	size_t cap;
	struct trace_ids ids;
	uint64_t max;
};

/*
 * The slot holding @page, or the empty slot where it would go: the first
 * of the run of full slots from its hash that holds it, or ends it.
 */
static struct trace_slot *trace_ids_slot(const struct trace_ids *t,
					 uint64_t page)
{
	size_t i = mix64(page) & t->mask;

	while (t->slot[i].id1 && t->slot[i].page != page)
		i = (i + 1) & t->mask;
	return &t->slot[i];
}

/* Double the table (1024 slots at first); ids stay what they were. */
static int trace_ids_grow(struct trace_ids *t)
{
	size_t size = t->slot ? 2 * (t->mask + 1) : 1024;
	struct trace_ids bigger = { .mask = size - 1, .n = t->n };

	bigger.slot = calloc(size, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (size_t i = 0; t->slot && i <= t->mask; i++)
		if (t->slot[i].id1)
			*trace_ids_slot(&bigger, t->slot[i].page) = t->slot[i];
	free(t->slot);
	*t = bigger;
	return 0;
}

/*
 * Set *@id to @page's id, giving it the next one on its first reference.
 * Returns 0, -ENOMEM, or -E2BIG past 2^32 - 1 distinct pages.
 */
static int trace_ids_get(struct trace_ids *t, uint64_t page,
			 unsigned long *id)
{
	struct trace_slot *s;

	/* At most three quarters full, so that probe runs stay short. */
	if (4 * (t->n + 1) > 3 * (t->slot ? t->mask + 1 : 0) &&
	    trace_ids_grow(t))
		return -ENOMEM;
	s = trace_ids_slot(t, page);
	if (!s->id1) {
		if (t->n == UINT32_MAX)
			return -E2BIG;
		s->page = page;
		s->id1 = ++t->n;
	}
	*id = s->id1 - 1;
	return 0;
}

/* Append a reference to @page. Returns 0, -ENOMEM or -E2BIG. */
static int trace_ref(struct trace_reader *r, uint64_t page)
{
	unsigned long id;
	int err;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 1024;
		unsigned long *bigger = realloc(r->refs, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		r->refs = bigger;
		r->cap = cap;
	}
	err = trace_ids_get(&r->ids, page, &id);
	if (err)
		return err;
	r->refs[r->n++] = id;
	if (page > r->max)
		r->max = page;
	return 0;
}

/* Parse @s, decimal digits only, into *@v; false if it is not that. */
static bool trace_number(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno;
}

/*
 * Read page numbers separated by white space; a word starting with '#'
 * comments out the rest of its line. Returns 0 or a negative errno, with
 * a message naming the line for a word that is not a page number.
 */
static int trace_read_pages(struct trace_reader *r, FILE *f)
{
	char *line = NULL, *word, *save;
	size_t len = 0;
	int err = 0;

	while (!err && getline(&line, &len, f) != -1) {
		r->line++;
		for (word = strtok_r(line, TRACE_SPACE, &save);
		     word && word[0] != '#' && !err;
		     word = strtok_r(NULL, TRACE_SPACE, &save)) {
			uint64_t page;

			if (!trace_number(word, &page)) {
				fprintf(stderr, "swaplab: %s:%lu: '%s' is not a page number\n",
					r->path, r->line, word);
				err = -EINVAL;
				break;
			}
			err = trace_ref(r, page);
		}
	}
	free(line);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}

/*
 * Hand the references over as page numbers, if a table indexed by them
 * is small enough (see the head of this file), else as the dense ids.
 * Sets *@npages to the size such a table needs.
 */
static int trace_finish(struct trace_reader *r, unsigned long *npages)
{
	unsigned long *page;

	if (r->max >= TRACE_DENSE_MAX && r->max / 2 >= r->ids.n) {
		*npages = r->ids.n;
		return 0;
	}
	page = malloc(r->ids.n * sizeof(*page));
	if (!page)
		return -ENOMEM;
	for (size_t i = 0; i <= r->ids.mask; i++)
		if (r->ids.slot[i].id1)
			page[r->ids.slot[i].id1 - 1] = r->ids.slot[i].page;
	for (size_t t = 0; t < r->n; t++)
		r->refs[t] = page[r->refs[t]];
	free(page);
	*npages = r->max + 1;
	return 0;
}

/**
 * trace_read() - read a reference string
 * @path: the file, or "-" for standard input
 * @refs: set to a new array of page ids, for the caller to free()
 * @nrefs: set to its length, at least 1
 * @npages: set to a bound on the ids: the page numbers of the file when
 *	they are small, else the number of distinct pages
 *
 * Every error, an empty trace among them, is reported on standard error.
 *
 * Return: 0, or a negative errno.
 */
int trace_read(const char *path, unsigned long **refs, size_t *nrefs,
	       unsigned long *npages)
{
	struct trace_reader r = { .path = path };
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
		return err;
	}
	err = trace_read_pages(&r, f);
	if (f != stdin)
		fclose(f);
	if (!err && !r.n) {
		fprintf(stderr, "swaplab: %s: no references\n", path);
		err = -ENODATA;
	} else if (!err) {
		err = trace_finish(&r, npages);
	}
	if (err == -ENOMEM || err == -EIO)
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
	else if (err == -E2BIG)
		fprintf(stderr, "swaplab: %s: more than %u distinct pages\n",
			path, UINT32_MAX);
	free(r.ids.slot);
	if (err) {
		free(r.refs);
		return err;
	}
	*refs = r.refs;
	*nrefs = r.n;
	return 0;
}
