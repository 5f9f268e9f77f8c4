// SPDX-License-Identifier: GPL-2.0
/* A policy named as a built-in one: attaching it must fail (EEXIST). */
#include "swaplab_bpf_prog.h"

SEC("struct_ops/clash_victim")
__u64 BPF_PROG(clash_victim, __u32 may_rescan)
{
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops clash = {
	.victim		= (void *)clash_victim,
	.name		= "fifo",
};
