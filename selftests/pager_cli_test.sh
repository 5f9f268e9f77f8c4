#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The policy outside the kernel, through the CLI: `swaplab pager` runs
# the simulator's fifo, clock and exact LRU as the external pager, the
# guide's examples/fifo_pager does too, a pager deselected under its
# command says so, and `swaplab pager --data` keeps the pages of its
# command's regions. Each against the module's own fault counts, with
# readahead and page buffering off, as the simulator models.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "swaplab pager against the module"
tap_plan 10
frames=$(cat $knobs/frames) policy=$(cat $knobs/policy)
demand_paging
# model_test.sh's string, and the simulator's fifo on it.
skewed_string /tmp/swaplab-sim.trace
sim=$(swaplab sim /tmp/swaplab-sim.trace --frames 64 --batch 32 \
	--policy fifo | awk '$1 == "fifo" { print $2 }')

# The policy outside the kernel: `swaplab pager` runs the
# simulator's fifo, then its clock, as the external pager, which
# must name every victim (none left to the kernel's fallback, no
# wait timed out); the module must fault as under the built-in
# policy of that name, and the policy selected before must be back.
# Clock reads the reference bits, which the kernel sends the pager
# from its harvests: on a string with a hot set, through 128 frames
# (at 64, a batch of 32 is half the budget and clock faults as fifo
# does), it must fault unlike fifo, and ask for rescans. Exact LRU
# has no built-in twin: it needs every reference, which the pager
# sees with the regions in record mode (a window of 1, which it
# sets), and the module must fault as the simulator's exact LRU.
awk 'BEGIN { srand(12); for (i = 0; i < 6000; i++)
	if (rand() < 0.5) print int(rand() * 40)
	else print 40 + int(rand() * 400) }' >/tmp/swaplab-hot.trace
builtin() {
	echo "$1" >$knobs/policy
	swaplab bench trace "$2" >/tmp/swaplab-pager-builtin.log 2>&1
	modfaults /tmp/swaplab-pager-builtin.log
	echo "$policy" >$knobs/policy
}
p_timeout=$(cat $knobs/policies/pager/timeout_ms)
echo 10000 >$knobs/policies/pager/timeout_ms
echo 0 >$knobs/daemon
for pp in fifo clock lru; do
	trace=/tmp/swaplab-sim.trace pframes=64
	[ $pp != clock ] || trace=/tmp/swaplab-hot.trace pframes=128
	echo $pframes >$knobs/frames
	if [ $pp = lru ]; then
		want=$(swaplab sim $trace --frames $pframes --batch 32 \
			--policy lru | awk '$1 == "lru" { print $2 }')
	else
		want=$(builtin $pp $trace)
	fi
	special=true fifo_faults=
	if [ $pp = clock ]; then
		fifo_faults=$(builtin fifo $trace)
		[ -n "$fifo_faults" ] && [ "$fifo_faults" != "$want" ] || special=false
	fi
	a0=$(pstat pager_answers) f0=$(pstat pager_fallback) t0=$(pstat pager_timeouts)
	before=$(cat $knobs/policy)
	swaplab pager --policy $pp -- swaplab bench trace $trace \
		>/tmp/swaplab-pager.log 2>&1
	rc=$?
	answers=$(($(pstat pager_answers) - a0))
	fallback=$(($(pstat pager_fallback) - f0))
	timeouts=$(($(pstat pager_timeouts) - t0))
	mod_pager=$(modfaults /tmp/swaplab-pager.log)
	after=$(cat $knobs/policy)
	# "swaplab pager: clock: ... N pages referenced, N rescans, ..."
	referenced=$(sed -n 's/.* \([0-9]*\) pages referenced,.*/\1/p' /tmp/swaplab-pager.log)
	rescans=$(sed -n 's/.* \([0-9]*\) rescans,.*/\1/p' /tmp/swaplab-pager.log)
	accesses=$(sed -n 's/.* \([0-9]*\) accesses,.*/\1/p' /tmp/swaplab-pager.log)
	referenced=${referenced:-0} rescans=${rescans:-0} accesses=${accesses:-0}
	# The bits, or every reference, reached the pager.
	[ $pp != clock ] || { [ "$referenced" -gt 0 ] && [ "$rescans" -gt 0 ]; } ||
		special=false
	[ $pp != lru ] || [ "$accesses" -gt 0 ] || special=false
	if [ $rc = 0 ] && [ -n "$want" ] && [ "$mod_pager" = "$want" ] &&
	   [ "$answers" -gt 0 ] && [ "$fallback" = 0 ] && [ "$timeouts" = 0 ] &&
	   [ "$after" = "$before" ] && $special; then
		ok "swaplab pager --policy $pp: module faults = $([ $pp = lru ] && echo "the simulator's exact" || echo built-in) $pp's ($mod_pager${fifo_faults:+; fifo $fifo_faults}), $answers victims named by the pager, $referenced pages referenced, $rescans rescans, $accesses accesses"
	else
		sed 's/^/# /' /tmp/swaplab-pager.log
		not_ok "swaplab pager --policy $pp: rc $rc, faults ${mod_pager:-missing} against ${want:-missing} (fifo ${fifo_faults:-$sim}), $answers named, $fallback by fallback, $timeouts timeouts, $referenced referenced, $rescans rescans, $accesses accesses, policy $after after, $before before"
	fi
done
# The researchers' guide's complete pager in one file
# (userspace/examples/fifo_pager.c, the uapi header only): the
# module must fault as under the built-in fifo, every victim named
# by it.
if command -v fifo_pager >/dev/null; then
	echo 64 >$knobs/frames
	want=$(builtin fifo /tmp/swaplab-sim.trace)
	a0=$(pstat pager_answers) f0=$(pstat pager_fallback)
	before=$(cat $knobs/policy)
	fifo_pager swaplab bench trace /tmp/swaplab-sim.trace \
		>/tmp/swaplab-fifo-pager.log 2>&1
	rc=$?
	answers=$(($(pstat pager_answers) - a0))
	fallback=$(($(pstat pager_fallback) - f0))
	got=$(modfaults /tmp/swaplab-fifo-pager.log)
	if [ $rc = 0 ] && [ -n "$want" ] && [ "$got" = "$want" ] &&
	   [ "$answers" -gt 0 ] && [ "$fallback" = 0 ] &&
	   [ "$(cat $knobs/policy)" = "$before" ]; then
		ok "examples/fifo_pager: module faults = built-in fifo's ($got), $answers victims named by it"
	else
		sed 's/^/# /' /tmp/swaplab-fifo-pager.log
		not_ok "examples/fifo_pager: rc $rc, faults ${got:-missing} against fifo's ${want:-missing}, $answers named, $fallback by fallback, policy $(cat $knobs/policy) after, $before before"
	fi
else
	not_ok "examples/fifo_pager: not on PATH"
fi
# Under allocation=local (the equal allocator) the kernel asks for
# victims among one process's pages, naming it, and `swaplab pager`
# keeps a state of its policy a process. Two processes of 64 pages
# each through 64 frames, fifo and clock: the module must fault as
# under the built-in policy under local, in all and each process's
# (the faults of each process are the proof that each took only its
# own pages), every victim named by the pager. The guide's fifo_pager
# too, which walks its one queue for the process named. With fifo the
# command itself makes allocation local, under the pager selected: the
# pager is selected again in the new mode and must not hear it as a
# deselection.
s_alloc=$(cat $knobs/allocation) s_allocator=$(cat $knobs/allocator)
swaplab gen zipf --pages 64 --refs 400 --procs 2 --quantum 8 \
	>/tmp/swaplab-local.trace
echo 64 >$knobs/frames
echo equal >$knobs/allocator
for pp in fifo clock example; do
	bp=$pp
	[ $pp != example ] || bp=fifo
	# (swaplab pager puts the mode it found back when it ends)
	echo local >$knobs/allocation
	echo $bp >$knobs/policy
	swaplab bench trace /tmp/swaplab-local.trace \
		>/tmp/swaplab-pager-builtin.log 2>&1
	want=$(proc_counts /tmp/swaplab-pager-builtin.log)
	echo "$policy" >$knobs/policy
	a0=$(pstat pager_answers) f0=$(pstat pager_fallback)
	t0=$(pstat pager_timeouts) i0=$(pstat pager_invalid)
	if [ $pp = example ]; then
		fifo_pager swaplab bench trace /tmp/swaplab-local.trace \
			>/tmp/swaplab-pager.log 2>&1
	elif [ $pp = fifo ]; then
		echo global >$knobs/allocation
		swaplab pager --policy $pp -- sh -c \
			"echo local >$knobs/allocation &&
			 swaplab bench trace /tmp/swaplab-local.trace" \
			>/tmp/swaplab-pager.log 2>&1
	else
		swaplab pager --policy $pp -- \
			swaplab bench trace /tmp/swaplab-local.trace \
			>/tmp/swaplab-pager.log 2>&1
	fi
	rc=$?
	mode=$(cat $knobs/allocation)
	got=$(proc_counts /tmp/swaplab-pager.log)
	answers=$(($(pstat pager_answers) - a0))
	fallback=$(($(pstat pager_fallback) - f0))
	timeouts=$(($(pstat pager_timeouts) - t0))
	invalid=$(($(pstat pager_invalid) - i0))
	# "swaplab pager: fifo: ... N process states, ..."
	states=$(sed -n 's/.* \([0-9]*\) process states,.*/\1/p' /tmp/swaplab-pager.log)
	# fifo_pager says nothing: the mode after it is the proof.
	[ $pp = example ] && [ "$mode" = local ] && states=2
	name="swaplab pager --policy $pp"
	[ $pp != example ] || name="examples/fifo_pager"
	if [ $rc = 0 ] && [ "$want" != ":" ] && [ "$got" = "$want" ] &&
	   [ "$answers" -gt 0 ] && [ "$fallback" = 0 ] &&
	   [ "$timeouts" = 0 ] && [ "$invalid" = 0 ] &&
	   [ "${states:-0}" -ge 2 ] &&
	   ! grep -q "deselected" /tmp/swaplab-pager.log; then
		ok "$name under allocation=local: module faults = built-in $bp's under local ($got, total: each process), $answers victims named, $states process states"
	else
		sed 's/^/# /' /tmp/swaplab-pager.log
		not_ok "$name under allocation=local: rc $rc, faults $got against $want, $answers named, $fallback by fallback, $timeouts timeouts, $invalid invalid, ${states:-missing} process states"
	fi
done
echo "$s_alloc" >$knobs/allocation
echo "$s_allocator" >$knobs/allocator
echo "$policy" >$knobs/policy

# A pager deselected while its command runs says so at the end: here
# by hand, in the command; an ejection looks the same to the pager.
echo 64 >$knobs/frames
before=$(cat $knobs/policy)
swaplab pager --policy fifo -- sh -c "echo gen >$knobs/policy &&
	swaplab bench trace /tmp/swaplab-sim.trace" \
	>/tmp/swaplab-pager-desel.log 2>&1
rc=$?
if [ $rc = 0 ] &&
   grep -q 'pager policy was deselected 1 time' /tmp/swaplab-pager-desel.log &&
   [ "$(cat $knobs/policy)" = "$before" ]; then
	ok "swaplab pager deselected while its command ran: it says so, and puts $before back"
else
	sed 's/^/# /' /tmp/swaplab-pager-desel.log
	not_ok "swaplab pager deselected while its command ran: rc $rc, policy $(cat $knobs/policy) after, $before before"
fi
echo "$p_timeout" >$knobs/policies/pager/timeout_ms

# Page data: `swaplab pager --data` is the default pager, which keeps
# the pages of the command's regions in its own memory. A 4 MiB
# region through 64 frames, written, then read and verified twice by
# `swaplab bench seq`: the pages must go to the pager (every one it
# took counted by the module) and come back from it, none lost, and
# the store must take a page only when reclaim found none of the 64
# buffers free (pager_data_full) or the pager's ring had no room for
# the page's event (pager_data_flushed): reclaim never waits for the
# pager, so how many depends on how soon the pager runs. Alone (the
# kernel's policy), and with --policy fifo (all of Mach's pager: policy
# and store). A fault waits up to 30 s for its page, not the default 1 s:
# the pager is a process like the others in a loaded guest, and a
# fault that waits longer gets SIGBUS (pager_data_timeouts).
echo 64 >$knobs/frames
for pd in "" "--policy fifo"; do
	o0=$(pstat pager_data_out) i0=$(pstat pager_data_in)
	w0=$(pstat swap_outs) l0=$(pstat pager_lost)
	a0=$(pstat pager_answers) t0=$(pstat pager_data_timeouts)
	f0=$(pstat pager_data_full) x0=$(pstat pager_data_flushed)
	# shellcheck disable=SC2086
	swaplab pager $pd --data --data-timeout 30000 -- \
		swaplab bench seq --size 4M --passes 2 \
		>/tmp/swaplab-pagerdata.log 2>&1
	rc=$?
	out=$(($(pstat pager_data_out) - o0)) in=$(($(pstat pager_data_in) - i0))
	outs=$(($(pstat swap_outs) - w0)) lost=$(($(pstat pager_lost) - l0))
	answers=$(($(pstat pager_answers) - a0))
	full=$(($(pstat pager_data_full) - f0))
	flushed=$(($(pstat pager_data_flushed) - x0))
	# "swaplab pager: data: N pages taken, N supplied, ..."
	taken=$(sed -n 's/.*data: \([0-9]*\) pages taken.*/\1/p' /tmp/swaplab-pagerdata.log)
	supplied=$(sed -n 's/.* \([0-9]*\) supplied,.*/\1/p' /tmp/swaplab-pagerdata.log)
	named=true
	[ -z "$pd" ] || [ "$answers" -gt 0 ] || named=false
	if [ $rc = 0 ] && [ "$out" -gt 0 ] && [ "${taken:-x}" = "$out" ] &&
	   [ "$in" -ge "$out" ] && [ "${supplied:-x}" = "$in" ] &&
	   [ "$lost" = 0 ] && [ "$outs" = $((full + flushed)) ] && $named; then
		ok "swaplab pager ${pd:+$pd }--data: $out pages taken by the pager, $in supplied back, $outs written to the store ($full found no buffer, $flushed no room in the ring), every page verified${pd:+, $answers victims named}"
	else
		sed 's/^/# /' /tmp/swaplab-pagerdata.log
		not_ok "swaplab pager ${pd:+$pd }--data: rc $rc, $out taken (pager says ${taken:-missing}), $in supplied (${supplied:-missing}), $outs to the store, $lost lost, $answers named, $(($(pstat pager_data_timeouts) - t0)) data timeouts, $full found no buffer, $flushed no room in the ring"
	fi
done
echo "$frames" >$knobs/frames
echo "$policy" >$knobs/policy
echo 1 >$knobs/daemon
demand_paging_end
tap_end
