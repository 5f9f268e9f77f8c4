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

ssize_t swaplab_kio_page(struct file *file, struct page *page, size_t len,
			 loff_t pos, bool write, bool direct);

#endif /* _SWAPLAB_KIO_H */
