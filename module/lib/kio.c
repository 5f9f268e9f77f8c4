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

/**
 * swaplab_kio_page() - read or write the first bytes of a page at a
 *	file's offset
 * @file: the file, open for what is asked
 * @page: the page
 * @len: bytes, from the page's start, at most PAGE_SIZE
 * @pos: the file's byte; the I/O is at @pos even if @file was opened
 *	O_APPEND
 * @write: write the page's bytes to @file, else read them from it
 * @direct: by direct I/O (IOCB_DIRECT), bypassing the page cache, whether
 *	@file was opened O_DIRECT or not; @len and @pos must then be
 *	aligned as its file system asks. Without, through the page cache,
 *	even if @file was opened O_DIRECT (for a length direct I/O cannot
 *	do)
 *
 * Context: process context, sleeps (I/O).
 * Return: the bytes read or written (fewer than @len at the end of the
 * file), or a negative errno.
 */
ssize_t swaplab_kio_page(struct file *file, struct page *page, size_t len,
			 loff_t pos, bool write, bool direct)
{
	struct bio_vec bvec;
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	bvec_set_page(&bvec, page, len, 0);
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos;
	if (direct)
		kiocb.ki_flags |= IOCB_DIRECT;
	else
		kiocb.ki_flags &= ~IOCB_DIRECT;
	kiocb.ki_flags &= ~IOCB_APPEND;
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, &bvec, 1, len);
	if (!write)
		return vfs_iocb_iter_read(file, &kiocb, &iter);
	swaplab_file_start_write(file);
	ret = vfs_iocb_iter_write(file, &kiocb, &iter);
	swaplab_file_end_write(file);
	return ret;
}
