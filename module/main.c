// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab: a loadable module for experimenting with swap policy.
 *
 * Bring-up order: frame budget, sysfs, then /dev/swaplab last, so that
 * nothing can open the device before what it needs exists. Teardown runs
 * in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "swaplab.h"

/* Load-time value; /sys/kernel/swaplab/frames is the knob's runtime home. */
static unsigned long frames = SWAPLAB_FRAMES_DEFAULT;
module_param(frames, ulong, 0);
MODULE_PARM_DESC(frames, "Frame budget in pages (default 4096); see /sys/kernel/swaplab/frames");

static int __init swaplab_init(void)
{
	int err;

	if (frames < SWAPLAB_FRAMES_MIN || frames > totalram_pages()) {
		pr_err("frames=%lu out of range [%lu, %lu]\n", frames,
		       SWAPLAB_FRAMES_MIN, totalram_pages());
		return -EINVAL;
	}
	swaplab_frames_init(frames);

	err = swaplab_sysfs_init();
	if (err)
		return err;

	err = swaplab_chardev_init();
	if (err)
		goto exit_sysfs;

	pr_info("loaded: %lu frames\n", frames);
	return 0;

exit_sysfs:
	swaplab_sysfs_exit();
	return err;
}

static void __exit swaplab_exit(void)
{
	swaplab_chardev_exit();
	swaplab_sysfs_exit();
	swaplab_region_exit();
}

module_init(swaplab_init);
module_exit(swaplab_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The swaplab developers");
MODULE_DESCRIPTION("Demand paging with a frame budget, for experimenting with swap policy");
