#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The swaplab demonstration, run inside the VM by `make demo`: load the
# module with a 4 MiB frame budget and its own swap file, run a verifying
# workload four times the budget under the default policy (gen), and show
# what the paging engine did: faults, swap traffic, clean evictions, the
# daemon, the accessed-bit harvest. Then the same workload under FIFO.

set -e
frames=1024

step() {
	echo
	echo "== $*"
}

counters() {
	grep -E '^(faults|major_faults|zero_fills|swap_ins|swap_outs|evictions|clean_evictions|swap_out_ios|daemon_wakeups|alloc_stalls|aging_ticks|resident|free_frames|swap_slots_used) ' \
		/sys/kernel/swaplab/stat | awk '{ printf "  %-18s %s\n", $1, $2 }'
}

step "load swaplab: $frames frames ($((frames * 4)) KiB of 'physical memory'), swap file on /mnt"
# The VM runner has loaded libcrc32c, which swaplab.ko needs (insmod
# does not load it); elsewhere `make install` and modprobe swaplab.
insmod ./swaplab.ko frames=$frames swapfile=/mnt/swaplab.swap swapfile_size=64M
ls -l /dev/swaplab /mnt/swaplab.swap
swaplab status | sed -n '/knobs/,/counters/p' | grep -v counters

step "before"
counters

step "workload: 16 MiB (4x the budget) written, then verified twice, policy $(cat /sys/kernel/swaplab/policy)"
swaplab bench seq --size 16M --passes 2

step "after: pages went out and came back; read passes evicted clean pages without a write"
counters

step "the same in random page order under fifo"
echo fifo > /sys/kernel/swaplab/policy
swaplab bench rand --size 16M --passes 2 --seed 42
counters

step "unload: every frame and swap slot back"
rmmod swaplab
echo "swaplab unloaded"
