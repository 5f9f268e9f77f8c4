// SPDX-License-Identifier: GPL-2.0
/*
 * The vm_operations of a /dev/swaplab mapping: the page fault handler
 * (swaplab_fault_handler(), the fault path in fault.c) and page_mkwrite.
 *
 * There is no open/close pair counting region references per VMA: a VMA
 * holds its file, the file holds its region, and the region behind a file
 * never changes once it is mapped. (A per-VMA count would also leak on
 * 6.12, which merges a new VMA into its neighbour, and frees it, without
 * calling ->close.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/pagemap.h>

#include "api/policy.h"
#include "mm/coherence.h"
#include "mm/fault.h"
#include "mm/file.h"
#include "mm/region.h"
#include "lib/stat.h"
#include "mm/vma.h"

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
 *
 * A page the data pager made read-only waits here, locked, for the
 * pager's grant (coherence.c), or faults again if the pager takes it
 * back meanwhile: the pager answers once, so that is no loop.
 */
static vm_fault_t swaplab_vma_page_mkwrite(struct vm_fault *vmf)
{
	struct swaplab_region *region = vmf->vma->vm_private_data;
	struct swaplab_frame *f;

	switch (swaplab_fault_lock_page(region, vmf->pgoff, vmf->page)) {
	case 0:
		f = (struct swaplab_frame *)page_private(vmf->page);
		if (test_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags)) {
			switch (swaplab_coherence_write(region, f)) {
			case 0:
				break;
			case -EAGAIN:
				unlock_page(vmf->page);
				return VM_FAULT_NOPAGE;
			default:
				unlock_page(vmf->page);
				return VM_FAULT_SIGBUS;
			}
		}
		/*
		 * A truncation marked it since ->fault looked (filewatch.c);
		 * or its file shrank past it since ->fault unlocked it: the
		 * truncation may have unmapped it already.
		 */
		if (region->file)
			swaplab_filewatch_cut_marked(region, vmf->pgoff,
						     vmf->page);
		if (region->file && swaplab_file_past_eof(region, vmf->pgoff)) {
			unlock_page(vmf->page);
			return VM_FAULT_SIGBUS;
		}
		swaplab_count_event(SWAPLAB_WRITE_NOTIFY);
		return VM_FAULT_LOCKED;
	case -EAGAIN:
		return VM_FAULT_NOPAGE;
	default:
		swaplab_count_event(SWAPLAB_FAULTS_KILLED);
		return VM_FAULT_SIGBUS;
	}
}

/*
 * Fault-around, which maps no page: a module cannot install PTEs of
 * normal pages itself (set_pte_range() and finish_fault() are not
 * exported), and filemap_map_pages() maps only page-cache folios. The
 * method is here for what its presence tells the core mm: from 6.7 on,
 * a fault taken under the per-VMA lock on a VMA without ->map_pages is
 * answered VM_FAULT_RETRY before ->fault or ->page_mkwrite is called
 * (vmf_can_call_fault()) and taken again under the mmap lock. With it,
 * both run under the VMA lock alone: one fault instead of two, and
 * faults of different processes, or of other VMAs of one process, do
 * not meet on the mmap lock. Nothing in the fault path needs the mmap
 * lock: what it sleeps on is the page lock, the frame waits and the
 * store's rwsem, and swaplab_release_fault_lock() drops whichever lock
 * the fault holds. On kernels before per-VMA locks it costs an empty
 * call per read fault.
 *
 * Called under rcu_read_lock(): it must not sleep.
 */
static vm_fault_t swaplab_vma_map_pages(struct vm_fault *vmf,
					pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	return 0;
}

const struct vm_operations_struct swaplab_vma_ops = {
	.fault		= swaplab_fault_handler,
	.map_pages	= swaplab_vma_map_pages,
	.page_mkwrite	= swaplab_vma_page_mkwrite,
};
