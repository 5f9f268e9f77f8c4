#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The policies told apart on the module. A zipf string (1200 pages,
# 24000 references) through 256 frames, daemon=0, with no time in it:
# aging ticks only by faults (aging_interval_ms 0), and no
# page gets older than WSClock's tau. Only the order of WSClock's stamps
# counts then (a lap with no page older than tau takes the oldest): the
# module stamps in microseconds, the simulator a millisecond a reference,
# and both keep the order of the events. The simulator at the module's batch,
# with no time tick either, gives each policy's fault count (the known
# counts its own test in policies/ pins on the host: a policy changed or
# swapped changes it); the module must give the same, fault for fault,
# and so rank fifo, clock, wsclock and aging as the simulator does. Every
# deterministic policy is here (random draws its own numbers): the list
# is the simulator's, which compiles module/api/policy_list.h (the rows of
# `swaplab sim --policy all` with a refault column), and the module must
# have registered the same ones, in the same order, before pager.
# Then the string's first 12000 references with the budget cut to 96
# before reference 4000 and raised to 320 before 8000 (`swaplab bench
# trace --resize` writes the frames knob there): the policy's resize()
# and the reclaim after the cut, batch after batch, must be the
# simulator's (--resize). The knob drains the admissions still queued
# per CPU before it changes the budget, so that none reaches the policy
# with the new budget in its context.
# Then the first 12000 references again with each policy's knobs that
# switch its departures from the paper off (the reference models'
# SIM_KNOBS, selftests/reference/), written in sysfs on the module and
# given to the simulator as --knob: the same counts again, so that the
# knobs reach the policy on the module as they do in the simulator.
# Then adapt on a string where it switches experts: the same count again,
# and the same counts of its own (its sysfs file stats).
# Its results: the list, two for each listed policy but random, the
# ranking, gen and car moved between CPUs, the knobs of 6 policies and
# adapt's switches and its stats: 2 x (listed - 1) + 12. Readahead
# and page buffering are off, as the simulator models demand paging.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "policies told apart on the module"
listed=$(echo 1 | swaplab sim - --frames 1 --policy all |
	awk 'NR > 1 && NF > 3 { print $1 }' | tr '\n' ' ')
listed=${listed% }
builtin=$(tr ' ' '\n' <$knobs/available_policies |
	awk '$1 == "pager" { exit } { print }' | tr '\n' ' ')
builtin=${builtin% }
loop=$(echo "$listed" | tr ' ' '\n' | grep -vx random | tr '\n' ' ')
set -- $loop
tap_plan $((2 * $# + 12))
if [ $# -gt 1 ] && [ "$listed" = "$builtin" ]; then
	ok "the module registers the simulator's policies, in its order: $listed"
else
	not_ok "the simulator lists '${listed:-nothing}', the module registers '${builtin:-nothing}' before pager"
fi
s_frames=$(cat $knobs/frames) s_policy=$(cat $knobs/policy)
s_daemon=$(cat $knobs/daemon) s_aging=$(cat $knobs/aging_interval_ms)
s_tau=$(cat $knobs/policies/wsclock/tau_ms)
demand_paging
swaplab gen zipf --pages 1200 --refs 24000 >/tmp/swaplab-zipf.trace
head -n 12000 /tmp/swaplab-zipf.trace >/tmp/swaplab-zipf-half.trace
echo 0 >$knobs/daemon
echo 256 >$knobs/frames
echo 0 >$knobs/aging_interval_ms
echo 3600000 >$knobs/policies/wsclock/tau_ms
for p in $loop; do
	sim=$(swaplab sim /tmp/swaplab-zipf.trace --frames 256 --batch 32 \
		--tick 100000000 --knob tau_ms=3600000 --policy $p |
		awk -v p=$p '$1 == p { print $2 }')
	echo $p >$knobs/policy
	swaplab bench trace /tmp/swaplab-zipf.trace >/tmp/swaplab-pol.log 2>&1
	mod=$(modfaults /tmp/swaplab-pol.log)
	rsim=$(swaplab sim /tmp/swaplab-zipf-half.trace --frames 256 \
		--batch 32 --tick 100000000 --knob tau_ms=3600000 \
		--policy $p --resize 4000:96,8000:320 |
		awk -v p=$p '$1 == p { print $2 }')
	# From a fresh selection, as the simulator starts: the
	# run above left the policy's state (its targets, counts).
	echo fifo >$knobs/policy
	echo $p >$knobs/policy
	swaplab bench trace /tmp/swaplab-zipf-half.trace \
		--resize 4000:96,8000:320 >/tmp/swaplab-rsz.log 2>&1
	rc=$?
	rmod=$(modfaults /tmp/swaplab-rsz.log)
	rframes=$(cat $knobs/frames)
	if [ -n "$sim" ] && [ "$sim" = "$mod" ]; then
		ok "policy $p on the module: $mod faults, simulator $sim (zipf, 256 frames, daemon=0)"
	else
		sed 's/^/# /' /tmp/swaplab-pol.log
		not_ok "policy $p on the module: ${mod:-missing} faults, simulator ${sim:-missing}"
	fi
	if [ $rc = 0 ] && [ -n "$rsim" ] && [ "$rsim" = "$rmod" ] &&
	   [ "$rframes" = 256 ]; then
		ok "policy $p resized on the module: $rmod faults, simulator $rsim (256, 96, 320 frames; 256 after)"
	else
		sed 's/^/# /' /tmp/swaplab-rsz.log
		not_ok "policy $p resized on the module: ${rmod:-missing} faults (exit $rc), simulator ${rsim:-missing}, frames ${rframes:-missing} after"
	fi
	case $p in
	fifo|clock|wsclock|aging) eval "rank_$p=\${mod:-}" ;;
	esac
done
order=bad
if [ -n "${rank_fifo:-}" ] && [ -n "${rank_clock:-}" ] &&
   [ -n "${rank_wsclock:-}" ] && [ -n "${rank_aging:-}" ] &&
   [ "$rank_fifo" -gt "$rank_clock" ] &&
   [ "$rank_clock" -gt "$rank_wsclock" ] &&
   [ "$rank_wsclock" -gt "$rank_aging" ]; then
	order=ok
fi
if [ $order = ok ]; then
	ok "policies rank on the module as in the simulator: fifo > clock > wsclock > aging faults"
else
	not_ok "policies do not rank fifo > clock > wsclock > aging on the module"
fi
# The admission batches with a thread that the scheduler moves: the
# replay's tasks are moved from CPU to CPU (taskset) all the time it
# runs, so that each leaves entries queued in one CPU's batch and
# faults on the other. Merged in queueing order, gen and car must
# still fault as the simulator. (Drained CPU by CPU instead, 8 of 12
# such runs differ by 4 to 40 faults.)
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	echo 0 >$knobs/readahead
	for p in gen car; do
		sim=$(swaplab sim /tmp/swaplab-zipf.trace --frames 256 \
			--batch 32 --tick 100000000 --policy $p |
			awk -v p=$p '$1 == p { print $2 }')
		echo fifo >$knobs/policy
		echo $p >$knobs/policy
		swaplab bench trace /tmp/swaplab-zipf.trace \
			>/tmp/swaplab-mig.log 2>&1 &
		bp=$! moves=0
		while kill -0 $bp 2>/dev/null; do
			for c in 0 1; do
				for t in $bp $(cat /proc/$bp/task/*/children 2>/dev/null); do
					taskset -a -p -c $c "$t" >/dev/null 2>&1 &&
						moves=$((moves + 1))
				done
			done
		done
		wait $bp
		mod=$(modfaults /tmp/swaplab-mig.log)
		if [ -n "$sim" ] && [ "$sim" = "$mod" ] && [ $moves -gt 10 ]; then
			ok "policy $p, the replay moved between CPUs $moves times: $mod faults, simulator $sim"
		else
			sed 's/^/# /' /tmp/swaplab-mig.log
			not_ok "policy $p, the replay moved between CPUs $moves times: ${mod:-missing} faults, simulator ${sim:-missing}"
		fi
	done
else
	not_ok "no taskset or fewer than 2 CPUs: the moving-thread check cannot run"
fi
# The knobs of the paper's order: POLICY KNOB=VALUE...
while read -r p kv; do
	sim=$(swaplab sim /tmp/swaplab-zipf-half.trace --frames 256 \
		--batch 32 --tick 100000000 --knob tau_ms=3600000 \
		$(for x in $kv; do echo "--knob $x"; done) --policy $p |
		awk -v p=$p '$1 == p { print $2 }')
	echo fifo >$knobs/policy
	saved= bad=
	for x in $kv; do
		k=${x%%=*}
		saved="$saved $k=$(cat $knobs/policies/$p/$k 2>/dev/null)"
		echo "${x#*=}" >$knobs/policies/$p/$k 2>/dev/null ||
			bad="$bad $k"
	done
	echo $p >$knobs/policy
	swaplab bench trace /tmp/swaplab-zipf-half.trace \
		>/tmp/swaplab-knob.log 2>&1
	mod=$(modfaults /tmp/swaplab-knob.log)
	echo fifo >$knobs/policy
	for x in $saved; do
		echo "${x#*=}" >$knobs/policies/$p/${x%%=*} 2>/dev/null
	done
	if [ -z "$bad" ] && [ -n "$sim" ] && [ "$sim" = "$mod" ]; then
		ok "policy $p with $kv on the module: $mod faults, simulator $sim"
	else
		sed 's/^/# /' /tmp/swaplab-knob.log
		not_ok "policy $p with $kv on the module: ${mod:-missing} faults, simulator ${sim:-missing}${bad:+; knobs not written:$bad}"
	fi
done <<EOF
aging fault_top=0
wsclock lap_oldest=0 lap_restart=0
s3fifo move_uses=2 move_keeps=1
lfu second_chance=0 remember=0
gen p_init_pct=0
clockpro mc_min_pct=0 mc_late_ref=0 rescan=0
EOF
# adapt where it switches: a loop, changing sets, references where
# frequency tells, the loop again (adapt_phases.awk; policies/adapt.sh),
# through 1000 frames, where it leaves clockpro for gen, then lfu, and
# comes back. The module must fault as the simulator, which must differ
# from clockpro's count (it switched). 12229 pages: they fit the 64 MiB
# swap file swaplab.sh loads the module with.
awk -v L=1500 -v P=8 -v S=4 -v K=900 -v R=4 -v F=20000 -v H=600 \
	-f "$(dirname "$0")/adapt_phases.awk" >/tmp/swaplab-phases.trace
echo 1000 >$knobs/frames
sim=$(swaplab sim /tmp/swaplab-phases.trace --frames 1000 --batch 32 \
	--tick 100000000 --policy all |
	awk '$1 == "adapt" { a = $2 } $1 == "clockpro" { c = $2 }
	     END { print a, c }')
echo fifo >$knobs/policy
echo adapt >$knobs/policy
swaplab bench trace /tmp/swaplab-phases.trace >/tmp/swaplab-adapt.log 2>&1
mod=$(modfaults /tmp/swaplab-adapt.log)
if [ -n "$mod" ] && [ "$mod" = "${sim% *}" ] && [ "$mod" != "${sim#* }" ]; then
	ok "policy adapt on loop, sets, frequency, loop on the module: $mod faults, simulator $mod (clockpro alone ${sim#* })"
else
	sed 's/^/# /' /tmp/swaplab-adapt.log
	not_ok "policy adapt on loop, sets, frequency, loop on the module: ${mod:-missing} faults, simulator and clockpro: ${sim:-missing}"
fi
# Its own counts at the end of that run's references (policies/adapt/
# stats, which swaplab bench prints before its verification faults the
# pages back in): the simulator's (--stats), the expert followed at the
# end, the switches (some: it switched), the sampled references and each
# miniature's faults. With another policy selected the file has nothing
# to show: ENODATA.
mstats=$(awk '$1 == "policy" && $2 == "stats" { $1 = $2 = ""; print }' \
	/tmp/swaplab-adapt.log)
sstats=$(swaplab sim /tmp/swaplab-phases.trace --frames 1000 --batch 32 \
	--tick 100000000 --policy adapt --stats |
	awk '$1 == "stats" { $1 = ""; print }')
echo fifo >$knobs/policy
other=$(cat $knobs/policies/adapt/stats 2>&1 >/dev/null)
mstats=$(echo $mstats) sstats=$(echo $sstats)
case "$mstats" in
*"switches 0 "*|"") switched= ;;
*) switched=1 ;;
esac
if [ -n "$switched" ] && [ "$mstats" = "$sstats" ] &&
   echo "$other" | grep -q "No data available"; then
	ok "adapt's stats on the module are the simulator's ($mstats); with fifo selected: $other"
else
	not_ok "adapt's stats: module '${mstats:-missing}', simulator '${sstats:-missing}' (expected equal, with switches); with fifo selected: '$other'"
fi
echo "$s_frames" >$knobs/frames
echo "$s_policy" >$knobs/policy
echo "$s_daemon" >$knobs/daemon
echo "$s_aging" >$knobs/aging_interval_ms
echo "$s_tau" >$knobs/policies/wsclock/tau_ms
demand_paging_end
tap_end
