// SPDX-License-Identifier: GPL-2.0
/*
 * The backing store: a regular file or a raw block device, written and
 * read with direct I/O so that swap traffic never enters the page cache.
 *
 * The store is divided into page-sized slots tracked in a bitmap (as
 * zram's backing device is). A slot is allocated when a dirty page is
 * written out, not reserved per region; page-out asks for a run of
 * contiguous slots so that a batch of victims goes out in one I/O.
 *
 * Each slot has a crc32c of what was written to it (checksum=1, the
 * default), checked when it is read back: a swap file changed under the
 * module fails the read (-EBADMSG, counted in csum_errors) and the
 * faulting process gets SIGBUS rather than somebody else's bytes. With
 * encrypt=1 what is written is ciphertext (crypt.c) and the checksum
 * covers the ciphertext, so a damaged slot is never decrypted.
 *
 * Locking: swaplab_swap_rwsem protects which store is attached (the file,
 * the bitmap, its size, the checksum array, the cipher and the two
 * switches); I/O and slot allocation take it for read, attaching,
 * detaching and switching for write. swaplab_slot_lock (spinlock)
 * protects the bitmap's contents and the allocation cursor. A slot's
 * checksum belongs to whoever holds the slot, as its contents do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/crc32c.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "policy.h"
#include "swaplab.h"

static DECLARE_RWSEM(swaplab_swap_rwsem);
static struct file *swaplab_swap_file;		/* under the rwsem */
static char swaplab_swap_path[PATH_MAX];	/* under the rwsem */
static u64 swaplab_swap_size;			/* bytes, under the rwsem */

static DEFINE_SPINLOCK(swaplab_slot_lock);
static unsigned long *swaplab_slot_map;		/* under both locks */
static unsigned long swaplab_nr_slots;		/* under the rwsem */
static unsigned long swaplab_slot_cursor;	/* under the spinlock */
static unsigned long swaplab_slots_used;	/* under the spinlock */
static u32 *swaplab_slot_csum;			/* under the rwsem */
static struct swaplab_crypt *swaplab_swap_crypt;	/* under the rwsem */
static bool swaplab_swap_checksum = true;	/* under the rwsem */

/* Size given to new regular files, in bytes. */
static u64 swaplab_swapfile_size = 64ULL << 20;

static struct file *swaplab_swap_open(const char *path, u64 size, u64 *bytes)
{
	struct file *file;
	struct inode *inode;
	int flags = O_RDWR | O_LARGEFILE | O_DIRECT;
	int err;

	file = filp_open(path, flags, 0);
	if (IS_ERR(file) && PTR_ERR(file) == -ENOENT)
		file = filp_open(path, flags | O_CREAT | O_EXCL, 0600);
	if (IS_ERR(file))
		return file;

	inode = file_inode(file);
	if (S_ISBLK(inode->i_mode)) {
		/* Reopen exclusively, so that nobody mounts it under us. */
		filp_close(file, NULL);
		file = filp_open(path, flags | O_EXCL, 0);
		if (IS_ERR(file))
			return file;
		*bytes = i_size_read(file->f_mapping->host);
	} else if (S_ISREG(inode->i_mode)) {
		/* Allocate every block now: page-out never meets ENOSPC. */
		err = vfs_fallocate(file, 0, 0, size);
		if (err)
			goto close;
		*bytes = size;
	} else {
		err = -EINVAL;
		goto close;
	}
	if (!(file->f_mode & FMODE_CAN_WRITE) || !file->f_op->read_iter ||
	    !file->f_op->write_iter) {
		err = -EINVAL;
		goto close;
	}
	return file;

close:
	filp_close(file, NULL);
	return ERR_PTR(err);
}

/**
 * swaplab_swap_attach() - use a file or block device as the backing store
 * @path: a regular file (created, mode 0600, if missing, and fully
 *	allocated to swapfile_size) or a block device; empty or "none"
 *	detaches the store
 *
 * Context: process context. The caller makes sure that no slot is in use
 * (no region exists).
 * Return: 0, -EBUSY if a slot is in use, -EINVAL for a store smaller than
 * one page or of another file type, or the error from opening it.
 */
int swaplab_swap_attach(const char *path)
{
	unsigned long *map = NULL, nr = 0;
	struct file *file = NULL, *old;
	u32 *csum = NULL, *old_csum;
	char *clean;
	u64 bytes = 0;
	size_t len;
	int err = 0;

	clean = kstrndup(path, PATH_MAX, GFP_KERNEL);
	if (!clean)
		return -ENOMEM;
	len = strlen(clean);
	while (len && clean[len - 1] == '\n')
		clean[--len] = '\0';
	if (!strcmp(clean, "none"))
		clean[0] = '\0';
	if (len >= PATH_MAX) {
		err = -EINVAL;
		goto out;
	}

	if (clean[0]) {
		file = swaplab_swap_open(clean, READ_ONCE(swaplab_swapfile_size),
					 &bytes);
		if (IS_ERR(file)) {
			err = PTR_ERR(file);
			goto out;
		}
		nr = bytes >> PAGE_SHIFT;
		map = nr ? bitmap_zalloc(nr, GFP_KERNEL) : NULL;
		csum = nr ? kvcalloc(nr, sizeof(*csum), GFP_KERNEL) : NULL;
		if (!map || !csum) {
			filp_close(file, NULL);
			bitmap_free(map);
			kvfree(csum);
			err = nr ? -ENOMEM : -EINVAL;
			goto out;
		}
	}

	down_write(&swaplab_swap_rwsem);
	if (swaplab_slots_used) {
		up_write(&swaplab_swap_rwsem);
		if (file) {
			filp_close(file, NULL);
			bitmap_free(map);
			kvfree(csum);
		}
		err = -EBUSY;
		goto out;
	}
	old = swaplab_swap_file;
	old_csum = swaplab_slot_csum;
	bitmap_free(swaplab_slot_map);
	swaplab_swap_file = file;
	swaplab_slot_map = map;
	swaplab_slot_csum = csum;
	swaplab_nr_slots = nr;
	swaplab_swap_size = bytes;
	swaplab_slot_cursor = 0;
	strscpy(swaplab_swap_path, clean, sizeof(swaplab_swap_path));
	up_write(&swaplab_swap_rwsem);

	kvfree(old_csum);
	if (old)
		filp_close(old, NULL);
	if (file)
		pr_info("swap store %s: %lu slots\n", clean, nr);
out:
	kfree(clean);
	return err;
}

/**
 * swaplab_swap_show() - print the backing store's path
 * @buf: a sysfs buffer
 *
 * Return: bytes written; an empty line when there is none.
 */
ssize_t swaplab_swap_show(char *buf)
{
	ssize_t len;

	down_read(&swaplab_swap_rwsem);
	len = sysfs_emit(buf, "%s\n", swaplab_swap_path);
	up_read(&swaplab_swap_rwsem);
	return len;
}

/**
 * swaplab_swapfile_size_get() - size given to new swap files
 *
 * Return: bytes.
 */
u64 swaplab_swapfile_size_get(void)
{
	return READ_ONCE(swaplab_swapfile_size);
}

/**
 * swaplab_swapfile_size_set() - set the size given to new swap files
 * @bytes: a multiple of PAGE_SIZE, at least 16 pages, at most 1 TiB
 *
 * Takes effect when a regular file is next attached.
 *
 * Return: 0 or -EINVAL (nothing changes).
 */
int swaplab_swapfile_size_set(u64 bytes)
{
	if (bytes < 16 * PAGE_SIZE || bytes > SWAPLAB_REGION_MAX_LIMIT ||
	    !IS_ALIGNED(bytes, PAGE_SIZE))
		return -EINVAL;
	WRITE_ONCE(swaplab_swapfile_size, bytes);
	return 0;
}

/**
 * swaplab_swap_encrypt_set() - switch swap encryption on or off
 * @on: true to encrypt what is written from now on, under a new key
 *
 * Only while no slot is in use: a slot written under one key or none
 * cannot be read under another. Switching on again draws a new key.
 *
 * Context: process context.
 * Return: 0, -EBUSY while a slot is in use, or the error from setting up
 * the cipher (nothing changes then).
 */
int swaplab_swap_encrypt_set(bool on)
{
	struct swaplab_crypt *c = NULL, *old;

	if (on) {
		c = swaplab_crypt_create();
		if (IS_ERR(c))
			return PTR_ERR(c);
	}
	down_write(&swaplab_swap_rwsem);
	if (READ_ONCE(swaplab_slots_used)) {
		up_write(&swaplab_swap_rwsem);
		swaplab_crypt_destroy(c);
		return -EBUSY;
	}
	old = swaplab_swap_crypt;
	swaplab_swap_crypt = c;
	up_write(&swaplab_swap_rwsem);
	swaplab_crypt_destroy(old);
	return 0;
}

/**
 * swaplab_swap_encrypt_get() - is swap encryption on?
 *
 * Return: true if pages are written encrypted.
 */
bool swaplab_swap_encrypt_get(void)
{
	return READ_ONCE(swaplab_swap_crypt);
}

/**
 * swaplab_swap_checksum_set() - switch per-slot checksums on or off
 * @on: true to record a crc32c at every write and check it at every read
 *
 * Only while no slot is in use, so that no slot is read against a
 * checksum that was never recorded.
 *
 * Context: process context.
 * Return: 0 or -EBUSY while a slot is in use.
 */
int swaplab_swap_checksum_set(bool on)
{
	int err = 0;

	down_write(&swaplab_swap_rwsem);
	if (READ_ONCE(swaplab_slots_used))
		err = -EBUSY;
	else
		WRITE_ONCE(swaplab_swap_checksum, on);
	up_write(&swaplab_swap_rwsem);
	return err;
}

/**
 * swaplab_swap_checksum_get() - are slots checksummed?
 *
 * Return: true if reads are checked against a crc32c.
 */
bool swaplab_swap_checksum_get(void)
{
	return READ_ONCE(swaplab_swap_checksum);
}

/**
 * swaplab_slot_alloc() - allocate a run of contiguous slots
 * @nr: slots wanted
 * @got: slots allocated, between 1 and @nr
 *
 * Next-fit from a cursor, so that successive batches land one after the
 * other; when no run of @nr is free, the longest run the first search
 * finds, down to one slot.
 *
 * Context: process context.
 * Return: the first slot, or %SWAPLAB_NO_SLOT when the store is full or
 * absent.
 */
unsigned long swaplab_slot_alloc(unsigned int nr, unsigned int *got)
{
	unsigned long start = SWAPLAB_NO_SLOT, n;
	unsigned int want;

	down_read(&swaplab_swap_rwsem);
	if (!swaplab_slot_map)
		goto out;
	spin_lock(&swaplab_slot_lock);
	for (want = nr; want; want /= 2) {
		n = bitmap_find_next_zero_area(swaplab_slot_map,
					       swaplab_nr_slots,
					       swaplab_slot_cursor, want, 0);
		if (n >= swaplab_nr_slots)
			n = bitmap_find_next_zero_area(swaplab_slot_map,
						       swaplab_nr_slots, 0,
						       want, 0);
		if (n < swaplab_nr_slots) {
			bitmap_set(swaplab_slot_map, n, want);
			swaplab_slot_cursor = n + want;
			swaplab_slots_used += want;
			start = n;
			*got = want;
			break;
		}
	}
	spin_unlock(&swaplab_slot_lock);
out:
	up_read(&swaplab_swap_rwsem);
	return start;
}

/**
 * swaplab_slot_free() - free one slot
 * @slot: an allocated slot
 *
 * Context: any process context.
 */
void swaplab_slot_free(unsigned long slot)
{
	down_read(&swaplab_swap_rwsem);
	spin_lock(&swaplab_slot_lock);
	if (!WARN_ON_ONCE(!swaplab_slot_map || slot >= swaplab_nr_slots ||
			  !test_bit(slot, swaplab_slot_map))) {
		clear_bit(slot, swaplab_slot_map);
		swaplab_slots_used--;
	}
	spin_unlock(&swaplab_slot_lock);
	up_read(&swaplab_swap_rwsem);
}

/**
 * swaplab_slots_in_use() - slots holding a page
 *
 * Return: the number of allocated slots.
 */
unsigned long swaplab_slots_in_use(void)
{
	return READ_ONCE(swaplab_slots_used);
}

/**
 * swaplab_slots_total() - size of the backing store in slots
 *
 * Return: slots, 0 without a store.
 */
unsigned long swaplab_slots_total(void)
{
	return READ_ONCE(swaplab_nr_slots);
}

static u32 swaplab_page_csum(struct page *page)
{
	void *addr = kmap_local_page(page);
	u32 csum = crc32c(~0, addr, PAGE_SIZE);

	kunmap_local(addr);
	return csum;
}

/* One synchronous direct I/O of @nr pages at @slot. Under the rwsem. */
static int swaplab_swap_rw(struct page **pages, unsigned int nr,
			   unsigned long slot, bool write)
{
	struct bio_vec bvec[SWAPLAB_IO_MAX];
	size_t len = (size_t)nr << PAGE_SHIFT;
	struct file *file = swaplab_swap_file;
	struct iov_iter iter;
	struct kiocb kiocb;
	unsigned int i;
	ssize_t ret;

	for (i = 0; i < nr; i++)
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = (loff_t)slot << PAGE_SHIFT;
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bvec, nr, len);
	if (write) {
		swaplab_file_start_write(file);
		ret = vfs_iocb_iter_write(file, &kiocb, &iter);
		swaplab_file_end_write(file);
	} else {
		ret = vfs_iocb_iter_read(file, &kiocb, &iter);
	}
	if (ret >= 0 && ret != len)
		ret = -EIO;
	return ret < 0 ? ret : 0;
}

/* Encrypt if asked, record checksums, write. Under the rwsem. */
static int swaplab_swap_write(struct page **pages, unsigned int nr,
			      unsigned long slot)
{
	struct page *out[SWAPLAB_IO_MAX];
	struct swaplab_crypt *c = swaplab_swap_crypt;
	unsigned int i;
	int err;

	if (c) {
		err = swaplab_crypt_encrypt(c, pages, nr, slot, out);
		if (err)
			return err;
		pages = out;
	}
	if (swaplab_swap_checksum)
		for (i = 0; i < nr; i++)
			swaplab_slot_csum[slot + i] = swaplab_page_csum(pages[i]);
	err = swaplab_swap_rw(pages, nr, slot, true);
	if (c)
		swaplab_crypt_done(c);
	return err;
}

/* Read, check checksums, decrypt if asked. Under the rwsem. */
static int swaplab_swap_read(struct page **pages, unsigned int nr,
			     unsigned long slot)
{
	struct swaplab_crypt *c = swaplab_swap_crypt;
	unsigned int i;
	int err;

	err = swaplab_swap_rw(pages, nr, slot, false);
	if (err)
		return err;
	for (i = 0; i < nr; i++) {
		if (swaplab_swap_checksum &&
		    swaplab_page_csum(pages[i]) != swaplab_slot_csum[slot + i]) {
			swaplab_count_event(SWAPLAB_CSUM_ERRORS);
			pr_err_ratelimited("slot %lu: checksum mismatch, the swap store was changed under swaplab\n",
					   slot + i);
			return -EBADMSG;
		}
	}
	for (i = 0; c && i < nr; i++) {
		err = swaplab_crypt_decrypt(c, pages[i], slot + i);
		if (err)
			return err;
	}
	return 0;
}

/**
 * swaplab_swap_io() - read or write pages at a run of slots, directly
 * @pages: the pages, locked by the caller
 * @nr: how many, at most %SWAPLAB_IO_MAX
 * @slot: the first slot; page i goes to slot + i
 * @write: true to write
 *
 * One synchronous direct I/O over a bvec of the pages: no page cache.
 * A write records each slot's checksum and, with encryption on, writes
 * ciphertext from bounce pages, leaving @pages unchanged. A read checks
 * each page against its slot's checksum before decrypting it in place;
 * on any error the contents of @pages are undefined.
 *
 * Context: process context, sleeps.
 * Return: 0 or a negative errno: -EIO for a short transfer, -EBADMSG for
 * a checksum mismatch, -ENODEV without a store.
 */
int swaplab_swap_io(struct page **pages, unsigned int nr, unsigned long slot,
		    bool write)
{
	int err;

	if (WARN_ON_ONCE(!nr || nr > SWAPLAB_IO_MAX))
		return -EINVAL;

	down_read(&swaplab_swap_rwsem);
	if (!swaplab_swap_file || slot + nr > swaplab_nr_slots)
		err = -ENODEV;
	else if (write)
		err = swaplab_swap_write(pages, nr, slot);
	else
		err = swaplab_swap_read(pages, nr, slot);
	up_read(&swaplab_swap_rwsem);
	return err;
}

/**
 * swaplab_swap_exit() - detach the store at module exit
 *
 * Context: module exit; no slot is in use.
 */
void swaplab_swap_exit(void)
{
	WARN_ON_ONCE(swaplab_slots_used);
	if (swaplab_swap_file)
		filp_close(swaplab_swap_file, NULL);
	bitmap_free(swaplab_slot_map);
	kvfree(swaplab_slot_csum);
	swaplab_crypt_destroy(swaplab_swap_crypt);
	swaplab_swap_file = NULL;
	swaplab_slot_map = NULL;
	swaplab_slot_csum = NULL;
	swaplab_swap_crypt = NULL;
}
