#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# swaplab against the stock kernel: `swaplab compare` (one reference
# string on /dev/swaplab and on anonymous memory in a memory cgroup with a
# swap file) and `swaplab micro`. Run by swaplab.sh with the module
# loaded; TAP lines like it.
#
# Checks that every system ran and verified its data, that no swaplab
# policy beat Belady's OPT (readahead off, so a major fault is a miss),
# that the run put back what it changed (knobs, swap, cgroup, lru_gen),
# that --plot wrote its data and script, and that bad input exits 2;
# that a string with pages of a file (half of them) replays on both
# sides, the stock side's in a file's page cache, at --swappiness 200,
# every page verified, both swappiness settings put back after; that
# --readonly-files writes the anonymous pages and --readonly does not;
# and
# that swaplab thrash reports a stock run its cgroup OOM-killed as such
# (exit 3).

ksft_skip=4
status=0
dir=${1:-/var/tmp}

ok() {
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
	status=1
}

if ! command -v swaplab >/dev/null || [ ! -e /dev/swaplab ]; then
	echo "ok - compare # SKIP no swaplab CLI or module"
	exit 0
fi
if ! grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	echo "ok - compare # SKIP no cgroup v2 memory controller"
	exit 0
fi

knobs=/sys/kernel/swaplab
frames=$(cat $knobs/frames) policy=$(cat $knobs/policy)
readahead=$(cat $knobs/readahead)
lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)
swaps=$(wc -l </proc/swaps)
echo 0 >$knobs/readahead

out=/tmp/swaplab-compare.log
plot=/tmp/swaplab-cmp
rm -f $plot*
swaplab compare zipf --budget 1M --size 4M --refs 8192 \
	--swapfile "$dir/swaplab-compare.swap" --plot $plot --curve 2 >$out 2>&1
rc=$?
echo "$readahead" >$knobs/readahead
if [ $rc = 0 ]; then
	ok "compare zipf 4M over 1M: exit 0"
else
	sed 's/^/# /' $out
	not_ok "compare zipf exited $rc"
fi

# The default --policies: the module's default policy first.
rows="swaplab-gen swaplab-aging swaplab-clock swaplab-fifo stock-lru sim-lru sim-opt"
[ -n "$lru_gen" ] && rows="$rows stock-mglru"
missing=
for r in $rows; do
	# Two tables (1 MiB and 2 MiB), a row for each system in both. The
	# stock kernel's memory cgroup may OOM-kill its run (it can under
	# TCG at 1 MiB): that is a result about the stock kernel, and compare
	# says so rather than fail.
	[ "$(awk -v r="$r" '$1 == r && ($2 ~ /^[0-9]+$/ ||
		(r ~ /^stock-/ && $2 == "oom-killed"))' $out | wc -l)" = 2 ] ||
		missing="$missing $r"
done
oom=$(grep -c 'oom-killed' $out)
[ "$oom" = 0 ] || echo "# compare: $oom stock runs OOM-killed by their memory cgroup"

if [ -z "$missing" ]; then
	ok "compare: a row per system and budget ($(echo $rows | wc -w) systems)"
else
	sed 's/^/# /' $out
	not_ok "compare: rows missing or failed:$missing"
fi

# Every real system verified every page (the last column, "wrong").
if awk '$1 ~ /^(swaplab|stock)-/ && $2 ~ /^[0-9]+$/ && $NF != 0 { bad++ }
	END { exit bad > 0 }' $out &&
   ! grep -q failed $out; then
	ok "compare: every run verified its data"
else
	not_ok "compare: a run read wrong data or failed"
fi

# OPT is the floor for swaplab, whose major faults are misses here.
# Within the first table (1 MiB); the second has twice the frames.
opt=$(awk '$1 == "sim-opt" { print $2; exit }' $out)
worse=$(awk -v opt="$opt" '/^budget/ { t++ } t == 1 && $1 ~ /^swaplab-/ && $2 < opt { n++ } END { print n + 0 }' $out)
if [ -n "$opt" ] && [ "$worse" = 0 ]; then
	ok "compare: no swaplab policy below OPT ($opt major faults at 1 MiB)"
else
	not_ok "compare: $worse swaplab rows below OPT ($opt)"
fi

if [ "$(cat $knobs/frames)" = "$frames" ] &&
   [ "$(cat $knobs/policy)" = "$policy" ] &&
   [ "$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null)" = "$lru_gen" ] &&
   [ "$(wc -l </proc/swaps)" = "$swaps" ] &&
   [ ! -e /sys/fs/cgroup/swaplab-compare ] &&
   [ ! -e "$dir/swaplab-compare.swap" ]; then
	ok "compare: knobs, lru_gen, swap and cgroup put back"
else
	not_ok "compare: left the machine changed"
fi

if [ "$(wc -l <$plot-curve.dat)" = 3 ] &&
   head -n1 $plot-curve.dat | grep -q 'budget_MiB swaplab-gen swaplab-aging' &&
   grep -q "plot for" $plot.gp &&
   [ -s $plot-series-swaplab-gen.dat ] && [ -s $plot-series-stock-lru.dat ]; then
	ok "compare --plot: curve data, series data and gnuplot script"
else
	not_ok "compare --plot: files missing"
fi

# swaplab micro: a resident-page fault against the stock shmem refault
# and anonymous first touch (never a major fault: the pages stay in
# frames; one fault a page on each side), raw O_DIRECT reads, anonymous
# memory written and checked.
if swaplab micro fault --size 2M >/tmp/swaplab-micro.log 2>&1 &&
   grep -qE '^  swaplab resident fault +[0-9]+ ns a page, 1.000 faults a page$' /tmp/swaplab-micro.log &&
   grep -qE '^  stock shmem refault +[0-9]+ ns a page, 1.000 faults a page$' /tmp/swaplab-micro.log &&
   grep -qE '^  stock anon first touch +[0-9]+ ns' /tmp/swaplab-micro.log &&
   grep -qE '^  swaplab major faults +0$' /tmp/swaplab-micro.log; then
	ok "micro fault: $(awk '/ratio vs shmem/ { print $4 }' /tmp/swaplab-micro.log)x the shmem refault (not a timed test)"
else
	sed 's/^/# /' /tmp/swaplab-micro.log
	not_ok "micro fault"
fi
dd if=/dev/zero of="$dir/swaplab-raw.bin" bs=1M count=4 2>/dev/null
if swaplab micro rawread "$dir/swaplab-raw.bin" --bs 128K >/tmp/swaplab-micro.log 2>&1 &&
   grep -qE '^micro rawread: 4 MiB in .* MiB/s' /tmp/swaplab-micro.log; then
	ok "micro rawread: 4 MiB read with O_DIRECT"
else
	sed 's/^/# /' /tmp/swaplab-micro.log
	not_ok "micro rawread"
fi
rm -f "$dir/swaplab-raw.bin"
if swaplab micro anon --size 4M --passes 3 >/tmp/swaplab-micro.log 2>&1 &&
   grep -q ', 0 mismatches' /tmp/swaplab-micro.log; then
	ok "micro anon: 4 MiB written and checked 3 times"
else
	not_ok "micro anon"
fi
for bad in "" "fault --size 0" "rawread" "rawread /nonexistent" "anon --passes 0" "bogus"; do
	# shellcheck disable=SC2086
	swaplab micro $bad >/dev/null 2>&1
	rc=$?
	want=2
	[ "$bad" = "rawread /nonexistent" ] && want=1
	if [ $rc = $want ]; then
		ok "micro $bad: exit $want"
	else
		not_ok "micro $bad: exit $rc, expected $want"
	fi
done

# swaplab thrash on the stock side, in a memory cgroup too small for the
# page tables of eight processes: its OOM killer ends some. That is a
# finding, not a failed run: exit 3, the first line ends in oom-killed,
# the killed processes say so, and the swap is put back.
swaplab thrash --system stock --procs 8 --ws 400K --budget 128K \
	--swapfile "$dir/swaplab-thrash.swap" >/tmp/swaplab-thrash-oom.log 2>&1
rc=$?
if [ $rc = 3 ] &&
   head -n1 /tmp/swaplab-thrash-oom.log | grep -q ' oom-killed$' &&
   grep -q '^  proc=[0-9]* .* killed$' /tmp/swaplab-thrash-oom.log &&
   [ "$(wc -l </proc/swaps)" = "$swaps" ]; then
	ok "thrash, stock, OOM-killed by its cgroup: exit 3, $(grep -c ' killed$' /tmp/swaplab-thrash-oom.log) processes killed"
else
	sed 's/^/# /' /tmp/swaplab-thrash-oom.log
	not_ok "thrash, stock, in 128 KiB: exit $rc, expected 3 with oom-killed"
fi
rm -f "$dir/swaplab-thrash.swap"

# Pages of a file: read-only, so that the stock side's shared file pages
# are clean when its cgroup reclaims them (dirty ones under memory.max
# get it OOM-killed before writeback catches up, as under TCG).
awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) {
	print int(rand() * rand() * 600); print int(rand() * rand() * 600) "f" } }' \
	>/tmp/swaplab-mixed.trace
s_swap=$(cat $knobs/swappiness) s_vm=$(cat /proc/sys/vm/swappiness)
swaplab compare trace /tmp/swaplab-mixed.trace --budget 1M --readonly \
	--policies gen,fifo --swappiness 200 \
	--swapfile "$dir/swaplab-compare.swap" >$out 2>&1
rc=$?
files=$(sed -n 's/^  pages of files: \([0-9]*\) of .*swappiness: swaplab 200, stock 200$/\1/p' $out)
rows=$(awk '$1 ~ /^(swaplab|stock)-/ && $NF == 0 { n++ } END { print n + 0 }' $out)
if [ $rc = 0 ] && [ -n "$files" ] && [ "$files" -gt 0 ] && [ "$rows" = 4 ] &&
   [ "$(cat $knobs/swappiness)" = "$s_swap" ] &&
   [ "$(cat /proc/sys/vm/swappiness)" = "$s_vm" ]; then
	ok "compare of a string with $files pages of a file at swappiness 200: 4 systems verified, swappiness $s_swap and vm.swappiness $s_vm put back"
else
	sed 's/^/# /' $out
	not_ok "compare of a mixed string: exit $rc, ${files:-no} pages of files, $rows systems verified, swappiness $(cat $knobs/swappiness) (was $s_swap), vm.swappiness $(cat /proc/sys/vm/swappiness) (was $s_vm)"
fi

# --readonly-files: the references write the anonymous pages and only
# read the file's. The fill can leave at most a budget (1 MiB) of dirty
# pages for the timed part to write to the store; so --readonly writes
# at most that much, and --readonly-files, whose references dirty every
# anonymous page they touch, writes more.
outs=
for mode in readonly readonly-files; do
	swaplab compare trace /tmp/swaplab-mixed.trace --budget 1M --$mode \
		--policies fifo --stock none >$out 2>&1
	rc=$?
	o=$(awk '$1 == "swaplab-fifo" && $NF == 0 { print $9 }' $out)
	[ $rc = 0 ] && [ -n "$o" ] || sed 's/^/# /' $out
	outs="$outs ${o:-none}"
done
set -- $outs
if [ "$1" != none ] && [ "$2" != none ] &&
   awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= 1.0 && b > 1.0) }'; then
	ok "compare --readonly-files: $2 MiB written to the store, --readonly $1 MiB (at most the budget of 1 MiB), pages verified"
else
	not_ok "compare --readonly-files: $2 MiB written to the store, expected more than 1; --readonly $1, expected at most 1"
fi

for bad in "zipf" "zipf --budget 0" "zipf --budget 1M --stock bogus" \
	   "nosuch --budget 1M" "zipf --budget 1M --curve -1" \
	   "zipf --budget 1M --swappiness 201" \
	   "zipf --budget 1M --swappiness -1" \
	   "zipf --budget 1M --file-dir /tmp" \
	   "zipf --budget 1M --readonly-files=1"; do
	# shellcheck disable=SC2086
	swaplab compare $bad >/dev/null 2>&1
	rc=$?
	if [ $rc = 2 ]; then
		ok "compare $bad: exit 2"
	else
		not_ok "compare $bad: exit $rc"
	fi
done
exit $status
