// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a reference string from a file, in one of four formats (enum
 * trace_format): page numbers, or a block I/O trace, comma-separated,
 * whose requests (a byte offset and a size) each reference every page
 * they span, in order: 8 KiB at offset 6 KiB is pages 1, 2 and 3.
 *
 * The simulator and the replays index their tables by page, so they take
 * a string of page ids below some npages. A trace may name pages far
 * apart (tens of millions, or any 64-bit number), or pages of several
 * disks: each distinct page, an (address space, page number) pair, then
 * gets a dense id, 0, 1, 2... in the order of (address space, page
 * number), found through an open-addressing hash table, and every table
 * has exactly one entry per distinct page. The address space is the volume
 * (host and disk) of an MSR trace, and 0 in the other formats. Ids keep
 * the pages' order, so that pages next to each other stay next to each
 * other and a run at a stride whose pages between are referenced too
 * keeps its stride: what prefetchers and readahead look at.
 *
 * Plain page numbers are kept as they are while a table indexed by them
 * stays small: all below TRACE_DENSE_MAX, or at most half of 0..max
 * unused. So the strings of `swaplab gen`, and the ones made by hand,
 * keep their numbering. The block formats always get dense ids. The
 * simulator's policies never look at a page's number (random draws among
 * resident pages in admission order; LRU and OPT key on times), so their
 * fault counts are the same either way; what renumbering changes is the
 * page count printed, and the gaps between pages never referenced, which
 * prefetchers and readahead see.
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

#include "common.h"
#include "sysfs.h"
#include "trace.h"

/* Page numbers below this are kept as they are: 2^20, 4 GiB of 4 KiB pages. */
#define TRACE_DENSE_MAX		1048576UL
#define TRACE_SPACE		" \t\r\n\v\f"
/* The highest column a CSV option may name. */
#define TRACE_MAX_COLUMNS	64
/* A request may span this many pages at most: a bad size, not a request. */
#define TRACE_MAX_SPAN		1048576UL
/* Distinct volumes (Hostname, DiskNumber) an MSR trace may have. */
#define TRACE_MAX_VOLUMES	4096

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
 */
struct trace_ids {
	struct trace_slot *slot;
	size_t mask;
	size_t n;
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
 * @n: how many
 * @cap: room in @refs
 * @ids: the id of each page
 * @max: the largest page number seen
 * @vol: the volumes of an MSR trace, their index being the address space
 * @nvol: how many
 * @last: the volume of the latest request, looked at first
 */
struct trace_reader {
	const char *path;
	const struct trace_spec *spec;
	unsigned long line;
	char why[160];
	unsigned long header;
	unsigned long *refs;
	size_t n;
	size_t cap;
	struct trace_ids ids;
	uint64_t max;
	struct trace_volume *vol;
	size_t nvol;
	size_t last;
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

/* Double the table (1024 slots at first); ids stay what they were. */
static int trace_ids_grow(struct trace_ids *t)
{
	size_t size = t->slot ? 2 * (t->mask + 1) : 1024;
	struct trace_ids bigger = { .mask = size - 1, .n = t->n };

	bigger.slot = calloc(size, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (size_t i = 0; t->slot && i <= t->mask; i++) {
		const struct trace_slot *s = &t->slot[i];

		if (s->id1)
			*trace_ids_slot(&bigger, s->space, s->page) = *s;
	}
	free(t->slot);
	*t = bigger;
	return 0;
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

	/* At most three quarters full, so that probe runs stay short. */
	if (4 * (t->n + 1) > 3 * (t->slot ? t->mask + 1 : 0) &&
	    trace_ids_grow(t))
		return -ENOMEM;
	s = trace_ids_slot(t, space, page);
	if (!s->id1) {
		if (t->n == UINT32_MAX)
			return -E2BIG;
		s->page = page;
		s->space = space;
		s->id1 = ++t->n;
	}
	*id = s->id1 - 1;
	return 0;
}

/* Append a reference to @page of @space. Returns 0, -ENOMEM or -E2BIG. */
static int trace_ref(struct trace_reader *r, uint32_t space, uint64_t page)
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
	err = trace_ids_get(&r->ids, space, page, &id);
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
			err = trace_ref(r, 0, page);
		}
	}
	free(line);
	if (!err && ferror(f))
		err = -EIO;
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
	uint64_t off, size, disk = 0, first, last;
	unsigned int need = l->fields;
	uint32_t space = 0;
	bool is_write = false;
	size_t n;
	int err;

	if (!need) {
		need = l->offset > l->size ? l->offset : l->size;
		need = l->type > need ? l->type : need;
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
	if (err)
		return err;
	*header = false;
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
		err = trace_ref(r, space, first + k);
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
			.offset_unit = spec->offset_unit,
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

/*
 * Dense ids in the order of (address space, page) rather than of first
 * reference: every reference's id becomes its page's rank.
 */
static int trace_sort_ids(struct trace_reader *r)
{
	struct trace_slot **by = malloc(r->ids.n * sizeof(*by));
	uint32_t *rank = malloc(r->ids.n * sizeof(*rank));
	size_t n = 0;

	if (!by || !rank) {
		free(by);
		free(rank);
		return -ENOMEM;
	}
	for (size_t i = 0; i <= r->ids.mask; i++)
		if (r->ids.slot[i].id1)
			by[n++] = &r->ids.slot[i];
	qsort(by, n, sizeof(*by), trace_slot_cmp);
	for (size_t i = 0; i < n; i++)
		rank[by[i]->id1 - 1] = i;
	for (size_t t = 0; t < r->n; t++)
		r->refs[t] = rank[r->refs[t]];
	free(rank);
	free(by);
	return 0;
}

/*
 * Hand the references over as page numbers, when they are plain page
 * numbers and a table indexed by them is small enough (see the head of
 * this file), else as dense ids in page order. Sets *@npages to the size
 * such a table needs.
 */
static int trace_finish(struct trace_reader *r, unsigned long *npages)
{
	unsigned long *page;

	if (r->spec->format != TRACE_PAGES ||
	    (r->max >= TRACE_DENSE_MAX && r->max / 2 >= r->ids.n)) {
		*npages = r->ids.n;
		return trace_sort_ids(r);
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
 * @spec: its format and how to read it (trace_spec_check() passed)
 * @refs: set to a new array of page ids, for the caller to free()
 * @nrefs: set to its length, at least 1
 * @npages: set to a bound on the ids: the page numbers of a file of page
 *	numbers when they are small, else the number of distinct pages
 *
 * Every error, an empty trace among them, is reported on standard error.
 *
 * Return: 0, or a negative errno.
 */
int trace_read(const char *path, const struct trace_spec *spec,
	       unsigned long **refs, size_t *nrefs, unsigned long *npages)
{
	struct trace_reader r = { .path = path, .spec = spec };
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int err;

	if (!f) {
		err = -errno;
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (spec->format == TRACE_PAGES)
		err = trace_read_pages(&r, f);
	else
		err = trace_read_requests(&r, f);
	if (f != stdin)
		fclose(f);
	if (!err && !r.n && r.header) {
		fprintf(stderr, "swaplab: %s: no references (line %lu, taken for a header: %s)\n",
			path, r.header, r.why);
		err = -ENODATA;
	} else if (!err && !r.n) {
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
	for (size_t i = 0; i < r.nvol; i++)
		free(r.vol[i].host);
	free(r.vol);
	if (err) {
		free(r.refs);
		return err;
	}
	*refs = r.refs;
	*nrefs = r.n;
	return 0;
}

static const struct option trace_long_options[] = {
	{ "format", required_argument, NULL, TRACE_OPT_FORMAT },
	{ "offset-col", required_argument, NULL, TRACE_OPT_OFFSET_COL },
	{ "size-col", required_argument, NULL, TRACE_OPT_SIZE_COL },
	{ "type-col", required_argument, NULL, TRACE_OPT_TYPE_COL },
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
		fprintf(stderr, "swaplab: --format: '%s' is not pages, csv, msr or lbn\n",
			arg);
		return -EINVAL;
	case TRACE_OPT_OFFSET_COL:
		return trace_col_arg("offset-col", arg, &spec->offset_col);
	case TRACE_OPT_SIZE_COL:
		return trace_col_arg("size-col", arg, &spec->size_col);
	case TRACE_OPT_TYPE_COL:
		return trace_col_arg("type-col", arg, &spec->type_col);
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
			 spec->format == TRACE_PAGES)
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
		"           in the same order, which changes no policy's fault count\n"
		"    csv    one request a line, comma-separated: --offset-col N and\n"
		"           --size-col N (from 1) give its byte offset and size,\n"
		"           optional --type-col N its type (R, W, Read or Write);\n"
		"           --offset-unit and --size-unit: bytes per unit (1)\n"
		"    msr    SNIA/MSR Cambridge: Timestamp,Hostname,DiskNumber,Type,\n"
		"           Offset,Size,ResponseTime; offset and size in bytes; each\n"
		"           Hostname and DiskNumber is an address space of its own\n"
		"    lbn    time,op,size,lbn: taken as size in bytes and lbn in\n"
		"           512-byte sectors, an assumption (the format has no one\n"
		"           definition; for other units, use csv and its units)\n"
		"  A request references every page it spans, in order (0 bytes:\n"
		"  none), reads and writes alike unless --reads-only; --page-size\n"
		"  BYTES (4096). The block formats number pages 0, 1, 2... in order\n"
		"  of volume, then page. Their first line is skipped if its numbers do\n"
		"  not parse (a header); any other bad line is an error.\n");
}
