#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks behind `make bench`, run inside the VM (one stock kernel
# per run): each measures swaplab and the stock kernel in the same run and
# writes "key value" lines to /mnt/bench/results.txt, full outputs beside
# it, and gnuplot data and scripts for the host to render. Sizes are tens
# of MiB because the VM runs under TCG emulation.
#
# Usage: bench.sh [quick]   (quick: smaller sizes, for the self-test)

set -u
out=/mnt/bench
mkdir -p $out
cd $out || exit 1
: >results.txt
knobs=/sys/kernel/swaplab
status=0
scale=1
[ "${1:-}" = quick ] && scale=4

result() {
	echo "$1 $2" >>results.txt
	echo "  $1 = $2"
}

fail() {
	echo "bench: FAIL: $*"
	status=1
}

mib() {
	echo "$(($1 / scale))M"
}

# A compare run: its table must have verified every page, and every
# swaplab row must have run; a stock run the kernel killed (memcg OOM) is
# a finding, recorded, not a failure of the benchmark.
compare_ok() {
	if grep -q '^swaplab-[a-z]* *failed' "$1" ||
	   ! awk '$1 ~ /^(swaplab|stock)-/ && $2 ~ /^[0-9]+$/ && $NF != 0 { bad++ } END { exit bad > 0 }' "$1"; then
		fail "$1: wrong data or a swaplab run failed"
	fi
	for r in $(awk '$2 == "failed" || $2 == "oom-killed" { print $1 }' "$1"); do
		result "failed_$(basename "$1" .log)_$r" \
			"$(awk -v r="$r" '$1 == r { print $2; exit }' "$1")"
	done
}

# The value in column $2 of the row of $1 in a compare table.
col() {
	awk -v r="$1" -v c="$2" '$1 == r && $2 ~ /^[0-9]+$/ { print $c; exit }' "$3"
}

# ns of CPU time the task named $1 has had so far (/proc/PID/schedstat).
cpu_ns() {
	for p in /proc/[0-9]*; do
		if [ "$(cat $p/comm 2>/dev/null)" = "$1" ]; then
			awk '{ print $1 }' $p/schedstat
			return
		fi
	done
	echo 0
}

stat() {
	awk -v n="$1" '$1 == n { print $2 }' $knobs/stat
}

uname -r >kernel.txt
result kernel "$(uname -r)"
result date "$(date -u +%Y-%m-%d)"
result mem_mib "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null || echo none)
result lru_gen_default "$lru_gen"
if [ "$lru_gen" != none ] && [ "$((lru_gen))" != 0 ]; then
	stock=stock-mglru
else
	stock=stock-lru
fi
result stock_default $stock

# checksum=0: the stock kernel's swap keeps no checksum either; the cost
# of the default checksum=1 has a section of its own below.
# The VM runner has loaded libcrc32c, which swaplab.ko needs (insmod
# does not load it); elsewhere `make install` and modprobe swaplab.
insmod /swaplab/swaplab.ko frames=4096 swapfile=/mnt/swaplab.swap \
	swapfile_size=256M checksum=0 || exit 1
echo 0 >$knobs/readahead

echo "== resident fault against the anonymous minor fault"
swaplab micro fault --size "$(mib 8)" >fault.log || fail "micro fault"
cat fault.log
result fault_swaplab_ns "$(awk '/swaplab resident fault/ { print $4 }' fault.log)"
result fault_anon_ns "$(awk '/stock anon minor fault/ { print $5 }' fault.log)"
result fault_shmem_ns "$(awk '/stock shmem refault/ { print $4 }' fault.log)"

echo "== raw O_DIRECT read bandwidth of the disk"
# A file written through (an fallocated one, like a fresh swap file, has
# unwritten extents that O_DIRECT reads as zeroes with no I/O at all).
# 1 MiB reads, the disk's limit; 128 KiB (swaplab's largest I/O, 32
# pages) and 4 KiB (one page, what a major fault reads) for context.
dd if=/dev/zero of=/mnt/raw.bin bs=1M count=$((128 / scale)) 2>/dev/null
sync
for bs in 1M 128K 4K; do
	swaplab micro rawread /mnt/raw.bin --bs $bs >rawread-$bs.log || fail "rawread $bs"
	cat rawread-$bs.log
	key=raw_read_mibs
	[ $bs = 1M ] || key=raw_read_mibs_$bs
	result $key "$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "MiB/s") print $i }' rawread-$bs.log)"
done
rm -f /mnt/raw.bin

# Major faults and scans: a region 4x the budget, references read only
# (every page written once first), so that evictions are clean and a
# major fault is one page read.
echo "== major fault latency: random reads, 4x the budget, no readahead"
pc=$(cat /proc/sys/vm/page-cluster)
echo 0 >/proc/sys/vm/page-cluster
swaplab compare rand --budget "$(mib 8)" --size "$(mib 32)" --refs $((8192 / scale)) \
	--readonly --policies aging --swapfile /mnt/cmp.swap >major.log 2>&1
compare_ok major.log
echo "$pc" >/proc/sys/vm/page-cluster
cat major.log
# "fault p50" is column 7.
result major_p50_us_swaplab "$(col swaplab-aging 7 major.log)"
result major_p50_us_stock "$(col $stock 7 major.log)"
result major_p50_us_stock_lru "$(col stock-lru 7 major.log)"

echo "== sequential scan, 4x the budget: readahead 0 and 31, stock default"
for ra in 0 31; do
	echo $ra >$knobs/readahead
	swaplab compare seq --budget "$(mib 8)" --size "$(mib 32)" --readonly \
		--throughput --policies aging --swapfile /mnt/cmp.swap >scan-ra$ra.log 2>&1
	compare_ok scan-ra$ra.log
	cat scan-ra$ra.log
	refs=$(awk '/^compare/ { print $7 }' scan-ra$ra.log)
	el=$(col swaplab-aging 4 scan-ra$ra.log)
	result scan_mibs_swaplab_ra$ra "$(awk -v r="$refs" -v e="$el" 'BEGIN { printf "%.1f", r * 4096 / e / 1048576 }')"
	el=$(col $stock 4 scan-ra$ra.log)
	result scan_mibs_stock_ra$ra "$(awk -v r="$refs" -v e="$el" 'BEGIN { printf "%.1f", r * 4096 / e / 1048576 }')"
done
echo 0 >$knobs/readahead

# The same random read-write string through swaplab alone, with checksums
# off, on (the default), and on with encryption: three rounds of the three,
# in turn, and the median of each (one run's p50 varies by up to 2x under
# TCG). Every switch changes only between runs, when compare has freed
# its slots.
echo "== cost of the slot checksums and of swap encryption"
for round in 1 2 3; do
	for mode in plain csum crypt; do
		echo 0 >$knobs/encrypt
		case $mode in
		plain) echo 0 >$knobs/checksum ;;
		csum) echo 1 >$knobs/checksum ;;
		crypt) echo 1 >$knobs/checksum; echo 1 >$knobs/encrypt ;;
		esac
		log=integrity-$mode-$round.log
		swaplab compare rand --budget "$(mib 8)" --size "$(mib 32)" --refs $((8192 / scale)) \
			--policies aging --stock none --swapfile /mnt/cmp.swap >$log 2>&1
		compare_ok $log
		cat $log
		col swaplab-aging 7 $log >>integrity-$mode.p50
		col swaplab-aging 4 $log >>integrity-$mode.elapsed
	done
done
for mode in plain csum crypt; do
	result "integrity_p50_us_$mode" "$(sort -n integrity-$mode.p50 | sed -n 2p)"
	result "integrity_elapsed_$mode" "$(sort -n integrity-$mode.elapsed | sed -n 2p)"
done
echo 0 >$knobs/encrypt
echo 0 >$knobs/checksum

# Readahead off on both sides, so that a major fault is a miss and the
# policies alone differ.
echo "== policy quality: four workloads, 4x the budget, no readahead"
echo 0 >/proc/sys/vm/page-cluster
for w in zipf loop shift hotcold; do
	size=$(mib 16) budget=$(mib 4)
	[ $w = loop ] && size=$(mib 5)
	extra=
	[ $w = zipf ] && extra="--curve 0.5,2,3"
	# shellcheck disable=SC2086
	swaplab compare $w --budget "$budget" --size "$size" --policies aging,clock,fifo \
		--swapfile /mnt/cmp.swap --plot $w $extra >quality-$w.log 2>&1
	compare_ok quality-$w.log
	cat quality-$w.log
	for r in swaplab-aging swaplab-clock swaplab-fifo stock-lru stock-mglru sim-lru sim-opt; do
		result "quality_${w}_$r" "$(col $r 2 quality-$w.log)"
	done
	# The simulator alone: the module's aging code against exact LRU.
	pages=$(($(echo "$size" | tr -d M) * 256))
	frames=$(($(echo "$budget" | tr -d M) * 256))
	swaplab gen $w --pages $pages >$w.trace
	swaplab sim $w.trace --frames $frames >sim-$w.log
	result "sim_${w}_distinct" "$(sort -u $w.trace | wc -l)"
	for p in aging lru opt; do
		result "sim_${w}_$p" "$(awk -v p=$p '$1 == p { print $2 }' sim-$w.log)"
	done
done
echo "$pc" >/proc/sys/vm/page-cluster

echo "== metadata: a region of 64 MiB through a 4 MiB budget, and 16 MiB"
echo 1024 >$knobs/frames
swaplab bench seq --size "$(mib 64)" --passes 1 >metadata.log 2>&1 || fail "bench seq 64M"
cat metadata.log
# "metadata N bytes for P pages, B bytes per page (table T, frames F)"
result metadata_bytes_per_page "$(awk '/metadata/ { print $7 }' metadata.log)"
result metadata_table_bytes_per_page "$(awk '/metadata/ { print $12 + 0 }' metadata.log)"
result metadata_frames_bytes_per_page "$(awk '/metadata/ { print $14 + 0 }' metadata.log)"

# Evictions while swaplabd ran; the faulting thread's direct reclaim,
# counted apart, is taken out as 32-page batches (an upper bound).
echo "== daemon CPU per GiB evicted: swaplabd against kswapd"
c0=$(cpu_ns swaplabd) e0=$(stat evictions) d0=$(stat direct_reclaims)
swaplab bench seq --size "$(mib 64)" --passes 2 >daemon.log 2>&1 || fail "bench seq daemon"
c1=$(cpu_ns swaplabd) e1=$(stat evictions) d1=$(stat direct_reclaims)
e=$((e1 - e0 - 32 * (d1 - d0)))
result swaplabd_direct_reclaims $((d1 - d0))
result swaplabd_cpu_s_per_gib "$(awk -v c=$((c1 - c0)) -v e=$e 'BEGIN { if (e > 0) printf "%.3f", c / 1e9 / (e * 4096 / 1073741824); else print "n/a" }')"
result swaplabd_evicted_mib "$((e / 256))"
rmmod swaplab

# Global pressure, no cgroup: the stock kernel's kswapd reclaims.
dd if=/dev/zero of=/mnt/kswapd.swap bs=1M count=$((512 / scale)) 2>/dev/null
mkswap /mnt/kswapd.swap >/dev/null && swapon /mnt/kswapd.swap
free=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
c0=$(cpu_ns kswapd0) s0=$(awk '$1 == "pgsteal_kswapd" { print $2 }' /proc/vmstat)
swaplab micro anon --size "$((free + 96 / scale))M" --passes 2 >kswapd.log 2>&1 ||
	fail "micro anon"
c1=$(cpu_ns kswapd0) s1=$(awk '$1 == "pgsteal_kswapd" { print $2 }' /proc/vmstat)
cat kswapd.log
swapoff /mnt/kswapd.swap
rm -f /mnt/kswapd.swap
result kswapd_cpu_s_per_gib "$(awk -v c=$((c1 - c0)) -v e=$((s1 - s0)) 'BEGIN { if (e) printf "%.3f", c / 1e9 / (e * 4096 / 1073741824); else print "n/a" }')"
result kswapd_evicted_mib "$(((s1 - s0) / 256))"

exit $status
