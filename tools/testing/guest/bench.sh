#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks behind `make bench`, run inside the VM (one stock kernel
# per run): each measures swaplab and the stock kernel in the same run,
# like for like (same budget, disk, readahead window, kind of baseline and
# reclaim arrangement on both sides, checksums off on both), and writes
# "key value" lines to /mnt/bench/results.txt, full outputs beside it,
# and gnuplot data and scripts for the host to render. A figure that
# could not be measured is written with an empty value ("missing" in the
# report), and every failed command makes the script exit non-zero.
# Sizes are tens of MiB because the VM runs under TCG emulation.
#
# Usage: bench.sh [quick] [files|daemon|thrash|msg|dsm]
#   quick, for make check: a quarter of the sizes, an eighth of most
#          regions, of their references and of swaplab's store, and one
#          round where the full run takes several
#   files: only the sections of pages of files (bench-files.sh), for
#          `tools/testing/bench --only files`
#   daemon, thrash, msg: only the section of the daemons' CPU
#          (bench-daemon.sh), of thrashing (bench-thrash.sh), or of
#          message passing (bench-msg.sh), for `tools/testing/bench
#          --only daemon`, `--only thrash` or `--only msg`
#   dsm:   only the section of distributed shared memory (bench-dsm.sh),
#          in each of the two guests of tools/testing/pair, for
#          `tools/testing/bench` after each kernel's own run

set -u
# Where the VM runner put us, with bpf/ (the example eBPF policies).
here=$(cd "$(dirname "$0")" && pwd)
out=/mnt/bench
mkdir -p $out
cd $out || exit 1
: >results.txt
knobs=/sys/kernel/swaplab
status=0
# Sizes are divided by scale, but those of swaplab's store and of the
# regions that compare, bench and micro metadata run outside policy
# quality and the recorded programs by sscale; the references of a
# replay are divided by refscale where every reference can fault from
# the first (random strings, and regions written first with
# --readonly; a sequential replay that writes takes no major fault
# before its second pass). rounds is the number of rounds of the
# sections that take medians (trounds the most a thrashing point takes
# where its rounds are short), bpf_rounds that of the eBPF cost, and
# stock_runs the number of runs of the stock side on each recorded
# string. A quick run takes a quarter of the sizes, an eighth of
# those (32 MiB through 8 MiB become 4 MiB through 1 MiB, the size of
# the policy-quality strings) and of those references, one round and
# two runs of the stock side: every command runs and every figure is
# made, from as little work as that takes.
scale=1 sscale=1 refscale=1 rounds=3 trounds=9 bpf_rounds=7 stock_runs=3
if [ "${1:-}" = quick ]; then
	scale=4 sscale=8 refscale=8 rounds=1 trounds=1 bpf_rounds=1 stock_runs=2
	shift
fi
only=${1:-}

result() {
	echo "$1 $2" >>results.txt
	echo "  $1 = $2"
	[ -n "$2" ] || fail "$1: no value"
}

fail() {
	echo "bench: FAIL: $*"
	status=1
}

mib() {
	echo "$(($1 / scale))M"
}

# The same by sscale, in KiB where MiB would not be whole.
smib() {
	if [ $(($1 % sscale)) = 0 ]; then
		echo "$(($1 / sscale))M"
	else
		echo "$(($1 * 1024 / sscale))K"
	fi
}

# The references of a replay that takes compare's default, four passes
# over its region of $2 pages, as arguments: none in the full run, $1
# passes in a quick run.
passes() {
	[ "$scale" = 1 ] || echo "--refs $(($1 * $2))"
}

# The guest's uptime in seconds: the clock of the section timings.
uptime_s() {
	awk '{ print $1 }' /proc/uptime
}

# Start section $1, printing its title, after the seconds the section
# before it took ("# section TITLE: N s"; output only, no results key).
# An empty $1 ends the last section and prints the run's total.
section() {
	now=$(uptime_s)
	echo "# section $sect: $(awk -v a="$sect_t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }') s"
	sect=$1 sect_t0=$now
	if [ -n "$1" ]; then
		echo "== $1"
	else
		echo "# bench: $(awk -v a="$bench_t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }') s in all"
	fi
}

# Write a knob or sysctl; a failure is a failure of the benchmark.
put() {
	echo "$1" >"$2" || fail "cannot write $1 to $2"
}

# A compare run, output in $1, the rest its arguments: it must exit 0,
# its table must have verified every page, and every swaplab row must
# have run; a stock run the kernel killed (memcg OOM) is a finding,
# recorded, and its figures are then missing.
compare() {
	log=$1
	shift
	swaplab compare "$@" >"$log" 2>&1 || fail "$log: compare exited $?"
	cat "$log"
	if grep -q '^swaplab-[a-z]* *failed' "$log" ||
	   ! awk '$1 ~ /^(swaplab|stock)-/ && $2 ~ /^[0-9]+$/ && $NF != 0 { bad++ } END { exit bad > 0 }' "$log"; then
		fail "$log: wrong data or a swaplab run failed"
	fi
	for r in $(awk '$2 == "failed" || $2 == "oom-killed" { print $1 }' "$log"); do
		echo "failed_$(basename "$log" .log)_$r $(awk -v r="$r" '$1 == r { print $2; exit }' "$log")" >>results.txt
	done
}

# The value in column $2 of the row of $1 in a compare table; empty when
# the row is missing or failed.
col() {
	awk -v r="$1" -v c="$2" '$1 == r && $2 ~ /^[0-9]+$/ { print $c; exit }' "$3"
}

# The major faults of row $1 in compare table $2, for a result: as col,
# but "oom-killed" for a stock run its cgroup's OOM killer ended (a
# finding, which compare() recorded, not a missing figure).
faults() {
	v=$(col "$1" 2 "$2")
	[ -n "$v" ] || ! grep -q "^$1 *oom-killed" "$2" || v=oom-killed
	echo "$v"
}

# The sizes of policy-quality workload $1, in KiB: size_k and budget_k.
# The region is 4x the budget; loop is a loop a little larger than it.
qsizes() {
	size_k=$((16384 / scale)) budget_k=$((4096 / scale))
	if [ "$1" = loop ]; then size_k=$((budget_k * 5 / 4)); fi
}

# The value of key $2 in the "metadata KEY VALUE" lines of file $1
# (swaplab micro metadata).
mdval() {
	awk -v k="$2" '$1 == "metadata" && $2 == k { print $3 }' "$1"
}

# The same for a per-fault figure (fault p50, CPU per fault): empty when
# the row took no major fault, as its figure would be 0 of nothing.
colf() {
	awk -v r="$1" -v c="$2" '$1 == r && $2 ~ /^[0-9]+$/ && $2 > 0 { print $c; exit }' "$3"
}

# $1 * $2 / $3 with format $4; empty when a value is missing or $3 is 0.
muldiv() {
	awk -v a="$1" -v b="$2" -v c="$3" -v f="$4" 'BEGIN {
		if (a == "" || b == "" || c == "" || c + 0 <= 0) exit
		printf f, a * b / c }'
}

stat() {
	awk -v n="$1" '$1 == n { print $2 }' $knobs/stat
}

# The median of file $2's $1 numbers (of an even count, the upper of
# the middle two); nothing if there are not $1, as when a run gave none.
median_of() {
	[ "$(grep -c '^[0-9]' "$2")" = "$1" ] &&
		sort -n "$2" | sed -n "$(($1 / 2 + 1))p"
}

vmstat() {
	awk -v n="$1" '$1 == n { print $2 }' /proc/vmstat
}

# Lock all the guest's available memory but $1 MiB (at least 6, 16 in a
# quick run) in a
# background hog,
# so that the stock kernel's anonymous memory is under global pressure
# and kswapd reclaims it; hogpid is its pid. Page cache is dropped first,
# as it would be reclaimed before any anonymous page.
hog_start() {
	left=$1
	# A quick run's sizes are a quarter, but the guest's own needs are
	# not: with 6 MiB left the global OOM killer can take compare itself,
	# and with 10 it still can on 6.1, when the stock side's swapoff reads
	# its shmem pages back in (shmem_unuse) with the hog still there.
	[ $scale = 1 ] || [ "$left" -ge 16 ] || left=16
	[ "$left" -ge 6 ] || left=6
	sync
	echo 3 >/proc/sys/vm/drop_caches
	avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	swaplab micro hog --size "$((avail - left))M" --seconds 3600 >hog.log 2>&1 &
	hogpid=$!
	i=0
	while ! grep -q locked hog.log; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 $hogpid 2>/dev/null; then
			fail "micro hog of $((avail - left)) MiB: $(cat hog.log)"
			return 1
		fi
		sleep 0.5
	done
	echo "  hog: $((avail - left)) MiB locked of $avail MiB available"
}

hog_stop() {
	kill $hogpid 2>/dev/null
	wait $hogpid 2>/dev/null
}

bench_t0=$(uptime_s)
sect=setup sect_t0=$bench_t0
uname -r >kernel.txt
result kernel "$(uname -r)"
result date "$(date -u +%Y-%m-%d)"
result mem_mib "$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
result quick "$([ $scale = 1 ] && echo 0 || echo 1)"
lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null || echo none)
result lru_gen_default "$lru_gen"
if [ "$lru_gen" != none ] && [ "$((lru_gen))" != 0 ]; then
	stock="stock-mglru"
else
	stock="stock-lru"
fi
result stock_default $stock
# The stock kernel's swap readahead as booted (2^page-cluster pages).
pc=$(cat /proc/sys/vm/page-cluster)
result page_cluster_default "$pc"

# checksum=0: the stock kernel's swap keeps no checksum either; the cost
# of the default checksum=1 has a section of its own below.
# The VM runner has loaded libcrc32c, which swaplab.ko needs (insmod
# does not load it); elsewhere `make install` and modprobe swaplab.
# The store is 256 MiB (an eighth in a quick run, 4 times its largest
# region): compare gives the stock side a swap file as large, written
# afresh for each compare run.
insmod /swaplab/swaplab.ko frames=4096 swapfile=/mnt/swaplab.swap \
	swapfile_size=$((256 / sscale))M checksum=0 || { fail "insmod"; exit 1; }
# swaplab's own readahead as loaded, for the row of defaults.
ra_default=$(cat $knobs/readahead)
result readahead_default "$ra_default"
result page_buffering_default "$(cat $knobs/page_buffering)"
put 0 $knobs/readahead
# Every deterministic built-in policy (random draws its own numbers; a
# policy module is not loaded here; pager is fifo until a pager answers
# for victims), the default first.
default_policy=$(cat $knobs/policy)
result default_policy "$default_policy"
policies=$default_policy
for p in $(cat $knobs/available_policies); do
	case $p in "$default_policy"|random|mru|pager) ;; *) policies=$policies,$p ;; esac
done
result quality_policies "$policies"

# nbd_serve ADDR: an nbd-server in this guest at ADDR, port 10809, that
# exports a file of 64 MiB on /mnt as "bench"; its pid in nbd.pid. The
# server is an ordinary process: the file it serves sits in the guest's
# page cache, so this is nbd to a server that holds the pages in its
# memory, as a remote-memory store does.
nbd_serve() {
	truncate -s 64M /mnt/nbd-store.img
	printf '[generic]\nlistenaddr = %s\n[bench]\nexportname = /mnt/nbd-store.img\n' \
		"$1" >nbd.conf
	nbd-server -C "$out/nbd.conf" -p "$out/nbd.pid"
}

# nbd_unserve: stop nbd_serve's server and remove its file.
nbd_unserve() {
	[ ! -r nbd.pid ] || kill "$(cat nbd.pid)"
	rm -f /mnt/nbd-store.img nbd.pid
}

# on_stores ADDR FN: FN disk, with swaplab's store the swap file on /mnt;
# then FN nbd, the store /dev/nbd0 attached by `swaplab nbd connect` to
# the nbd_serve server at ADDR; then the swap file again. 1, and FN nbd
# not run, if /dev/nbd0 would not attach.
on_stores() {
	"$2" disk
	swaplab nbd connect "$1" 10809 bench /dev/nbd0 --timeout 30 || return 1
	put none $knobs/swapfile
	put /dev/nbd0 $knobs/swapfile
	"$2" nbd
	put none $knobs/swapfile
	put /mnt/swaplab.swap $knobs/swapfile
	swaplab nbd disconnect /dev/nbd0 || fail "nbd disconnect"
}

# `bench.sh [quick] files|daemon|thrash|msg|dsm`: those sections alone.
if [ -n "$only" ]; then
	. "$here/bench-$only.sh"
	section ""
	rmmod swaplab || fail "rmmod"
	exit $status
fi

# Both refaults zap the PTE with MADV_DONTNEED and find the page in
# memory (a swaplab frame, the shmem page cache); the first touch of
# anonymous memory allocates and zeroes a page: a separate figure. The
# faults are writes, so shmem maps one page a fault (fault-around is for
# read faults only), as swaplab does: "faults a page" shows it.
section "resident fault against the stock shmem refault"
swaplab micro fault --size "$(mib 8)" >fault.log || fail "micro fault"
cat fault.log
result fault_swaplab_ns "$(awk '/swaplab resident fault/ { print $4 }' fault.log)"
result fault_swaplab_faults_per_page "$(awk '/swaplab resident fault/ { print $8 }' fault.log)"
result fault_shmem_ns "$(awk '/stock shmem refault/ { print $4 }' fault.log)"
result fault_shmem_faults_per_page "$(awk '/stock shmem refault/ { print $8 }' fault.log)"
result fault_anon_ns "$(awk '/stock anon first touch/ { print $5 }' fault.log)"

# Fault throughput with 1, 2 and 4 threads, each faulting a slice of its
# own: resident faults against the shmem refault, and major faults with
# no reclaim while they run (swaplab's pages evicted by shrinking the
# budget, readahead=0, with the per-CPU admission batches as loaded and
# with admit_batch=0; the stock kernel's pages pushed to its swap with
# MADV_PAGEOUT, page-cluster=0). The guest has as many CPUs as the VM
# runner gives it (2): 4 threads share them.
section "fault throughput with 1, 2 and 4 threads"
result cpus "$(nproc)"
swaplab micro threads --size "$(mib 8)" --swapfile /mnt/micro.swap >threads.log ||
	fail "micro threads"
cat threads.log
for t in 1 2 4; do
	for k in "resident swaplab:res_sl" "resident shmem:res_shm" \
		 "major swaplab:maj_sl" "major swaplab-unbatched:maj_sl0" \
		 "major stock:maj_st"; do
		result "mt_${t}_${k#*:}" "$(awk -v t="$t" -v k="${k%:*}" '
			$1 == "threads" && $2 == t && $3 " " $4 == k { print $5 }' threads.log)"
	done
done

# The compressed tier: a major fault served from the pool against one
# from the disk, on 8 MiB of pages half text (words of a small
# vocabulary) and half zero bytes, lz4, readahead 0, every page evicted
# before each of three rounds; and the pool's pages a page of its
# memory. The stock kernel's zswap, lz4 too, against its swap device
# the same way (anonymous pages pushed out with MADV_PAGEOUT,
# page-cluster 0), with zswap's own ratio.
section "compressed tier: a fault from the pool against one from the disk"
swaplab micro tier --size "$(mib 8)" --alg lz4 --swapfile /mnt/micro.swap >tier.log ||
	fail "micro tier"
cat tier.log
for k in "swaplab pool:tier_pool_ns" "swaplab disk:tier_disk_ns" \
	 "stock zswap:zswap_ns" "stock disk:zswap_disk_ns" \
	 "swaplab pool ratio:tier_ratio" "stock zswap ratio:zswap_ratio"; do
	result "${k#*:}" "$(awk -v k="${k%:*}" '{ w = $1 " " $2 }
		NF > 2 && $3 == "ratio" { w = w " ratio"; $3 = $4 }
		w == k && $3 != "missing" { print $3 }' tier.log)"
done

# The store across the network: the same strings with the store on the
# local disk (the swap file on /mnt) and on /dev/nbd0, attached to an
# nbd-server in this guest on 127.0.0.1 (nbd_serve), with the network
# stack of loopback in between. Same budget and checksums off on both;
# the random string's fault latency with readahead 0, the scan's
# throughput with readahead as loaded (the default a user sees).
section "the store across the network: nbd on loopback against the local disk"
nbd_store() {
	compare nbd-lat-$1.log rand --budget "$(smib 8)" --size "$(smib 32)" \
		--refs $((8192 / refscale)) --readonly --policies aging --stock none
	put "$ra_default" $knobs/readahead
	# shellcheck disable=SC2046
	compare nbd-scan-$1.log seq --budget "$(smib 8)" --size "$(smib 32)" \
		$(passes 1 $((8192 / sscale))) --readonly --throughput --policies aging \
		--stock none
	put 0 $knobs/readahead
	result "store_$1_p50_us" "$(colf swaplab-aging 7 nbd-lat-$1.log)"
	refs=$(awk '/^compare/ { print $7 }' nbd-scan-$1.log)
	result "store_$1_scan_mibs" "$(muldiv "$refs" 4096 \
		"$(col swaplab-aging 4 nbd-scan-$1.log)" "%.1f" |
		awk '{ printf "%.1f", $1 / 1048576 }')"
}
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
if ! nbd_serve 127.0.0.1 || ! on_stores 127.0.0.1 nbd_store; then
	fail "nbd-server or swaplab nbd connect"
	for k in store_nbd_p50_us store_nbd_scan_mibs; do
		grep -q "^$k " results.txt || result $k ""
	done
fi
nbd_unserve

section "raw O_DIRECT read bandwidth of the disk"
# A file written through (an fallocated one, like a fresh swap file, has
# unwritten extents that O_DIRECT reads as zeroes with no I/O at all).
# 1 MiB reads, the disk's limit; 128 KiB (32 pages, an eviction batch)
# and 4 KiB (one page, what a major fault reads) for context.
dd if=/dev/zero of=/mnt/raw.bin bs=1M count=$((128 / scale)) 2>/dev/null || fail "dd raw.bin"
sync
for bs in 1M 128K 4K; do
	swaplab micro rawread /mnt/raw.bin --bs $bs >rawread-$bs.log || fail "rawread $bs"
	cat rawread-$bs.log
	key=raw_read_mibs
	[ $bs = 1M ] || key=raw_read_mibs_$bs
	result $key "$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "MiB/s") print $i }' rawread-$bs.log)"
done
rm -f /mnt/raw.bin

# Major faults: a region 4x the budget, references read only (every page
# written once first), so that evictions are clean and a major fault is
# one page read; no readahead on either side. Two reclaim arrangements,
# each the same on both sides:
#  direct: swaplab daemon=0 against the stock kernel under memory.max,
#          both reclaiming in the faulting task;
#  background: swaplab daemon=1 (swaplabd) against the stock kernel with
#          no memory.max under global pressure from a memory hog, so
#          that kswapd reclaims (and the faulting task too, when kswapd
#          falls behind: pgsteal_direct says how much). This one is not
#          like for like: global reclaim takes memory from the whole
#          machine (other processes, page cache), so the stock side's
#          memory is not the budget (its major faults say how far); it is
#          reported, not judged, and a stock side that took no major
#          fault is a finding (figures 0), not a missing figure.
# Columns: 7 fault p50 (us), 12 the process's CPU per major fault (us),
# 13 the reclaimer thread's (swaplabd, kswapd0) per major fault (us).
put 0 /proc/sys/vm/page-cluster
section "major fault latency, direct reclaim: daemon=0 against memory.max"
put 0 $knobs/daemon
compare major.log rand --budget "$(smib 8)" --size "$(smib 32)" --refs $((8192 / refscale)) \
	--readonly --policies aging --swapfile /mnt/cmp.swap
put 1 $knobs/daemon
result major_p50_us_swaplab "$(colf swaplab-aging 7 major.log)"
result major_p50_us_stock "$(colf $stock 7 major.log)"
result major_p50_us_stock_lru "$(colf stock-lru 7 major.log)"
result major_cpu_us_swaplab "$(colf swaplab-aging 12 major.log)"
result major_cpu_us_stock "$(colf $stock 12 major.log)"
result major_faults_swaplab "$(col swaplab-aging 2 major.log)"
result major_faults_stock "$(col $stock 2 major.log)"

section "major fault latency, background reclaim: swaplabd against kswapd"
if hog_start $((16 / scale)); then
	d0=$(stat direct_reclaims) k0=$(vmstat pgsteal_kswapd) r0=$(vmstat pgsteal_direct)
	compare major-bg.log rand --budget "$(smib 8)" --size "$(smib 32)" --refs $((8192 / refscale)) \
		--readonly --policies aging --stock-nolimit --swapfile /mnt/cmp.swap
	d1=$(stat direct_reclaims) k1=$(vmstat pgsteal_kswapd) r1=$(vmstat pgsteal_direct)
	hog_stop
else
	hog_stop
	: >major-bg.log
	d1='' k1='' r1=''
fi
result major_bg_p50_us_swaplab "$(colf swaplab-aging 7 major-bg.log)"
result major_bg_p50_us_stock "$(col $stock 7 major-bg.log)"
result major_bg_cpu_us_swaplab "$(colf swaplab-aging 12 major-bg.log)"
result major_bg_rcl_us_swaplab "$(colf swaplab-aging 13 major-bg.log)"
result major_bg_cpu_us_stock "$(col $stock 12 major-bg.log)"
result major_bg_rcl_us_stock "$(col $stock 13 major-bg.log)"
result major_bg_faults_swaplab "$(col swaplab-aging 2 major-bg.log)"
result major_bg_faults_stock "$(col $stock 2 major-bg.log)"
result major_bg_swaplab_direct_reclaims "$([ -n "$d1" ] && echo $((d1 - d0)))"
result major_bg_pgsteal_kswapd "$([ -n "$k1" ] && echo $((k1 - k0)))"
result major_bg_pgsteal_direct "$([ -n "$r1" ] && echo $((r1 - r0)))"
put "$pc" /proc/sys/vm/page-cluster

# Equal windows: swaplab reads the faulting page and `readahead` more;
# the stock kernel up to 2^page-cluster pages (on 6.12 its VMA-based
# readahead adapts the window up to that bound). Then both at their
# defaults, untouched.
section "sequential scan, 4x the budget, at equal readahead windows and at the defaults"
for w in 1:0:0 8:7:3 32:31:5 def:$ra_default:$pc; do
	win=${w%%:*} ra=${w#*:} ra=${ra%%:*} wpc=${w##*:}
	put "$ra" $knobs/readahead
	put "$wpc" /proc/sys/vm/page-cluster
	echo "-- window $win: readahead $ra, page-cluster $wpc"
	# shellcheck disable=SC2046
	compare scan-w$win.log seq --budget "$(smib 8)" --size "$(smib 32)" \
		$(passes 1 $((8192 / sscale))) --readonly --throughput --policies aging \
		--swapfile /mnt/cmp.swap
	refs=$(awk '/^compare/ { print $7 }' scan-w$win.log)
	result scan_mibs_swaplab_w$win "$(muldiv "$refs" 4096 "$(col swaplab-aging 4 scan-w$win.log)" "%.1f" |
		awk '{ printf "%.1f", $1 / 1048576 }')"
	# The stock run's cgroup may OOM-kill it (it can on 6.12 at the
	# 32-page window, page-cluster 5): a finding, not a missing figure.
	if [ "$(faults $stock scan-w$win.log)" = oom-killed ]; then
		result scan_mibs_stock_w$win oom-killed
	else
		result scan_mibs_stock_w$win "$(muldiv "$refs" 4096 "$(col $stock 4 scan-w$win.log)" "%.1f" |
			awk '{ printf "%.1f", $1 / 1048576 }')"
	fi
done
put 0 $knobs/readahead
put "$pc" /proc/sys/vm/page-cluster

# The same random read-write string through swaplab alone, with checksums
# off, on (the default), and on with encryption: three rounds of the three,
# in turn, and the median of each (one run's p50 varies by up to 2x under
# TCG). Every switch changes only between runs, when compare has freed
# its slots.
section "cost of the slot checksums and of swap encryption"
# The crc32c implementation the module measured faster at load.
result checksum_driver "$(cat $knobs/checksum_driver)"
for round in 1 2 3; do
	[ "$round" -le "$rounds" ] || break
	for mode in plain csum crypt; do
		put 0 $knobs/encrypt
		case $mode in
		plain) put 0 $knobs/checksum ;;
		csum) put 1 $knobs/checksum ;;
		crypt) put 1 $knobs/checksum; put 1 $knobs/encrypt ;;
		esac
		log=integrity-$mode-$round.log
		compare $log rand --budget "$(smib 8)" --size "$(smib 32)" --refs $((8192 / refscale)) \
			--policies aging --stock none --swapfile /mnt/cmp.swap
		echo "$(col swaplab-aging 7 $log)" >>integrity-$mode.p50
		echo "$(col swaplab-aging 4 $log)" >>integrity-$mode.elapsed
	done
done
for mode in plain csum crypt; do
	result "integrity_p50_us_$mode" "$(median_of "$rounds" integrity-$mode.p50)"
	result "integrity_elapsed_$mode" "$(median_of "$rounds" integrity-$mode.elapsed)"
done
put 0 $knobs/encrypt
put 0 $knobs/checksum

# Readahead off on both sides, so that a major fault is a miss and the
# policies alone differ. The goal against exact LRU is judged on the
# module's own major faults (swaplab-aging) against the simulator's exact
# LRU on the same string (sim-lru, batch 1); the simulator is also run
# with the module's batch of 32 evictions, for information. Reclaim in
# the faulting task on both sides, as the stock kernel reclaims at
# memory.max (kswapd does not run for a cgroup's limit): daemon=0, so
# that swaplab does not keep free frames between its watermarks that the
# stock side would be using (up to 1/32 of the budget; on shift, whose
# working set is the budget, that alone costs swaplab 12% more faults).
# Both sides at their defaults follow.
section "policy quality: four workloads, 4x the budget, no readahead"
put 0 /proc/sys/vm/page-cluster
put 0 $knobs/daemon
for w in zipf loop shift hotcold; do
	qsizes $w
	extra=$(passes 2 $((size_k / 4)))
	# The curve at three more budgets, at one in a quick run.
	if [ $w = zipf ] && [ "$scale" = 1 ]; then
		extra="--curve 0.5,2,3"
	elif [ $w = zipf ]; then
		extra="$extra --curve 2"
	fi
	# shellcheck disable=SC2086
	compare quality-$w.log $w --budget "${budget_k}K" --size "${size_k}K" --policies "$policies" \
		--swapfile /mnt/cmp.swap --plot $w $extra
	for r in $(echo "$policies" | tr , ' ' | sed 's/[a-z0-9]*/swaplab-&/g') \
		 stock-lru stock-mglru sim-lru sim-opt; do
		v=$(faults $r quality-$w.log)
		# No MGLRU on this kernel is not a missing figure.
		if [ -n "$v" ] || [ $r != stock-mglru ] || [ "$lru_gen" != none ]; then
			result "quality_${w}_$r" "$v"
		fi
	done
	pages=$((size_k / 4))
	frames=$((budget_k / 4))
	swaplab gen $w --pages $pages >$w.trace || fail "gen $w"
	result "sim_${w}_distinct" "$(sort -u $w.trace | wc -l)"
	for b in 1 32; do
		swaplab sim $w.trace --frames $frames --batch $b >sim-$w-b$b.log || fail "sim $w batch $b"
		cat sim-$w-b$b.log
		for p in aging lru opt; do
			key=sim_${w}_$p
			[ $b = 1 ] || key=sim_${w}_b${b}_$p
			result "$key" "$(awk -v p=$p '$1 == p { print $2 }' sim-$w-b$b.log)"
		done
	done
done
put 1 $knobs/daemon

# The same strings with both sides at their defaults, untouched: the
# default policy with swaplabd and swaplab's readahead as loaded, against
# the stock default with its page-cluster as booted. What a new user sees.
section "policy quality at the defaults of both sides"
put "$ra_default" $knobs/readahead
put "$pc" /proc/sys/vm/page-cluster
for w in zipf loop shift hotcold; do
	qsizes $w
	# shellcheck disable=SC2046
	compare quality-def-$w.log $w --budget "${budget_k}K" --size "${size_k}K" \
		$(passes 2 $((size_k / 4))) --policies "$default_policy" \
		--stock "${stock#stock-}" --swapfile /mnt/cmp.swap
	result "quality_def_${w}_swaplab" "$(faults swaplab-$default_policy quality-def-$w.log)"
	result "quality_def_${w}_stock" "$(faults $stock quality-def-$w.log)"
done
put 0 $knobs/readahead
put 0 /proc/sys/vm/page-cluster

# Speed at the defaults of both sides: seq, rand and zipf, a 64 MiB
# region through 16 MiB, two passes (32768 references), every knob of
# swaplab as loaded (daemon=1, readahead as loaded) but for checksum, put
# to its default of 1 here (the bench loads the module with 0), and
# the stock default with page-cluster as booted. Three rounds, medians of
# the major faults and of the time of the whole string.
section "speed at the defaults of both sides: seq, rand, zipf"
put "$ra_default" $knobs/readahead
put "$pc" /proc/sys/vm/page-cluster
put 1 $knobs/checksum
for round in 1 2 3; do
	[ "$round" -le "$rounds" ] || break
	for w in seq rand zipf; do
		compare speed-$w-$round.log $w --budget "$(smib 16)" --size "$(smib 64)" \
			--refs $((32768 / sscale)) --throughput --policies "$default_policy" \
			--stock "${stock#stock-}" --swapfile /mnt/cmp.swap
		for side in swaplab-$default_policy $stock; do
			echo "$(faults "$side" speed-$w-$round.log)" >>speed-$w-${side%%-*}.major
			echo "$(col "$side" 4 speed-$w-$round.log)" >>speed-$w-${side%%-*}.s
			# CPU per major fault: the process's, and its reclaimer's
			# (swaplabd; none on the stock side, whose memory.max
			# reclaim runs in the faulting task).
			echo "$(colf "$side" 12 speed-$w-$round.log)" >>speed-$w-${side%%-*}.cpu
			echo "$(colf "$side" 13 speed-$w-$round.log)" >>speed-$w-${side%%-*}.rcl
		done
	done
done
put 0 $knobs/checksum
put 0 $knobs/readahead
put 0 /proc/sys/vm/page-cluster
# A stock run its cgroup OOM-killed in any round: that is the figure.
for w in seq rand zipf; do
	for side in swaplab stock; do
		if grep -q oom-killed speed-$w-$side.major; then
			for c in major s cpu rcl; do
				result "speed_${w}_${c}_$side" oom-killed
			done
			continue
		fi
		result "speed_${w}_major_$side" "$(median_of "$rounds" speed-$w-$side.major)"
		result "speed_${w}_s_$side" "$(median_of "$rounds" speed-$w-$side.s)"
		# Per fault: none when a round took no major fault.
		for c in cpu rcl; do
			v=$(median_of "$rounds" speed-$w-$side.$c)
			[ -n "$v" ] || ! grep -qx 0 speed-$w-$side.major || v=none
			result "speed_${w}_${c}_$side" "$v"
		done
	done
done

# What each policy adds to the fault path, against fifo (an O(1) victim
# and no harvest): the same random read string, region 4x the budget,
# reclaim in the faulting task (daemon=0), so that choosing victims, the
# harvest of accessed bits and admission are all on the process's CPU
# (compare's cpu/flt: user and system time per major fault). Uniform
# references, so that every policy takes about as many faults. Three
# rounds of every policy in turn, medians.
section "fault path cost per policy, against fifo"
put 0 $knobs/daemon
for round in 1 2 3; do
	[ "$round" -le "$rounds" ] || break
	compare cost-$round.log rand --budget "$(smib 8)" --size "$(smib 32)" --refs $((8192 / refscale)) \
		--readonly --policies "$policies" --stock none --swapfile /mnt/cmp.swap
	for p in $(echo "$policies" | tr , ' '); do
		echo "$(colf swaplab-$p 12 cost-$round.log)" >>cost-$p.cpu
		echo "$(colf swaplab-$p 7 cost-$round.log)" >>cost-$p.p50
	done
done
put 1 $knobs/daemon
for p in $(echo "$policies" | tr , ' '); do
	result "cost_cpu_us_$p" "$(median_of "$rounds" cost-$p.cpu)"
	result "cost_p50_us_$p" "$(median_of "$rounds" cost-$p.p50)"
done
put "$pc" /proc/sys/vm/page-cluster

# The external pager's cost: the same zipf string through 8 MiB, reclaim
# in the faulting task (daemon=0), under the built-in fifo and clock and
# under `swaplab pager` running the same policy source, three rounds
# each: the latency of the references that took a major fault. The
# pager's round trips fall on the faults that reclaim (one a batch of
# 32, more for clock's rescans): p99 shows them. Its CPU is the pager
# process's own (user and system), per GiB the module evicted.
section "the external pager: fault latency and pager CPU, against the built-in policy"
put 0 $knobs/daemon
frames0=$(cat $knobs/frames)
put $((2048 / sscale)) $knobs/frames
f0=$(stat pager_fallback) t0=$(stat pager_timeouts) j0=$(stat pager_ejections)
# A wait of up to a second: a pager slowed by emulation still answers.
ptimeout=$(cat $knobs/policies/pager/timeout_ms)
put 1000 $knobs/policies/pager/timeout_ms
for round in 1 2 3; do
	[ "$round" -le "$rounds" ] || break
	for p in fifo clock; do
		put $p $knobs/policy
		swaplab bench zipf --size "$(smib 32)" --refs $((32768 / refscale)) --seed $round \
			>pager-builtin-$p-$round.log 2>&1 || fail "bench zipf, built-in $p"
		put "$default_policy" $knobs/policy
		e0=$(stat evictions)
		swaplab pager --policy $p -- swaplab bench zipf --size "$(smib 32)" \
			--refs $((32768 / refscale)) --seed $round \
			>pager-pager-$p-$round.log 2>&1 || fail "swaplab pager --policy $p"
		e1=$(stat evictions)
		cat pager-pager-$p-$round.log
		for side in builtin pager; do
			# "major faults   p50 31.6 us, p99 13717.6 us, over ..."
			awk '$1 == "major" && $2 == "faults" { print $4 }' \
				pager-$side-$p-$round.log >>pager-$side-$p.p50
			awk '$1 == "major" && $2 == "faults" { print $7 }' \
				pager-$side-$p-$round.log >>pager-$side-$p.p99
		done
		# "swaplab pager: cpu 0.123 s (...)"
		cpu=$(awk '$3 == "cpu" { print $4 }' pager-pager-$p-$round.log)
		muldiv "$cpu" 262144 "$((e1 - e0))" "%.3f\n" >>pager-$p.cpu
	done
done
put 1 $knobs/daemon
put "$frames0" $knobs/frames
put "$ptimeout" $knobs/policies/pager/timeout_ms
# Victims the kernel chose itself, waits that timed out, and ejections
# (the default policy in the pager's place for the rest of a run): 0 when
# the pager named every victim, as the figures assume.
result pager_fallback "$(($(stat pager_fallback) - f0))"
result pager_timeouts "$(($(stat pager_timeouts) - t0))"
result pager_ejections "$(($(stat pager_ejections) - j0))"
for p in fifo clock; do
	for side in builtin pager; do
		result "pager_p50_us_${side}_$p" "$(median_of "$rounds" pager-$side-$p.p50)"
		result "pager_p99_us_${side}_$p" "$(median_of "$rounds" pager-$side-$p.p99)"
	done
	result "pager_cpu_s_per_gib_$p" "$(median_of "$rounds" pager-$p.cpu)"
done

# A policy in eBPF against the same policy built in, as cache_ext
# measured its cost: the uniform read string of the policy-cost section,
# reclaim in the faulting task, under the built-in fifo, the example
# bpf_fifo (its own order in its own maps) and bpf_qfifo (the module's
# queue through a kfunc, cache_ext's way: the cheapest program, so the
# cost of calling one), which must all fault the same, every victim named
# by the program; seven rounds, each a compare run of the three, in an
# order that rotates from round to round (the first of a run pays for
# a cold cache, and rounds drift under emulation by more than the 1.7%
# to be resolved): the median CPU (user and system) per major fault of
# the faulting process, where the program runs. Where the kernel cannot
# load one (6.1), bpf_supported is 0 and the row says so.
section "eBPF policy cost: bpf_fifo and bpf_qfifo against the built-in fifo"
if [ "$(cat $knobs/bpf)" = supported ]; then
	result bpf_supported 1
	for prog in fifo qfifo; do
		swaplab policy load "$here/bpf/$prog.bpf.o" ||
			fail "swaplab policy load bpf/$prog.bpf.o"
	done
	put 0 $knobs/daemon
	a0=$(stat bpf_answers) f0=$(stat bpf_fallback) i0=$(stat bpf_invalid) t0=$(stat bpf_timeouts)
	j0=$(stat bpf_ejections)
	order="fifo bpf_fifo bpf_qfifo"
	for round in 1 2 3 4 5 6 7; do
		[ "$round" -le "$bpf_rounds" ] || break
		compare bpfcost-$round.log rand --budget "$(smib 8)" --size "$(smib 32)" \
			--refs $((8192 / refscale)) --seed $round --readonly \
			--policies "$(echo $order | tr ' ' ,)" --stock none \
			--swapfile /mnt/cmp.swap
		order="${order#* } ${order%% *}"
		for p in fifo bpf_fifo bpf_qfifo; do
			echo "$(colf swaplab-$p 12 bpfcost-$round.log)" >>bpfcost-$p.cpu
			echo "$(col swaplab-$p 2 bpfcost-$round.log)" >>bpfcost-$p.faults
		done
	done
	put 1 $knobs/daemon
	for prog in fifo qfifo; do
		swaplab policy unload bpf_$prog || fail "swaplab policy unload bpf_$prog"
	done
	result bpf_fallback "$(($(stat bpf_fallback) - f0 + $(stat bpf_invalid) - i0 + $(stat bpf_timeouts) - t0))"
	result bpf_answers "$(($(stat bpf_answers) - a0))"
	result bpf_ejections "$(($(stat bpf_ejections) - j0))"
	for p in fifo bpf_fifo bpf_qfifo; do
		result "bpf_cpu_us_$p" "$(median_of "$bpf_rounds" bpfcost-$p.cpu)"
		result "bpf_faults_$p" "$(median_of "$bpf_rounds" bpfcost-$p.faults)"
	done
else
	result bpf_supported 0
	cat $knobs/bpf
fi

# Real programs' reference strings (swaplab record), and every policy of
# the simulator on them at 4 memory sizes, 1% to 30% of the distinct
# pages: the fault-rate curves (a gnuplot script each, drawn on the host;
# one page evicted at a time, as in the papers' curves) and the goal at the mid sizes (5% and 15%): the best policy at least 10%
# below exact LRU, or within 1.1x of OPT.
section "recorded programs: the simulator's curves"
[ -e /sys/kernel/tracing/instances ] ||
	mount -t tracefs none /sys/kernel/tracing 2>/dev/null
# The inputs: text for xz and sort, rows for sqlite3 to index. QUICK
# takes a sixteenth: recording costs a fault a reference under TCG.
rscale=$((scale * scale))
awk -v n=$((60000 / rscale)) 'BEGIN { srand(3); for (i = 0; i < n; i++)
	printf "%08x %d line %d of the input\n", int(rand() * 4294967295), i % 977, i }' >rec.in
awk -v n=$((100000 / rscale)) 'BEGIN { srand(4); q = sprintf("%c", 39)
	print "create table t(a, b, c);"
	print "begin;"; for (i = 0; i < n; i++)
		printf "insert into t values(%d, %d, %s%08x%s);\n", int(rand() * 1000000), i, q, int(rand() * 4294967295), q
	print "commit;"
	print "create index ta on t(a, c);"; print "select count(*) from t where a < 500000;" }' >rec.sql
sim_curve() {
	name=$1 trace=$2
	d=$(sort -u "$trace" | wc -l)
	result "rec_${name}_refs" "$(wc -l <"$trace")"
	result "rec_${name}_distinct" "$d"
	: >"rec-$name.dat"
	for pct in 1 5 15 30; do
		n=$((d * pct / 100))
		[ $n -ge 4 ] || n=4
		swaplab sim "$trace" --frames $n --tick 100000000 \
			>"rec-$name-$pct.log" || fail "sim $name $pct%"
		cat "rec-$name-$pct.log"
		awk -v pct=$pct 'NR > 1 { printf "%s %s %s\n", pct, $1, $2 }' \
			"rec-$name-$pct.log" >>"rec-$name.dat"
		for p in $(awk 'NR > 1 { print $1 }' "rec-$name-$pct.log"); do
			result "rec_${name}_${pct}_$p" \
				"$(awk -v p=$p '$1 == p { print $2 }' "rec-$name-$pct.log")"
		done
	done
	# One policy's points together, so that gnuplot joins them.
	sort -k2,2 -k1,1n "rec-$name.dat" >"rec-$name.dat.s" &&
		mv "rec-$name.dat.s" "rec-$name.dat"
	cat >"rec-$name.gp" <<EOF
set terminal pngcairo size 900,560
set output 'rec-$name-curve.png'
set title "$name: faults against memory (simulator)"
set xlabel "memory, % of the $d distinct pages"
set ylabel "faults"
set logscale y
set key outside right
plot for [p in "$(awk 'NR > 1 { printf "%s ", $1 }' "rec-$name-1.log")"] \
	'rec-$name.dat' using (stringcolumn(2) eq p ? \$1 : NaN):3 with linespoints title p
EOF
}
# The real programs beside swaplab (busybox has an xz that only
# decompresses, and a sort of its own).
bin=$(dirname "$(command -v swaplab)")
for prog in xz sort sqlite3; do
	case $prog in
	xz) head -c $((524288 / rscale)) rec.in >rec-xz.in
	    set -- "$bin/xz" -9 -T1 -c rec-xz.in ;;
	sort) set -- "$bin/sort" -S 256M rec.in ;;
	# -pagecache: its page cache is one allocation of 2048 slots (4 KiB
	# pages and their headers, 8.6 MiB), which the preload library
	# serves; the database is larger, so the cache turns over.
	sqlite3) set -- "$bin/sqlite3" -pagecache 4400 2048 rec.db ;;
	esac
	rm -f rec.db
	if [ $prog = sqlite3 ]; then
		swaplab record --budget 128M -o rec-$prog.trace -- "$@" <rec.sql \
			>rec-$prog.out 2>rec-$prog.log
	else
		swaplab record --budget 64M -o rec-$prog.trace -- "$@" \
			>rec-$prog.out 2>rec-$prog.log
	fi
	rc=$?
	cat rec-$prog.log
	if [ $rc != 0 ]; then
		fail "record $prog: exit $rc"
		continue
	fi
	sim_curve $prog rec-$prog.trace
	# The same string on the machine, against the stock kernel: its last
	# references (all of it would take an hour under TCG; the first ones
	# are mostly first touches: sqlite3 inserting rows) through 15% of
	# the distinct pages they touch, at least 1 MiB (below that, a batch
	# of 32 evictions is an eighth of memory, and the stock side's page
	# tables count against memory.max), every deterministic policy and
	# the stock default, reclaim in the faulting task, no readahead, page
	# buffering as loaded (on by default: the counterpart of the stock
	# kernel's swap cache). A quick run takes a sixty-fourth.
	tail -n $((400000 / rscale / scale)) rec-$prog.trace >rec-$prog-tail.trace
	d=$(sort -u rec-$prog-tail.trace | wc -l)
	n=$((d * 15 / 100))
	[ $n -ge 256 ] || n=256
	result "recm_${prog}_refs" "$(wc -l <rec-$prog-tail.trace)"
	result "recm_${prog}_frames" "$n"
	# Exact LRU at the module's eviction batch of 32, to tell what the
	# batch costs from what the policies do (compare's sim-lru evicts one
	# page at a time).
	result "recm_${prog}_sim-lru-b32" "$(swaplab sim rec-$prog-tail.trace --frames "$n" \
		--batch 32 --policy lru | awk '$1 == "lru" { print $2 }')"
	put 0 $knobs/daemon
	put 0 /proc/sys/vm/page-cluster
	compare recm-$prog.log trace rec-$prog-tail.trace --budget $((n * 4))K \
		--policies "$policies" --stock "${stock#stock-}" --swapfile /mnt/cmp.swap
	# Again without page buffering (page_buffering=0: the pages a batch
	# evicts are freed at once), for the default policy and fifo: what
	# evicting 32 pages at once costs at a budget of a few hundred
	# frames, which the pool takes back.
	pbpol=$default_policy
	[ "$default_policy" = fifo ] || pbpol=$pbpol,fifo
	pb=$(cat $knobs/page_buffering)
	put 0 $knobs/page_buffering
	compare recm-$prog-nopb.log trace rec-$prog-tail.trace --budget $((n * 4))K \
		--policies "$pbpol" --stock none --swapfile /mnt/cmp.swap
	put "$pb" $knobs/page_buffering
	for p in $(echo "$pbpol" | tr , ' '); do
		result "recm_${prog}_nopb-swaplab-$p" "$(faults swaplab-$p recm-$prog-nopb.log)"
	done
	# The stock side twice more (once in a quick run): its count on these
	# strings moves from run to run (MGLRU's by a third on sqlite3), the
	# policies' by well under 1%. The goal is judged on the median of
	# the three; the three are published beside it.
	for run in 2 3; do
		[ "$run" -le "$stock_runs" ] || break
		compare recm-$prog-stock$run.log trace rec-$prog-tail.trace \
			--budget $((n * 4))K --policies '' --stock "${stock#stock-}" \
			--swapfile /mnt/cmp.swap
	done
	put 1 $knobs/daemon
	put "$pc" /proc/sys/vm/page-cluster
	for r in $(echo "$policies" | tr , ' ' | sed 's/[a-z0-9]*/swaplab-&/g') \
		 sim-lru sim-opt; do
		result "recm_${prog}_$r" "$(faults $r recm-$prog.log)"
	done
	runs=
	: >recm-stock.txt
	for run in 1 2 3; do
		[ "$run" -le "$stock_runs" ] || break
		log=recm-$prog-stock$run.log
		[ "$run" != 1 ] || log=recm-$prog.log
		v=$(faults $stock $log)
		runs=$runs${runs:+,}${v:-missing}
		echo "$v" >>recm-stock.txt
	done
	result "recm_${prog}_${stock}_runs" "$runs"
	# The median of the runs; a run the OOM killer ended makes it a
	# finding, and a run with no figure makes it missing.
	v=$(median_of "$stock_runs" recm-stock.txt || true)
	[ -n "$v" ] || ! grep -q oom-killed recm-stock.txt || v=oom-killed
	result "recm_${prog}_$stock" "$v"
	rm -f rec-$prog-tail.trace
	# -6: -9 needs more memory than the guest has.
	"$bin/xz" -T1 -6 -f rec-$prog.trace || fail "xz rec-$prog.trace"
done

# Prefetchers: each one's accuracy (pages read ahead that were used,
# over pages read ahead) and coverage (faults avoided, over those
# faults and the major faults left: the faults on stored pages there
# would have been), as the Leap paper defines them. On the module, the
# same source as the simulator's: a strided string, a region of 4x the
# budget written in page order, then read at a stride of 4, four rounds
# each one page further on, through `bench trace` (each reference checks
# and rewrites its page), the faulting task reclaiming (daemon=0), a
# window of 8. In the simulator: the recorded programs' whole strings,
# the default policy, 15% of their pages, the module's batch of 32.
section "prefetchers: accuracy and coverage"
pf_pages=$((4096 / sscale))
awk -v n=$pf_pages 'BEGIN { for (i = 0; i < n; i++) print i
	for (r = 0; r < 4; r++) for (i = r; i < n; i += 4) print i }' >pf-stride.trace
pf_ra=$(cat $knobs/readahead) pf_win=$(cat $knobs/prefetch_window)
pf_frames=$(cat $knobs/frames) pf_policy=$(cat $knobs/policy)
put "$default_policy" $knobs/policy
put 0 $knobs/daemon
put $((pf_pages / 4)) $knobs/frames
put 8 $knobs/prefetch_window
for p in none window adaptive leap; do
	put $p $knobs/prefetcher
	m0=$(stat major_faults) i0=$(stat prefetch_${p}_issued) h0=$(stat prefetch_${p}_hits)
	swaplab bench trace pf-stride.trace >pf-stride-$p.log 2>&1 ||
		fail "bench trace pf-stride.trace with $p"
	cat pf-stride-$p.log
	result pf_stride_${p}_majors $(($(stat major_faults) - m0))
	result pf_stride_${p}_issued $(($(stat prefetch_${p}_issued) - i0))
	result pf_stride_${p}_hits $(($(stat prefetch_${p}_hits) - h0))
done
put 1 $knobs/daemon
put "$pf_frames" $knobs/frames
put "$pf_win" $knobs/prefetch_window
put "$pf_ra" $knobs/readahead
put "$pf_policy" $knobs/policy
for prog in xz sort sqlite3; do
	if ! "$bin/xz" -dc rec-$prog.trace.xz >pf-rec.trace 2>/dev/null; then
		fail "prefetchers: no recorded string of $prog"
		continue
	fi
	n=$(($(sort -u pf-rec.trace | wc -l) * 15 / 100))
	swaplab sim pf-rec.trace --frames $n --policy "$default_policy" \
		--prefetcher all >pf-rec-$prog.log || fail "sim --prefetcher all on $prog"
	cat pf-rec-$prog.log
	for p in none window adaptive leap; do
		for c in 3:faults 5:issued 6:hits 7:accuracy 8:coverage; do
			result pf_rec_${prog}_${p}_${c#*:} "$(awk -v p=$p -v c=${c%%:*} \
				'$2 == p { sub("%", "", $c); print $c }' pf-rec-$prog.log)"
		done
	done
done
rm -f pf-rec.trace

# Every byte the module allocates (debugfs metadata, version 2) while a
# region of 64 MiB lives, written through a 4 MiB budget; with checksums
# off (as every row here) and on (the default). The region's own bytes are
# per page of region, with the table's nodes and the frame descriptors
# counted as their slabs spend them (swaplab micro metadata's "slab"
# lines); the store's (slot map, checksums, extent map, encryption) are
# per slot of the store, whatever its size.
section "metadata: a region of 64 MiB through a 4 MiB budget"
put $((1024 / sscale)) $knobs/frames
for cs in 0 1; do
	put $cs $knobs/checksum
	swaplab micro metadata --size "$(smib 64)" >metadata-csum$cs.log 2>&1 ||
		fail "micro metadata checksum=$cs"
	cat metadata-csum$cs.log
	for k in pages xa_node_bytes frame_descriptor_bytes region_bytes \
		 store_slots slot_map_bytes slot_csum_bytes extent_bytes crypt_bytes \
		 store_bytes total_bytes; do
		result "metadata_csum${cs}_$k" "$(mdval metadata-csum$cs.log $k)"
	done
	# The table and the frame descriptors as their slabs spend them.
	for c in radix_tree_node:xa_node swaplab_frame:frame_descriptor; do
		result "metadata_csum${cs}_${c#*:}_slab_bytes" "$(awk -v c="${c%%:*}" \
			'$1 == "slab" && $2 == c { print $5 }' metadata-csum$cs.log)"
	done
done
put 0 $knobs/checksum

# Kernel memory per page of non-resident history. A page with a slot
# keeps its history in the table entry that holds the slot (no byte
# more); a clean page that leaves without a slot keeps an entry of its
# own, up to the knob shadow_max. Reading the 64 MiB region instead of
# writing it makes every evicted page such a page: the table's bytes with
# shadows, less those with shadow_max=0 (the entries freed as pages
# leave), over the shadows kept.
section "kernel memory per page of history: slotless shadows"
smax=$(cat $knobs/shadow_max)
for sm in "$smax" 0; do
	put "$sm" $knobs/shadow_max
	swaplab micro metadata --read --size "$(smib 64)" >history-max$sm.log 2>&1 ||
		fail "micro metadata --read shadow_max=$sm"
	cat history-max$sm.log
done
put "$smax" $knobs/shadow_max
result history_shadows "$(mdval history-max"$smax".log shadow_entries)"
result history_shadows_off "$(mdval history-max0.log shadow_entries)"
result history_xa_bytes "$(mdval history-max"$smax".log xa_node_bytes)"
result history_xa_bytes_off "$(mdval history-max0.log xa_node_bytes)"

. "$here/bench-daemon.sh"

. "$here/bench-thrash.sh"

# Local replacement keeps a hot set from a scanner: process 0 writes a
# hot set of a quarter of the budget, process 1 then writes four budgets
# of pages once each, and process 0 writes its hot set again, one
# process at a time in the trace's order (swaplab bench trace), at the
# default policy and with the page daemon on. Under allocation=local
# the scanner replaces its own pages only: process 0's faults are its
# first touches, with no major fault. Under global the idle hot set is
# the oldest memory the scan passes.
section "local replacement: a hot set and a scanner"
hb=$((1024 / scale))
awk -v h=$((hb / 4)) -v s=$((4 * hb)) 'BEGIN {
	for (i = 0; i < h; i++) print "0:" i
	for (i = 0; i < s; i++) print "1:" i
	for (i = 0; i < h; i++) print "0:" i }' >hotscan.trace
hf=$(cat $knobs/frames)
put $hb $knobs/frames
result hotscan_hot_pages $((hb / 4))
for a in global local; do
	put $a $knobs/allocation
	swaplab bench trace hotscan.trace >hotscan-$a.log 2>&1 ||
		fail "bench trace hotscan $a"
	cat hotscan-$a.log
	result hotscan_${a}_hot_major \
		"$(sed -n 's/^  process 0 .* faults: \([0-9]*\) major, .*/\1/p' hotscan-$a.log)"
	result hotscan_${a}_hot_zero \
		"$(sed -n 's/^  process 0 .* major, \([0-9]*\) zero-fill.*/\1/p' hotscan-$a.log)"
done
put global $knobs/allocation
put "$hf" $knobs/frames

# The working-set estimate (module/alloc/alloc_ws.c, which the simulator
# compiles and equals the module with, alloc_model_test.sh) against the
# exact working set W(t, tau) that only the simulator can count, at
# every tick: 2 processes whose working sets of 512 pages move 8 times
# (gen shift), 1024 frames under allocation=local and ws, a window of
# 2048 references. The ticks after the first window count.
section "working-set estimate against W(t, tau) (simulator)"
swaplab gen shift --pages 2048 --refs 200000 --procs 2 --quantum 50 \
	>shift2.trace || fail "gen shift --procs 2"
for p in clock gen; do
	swaplab sim shift2.trace --frames 1024 --batch 32 --policy $p \
		--allocation local --allocator ws --ws-tau 2048 \
		--ws-report ws-$p.txt >/dev/null || fail "sim --ws-report $p"
	# shellcheck disable=SC2046
	set -- $(awk '$3 >= 2048 { n++; d = $4 - $5; if (d < 0) d = -d
			if (d * 10 <= $5) k++; e += d; w += $5 }
		END { printf "%d %d %.1f", k, n, w ? 100 * e / w : -1 }' ws-$p.txt)
	result ws_est_${p}_ticks "$2"
	result ws_est_${p}_within10 "$1"
	result ws_est_${p}_err_pct "$3"
done

. "$here/bench-files.sh"

. "$here/bench-msg.sh"

section ""
rmmod swaplab || fail "rmmod"
exit $status
