#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tracepoints: every event arrives, with sane fields, around a workload
# that pages (4 MiB through a 1 MiB budget), a switch of the allocation
# mode with a region open, and three processes whose working sets
# overcommit a 1 MiB budget under ws with load control.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab tracepoints
if [ ! -d $tr/events/swaplab ]; then
	# The script's one result is its SKIP.
	tap_plan 1
	skip tracepoints "no tracefs"
	tap_end
fi
tap_plan 11
no_record_cmd
frames=$(cat /sys/kernel/swaplab/frames)
policy=$(cat /sys/kernel/swaplab/policy)
echo 256 >/sys/kernel/swaplab/frames
# The evictions below are aging's, whatever the default policy.
echo aging >/sys/kernel/swaplab/policy
echo 0 >$tr/tracing_on
: >$tr/trace
# A ring buffer large enough for every event of the run: when it wraps,
# the first events are overwritten (counted in each CPU's overrun), and
# an event missing from the copy would say nothing about the module.
bufsize=$(sed "s/.*expanded: \([0-9]*\).*/\1/" $tr/buffer_size_kb)
echo 16384 >$tr/buffer_size_kb
echo 1 >$tr/events/swaplab/enable
echo 1 >$tr/tracing_on
swaplab bench seq --size 4M --passes 1 >/dev/null 2>&1
exec 3<>/dev/swaplab
echo local >/sys/kernel/swaplab/allocation
echo global >/sys/kernel/swaplab/allocation
exec 3<&-
# The range checks below stop at this mark: under load control the daemon
# also wakes to trim an allocation, above its low watermark.
echo swaplab-test-thrash >$tr/trace_marker
swaplab thrash --system local --allocator ws --load-control --procs 3 \
	--budget 1M --ws 512K >/dev/null 2>&1
echo 0 >$tr/tracing_on
echo 0 >$tr/events/swaplab/enable
cp $tr/trace /tmp/swaplab-trace.txt
overrun=$(cat $tr/per_cpu/cpu*/stats 2>/dev/null |
	awk '/^overrun:/ { n += $2 } END { print n + 0 }')
: >$tr/trace
echo "$bufsize" >$tr/buffer_size_kb
echo "$frames" >/sys/kernel/swaplab/frames
echo "$policy" >/sys/kernel/swaplab/policy
for ev in 'swaplab_fault: region=[0-9]+ index=[0-9]+ kind=zero' \
	  'swaplab_fault: region=[0-9]+ index=[0-9]+ kind=major' \
	  'swaplab_evict: region=[0-9]+ index=[0-9]+ policy=aging dirty=1' \
	  'swaplab_evict: region=[0-9]+ index=[0-9]+ policy=aging dirty=0' \
	  'swaplab_swap_out: slot=[0-9]+ nr=[0-9]+ err=0' \
	  'swaplab_swap_in: slot=[0-9]+ nr=1 err=0' \
	  'swaplab_daemon_wake: free=[0-9]+ low=[0-9]+ high=[0-9]+' \
	  'swaplab_daemon_sleep: free=[0-9]+ low=[0-9]+ high=[0-9]+' \
	  'swaplab_alloc: proc=[0-9]+ alloc=[0-9]+' \
	  'swaplab_loadctl: proc=[0-9]+ deactivated ws=[0-9]+'; do
	if grep -qE "$ev" /tmp/swaplab-trace.txt; then
		ok "tracepoint ${ev%%:*} ($(grep -cE "$ev" /tmp/swaplab-trace.txt) events like '${ev#*: }')"
	else
		not_ok "no trace event matching '$ev' ($overrun events overwritten)"
	fi
done
# Page-out batches hold 1 to 32 pages; the daemon wakes short of its
# high watermark (below low, give or take frames freed meanwhile).
if awk '/swaplab-test-thrash/ { exit }
	/swaplab_swap_out:/ { split($0, a, "nr="); n = a[2] + 0;
	if (n < 1 || n > 32) bad++ } END { exit bad > 0 }' /tmp/swaplab-trace.txt &&
   awk '/swaplab-test-thrash/ { exit }
	/swaplab_daemon_wake:/ { split($0, a, "free="); f = a[2] + 0;
	split($0, b, "high="); if (f >= b[2] + 0) bad++ } END { exit bad > 0 }' /tmp/swaplab-trace.txt; then
	ok "tracepoint fields in range (swap_out nr 1-32, wake below high)"
else
	not_ok "tracepoint fields out of range"
fi
tap_end
