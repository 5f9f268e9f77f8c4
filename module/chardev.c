// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/swaplab: a misc device whose every open file is a region that
 * processes map with MAP_SHARED.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "swaplab.h"
#include "uapi/swaplab.h"

static int swaplab_open(struct inode *inode, struct file *file)
{
	struct swaplab_region *region;

	region = swaplab_region_create(swaplab_region_max() >> PAGE_SHIFT);
	if (IS_ERR(region))
		return PTR_ERR(region);

	/*
	 * Link this file's VMAs into the region's own address_space rather
	 * than the device inode's, which every open shares.
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
 */
static int swaplab_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct swaplab_region *region = file->private_data;

	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EOPNOTSUPP;
	if (vma->vm_pgoff >= region->max_pages ||
	    vma_pages(vma) > region->max_pages - vma->vm_pgoff)
		return -EINVAL;

	swaplab_vm_flags_set(vma, VM_DONTDUMP);
	vma->vm_ops = &swaplab_vm_ops;
	vma->vm_private_data = region;
	swaplab_region_get(region);
	return 0;
}

static long swaplab_ioctl_region_info(struct swaplab_region *region,
				      void __user *arg)
{
	struct swaplab_region_info info = {
		.id		= region->id,
		.size		= (u64)region->max_pages << PAGE_SHIFT,
		.resident	= atomic_long_read(&region->nr_resident),
	};

	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long swaplab_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct swaplab_region *region = file->private_data;

	switch (cmd) {
	case SWAPLAB_IOC_REGION_INFO:
		return swaplab_ioctl_region_info(region, (void __user *)arg);
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
 *
 * Context: module init, after everything the device's users need.
 * Return: 0 or a negative errno from misc_register().
 */
int swaplab_chardev_init(void)
{
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
