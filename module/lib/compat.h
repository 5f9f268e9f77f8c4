/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels swaplab supports (6.1 and 6.12), kept in
 * one place. The SWAPLAB_HAVE_* macros come from feature tests of the
 * target kernel's headers in module/Kbuild.
 */
#ifndef _SWAPLAB_COMPAT_H
#define _SWAPLAB_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sysfs.h>
#include <asm/tlbflush.h>

/* vm_flags became read-only behind vm_flags_set() in 6.3. */
static inline void swaplab_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
#ifdef SWAPLAB_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* Clear VMA flags: vm_flags_clear() from 6.3 on, a plain write before. */
static inline void swaplab_vm_flags_clear(struct vm_area_struct *vma,
					  vm_flags_t flags)
{
#ifdef SWAPLAB_HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * A PTE made writable, in a VMA that is not a shadow stack (no VMA of
 * swaplab is): pte_mkwrite_novma() from 6.6 on, pte_mkwrite() before.
 */
static inline pte_t swaplab_pte_mkwrite(pte_t pte)
{
#ifdef SWAPLAB_HAVE_PTE_MKWRITE_NOVMA
	return pte_mkwrite_novma(pte);
#else
	return pte_mkwrite(pte);
#endif
}

/*
 * ptep_test_and_clear_young() is not exported; this is what x86's does
 * (arch/x86/mm/pgtable.c). Called with the page table lock held.
 */
static inline bool swaplab_ptep_test_and_clear_young(pte_t *ptep)
{
	return test_and_clear_bit(_PAGE_BIT_ACCESSED,
				  (unsigned long *)&ptep->pte);
}

/*
 * Neither flush_tlb_mm_range() nor ptep_clear_flush_young() is exported;
 * __flush_tlb_all() (this CPU, every address space) is. Harvesting calls
 * this on every CPU once per pass, so that a page referenced after its
 * accessed bit was cleared sets it again instead of hitting a stale TLB
 * entry. Runs with preemption off (an IPI handler).
 */
static inline void swaplab_flush_tlb_local(void *unused)
{
	__flush_tlb_all();
}

/*
 * Freeze protection around vfs_iocb_iter_write(): needed before 6.8; from
 * 6.8 on the function takes it itself, and taking it twice can deadlock
 * against a freeze.
 */
static inline void swaplab_file_start_write(struct file *file)
{
#ifndef SWAPLAB_VFS_WRITE_TAKES_FREEZE
	file_start_write(file);
#endif
}

static inline void swaplab_file_end_write(struct file *file)
{
#ifndef SWAPLAB_VFS_WRITE_TAKES_FREEZE
	file_end_write(file);
#endif
}

/*
 * Drop the lock a fault runs under before answering VM_FAULT_RETRY:
 * release_fault_lock() from 6.4 on (the VMA lock or the mmap lock), the
 * mmap lock before it.
 */
static inline void swaplab_release_fault_lock(struct vm_fault *vmf)
{
#ifdef SWAPLAB_HAVE_RELEASE_FAULT_LOCK
	release_fault_lock(vmf);
#else
	mmap_read_unlock(vmf->vma->vm_mm);
#endif
}

/* How many PTEs map a (small) folio: folio_mapcount() is inline from 6.9. */
static inline int swaplab_folio_mapcount(struct folio *folio)
{
#ifdef SWAPLAB_HAVE_INLINE_FOLIO_MAPCOUNT
	return folio_mapcount(folio);
#else
	return page_mapcount(&folio->page);
#endif
}

/*
 * eBPF policies (bpf.c) need a struct_ops type registered from a module:
 * register_bpf_struct_ops(), 6.9, with the BPF JIT and BTF for modules.
 * Elsewhere bpf.c is not built, and sysfs says why.
 */
#if defined(SWAPLAB_HAVE_BPF_STRUCT_OPS) && IS_ENABLED(CONFIG_BPF_JIT) && \
	IS_ENABLED(CONFIG_BPF_SYSCALL) && IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)
void swaplab_bpf_init(void);
ssize_t swaplab_bpf_show(char *buf);
u32 swaplab_bpf_test_clear_referenced(u64 page);
u64 swaplab_bpf_queue_first(void);
u32 swaplab_bpf_queue_rotate(u64 page);
u32 swaplab_bpf_page_wanted(u64 page);
#else
static inline void swaplab_bpf_init(void)
{
}

static inline ssize_t swaplab_bpf_show(char *buf)
{
	return sysfs_emit(buf, "unsupported: needs Linux 6.9+, BPF JIT, module BTF\n");
}
#endif

#endif /* _SWAPLAB_COMPAT_H */
