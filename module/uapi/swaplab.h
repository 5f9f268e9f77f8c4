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
 * @swapped: pages of the region held in swap slots only
 * @pinned: pages of the region pinned with SWAPLAB_IOC_PIN
 * @reserved: zero; room to grow without a new ioctl number
 */
struct swaplab_region_info {
	__u64 id;
	__u64 size;
	__u64 resident;
	__u64 swapped;
	__u64 pinned;
	__u64 reserved[3];
};

#define SWAPLAB_NAME_MAX	64

/* swaplab_attach.flags */
#define SWAPLAB_ATTACH_CREATE	0x1	/* create the region if missing */
#define SWAPLAB_ATTACH_EXCL	0x2	/* with CREATE: fail if it exists */
#define SWAPLAB_ATTACH_CLOEXEC	0x4	/* the new descriptor is O_CLOEXEC */

/**
 * struct swaplab_attach - SWAPLAB_IOC_ATTACH's argument
 * @name: the region's name, NUL-terminated, 1 to 63 characters; names
 *	are per IPC namespace, as System V IPC keys are
 * @size: size limit in bytes when creating (a multiple of the page size);
 *	0 for region_max
 * @flags: %SWAPLAB_ATTACH_CREATE, %SWAPLAB_ATTACH_EXCL,
 *	%SWAPLAB_ATTACH_CLOEXEC
 * @mode: permission bits (as for a file: owner, group, others; read and
 *	write) when creating; 0 means 0600
 * @reserved: must be zero
 */
struct swaplab_attach {
	char name[SWAPLAB_NAME_MAX];
	__u64 size;
	__u32 flags;
	__u32 mode;
	__u64 reserved[4];
};

/**
 * struct swaplab_range - a byte range of the region, page aligned
 * @offset: first byte, a multiple of the page size
 * @length: bytes, a multiple of the page size, not 0
 */
struct swaplab_range {
	__u64 offset;
	__u64 length;
};

#define SWAPLAB_IOC_MAGIC	0xB7

/* Describe the region behind this open file. */
#define SWAPLAB_IOC_REGION_INFO	_IOR(SWAPLAB_IOC_MAGIC, 0x01, struct swaplab_region_info)
/*
 * Open the named region: returns a new file descriptor for it, with this
 * file's access mode. This file is left as it was. (Number 0x02 was an
 * ATTACH that switched this file itself to the named region; it is
 * retired and fails with ENOTTY.)
 */
#define SWAPLAB_IOC_ATTACH	_IOW(SWAPLAB_IOC_MAGIC, 0x07, struct swaplab_attach)
/* Bring a range in and keep it resident until unpinned. */
#define SWAPLAB_IOC_PIN		_IOW(SWAPLAB_IOC_MAGIC, 0x03, struct swaplab_range)
#define SWAPLAB_IOC_UNPIN	_IOW(SWAPLAB_IOC_MAGIC, 0x04, struct swaplab_range)
/* Read the swapped-out pages of a range in now (will-need). */
#define SWAPLAB_IOC_PREFETCH	_IOW(SWAPLAB_IOC_MAGIC, 0x05, struct swaplab_range)
/* Drop a range's frames and slots: it reads as zeroes afterwards. */
#define SWAPLAB_IOC_DISCARD	_IOW(SWAPLAB_IOC_MAGIC, 0x06, struct swaplab_range)
/*
 * Record mode, for `swaplab record`: keep at most this many pages of the
 * region mapped (a __u32, 1 to SWAPLAB_RECORD_WINDOW_MAX; 0 turns it off),
 * so that every other touch of a page faults and shows in the
 * swaplab_fault tracepoint. Needs a writable file.
 */
#define SWAPLAB_IOC_RECORD	_IOW(SWAPLAB_IOC_MAGIC, 0x08, __u32)
#define SWAPLAB_RECORD_WINDOW_MAX	16

#endif /* _UAPI_SWAPLAB_H */
