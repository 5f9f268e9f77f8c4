// SPDX-License-Identifier: GPL-2.0
/* A policy whose name sysfs could not hold: attaching it must fail. */
#include "swaplab_bpf_prog.h"

SEC("struct_ops/badname_victim")
__u64 BPF_PROG(badname_victim, __u32 may_rescan)
{
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops badname = {
	.victim		= (void *)badname_victim,
	.name		= "../Bad Name",
};
