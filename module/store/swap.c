// SPDX-License-Identifier: GPL-2.0
/*
 * The backing store: a regular file or a raw block device, read and
 * written with bios straight to the device, as the kernel's own swap
 * does, so that swap traffic never enters the page cache and never takes
 * a file system lock.
 *
 * A regular file is mapped once, when it is attached: bmap() gives the
 * device block behind each page, and runs of pages that are contiguous
 * on the device become extents. The file is then marked S_SWAPFILE, as
 * swapon marks it, so that nobody can write, truncate, fallocate or
 * defragment it (ETXTBSY) while swaplab owns its blocks; stock swapon of
 * it fails with EBUSY, and swaplab refuses a file the kernel swaps to.
 * A block device is one extent, opened exclusively.
 *
 * Page 0 of either holds no slot but the store's header (struct
 * swaplab_store_header, in the page's last 16 bytes, where the kernel's
 * swap header keeps "SWAPSPACE2"): swaplab writes it into a file it
 * creates (or finds empty) and onto a block device whose first MiB is
 * blank, and refuses (-EEXIST, the store untouched) an existing file or
 * device that holds anything else, so that a mistyped path never
 * destroys somebody's data. The path is opened once, without following
 * a symbolic link in its last component (-ELOOP) unless the link names a
 * block device or follow_symlinks=1; what is opened is checked on the
 * open file, never looked up again.
 *
 * The store is divided into page-sized slots tracked in a bitmap (as
 * zram's backing device is). A slot is allocated when a dirty page is
 * written out, not reserved per region; page-out asks for a run of
 * contiguous slots so that a batch of victims goes out in one bio.
 *
 * Each slot has a crc32c of what was written to it (checksum=1, the
 * default), checked when it is read back: a swap store changed under the
 * module fails the read (-EBADMSG, counted in csum_errors) and the
 * faulting process gets SIGBUS rather than somebody else's bytes. With
 * encrypt=1 what is written is ciphertext (crypt.c) and the checksum
 * covers the ciphertext, so a damaged slot is never decrypted.
 *
 * Locking: swaplab_swap_rwsem protects which store is attached (the file,
 * its block device and extents, the bitmap, its size, the checksum
 * array, the cipher and the two switches); I/O and slot allocation take
 * it for read (an asynchronous read from its submission to the end of
 * its completion work), attaching, detaching and switching for write.
 * Page faults
 * take it under mmap_lock or their VMA's lock, so nothing may take an
 * inode lock or fault on user memory while holding it. swaplab_slot_lock
 * (spinlock) protects the bitmap's contents and the allocation cursor.
 * swaplab_attach_mutex serialises attaching and detaching and protects
 * swaplab_swap_inode, the inode swaplab has marked S_SWAPFILE, and
 * swaplab_swap_dev, the number of the block device attached raw; it is
 * taken before the inode lock and before the rwsem, never inside either.
 * A slot's checksum belongs to whoever holds the slot, as its contents
 * do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "lib/compat.h"
#include "lib/kio.h"
#include "store/crypt.h"
#include "store/csum.h"
#include "store/pagebuf.h"
#include "api/policy.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "lib/trace.h"

/**
 * struct swaplab_extent - a run of slots contiguous on the device
 * @slot: the run's first slot
 * @nr: slots in the run
 * @sector: the device sector where @slot starts
 */
struct swaplab_extent {
	unsigned long slot;
	unsigned long nr;
	sector_t sector;
};

/**
 * struct swaplab_store - a store opened and mapped, not yet attached
 * @file: the open file or block device
 * @bdev: the block device the I/O goes to
 * @ext: the extents, in slot order, covering every slot
 * @nr_ext: entries in @ext
 * @ext_cap: entries allocated for @ext
 * @bytes: the store's size
 * @claimed: the inode swaplab marked S_SWAPFILE: the regular file's, or
 *	the block device's
 * @dev: the block device's number when the store is one, else 0
 */
struct swaplab_store {
	struct file *file;
	struct block_device *bdev;
	struct swaplab_extent *ext;
	unsigned int nr_ext;
	unsigned int ext_cap;
	u64 bytes;
	struct inode *claimed;
	dev_t dev;
};

/**
 * struct swaplab_store_header - what page 0 of a store ends with
 * @version: %SWAPLAB_STORE_VERSION, little-endian
 * @page_size: the page size of the kernel that wrote it, little-endian
 * @magic: %SWAPLAB_STORE_MAGIC, not NUL-terminated
 */
struct swaplab_store_header {
	__le32 version;
	__le32 page_size;
	char magic[8];
};

#define SWAPLAB_STORE_MAGIC	"SWAPLAB!"
#define SWAPLAB_STORE_VERSION	1
/* Pages written at once when a swap file's blocks are zeroed. */
#define SWAPLAB_ZERO_RUN	32
/* What a block device must hold (zeroes) to be taken without a header. */
#define SWAPLAB_BLANK_BYTES	SZ_1M

static bool swaplab_follow_symlinks;
module_param_named(follow_symlinks, swaplab_follow_symlinks, bool, 0444);
MODULE_PARM_DESC(follow_symlinks, "Follow a symbolic link to a regular file in the swapfile path (default 0: -ELOOP)");

static DEFINE_MUTEX(swaplab_attach_mutex);
static struct inode *swaplab_swap_inode;	/* under the attach mutex */
static dev_t swaplab_swap_dev;			/* under the attach mutex */

static DECLARE_RWSEM(swaplab_swap_rwsem);
static struct swaplab_store swaplab_store;	/* under the rwsem */
static char swaplab_swap_path[PATH_MAX];	/* under the rwsem */

static DEFINE_SPINLOCK(swaplab_slot_lock);
static unsigned long *swaplab_slot_map;		/* under both locks */
static unsigned long swaplab_nr_slots;		/* under the rwsem */
static unsigned long swaplab_slot_cursor;	/* under the spinlock */
static unsigned long swaplab_slots_used;	/* under the spinlock */
/* Written under the attach mutex and the rwsem; read under either. */
static u32 *swaplab_slot_csum;
static bool swaplab_swap_checksum = true;
static struct swaplab_crypt *swaplab_swap_crypt;	/* under the rwsem */

/* Size given to new regular files, in bytes. */
static u64 swaplab_swapfile_size = 64ULL << 20;

/*
 * Mark a regular file's or a block device's inode as a swap file's, as
 * swapon does, or refuse one that is already (-EBUSY: the kernel swaps to
 * it). Under the attach mutex.
 */
static int swaplab_swap_claim(struct inode *inode)
{
	int err = 0;

	inode_lock(inode);
	if (IS_SWAPFILE(inode))
		err = -EBUSY;
	else
		inode->i_flags |= S_SWAPFILE;
	inode_unlock(inode);
	return err;
}

static void swaplab_swap_unclaim(struct inode *inode)
{
	inode_lock(inode);
	inode->i_flags &= ~S_SWAPFILE;
	inode_unlock(inode);
}

/* Append page @slot at @sector to the extents, merging when contiguous. */
static int swaplab_extent_add(struct swaplab_store *st, unsigned long slot,
			      sector_t sector)
{
	struct swaplab_extent *e = st->nr_ext ? &st->ext[st->nr_ext - 1] : NULL;

	if (e && e->slot + e->nr == slot &&
	    e->sector + (e->nr << (PAGE_SHIFT - SECTOR_SHIFT)) == sector) {
		e->nr++;
		return 0;
	}
	if (st->nr_ext == st->ext_cap) {
		unsigned int want = st->ext_cap ? st->ext_cap * 2 : 16;
		struct swaplab_extent *ext;

		ext = kvmalloc_array(want, sizeof(*ext), GFP_KERNEL);
		if (!ext)
			return -ENOMEM;
		if (st->nr_ext)
			memcpy(ext, st->ext, st->nr_ext * sizeof(*ext));
		kvfree(st->ext);
		st->ext = ext;
		st->ext_cap = want;
	}
	st->ext[st->nr_ext++] = (struct swaplab_extent){ slot, 1, sector };
	return 0;
}

/*
 * Map the pages of a regular file's first @size bytes, after page 0 (the
 * header), to the device with bmap(), as the kernel's
 * generic_swapfile_activate() does: a page whose blocks are not
 * contiguous and page-aligned on the device is skipped, so that slots
 * number the usable pages in file order (with blocks smaller than a
 * page, the file system need not align its extents to pages). Sets
 * @st->bytes to the usable pages. -ENODATA at the first hole or
 * unwritten block.
 */
static int swaplab_swap_map(struct swaplab_store *st, u64 size)
{
	struct inode *inode = file_inode(st->file);
	unsigned int blkbits = inode->i_blkbits;
	unsigned int per_page = 1U << (PAGE_SHIFT - blkbits);
	sector_t probe = per_page, last = size >> blkbits, first, block;
	unsigned int i;
	unsigned long nr = 0;
	int err;

	st->nr_ext = 0;
	while (probe + per_page <= last) {
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
		first = probe;
		err = bmap(inode, &first);
		if (err)
			return err;
		if (!first)
			return -ENODATA;
		for (i = 1; i < per_page && !(first & (per_page - 1)); i++) {
			block = probe + i;
			err = bmap(inode, &block);
			if (err)
				return err;
			if (!block)
				return -ENODATA;
			if (block != first + i)
				break;
		}
		if (first & (per_page - 1) || i < per_page) {
			probe++;	/* not a page on the device: next block */
			continue;
		}
		err = swaplab_extent_add(st, nr,
					 first << (blkbits - SECTOR_SHIFT));
		if (err)
			return err;
		nr++;
		probe += per_page;
	}
	st->bytes = (u64)nr << PAGE_SHIFT;
	return 0;
}

/*
 * Direct I/O of one page of @file at byte @pos: 0, -ENODATA for a read
 * past the end of the file, or an error.
 */
static int swaplab_file_page_rw(struct file *file, struct page *page,
				loff_t pos, bool write)
{
	ssize_t ret = swaplab_kio_page(file, page, PAGE_SIZE, pos,
				       (write ? SWAPLAB_KIO_WRITE : 0) |
				       SWAPLAB_KIO_DIRECT);

	if (ret < 0)
		return ret;
	return ret == PAGE_SIZE ? 0 : write ? -EIO : -ENODATA;
}

/* Does @page hold a store header this kernel can use? */
static int swaplab_header_check(struct page *page)
{
	const struct swaplab_store_header *h;
	void *addr = kmap_local_page(page);
	int err = -EEXIST;

	h = addr + PAGE_SIZE - sizeof(*h);
	if (!memcmp(h->magic, SWAPLAB_STORE_MAGIC, sizeof(h->magic)))
		err = le32_to_cpu(h->version) == SWAPLAB_STORE_VERSION &&
		      le32_to_cpu(h->page_size) == PAGE_SIZE ? 0 : -EINVAL;
	kunmap_local(addr);
	return err;
}

/*
 * Read the header of @st's store: 0 if it has a usable one, -EINVAL for
 * one of another version or page size, -EEXIST for none (and, for a
 * block device, anything but zeroes in its first MiB), or an I/O error.
 * Sets *@blank when a block device holds only zeroes there.
 */
static int swaplab_header_read(struct swaplab_store *st, bool *blank)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u64 end = st->dev ? min_t(u64, st->bytes, SWAPLAB_BLANK_BYTES) : 0;
	loff_t pos;
	int err;

	*blank = false;
	if (!page)
		return -ENOMEM;
	err = swaplab_file_page_rw(st->file, page, 0, false);
	if (!err)
		err = swaplab_header_check(page);
	for (pos = 0; err == -EEXIST && end && pos < end; pos += PAGE_SIZE) {
		void *addr;
		bool zero;

		if (pos && swaplab_file_page_rw(st->file, page, pos, false))
			break;
		addr = kmap_local_page(page);
		zero = !memchr_inv(addr, 0, PAGE_SIZE);
		kunmap_local(addr);
		if (!zero)
			break;
		*blank = pos + PAGE_SIZE >= end;
	}
	__free_page(page);
	return err == -ENODATA ? -EEXIST : err;
}

/* Write a header into page 0 of @st's store, before it is claimed. */
static int swaplab_header_write(struct swaplab_store *st)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct swaplab_store_header *h;
	void *addr;
	int err;

	if (!page)
		return -ENOMEM;
	addr = kmap_local_page(page);
	h = addr + PAGE_SIZE - sizeof(*h);
	h->version = cpu_to_le32(SWAPLAB_STORE_VERSION);
	h->page_size = cpu_to_le32(PAGE_SIZE);
	memcpy(h->magic, SWAPLAB_STORE_MAGIC, sizeof(h->magic));
	kunmap_local(addr);
	err = swaplab_file_page_rw(st->file, page, 0, true);
	__free_page(page);
	return err ?: vfs_fsync(st->file, 1);
}

/*
 * Write zeroes over bytes [@pos, @end) of the file with direct I/O, so
 * that every block is allocated and written: bmap() reports fallocate()'s
 * unwritten blocks as holes. Before the file is claimed (a swap file is
 * not writable).
 */
static int swaplab_swap_zero(struct file *file, loff_t pos, loff_t end)
{
	struct bio_vec bvec[SWAPLAB_ZERO_RUN];
	struct iov_iter iter;
	struct kiocb kiocb;
	unsigned int i, n;
	size_t len;
	ssize_t ret;

	while (pos < end) {
		n = min_t(u64, SWAPLAB_ZERO_RUN, (end - pos) >> PAGE_SHIFT);
		len = (size_t)n << PAGE_SHIFT;
		for (i = 0; i < n; i++)
			bvec_set_page(&bvec[i], ZERO_PAGE(0), PAGE_SIZE, 0);
		init_sync_kiocb(&kiocb, file);
		kiocb.ki_pos = pos;
		iov_iter_bvec(&iter, ITER_SOURCE, bvec, n, len);
		swaplab_file_start_write(file);
		ret = vfs_iocb_iter_write(file, &kiocb, &iter);
		swaplab_file_end_write(file);
		if (ret < 0)
			return ret;
		if (ret != len)
			return -EIO;
		pos += len;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return vfs_fsync(file, 1);
}

/*
 * Claim a regular file, wait for writes already under way (a flusher
 * writing a dirty page cache page over a slot later would undo a page-out),
 * and map it. Under the attach mutex.
 */
static int swaplab_swap_claim_map(struct swaplab_store *st, u64 size)
{
	struct inode *inode = file_inode(st->file);
	int err;

	err = swaplab_swap_claim(inode);
	if (err)
		return err;
	err = inode_drain_writes(inode);
	if (!err)
		err = swaplab_swap_map(st, size);
	if (err)
		swaplab_swap_unclaim(inode);
	else
		st->claimed = inode;
	return err;
}

/*
 * A regular file: check the header of one that holds anything, allocate
 * it, write a new one's header (and its other pages once, if it has
 * unwritten blocks), claim it and map it. Under the attach mutex;
 * @st->file is open. @size is swapfile_size: an existing store keeps its
 * own size.
 */
static int swaplab_swap_open_file(struct swaplab_store *st, u64 size)
{
	struct inode *inode = file_inode(st->file);
	struct super_block *sb = inode->i_sb;
	loff_t isize = i_size_read(inode), head;
	sector_t block;
	bool blank;
	int err;

	if (IS_SWAPFILE(inode))
		return -EBUSY;
	/*
	 * Only file systems known to keep an S_SWAPFILE file's blocks where
	 * they are, on the one device bmap() answers for: f2fs's garbage
	 * collector moves them, a cluster file system's other nodes do
	 * not see the flag, a multi-device one maps beyond s_bdev.
	 */
	if ((sb->s_magic != EXT4_SUPER_MAGIC &&
	     sb->s_magic != XFS_SUPER_MAGIC) || !sb->s_bdev ||
	    inode->i_blkbits > PAGE_SHIFT || IS_ENCRYPTED(inode) ||
	    IS_DAX(inode) || bdev_is_zoned(sb->s_bdev))
		return -EINVAL;
	/* A file that holds anything must be a store already. */
	if (isize) {
		err = swaplab_header_read(st, &blank);
		if (err) {
			pr_warn("%pD: not a swaplab store (%d), left as it is\n",
				st->file, err);
			return err;
		}
		size = min_t(u64, round_down(isize, PAGE_SIZE),
			     SWAPLAB_SWAP_MAX_BYTES);
		if (size < 2 * PAGE_SIZE)
			return -EINVAL;
	}
	/* Allocate every block now: page-out never meets ENOSPC. */
	err = vfs_fallocate(st->file, 0, 0, size);
	if (!err && !isize)
		err = swaplab_header_write(st);
	if (err)
		return err;
	st->bdev = sb->s_bdev;

	err = swaplab_swap_claim_map(st, size);
	if (err != -ENODATA)
		return err;
	/*
	 * Unwritten blocks: write the first pages after the header, and
	 * only if bmap() maps them then (it never does for some files, such
	 * as xfs's shared or realtime ones) the rest, rather than overwrite
	 * a whole file that cannot be used.
	 */
	head = min_t(u64, size, (SWAPLAB_ZERO_RUN + 1) * PAGE_SIZE);
	block = PAGE_SIZE >> inode->i_blkbits;
	err = swaplab_swap_zero(st->file, PAGE_SIZE, head);
	if (!err)
		err = bmap(inode, &block);
	if (!err && !block)
		err = -EINVAL;
	if (!err)
		err = swaplab_swap_zero(st->file, head, size);
	if (!err)
		err = swaplab_swap_claim_map(st, size);
	return err == -ENODATA ? -EINVAL : err;
}

/* Close a store that is not (or no longer) attached. */
static void swaplab_swap_close(struct swaplab_store *st)
{
	if (st->claimed)
		swaplab_swap_unclaim(st->claimed);
	if (st->file)
		filp_close(st->file, NULL);
	kvfree(st->ext);
	memset(st, 0, sizeof(*st));
}

/*
 * A block device, used raw: @st->file was opened exclusively, so that
 * nobody mounts it under us, and it is claimed like a swap partition, so
 * that nobody writes it through its device node either. It must carry a
 * store header or be blank (zeroes in its first MiB; it gets a header).
 * Under the attach mutex.
 */
static int swaplab_swap_open_bdev(struct swaplab_store *st)
{
	struct inode *host = st->file->f_mapping->host;
	bool blank;
	int err;

	/* blkdev_open() pointed f_mapping at the device's own inode. */
	st->bdev = I_BDEV(host);
	st->dev = st->bdev->bd_dev;
	if (bdev_is_zoned(st->bdev))
		return -EINVAL;
	st->bytes = min_t(u64, round_down(bdev_nr_bytes(st->bdev), PAGE_SIZE),
			  SWAPLAB_SWAP_MAX_BYTES);
	if (st->bytes < 2 * PAGE_SIZE)
		return -EINVAL;
	err = swaplab_header_read(st, &blank);
	if (err == -EEXIST && blank)
		err = swaplab_header_write(st);
	if (err) {
		pr_warn("%pD: neither a swaplab store nor blank (%d), left as it is\n",
			st->file, err);
		return err;
	}
	/* Slots start after the header page. */
	st->bytes -= PAGE_SIZE;
	st->ext = kvzalloc(sizeof(*st->ext), GFP_KERNEL);
	if (!st->ext)
		return -ENOMEM;
	st->ext[0].nr = st->bytes >> PAGE_SHIFT;
	st->ext[0].sector = PAGE_SIZE >> SECTOR_SHIFT;
	st->nr_ext = 1;
	st->ext_cap = 1;
	err = swaplab_swap_claim(host);
	if (!err)
		st->claimed = host;
	return err;
}

/*
 * Open @path once, for everything that follows: exclusively if it is a
 * block device (O_EXCL without O_CREAT means that for one, and nothing
 * for a regular file), created if missing. A symbolic link in the last
 * component is followed only to a block device (udev's /dev/disk/by-*
 * names) unless follow_symlinks is set. *@created says whether the file
 * was made here. Under the attach mutex.
 */
static struct file *swaplab_swap_open_path(const char *path, bool *created)
{
	int flags = O_RDWR | O_LARGEFILE | O_DIRECT | O_EXCL;
	struct file *file;

	*created = false;
	file = filp_open(path, flags | O_NOFOLLOW, 0);
	if (IS_ERR(file) && PTR_ERR(file) == -ENOENT) {
		/* O_CREAT | O_EXCL never follows a symbolic link either. */
		file = filp_open(path, flags | O_CREAT, 0600);
		*created = !IS_ERR(file);
	} else if (IS_ERR(file) && PTR_ERR(file) == -ELOOP) {
		file = filp_open(path, flags, 0);
		if (!IS_ERR(file) && !swaplab_follow_symlinks &&
		    !S_ISBLK(file_inode(file)->i_mode)) {
			filp_close(file, NULL);
			pr_warn("%s: a symbolic link, refused (follow_symlinks=0)\n",
				path);
			file = ERR_PTR(-ELOOP);
		}
	}
	return file;
}

/* Open, check, allocate and map a store. Under the attach mutex. */
static int swaplab_swap_open(struct swaplab_store *st, const char *path,
			     u64 size)
{
	struct file *file;
	bool created;
	int err;

	memset(st, 0, sizeof(*st));
	file = swaplab_swap_open_path(path, &created);
	if (IS_ERR(file))
		return PTR_ERR(file);
	st->file = file;

	/* Whatever the path names now, this is what was opened. */
	if (S_ISBLK(file_inode(file)->i_mode))
		err = swaplab_swap_open_bdev(st);
	else if (S_ISREG(file_inode(file)->i_mode) &&
		 (file->f_mode & FMODE_CAN_WRITE))
		err = swaplab_swap_open_file(st, size);
	else
		err = -EINVAL;
	if (err)
		swaplab_swap_close(st);
	return err;
}

/*
 * Is @path the store attached now? A block device is the same by its
 * number, whatever node names it; a regular file by its inode, looked up
 * without following a symbolic link unless the open would follow it.
 * Under the attach mutex.
 */
static bool swaplab_swap_same(const char *path)
{
	struct inode *inode;
	struct path p;
	bool same, link;

	if (!swaplab_swap_inode || kern_path(path, 0, &p))
		return false;
	link = d_is_symlink(p.dentry);
	if (link) {
		path_put(&p);
		if (kern_path(path, LOOKUP_FOLLOW, &p))
			return false;
	}
	inode = d_inode(p.dentry);
	if (S_ISBLK(inode->i_mode))
		same = swaplab_swap_dev && inode->i_rdev == swaplab_swap_dev;
	else
		same = !swaplab_swap_dev && inode == swaplab_swap_inode &&
		       (!link || swaplab_follow_symlinks);
	path_put(&p);
	return same;
}

/**
 * swaplab_swap_attach() - use a file or block device as the backing store
 * @path: a regular file (created, mode 0600, if missing or empty, fully
 *	allocated to swapfile_size and given a store header; else it must
 *	have one) or a block device (with a header, or blank); empty or
 *	"none" detaches the store
 *
 * A regular file must be on a file system that maps its blocks with
 * bmap() (ext4, xfs, ...; not tmpfs or btrfs); it is marked as a swap
 * file while attached. The store already attached (the same file, or
 * the same block device by any name) is accepted again unchanged.
 *
 * Context: process context. The caller makes sure that no slot is in use
 * (no region exists).
 * Return: 0, -EBUSY if a slot is in use or the kernel swaps to the file,
 * -EEXIST for a file or device that holds something other than a store
 * (left untouched), -ELOOP for a symbolic link to anything but a block
 * device (follow_symlinks=0), -EINVAL for a store smaller than two pages,
 * with a header of another version or page size, of another file type or
 * on a file system that cannot map it, or the error from opening it.
 */
int swaplab_swap_attach(const char *path)
{
	struct swaplab_store st = {}, old;
	unsigned long *map = NULL, nr = 0;
	u32 *csum = NULL, *old_csum;
	char *clean;
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

	mutex_lock(&swaplab_attach_mutex);
	if (clean[0] && swaplab_swap_same(clean)) {
		/* Already ours: nothing to do, or to undo. */
		err = swaplab_swap_slots_in_use() ? -EBUSY : 0;
		goto unlock;
	}
	if (clean[0]) {
		err = swaplab_swap_open(&st, clean,
					READ_ONCE(swaplab_swapfile_size));
		if (err)
			goto unlock;
		/* Slot numbers above are the pager's (policy.h). */
		nr = min(st.bytes >> PAGE_SHIFT, SWAPLAB_SLOTS_MAX);
		map = nr ? kvcalloc(BITS_TO_LONGS(nr), sizeof(*map),
				    GFP_KERNEL) : NULL;
		/*
		 * The checksum knob changes under the attach mutex too: a
		 * store gets checksums only while they are on (4 bytes a
		 * slot, whether or not the slot is used).
		 */
		if (nr && READ_ONCE(swaplab_swap_checksum))
			csum = kvcalloc(nr, sizeof(*csum), GFP_KERNEL);
		if (!map || (!csum && READ_ONCE(swaplab_swap_checksum))) {
			swaplab_swap_close(&st);
			kvfree(map);
			kvfree(csum);
			err = nr ? -ENOMEM : -EINVAL;
			goto unlock;
		}
	}

	down_write(&swaplab_swap_rwsem);
	if (swaplab_slots_used) {
		up_write(&swaplab_swap_rwsem);
		swaplab_swap_close(&st);
		kvfree(map);
		kvfree(csum);
		err = -EBUSY;
		goto unlock;
	}
	old = swaplab_store;
	old_csum = swaplab_slot_csum;
	kvfree(swaplab_slot_map);
	swaplab_store = st;
	swaplab_slot_map = map;
	swaplab_slot_csum = csum;
	swaplab_nr_slots = nr;
	swaplab_slot_cursor = 0;
	strscpy(swaplab_swap_path, clean, sizeof(swaplab_swap_path));
	up_write(&swaplab_swap_rwsem);

	swaplab_swap_inode = st.claimed;
	swaplab_swap_dev = st.dev;
	kvfree(old_csum);
	swaplab_swap_close(&old);
	if (st.file)
		pr_info("swap store %s: %lu slots in %u extents\n", clean, nr,
			st.nr_ext);
unlock:
	mutex_unlock(&swaplab_attach_mutex);
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
 * swaplab_swap_size_get() - size given to new swap files
 *
 * Return: bytes.
 */
u64 swaplab_swap_size_get(void)
{
	return READ_ONCE(swaplab_swapfile_size);
}

/**
 * swaplab_swap_size_set() - set the size given to new swap files
 * @bytes: a multiple of PAGE_SIZE, at least 16 pages, at most 1 TiB
 *
 * Takes effect when a regular file is next attached.
 *
 * Return: 0 or -EINVAL (nothing changes).
 */
int swaplab_swap_size_set(u64 bytes)
{
	if (bytes < 16 * PAGE_SIZE || bytes > SWAPLAB_SWAP_MAX_BYTES ||
	    !IS_ALIGNED(bytes, PAGE_SIZE))
		return -EINVAL;
	WRITE_ONCE(swaplab_swapfile_size, bytes);
	return 0;
}

/*
 * A switch of the store changes only while no slot is in use: answer
 * -EBUSY at once while one is, without waiting for the rwsem for write.
 * An I/O holds it for read, for as long as the store takes (a stalled
 * nbd server: up to nbd's timeout); a writer queued behind it would make
 * every fault and slot allocation queue behind the writer meanwhile. The
 * check under the rwsem stays: this one only spares the wait.
 */
static bool swaplab_swap_busy(void)
{
	return READ_ONCE(swaplab_slots_used);
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

	if (swaplab_swap_busy())
		return -EBUSY;
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
 * checksum that was never recorded. The checksums of an attached store
 * (4 bytes a slot) are allocated when they are switched on and freed when
 * they are switched off. Under the attach mutex, so that the store and
 * its slot count stay as they are meanwhile.
 *
 * Context: process context.
 * Return: 0, -EBUSY while a slot is in use, or -ENOMEM (nothing changes).
 */
int swaplab_swap_checksum_set(bool on)
{
	u32 *csum = NULL;
	int err = 0;

	if (swaplab_swap_busy())
		return -EBUSY;
	mutex_lock(&swaplab_attach_mutex);
	if (on && !swaplab_slot_csum && swaplab_nr_slots) {
		csum = kvcalloc(swaplab_nr_slots, sizeof(*csum), GFP_KERNEL);
		if (!csum) {
			err = -ENOMEM;
			goto unlock;
		}
	}
	down_write(&swaplab_swap_rwsem);
	if (READ_ONCE(swaplab_slots_used)) {
		err = -EBUSY;
	} else {
		WRITE_ONCE(swaplab_swap_checksum, on);
		if (csum || !on)
			swap(csum, swaplab_slot_csum);
	}
	up_write(&swaplab_swap_rwsem);
unlock:
	mutex_unlock(&swaplab_attach_mutex);
	kvfree(csum);
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
 * swaplab_swap_slot_alloc() - allocate a run of contiguous slots
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
unsigned long swaplab_swap_slot_alloc(unsigned int nr, unsigned int *got)
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
 * swaplab_swap_slot_free() - free one slot
 * @slot: an allocated slot
 *
 * Context: any process context.
 */
void swaplab_swap_slot_free(unsigned long slot)
{
	/* Its copy in memory goes first: the slot may be written again. */
	swaplab_pagebuf_forget(slot);
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
 * swaplab_swap_slots_in_use() - slots holding a page
 *
 * Return: the number of allocated slots.
 */
unsigned long swaplab_swap_slots_in_use(void)
{
	return READ_ONCE(swaplab_slots_used);
}

/**
 * swaplab_swap_metadata() - the kernel memory the store's bookkeeping takes
 * @md: filled in, in bytes: the slot bitmap, the checksums (only while
 *	they are on), the extent map and the cipher's bounce pages; and the
 *	store's size in slots
 *
 * Context: process context; takes the rwsem for reading.
 */
void swaplab_swap_metadata(struct swaplab_swap_metadata *md)
{
	down_read(&swaplab_swap_rwsem);
	md->slots = swaplab_nr_slots;
	md->slot_map_bytes = swaplab_slot_map ?
		BITS_TO_LONGS(swaplab_nr_slots) * sizeof(long) : 0;
	md->csum_bytes = swaplab_slot_csum ?
		swaplab_nr_slots * sizeof(*swaplab_slot_csum) : 0;
	md->extent_bytes = swaplab_store.ext_cap * sizeof(*swaplab_store.ext);
	md->crypt_bytes = swaplab_crypt_bytes(swaplab_swap_crypt);
	up_read(&swaplab_swap_rwsem);
}

/**
 * swaplab_swap_slots_total() - size of the backing store in slots
 *
 * Return: slots, 0 without a store.
 */
unsigned long swaplab_swap_slots_total(void)
{
	return READ_ONCE(swaplab_nr_slots);
}

/*
 * The extent holding @slot: its device sector in *@sector and how many of
 * @nr slots from @slot on it holds. Under the rwsem.
 */
static unsigned long swaplab_swap_extent(unsigned long slot, unsigned long nr,
					 sector_t *sector)
{
	const struct swaplab_extent *e = swaplab_store.ext;
	unsigned int lo = 0, hi = swaplab_store.nr_ext, mid;

	/* The last extent starting at or before @slot. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (e[mid].slot <= slot)
			lo = mid;
		else
			hi = mid;
	}
	e += lo;
	*sector = e->sector +
		  ((sector_t)(slot - e->slot) << (PAGE_SHIFT - SECTOR_SHIFT));
	return min(nr, e->slot + e->nr - slot);
}

/*
 * The bios of an I/O of @nr pages (at most %SWAPLAB_IO_MAX, which is no
 * more than a bio holds) at @slot: one per extent the run crosses (one,
 * nearly always), chained, so that they are all in flight at once and
 * waited for once; the first error of any is the answer. All but the
 * last are submitted; the last, returned, is the caller's to submit.
 * Under the rwsem.
 */
static struct bio *swaplab_swap_bios(struct page **pages, unsigned int nr,
				     unsigned long slot, blk_opf_t opf)
{
	unsigned int done = 0, run, i;
	struct bio *bio = NULL;
	sector_t sector;

	BUILD_BUG_ON(SWAPLAB_IO_MAX > BIO_MAX_VECS);
	while (done < nr) {
		run = swaplab_swap_extent(slot + done, nr - done, &sector);
		/* Submits the bio before, chained to this one. */
		bio = blk_next_bio(bio, swaplab_store.bdev, run, opf, GFP_NOIO);
		bio->bi_iter.bi_sector = sector;
		for (i = 0; i < run; i++)
			__bio_add_page(bio, pages[done + i], PAGE_SIZE, 0);
		done += run;
	}
	return bio;
}

/* Synchronous I/O of @nr pages at @slot. Under the rwsem. */
static int swaplab_swap_rw(struct page **pages, unsigned int nr,
			   unsigned long slot, bool write)
{
	blk_opf_t opf = write ? REQ_OP_WRITE | REQ_SYNC | REQ_IDLE | REQ_SWAP :
				REQ_OP_READ | REQ_SWAP;
	struct bio *bio = swaplab_swap_bios(pages, nr, slot, opf);
	int err;

	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/*
 * Record checksums and write; with encryption on, as many writes as
 * bounce batches, each of ciphertext. Under the rwsem.
 */
static int swaplab_swap_write(struct page **pages, unsigned int nr,
			      unsigned long slot)
{
	struct page *out[SWAPLAB_CRYPT_BATCH];
	struct swaplab_crypt *c = swaplab_swap_crypt;
	unsigned int i, run;
	int err;

	if (!c) {
		if (swaplab_swap_checksum)
			for (i = 0; i < nr; i++)
				swaplab_slot_csum[slot + i] =
					swaplab_csum_page(pages[i]);
		return swaplab_swap_rw(pages, nr, slot, true);
	}
	for (; nr; nr -= run, pages += run, slot += run) {
		run = min_t(unsigned int, nr, SWAPLAB_CRYPT_BATCH);
		err = swaplab_crypt_encrypt(c, pages, run, slot, out);
		if (err)
			return err;
		if (swaplab_swap_checksum)
			for (i = 0; i < run; i++)
				swaplab_slot_csum[slot + i] =
					swaplab_csum_page(out[i]);
		err = swaplab_swap_rw(out, run, slot, true);
		swaplab_crypt_done(c);
		if (err)
			return err;
	}
	return 0;
}

/* Check the checksums of pages read, decrypt if asked. Under the rwsem. */
static int swaplab_swap_read_check(struct page **pages, unsigned int nr,
				   unsigned long slot)
{
	struct swaplab_crypt *c = swaplab_swap_crypt;
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		if (swaplab_swap_checksum &&
		    swaplab_csum_page(pages[i]) != swaplab_slot_csum[slot + i]) {
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

/* Read, check checksums, decrypt if asked. Under the rwsem. */
static int swaplab_swap_read(struct page **pages, unsigned int nr,
			     unsigned long slot)
{
	int err;

	err = swaplab_swap_rw(pages, nr, slot, false);
	return err ? err : swaplab_swap_read_check(pages, nr, slot);
}

/**
 * swaplab_swap_io() - read or write pages at a run of slots, directly
 * @pages: the pages, locked by the caller
 * @nr: how many, at most %SWAPLAB_IO_MAX
 * @slot: the first slot; page i goes to slot + i
 * @write: true to write
 *
 * Synchronous bios straight to the store's device: no page cache and no
 * file system code. A write records each slot's checksum and, with encryption on, writes
 * ciphertext from bounce pages, leaving @pages unchanged. A read checks
 * each page against its slot's checksum before decrypting it in place;
 * on any error the contents of @pages are undefined.
 *
 * Context: process context, sleeps.
 * Return: 0 or a negative errno: -EIO (or another block layer error) for
 * a failed bio, -EBADMSG for a checksum mismatch, -ENODEV without a store.
 */
int swaplab_swap_io(struct page **pages, unsigned int nr, unsigned long slot,
		    bool write)
{
	int err;

	if (WARN_ON_ONCE(!nr || nr > SWAPLAB_IO_MAX))
		return -EINVAL;

	down_read(&swaplab_swap_rwsem);
	if (!swaplab_store.file || slot + nr > swaplab_nr_slots)
		err = -ENODEV;
	else if (write)
		err = swaplab_swap_write(pages, nr, slot);
	else
		err = swaplab_swap_read(pages, nr, slot);
	up_read(&swaplab_swap_rwsem);
	return err;
}

/*
 * Asynchronous reads (swaplab_swap_read_async()). Each holds the rwsem for
 * read from its submission to the end of its completion work, so that
 * the store, its checksums and its cipher stay as they were; it is taken
 * and released as a non-owner, since the work runs in another task. The
 * work runs on swaplab_aread_wq, drained at exit after the reads in
 * flight (swaplab_areads) have ended.
 */
struct swaplab_aread {
	struct work_struct work;
	swaplab_aread_done_t done;
	void *ctx;
	unsigned long slot;
	blk_status_t status;
	unsigned int nr;
	struct page *pages[];
};

static struct workqueue_struct *swaplab_aread_wq;
static atomic_t swaplab_areads = ATOMIC_INIT(0);

static void swaplab_aread_work(struct work_struct *work)
{
	struct swaplab_aread *ar = container_of(work, struct swaplab_aread,
						work);
	int err = blk_status_to_errno(ar->status);

	if (!err)
		err = swaplab_swap_read_check(ar->pages, ar->nr, ar->slot);
	up_read_non_owner(&swaplab_swap_rwsem);
	ar->done(ar->ctx, err);
	kfree(ar);
	if (atomic_dec_and_test(&swaplab_areads))
		wake_up_var(&swaplab_areads);
}

/* Interrupt context: the checks and the caller's completion go to work. */
static void swaplab_aread_end(struct bio *bio)
{
	struct swaplab_aread *ar = bio->bi_private;

	ar->status = bio->bi_status;
	bio_put(bio);
	queue_work(swaplab_aread_wq, &ar->work);
}

/**
 * swaplab_swap_read_async() - start reading pages from a run of slots
 * @pages: the pages, locked by the caller until @done
 * @nr: how many, at most %SWAPLAB_IO_MAX
 * @slot: the first slot; page i comes from slot + i
 * @done: called once the read has ended and its pages are checked and
 *	decrypted, in process context (a work item), with 0 or a negative
 *	errno as swaplab_swap_io() returns it
 * @ctx: for @done
 *
 * The read of swaplab_swap_io(), without the wait: for readahead that
 * runs while the faulting task goes on.
 *
 * Context: process context; does not wait for the I/O.
 * Return: 0 when the read is under way (@done will be called), or a
 * negative errno and @done is not called: -ENODEV without a store,
 * -ENOMEM.
 */
int swaplab_swap_read_async(struct page **pages, unsigned int nr,
			    unsigned long slot, swaplab_aread_done_t done,
			    void *ctx)
{
	struct swaplab_aread *ar;
	struct bio *bio;

	if (WARN_ON_ONCE(!nr || nr > SWAPLAB_IO_MAX))
		return -EINVAL;
	ar = kmalloc(struct_size(ar, pages, nr),
		     GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN);
	if (!ar)
		return -ENOMEM;
	INIT_WORK(&ar->work, swaplab_aread_work);
	ar->done = done;
	ar->ctx = ctx;
	ar->slot = slot;
	ar->nr = nr;
	memcpy(ar->pages, pages, nr * sizeof(*pages));

	down_read_non_owner(&swaplab_swap_rwsem);
	if (!swaplab_store.file || slot + nr > swaplab_nr_slots) {
		up_read_non_owner(&swaplab_swap_rwsem);
		kfree(ar);
		return -ENODEV;
	}
	atomic_inc(&swaplab_areads);
	bio = swaplab_swap_bios(ar->pages, nr, slot, REQ_OP_READ | REQ_SWAP);
	bio->bi_end_io = swaplab_aread_end;
	bio->bi_private = ar;
	submit_bio(bio);
	return 0;
}

/**
 * swaplab_swap_init() - what the store needs before it is attached
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int swaplab_swap_init(void)
{
	swaplab_aread_wq = alloc_workqueue("swaplab_aread", WQ_MEM_RECLAIM, 0);
	return swaplab_aread_wq ? 0 : -ENOMEM;
}

/**
 * swaplab_swap_out() - write pages to a fresh run of slots
 * @pages: the pages, locked by the caller
 * @nr: how many, at most %SWAPLAB_IO_MAX
 * @got: set to how many were written, from the first: the run of free
 *	slots found may be shorter than @nr
 *
 * The page-out of reclaim and of the compressed tier's write-back: a run
 * of slots, one write, the counters (swap_full for all @nr when no slot
 * is free; swap_out_ios, swap_outs, io_errors) and the trace.
 *
 * Context: process context, sleeps.
 * Return: the first slot written, page i at slot + i; %SWAPLAB_NO_SLOT
 * when no slot was free or the write failed (its slots are free again).
 */
unsigned long swaplab_swap_out(struct page **pages, unsigned int nr,
			       unsigned int *got)
{
	unsigned long slot;
	unsigned int i;
	int err;

	slot = swaplab_swap_slot_alloc(nr, got);
	if (slot == SWAPLAB_NO_SLOT) {
		swaplab_count_events(SWAPLAB_SWAP_FULL, nr);
		return SWAPLAB_NO_SLOT;
	}
	err = swaplab_swap_io(pages, *got, slot, true);
	trace_swaplab_swap_out(slot, *got, err);
	swaplab_count_event(SWAPLAB_SWAP_OUT_IOS);
	if (err) {
		swaplab_count_event(SWAPLAB_IO_ERRORS);
		pr_err_ratelimited("page-out of %u pages at slot %lu failed: %d\n",
				   *got, slot, err);
		for (i = 0; i < *got; i++)
			swaplab_swap_slot_free(slot + i);
		return SWAPLAB_NO_SLOT;
	}
	swaplab_count_events(SWAPLAB_SWAP_OUTS, *got);
	return slot;
}

/**
 * swaplab_swap_exit() - detach the store at module exit
 *
 * Context: module exit; no slot is in use.
 */
void swaplab_swap_exit(void)
{
	/* The reads in flight end, then their work items. */
	wait_var_event(&swaplab_areads, !atomic_read(&swaplab_areads));
	destroy_workqueue(swaplab_aread_wq);
	WARN_ON_ONCE(swaplab_slots_used);
	/* Each page in the pool is the copy of a slot in use. */
	WARN_ON_ONCE(swaplab_pagebuf_pages());
	swaplab_pagebuf_trim(0);
	swaplab_swap_close(&swaplab_store);
	swaplab_swap_inode = NULL;
	swaplab_swap_dev = 0;
	kvfree(swaplab_slot_map);
	kvfree(swaplab_slot_csum);
	swaplab_crypt_destroy(swaplab_swap_crypt);
	swaplab_slot_map = NULL;
	swaplab_slot_csum = NULL;
	swaplab_swap_crypt = NULL;
}
