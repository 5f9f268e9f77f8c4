#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The swaplab demonstration, run inside the VM by `make demo`: load the
# module with a small frame budget, show its knobs and counters, run a
# verifying workload on /dev/swaplab, and show what changed.

set -e
frames=2048

step() {
	echo
	echo "== $*"
}

step "load swaplab with a budget of $frames frames ($((frames * 4)) KiB)"
insmod ./swaplab.ko frames=$frames
ls -l /dev/swaplab

step "before: knobs and counters"
swaplab status

step "workload: write 6 MiB sequentially, verify it twice"
swaplab bench seq --size 6M --passes 2

step "workload: the same in random page order, in a new region"
swaplab bench rand --size 6M --passes 2 --seed 42

step "after: every page was zero-filled once per region; all frames back"
swaplab status

step "unload"
rmmod swaplab
echo "swaplab unloaded"
