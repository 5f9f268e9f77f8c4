/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels swaplab supports (6.1 and 6.12), kept in
 * one place so that no other file tests LINUX_VERSION_CODE.
 */
#ifndef _SWAPLAB_COMPAT_H
#define _SWAPLAB_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/* vm_flags became read-only behind vm_flags_set() in 6.3. */
static inline void swaplab_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

#endif /* _SWAPLAB_COMPAT_H */
