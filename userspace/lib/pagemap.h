/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the pages of a reference string are when it is replayed: one
 * range of address space, its anonymous pages first and its pages of
 * files after (the order of the ids trace.c gives them), on swaplab
 * (regions) or on the stock kernel (anonymous memory and a file's page
 * cache). Used by `swaplab bench` and `swaplab compare`.
 */
#ifndef SWAPLAB_PAGEMAP_H
#define SWAPLAB_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

/**
 * struct pagemap - a string's pages, mapped
 * @map: page p of the string at @map + p pages
 * @pages: pages mapped
 * @nfile: the last @nfile of them are a file's
 * @exec: the file's pages are mapped executable too (the string's x)
 * @fd: swaplab: the anonymous region's descriptor; -1 for none
 * @file_fd: swaplab: the file region's; -1 for none
 */
struct pagemap {
	uint8_t *map;
	unsigned long pages;
	unsigned long nfile;
	bool exec;
	int fd;
	int file_fd;
};

/*
 * Map the @npages pages of a string whose ids have @kinds (NULL: all
 * anonymous; else the file's pages all f or all x), the file made in
 * @dir (NULL: beside the store's swap file). On swaplab (!@stock): a
 * region for the anonymous pages and a shared region of the file for
 * the others. On the stock kernel: private anonymous memory and a shared
 * mapping of the file, whose page cache is dropped first and whose
 * readahead is off (MADV_RANDOM), as swaplab reads a file's pages one by
 * one. 0; 2 for a string whose kinds are not so; 1 for a failure. A
 * message either way.
 */
int pagemap_map(struct pagemap *m, unsigned long npages, const uint8_t *kinds,
		const char *dir, bool stock);

void pagemap_unmap(struct pagemap *m);

#endif /* SWAPLAB_PAGEMAP_H */
