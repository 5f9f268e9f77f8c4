// SPDX-License-Identifier: GPL-2.0
/*
 * A policy that answers garbage, for bpf_test.sh: victims that are no
 * page (random numbers, sometimes a real region's page that is not
 * resident), a rescan when none may be asked for, and records out of
 * range. The module must check each, count it (bpf_invalid), choose
 * itself (bpf_fallback), and lose no data.
 */
#include "swaplab_bpf_prog.h"

__u64 garbage_calls;

SEC("struct_ops/garbage_victim")
__u64 BPF_PROG(garbage_victim, __u32 may_rescan)
{
	__u64 r = bpf_get_prandom_u32();

	switch (++garbage_calls % 4) {
	case 0:
		return SWAPLAB_BPF_RESCAN;	/* even when not allowed */
	case 1:
		return SWAPLAB_BPF_PAGE(1, r);	/* region 1, a random index */
	case 2:
		return r << 32 | bpf_get_prandom_u32();
	default:
		return SWAPLAB_BPF_PAGE(r, 0);
	}
}

SEC("struct_ops/garbage_evicted")
__u32 BPF_PROG(garbage_evicted, __u64 page)
{
	return 1000;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_garbage = {
	.victim		= (void *)garbage_victim,
	.evicted	= (void *)garbage_evicted,
	.name		= "bpf_garbage",
};
