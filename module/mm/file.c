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
 * The end of the file is read at every fault and write: a page at or past
 * it gets SIGBUS, and a dirty one past it is dropped, as truncation drops
 * the kernel's. The bytes of the last page past the end read as zeroes.
 *
 * A file that shrinks while a region of it is mapped: filewatch.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mount.h>
#include <linux/pagemap.h>

#include "lib/kio.h"
#include "mm/file.h"
#include "lib/stat.h"
#include "uapi/swaplab.h"

/* Will a region of @file with @flags write its pages back to @file? */
static bool swaplab_file_writes(struct file *file, u32 flags)
{
	return !(flags & SWAPLAB_FILE_PRIVATE) && (file->f_mode & FMODE_WRITE);
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
 * file, or a file system that cannot do direct I/O; -EPERM for a sealed
 * file.
 */
int swaplab_file_claim(struct file *file, const struct swaplab_file_map *fm)
{
	u64 end;

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
	if (!swaplab_file_writes(file, fm->flags))
		return 0;
	/* An append-only file: as mmap(), no shared writable mapping. */
	if (IS_APPEND(file_inode(file)))
		return -EACCES;
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
	if (swaplab_file_writes(file, fm->flags))
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
	if (swaplab_file_writes(region->file, region->file_private ?
				SWAPLAB_FILE_PRIVATE : 0))
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

/**
 * swaplab_file_read() - read a page of a region of a file from the file
 * @region: a region of a file
 * @index: the page
 * @page: a new frame's page, locked, that no one else can see yet
 *
 * One direct read of the whole page; the bytes past the end of the file,
 * in the page that holds it, are zeroes.
 *
 * Context: process context, sleeps (I/O).
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
	ret = swaplab_kio_page(region->file, page, PAGE_SIZE, pos, false, true);
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
	return 0;
}

/**
 * swaplab_file_write() - write a dirty page of a shared region of a file
 *	back to the file
 * @region: a shared region of a file
 * @index: the page
 * @page: its page, locked by the caller (or one no one else can reach
 *	any more), its dirty bit cleared (the caller sets it again on an
 *	error)
 *
 * A whole page is one direct write. The page that holds the end of the
 * file writes only the bytes before the end, through the page cache,
 * flushed and dropped from it before this returns, so that the file's
 * size does not change and the next direct read finds them.
 *
 * Context: process context, sleeps (I/O).
 * Return: 0; -ERANGE if the page lies past the end of the file (its
 * contents are dropped, as the kernel drops a truncated page's); -EBADF
 * if the file is not open for writing; or the write's error.
 */
int swaplab_file_write(struct swaplab_region *region, pgoff_t index,
		       struct page *page)
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
	ret = swaplab_kio_page(file, page, len, pos, true, len == PAGE_SIZE);
	if (ret >= 0 && ret != len)
		ret = -EIO;
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
 *
 * Context: process context, sleeps.
 * Return: 0 or vfs_fsync_range()'s error.
 */
int swaplab_file_sync(struct swaplab_region *region, loff_t start, loff_t end)
{
	return vfs_fsync_range(region->file, region->file_pos + start,
			       end == LLONG_MAX ? LLONG_MAX :
			       region->file_pos + end, 1);
}
