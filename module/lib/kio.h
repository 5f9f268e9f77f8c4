/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synchronous I/O of one page through a file's own read_iter and
 * write_iter (kio.c): the store's swap file and regions' files.
 */
#ifndef _SWAPLAB_KIO_H
#define _SWAPLAB_KIO_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/* How swaplab_kio_page() does its I/O. */
enum {
	SWAPLAB_KIO_WRITE	= 1 << 0,	/* write, else read */
	SWAPLAB_KIO_DIRECT	= 1 << 1,	/* direct I/O, else buffered */
	SWAPLAB_KIO_NOWAIT	= 1 << 2,	/* fail rather than wait for a lock */
};

ssize_t swaplab_kio_page(struct file *file, struct page *page, size_t len,
			 loff_t pos, unsigned int how);

#endif /* _SWAPLAB_KIO_H */
