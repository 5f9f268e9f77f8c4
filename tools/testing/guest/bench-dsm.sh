#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The section of distributed shared memory, sourced by bench.sh (which
# defines the helpers and the module's setup it uses) in both guests of
# tools/testing/pair: `tools/testing/bench` runs it after each kernel's
# own run, and alone for `--only dsm`. Node 0 is 10.0.9.1 and node 1
# 10.0.9.2 (dsm_lib.sh), each guest of one CPU, their network a wire
# that qemu carries over UDP on 127.0.0.1. Every key is dsm_*; each node
# writes those it measures, and the host puts both nodes' keys in the
# kernel's results.
#
# Timed by the program that takes the fault (selftests/dsm_prog), around
# the access that takes it, as compare times a major fault:
#  - a fault from the nbd store served by the other guest over the same
#    wire (node 0's nbd-server exports a file on its disk, which its page
#    cache holds: a server that keeps the pages in memory, as a node's
#    server does), and from the local disk, by `swaplab compare`;
#  - a first touch served by the node's own server (no network), a read
#    fault that node 1 sends to node 0, a write fault of node 0 that
#    first invalidates node 1's copy, and a write fault of node 1 that
#    takes the page and its ownership from node 0;
#  - a round of one page written in turn by both (ping-pong), and
#    additions of each node to a word of a page of its own against its
#    word of one page both write (false sharing);
#  - a Jacobi iteration computed on node 0 alone, and split between both,
#    with where the time of each goes;
#  - the ping-pong and the Jacobi iteration on two again with the dynamic
#    distributed manager (keys ending in _dyn, or two_dyn_).

. "$here/dsm_lib.sh"
dsm_prog=$here/dsm_prog

section "distributed shared memory: faults served by the other machine"
case $dsm_node in
0|1) ;;
*) fail "no node number (swaplab.node=) on the command line"; return ;;
esac
# Node 1's figure of the store first, with no DSM region alive: the
# swap file can change only then.
if [ "$dsm_node" = 0 ]; then
	truncate -s 64M /mnt/nbd-store.img
	printf '[generic]\nlistenaddr = 10.0.9.1\n[bench]\nexportname = /mnt/nbd-store.img\n' >nbd.conf
	nbd-server -C "$out/nbd.conf" -p "$out/nbd.pid" || fail "nbd-server"
	dsm_rendezvous || fail "rendezvous before nbd"
	# Node 1 is done with the store.
	dsm_rendezvous 3000 || fail "rendezvous after nbd"
	[ -r nbd.pid ] && kill "$(cat nbd.pid)"
	rm -f /mnt/nbd-store.img
else
	dsm_rendezvous || fail "rendezvous before nbd"
	nbd=
	for store in disk nbd; do
		if [ $store = nbd ]; then
			swaplab nbd connect 10.0.9.1 10809 bench /dev/nbd0 --timeout 30 ||
				{ fail "swaplab nbd connect 10.0.9.1"; break; }
			nbd=1
			put none $knobs/swapfile
			put /dev/nbd0 $knobs/swapfile
		fi
		compare dsm-$store.log rand --budget "$(smib 8)" --size "$(smib 32)" \
			--refs $((8192 / refscale)) --readonly --policies aging --stock none
	done
	if [ -n "$nbd" ]; then
		put none $knobs/swapfile
		put /mnt/swaplab.swap $knobs/swapfile
		swaplab nbd disconnect /dev/nbd0 || fail "nbd disconnect"
	fi
	dsm_rendezvous 3000 || fail "rendezvous after nbd"
	result dsm_disk_p50_us "$(colf swaplab-aging 7 dsm-disk.log)"
	result dsm_nbd_p50_us "$(colf swaplab-aging 7 dsm-nbd.log)"
fi

# dsm_case NAME SIZE [ARGS...]: serve region NAME of SIZE bytes on both
# nodes with the manager dsm_mgr (fixed if empty), run dsm_prog ARGS on
# it (with no ARGS, nothing: this node's server serves the other until
# it is done), and stop the servers once both nodes are done; the
# program's "bench KEY VALUE" lines go to NAME.vals as "KEY$dsm_sfx
# VALUE", and its output and the server's end to NAME.log.
dsm_mgr= dsm_sfx=
dsm_case() {
	dsm_name=$1 dsm_rsize=$2
	shift 2
	: >"$dsm_name.log"
	: >"$dsm_name.vals"
	dsm_rendezvous 3000 || fail "rendezvous before $dsm_name"
	if ! dsm_start "$dsm_name" "$dsm_rsize" "${dsm_mgr:-fixed}"; then
		fail "$dsm_name: the server did not start: $(tail -n 3 /tmp/"$dsm_name".out)"
		# The other node's second rendezvous, in step.
		dsm_rendezvous 3000 || fail "rendezvous after $dsm_name"
		return 1
	fi
	if [ $# -gt 0 ]; then
		"$dsm_prog" "$@" >"$dsm_name.log" 2>&1 ||
			fail "$dsm_name: dsm_prog $* exited $?"
	fi
	dsm_rendezvous 3000 || fail "rendezvous after $dsm_name"
	dsm_stop || fail "$dsm_name: the server exited $?"
	cat /tmp/"$dsm_name".out >>"$dsm_name.log"
	cat "$dsm_name.log"
	sed -n "s/^bench \(dsm_[a-z0-9_]*\) \([0-9.]*\)\$/\1$dsm_sfx \2/p" \
		"$dsm_name.log" >"$dsm_name.vals"
}

# dsm_median NAME: for each key of NAME-1.vals, the result is the median
# of its values in NAME-1.vals to NAME-$rounds.vals (missing unless every
# round gave one).
dsm_median() {
	while read -r k v; do
		for r in $(seq "$rounds"); do
			awk -v k="$k" '$1 == k { print $2 }' "$1-$r.vals"
		done >median.in
		result "$k" "$(median_of "$rounds" median.in)"
	done <"$1-1.vals"
}

# sent NAME: the messages this node's server sent in case NAME.
sent() {
	sed -n 's/.*: sent \(.*\); received .*/\1/p' "$1.log" |
		tr ' ' '\n' | awk -F= 'NF == 2 { n += $2; found = 1 } END { if (found) print n }'
}

# jacobi_figures NAME WHICH: to NAME.vals, the seconds of the iterations,
# in its rows and in the barriers, from NAME.log's "ok:" line, and the
# messages this node's server sent, as dsm_jacobi_WHICH_*.
jacobi_figures() {
	set -- "$1" "$2" "$(sed -n 's/^ok: jacobi .*; \([0-9.]*\) s (rows \([0-9.]*\) s, barriers \([0-9.]*\) s)$/\1 \2 \3/p' "$1.log")"
	# shellcheck disable=SC2086
	set -- "$1" "$2" $3
	{
		echo "dsm_jacobi_$2_s ${3:-}"
		echo "dsm_jacobi_$2_rows_s ${4:-}"
		echo "dsm_jacobi_$2_barriers_s ${5:-}"
		echo "dsm_jacobi_$2_sent $(sent "$1")"
	} >>"$1.vals"
}

# Each case $rounds times (a region of its own each time), the figures
# the medians.
put 4096 $knobs/frames
dsm_pages=$((64 / scale))
result dsm_fault_pages $dsm_pages
result dsm_rounds "$rounds"
for r in $(seq "$rounds"); do
	dsm_case faults-$r 1M faults faults-$r "$dsm_node" $dsm_pages
	dsm_case pingpong-$r 1M pingpong pingpong-$r "$dsm_node" $((400 / scale))
	dsm_mgr=dynamic dsm_sfx=_dyn
	dsm_case pingpong-dyn-$r 1M pingpong pingpong-dyn-$r "$dsm_node" $((400 / scale))
	dsm_mgr= dsm_sfx=
	dsm_case share-$r 1M share share-$r "$dsm_node" $((10000 / scale))
done
for c in faults pingpong pingpong-dyn share; do
	dsm_median $c
done

section "distributed shared memory: a Jacobi iteration on one machine and on two"
# A node's arithmetic grows with the square of the grid's side, its
# faults on the border row of the other half only with the side, and the
# barrier's messages not at all: the grid is a size at which, under TCG,
# the halves' arithmetic outweighs the rest (the Jacobi rows of the bench
# page say where each node's time goes). Both grids and the barrier's
# page fit the budget, raised to 20480 frames, and the private copies the
# guest's memory.
dsm_grid=$((2048 / scale)) dsm_iters=$((20 / scale))
[ "$dsm_iters" -ge 2 ] || dsm_iters=2
result dsm_jacobi_grid "$dsm_grid"
result dsm_jacobi_iters "$dsm_iters"
dsm_region=$(((2 * dsm_grid * dsm_grid * 8 + 2 * 4096) / 1048576 + 1))M
put 20480 $knobs/frames
for r in $(seq "$rounds"); do
	# One machine: node 0 computes every row; node 1's server serves
	# the pages it manages until node 0 is done.
	if [ "$dsm_node" = 0 ]; then
		dsm_case jacobi1-$r "$dsm_region" jacobi jacobi1-$r 0 1 "$dsm_grid" "$dsm_iters"
		jacobi_figures jacobi1-$r one
	else
		dsm_case jacobi1-$r "$dsm_region"
	fi
	dsm_case jacobi2-$r "$dsm_region" jacobi jacobi2-$r "$dsm_node" 2 "$dsm_grid" "$dsm_iters"
	jacobi_figures jacobi2-$r "two_node$dsm_node"
	dsm_mgr=dynamic
	dsm_case jacobi2-dyn-$r "$dsm_region" jacobi jacobi2-dyn-$r "$dsm_node" 2 "$dsm_grid" "$dsm_iters"
	dsm_mgr=
	jacobi_figures jacobi2-dyn-$r "two_dyn_node$dsm_node"
done
[ "$dsm_node" != 0 ] || dsm_median jacobi1
dsm_median jacobi2
dsm_median jacobi2-dyn
