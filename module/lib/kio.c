// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronous I/O of one page of memory to or from a file, through the
 * file's own read_iter and write_iter on a bvec iterator, as the kernel's
 * own in-kernel readers and writers do: the store reads and writes its
 * swap file this way, and regions of files their files.
 */
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/uio.h>

#include "lib/compat.h"
#include "lib/kio.h"

/*
 * A write that waits for no lock: the file system's write_iter with
 * IOCB_NOWAIT, under freeze protection taken only if it is free. Not
 * vfs_iocb_iter_write(), which from 6.8 on waits for the protection
 * itself: a writer whose fault reclaims, or a freeze under way, would
 * have it wait for ever. No fsnotify event: as the kernel's write-back
 * of a mapping's pages, a page's going home is no write() to watch.
 */
static ssize_t swaplab_kio_write_nowait(struct file *file,
					struct kiocb *kiocb,
					struct iov_iter *iter)
{
	struct super_block *sb = file_inode(file)->i_sb;
	ssize_t ret;

	if (!(file->f_mode & FMODE_NOWAIT) || !file->f_op->write_iter)
		return -EAGAIN;
	if (!sb_start_write_trylock(sb))
		return -EAGAIN;
	ret = file->f_op->write_iter(kiocb, iter);
	sb_end_write(sb);
	return ret;
}

/**
 * swaplab_kio_page() - read or write the first bytes of a page at a
 *	file's offset
 * @file: the file, open for what is asked
 * @page: the page
 * @len: bytes, from the page's start, at most PAGE_SIZE
 * @pos: the file's byte; the I/O is at @pos even if @file was opened
 *	O_APPEND
 * @how: %SWAPLAB_KIO_WRITE to write the page's bytes to @file, else
 *	read them from it; %SWAPLAB_KIO_DIRECT for direct I/O
 *	(IOCB_DIRECT), bypassing the page cache, whether @file was opened
 *	O_DIRECT or not (@len and @pos must then be aligned as its file
 *	system asks), else through the page cache even if @file was opened
 *	O_DIRECT (for a length direct I/O cannot do); %SWAPLAB_KIO_NOWAIT
 *	to fail with -EAGAIN rather than wait for the file's locks (its
 *	i_rwsem, freeze protection): for a caller that may hold them, or
 *	hold what their holder waits for. A file system that cannot tell
 *	(no FMODE_NOWAIT) gets no write then, and a read it may block
 *
 * Context: process context, sleeps (I/O; locks, without
 * %SWAPLAB_KIO_NOWAIT).
 * Return: the bytes read or written (fewer than @len at the end of the
 * file), or a negative errno: -EAGAIN where it would have waited.
 */
ssize_t swaplab_kio_page(struct file *file, struct page *page, size_t len,
			 loff_t pos, unsigned int how)
{
	bool write = how & SWAPLAB_KIO_WRITE;
	struct bio_vec bvec;
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	bvec_set_page(&bvec, page, len, 0);
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos;
	if (how & SWAPLAB_KIO_DIRECT)
		kiocb.ki_flags |= IOCB_DIRECT;
	else
		kiocb.ki_flags &= ~IOCB_DIRECT;
	if (how & SWAPLAB_KIO_NOWAIT)
		kiocb.ki_flags |= IOCB_NOWAIT;
	kiocb.ki_flags &= ~IOCB_APPEND;
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, &bvec, 1, len);
	if (!write)
		return vfs_iocb_iter_read(file, &kiocb, &iter);
	if (how & SWAPLAB_KIO_NOWAIT)
		return swaplab_kio_write_nowait(file, &kiocb, &iter);
	swaplab_file_start_write(file);
	ret = vfs_iocb_iter_write(file, &kiocb, &iter);
	swaplab_file_end_write(file);
	return ret;
}
