// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a reference string from a file, in one of five formats (enum
 * trace_format): page numbers, as text or as libCacheSim's oracleGeneral
 * binary records, or a block I/O trace, comma-separated, whose requests
 * (a byte offset and a size) each reference every page they span, in
 * order: 8 KiB at offset 6 KiB is pages 1, 2 and 3. A file of any format
 * may be zstd-compressed (zfile.c): it reads as what it holds.
 *
 * Each reference is made by a process, 0 to TRACE_MAX_PROCS - 1: the P
 * of a word P:PAGE of page numbers, or a CSV trace's process column, or
 * the file's place among several mixed round-robin (trace_read_procs());
 * 0 otherwise, so that a string without processes is process 0's.
 *
 * The simulator and the replays index their tables by page, so they take
 * a string of page ids below some npages. A trace may name pages far
 * apart (tens of millions, or any 64-bit number), or pages of several
 * disks: each distinct page, an (address space, page number) pair, then
 * gets a dense id, 0, 1, 2... in the order of (address space, page
 * number), found through an open-addressing hash table, and every table
 * has exactly one entry per distinct page. The address space is the
 * process and, within it, the volume (host and disk) of an MSR trace:
 * process P's volume V is address space P * TRACE_MAX_VOLUMES + V (V is
 * 0 in the other formats, but for a file's pages), so that different
 * processes' pages are different pages, and process 0's volume V is
 * address space V. Ids keep the pages' order, so that pages next to each
 * other stay next to each other and a run at a stride whose pages
 * between are referenced too keeps its stride: what prefetchers and
 * readahead look at.
 *
 * Plain page numbers of process 0 alone are kept as they are while a
 * table indexed by them stays small: all below TRACE_DENSE_MAX, or at
 * most half of 0..max unused. So the strings of `swaplab gen`, and the ones made by hand,
 * keep their numbering. The block formats always get dense ids. The
 * simulator's policies but adapt never look at a page's number (random
 * draws a place in its tree of resident pages; LRU and OPT key on
 * times), so their fault counts are the same either way; what
 * renumbering changes is the page count printed, and the gaps between
 * pages never referenced, which prefetchers and readahead see. adapt
 * samples pages by their number: a string renumbered is another sample.
 *
 * In the pages format a word may end with a kind letter (enum
 * trace_kind): 'f', a page of a file, or 'x', a page of a file mapped
 * executable. A file's page is of a volume of its own within its
 * process, TRACE_VOL_FILE, so that 5 and 5f are two pages, and a
 * process's anonymous pages come before its file pages among the ids;
 * 5f and 5x name the same page, and a page named both ways is an error.
 * A trace with a file's page always gets dense ids. A caller that asks
 * for the kinds gets one byte an id; one that does not takes anonymous
 * pages only, and a word with a letter is an error for it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/common.h"
#include "lib/hugetab.h"
#include "lib/oracle.h"
#include "lib/sysfs.h"
#include "lib/strmap.h"
#include "lib/trace.h"
#include "lib/zfile.h"

/* Page numbers below this are kept as they are: 2^20, 4 GiB of 4 KiB pages. */
#define TRACE_DENSE_MAX		1048576UL
/* References staged before a write into the string (trace_flush()). */
#define TRACE_STAGE		65536
#define TRACE_SPACE		" \t\r\n\v\f"
/* The highest column a CSV option may name. */
#define TRACE_MAX_COLUMNS	64
/* A request may span this many pages at most: a bad size, not a request. */
#define TRACE_MAX_SPAN		1048576UL
/* Distinct volumes (Hostname, DiskNumber) an MSR trace may have. */
#define TRACE_MAX_VOLUMES	4096
/* The volume of a process's file pages, in the pages format. */
#define TRACE_VOL_FILE		1

/*
 * A slot of the id table: a page, its address space, and its id plus one
 * (0: an empty slot).
 */
struct trace_slot {
	uint64_t page;
	uint32_t space;
	uint32_t id1;
};

/**
 * struct trace_ids - pages to dense ids, in first-reference order (sorted
 *	into page order once the trace is read)
 * @slot: the table, linear probing; its size is a power of two
 * @mask: its size less one
 * @n: distinct pages so far, which is also the next id
 * @nslot: how many of them are in @slot
 * @direct: the id plus one (0: none yet) of each page of address space 0
 *	below @ndirect, indexed by the page number: a plain numbering needs
 *	no hashing
 * @ndirect: the pages @direct covers; it grows while the numbering stays
 *	dense (trace_ids_dense()), and the pages of space 0 in @slot that it
 *	comes to cover move into it: no page is in both
 * @nslot0: how many of @slot's pages are of address space 0
 */
struct trace_ids {
	struct trace_slot *slot;
	size_t mask;
	size_t n;
	size_t nslot;
	uint32_t *direct;
	size_t ndirect;
	size_t nslot0;
};

/* A volume of an MSR trace: a disk of a host. */
struct trace_volume {
	char *host;
	uint64_t disk;
};

/**
 * struct trace_layout - where a block format has a request's fields
 * @fields: the number of fields a line has (0: any, as long as the
 *	columns below are there)
 * @offset: the column of the offset, from 1
 * @size: the column of the size
 * @type: the column of the type, read or write (0: none)
 * @proc: the column of the process (0: none)
 * @host: the column of the host name (0: none)
 * @disk: the column of the disk number (0: none)
 * @offset_unit: bytes per unit of the offset
 * @size_unit: bytes per unit of the size
 * @name: what the format calls the offset, size and type, for messages
 */
struct trace_layout {
	unsigned int fields;
	unsigned int offset;
	unsigned int size;
	unsigned int type;
	unsigned int proc;
	unsigned int host;
	unsigned int disk;
	uint64_t offset_unit;
	uint64_t size_unit;
	const char *name[3];
};

/**
 * struct trace_reader - a trace being read
 * @path: the file, for messages
 * @spec: how to read it
 * @line: the line being read, from 1
 * @why: what is wrong with the line, when a block format's is
 * @header: the line skipped as a header, 0 for none (@why says why)
 * @refs: the references so far, as ids
 * @procs: the process of each, from the first by a process other than 0
 *	(NULL until then: all process 0)
 * @n: how many
 * @cap: room in @refs (and @procs)
 * @stage: the latest references, up to TRACE_STAGE, not yet in @refs
 *	(strmap_write(): in one write, no page of @refs faults in for them)
 * @nstage: how many
 * @proc: the process of a reference the file does not give one
 * @one_proc: if not NULL, a process other than @proc is refused, the
 *	message saying "but @one_proc @proc"
 * @maxproc: the highest process seen
 * @ids: the id of each page
 * @max: the largest page number seen
 * @vol: the volumes of an MSR trace, their index being the address space
 * @nvol: how many
 * @last: the volume of the latest request, looked at first
 * @kinds_ok: the caller takes the kinds of the pages; if false, a file's
 *	page is an error
 * @kinds: the kind of each id (enum trace_kind), by first reference until
 *	trace_sort_ids() puts them in id order; NULL until the first
 *	file's page, and ids past @nkinds are anonymous
 * @nkinds: room in @kinds
 */
struct trace_reader {
	const char *path;
	const struct trace_spec *spec;
	unsigned long line;
	char why[160];
	unsigned long header;
	unsigned long *refs;
	uint16_t *procs;
	size_t n;
	size_t cap;
	unsigned long *stage;
	size_t nstage;
	unsigned int proc;
	const char *one_proc;
	unsigned int maxproc;
	struct trace_ids ids;
	uint64_t max;
	struct trace_volume *vol;
	size_t nvol;
	size_t last;
	bool kinds_ok;
	uint8_t *kinds;
	size_t nkinds;
};

/* The hash of a page of an address space (0 for most: mix64(0) is 0). */
static uint64_t trace_hash(uint32_t space, uint64_t page)
{
	return mix64(page ^ mix64(space));
}

/*
 * The slot holding the page, or the empty slot where it would go: the
 * first of the run of full slots from its hash that holds it, or ends it.
 */
static struct trace_slot *trace_ids_slot(const struct trace_ids *t,
					 uint32_t space, uint64_t page)
{
	size_t i = trace_hash(space, page) & t->mask;

	while (t->slot[i].id1 &&
	       (t->slot[i].page != page || t->slot[i].space != space))
		i = (i + 1) & t->mask;
	return &t->slot[i];
}

/*
 * Put @t's slots into a table of @size, moving those of address space 0
 * that @t->direct covers into it; ids stay what they were. 0 or -ENOMEM.
 */
static int trace_ids_rehash(struct trace_ids *t, size_t size)
{
	struct trace_ids bigger = { .mask = size - 1 };

	bigger.slot = hugetab_calloc(size, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (size_t i = 0; t->slot && i <= t->mask; i++) {
		const struct trace_slot *s = &t->slot[i];

		if (!s->id1)
			continue;
		if (!s->space && s->page < t->ndirect) {
			t->direct[s->page] = s->id1;
			t->nslot--;
			t->nslot0--;
		} else {
			*trace_ids_slot(&bigger, s->space, s->page) = *s;
		}
	}
	free(t->slot);
	t->slot = bigger.slot;
	t->mask = bigger.mask;
	return 0;
}

/*
 * Would a table indexed by page numbers up to @page stay small, by
 * trace_finish()'s rule, with @n pages in it?
 */
static bool trace_ids_dense(uint64_t page, size_t n)
{
	return page < TRACE_DENSE_MAX || page / 2 < n;
}

/*
 * Make @t->direct cover @page, doubling it at least, and move the pages
 * it newly covers out of @t->slot; 0, or -ENOMEM.
 */
static int trace_ids_direct_grow(struct trace_ids *t, uint64_t page)
{
	size_t n = t->ndirect ? 2 * t->ndirect : 1024;
	uint32_t *bigger;

	while (n <= page)
		n *= 2;
	bigger = realloc(t->direct, n * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	hugetab_advise(bigger + t->ndirect, (n - t->ndirect) * sizeof(*bigger));
	memset(bigger + t->ndirect, 0, (n - t->ndirect) * sizeof(*bigger));
	t->direct = bigger;
	t->ndirect = n;
	return t->nslot0 ? trace_ids_rehash(t, t->mask + 1) : 0;
}

/*
 * A record read TRACE_AHEAD on is known: ask the cache now for its page's
 * entry, of the direct table or the first slot its probe reads (a page of
 * address space 0), the random read that each costs (a hint, which
 * changes nothing). Always inline, as sim.c's sim_ahead().
 */
#define TRACE_AHEAD	16

static __always_inline
void trace_ids_ahead(const struct trace_ids *t, uint64_t page)
{
	if (page < t->ndirect)
		__builtin_prefetch(&t->direct[page]);
	else if (t->slot)
		__builtin_prefetch(&t->slot[trace_hash(0, page) & t->mask]);
}

/*
 * Set *@id to the id of @page of @space, giving it the next one on its
 * first reference. Returns 0, -ENOMEM, or -E2BIG past 2^32 - 1 distinct
 * pages.
 */
static int trace_ids_get(struct trace_ids *t, uint32_t space, uint64_t page,
			 unsigned long *id)
{
	struct trace_slot *s;

	if (!space && page >= t->ndirect && trace_ids_dense(page, t->n + 1) &&
	    trace_ids_direct_grow(t, page))
		return -ENOMEM;
	if (!space && page < t->ndirect) {
		uint32_t *d = &t->direct[page];

		if (!*d) {
			if (t->n == UINT32_MAX)
				return -E2BIG;
			*d = ++t->n;
		}
		*id = *d - 1;
		return 0;
	}
	/* At most three quarters full, so that probe runs stay short. */
	if (4 * (t->nslot + 1) > 3 * (t->slot ? t->mask + 1 : 0) &&
	    trace_ids_rehash(t, t->slot ? 2 * (t->mask + 1) : 1024))
		return -ENOMEM;
	s = trace_ids_slot(t, space, page);
	if (!s->id1) {
		if (t->n == UINT32_MAX)
			return -E2BIG;
		s->page = page;
		s->space = space;
		s->id1 = ++t->n;
		t->nslot++;
		t->nslot0 += !space;
	}
	*id = s->id1 - 1;
	return 0;
}

/* Double the room for references (1024 at first). */
static int trace_grow(struct trace_reader *r)
{
	size_t cap = r->cap ? 2 * r->cap : 1024;
	unsigned long *bigger = strmap_realloc(r->refs, cap * sizeof(*bigger));

	if (!bigger)
		return -ENOMEM;
	r->refs = bigger;
	if (r->procs) {
		uint16_t *more = realloc(r->procs, cap * sizeof(*more));

		if (!more)
			return -ENOMEM;
		r->procs = more;
	}
	r->cap = cap;
	return 0;
}

/* Write the staged references into @r->refs; 0, or -errno. */
static int trace_flush(struct trace_reader *r)
{
	int err = strmap_write(r->refs, (r->n - r->nstage) * sizeof(*r->refs),
			       r->stage, r->nstage * sizeof(*r->stage));

	r->nstage = 0;
	return err;
}

/*
 * Say what is wrong with the line in @r->why, printf-like; returns
 * -EINVAL. (No format attribute: checkpatch wants the kernel's __printf,
 * which userspace has not.)
 */
static int trace_bad(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The letter that names a kind of page in the pages format. */
static const char trace_kind_letter[] = {
	[TRACE_KIND_FILE] = 'f',
	[TRACE_KIND_EXEC] = 'x',
};

/*
 * Note that id @id, @page of process @proc, is of @kind, a file's: the
 * same kind each time. Returns 0, -ENOMEM, or -EINVAL with @r->why
 * saying what is wrong.
 */
static int trace_kind(struct trace_reader *r, unsigned int proc,
		      uint64_t page, unsigned long id, enum trace_kind kind)
{
	char p[16] = "";

	if (id >= r->nkinds) {
		size_t n = r->nkinds ? 2 * r->nkinds : 1024;
		uint8_t *more;

		while (n <= id)
			n *= 2;
		more = realloc(r->kinds, n);
		if (!more)
			return -ENOMEM;
		memset(more + r->nkinds, 0, n - r->nkinds);
		r->kinds = more;
		r->nkinds = n;
	}
	if (!r->kinds[id] || r->kinds[id] == kind) {
		r->kinds[id] = kind;
		return 0;
	}
	if (proc)
		snprintf(p, sizeof(p), "%u:", proc);
	return trace_bad(r, "page %s%llu is named both %s%llu%c and %s%llu%c; a file's page is one or the other",
			 p, (unsigned long long)page,
			 p, (unsigned long long)page,
			 trace_kind_letter[r->kinds[id]],
			 p, (unsigned long long)page, trace_kind_letter[kind]);
}

/*
 * Append a reference by process @proc to @page of its volume @vol, a
 * page of @kind. Returns 0, -ENOMEM, -E2BIG, or -EINVAL with @r->why
 * saying what is wrong.
 */
static int trace_ref(struct trace_reader *r, unsigned int proc, uint32_t vol,
		     uint64_t page, enum trace_kind kind)
{
	unsigned long id;
	int err;

	if (r->n == r->cap) {
		err = trace_grow(r);
		if (err)
			return err;
	}
	if (!r->stage) {
		r->stage = malloc(TRACE_STAGE * sizeof(*r->stage));
		if (!r->stage)
			return -ENOMEM;
	}
	/* The references so far were process 0's. */
	if (proc && !r->procs) {
		r->procs = calloc(r->cap, sizeof(*r->procs));
		if (!r->procs)
			return -ENOMEM;
	}
	err = trace_ids_get(&r->ids, proc * TRACE_MAX_VOLUMES + vol, page, &id);
	if (!err && kind != TRACE_KIND_ANON)
		err = trace_kind(r, proc, page, id, kind);
	if (err)
		return err;
	if (r->procs)
		r->procs[r->n] = proc;
	if (page > r->max)
		r->max = page;
	if (proc > r->maxproc)
		r->maxproc = proc;
	r->stage[r->nstage++] = id;
	r->n++;
	return r->nstage == TRACE_STAGE ? trace_flush(r) : 0;
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
 * Check process @p, named by @what, for @r; 0, or -EINVAL with @r->why
 * saying what is wrong.
 */
static int trace_proc(struct trace_reader *r, const char *what, uint64_t p)
{
	if (p >= TRACE_MAX_PROCS)
		return trace_bad(r, "%s: process %llu is not in 0..%d", what,
				 (unsigned long long)p, TRACE_MAX_PROCS - 1);
	if (r->one_proc && p != r->proc)
		return trace_bad(r, "%s: process %llu, but %s %u", what,
				 (unsigned long long)p, r->one_proc, r->proc);
	return 0;
}

/*
 * Parse a word of the pages format, PAGE or P:PAGE, PAGE perhaps ending
 * with a kind letter, into *@proc, *@page and *@kind; 0, or -EINVAL with
 * @r->why saying what is wrong.
 */
static int trace_word(struct trace_reader *r, char *word, unsigned int *proc,
		      uint64_t *page, enum trace_kind *kind)
{
	char *colon, *num, letter = '\0', what[64];
	bool proc_ok = true, page_ok;
	uint64_t p = r->proc;
	size_t len;

	*proc = r->proc;
	*kind = TRACE_KIND_ANON;
	/* A plain page number, most words, costs one parse and no search. */
	if (trace_number(word, page))
		return 0;
	colon = strchr(word, ':');
	num = colon ? colon + 1 : word;
	/* A letter after a digit ends the number: cut off while it is read. */
	len = strlen(num);
	if (len > 1 && isalpha((unsigned char)num[len - 1]) &&
	    isdigit((unsigned char)num[len - 2])) {
		letter = num[len - 1];
		num[len - 1] = '\0';
	}
	if (colon) {
		*colon = '\0';
		proc_ok = trace_number(word, &p);
		*colon = ':';
	}
	page_ok = trace_number(num, page);
	if (letter)
		num[len - 1] = letter;
	if (!proc_ok)
		return trace_bad(r, "'%s': '%.*s' is not a process number",
				 word, (int)(colon - word), word);
	if (!page_ok && colon)
		return trace_bad(r, "'%s': '%s' is not a page number", word,
				 num);
	if (!page_ok)
		return trace_bad(r, "'%s' is not a page number", word);
	for (size_t k = TRACE_KIND_FILE; k < ARRAY_SIZE(trace_kind_letter); k++)
		if (letter && letter == trace_kind_letter[k])
			*kind = k;
	if (letter && *kind == TRACE_KIND_ANON)
		return trace_bad(r, "'%s': '%c' is not a kind of page: f (a file's) or x (an executable's)",
				 word, letter);
	if (*kind != TRACE_KIND_ANON && !r->kinds_ok)
		return trace_bad(r, "'%s': a page of a file; this command takes anonymous pages only (no letter f or x)",
				 word);
	if (!colon)
		return 0;
	snprintf(what, sizeof(what), "'%s'", word);
	*proc = p;
	return trace_proc(r, what, p);
}

/*
 * Read page numbers separated by white space, each PAGE or P:PAGE (page
 * PAGE of process P), PAGE perhaps ending with a kind letter; a word
 * starting with '#' comments out the rest of its line. Returns 0 or a
 * negative errno, with a message naming the line for a word that is
 * neither, or that names a page of a file as another kind than before.
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
			enum trace_kind kind;
			unsigned int proc;
			uint64_t page;

			err = trace_word(r, word, &proc, &page, &kind);
			if (!err)
				err = trace_ref(r, proc, kind ? TRACE_VOL_FILE : 0,
						page, kind);
			if (err == -EINVAL)
				fprintf(stderr, "swaplab: %s:%lu: %s\n",
					r->path, r->line, r->why);
		}
	}
	free(line);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}

/*
 * Read oracleGeneral records (oracle.h), each object id a page number of
 * process @r->proc. Returns 0 or a negative errno, with a message naming
 * the byte where a record is cut short.
 */
static int trace_read_oracle(struct trace_reader *r, FILE *f)
{
	size_t cap = 4096 * ORACLE_RECORD, n, whole;
	unsigned char *buf = malloc(cap);
	unsigned long long at = 0;
	int err = buf ? 0 : -ENOMEM;

	while (!err && (n = fread(buf, 1, cap, f)) > 0) {
		whole = n - n % ORACLE_RECORD;
		for (size_t i = 0; !err && i < whole; i += ORACLE_RECORD) {
			if (i + TRACE_AHEAD * ORACLE_RECORD < whole)
				trace_ids_ahead(&r->ids, oracle_obj_id(buf + i +
						TRACE_AHEAD * ORACLE_RECORD));
			err = trace_ref(r, r->proc, 0, oracle_obj_id(buf + i),
					TRACE_KIND_ANON);
		}
		if (!err && whole != n && !ferror(f)) {
			fprintf(stderr, "swaplab: %s: byte %llu: a record cut short, %zu of %d bytes\n",
				r->path, at + whole, n - whole, ORACLE_RECORD);
			err = -EINVAL;
		}
		at += n;
	}
	free(buf);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}

/* @s without its leading and trailing white space, cut in place. */
static char *trace_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * Cut @line at its commas into fields, trimmed of white space, and keep
 * the first @max in @field. Returns the number of fields, which may be
 * more than @max. No quoting: a comma always ends a field.
 */
static size_t trace_split(char *line, char **field, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *comma = strchr(line, ',');

		if (comma)
			*comma = '\0';
		if (n < max)
			field[n] = trace_trim(line);
		n++;
		if (!comma)
			return n;
		line = comma + 1;
	}
}

/* Parse column @col (from 1), named @name, as a number into *@v. */
static int trace_column(struct trace_reader *r, char **field,
			unsigned int col, const char *name, uint64_t *v)
{
	if (!trace_number(field[col - 1], v))
		return trace_bad(r, "column %u (%s): '%s' is not a number",
				 col, name, field[col - 1]);
	return 0;
}

/*
 * Set *@space to the index of the volume, @host's disk @disk, making a
 * new one the first time. The latest request's is looked at first: a
 * trace usually has runs of one volume, and few volumes.
 */
static int trace_volume(struct trace_reader *r, const char *host,
			uint64_t disk, uint32_t *space)
{
	struct trace_volume *v;
	size_t i;

	for (i = 0; i < r->nvol; i++) {
		v = &r->vol[(r->last + i) % r->nvol];
		if (v->disk == disk && !strcmp(v->host, host)) {
			r->last = (r->last + i) % r->nvol;
			*space = r->last;
			return 0;
		}
	}
	if (r->nvol == TRACE_MAX_VOLUMES)
		return trace_bad(r, "more than %d volumes (Hostname and DiskNumber)",
				 TRACE_MAX_VOLUMES);
	v = realloc(r->vol, (r->nvol + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->vol = v;
	v[r->nvol].disk = disk;
	v[r->nvol].host = strdup(host);
	if (!v[r->nvol].host)
		return -ENOMEM;
	r->last = r->nvol++;
	*space = r->last;
	return 0;
}

/*
 * Parse one request of a block format, @line, and append the pages it
 * spans. Returns 0 or a negative errno: -EINVAL with @r->why saying what
 * is wrong, and *@header set if the line could be a header (fields
 * missing, or not numbers where numbers should be).
 */
static int trace_request(struct trace_reader *r, const struct trace_layout *l,
			 char *line, bool *header)
{
	char *field[TRACE_MAX_COLUMNS];
	uint64_t off, size, disk = 0, proc = r->proc, first, last;
	unsigned int need = l->fields;
	uint32_t space = 0;
	bool is_write = false;
	size_t n;
	int err;

	if (!need) {
		need = l->offset > l->size ? l->offset : l->size;
		need = l->type > need ? l->type : need;
		need = l->proc > need ? l->proc : need;
	}
	n = trace_split(line, field, TRACE_MAX_COLUMNS);
	*header = true;
	if (l->fields ? n != l->fields : n < need)
		return trace_bad(r, "%s%u fields, found %zu",
				 l->fields ? "" : "at least ", need, n);
	err = trace_column(r, field, l->offset, l->name[0], &off);
	if (!err)
		err = trace_column(r, field, l->size, l->name[1], &size);
	if (!err && l->disk)
		err = trace_column(r, field, l->disk, "DiskNumber", &disk);
	if (!err && l->proc)
		err = trace_column(r, field, l->proc, "process", &proc);
	if (err)
		return err;
	*header = false;
	if (l->proc) {
		char what[32];

		snprintf(what, sizeof(what), "column %u (process)", l->proc);
		err = trace_proc(r, what, proc);
		if (err)
			return err;
	}
	if (l->type) {
		const char *t = field[l->type - 1];

		is_write = !strcasecmp(t, "w") || !strcasecmp(t, "write");
		if (!is_write && strcasecmp(t, "r") && strcasecmp(t, "read"))
			return trace_bad(r, "column %u (%s): '%s' is not R, W, Read or Write",
					 l->type, l->name[2], t);
	}
	if (is_write && r->spec->reads_only)
		return 0;
	if (l->host) {
		err = trace_volume(r, field[l->host - 1], disk, &space);
		if (err)
			return err;
	}
	if (off > UINT64_MAX / l->offset_unit ||
	    size > UINT64_MAX / l->size_unit)
		return trace_bad(r, "the offset or size is past 2^64 bytes");
	off *= l->offset_unit;
	size *= l->size_unit;
	/* Zero bytes span no page. */
	if (!size)
		return 0;
	if (size - 1 > UINT64_MAX - off)
		return trace_bad(r, "the request ends past 2^64 bytes");
	first = off / r->spec->page_size;
	last = (off + size - 1) / r->spec->page_size;
	if (last - first >= TRACE_MAX_SPAN)
		return trace_bad(r, "a request of %llu bytes spans more than %lu pages",
				 (unsigned long long)size, TRACE_MAX_SPAN);
	for (uint64_t k = 0; k <= last - first; k++) {
		err = trace_ref(r, proc, space, first + k, TRACE_KIND_ANON);
		if (err)
			return err;
	}
	return 0;
}

/* Where @spec's format has a request's fields. */
static struct trace_layout trace_layout(const struct trace_spec *spec)
{
	switch (spec->format) {
	case TRACE_MSR:
		/*
		 * Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime;
		 * Hostname and DiskNumber name the volume.
		 */
		return (struct trace_layout){ .fields = 7, .offset = 5,
			.size = 6, .type = 4, .host = 2, .disk = 3,
			.offset_unit = 1, .size_unit = 1,
			.name = { "Offset", "Size", "Type" } };
	case TRACE_LBN:
		/* time,op,size,lbn */
		return (struct trace_layout){ .fields = 4, .offset = 4,
			.size = 3, .type = 2, .offset_unit = 512,
			.size_unit = 1, .name = { "lbn", "size", "op" } };
	default:
		return (struct trace_layout){ .offset = spec->offset_col,
			.size = spec->size_col, .type = spec->type_col,
			.proc = spec->proc_col, .offset_unit = spec->offset_unit,
			.size_unit = spec->size_unit,
			.name = { "offset", "size", "type" } };
	}
}

/*
 * Read the requests of a block format, a line each. Blank lines and
 * lines starting with '#' are skipped, and so is the first other line if
 * it does not parse as numbers: a header. Any other line that does not
 * parse is an error, reported with its number.
 */
static int trace_read_requests(struct trace_reader *r, FILE *f)
{
	const struct trace_layout l = trace_layout(r->spec);
	char *line = NULL, *s;
	bool first = true, header;
	size_t len = 0;
	int err = 0;

	while (!err && getline(&line, &len, f) != -1) {
		r->line++;
		s = trace_trim(line);
		if (!*s || *s == '#')
			continue;
		err = trace_request(r, &l, s, &header);
		if (err == -EINVAL && first && header) {
			r->header = r->line;
			err = 0;
		} else if (err == -EINVAL)
			fprintf(stderr, "swaplab: %s:%lu: %s\n", r->path,
				r->line, r->why);
		first = false;
	}
	free(line);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}

/* Order the id table's slots by address space, then page. */
static int trace_slot_cmp(const void *a, const void *b)
{
	const struct trace_slot *x = *(const struct trace_slot * const *)a;
	const struct trace_slot *y = *(const struct trace_slot * const *)b;

	if (x->space != y->space)
		return x->space < y->space ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

/* Does @format name pages by number (not by a block request)? */
static bool trace_numbered(enum trace_format format)
{
	return format == TRACE_PAGES || format == TRACE_ORACLE;
}

/*
 * The page numbers of one process's pages, @by[0] to @by[@n - 1] in page
 * order, in its own numbering, into @local[0] to @local[@n - 1]: as a trace of its own would
 * have them (trace_finish()), its page numbers if they are plain ones of
 * one address space and a table indexed by them stays small, else their
 * ranks, 0, 1, 2...
 */
static void trace_local_pages(const struct trace_reader *r,
			      struct trace_slot * const *by, size_t n,
			      unsigned long *local)
{
	uint64_t max = by[n - 1]->page;
	bool keep = trace_numbered(r->spec->format) &&
		    by[0]->space == by[n - 1]->space &&
		    trace_ids_dense(max, n);

	for (size_t i = 0; i < n; i++)
		local[i] = keep ? by[i]->page : i;
}

/*
 * Every reference's id becomes @to32[id], or @to[id] if @to32 is NULL: a
 * block of TRACE_STAGE at a time, read and written back through the
 * string's file (strmap_read(), strmap_write()), the table's entry of the
 * reference TRACE_AHEAD on asked for ahead. 0, or -errno.
 */
static int trace_renumber(struct trace_reader *r, const uint32_t *to32,
			  const unsigned long *to)
{
	unsigned long *b = r->stage;
	int err = 0;

	for (size_t lo = 0; lo < r->n && !err; lo += TRACE_STAGE) {
		size_t n = r->n - lo < TRACE_STAGE ? r->n - lo : TRACE_STAGE;

		err = strmap_read(r->refs, lo * sizeof(*b), b, n * sizeof(*b));
		for (size_t i = 0; !err && i < n; i++) {
			unsigned long x = i + TRACE_AHEAD < n ?
					  b[i + TRACE_AHEAD] : b[i];

			__builtin_prefetch(to32 ? (const void *)&to32[x] :
					   (const void *)&to[x]);
			b[i] = to32 ? to32[b[i]] : to[b[i]];
		}
		if (!err)
			err = strmap_write(r->refs, lo * sizeof(*b), b,
					   n * sizeof(*b));
	}
	return err;
}

/*
 * The kinds of the pages, @r->kinds, from the order of first reference
 * into that of the ids, each id's at its @rank; 0, or -ENOMEM.
 */
static int trace_sort_kinds(struct trace_reader *r, const uint32_t *rank)
{
	uint8_t *sorted;

	if (!r->kinds)
		return 0;
	sorted = calloc(r->ids.n ? r->ids.n : 1, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (size_t id = 0; id < r->ids.n && id < r->nkinds; id++)
		sorted[rank[id]] = r->kinds[id];
	free(r->kinds);
	r->kinds = sorted;
	r->nkinds = r->ids.n;
	return 0;
}

/*
 * Dense ids in the order of (address space, page) rather than of first
 * reference: every reference's id becomes its page's rank, and so does
 * its kind's place. If @local is not NULL, each rank's page number in
 * its process's own numbering (trace_local_pages()) goes there.
 */
static int trace_sort_ids(struct trace_reader *r, unsigned long *local)
{
	int err;
	struct trace_slot **by = malloc(r->ids.n * sizeof(*by));
	uint32_t *rank = malloc(r->ids.n * sizeof(*rank));
	/* The pages of the direct table, as slots of their own. */
	struct trace_slot *direct = hugetab_calloc(r->ids.n, sizeof(*direct));
	size_t n = 0;

	if (!by || !rank || !direct) {
		free(by);
		free(rank);
		free(direct);
		return -ENOMEM;
	}
	for (size_t p = 0; p < r->ids.ndirect; p++)
		if (r->ids.direct[p]) {
			direct[n] = (struct trace_slot){
				.page = p, .id1 = r->ids.direct[p],
			};
			by[n] = &direct[n];
			n++;
		}
	for (size_t i = 0; r->ids.slot && i <= r->ids.mask; i++)
		if (r->ids.slot[i].id1)
			by[n++] = &r->ids.slot[i];
	qsort(by, n, sizeof(*by), trace_slot_cmp);
	for (size_t i = 0, first = 0; local && i < n; i++) {
		if (i + 1 < n && by[i + 1]->space / TRACE_MAX_VOLUMES ==
				 by[first]->space / TRACE_MAX_VOLUMES)
			continue;
		trace_local_pages(r, by + first, i + 1 - first, local + first);
		first = i + 1;
	}
	for (size_t i = 0; i < n; i++)
		rank[by[i]->id1 - 1] = i;
	err = trace_sort_kinds(r, rank);
	if (!err)
		err = trace_renumber(r, rank, NULL);
	free(rank);
	free(by);
	free(direct);
	return err;
}

/*
 * Hand the references over as page numbers, when they are plain page
 * numbers of process 0, all anonymous, and a table indexed by them is
 * small enough (see the head of this file), else as dense ids in page
 * order. Sets *@npages to the size such a table needs.
 */
static int trace_finish(struct trace_reader *r, unsigned long *npages,
			unsigned long **local)
{
	unsigned long *page;
	int err;

	if (!trace_numbered(r->spec->format) || r->maxproc || r->kinds ||
	    !trace_ids_dense(r->max, r->ids.n)) {
		*npages = r->ids.n;
		if (local) {
			*local = malloc(r->ids.n * sizeof(**local));
			if (!*local)
				return -ENOMEM;
		}
		err = trace_sort_ids(r, local ? *local : NULL);
		if (err && local) {
			free(*local);
			*local = NULL;
		}
		return err;
	}
	page = malloc(r->ids.n * sizeof(*page));
	if (!page)
		return -ENOMEM;
	for (size_t p = 0; p < r->ids.ndirect; p++)
		if (r->ids.direct[p])
			page[r->ids.direct[p] - 1] = p;
	for (size_t i = 0; r->ids.slot && i <= r->ids.mask; i++)
		if (r->ids.slot[i].id1)
			page[r->ids.slot[i].id1 - 1] = r->ids.slot[i].page;
	err = trace_renumber(r, NULL, page);
	free(page);
	if (err)
		return err;
	*npages = r->max + 1;
	/* The ids are the page numbers. */
	if (local) {
		*local = malloc(*npages * sizeof(**local));
		if (!*local)
			return -ENOMEM;
		for (unsigned long p = 0; p < *npages; p++)
			(*local)[p] = p;
	}
	return 0;
}

/*
 * Read the file @path into @r, after what it holds already. Returns 0 or
 * a negative errno, each error, an empty file among them, reported.
 */
static int trace_read_file(struct trace_reader *r, const char *path)
{
	size_t had = r->n;
	struct zfile z;
	int err, cerr;

	r->path = path;
	r->line = 0;
	r->header = 0;
	err = zfile_open(&z, path);
	if (err) {
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (r->spec->format == TRACE_PAGES)
		err = trace_read_pages(r, z.f);
	else if (r->spec->format == TRACE_ORACLE)
		err = trace_read_oracle(r, z.f);
	else
		err = trace_read_requests(r, z.f);
	if (r->nstage) {
		int ferr = trace_flush(r);

		err = err ? err : ferr;
	}
	cerr = zfile_close(&z);
	/* A decompression that failed: whatever was read is not the file. */
	if (cerr && (!err || err == -EIO)) {
		fprintf(stderr, "swaplab: %s: %s\n", path, z.why);
		return cerr;
	}
	if (!err && r->n == had && r->header) {
		fprintf(stderr, "swaplab: %s: no references (line %lu, taken for a header: %s)\n",
			path, r->header, r->why);
		err = -ENODATA;
	} else if (!err && r->n == had) {
		fprintf(stderr, "swaplab: %s: no references\n", path);
		err = -ENODATA;
	}
	if (err == -ENOMEM || err == -EIO)
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
	else if (err == -E2BIG)
		fprintf(stderr, "swaplab: %s: more than %u distinct pages\n",
			path, UINT32_MAX);
	return err;
}

/*
 * Mix the references of @npaths files, read one after the other into @r,
 * file i's from @end[i - 1] (0 for the first) to @end[i] - 1: @quantum
 * of each in turn, in the order of the files, leaving out a file once it
 * ends.
 */
static int trace_mix(struct trace_reader *r, const size_t *end,
		     unsigned int npaths, size_t quantum)
{
	unsigned long *refs = strmap_alloc(r->n * sizeof(*refs));
	uint16_t *procs = malloc(r->n * sizeof(*procs));
	size_t *next = malloc(npaths * sizeof(*next));
	size_t n = 0, done = 0;

	if (!refs || !procs || !next) {
		strmap_free(refs);
		free(procs);
		free(next);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < npaths; i++)
		next[i] = i ? end[i - 1] : 0;
	while (n < r->n) {
		for (unsigned int i = 0; i < npaths; i++) {
			for (size_t k = 0; k < quantum && next[i] < end[i];
			     k++, next[i]++, n++) {
				refs[n] = r->refs[next[i]];
				procs[n] = r->procs[next[i]];
			}
		}
		done = strmap_pass(refs, done, n * sizeof(*refs));
	}
	free(next);
	strmap_free(r->refs);
	free(r->procs);
	r->refs = refs;
	r->procs = procs;
	return 0;
}

/*
 * Free what @r holds but its references and their processes and kinds,
 * and those too on @err.
 */
static int trace_done(struct trace_reader *r, int err)
{
	free(r->ids.slot);
	free(r->ids.direct);
	free(r->stage);
	for (size_t i = 0; i < r->nvol; i++)
		free(r->vol[i].host);
	free(r->vol);
	if (err) {
		strmap_free(r->refs);
		free(r->procs);
		free(r->kinds);
	}
	return err;
}

/**
 * trace_read() - read the reference string of one process
 * @path: the file, or "-" for standard input
 * @spec: its format and how to read it (trace_spec_check() passed)
 * @refs: set to a new array of page ids, for the caller to strmap_free()
 * @nrefs: set to its length, at least 1
 * @npages: set to a bound on the ids: the page numbers of a file of page
 *	numbers when they are small, else the number of distinct pages
 * @kinds: if not NULL, set to a new array, for the caller to free(), of
 *	the kind of each id (enum trace_kind, @npages bytes), or to NULL
 *	when every page is anonymous; if NULL, a page of a file is an error
 *
 * Every error, an empty trace among them, is reported on standard error.
 * A reference by a process other than 0 is one (trace_read_procs() reads
 * those).
 *
 * Return: 0, or a negative errno (-EINVAL for a page of a file when
 * @kinds is NULL).
 */
int trace_read(const char *path, const struct trace_spec *spec,
	       unsigned long **refs, size_t *nrefs, unsigned long *npages,
	       uint8_t **kinds)
{
	struct trace_reader r = {
		.spec = spec, .one_proc = "this command reads process",
		.kinds_ok = kinds,
	};
	int err = trace_read_file(&r, path);

	if (!err) {
		err = trace_finish(&r, npages, NULL);
		if (err)
			fprintf(stderr, "swaplab: %s: %s\n", path,
				strerror(-err));
	}
	if (trace_done(&r, err))
		return err;
	*refs = r.refs;
	*nrefs = r.n;
	if (kinds)
		*kinds = r.kinds;
	return 0;
}

/**
 * trace_read_procs() - read the reference string of several processes
 * @paths: the files, "-" for standard input
 * @npaths: how many, at least 1
 * @quantum: with several files, how many references of each in turn
 * @spec: their format and how to read them (trace_spec_check() passed)
 * @refs: set to a new array of page ids, for the caller to strmap_free()
 * @procs: set to a new array of the process of each, for the caller to
 *	free(); NULL when they are all process 0's
 * @nrefs: set to their length, at least 1
 * @npages: set to a bound on the ids, as trace_read() does; different
 *	processes' pages have different ids
 * @nprocs: set to the highest process plus one
 * @local: if not NULL, set to a new array, for the caller to free(), of
 *	each id's page number in its process's own numbering (@npages
 *	entries): its page number in the trace when a trace of that process
 *	alone would keep them (plain page numbers, not too far apart), else
 *	its rank among the process's pages. A replay maps each process a
 *	region that far.
 * @kinds: if not NULL, set to a new array, for the caller to free(), of
 *	the kind of each id (enum trace_kind, @npages bytes), or to NULL
 *	when every page is anonymous; if NULL, a page of a file is an error
 *
 * One file gives its own processes: P of a word P:PAGE, or the process
 * column of --format csv (spec->proc_col), else 0. Several files are
 * mixed round-robin, @quantum references of each in turn, file i being
 * process i; a file that ends drops out. Each of them is one process, and
 * a reference in it naming another is an error. The ids are those of
 * one file holding the mixed string with its processes named.
 *
 * Every error, an empty file among them, is reported on standard error.
 *
 * Return: 0, or a negative errno (-EINVAL for a page of a file when
 * @kinds is NULL).
 */
int trace_read_procs(char * const *paths, unsigned int npaths, size_t quantum,
		     const struct trace_spec *spec, unsigned long **refs,
		     uint16_t **procs, size_t *nrefs, unsigned long *npages,
		     unsigned int *nprocs, unsigned long **local,
		     uint8_t **kinds)
{
	struct trace_reader r = {
		.spec = spec,
		.one_proc = npaths > 1 ? "this trace of several mixed is process" :
			    NULL,
		.kinds_ok = kinds,
	};
	size_t *end = calloc(npaths, sizeof(*end));
	int err = 0;

	if (npaths > TRACE_MAX_PROCS) {
		fprintf(stderr, "swaplab: more than %d traces\n",
			TRACE_MAX_PROCS);
		err = -E2BIG;
	} else if (!end) {
		fprintf(stderr, "swaplab: %s\n", strerror(ENOMEM));
		err = -ENOMEM;
	}
	for (unsigned int i = 0; !err && i < npaths; i++) {
		r.proc = i;
		err = trace_read_file(&r, paths[i]);
		end[i] = r.n;
	}
	if (!err) {
		err = npaths > 1 ? trace_mix(&r, end, npaths, quantum) : 0;
		if (!err)
			err = trace_finish(&r, npages, local);
		if (err)
			fprintf(stderr, "swaplab: %s\n", strerror(-err));
	}
	free(end);
	if (trace_done(&r, err))
		return err;
	*refs = r.refs;
	*procs = r.procs;
	*nrefs = r.n;
	*nprocs = r.maxproc + 1;
	if (kinds)
		*kinds = r.kinds;
	return 0;
}

static const struct option trace_long_options[] = {
	{ "format", required_argument, NULL, TRACE_OPT_FORMAT },
	{ "offset-col", required_argument, NULL, TRACE_OPT_OFFSET_COL },
	{ "size-col", required_argument, NULL, TRACE_OPT_SIZE_COL },
	{ "type-col", required_argument, NULL, TRACE_OPT_TYPE_COL },
	{ "proc-col", required_argument, NULL, TRACE_OPT_PROC_COL },
	{ "offset-unit", required_argument, NULL, TRACE_OPT_OFFSET_UNIT },
	{ "size-unit", required_argument, NULL, TRACE_OPT_SIZE_UNIT },
	{ "page-size", required_argument, NULL, TRACE_OPT_PAGE_SIZE },
	{ "reads-only", no_argument, NULL, TRACE_OPT_READS_ONLY },
};

static const char * const trace_formats[] = {
	[TRACE_PAGES] = "pages",
	[TRACE_CSV] = "csv",
	[TRACE_MSR] = "msr",
	[TRACE_LBN] = "lbn",
	[TRACE_ORACLE] = "oracle",
};

/**
 * trace_options() - a command's getopt_long() table with the trace options
 * @out: room for the entries of @cmd, its terminator included, and
 *	TRACE_NR_OPTIONS more
 * @cmd: the command's own entries, ending with a zeroed one
 *
 * The trace options' values are TRACE_OPT_*, for trace_option().
 */
void trace_options(struct option *out, const struct option *cmd)
{
	size_t n = 0;

	while (cmd[n].name) {
		out[n] = cmd[n];
		n++;
	}
	for (size_t i = 0; i < TRACE_NR_OPTIONS; i++)
		out[n++] = trace_long_options[i];
	out[n] = (struct option){ 0 };
}

/* Parse a column number, 1 to TRACE_MAX_COLUMNS, for option @name. */
static int trace_col_arg(const char *name, const char *arg, unsigned int *col)
{
	uint64_t v;

	if (!trace_number(arg, &v) || !v || v > TRACE_MAX_COLUMNS) {
		fprintf(stderr, "swaplab: --%s: '%s' is not a column, 1 to %d\n",
			name, arg, TRACE_MAX_COLUMNS);
		return -EINVAL;
	}
	*col = v;
	return 0;
}

/* Parse a positive size in bytes (K, M and G suffixes) for option @name. */
static int trace_bytes_arg(const char *name, const char *arg, uint64_t *v)
{
	if (!isdigit((unsigned char)*arg) || parse_size(arg, v) || !*v) {
		fprintf(stderr, "swaplab: --%s: '%s' is not a positive size\n",
			name, arg);
		return -EINVAL;
	}
	return 0;
}

/**
 * trace_option() - take one of the trace options
 * @spec: where to note it
 * @opt: the value getopt_long() returned
 * @arg: its argument (optarg)
 *
 * Return: 0; -EINVAL for a bad argument, with a message; -ENOENT if @opt
 * is not a trace option.
 */
int trace_option(struct trace_spec *spec, int opt, const char *arg)
{
	if (opt < TRACE_OPT_FORMAT || opt >= TRACE_OPT_END)
		return -ENOENT;
	spec->set |= 1U << (opt - TRACE_OPT_FORMAT);
	switch (opt) {
	case TRACE_OPT_FORMAT:
		for (size_t i = 0; i < ARRAY_SIZE(trace_formats); i++) {
			if (!strcmp(arg, trace_formats[i])) {
				spec->format = i;
				return 0;
			}
		}
		fprintf(stderr, "swaplab: --format: '%s' is not pages, csv, msr, lbn or oracle\n",
			arg);
		return -EINVAL;
	case TRACE_OPT_OFFSET_COL:
		return trace_col_arg("offset-col", arg, &spec->offset_col);
	case TRACE_OPT_SIZE_COL:
		return trace_col_arg("size-col", arg, &spec->size_col);
	case TRACE_OPT_TYPE_COL:
		return trace_col_arg("type-col", arg, &spec->type_col);
	case TRACE_OPT_PROC_COL:
		return trace_col_arg("proc-col", arg, &spec->proc_col);
	case TRACE_OPT_OFFSET_UNIT:
		return trace_bytes_arg("offset-unit", arg, &spec->offset_unit);
	case TRACE_OPT_SIZE_UNIT:
		return trace_bytes_arg("size-unit", arg, &spec->size_unit);
	case TRACE_OPT_PAGE_SIZE:
		return trace_bytes_arg("page-size", arg, &spec->page_size);
	default:
		spec->reads_only = true;
		return 0;
	}
}

/* Whether option @opt was given. */
static bool trace_given(const struct trace_spec *spec, enum trace_opt opt)
{
	return spec->set & (1U << (opt - TRACE_OPT_FORMAT));
}

/**
 * trace_spec_check() - check that the trace options go together
 * @spec: the options taken by trace_option()
 *
 * The column and unit options go with --format csv only, which needs the
 * offset and size columns; --page-size and --reads-only need a block
 * format; --reads-only also needs a type column.
 *
 * Return: 0, or -EINVAL with a message.
 */
int trace_spec_check(const struct trace_spec *spec)
{
	const char *name = NULL, *with = NULL;

	for (int opt = TRACE_OPT_OFFSET_COL; opt < TRACE_OPT_END && !name;
	     opt++) {
		if (!trace_given(spec, opt))
			continue;
		if (opt <= TRACE_OPT_SIZE_UNIT && spec->format != TRACE_CSV)
			with = "--format csv";
		else if (opt > TRACE_OPT_SIZE_UNIT &&
			 trace_numbered(spec->format))
			with = "--format csv, msr or lbn";
		else
			continue;
		name = trace_long_options[opt - TRACE_OPT_FORMAT].name;
	}
	if (name)
		fprintf(stderr, "swaplab: --%s goes with %s\n", name, with);
	else if (spec->format == TRACE_CSV &&
		 (!spec->offset_col || !spec->size_col))
		fprintf(stderr, "swaplab: --format csv needs --offset-col and --size-col\n");
	else if (spec->format == TRACE_CSV && spec->reads_only &&
		 !spec->type_col)
		fprintf(stderr, "swaplab: --reads-only needs --type-col\n");
	else
		return 0;
	return -EINVAL;
}

/**
 * trace_usage() - describe the trace formats and their options
 * @f: where to
 */
void trace_usage(FILE *f)
{
	fprintf(f,
		"  Trace formats (--format, default pages):\n"
		"    pages  page numbers separated by white space, '#' comments;\n"
		"           any 64-bit number: unless all are below 2^20 or fill\n"
		"           at least half of 0..max, they are renumbered 0, 1, 2...\n"
		"           in the same order (always, with a page of a file), which\n"
		"           changes no policy's fault count;\n"
		"           P:PAGE is page PAGE of process P (0..%d), PAGE alone\n"
		"           process 0's; another process's pages are other pages;\n"
		"           PAGE may end with a kind: f, a page of a file, or x, of\n"
		"           a file mapped executable (5f and 5x are one page, 5\n"
		"           another: an anonymous one); no letter: anonymous\n"
		"    csv    one request a line, comma-separated: --offset-col N and\n"
		"           --size-col N (from 1) give its byte offset and size,\n"
		"           optional --type-col N its type (R, W, Read or Write),\n"
		"           optional --proc-col N its process (0..%d, else 0);\n"
		"           --offset-unit and --size-unit: bytes per unit (1)\n"
		"    msr    SNIA/MSR Cambridge: Timestamp,Hostname,DiskNumber,Type,\n"
		"           Offset,Size,ResponseTime; offset and size in bytes; each\n"
		"           Hostname and DiskNumber is an address space of its own\n"
		"    lbn    time,op,size,lbn: taken as size in bytes and lbn in\n"
		"           512-byte sectors, an assumption (the format has no one\n"
		"           definition; for other units, use csv and its units)\n"
		"    oracle libCacheSim's oracleGeneral: 24-byte binary records, each\n"
		"           object id a page number, as pages numbers them\n"
		"  A file of any format may be zstd-compressed: it is read as what\n"
		"  it holds, and a corrupt or cut frame is an error.\n"
		"  A request references every page it spans, in order (0 bytes:\n"
		"  none), reads and writes alike unless --reads-only; --page-size\n"
		"  BYTES (4096). The block formats number pages 0, 1, 2... in order\n"
		"  of volume, then page. Their first line is skipped if its numbers do\n"
		"  not parse (a header); any other bad line is an error.\n",
		TRACE_MAX_PROCS - 1, TRACE_MAX_PROCS - 1);
}
