// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab: a loadable module for experimenting with swap policy.
 *
 * Bring-up order: frame budget, region bookkeeping, policies, backing
 * store, sysfs, the page daemon, and /dev/swaplab last, so that nothing
 * can open the device before what it needs exists. Teardown runs in
 * reverse, except that the daemon stops first (kswapd_stop()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "chardev.h"
#include "lib/compat.h"
#include "store/compress.h"
#include "store/csum.h"
#include "mm/daemon.h"
#include "debugfs.h"
#include "alloc/frames.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "mm/loadctl.h"
#include "api/policy.h"
#include "ext/policy.h"
#include "alloc/proc.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "sysfs.h"
#include "mm/tick.h"

/*
 * The built-in policies (policy_list.h) and the external pager's, registered
 * at load. They are listed here, not in the registry (policy.c), which
 * they call.
 */
static struct swaplab_policy_ops *swaplab_builtin_policies[] = {
#define SWAPLAB_POLICY(name) (&swaplab_policy_##name),
#include "api/policy_list.h"
#undef SWAPLAB_POLICY
	&swaplab_policy_pager,
};

/* Load-time values; each knob's run-time home is in /sys/kernel/swaplab/. */
static unsigned long frames = SWAPLAB_FRAMES_DEFAULT;
module_param(frames, ulong, 0);
MODULE_PARM_DESC(frames, "Frame budget in pages (default 4096)");

static char *swapfile;
module_param(swapfile, charp, 0);
MODULE_PARM_DESC(swapfile, "Backing store: a regular file (created, fully allocated) or a block device");

static char *swapfile_size;
module_param(swapfile_size, charp, 0);
MODULE_PARM_DESC(swapfile_size, "Size of a new swap file, bytes with optional K/M/G (default 64M)");

static bool encrypt;
module_param(encrypt, bool, 0);
MODULE_PARM_DESC(encrypt, "Encrypt swap with AES-XTS under a key made at load time (default 0)");

static bool checksum = true;
module_param(checksum, bool, 0);
MODULE_PARM_DESC(checksum, "Check a crc32c of every page read back from swap (default 1)");

static char *compress;
module_param(compress, charp, 0);
MODULE_PARM_DESC(compress, "Compressed tier: off, or a compression algorithm such as lz4 (default off)");

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0);
MODULE_PARM_DESC(dev_mode, "Permission bits of /dev/swaplab, at most 0666 (default 0600)");

static int __init swaplab_params(void)
{
	u64 size;

	if (frames < SWAPLAB_FRAMES_MIN || frames > totalram_pages()) {
		pr_err("frames=%lu out of range [%lu, %lu]\n", frames,
		       SWAPLAB_FRAMES_MIN, totalram_pages());
		return -EINVAL;
	}
	if (dev_mode & ~0666) {
		pr_err("dev_mode=%#o: only read and write bits (at most 0666)\n",
		       dev_mode);
		return -EINVAL;
	}
	swaplab_frames_init(frames);
	swaplab_shadow_init();
	swaplab_pagerdata_init();
	if (swapfile_size && (swaplab_sysfs_parse_size(swapfile_size, &size) ||
			      swaplab_swap_size_set(size))) {
		pr_err("swapfile_size=%s: not a size between 64K and 1T in pages\n",
		       swapfile_size);
		return -EINVAL;
	}
	return 0;
}

/*
 * The pager went away, or does not decide (@why): the default takes the
 * pager policy's place, as when an eBPF policy is unloaded.
 */
static void swaplab_pager_gone(const char *why)
{
	if (!swaplab_policy_leave(&swaplab_policy_pager))
		return;
	swaplab_count_event(SWAPLAB_PAGER_EJECTIONS);
	pr_info_ratelimited("the pager %s: policy %s in place of pager\n",
			    why, SWAPLAB_DEFAULT_POLICY);
}

static int __init swaplab_init(void)
{
	int err;

	err = swaplab_params();
	if (err)
		return err;

	err = swaplab_region_init();
	if (err)
		return err;

	err = swaplab_policy_init(swaplab_builtin_policies,
				  ARRAY_SIZE(swaplab_builtin_policies));
	if (err)
		goto exit_region;
	swaplab_pager_set_gone(swaplab_pager_gone);

	/* Before any slot is written: it picks how checksums are made. */
	swaplab_csum_init();
	err = swaplab_compress_init();
	if (err)
		goto exit_csum;
	if (compress && compress[0]) {
		err = swaplab_compress_select(compress);
		if (err) {
			pr_err("compress=%s: %d\n", compress, err);
			goto exit_compress;
		}
	}
	err = swaplab_swap_init();
	if (err)
		goto exit_compress;
	if (swapfile && swapfile[0]) {
		err = swaplab_swap_attach(swapfile);
		if (err) {
			pr_err("swapfile=%s: %d\n", swapfile, err);
			goto exit_swap;
		}
	}
	err = swaplab_swap_checksum_set(checksum);
	if (!err && encrypt) {
		err = swaplab_swap_encrypt_set(true);
		if (err)
			pr_err("encrypt=1: no xts(aes) cipher: %d\n", err);
	}
	if (err)
		goto exit_swap;

	err = swaplab_sysfs_init();
	if (err)
		goto exit_swap;

	swaplab_debugfs_init();

	err = swaplab_daemon_init();
	if (err)
		goto exit_debugfs;

	err = swaplab_chardev_init(dev_mode);
	if (err)
		goto exit_daemon;

	/* Last: it cannot be undone, and programs may attach at once. */
	swaplab_bpf_init();
	pr_info("loaded: %lu frames\n", frames);
	return 0;

exit_daemon:
	swaplab_daemon_exit();
exit_debugfs:
	swaplab_debugfs_exit();
	swaplab_sysfs_exit();
exit_swap:
	swaplab_swap_exit();
exit_compress:
	swaplab_compress_exit();
exit_csum:
	swaplab_csum_exit();
	swaplab_tick_exit();
	swaplab_policy_exit(swaplab_builtin_policies,
			    ARRAY_SIZE(swaplab_builtin_policies));
exit_region:
	swaplab_region_exit();
	return err;
}

static void __exit swaplab_exit(void)
{
	swaplab_daemon_exit();
	swaplab_chardev_exit();
	swaplab_debugfs_exit();
	swaplab_sysfs_exit();
	/* After sysfs: no write of load_control starts the work again. */
	swaplab_loadctl_exit();
	swaplab_swap_exit();
	swaplab_compress_exit();
	swaplab_csum_exit();
	swaplab_tick_exit();
	swaplab_policy_exit(swaplab_builtin_policies,
			    ARRAY_SIZE(swaplab_builtin_policies));
	swaplab_region_exit();
	swaplab_proc_exit();
}

module_init(swaplab_init);
module_exit(swaplab_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The swaplab developers");
MODULE_DESCRIPTION("Demand paging with a frame budget, own swap and pluggable replacement policies");
