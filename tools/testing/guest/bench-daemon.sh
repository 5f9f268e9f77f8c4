#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The section of the daemons' CPU, sourced by bench.sh (which defines the
# helpers and the module's setup it uses): in the full run, and alone for
# `tools/testing/bench --only daemon`.

# The same string on both sides (sequential, every reference rewriting
# its page, 16x the budget, so that almost every fault evicts a dirty
# page), each side's background reclaimer doing the evictions: swaplabd,
# and kswapd0 under the memory hog with no memory.max. CPU of the
# reclaimer thread over the string (compare's rcl/flt times major
# faults) per GiB written to swap (out MiB).
section "daemon CPU per GiB evicted: swaplabd against kswapd, the same string"
if hog_start $((8 / scale)); then
	d0=$(stat direct_reclaims) k0=$(vmstat pgsteal_kswapd) r0=$(vmstat pgsteal_direct)
	compare daemon.log seq --budget "$(smib 4)" --size "$(smib 64)" --refs $((32768 / sscale)) \
		--throughput --policies aging --stock-nolimit --swapfile /mnt/cmp.swap
	d1=$(stat direct_reclaims) k1=$(vmstat pgsteal_kswapd) r1=$(vmstat pgsteal_direct)
	hog_stop
else
	hog_stop
	: >daemon.log
	d1='' k1='' r1=''
fi
for side in swaplab-aging $stock; do
	key=${side%%-*}
	maj=$(col $side 2 daemon.log)
	rcl=$(colf $side 13 daemon.log)
	outm=$(col $side 9 daemon.log)
	result daemon_${key}_evicted_mib "$outm"
	# Nothing evicted, or no major fault to share the reclaimer's CPU
	# among (the stock kernel can find the memory elsewhere, in quick
	# runs): a finding, "none", not a missing figure.
	if [ "$outm" = 0.0 ] || [ "${maj:-0}" = 0 ]; then
		result daemon_${key}_cpu_s_per_gib none
	else
		result daemon_${key}_cpu_s_per_gib "$(muldiv "$rcl" "$maj" "$outm" "%.6f" |
			awk '{ printf "%.3f", $1 / 1e6 * 1024 }')"
	fi
done
result daemon_swaplab_direct_reclaims "$([ -n "$d1" ] && echo $((d1 - d0)))"
result daemon_pgsteal_kswapd "$([ -n "$k1" ] && echo $((k1 - k0)))"
result daemon_pgsteal_direct "$([ -n "$r1" ] && echo $((r1 - r0)))"
