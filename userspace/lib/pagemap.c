// SPDX-License-Identifier: GPL-2.0
/*
 * A reference string's pages mapped for a replay (pagemap.h): one range,
 * reserved first and then filled in place, so that page p is always at
 * the same offset whatever backs it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/pagemap.h"
#include "lib/sysfs.h"
#include "lib/trace.h"

/*
 * How many of the string's pages are a file's (the last ones), and
 * whether they are executable; false if the kinds are not laid out so.
 */
static bool pagemap_layout(const uint8_t *kinds, unsigned long npages,
			   unsigned long *nfile, bool *exec)
{
	unsigned long nanon = npages, p;

	*nfile = 0;
	*exec = false;
	if (!kinds)
		return true;
	while (nanon && kinds[nanon - 1] != TRACE_KIND_ANON)
		nanon--;
	*exec = nanon < npages && kinds[nanon] == TRACE_KIND_EXEC;
	*nfile = npages - nanon;
	for (p = 0; p < npages; p++) {
		uint8_t want = p < nanon ? TRACE_KIND_ANON :
			       *exec ? TRACE_KIND_EXEC : TRACE_KIND_FILE;

		if (kinds[p] != want)
			return false;
	}
	return true;
}

/* The stock kernel's pages of a file: a shared mapping of a new file. */
static int pagemap_stock_file(struct pagemap *m, uint8_t *at, size_t bytes,
			      const char *dir)
{
	int fd = zero_file_in(dir, bytes);
	void *p;

	if (fd < 0)
		return -1;
	/* Its first touches are reads of the disk, as swaplab's are. */
	posix_fadvise(fd, 0, bytes, POSIX_FADV_DONTNEED);
	p = mmap(at, bytes, PROT_READ | PROT_WRITE | (m->exec ? PROT_EXEC : 0),
		 MAP_SHARED | MAP_FIXED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("swaplab: mmap of the file");
		return -1;
	}
	madvise(p, bytes, MADV_RANDOM);
	return 0;
}

int pagemap_map(struct pagemap *m, unsigned long npages, const uint8_t *kinds,
		const char *dir, bool stock)
{
	long page_size = sysconf(_SC_PAGESIZE);
	size_t bytes = npages * page_size, anon;
	uint8_t *base;
	int err;

	*m = (struct pagemap){ .pages = npages, .fd = -1, .file_fd = -1 };
	if (!pagemap_layout(kinds, npages, &m->nfile, &m->exec)) {
		fprintf(stderr, "swaplab: a string of one process whose file pages are all f or all x\n");
		return 2;
	}
	anon = (npages - m->nfile) * page_size;
	base = mmap(NULL, bytes, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("swaplab: mmap");
		return 1;
	}
	m->map = base;
	if (stock) {
		err = anon && mmap(base, anon, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				   -1, 0) == MAP_FAILED;
		/* Pages of 4 KiB, whatever THP is set to. */
		if (!err && anon)
			madvise(base, anon, MADV_NOHUGEPAGE);
		if (!err && m->nfile)
			err = pagemap_stock_file(m, base + anon,
						 bytes - anon, dir);
	} else {
		err = (anon && !region_map_at(base, anon, &m->fd)) ||
		      (m->nfile &&
		       !file_region_map_at(base + anon, bytes - anon, dir,
					   m->exec, &m->file_fd));
	}
	if (err) {
		pagemap_unmap(m);
		return 1;
	}
	return 0;
}

void pagemap_unmap(struct pagemap *m)
{
	if (m->map)
		munmap(m->map, m->pages * sysconf(_SC_PAGESIZE));
	if (m->fd >= 0)
		close(m->fd);
	if (m->file_fd >= 0)
		close(m->file_fd);
	m->map = NULL;
	m->fd = -1;
	m->file_fd = -1;
}
