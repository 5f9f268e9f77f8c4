// SPDX-License-Identifier: GPL-2.0
/*
 * The vm_operations of a /dev/swaplab mapping: the page fault handler.
 *
 * There is no open/close pair counting region references per VMA: a VMA
 * holds its file, the file holds its region, and the region behind a file
 * never changes once it is mapped. (A per-VMA count would also leak on
 * 6.12, which merges a new VMA into its neighbour, and frees it, without
 * calling ->close.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>

#include "swaplab.h"
#include "trace.h"

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
	unsigned int kind = SWAPLAB_FAULT_SIGBUS;
	u64 start = ktime_get_ns();
	struct page *page;

	swaplab_count_event(SWAPLAB_FAULTS);
	atomic_long_inc(&region->nr_faults);

	if (vmf->pgoff >= region->max_pages)
		goto sigbus;

	page = swaplab_region_get_page(region, vmf->pgoff, &kind);
	if (IS_ERR(page)) {
		switch (PTR_ERR(page)) {
		case -ENOMEM:
			return VM_FAULT_OOM;
		case -EINTR:
			/* Killed while waiting: return; the signal ends it. */
			return VM_FAULT_NOPAGE;
		default:
			/* -ENOSPC: no frame can be freed; -EIO: read failed */
			goto sigbus;
		}
	}

	trace_swaplab_fault(region->id, vmf->pgoff, kind);
	if (kind == SWAPLAB_FAULT_MAJOR)
		atomic_long_inc(&region->nr_major);
	swaplab_latency_record(kind, ktime_get_ns() - start);
	vmf->page = page;
	return VM_FAULT_LOCKED |
	       (kind == SWAPLAB_FAULT_MAJOR ? VM_FAULT_MAJOR : 0);

sigbus:
	trace_swaplab_fault(region->id, vmf->pgoff, SWAPLAB_FAULT_SIGBUS);
	swaplab_count_event(SWAPLAB_SIGBUS);
	return VM_FAULT_SIGBUS;
}

const struct vm_operations_struct swaplab_vm_ops = {
	.fault	= swaplab_vma_fault,
};
