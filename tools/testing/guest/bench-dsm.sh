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
#    distributed manager (keys ending in _dyn);
#  - where a remote read's time goes: the servers time each request they
#    answer (`swaplab dsm serve`'s "time to answer" line).
#
# The servers keep no log (dsm_log): a line written in the path of a
# fault would cost a write to the guest's disk that the nbd server it is
# compared with does not make.

. "$here/dsm_lib.sh"
dsm_prog=$here/dsm_prog
dsm_log=

section "distributed shared memory: faults served by the other machine"
case $dsm_node in
0|1) ;;
*) fail "no node number (swaplab.node=) on the command line"; return ;;
esac
# Node 1's figure of the store first, with no DSM region alive: the
# swap file can change only then. Node 0 serves the store (nbd_serve,
# bench.sh) to node 1 over the nodes' own wire.
dsm_store() {
	compare dsm-$1.log rand --budget "$(smib 8)" --size "$(smib 32)" \
		--refs $((8192 / refscale)) --readonly --policies aging --stock none
	result "dsm_$1_p50_us" "$(colf swaplab-aging 7 dsm-$1.log)"
}
if [ "$dsm_node" = 0 ]; then
	nbd_serve 10.0.9.1 || fail "nbd-server"
	dsm_rendezvous || fail "rendezvous before nbd"
	# Node 1 is done with the store.
	dsm_rendezvous 3000 || fail "rendezvous after nbd"
	nbd_unserve
else
	dsm_rendezvous || fail "rendezvous before nbd"
	if ! on_stores 10.0.9.1 dsm_store; then
		fail "swaplab nbd connect 10.0.9.1"
		result dsm_nbd_p50_us ""
	fi
	dsm_rendezvous 3000 || fail "rendezvous after nbd"
fi

# dsm_case NAME SIZE MANAGER [ARGS...]: serve region NAME of SIZE bytes
# on both nodes with MANAGER, run dsm_prog ARGS on it (with no ARGS,
# nothing: this node's server serves the other until it is done), and
# stop the servers once both nodes are done; the program's "bench KEY
# VALUE" lines go to NAME.vals as "KEY VALUE", or "KEY_dyn VALUE" with
# the dynamic manager, and its output and the server's end to NAME.log.
dsm_case() {
	case $3 in dynamic) dsm_sfx=_dyn ;; *) dsm_sfx= ;; esac
	: >"$1.log"
	: >"$1.vals"
	dsm_rendezvous 3000 || fail "rendezvous before $1"
	if ! dsm_run -r "$@"; then
		fail "$1: $dsm_out"
		return 1
	fi
	[ "$dsm_met" = 0 ] || fail "rendezvous after $1"
	[ "$dsm_rc" = 0 ] || fail "$1: dsm_prog exited $dsm_rc"
	[ "$dsm_src" = 0 ] || fail "$1: the server exited $dsm_src"
	{ printf '%s\n' "$dsm_out"; cat /tmp/"$1".out; } >"$1.log"
	cat "$1.log"
	sed -n "s/^bench \(dsm_[a-z0-9_]*\) \([0-9.]*\)\$/\1$dsm_sfx \2/p" \
		"$1.log" >"$1.vals"
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

# jacobi_sent NAME WHICH: to NAME.vals, the messages this node's server
# sent in case NAME, as dsm_jacobi_WHICH_sent (and the manager's suffix).
jacobi_sent() {
	echo "dsm_jacobi_$2_sent$dsm_sfx $(sent "$1")" >>"$1.vals"
}

# answered NAME KIND: the median microseconds of KIND on the "time to
# answer" line of this node's server in case NAME ("p50/p90 (count)").
answered() {
	sed -n "s/.*time to answer.*[:;] $2 \([0-9]*\)\/.*/\1/p" "$1.log"
}

# Each case $rounds times (a region of its own each time), the figures
# the medians. Of a remote read, node 1's server times the request from
# the kernel's event to its SUPPLY, and node 0's the request from its
# arrival to the page sent.
put 4096 $knobs/frames
dsm_pages=$((64 / scale)) dsm_adds=$((10000 / scale))
result dsm_fault_pages $dsm_pages
result dsm_share_adds $dsm_adds
result dsm_rounds "$rounds"
for r in $(seq "$rounds"); do
	dsm_case faults-$r 1M fixed faults faults-$r "$dsm_node" $dsm_pages
	if [ "$dsm_node" = 1 ]; then
		echo "dsm_remote_read_server_p50_us $(answered faults-$r "page requests asked of a peer")"
	else
		echo "dsm_remote_read_owner_p50_us $(answered faults-$r "peers' reads")"
	fi >>faults-$r.vals
	dsm_case pingpong-$r 1M fixed pingpong pingpong-$r "$dsm_node" $((400 / scale))
	dsm_case pingpong-dyn-$r 1M dynamic pingpong pingpong-dyn-$r "$dsm_node" $((400 / scale))
	dsm_case share-$r 1M fixed share share-$r "$dsm_node" $dsm_adds
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
		dsm_case jacobi1-$r "$dsm_region" fixed jacobi jacobi1-$r 0 1 "$dsm_grid" "$dsm_iters"
		jacobi_sent jacobi1-$r one
	else
		dsm_case jacobi1-$r "$dsm_region" fixed
	fi
	for m in fixed dynamic; do
		dsm_case jacobi2-$m-$r "$dsm_region" $m jacobi jacobi2-$m-$r "$dsm_node" 2 \
			"$dsm_grid" "$dsm_iters"
		jacobi_sent jacobi2-$m-$r "two_node$dsm_node"
	done
done
[ "$dsm_node" != 0 ] || dsm_median jacobi1
dsm_median jacobi2-fixed
dsm_median jacobi2-dynamic
