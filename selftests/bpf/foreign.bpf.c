// SPDX-License-Identifier: GPL-2.0
/*
 * The example fifo (userspace/bpf/fifo.bpf.c), one order of all
 * processes' pages, claiming SWAPLAB_BPF_LOCAL all the same, for
 * bpf_test.sh: under allocation=local its answers often name another
 * process's page. The module must not take such a page (bpf_foreign),
 * choose among the process's own, and keep the program.
 */
#define FIFO_FLAGS	SWAPLAB_BPF_LOCAL
#define FIFO_NAME	"bpf_foreign"
#include "fifo.bpf.c"
