#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the scripts that run in both guests of tools/testing/pair share
# around `swaplab dsm serve` (selftests/dsm_test.sh and
# tools/testing/guest/bench-dsm.sh). Sourced. It sets
#
#   dsm_node        this guest's node number (swaplab.node= on the kernel
#                   command line), empty if there is none
#   dsm_peers       both servers' addresses: 10.0.9.1 and 10.0.9.2, port
#                   7400
#   dsm_timeout_ms  the servers' --timeout
#   dsm_log         1: the servers log each connection and each change of
#                   a page's access (--log) to /mnt/dsm/, on the guest's
#                   disk, for the host to fetch; empty: they do not
#
# and defines dsm_rendezvous, dsm_start, dsm_stop and dsm_run. The
# caller sets dsm_prog, the path of selftests/dsm_prog, for dsm_run.

dsm_node=$(sed -n 's/.*swaplab\.node=\([0-9]*\).*/\1/p' /proc/cmdline)
dsm_peers=10.0.9.1:7400,10.0.9.2:7400
dsm_timeout_ms=3000
dsm_log=1
mkdir -p /mnt/dsm

# dsm_rendezvous [TRIES]: neither node goes on before both are here
# (busybox nc over the nodes' own network, port 7401). Node 1 tries TRIES
# times (300 by default), 0.2 s apart, and returns 1 if node 0 never
# answered.
dsm_rendezvous() {
	if [ "$dsm_node" = 0 ]; then
		nc -l -p 7401 </dev/null >/dev/null
	else
		dsm_i=0
		until nc 10.0.9.1 7401 </dev/null >/dev/null 2>&1; do
			dsm_i=$((dsm_i + 1))
			[ $dsm_i -lt "${1:-300}" ] || return 1
			sleep 0.2
		done
	fi
}

# dsm_start NAME [SIZE [MANAGER]]: serve region NAME (SIZE bytes, 1M by
# default; the fixed manager by default), its log in /mnt/dsm/NAME.log
# if dsm_log is set and its output in /tmp/NAME.out, the server's pid in
# dsm_server; return once it is ready, 1 if it died or was not ready in
# 150 s.
dsm_start() {
	rm -f /tmp/"$1".ready
	# shellcheck disable=SC2046
	swaplab dsm serve --node "$dsm_node" --peers "$dsm_peers" --region "$1" \
		--size "${2:-1M}" --manager "${3:-fixed}" \
		--timeout $dsm_timeout_ms --wait 120 \
		$([ -z "$dsm_log" ] || echo --log /mnt/dsm/"$1".log) \
		--ready /tmp/"$1".ready >/tmp/"$1".out 2>&1 &
	dsm_server=$!
	dsm_i=0
	while [ ! -e /tmp/"$1".ready ]; do
		kill -0 "$dsm_server" 2>/dev/null || return 1
		dsm_i=$((dsm_i + 1))
		[ $dsm_i -lt 1500 ] || return 1
		sleep 0.1
	done
}

# dsm_stop: stop the server, which waits for its peer to stop too; its
# exit status.
dsm_stop() {
	kill -TERM "$dsm_server"
	wait "$dsm_server"
}

# dsm_run [-r] NAME SIZE MANAGER [ARGS...]: serve region NAME (SIZE
# bytes, with MANAGER) on this node, run "$dsm_prog" ARGS on it (with no
# ARGS, nothing), and stop the server, which serves the other nodes until
# they stop theirs; with -r, a rendezvous before the stop, so that a node
# with nothing to run serves the other's program to its end. dsm_out
# holds the program's output, dsm_rc its status, dsm_src the server's,
# and dsm_met 1 if the rendezvous failed. 1 if the server did not start
# (dsm_out says why).
dsm_run() {
	dsm_meet=
	[ "$1" != -r ] || { dsm_meet=1; shift; }
	dsm_name=$1 dsm_size=$2 dsm_mgr=$3
	shift 3
	dsm_out= dsm_rc=0 dsm_src=0 dsm_met=0
	if ! dsm_start "$dsm_name" "$dsm_size" "$dsm_mgr"; then
		dsm_out="the server did not start: $(tail -n 3 /tmp/"$dsm_name".out | tr '\n' ' ')"
		# With -r, the other node's rendezvous all the same, in step.
		[ -z "$dsm_meet" ] || dsm_rendezvous 3000
		return 1
	fi
	if [ $# -gt 0 ]; then
		dsm_out=$("$dsm_prog" "$@" 2>&1)
		dsm_rc=$?
	fi
	[ -z "$dsm_meet" ] || dsm_rendezvous 3000 || dsm_met=1
	dsm_stop
	dsm_src=$?
}
