#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The generated workloads, 4 MiB through a 1 MiB budget: every reference
# checks and rewrites its page's stamp. And the thrashing experiment,
# swaplab thrash: three processes whose working sets together are twice
# the budget, under global and local allocation, every page checked, the
# knobs put back after it.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "bench zipf, loop, shift, hotcold"
tap_plan 6
frames=$(cat /sys/kernel/swaplab/frames)
echo 256 >/sys/kernel/swaplab/frames
for w in zipf loop shift hotcold; do
	if swaplab bench $w --size 4M >/tmp/swaplab-$w.log 2>&1; then
		ok "bench $w: $(awk '/verified/ { print $2, $3, $7, $8 }' /tmp/swaplab-$w.log), $(awk '/swaplab:/ { print $4, $5 }' /tmp/swaplab-$w.log | tr -d ',')"
	else
		sed 's/^/# /' /tmp/swaplab-$w.log
		not_ok "bench $w"
	fi
done
echo "$frames" >/sys/kernel/swaplab/frames
alloc=$(cat /sys/kernel/swaplab/allocation)
for s in global local; do
	if swaplab thrash --system $s --procs 3 --budget 1M --ws 680K \
		>/tmp/swaplab-thrash-$s.log 2>&1 &&
	   head -n1 /tmp/swaplab-thrash-$s.log |
		grep -Eq "^system=$s[a-z-]* procs=3 .* majflt=[1-9][0-9]* minflt=[0-9]+ bad=0$" &&
	   [ "$(grep -c '^  proc=[0-2] .* bad=0$' /tmp/swaplab-thrash-$s.log)" = 3 ] &&
	   [ "$(cat /sys/kernel/swaplab/frames)" = "$frames" ] &&
	   [ "$(cat /sys/kernel/swaplab/allocation)" = "$alloc" ]; then
		ok "thrash $s: $(head -n1 /tmp/swaplab-thrash-$s.log | grep -Eo 'time_s=[0-9.]+ refs_per_s=[0-9]+ majflt=[0-9]+')"
	else
		sed 's/^/# /' /tmp/swaplab-thrash-$s.log
		not_ok "thrash $s"
	fi
done
tap_end
