#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# swaplab compare against the stock kernel: one reference string on
# /dev/swaplab and on anonymous memory in a memory cgroup with a swap
# file. Run by swaplab.sh with the module loaded; TAP lines like it.
#
# Checks that every system ran and verified its data, that no swaplab
# policy beat Belady's OPT (readahead off, so a major fault is a miss),
# that the run put back what it changed (knobs, swap, cgroup, lru_gen),
# that --plot wrote its data and script, and that bad input exits 2.

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

rows="swaplab-aging swaplab-clock swaplab-fifo stock-lru sim-lru sim-opt"
[ -n "$lru_gen" ] && rows="$rows stock-mglru"
missing=
for r in $rows; do
	# Two tables (1 MiB and 2 MiB), a row for each system in both.
	[ "$(awk -v r="$r" '$1 == r && $2 ~ /^[0-9]+$/' $out | wc -l)" = 2 ] ||
		missing="$missing $r"
done
if [ -z "$missing" ]; then
	ok "compare: a row per system and budget ($(echo $rows | wc -w) systems)"
else
	sed 's/^/# /' $out
	not_ok "compare: rows missing or failed:$missing"
fi

# Every real system verified every page (the last column, "wrong").
if awk '$1 ~ /^(swaplab|stock)-/ && $NF != 0 { bad++ } END { exit bad > 0 }' $out &&
   ! grep -q failed $out; then
	ok "compare: every run verified its data"
else
	not_ok "compare: a run read wrong data or failed"
fi

# OPT is the floor for swaplab, whose major faults are misses here.
opt=$(awk '$1 == "sim-opt" { print $2; exit }' $out)
worse=$(awk -v opt="$opt" '$1 ~ /^swaplab-/ && $2 < opt { n++ } END { print n + 0 }' $out)
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

if [ "$(grep -vc '^#' $plot-curve.dat)" = 2 ] &&
   head -n1 $plot-curve.dat | grep -q 'budget_MiB swaplab-aging' &&
   grep -q "plot for" $plot.gp &&
   [ -s $plot-series-swaplab-aging.dat ] && [ -s $plot-series-stock-lru.dat ]; then
	ok "compare --plot: curve data, series data and gnuplot script"
else
	not_ok "compare --plot: files missing"
fi

for bad in "zipf" "zipf --budget 0" "zipf --budget 1M --stock bogus" \
	   "nosuch --budget 1M" "zipf --budget 1M --curve -1"; do
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
