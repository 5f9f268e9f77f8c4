/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * swaplab user ABI: shared, as one copy, by the module, userspace/ and
 * selftests/.
 */
#ifndef _UAPI_SWAPLAB_H
#define _UAPI_SWAPLAB_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SWAPLAB_DEVICE		"/dev/swaplab"
#define SWAPLAB_SYSFS		"/sys/kernel/swaplab"

/**
 * struct swaplab_region_info - what SWAPLAB_IOC_REGION_INFO reports
 * @id: the region's number, unique while the module is loaded
 * @size: the region's size limit in bytes; mmap() beyond it is refused
 * @resident: pages of the region that hold a frame now
 * @reserved: zero; room to grow without a new ioctl number
 */
struct swaplab_region_info {
	__u64 id;
	__u64 size;
	__u64 resident;
	__u64 reserved[5];
};

#define SWAPLAB_IOC_MAGIC	0xB7

/* Describe the region behind this open file. */
#define SWAPLAB_IOC_REGION_INFO	_IOR(SWAPLAB_IOC_MAGIC, 0x01, struct swaplab_region_info)

#endif /* _UAPI_SWAPLAB_H */
