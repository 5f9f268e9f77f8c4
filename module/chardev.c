// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/swaplab: a misc device whose every open file is a region that
 * processes map with MAP_SHARED, or, after SWAPLAB_IOC_ATTACH, a named
 * region that unrelated processes share.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "swaplab.h"
#include "uapi/swaplab.h"

/**
 * struct swaplab_file - one open file of /dev/swaplab
 * @lock: protects @region and @mapped, so that an attach and a first
 *	mmap() cannot interleave
 * @region: the region, holding one reference; every VMA of the file uses
 *	it through the file
 * @mapped: mmap() was called; the region can no longer change
 */
struct swaplab_file {
	struct mutex lock;		/* protects region and mapped */
	struct swaplab_region *region;
	bool mapped;
};

static int swaplab_open(struct inode *inode, struct file *file)
{
	struct swaplab_file *sf;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;
	sf->region = swaplab_region_create(swaplab_region_max() >> PAGE_SHIFT);
	if (IS_ERR(sf->region)) {
		int err = PTR_ERR(sf->region);

		kfree(sf);
		return err;
	}
	mutex_init(&sf->lock);

	/*
	 * Link this file's VMAs into the region's own address_space rather
	 * than the device inode's, which every open shares.
	 */
	file->f_mapping = sf->region->inode->i_mapping;
	file->private_data = sf;
	return 0;
}

static int swaplab_release(struct inode *inode, struct file *file)
{
	struct swaplab_file *sf = file->private_data;

	swaplab_region_put(sf->region);
	mutex_destroy(&sf->lock);
	kfree(sf);
	return 0;
}

/*
 * Every mapping of one open file sees the region's pages at the file
 * offset it maps. MAP_PRIVATE would need copy-on-write of region pages,
 * which swaplab does not do: refuse it. VM_DONTDUMP keeps a core dump from
 * faulting in the whole region. VM_DONTEXPAND is left clear on purpose: it
 * is one of VM_SPECIAL, which would make mlock() a silent no-op, and a
 * mapping grown by mremap() past the region's end gets SIGBUS there.
 */
static int swaplab_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct swaplab_file *sf = file->private_data;
	struct swaplab_region *region;

	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EOPNOTSUPP;

	mutex_lock(&sf->lock);
	region = sf->region;
	if (vma->vm_pgoff >= region->max_pages ||
	    vma_pages(vma) > region->max_pages - vma->vm_pgoff) {
		mutex_unlock(&sf->lock);
		return -EINVAL;
	}
	sf->mapped = true;
	mutex_unlock(&sf->lock);

	swaplab_vm_flags_set(vma, VM_DONTDUMP);
	vma->vm_ops = &swaplab_vm_ops;
	vma->vm_private_data = region;
	return 0;
}

/* Switch an unmapped file to a named region. */
static long swaplab_ioctl_attach(struct file *file, struct swaplab_file *sf,
				 void __user *arg)
{
	struct swaplab_region *region, *old;
	struct swaplab_attach at;

	if (copy_from_user(&at, arg, sizeof(at)))
		return -EFAULT;

	mutex_lock(&sf->lock);
	/*
	 * An mmap() of this file in another process may be under way: the
	 * core mm counts it on file->f_mapping before it calls ->mmap. Deny
	 * writable mappings of the old address_space for good (it dies with
	 * the anonymous region): either that mmap is already counted and
	 * attaching fails, or it will fail with -EPERM.
	 */
	if (sf->mapped || sf->region->name[0] ||
	    mapping_deny_writable(file->f_mapping)) {
		mutex_unlock(&sf->lock);
		return -EBUSY;
	}
	region = swaplab_region_attach(&at, file->f_mode);
	if (IS_ERR(region)) {
		mapping_allow_writable(file->f_mapping);
		mutex_unlock(&sf->lock);
		return PTR_ERR(region);
	}
	old = sf->region;
	sf->region = region;
	file->f_mapping = region->inode->i_mapping;
	mutex_unlock(&sf->lock);

	swaplab_region_put(old);
	return 0;
}

static struct swaplab_region *swaplab_file_region(struct swaplab_file *sf)
{
	struct swaplab_region *region;

	mutex_lock(&sf->lock);
	region = sf->region;
	swaplab_region_get(region);
	mutex_unlock(&sf->lock);
	return region;
}

static long swaplab_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct swaplab_file *sf = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct swaplab_region_info info = { };
	struct swaplab_region *region;
	struct swaplab_range range;
	long err;

	switch (cmd) {
	case SWAPLAB_IOC_REGION_INFO:
		region = swaplab_file_region(sf);
		swaplab_region_info(region, &info);
		swaplab_region_put(region);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	case SWAPLAB_IOC_ATTACH:
		return swaplab_ioctl_attach(file, sf, uarg);
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
		region = swaplab_file_region(sf);
		err = swaplab_region_range(region, cmd, &range);
		swaplab_region_put(region);
		return err;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations swaplab_fops = {
	.owner		= THIS_MODULE,
	.open		= swaplab_open,
	.release	= swaplab_release,
	.mmap		= swaplab_mmap,
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
