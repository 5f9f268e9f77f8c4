#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Frame allocation against its model: a trace of several processes,
# replayed by `swaplab bench trace` (a child a process, each with its
# region mapped before any reference, the references made in the
# trace's order), gives the module's faults, in all and each process's,
# which must equal `swaplab sim`'s, fault for fault, under
# allocation=global and local, with the equal and the proportional
# allocator, for fifo and gen: 2 processes of 64 pages each through 64
# frames (equal: 30 each); 3 of 48 pages each (20 each); and 2 of 192
# and 64 pages through 128 frames (equal: 62 each), whose smaller one
# ends first and leaves its frames to the other. proportional shares by
# the pages each process holds, which grow as it writes them, and so
# decides again at every tick of the aging clock (due at a reclaim once
# 32 frames have been faulted in since the last), as ws and pff do. With model_test.sh's settings: daemon=0 (the faulting thread
# reclaims), demand paging, and no tick by time (aging_interval_ms
# 0). Every state starts with a fresh selection of the
# policy; a process's first own reclaim comes after 32 frames at least
# have been faulted in, so that the first tick is due at it whatever
# the count of frames admitted before the selection (a selection does
# not start that count over).
# Each combination is a result, but gen under global with 3 processes:
# there a reclaim's batch holds pages of several processes, and the
# module hands them to the policy's evicted() in the order of their
# regions' addresses in kernel memory, which the simulator cannot know
# (it takes them in the order of the processes); gen's records and
# refault distances follow that order, and so do its faults on the
# 3-process trace (347, 349 or 351). On the 2-process traces either
# order gives the same count. Under local a batch is one process's.
# Then ws and pff, for fifo and gen on the traces of 2 processes, ws
# with a window of 64 pages referenced: fifo reads no reference bits,
# so the module harvests them only before a tick, and the estimate sees
# a page referenced since the last one only if it is still resident;
# gen's are harvested at every reclaim. Then the allocation must tell:
# local and global differ, and so do the two allocators when the sizes
# do.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "allocation against the simulator"
tap_plan 26
s_frames=$(cat $knobs/frames) s_policy=$(cat $knobs/policy)
s_daemon=$(cat $knobs/daemon) s_aging=$(cat $knobs/aging_interval_ms)
s_alloc=$(cat $knobs/allocation) s_allocator=$(cat $knobs/allocator)
demand_paging
t=/tmp/swaplab-alloc
swaplab gen zipf --pages 64 --refs 400 --procs 2 --quantum 8 >$t.2
swaplab gen zipf --pages 48 --refs 300 --procs 3 --quantum 8 >$t.3
swaplab gen zipf --pages 192 --refs 900 --seed 3 >$t.a
swaplab gen zipf --pages 64 --refs 300 --seed 4 >$t.b
awk 'NR == FNR { a[n++] = $1; next } { b[m++] = $1 }
END { i = j = 0; while (i < n || j < m) {
	for (k = 0; k < 8 && i < n; k++) print "0:" a[i++]
	for (k = 0; k < 8 && j < m; k++) print "1:" b[j++] } }' \
	$t.a $t.b >$t.31
echo 0 >$knobs/daemon
echo 0 >$knobs/aging_interval_ms

# simcounts TRACE FRAMES POLICY [ARGS...]: proc_counts' figures (the
# total, then each process's faults) from the simulator
simcounts() {
	tr=$1 n=$2 p=$3
	shift 3
	swaplab sim "$tr" --frames "$n" --batch 32 --tick 100000000 \
		--policy "$p" "$@" |
		awk -v p="$p" '$1 == p { t = $2 } $1 ~ /^p[0-9]+$/ { s = s " " $2 }
			       END { print t ":" s }'
}

# counts_ok COUNTS TRACE: COUNTS is one "TOTAL: EACH..." line with a
# count for each process of TRACE, all numbers, the total above zero and
# the sum of the processes' counts. Two empty or cut short figures are
# equal to each other and say nothing of either side.
counts_ok() {
	echo "$1" | awk -v procs="$(cut -d: -f1 "$2" | sort -u | wc -l)" '
		{ n++; t = $1 + 0
		  ok = NF == procs + 1 && $1 ~ /^[0-9]+:$/ && t > 0
		  for (i = 2; i <= NF; i++) {
			ok = ok && $i ~ /^[0-9]+$/
			sum += $i
		  } }
		END { exit !(n == 1 && ok && sum == t) }'
}

# compare TRACE FRAMES ALLOCATION POLICY [SIMARGS...]: trace $t.TRACE
# through FRAMES frames under ALLOCATION (global, or the allocator under
# local) and a fresh selection of POLICY, by the module and by the
# simulator; the simulator's counts kept in r_TRACE_ALLOCATION_POLICY.
# Both must be whole (counts_ok) before they are compared.
compare() {
	c_tr=$1 c_n=$2 c_a=$3 c_p=$4
	shift 4
	echo fifo >$knobs/policy
	echo "$c_p" >$knobs/policy
	swaplab bench trace $t.$c_tr >$t.log 2>&1
	rc=$?
	mod=$(proc_counts $t.log)
	sim=$(simcounts $t.$c_tr "$c_n" "$c_p" "$@")
	eval "r_${c_tr}_${c_a}_$c_p=\$sim"
	what="$c_a, $c_p, trace $c_tr through $c_n frames"
	if ! counts_ok "$mod" $t.$c_tr || ! counts_ok "$sim" $t.$c_tr; then
		sed 's/^/# /' $t.log
		not_ok "$what: module '$mod' (exit $rc), simulator '$sim': not a total and a count for each of the trace's processes"
	elif [ $rc = 0 ] && [ "$mod" = "$sim" ]; then
		ok "$what: module = simulator ($mod)"
	else
		sed 's/^/# /' $t.log
		not_ok "$what: module ${mod:-missing} (exit $rc), simulator ${sim:-missing} (total: each process)"
	fi
}

for c in "2 64" "3 64" "31 128"; do
	set -- $c
	echo "$2" >$knobs/frames
	for a in global equal proportional; do
		if [ $a = global ]; then
			echo global >$knobs/allocation
			args=
		else
			echo local >$knobs/allocation
			echo $a >$knobs/allocator
			args="--allocation local --allocator $a"
		fi
		for p in fifo gen; do
			[ $a$p$1 = globalgen3 ] && continue
			# shellcheck disable=SC2086
			compare "$1" "$2" $a $p $args
		done
	done
done
# ws and pff decide at every tick from the interval's figures: fifo and
# gen on the two traces of 2 processes, ws with a window of 64 pages
# referenced, which the traces pass, pff with its default thresholds.
s_tau=$(cat $knobs/ws_tau)
echo 64 >$knobs/ws_tau
echo local >$knobs/allocation
for c in "2 64" "31 128"; do
	set -- $c
	echo "$2" >$knobs/frames
	for a in ws pff; do
		echo $a >$knobs/allocator
		for p in fifo gen; do
			compare "$1" "$2" $a $p --allocation local \
				--allocator $a --ws-tau 64
		done
	done
done
echo "$s_tau" >$knobs/ws_tau
# shellcheck disable=SC2154
if [ "$r_2_global_fifo" != "$r_2_equal_fifo" ] &&
   [ "$r_3_global_fifo" != "$r_3_equal_fifo" ] &&
   [ "$r_31_equal_fifo" != "$r_31_proportional_fifo" ]; then
	ok "allocation tells: global $r_2_global_fifo, local $r_2_equal_fifo (fifo, 2 processes); equal $r_31_equal_fifo, proportional $r_31_proportional_fifo (fifo, 192 and 64 pages)"
else
	not_ok "allocation does not tell: global $r_2_global_fifo, local $r_2_equal_fifo; 3 processes $r_3_global_fifo, $r_3_equal_fifo; equal $r_31_equal_fifo, proportional $r_31_proportional_fifo"
fi

echo "$s_alloc" >$knobs/allocation
echo "$s_allocator" >$knobs/allocator
echo "$s_aging" >$knobs/aging_interval_ms
echo "$s_frames" >$knobs/frames
echo fifo >$knobs/policy
echo "$s_policy" >$knobs/policy
echo "$s_daemon" >$knobs/daemon
demand_paging_end
tap_end
