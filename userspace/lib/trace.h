/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading reference strings from files: page numbers, libCacheSim's
 * binary records, or block I/O traces whose requests are turned into the
 * pages they span; any of them zstd-compressed. Used by `swaplab
 * sim`, `swaplab bench trace` and `swaplab compare trace`.
 */
#ifndef SWAPLAB_TRACE_H
#define SWAPLAB_TRACE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * enum trace_format - the layout of a trace file
 * @TRACE_PAGES: page numbers separated by white space, # comments; each
 *	may end with a kind letter (enum trace_kind)
 * @TRACE_CSV: comma-separated requests, byte offset and size in columns
 *	the user names
 * @TRACE_MSR: SNIA's MSR Cambridge traces, Timestamp,Hostname,DiskNumber,
 *	Type,Offset,Size,ResponseTime (bytes)
 * @TRACE_LBN: time,op,size,lbn: size in bytes, lbn in 512-byte sectors
 * @TRACE_ORACLE: libCacheSim's oracleGeneral binary records (oracle.h),
 *	each object id a page number
 */
enum trace_format {
	TRACE_PAGES,
	TRACE_CSV,
	TRACE_MSR,
	TRACE_LBN,
	TRACE_ORACLE,
};

/**
 * enum trace_kind - the kind of a page, as a trace of page numbers names it
 * @TRACE_KIND_ANON: anonymous memory: a word PAGE with no letter, and
 *	every page of the other formats
 * @TRACE_KIND_FILE: a page of a file: a word ending with 'f'
 * @TRACE_KIND_EXEC: a page of a file mapped executable, program text: a
 *	word ending with 'x'; a page of a file too
 */
enum trace_kind {
	TRACE_KIND_ANON = 0,
	TRACE_KIND_FILE = 1,
	TRACE_KIND_EXEC = 2,
};

/**
 * struct trace_spec - how to read a trace file
 * @format: the file's layout
 * @offset_col: TRACE_CSV: the column (from 1) of the request's offset
 * @size_col: TRACE_CSV: the column of the request's size
 * @type_col: TRACE_CSV: the column of its type, read or write (0: none)
 * @proc_col: TRACE_CSV: the column of its process (0: none, all process 0)
 * @offset_unit: TRACE_CSV: bytes per unit of the offset column (1)
 * @size_unit: TRACE_CSV: bytes per unit of the size column (1)
 * @page_size: bytes per page, for the formats with byte offsets (4096)
 * @reads_only: only read requests reference pages (needs a type column)
 * @set: which options were given, a bit each (1 << (TRACE_OPT_x -
 *	TRACE_OPT_FORMAT)), so that trace_spec_check() knows; also tells a
 *	command that takes them only with a trace whether there were any
 */
struct trace_spec {
	enum trace_format format;
	unsigned int offset_col;
	unsigned int size_col;
	unsigned int type_col;
	unsigned int proc_col;
	uint64_t offset_unit;
	uint64_t size_unit;
	uint64_t page_size;
	bool reads_only;
	unsigned int set;
};

#define TRACE_SPEC_DEFAULT {						\
	.format = TRACE_PAGES, .offset_unit = 1, .size_unit = 1,	\
	.page_size = 4096,						\
}

/* getopt_long() values of the trace options, past those of a char. */
enum trace_opt {
	TRACE_OPT_FORMAT = 0x100,
	TRACE_OPT_OFFSET_COL,
	TRACE_OPT_SIZE_COL,
	TRACE_OPT_TYPE_COL,
	TRACE_OPT_PROC_COL,
	TRACE_OPT_OFFSET_UNIT,
	TRACE_OPT_SIZE_UNIT,
	TRACE_OPT_PAGE_SIZE,
	TRACE_OPT_READS_ONLY,
	TRACE_OPT_END,
};

/* How many getopt_long() entries trace_options() adds to a command's. */
#define TRACE_NR_OPTIONS	(TRACE_OPT_END - TRACE_OPT_FORMAT)

/* Processes a trace may name: 0 to TRACE_MAX_PROCS - 1. */
#define TRACE_MAX_PROCS		4096

void trace_options(struct option *out, const struct option *cmd);
int trace_option(struct trace_spec *spec, int opt, const char *arg);
int trace_spec_check(const struct trace_spec *spec);
void trace_usage(FILE *f);
int trace_read(const char *path, const struct trace_spec *spec,
	       unsigned long **refs, size_t *nrefs, unsigned long *npages,
	       uint8_t **kinds);
int trace_read_procs(char * const *paths, unsigned int npaths, size_t quantum,
		     const struct trace_spec *spec, unsigned long **refs,
		     uint16_t **procs, size_t *nrefs, unsigned long *npages,
		     unsigned int *nprocs, unsigned long **local,
		     uint8_t **kinds);

#endif /* SWAPLAB_TRACE_H */
