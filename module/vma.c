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

#include "compat.h"
#include "swaplab.h"
#include "trace.h"

/*
 * A fatal signal ended a wait (for the page lock or for a free frame).
 * Never answer VM_FAULT_NOPAGE: a fault taken in kernel mode, such as
 * copy_to_user() in read(2) into the region, would be retried at once,
 * wait again, be interrupted again, and never return to let the task
 * die. As __folio_lock_or_retry() does, drop the fault lock and answer
 * VM_FAULT_RETRY, which the arch fault handler turns into the signal's
 * delivery (or an -EFAULT fixup in kernel mode); with RETRY_NOWAIT keep
 * the lock; where retry is not allowed at all, fail with SIGBUS.
 */
static vm_fault_t swaplab_vma_fault_killed(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		swaplab_release_fault_lock(vmf);
	return VM_FAULT_RETRY;
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
			swaplab_count_event(SWAPLAB_FAULTS_KILLED);
			return swaplab_vma_fault_killed(vmf);
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

/*
 * A write to a page the core mm mapped read-only. Having this method
 * makes a shared writable mapping of a region write-notify
 * (vma_wants_writenotify()): pages a read fault maps are mapped
 * read-only, and their first write comes here. That costs one minor
 * fault per page read before it is written (counted in write_notify),
 * and buys the rule the kernel keeps for files that track dirty pages:
 * get_user_pages() refuses FOLL_LONGTERM pins of the mapping
 * (writable_file_mapping_allowed(), 6.5 on; io_uring before 6.5 refuses
 * every file-backed fixed buffer itself). A long-term pin, such as an
 * io_uring fixed buffer, would hold a frame for as long as the pinner
 * likes, outside the count of pinned frames and past the floor that
 * SWAPLAB_IOC_PIN keeps.
 *
 * The page has no ->mapping, so the core mm cannot tell whether it was
 * truncated: lock it here, check that it is still the region's, and
 * answer VM_FAULT_LOCKED. A fatal signal while waiting for the lock gets
 * SIGBUS (the task is dying anyway): VM_FAULT_RETRY is not an answer this
 * method may give, and VM_FAULT_NOPAGE would retry a fault taken in
 * kernel mode at once, for ever.
 */
static vm_fault_t swaplab_vma_page_mkwrite(struct vm_fault *vmf)
{
	struct swaplab_region *region = vmf->vma->vm_private_data;

	switch (swaplab_region_lock_page(region, vmf->pgoff, vmf->page)) {
	case 0:
		swaplab_count_event(SWAPLAB_WRITE_NOTIFY);
		return VM_FAULT_LOCKED;
	case -EAGAIN:
		return VM_FAULT_NOPAGE;
	default:
		swaplab_count_event(SWAPLAB_FAULTS_KILLED);
		return VM_FAULT_SIGBUS;
	}
}

const struct vm_operations_struct swaplab_vm_ops = {
	.fault		= swaplab_vma_fault,
	.page_mkwrite	= swaplab_vma_page_mkwrite,
};
