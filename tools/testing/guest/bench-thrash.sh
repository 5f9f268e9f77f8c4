#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The thrashing section, sourced by bench.sh (which defines the helpers
# and the module's setup it uses): in the full run, and alone for
# `tools/testing/bench --only thrash`.

# The textbook's thrashing curve: N processes start together, each with
# a working set W of a third of the budget B and 8 references a page of
# it at random (each checking and rewriting its page), taking turns of
# 256 references (swaplab thrash's quantum), N from 1 to 8 (1, 3 and 6
# in a quick run), so that N*W runs from B/3 to 2.7 B. Every
# system in this one VM run, at the same budget and disk, with no
# readahead on either side (page-cluster 0; the references are random):
# swaplab global, swaplab local with each allocator (equal, proportional,
# ws, pff), ws with load control, and the stock kernel, the same
# processes on anonymous memory in one memory cgroup with memory.max = B,
# with lru_gen off and, where the kernel has MGLRU, on.
# Throughput is references a second, the whole work of the N processes
# over the time until the last ends; major faults alongside. A run where
# the working sets fit lasts tens of milliseconds under TCG, and one
# run's throughput moves by a third from run to run, so each point is
# the median of up to nine rounds: after the third, fifth and seventh
# the point stops once its rounds have taken 10 s (a thrashing point
# takes seconds a round and stays at three). One round in a quick run.
# The goal's peak is the best N. A page found wrong fails the run.
# thrash.dat holds the curve for gnuplot.
section "thrashing: N processes' working sets under one budget"
tb=$((8 / scale))
if [ "$scale" = 1 ]; then tn="1 2 3 4 5 6 7 8"; else tn="1 3 6"; fi
tsys="global local_equal local_proportional local_ws local_pff ws_lc stock_lru"
[ "$lru_gen" = none ] || tsys="$tsys stock_mglru"
put 0 /proc/sys/vm/page-cluster
result thrash_budget_mib "$tb"
result thrash_ns "$(echo $tn | tr ' ' ,)"
result thrash_systems "$(echo $tsys | tr ' ' ,)"
: >thrash.dat
for n in $tn; do
	line=$n
	for sys in $tsys; do
		case $sys in
		global) set -- --system global ;;
		local_*) set -- --system local --allocator "${sys#local_}" ;;
		ws_lc) set -- --system local --allocator ws --load-control ;;
		stock_lru) set -- --system stock --lru n ;;
		stock_mglru) set -- --system stock --lru y ;;
		esac
		# Each round's figures in a file; the stock kernel's memory
		# cgroup OOM-killing a process in any round (exit 3) is the
		# figure, as for the other stock runs.
		: >thrash-$sys-$n.rps
		: >thrash-$sys-$n.maj
		oom= tr=0 t0=$(uptime_s)
		for round in 1 2 3 4 5 6 7 8 9; do
			[ "$round" -le "$trounds" ] || break
			if [ "$round" -gt "$rounds" ] && [ $((round % 2)) = 0 ] &&
			   awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { exit !(b - a > 10) }'; then
				break
			fi
			log=thrash-$sys-$n-$round.log
			rc=0
			swaplab thrash "$@" --procs $n --budget "${tb}M" \
				--ws "$((tb * 1024 / 3))K" --swapfile /mnt/thrash.swap \
				--seed $n >"$log" 2>&1 || rc=$?
			cat "$log"
			if [ $rc = 3 ]; then
				oom=1
				continue
			fi
			[ $rc = 0 ] || fail "thrash $sys $n"
			sed -n '1s/.* refs_per_s=\([0-9]*\) .*/\1/p' "$log" >>thrash-$sys-$n.rps
			sed -n '1s/.* majflt=\([0-9]*\) .*/\1/p' "$log" >>thrash-$sys-$n.maj
			tr=$round
		done
		if [ -n "$oom" ]; then
			result thrash_${sys}_n${n}_refs_per_s oom-killed
			result thrash_${sys}_n${n}_majflt oom-killed
			line="$line NaN"
			continue
		fi
		v=$(median_of "$tr" thrash-$sys-$n.rps)
		result thrash_${sys}_n${n}_refs_per_s "$v"
		result thrash_${sys}_n${n}_majflt "$(median_of "$tr" thrash-$sys-$n.maj)"
		result thrash_${sys}_n${n}_rounds "$tr"
		line="$line ${v:-NaN}"
	done
	echo "$line" >>thrash.dat
done
put "$pc" /proc/sys/vm/page-cluster
cat >thrash.gp <<EOF
set terminal pngcairo size 900,560
set output 'thrash-curve.png'
set title "thrashing: N processes, each a working set of B/3, budget B = $tb MiB"
set xlabel "processes N (N*W/B = N/3)"
set ylabel "references a second"
set key outside right
plot for [c=2:$(($(echo $tsys | wc -w) + 1))] 'thrash.dat' using 1:c with linespoints \
	title word("$tsys", c - 1)
EOF
