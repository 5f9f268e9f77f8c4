#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Distributed shared memory across two machines: run in both guests of
# tools/testing/pair (node 0 at 10.0.9.1, node 1 at 10.0.9.2, the node's
# number on the kernel command line), by tools/testing/dsm-test. Each
# case starts `swaplab dsm serve` on both, runs dsm_prog on both, and
# stops the servers, which wait for each other:
#
#  - a counter incremented under a spinlock 10000 times from each machine
#    ends at exactly 20000;
#  - a ring of shared pages passes 1 to 5000 from node 0 to node 1, none
#    lost or out of order;
#  - a Jacobi iteration split between the two machines equals the one
#    computed alone, byte for byte;
#  - those three with the fixed manager, then with the dynamic one
#    (cases counter-dyn, ring-dyn, jacobi-dyn);
#  - a page pinned on node 1, its read copy and then a page it owns:
#    node 0's write fails with SIGBUS after the timeout and changes
#    nothing (the copy cannot be invalidated, the page cannot be handed
#    over), and goes through once node 1 lets go; node 1's server counts
#    the take-backs its kernel refused, node 0's none;
#  - the servers' logs, in /mnt/dsm/ for the host to fetch, let
#    tools/testing/dsm-check prove that no page was writable on one node
#    while another could read or write it;
#  - connections that send junk, half a hello or a hello for another
#    region while node 0 waits for node 1 are refused and logged, and so
#    is one after both are up, and the region is served all the same;
#  - node 1's server stopped (SIGSTOP), its connection open: node 0's
#    pages read as they were, a fault that needs node 1 fails with SIGBUS
#    after the timeout instead of hanging; once node 1's server goes on
#    (SIGCONT), the two servers stop together;
#  - node 1's server killed: node 0's pages read as they were, a fault
#    that needs node 1 fails with SIGBUS after the timeout instead of
#    hanging, node 0's server says the peer was lost, and swaplab.ko
#    unloads on both.
#
# TAP, planned first (swaplab_lib.sh); swaplab.ko is loaded and unloaded
# here.

. "$(dirname "$0")/swaplab_lib.sh"
. "$(dirname "$0")/dsm_lib.sh"

need_swaplab "distributed shared memory"
tap_plan 13
case $dsm_node in
0|1) ;;
*) not_ok "dsm: no node number (swaplab.node=) on the command line"; tap_end ;;
esac
dsm_prog=$(dirname "$0")/dsm_prog
insmod /swaplab/swaplab.ko frames=4096 swapfile=/mnt/swaplab.swap swapfile_size=16M ||
	{ not_ok "dsm: insmod"; tap_end; }

# case NAME MANAGER CMD...: region NAME served with MANAGER, dsm_prog CMD
# on it, and both servers' ends.
case_() {
	name=$1 manager=$2
	shift 2
	if ! dsm_run "$name" 1M "$manager" "$@"; then
		not_ok "dsm $name: $dsm_out"
		return 1
	fi
	echo "# node $dsm_node: $dsm_out"
	sed 's/^/# /' /tmp/"$name".out
	if [ $dsm_rc = 0 ] && [ $dsm_src = 0 ]; then
		ok "dsm $name: $dsm_out"
	else
		not_ok "dsm $name: dsm_prog status $dsm_rc, server status $dsm_src: $dsm_out"
	fi
}

for manager in fixed dynamic; do
	sfx=${manager#fixed}
	sfx=${sfx:+-dyn}
	case_ counter$sfx $manager counter counter$sfx "$dsm_node" 2 10000
	case_ ring$sfx $manager ring ring$sfx "$dsm_node" 5000
	case_ jacobi$sfx $manager jacobi jacobi$sfx "$dsm_node" 2 96 40
done

# A page pinned on node 1: its server's FLUSH is refused (EBUSY) until
# it lets go, and tried again.
case_ pinned fixed pinned pinned "$dsm_node" "$dsm_timeout_ms"
refused=$(sed -n 's/.* \([0-9]*\) take-backs refused (pinned)$/\1/p' /tmp/pinned.out)
if [ "$dsm_node" = 1 ] && [ "${refused:-0}" -ge 2 ]; then
	ok "dsm pinned: node 1's kernel refused $refused take-backs"
elif [ "$dsm_node" = 0 ] && [ "$refused" = 0 ]; then
	ok "dsm pinned: node 0's kernel refused none"
else
	not_ok "dsm pinned: node $dsm_node's kernel refused ${refused:-no count of} take-backs (node 1: 2 at least, node 0: none)"
fi

# Junk, half a hello and a hello for another region while node 0 waits
# for node 1, then junk once both are up: each refused, and logged.
dsm_rendezvous
if [ "$dsm_node" = 1 ]; then
	for kind in junk truncated hello; do
		i=0
		until "$dsm_prog" garbage 10.0.9.1:7400 $kind; do
			i=$((i + 1))
			[ $i -lt 100 ] || break
			sleep 0.3
		done
	done
fi
if dsm_start garbage; then
	g=ok
	[ "$dsm_node" = 0 ] || "$dsm_prog" garbage 10.0.9.1:7400 junk || g=fail
	"$dsm_prog" counter garbage "$dsm_node" 2 200 || g=fail
	dsm_stop || g=fail
	refused=$(grep -c "refused a connection" /mnt/dsm/garbage.log)
	grep refused /mnt/dsm/garbage.log | sed 's/^/# /'
	if [ "$dsm_node" = 1 ]; then
		[ $g = ok ] && ok "dsm garbage: sent, refused by node 0, and the region served" ||
			not_ok "dsm garbage: a garbage connection stayed open or the region failed"
	elif [ $g = ok ] && [ "$refused" -ge 4 ]; then
		ok "dsm garbage: $refused connections refused, the region served"
	else
		not_ok "dsm garbage: $refused connections refused (4 due), status $g"
	fi
else
	not_ok "dsm garbage: the server did not start"
fi

# Node 1's server stopped, not gone: node 0's faults that need it time
# out; then it goes on, and the servers stop together.
dsm_rendezvous
dsm_start stopped || not_ok "dsm stopped peer: the server did not start"
"$dsm_prog" own stopped "$dsm_node" 8 || not_ok "dsm stopped peer: own"
dsm_rendezvous
if [ "$dsm_node" = 1 ]; then
	kill -STOP $dsm_server
	dsm_rendezvous
	dsm_rendezvous
	kill -CONT $dsm_server
	ok "dsm stopped peer: node 1's server stopped while node 0 faulted, then went on"
else
	dsm_rendezvous
	out=$("$dsm_prog" survive stopped 8 $dsm_timeout_ms 2>&1)
	rc=$?
	dsm_rendezvous
	echo "# node 0: $out"
	if [ $rc = 0 ]; then
		ok "dsm stopped peer: $out"
	else
		not_ok "dsm stopped peer: survive status $rc: $out"
	fi
fi
dsm_stop
src=$?
sed 's/^/# /' /tmp/stopped.out
if [ $src = 0 ]; then
	ok "dsm stopped peer: node $dsm_node's server stopped with its peer's"
else
	not_ok "dsm stopped peer: node $dsm_node's server status $src"
fi

# Node 1's server killed while node 0 uses the region.
dsm_rendezvous
dsm_start lost || not_ok "dsm lost peer: the server did not start"
"$dsm_prog" own lost "$dsm_node" 8 || not_ok "dsm lost peer: own"
dsm_rendezvous
if [ "$dsm_node" = 1 ]; then
	kill -KILL $dsm_server
	wait $dsm_server
	ok "dsm lost peer: node 1's server killed"
else
	i=0
	until grep -q "peer 1 gone" /mnt/dsm/lost.log; do
		i=$((i + 1))
		[ $i -lt 300 ] || break
		sleep 0.1
	done
	out=$("$dsm_prog" survive lost 8 $dsm_timeout_ms 2>&1)
	rc=$?
	dsm_stop
	src=$?
	echo "# node 0: $out"
	sed 's/^/# /' /tmp/lost.out
	if [ $rc = 0 ] && [ $src = 1 ] && grep -q "a peer was lost" /tmp/lost.out; then
		ok "dsm lost peer: $out; the server says the peer was lost"
	else
		not_ok "dsm lost peer: survive status $rc, server status $src (1 due): $out"
	fi
fi
if rmmod swaplab; then
	ok "dsm: rmmod on node $dsm_node"
else
	not_ok "dsm: rmmod on node $dsm_node"
fi
tap_end
