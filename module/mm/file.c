// SPDX-License-Identifier: GPL-2.0
/*
 * Regions of files (SWAPLAB_IOC_FILE): a region whose pages are those of
 * a range of a regular file, as a mapping of the file is, but paged by
 * swaplab in its own frames rather than the page cache.
 *
 * A page that holds no frame and no slot is in the file: its fault reads
 * it (swaplab_file_read()) where an anonymous region's zero-fills. A
 * clean page leaves memory with no write and is read again at its next
 * fault. A dirty page of a shared region goes back to the file
 * (swaplab_file_write()): when reclaim evicts it, at fsync() or
 * msync(MS_SYNC) (range.c), and when the region goes (region.c); one of a
 * private region goes to the store as an anonymous page does, and so
 * stays the region's own.
 *
 * Both ways are direct I/O, whole pages at page-aligned offsets, through
 * the file's own read_iter and write_iter with IOCB_DIRECT, as the store
 * reads a swap file: the page cache is not used, and a page's contents
 * are those of the file when the fault read it. The one exception is the
 * page that holds the end of the file: only the bytes before the end are
 * written, a length direct I/O cannot do unless it ends on a block, so
 * they go through the page cache and are flushed out of it at once.
 *
 * Neither a fault nor reclaim waits for the file's own locks (i_rwsem,
 * freeze protection): the task that faults or reclaims may hold them, in
 * a read() or write() of the file whose buffer is a region of it, or
 * hold a page lock their holder's fault waits for. So a fault reads with
 * IOCB_NOWAIT, and one that would wait reads the page through the page
 * cache's own ->read_folio() instead, as a fault on the kernel's mapping
 * of the file does, and drops it from there; and eviction writes with
 * IOCB_NOWAIT, and a page whose write would wait (or fails) goes to the
 * store as an anonymous page does. A page of a shared region differs
 * from its file while it is dirty or has a slot; fsync() and msync()
 * (range.c), and the region's release (region.c), write such pages back,
 * waiting, where no lock is held.
 *
 * The end of the file is read at every fault and write: a page at or past
 * it gets SIGBUS, and a dirty one past it is dropped, as truncation drops
 * the kernel's. The bytes of the last page past the end read as zeroes.
 *
 * A file that shrinks while a region of it is mapped: filewatch.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mount.h>
#include <linux/pagemap.h>

#include "lib/kio.h"
#include "mm/file.h"
#include "lib/stat.h"
#include "uapi/swaplab.h"

/* Will a region of @file, @private or not, write its pages back to it? */
static bool swaplab_file_writes(struct file *file, bool private)
{
	return !private && (file->f_mode & FMODE_WRITE);
}

/**
 * swaplab_file_claim() - check that a region may be made of a file, and
 *	count it as a writable mapping of the file if it writes back
 * @file: the file
 * @fm: the request, copied from userspace
 *
 * A shared region of a file open for writing counts in the file's
 * writable mappings, as a shared writable mmap() does, so that a memfd's
 * F_SEAL_WRITE is refused while it lives (and one already sealed refuses
 * the region): a seal would make its write-backs fail, and its dirty
 * pages would hold their frames for good. swaplab_file_release() gives
 * the count back, or swaplab_file_unclaim() if no region was made.
 *
 * Context: process context.
 * Return: 0; -EACCES if @file is not open for reading, or is open for
 * writing on an append-only inode (chattr +a) for a shared region;
 * -ENODEV if it is not a regular file; -EINVAL for bad flags, a reserved field not zero,
 * an unaligned or empty range, @fm->offset at or past the end of the
 * file, or a file system that cannot do direct I/O, I/O that does not
 * wait (FMODE_NOWAIT) or reads into the page cache (->read_folio(): not
 * tmpfs); -EPERM for a sealed file; or the error of writing back what
 * the page cache holds of the range.
 */
int swaplab_file_claim(struct file *file, const struct swaplab_file_map *fm)
{
	u64 end;
	int err;

	if (fm->flags & ~(SWAPLAB_FILE_PRIVATE | SWAPLAB_FILE_CLOEXEC) ||
	    fm->reserved[0] || fm->reserved[1])
		return -EINVAL;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (!S_ISREG(file_inode(file)->i_mode))
		return -ENODEV;
	if (!fm->length || !PAGE_ALIGNED(fm->offset) ||
	    !PAGE_ALIGNED(fm->length) ||
	    check_add_overflow(fm->offset, fm->length, &end) ||
	    end > (u64)LLONG_MAX ||
	    fm->offset >= (u64)i_size_read(file_inode(file)))
		return -EINVAL;
	if (!(file->f_mode & FMODE_CAN_ODIRECT))
		return -EINVAL;
	/* Reads and writes that need not wait (file.c's top comment). */
	if (!(file->f_mode & FMODE_NOWAIT) || !file->f_mapping->a_ops ||
	    !file->f_mapping->a_ops->read_folio)
		return -EINVAL;
	if (!swaplab_file_writes(file, fm->flags & SWAPLAB_FILE_PRIVATE))
		return 0;
	/* An append-only file: as mmap(), no shared writable mapping. */
	if (IS_APPEND(file_inode(file)))
		return -EACCES;
	/*
	 * What the page cache holds of the range is written and dropped
	 * now, where it may wait: a direct write at eviction, which may not,
	 * fails while the cache holds a page of its range. Pages just
	 * written still wait in a CPU's LRU batch, which only the _pages2
	 * kind of invalidation ignores; a page it cannot drop (another's
	 * mapping dirtied it again) only costs its write-backs the store.
	 */
	err = filemap_write_and_wait_range(file->f_mapping, fm->offset,
					   end - 1);
	if (err)
		return err;
	invalidate_inode_pages2_range(file->f_mapping, fm->offset >> PAGE_SHIFT,
				      (end - 1) >> PAGE_SHIFT);
	return mapping_map_writable(file->f_mapping);
}

/**
 * swaplab_file_unclaim() - undo swaplab_file_claim() when no region was
 *	made
 * @file: the file
 * @fm: the request swaplab_file_claim() accepted
 */
void swaplab_file_unclaim(struct file *file, const struct swaplab_file_map *fm)
{
	if (swaplab_file_writes(file, fm->flags & SWAPLAB_FILE_PRIVATE))
		mapping_unmap_writable(file->f_mapping);
}

/**
 * swaplab_file_release() - a region of a file is freed: let go of the file
 * @region: the region, whose dirty pages went back to the file
 *
 * Context: process context.
 */
void swaplab_file_release(struct swaplab_region *region)
{
	if (swaplab_file_writes(region->file, region->file_private))
		mapping_unmap_writable(region->file->f_mapping);
	fput(region->file);
}

/**
 * swaplab_file_noexec() - is a region's file on a noexec mount?
 * @region: a region of a file
 *
 * As the kernel's path_noexec(), which is not exported: the mapping of
 * such a file may not be executable.
 *
 * Return: true if its pages may not be mapped for execution.
 */
bool swaplab_file_noexec(const struct swaplab_region *region)
{
	const struct path *path = &region->file->f_path;

	return (path->mnt->mnt_flags & MNT_NOEXEC) ||
	       (path->mnt->mnt_sb->s_iflags & SB_I_NOEXEC);
}

/* The byte of the file that page @index of @region begins at. */
static loff_t swaplab_file_pos(const struct swaplab_region *region,
			       pgoff_t index)
{
	return region->file_pos + ((loff_t)index << PAGE_SHIFT);
}

/**
 * swaplab_file_past_eof() - does a page of a region of a file lie past
 *	the end of its file?
 * @region: a region of a file
 * @index: the page
 *
 * Context: any; reads the file's size as it is now.
 * Return: true if no byte of the page is in the file (SIGBUS).
 */
bool swaplab_file_past_eof(const struct swaplab_region *region, pgoff_t index)
{
	return swaplab_file_pos(region, index) >=
	       i_size_read(file_inode(region->file));
}

/*
 * Read the page at @pos through the page cache, as a fault on a mapping
 * of the file does: ->read_folio() takes none of the locks a read_iter
 * may wait for (only the folio's lock and the mapping's invalidate_lock,
 * as that fault). A page the cache did not hold before is dropped from
 * it again, so that direct I/O finds the range as it was. Return: the
 * bytes read (a whole page) or an error.
 */
static ssize_t swaplab_file_read_cached(struct file *file, loff_t pos,
					struct page *page)
{
	struct address_space *mapping = file->f_mapping;
	pgoff_t fidx = pos >> PAGE_SHIFT;
	struct folio *folio;
	bool cached;

	cached = filemap_range_has_page(mapping, pos, pos + PAGE_SIZE - 1);
	folio = read_mapping_folio(mapping, fidx, file);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	copy_highpage(page, folio_file_page(folio, fidx));
	folio_put(folio);
	/*
	 * Gone even while the folio still waits in a CPU's LRU batch, which
	 * invalidate_mapping_pages() would leave it for: the next direct
	 * write without waiting fails while the cache holds the page.
	 */
	if (!cached)
		invalidate_inode_pages2_range(mapping, fidx, fidx);
	swaplab_count_event(SWAPLAB_FILE_CACHED_READS);
	return PAGE_SIZE;
}

/*
 * A test hook (debugfs: file_read_delay_ms): after each read of a page
 * from its file, the fault sleeps this long, the page locked, widening
 * the window in which a truncation finds it locked for a test to show
 * that the page is emptied all the same (filewatch.c). 0 outside tests.
 */
static unsigned int swaplab_file_delay_ms;

/**
 * swaplab_file_read_delay() - the test hook's delay
 *
 * Return: milliseconds a fault sleeps after reading a page of a file.
 */
unsigned int swaplab_file_read_delay(void)
{
	return READ_ONCE(swaplab_file_delay_ms);
}

/**
 * swaplab_file_set_read_delay() - set the test hook's delay
 * @ms: milliseconds, at most %SWAPLAB_FILE_DELAY_MAX_MS; 0 turns it off
 *
 * Return: 0, or -EINVAL when @ms is too long.
 */
int swaplab_file_set_read_delay(u64 ms)
{
	if (ms > SWAPLAB_FILE_DELAY_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(swaplab_file_delay_ms, ms);
	return 0;
}

/**
 * swaplab_file_read() - read a page of a region of a file from the file
 * @region: a region of a file
 * @index: the page
 * @page: a new frame's page, locked, that no one else can see yet
 *
 * One direct read of the whole page, one that waits for no lock; if it
 * would have to, the page is read through the page cache instead. The
 * bytes past the end of the file, in the page that holds it, are zeroes.
 *
 * Context: process context, sleeps (I/O); may hold the file's i_rwsem.
 * Return: 0; -ERANGE if the page lies past the end of the file (SIGBUS);
 * or the read's error.
 */
int swaplab_file_read(struct swaplab_region *region, pgoff_t index,
		      struct page *page)
{
	loff_t pos = swaplab_file_pos(region, index);
	loff_t size = i_size_read(file_inode(region->file));
	ssize_t ret;

	if (pos >= size)
		return -ERANGE;
	ret = swaplab_kio_page(region->file, page, PAGE_SIZE, pos,
			       SWAPLAB_KIO_DIRECT | SWAPLAB_KIO_NOWAIT);
	if (ret == -EAGAIN)
		ret = swaplab_file_read_cached(region->file, pos, page);
	if (ret < 0)
		return ret;
	/* Truncated since: nothing of the page is left in the file. */
	if (!ret)
		return -ERANGE;
	/* A short read or a page that holds the end: zeroes past it. */
	size = i_size_read(file_inode(region->file));
	if (size - pos < PAGE_SIZE)
		ret = min_t(loff_t, ret, max_t(loff_t, size - pos, 0));
	if (ret < PAGE_SIZE)
		zero_user_segment(page, ret, PAGE_SIZE);
	swaplab_count_event(SWAPLAB_FILE_READS);
	if (unlikely(READ_ONCE(swaplab_file_delay_ms)))
		msleep_interruptible(READ_ONCE(swaplab_file_delay_ms));
	return 0;
}

/**
 * swaplab_file_write() - write a dirty page of a shared region of a file
 *	back to the file
 * @region: a shared region of a file
 * @index: the page
 * @page: its page, locked by the caller (or one no one else can reach
 *	any more, or a copy), its dirty bit cleared (the caller sets it
 *	again on an error)
 * @wait: the caller holds no lock (page locks included) and may wait for
 *	the file's; without, a write that would wait fails with -EAGAIN
 *
 * A whole page is one direct write. The page that holds the end of the
 * file writes only the bytes before the end, through the page cache,
 * flushed and dropped from it before this returns, so that the file's
 * size does not change and the next direct read finds them: only with
 * @wait, since writing back the page cache waits for its locks.
 *
 * Context: process context, sleeps (I/O).
 * Return: 0; -ERANGE if the page lies past the end of the file (its
 * contents are dropped, as the kernel drops a truncated page's); -EBADF
 * if the file is not open for writing; -EAGAIN if it would have waited;
 * or the write's error.
 */
int swaplab_file_write(struct swaplab_region *region, pgoff_t index,
		       struct page *page, bool wait)
{
	struct file *file = region->file;
	loff_t pos = swaplab_file_pos(region, index);
	loff_t size = i_size_read(file_inode(file));
	size_t len;
	ssize_t ret;
	int err;

	if (pos >= size) {
		swaplab_count_event(SWAPLAB_FILE_DROPPED);
		return -ERANGE;
	}
	/* No writable mapping can be had of such a region: never dirty. */
	if (WARN_ON_ONCE(!(file->f_mode & FMODE_WRITE)))
		return -EBADF;
	len = min_t(loff_t, PAGE_SIZE, size - pos);
	if (!wait && len < PAGE_SIZE)
		return -EAGAIN;
	ret = swaplab_kio_page(file, page, len, pos, SWAPLAB_KIO_WRITE |
			       (len == PAGE_SIZE ? SWAPLAB_KIO_DIRECT : 0) |
			       (wait ? 0 : SWAPLAB_KIO_NOWAIT));
	if (ret >= 0 && ret != len)
		ret = -EIO;
	if (ret == -EAGAIN && !wait)
		return ret;
	if (ret < 0) {
		swaplab_count_event(SWAPLAB_IO_ERRORS);
		pr_err_ratelimited("write-back of page %lu of region %llu to its file failed: %zd\n",
				   index, region->id, ret);
		return ret;
	}
	if (len < PAGE_SIZE) {
		err = filemap_write_and_wait_range(file->f_mapping, pos,
						   pos + len - 1);
		invalidate_mapping_pages(file->f_mapping, pos >> PAGE_SHIFT,
					 pos >> PAGE_SHIFT);
		if (err)
			return err;
	}
	swaplab_count_event(SWAPLAB_FILE_WRITES);
	return 0;
}

/**
 * swaplab_file_sync() - make a shared region's file durable
 * @region: a shared region of a file, whose dirty pages in the range were
 *	written back
 * @start: first byte of the region
 * @end: last byte of the region
 * @datasync: as the file's own fdatasync(), else fsync()
 *
 * Context: process context, sleeps.
 * Return: 0 or vfs_fsync_range()'s error.
 */
int swaplab_file_sync(struct swaplab_region *region, loff_t start, loff_t end,
		      int datasync)
{
	return vfs_fsync_range(region->file, region->file_pos + start,
			       end == LLONG_MAX ? LLONG_MAX :
			       region->file_pos + end, datasync);
}
