# SPDX-License-Identifier: GPL-2.0
#
# Sourced by swaplab.sh and by the test scripts it runs with the module
# loaded: TAP results and the places they share. Not a test of its own.
#
# A script that sources it declares its plan first (tap_plan N, the
# "1..N" line that swaplab.sh's run_tap judges it by: a script that dies
# or stops early has given fewer results than its plan), prints its
# results with ok, not_ok and skip, and ends with tap_end.

ksft_skip=4
status=0
results=0
planned=
knobs=/sys/kernel/swaplab
tr=/sys/kernel/tracing
[ -d $tr/events ] || tr=/sys/kernel/debug/tracing

# tap_plan N: the script gives N results.
tap_plan() {
	planned=$1
	echo "1..$1"
}

ok() {
	results=$((results + 1))
	echo "ok - $*"
}

not_ok() {
	results=$((results + 1))
	echo "not ok - $*"
	status=1
}

# skip WHAT WHY: a SKIP result, which the host accepts only from
# selftests/skip-allowlist.
skip() {
	results=$((results + 1))
	echo "ok - $1 # SKIP $2"
}

# need_swaplab WHAT: the swaplab CLI is on PATH wherever the suite runs
# (it puts it there); without it, a script's one result is WHAT's
# failure.
need_swaplab() {
	command -v swaplab >/dev/null && return
	tap_plan 1
	not_ok "$1: no swaplab on PATH"
	exit 1
}

# no_record_cmd: until the script exits, enabling an event does not hook
# the scheduler's wakeup and switch tracepoints to record task names
# (options/record-cmd), which patches their static branches in code every
# CPU is running. Under qemu's TCG that patching can crash or stall the
# guest: a CPU traps on the int3 of the text_poke protocol after the
# patch is done ("Oops: int3", in ttwu_do_activate() on 6.12); on 6.1 a
# CPU enabling the events with the option on has been seen to wait for
# minutes in smp_call_function_many_cond(). Task names are not needed
# here.
no_record_cmd() {
	[ -w $tr/options/record-cmd ] || return 0
	record_cmd=$(cat $tr/options/record-cmd)
	echo 0 >$tr/options/record-cmd
	trap 'echo "$record_cmd" >$tr/options/record-cmd' EXIT
}

# pstat NAME: the module's counter NAME (/sys/kernel/swaplab/stat).
pstat() {
	awk -v n="$1" '$1 == n { print $2 }' $knobs/stat
}

# proc_counts LOG: "TOTAL: EACH..." from a `swaplab bench trace` log of
# several processes: the faults on swaplab in all, then each process's.
proc_counts() {
	awk '$1 == "faults" && $3 == "swaplab:" { t = $4 + $6 }
	     $1 == "process" { p = p " " $3 }
	     END { print t ":" p }' "$1"
}

# modfaults LOG: the major and zero-fill faults on swaplab that a
# `swaplab bench` run logged ("faults N swaplab: M major, Z zero-fill").
modfaults() {
	awk '$1 == "faults" && $3 == "swaplab:" { print $4 + $6 }' "$1"
}

# demand_paging: readahead and page buffering off, as the simulator
# models demand paging, until demand_paging_end puts them back.
demand_paging() {
	s_ra=$(cat $knobs/readahead) s_pb=$(cat $knobs/page_buffering)
	echo 0 >$knobs/readahead
	echo 0 >$knobs/page_buffering
}

demand_paging_end() {
	echo "$s_ra" >$knobs/readahead
	echo "$s_pb" >$knobs/page_buffering
}

# skewed_string FILE: 6000 references to 300 pages, the low ones hot,
# the same every time.
skewed_string() {
	awk 'BEGIN { srand(11); for (i = 0; i < 6000; i++)
		print int(rand() * rand() * 300) }' >"$1"
}

# tap_end: exit with the script's status; more or fewer results than its
# plan is a failure of its own.
tap_end() {
	if [ -n "$planned" ] && [ "$results" != "$planned" ]; then
		echo "not ok - ${0##*/}: $results results, $planned planned"
		status=1
	fi
	exit $status
}
