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
#
# and defines dsm_rendezvous, dsm_start and dsm_stop. The servers' logs
# go to /mnt/dsm/, on the guest's disk, for the host to fetch.

dsm_node=$(sed -n 's/.*swaplab\.node=\([0-9]*\).*/\1/p' /proc/cmdline)
dsm_peers=10.0.9.1:7400,10.0.9.2:7400
dsm_timeout_ms=3000
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
# and its output in /tmp/NAME.out, the server's pid in dsm_server;
# return once it is ready, 1 if it died or was not ready in 150 s.
dsm_start() {
	rm -f /tmp/"$1".ready
	swaplab dsm serve --node "$dsm_node" --peers "$dsm_peers" --region "$1" \
		--size "${2:-1M}" --manager "${3:-fixed}" \
		--timeout $dsm_timeout_ms --wait 120 \
		--log /mnt/dsm/"$1".log --ready /tmp/"$1".ready >/tmp/"$1".out 2>&1 &
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
