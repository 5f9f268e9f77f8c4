/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a swaplab policy in eBPF includes: libbpf's helpers, the
 * struct_ops type and its constants (module/uapi/swaplab_bpf.h), and the
 * module's kfuncs.
 */
#ifndef _SWAPLAB_BPF_PROG_H
#define _SWAPLAB_BPF_PROG_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "swaplab_bpf.h"

char _license[] SEC("license") = "GPL";

/* Consume a page's reference bit: 1 if it was used since the last call. */
extern __u32 swaplab_bpf_test_clear_referenced(__u64 page) __ksym;
/*
 * In victim() only: the module's queue of the policy's pages, admission
 * order. The page at its head (SWAPLAB_BPF_NONE if none); move a page to
 * its tail (1 if it was there to move).
 */
extern __u64 __ksym swaplab_bpf_queue_first(void);
extern __u32 swaplab_bpf_queue_rotate(__u64 page) __ksym;
/*
 * In victim() only: 1 if the page may be the answer (resident in the
 * policy and, under allocation=local, of the process whose page is
 * wanted).
 */
extern __u32 swaplab_bpf_page_wanted(__u64 page) __ksym;

/*
 * The most resident pages the examples keep in a hash map: preallocated
 * (an allocation on every admission costs more than the policy), 64 Ki
 * pages, a 256 MiB budget. Beyond it a page is not in the program's
 * order, and the module chooses it (bpf_fallback).
 */
#define SWAPLAB_BPF_PAGES_MAX	65536

/* The most stale entries a victim() skips in one call. */
#define SWAPLAB_BPF_SCAN_MAX	64

#endif /* _SWAPLAB_BPF_PROG_H */
