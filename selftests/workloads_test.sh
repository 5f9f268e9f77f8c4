#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The generated workloads, 4 MiB through a 1 MiB budget: every reference
# checks and rewrites its page's stamp.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "bench zipf, loop, shift, hotcold"
tap_plan 4
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
tap_end
