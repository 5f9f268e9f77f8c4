/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Regions of files (file.c): pages read from and written back to a
 * range of a regular file by direct I/O; and (filewatch.c) the file
 * shrinking under them.
 */
#ifndef _SWAPLAB_FILE_H
#define _SWAPLAB_FILE_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/types.h>

#include "api/region.h"
#include "uapi/swaplab.h"

/* Does @region write its dirty pages back to a file? */
static inline bool swaplab_file_shared(const struct swaplab_region *region)
{
	return region->file && !region->file_private;
}

int swaplab_file_claim(struct file *file, const struct swaplab_file_map *fm);
void swaplab_file_unclaim(struct file *file, const struct swaplab_file_map *fm);
void swaplab_file_release(struct swaplab_region *region);
bool swaplab_file_noexec(const struct swaplab_region *region);
bool swaplab_file_past_eof(const struct swaplab_region *region, pgoff_t index);
int swaplab_file_read(struct swaplab_region *region, pgoff_t index,
		      struct page *page);
int swaplab_file_write(struct swaplab_region *region, pgoff_t index,
		       struct page *page, bool wait);
int swaplab_file_sync(struct swaplab_region *region, loff_t start, loff_t end,
		      int datasync);

/* The test hook of swaplab_file_read(): the most it may sleep. */
#define SWAPLAB_FILE_DELAY_MAX_MS	5000
unsigned int swaplab_file_read_delay(void);
int swaplab_file_set_read_delay(u64 ms);

/* A file that shrinks under its regions (filewatch.c, with fsnotify). */
#ifdef CONFIG_FSNOTIFY
int swaplab_filewatch_init(void);
void swaplab_filewatch_exit(void);
int swaplab_filewatch_add(struct swaplab_region *region);
void swaplab_filewatch_remove(struct swaplab_region *region);
unsigned int swaplab_filewatch_cuts(const struct swaplab_region *region);
bool swaplab_filewatch_moved(const struct swaplab_region *region,
			     pgoff_t index, unsigned int cuts);
void swaplab_filewatch_cut_marked(struct swaplab_region *region,
				  pgoff_t index, struct page *page);
#else
static inline int swaplab_filewatch_init(void)
{
	return 0;
}

static inline void swaplab_filewatch_exit(void)
{
}

static inline int swaplab_filewatch_add(struct swaplab_region *region)
{
	return 0;
}

static inline void swaplab_filewatch_remove(struct swaplab_region *region)
{
}

static inline unsigned int
swaplab_filewatch_cuts(const struct swaplab_region *region)
{
	return 0;
}

static inline bool swaplab_filewatch_moved(const struct swaplab_region *region,
					   pgoff_t index, unsigned int cuts)
{
	return false;
}

static inline void swaplab_filewatch_cut_marked(struct swaplab_region *region,
						pgoff_t index,
						struct page *page)
{
}
#endif

#endif /* _SWAPLAB_FILE_H */
