#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# swaplab under pressure on the whole machine: the stock kernel reclaims
# and swaps at the same time as swaplab pages. Memory is locked until
# about 96 MiB is left, then 192 MiB of anonymous memory is written
# twice (kswapd and direct reclaim swap it to a swap file) while swaplab
# pages 32 MiB through an 8 MiB budget, both verifying their data. Run
# by swaplab.sh with the module loaded; TAP lines like it.
#
# Usage: pressure_test.sh DIR   (DIR holds the stock kernel's swap file)

dir=${1:-/var/tmp}
status=0
ok() { echo "ok - pressure: $*"; }
not_ok() { echo "not ok - pressure: $*"; status=1; }

if ! command -v swaplab >/dev/null || [ ! -e /dev/swaplab ]; then
	echo "ok - pressure # SKIP no swaplab CLI or module"
	exit 0
fi
if [ -n "$(tail -n +2 /proc/swaps)" ]; then
	echo "ok - pressure # SKIP swap already active"
	exit 0
fi

knobs=/sys/kernel/swaplab
frames=$(cat $knobs/frames)
swap=$dir/swaplab-pressure.swap
dd if=/dev/zero of="$swap" bs=1M count=256 2>/dev/null
chmod 600 "$swap"
mkswap "$swap" >/dev/null && swapon "$swap" || { not_ok "swapon"; exit 1; }

# Page cache would be reclaimed before any anonymous page: drop it first.
sync
echo 3 >/proc/sys/vm/drop_caches
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
hog=$((avail - 96))
swaplab micro hog --size ${hog}M --seconds 900 >/tmp/swaplab-hog.log 2>&1 &
hogpid=$!
for i in $(seq 300); do
	grep -q locked /tmp/swaplab-hog.log && break
	sleep 0.2
done
out0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)

echo 2048 >$knobs/frames
swaplab micro anon --size 192M --passes 2 >/tmp/swaplab-anon.log 2>&1 &
anonpid=$!
swaplab bench seq --size 32M --passes 2 >/tmp/swaplab-pressure.log 2>&1
rc=$?
wait $anonpid
arc=$?
out1=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
kill $hogpid 2>/dev/null
wait $hogpid 2>/dev/null
echo "$frames" >$knobs/frames
swapoff "$swap"
rm -f "$swap"

if grep -q locked /tmp/swaplab-hog.log; then
	ok "locked $hog MiB, $((avail - hog)) MiB left"
else
	not_ok "could not lock $hog MiB: $(cat /tmp/swaplab-hog.log)"
fi
if [ $rc = 0 ] && grep -q ' 0 mismatched words' /tmp/swaplab-pressure.log; then
	ok "swaplab paged 32 MiB through 8 MiB and verified it while the kernel swapped $(((out1 - out0) / 256)) MiB"
else
	sed 's/^/# /' /tmp/swaplab-pressure.log
	not_ok "swaplab workload under pressure (exit $rc)"
fi
if [ $arc = 0 ] && grep -q ', 0 mismatches' /tmp/swaplab-anon.log &&
   [ $((out1 - out0)) -gt 0 ]; then
	ok "the stock kernel swapped and its data held"
else
	sed 's/^/# /' /tmp/swaplab-anon.log
	not_ok "anonymous workload (exit $arc, pswpout +$((out1 - out0)))"
fi
exit $status
