// SPDX-License-Identifier: GPL-2.0
/* A policy with a flag the module does not know: attaching it must fail. */
#include "swaplab_bpf_prog.h"

SEC("struct_ops/badflags_victim")
__u64 BPF_PROG(badflags_victim, __u32 may_rescan)
{
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops badflags = {
	.victim		= (void *)badflags_victim,
	.flags		= 0x80,
	.name		= "bpf_badflags",
};
