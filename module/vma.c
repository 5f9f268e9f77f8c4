// SPDX-License-Identifier: GPL-2.0
/*
 * The vm_operations of a /dev/swaplab mapping: reference counting of the
 * region per VMA, and the page fault handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mm.h>

#include "swaplab.h"

/* Fork and VMA splits copy vm_private_data; each copy holds a reference. */
static void swaplab_vma_open(struct vm_area_struct *vma)
{
	swaplab_region_get(vma->vm_private_data);
}

static void swaplab_vma_close(struct vm_area_struct *vma)
{
	swaplab_region_put(vma->vm_private_data);
}

/*
 * Demand paging, in the textbook order: the hardware trapped and the core
 * mm found the VMA and the page offset (vmf->pgoff, from CR2 on x86).
 * Check that the page lies inside the region; find its frame, or take a
 * free one (waiting for the page daemon if there is none) and fill it from
 * the swap slot or with zeroes; hand it back locked so that the core mm
 * maps it and the faulting instruction restarts.
 */
static vm_fault_t swaplab_vma_fault(struct vm_fault *vmf)
{
	struct swaplab_region *region = vmf->vma->vm_private_data;
	bool major = false;
	struct page *page;

	swaplab_count_event(SWAPLAB_FAULTS);

	if (vmf->pgoff >= region->max_pages) {
		swaplab_count_event(SWAPLAB_SIGBUS);
		return VM_FAULT_SIGBUS;
	}

	page = swaplab_region_get_page(region, vmf->pgoff, &major);
	if (IS_ERR(page)) {
		switch (PTR_ERR(page)) {
		case -ENOMEM:
			return VM_FAULT_OOM;
		case -EINTR:
			/* Killed while waiting: return; the signal ends it. */
			return VM_FAULT_NOPAGE;
		default:
			/* -ENOSPC: no frame can be freed; -EIO: read failed */
			swaplab_count_event(SWAPLAB_SIGBUS);
			return VM_FAULT_SIGBUS;
		}
	}

	vmf->page = page;
	return VM_FAULT_LOCKED | (major ? VM_FAULT_MAJOR : 0);
}

const struct vm_operations_struct swaplab_vm_ops = {
	.open	= swaplab_vma_open,
	.close	= swaplab_vma_close,
	.fault	= swaplab_vma_fault,
};
