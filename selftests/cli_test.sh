#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the swaplab CLI that need no module: make check runs them on
# the host. Every command, and swaplab itself, takes --help and -h: the
# usage on standard output, nothing on standard error, exit 0; a wrong
# usage still exits 2 with the usage on standard error. TAP lines; exit 1
# on any failure.
#
# SWAPLAB: the swaplab CLI (default: userspace/swaplab beside this tree).

here=$(dirname "$0")
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

ok() { echo "ok - cli: $*"; }
not_ok() { echo "not ok - cli: $*"; status=1; }

for cmd in "" status top set bench compare run record pager dsm policy micro msg thrash nbd sim gen; do
	for opt in --help -h; do
		# shellcheck disable=SC2086
		"$swaplab" $cmd $opt >"$tmp/out" 2>"$tmp/err"
		rc=$?
		name="swaplab${cmd:+ $cmd} $opt"
		if [ $rc = 0 ] && grep -q '^usage: swaplab' "$tmp/out" &&
		   [ ! -s "$tmp/err" ]; then
			ok "$name: usage on stdout, exit 0"
		else
			not_ok "$name: exit $rc, stdout '$(head -n1 "$tmp/out")', stderr '$(head -n1 "$tmp/err")'"
		fi
	done
done

# A wrong usage; the trace options (--format...) go with a trace only.
for args in "" "bogus" "sim --bogus" "gen --bogus zipf --pages 5" \
	    "bench zipf --format csv" "compare zipf --budget 1M --format msr" \
	    "bench seq --resize 1:64" "bench rand --resize 1:64" \
	    "pager" "pager --bogus" "pager --policy fifo --entries 100" \
	    "pager --policy fifo --data-timeout 100" "pager --data --data-timeout 0" \
	    "pager --data --data-timeout 60001" "pager --data --data-timeout x" \
	    "policy" "policy bogus" "policy load" "policy unload a b" \
	    "micro threads --threads 0" "micro threads --threads 1,17" \
	    "micro threads --threads 1,,2" "micro fault --threads 2" \
	    "micro metadata --swapfile /tmp/x" "micro fault --alg lz4" \
	    "micro tier --threads 2" "micro tier --alg" "micro tier extra" \
	    "msg extra" "msg --sizes 100" "msg --sizes 4K,,8K" "msg --sizes 0" \
	    "msg --count 0" "msg --via bogus" "msg --via move,bogus" \
	    "thrash --procs 0" "thrash --procs 65" "thrash --system remote" \
	    "thrash --quantum 0" "thrash --ws 0" "thrash extra" \
	    "thrash --system stock --load-control" \
	    "nbd" "nbd bogus" "nbd connect h 10809 e" \
	    "nbd connect h 10809 e /dev/sda" "nbd connect h 10809 e /dev/nbd" \
	    "nbd connect h 10809 e /dev/nbd0 --timeout 0" \
	    "nbd connect h 10809 e /dev/nbd0 --wait 3" \
	    "nbd reconnect h 10809 e /dev/nbd0 --timeout 3" \
	    "nbd reconnect h 10809 e /dev/nbd0 --wait x" \
	    "nbd disconnect" "nbd disconnect /dev/nbd0 extra" \
	    "nbd watch h 10809 e" "nbd watch h 10809 e /dev/nbd0 --wait 3" \
	    "nbd watch h 10809 e /dev/nbd0 --timeout 3" \
	    "dsm" "dsm bogus" "dsm sim extra" "dsm sim --nodes 0" \
	    "dsm sim --nodes 65" "dsm sim --writes 101" "dsm sim --pages x" \
	    "dsm sim --runs 0" "dsm sim --ops -1" "dsm sim --manager central" \
	    "dsm sim --pin 101" \
	    "dsm serve" \
	    "dsm serve --node 0 --peers 127.0.0.1:1 --region r --size 1M" \
	    "dsm serve --node 2 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 1M" \
	    "dsm serve --node 0 --peers 127.0.0.1,127.0.0.1:2 --region r --size 1M" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 4097" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --size 1M" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 1M --timeout 0" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 1M --mode 1777" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 1M --manager x" \
	    "dsm serve --node 0 --peers 127.0.0.1:1,127.0.0.1:2 --region r --size 1M extra"; do
	# shellcheck disable=SC2086
	"$swaplab" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q '^usage: swaplab' "$tmp/err"; then
		ok "swaplab $args: usage on stderr, exit 2"
	else
		not_ok "swaplab $args: exit $rc, stderr '$(head -n1 "$tmp/err")'"
	fi
done

# make unload: while an eBPF policy is pinned, it names the command that
# unloads it and never gets to rmmod.
mkdir "$tmp/pins" && : >"$tmp/pins/bpf_qfifo"
make -s -C "$here/.." unload BPF_PINS="$tmp/pins" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc != 0 ] &&
   grep -q 'eBPF policy bpf_qfifo .*swaplab policy unload bpf_qfifo$' "$tmp/err" &&
   ! grep -q rmmod "$tmp/err"; then
	ok "make unload with an eBPF policy pinned: names it, no rmmod"
else
	not_ok "make unload with an eBPF policy pinned: exit $rc, stderr '$(head -n2 "$tmp/err")'"
fi
exit $status
