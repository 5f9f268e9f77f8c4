// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/swaplab: a misc device whose every open file is a region that
 * processes map with MAP_SHARED; SWAPLAB_IOC_ATTACH opens a named region,
 * which unrelated processes of one IPC namespace share, as a new file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "chardev.h"
#include "lib/compat.h"
#include "mm/coherence.h"
#include "mm/fault.h"
#include "mm/file.h"
#include "mm/move.h"
#include "pager/pager.h"
#include "mm/range.h"
#include "mm/record.h"
#include "mm/region.h"
#include "uapi/swaplab.h"
#include "mm/vma.h"

/*
 * Each open of /dev/swaplab is a new anonymous region; the file holds the
 * one reference that open took, in private_data, until it is released.
 * An open file's region, and so its f_mapping, never changes: a named
 * region is reached through a new file (SWAPLAB_IOC_ATTACH).
 */
static int swaplab_open(struct inode *inode, struct file *file)
{
	struct swaplab_region *region;

	region = swaplab_region_create(swaplab_region_max() >> PAGE_SHIFT);
	if (IS_ERR(region))
		return PTR_ERR(region);

	/*
	 * Link this file's VMAs into the region's own address_space rather
	 * than the device inode's, which every open shares. Nothing has
	 * seen the file yet.
	 */
	file->f_mapping = region->inode->i_mapping;
	file->private_data = region;
	return 0;
}

static int swaplab_release(struct inode *inode, struct file *file)
{
	swaplab_region_put(file->private_data);
	return 0;
}

/*
 * Every mapping of one open file sees the region's pages at the file
 * offset it maps. MAP_PRIVATE would need copy-on-write of region pages,
 * which swaplab does not do: refuse it. VM_DONTDUMP keeps a core dump from
 * faulting in the whole region. VM_DONTEXPAND is left clear on purpose: it
 * is one of VM_SPECIAL, which would make mlock() a silent no-op, and a
 * mapping grown by mremap() past the region's end gets SIGBUS there.
 * The one exception is a mapping made while the knob fault_around or
 * map_at_move is 1: it is VM_MIXEDMAP, so that the fault path may map the
 * pages it read ahead, and a move the pages it brings, with
 * vm_insert_pages() under the mmap lock held for reading; and mlock() on
 * it does nothing (the admin guide says so).
 */
static int swaplab_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct swaplab_region *region = file->private_data;

	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EOPNOTSUPP;
	/*
	 * A region of a file maps for execution only what the file's mount
	 * would, as mmap() of the file itself. (Its region file's mode has
	 * already refused a shared writable mapping of a file that is not
	 * open for writing.)
	 */
	if (region->file && swaplab_file_noexec(region)) {
		if (vma->vm_flags & VM_EXEC)
			return -EPERM;
		swaplab_vm_flags_clear(vma, VM_MAYEXEC);
	}
	if (vma->vm_pgoff >= region->max_pages ||
	    vma_pages(vma) > region->max_pages - vma->vm_pgoff)
		return -EINVAL;

	swaplab_vm_flags_set(vma, VM_DONTDUMP |
			     (swaplab_fault_around() || swaplab_move_map() ?
			      VM_MIXEDMAP : 0));
	if (vma->vm_flags & VM_EXEC)
		WRITE_ONCE(region->exec, true);
	vma->vm_ops = &swaplab_vma_ops;
	vma->vm_private_data = region;
	swaplab_region_map(region, vma->vm_pgoff + vma_pages(vma));
	return 0;
}

static const struct file_operations swaplab_fops;

/*
 * SWAPLAB_IOC_ATTACH: open the named region as a new file, with this
 * file's access mode, and return its descriptor. This file is not
 * touched: other threads may be using it, and its mappings stay on its
 * own region.
 */
static long swaplab_ioctl_attach(struct file *file, void __user *arg)
{
	struct swaplab_region *region;
	struct swaplab_attach at;
	struct file *nfile;
	int fd;

	if (copy_from_user(&at, arg, sizeof(at)))
		return -EFAULT;
	region = swaplab_region_attach(&at, file->f_mode);
	if (IS_ERR(region))
		return PTR_ERR(region);

	fd = get_unused_fd_flags(at.flags & SWAPLAB_ATTACH_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0)
		goto put_region;
	/* The new file pins the module as an open of the device does. */
	__module_get(THIS_MODULE);
	nfile = swaplab_region_file(region, file->f_flags & O_ACCMODE,
				    &swaplab_fops);
	if (IS_ERR(nfile)) {
		module_put(THIS_MODULE);
		put_unused_fd(fd);
		fd = PTR_ERR(nfile);
		goto put_region;
	}
	fd_install(fd, nfile);
	return fd;

put_region:
	swaplab_region_put(region);
	return fd;
}

/*
 * SWAPLAB_IOC_FILE: a new region of a range of a file, as a new file whose
 * descriptor is returned. Its access mode is the file's, so that its
 * mappings can do nothing the file's descriptor could not: read-only for
 * a shared region of a file not open for writing. A private region's
 * writes never reach the file, so it is writable whatever the file's mode.
 */
static long swaplab_ioctl_file(void __user *arg)
{
	struct swaplab_region *region;
	struct swaplab_file_map fm;
	struct file *backing, *nfile;
	int fd, flags;
	long err;

	if (copy_from_user(&fm, arg, sizeof(fm)))
		return -EFAULT;
	backing = fget(fm.fd);
	if (!backing)
		return -EBADF;
	err = swaplab_file_claim(backing, &fm);
	if (err)
		goto put_backing;
	flags = (fm.flags & SWAPLAB_FILE_PRIVATE) ||
		(backing->f_mode & FMODE_WRITE) ? O_RDWR : O_RDONLY;
	region = swaplab_region_create_file(backing, &fm);
	if (IS_ERR(region)) {
		swaplab_file_unclaim(backing, &fm);
		err = PTR_ERR(region);
		goto put_backing;
	}
	err = swaplab_filewatch_add(region);
	if (err)
		goto put_region;
	fd = get_unused_fd_flags(fm.flags & SWAPLAB_FILE_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		err = fd;
		goto put_region;
	}
	/* The new file pins the module as an open of the device does. */
	__module_get(THIS_MODULE);
	nfile = swaplab_region_file(region, flags, &swaplab_fops);
	if (IS_ERR(nfile)) {
		module_put(THIS_MODULE);
		put_unused_fd(fd);
		err = PTR_ERR(nfile);
		goto put_region;
	}
	fd_install(fd, nfile);
	fput(backing);
	return fd;

put_region:
	/* Its release gives the claim back with the file. */
	swaplab_region_put(region);
put_backing:
	fput(backing);
	return err;
}

/*
 * fsync(), and msync(MS_SYNC) of a mapping: a shared region of a file
 * writes its dirty pages back and syncs the file; any other region has
 * nothing to make durable (its pages are memory, and the store does not
 * outlive the module).
 */
static int swaplab_fsync(struct file *file, loff_t start, loff_t end,
			 int datasync)
{
	struct swaplab_region *region = file->private_data;

	if (!swaplab_file_shared(region))
		return 0;
	return swaplab_range_sync(region, start, end, datasync);
}

static struct miscdevice swaplab_misc;

/*
 * Is @file an open of the device node itself, rather than a region's file
 * from SWAPLAB_IOC_ATTACH? Both have these file operations, but only the
 * node's inode says who administers swaplab: a region file's inode
 * belongs to whoever created the region.
 */
static bool swaplab_file_is_node(struct file *file)
{
	struct inode *inode = file_inode(file);

	return S_ISCHR(inode->i_mode) &&
	       inode->i_rdev == MKDEV(MISC_MAJOR, swaplab_misc.minor);
}

/*
 * SWAPLAB_IOC_PAGER_ATTACH: attach as the external pager (pager.c) and
 * return the pager file's descriptor, after the ring's size is copied
 * out: a descriptor is only installed once nothing can fail. Only on an
 * open of the device node (ENOTTY on a region's file): who may attach is
 * decided against the node.
 */
static long swaplab_ioctl_pager(struct file *file, void __user *arg)
{
	struct swaplab_pager_attach at;
	struct file *pfile;
	int fd;

	if (!swaplab_file_is_node(file))
		return -ENOTTY;
	if (copy_from_user(&at, arg, sizeof(at)))
		return -EFAULT;
	pfile = swaplab_pager_file(file_inode(file), &at);
	if (IS_ERR(pfile))
		return PTR_ERR(pfile);
	fd = get_unused_fd_flags(at.flags & SWAPLAB_PAGER_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0)
		goto put;
	if (copy_to_user(arg, &at, sizeof(at))) {
		put_unused_fd(fd);
		fd = -EFAULT;
		goto put;
	}
	fd_install(fd, pfile);
	return fd;
put:
	fput(pfile);
	return fd;
}

/*
 * SWAPLAB_IOC_PAGER_CLAIM: the pager whose file descriptor is the argument
 * keeps this region's pages (pagerdata.c). Changing where the region's
 * pages live needs a writable file, as discarding them does; and since
 * the pager is then handed their contents, a readable one too, as
 * MOVE's source needs: a write-only file of a mailbox region gives no
 * way to read it.
 */
static long swaplab_ioctl_claim(struct file *file, __s32 __user *uarg)
{
	struct file *pager;
	__s32 fd;
	long err;

	if (get_user(fd, uarg))
		return -EFAULT;
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return -EBADF;
	pager = fget(fd);
	if (!pager)
		return -EBADF;
	err = swaplab_pager_claim(pager, file->private_data);
	fput(pager);
	return err;
}

/*
 * SWAPLAB_IOC_SET_WEIGHT: the weight of the region's process, for the
 * proportional allocator and load control. Whoever may set the region's
 * paging mode may lower it; raising it above the default is a claim on
 * others' frames, and needs CAP_SYS_NICE, as raising a priority does.
 */
static long swaplab_ioctl_weight(struct file *file, void __user *uarg)
{
	struct swaplab_region *region = file->private_data;
	__u32 weight;

	if (copy_from_user(&weight, uarg, sizeof(weight)))
		return -EFAULT;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!weight || weight > SWAPLAB_WEIGHT_MAX)
		return -EINVAL;
	if (!swaplab_region_owned(region) ||
	    (weight > SWAPLAB_WEIGHT_DEFAULT && !capable(CAP_SYS_NICE)))
		return -EPERM;
	swaplab_region_set_weight(region, weight);
	return 0;
}

/*
 * SWAPLAB_IOC_MOVE: this region's pages to the region of another file of
 * the device, or elsewhere in this one. Both change: both files must be
 * open for writing; and the source for reading too, since its pages can
 * then be read at the destination (both for reading and writing for an
 * exchange, whose pages go both ways). @done is copied out whatever the
 * result.
 */
static long swaplab_ioctl_move(struct file *file,
			       struct swaplab_move __user *uarg)
{
	struct swaplab_move mv;
	struct file *dfile;
	long err;

	if (copy_from_user(&mv, uarg, sizeof(mv)))
		return -EFAULT;
	mv.done = 0;
	dfile = fget(mv.dst_fd);
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE) || !dfile)
		err = -EBADF;
	else if (dfile->f_op != &swaplab_fops)
		err = -EINVAL;
	else if (!(dfile->f_mode & FMODE_WRITE))
		err = -EBADF;
	/* An exchange gives the caller the destination's pages. */
	else if ((mv.flags & SWAPLAB_MOVE_EXCHANGE) &&
		 !(dfile->f_mode & FMODE_READ))
		err = -EBADF;
	else
		err = swaplab_move_range(file->private_data,
					 dfile->private_data, &mv);
	if (dfile)
		fput(dfile);
	if (put_user(mv.done, &uarg->done))
		return -EFAULT;
	return err;
}

/*
 * SWAPLAB_IOC_PAGER_LOCK: the data pager that claimed this region takes
 * pages of it back (mm/coherence.c). The same file mode as the claim;
 * only the claiming pager's file names the caller as that pager. @done
 * is copied out whatever the result, but for an argument not read.
 */
static long swaplab_ioctl_pager_lock(struct file *file,
				     struct swaplab_pager_lock __user *uarg)
{
	struct swaplab_pager_lock lk;
	struct file *pager;
	long err;

	if (copy_from_user(&lk, uarg, sizeof(lk)))
		return -EFAULT;
	lk.done = 0;
	pager = fget(lk.pager_fd);
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE) || !pager)
		err = -EBADF;
	else
		err = swaplab_pager_claimer(pager, file->private_data);
	if (!err)
		err = swaplab_coherence_lock(file->private_data, &lk);
	if (pager)
		fput(pager);
	if (put_user(lk.done, &uarg->done))
		return -EFAULT;
	return err;
}

static long swaplab_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct swaplab_region *region = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct swaplab_region_info info = { };
	struct swaplab_range range;
	__u32 record;

	switch (cmd) {
	case SWAPLAB_IOC_REGION_INFO:
		swaplab_region_info(region, &info);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	case SWAPLAB_IOC_ATTACH:
		return swaplab_ioctl_attach(file, uarg);
	case SWAPLAB_IOC_PAGER_ATTACH:
		return swaplab_ioctl_pager(file, uarg);
	case SWAPLAB_IOC_PAGER_CLAIM:
		return swaplab_ioctl_claim(file, uarg);
	case SWAPLAB_IOC_PAGER_LOCK:
		return swaplab_ioctl_pager_lock(file, uarg);
	case SWAPLAB_IOC_PIN:
	case SWAPLAB_IOC_UNPIN:
	case SWAPLAB_IOC_PREFETCH:
	case SWAPLAB_IOC_DISCARD:
		if (copy_from_user(&range, uarg, sizeof(range)))
			return -EFAULT;
		/* Changing a region's pages needs a writable file; reading them
		 * in, a readable one.
		 */
		if (!(file->f_mode & (cmd == SWAPLAB_IOC_PREFETCH ? FMODE_READ :
							 FMODE_WRITE)))
			return -EBADF;
		return swaplab_range_ioctl(region, cmd, &range);
	case SWAPLAB_IOC_SET_WEIGHT:
		return swaplab_ioctl_weight(file, uarg);
	case SWAPLAB_IOC_MOVE:
		return swaplab_ioctl_move(file, uarg);
	case SWAPLAB_IOC_FILE:
		return swaplab_ioctl_file(uarg);
	case SWAPLAB_IOC_RECORD:
		if (copy_from_user(&record, uarg, sizeof(record)))
			return -EFAULT;
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		/* It changes the paging of everyone who maps the region. */
		if (!swaplab_region_owned(region))
			return -EPERM;
		return swaplab_record_set(region, record);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations swaplab_fops = {
	.owner		= THIS_MODULE,
	.open		= swaplab_open,
	.release	= swaplab_release,
	.mmap		= swaplab_mmap,
	.fsync		= swaplab_fsync,
	.unlocked_ioctl	= swaplab_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice swaplab_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "swaplab",
	.fops	= &swaplab_fops,
	.mode	= 0600,
};

/**
 * swaplab_chardev_init() - create /dev/swaplab
 * @mode: the node's permission bits (the dev_mode parameter, 0600 unless
 *	the administrator widens it)
 *
 * Context: module init, after everything the device's users need.
 * Return: 0 or a negative errno from misc_register().
 */
int swaplab_chardev_init(umode_t mode)
{
	swaplab_misc.mode = mode;
	return misc_register(&swaplab_misc);
}

/**
 * swaplab_chardev_exit() - remove /dev/swaplab
 *
 * Context: module exit; no file is open (each pins the module).
 */
void swaplab_chardev_exit(void)
{
	misc_deregister(&swaplab_misc);
}
