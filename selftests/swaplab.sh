#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load swaplab, run its selftests, unload it, and check that everything it
# allocated came back (MemFree within SWAPLAB_MEMFREE_SLACK_KIB of the
# baseline). Like
# tools/testing/selftests/mm/test_hmm.sh: exits 4 (kselftest skip) when not
# root or when the module cannot be found.
#
# SWAPLAB_KO: path of swaplab.ko when modprobe cannot find it.
# SWAPLAB_BLOCKDEV: a spare block device for the raw-device test and the
# failing-device tests (it is overwritten); they skip without it.
# SWAPLAB_NBD_DIR: where nbd_test puts the file its nbd-server exports
# (default /var/tmp); it needs nbd-server and nbd-client on PATH and the
# kernel's nbd module loaded.
# SWAPLAB_SWAPFILE: the swap file to test with, on a file system that
# maps blocks with bmap(), such as ext4 (default
# /var/tmp/swaplab-selftest.swap); removed after.
# SWAPLAB_MEMFREE_SLACK_KIB: how far below its baseline MemFree may end
# (default 4096; check-debug allows KASAN's own growth). The leak check
# proper is the steady state that check and check-debug run after this
# script (tools/testing/lib.sh, STEADY_STATE): rounds of load, paging and
# rmmod that must end within 2 MiB of where they started. This bound, from
# before the first load, also counts what the kernel grows once for the
# tests (2.4 to 3.1 MiB, varying by 0.3 MiB between identical runs), so it
# catches only gross losses.

here=$(dirname "$0")
. "$here/swaplab_lib.sh"

# The plan: each section declares, before anything decides whether it
# runs, how many results it gives when it passes (plan N); each result
# this script prints (ok, not_ok, skip) and each program run_tap judges
# counts one. The last line compares the two, so a section that
# vanishes or stops early fails even when all it printed passed; the
# host fails a run without that line (tools/testing/lib.sh,
# suite_results), so a script that died before it fails too.
planned=0 results=0
suite_start=$(date +%s)
plan() {
	planned=$((planned + $1))
	# Where the suite's time goes: each section's start.
	[ "$1" -lt 0 ] || echo "# section at $(($(date +%s) - suite_start)) s, $1 results planned"
}

# tap_not_ok WHAT: run_tap's own failure line, part of the one result
# its run counts.
tap_not_ok() {
	echo "not ok - $*"
	status=1
}

# knob_values: every setting under $knobs (the files the module makes
# writable, the policies' own included), a "name=value" line each.
knob_values() {
	find "$knobs" -type f -perm -200 | sort | while read -r f; do
		printf '%s=%s\n' "${f#"$knobs"/}" "$(cat "$f" 2>/dev/null)"
	done
}

# knobs_put_back NAME: the settings as they were before program NAME
# ran (knobs_before), put back, and one failure if any had changed. Every
# program puts back what it changes, but one killed in the middle of a
# test (the harness's timeout kills it before its teardown) cannot, and
# the programs after it would run on its settings and fail for nothing
# of their own. Knobs that came or went with a policy are not compared.
# Several rounds, for settings that depend on each other (load_control
# needs allocation=local).
knobs_put_back() {
	knob_values >/tmp/swaplab-knobs.after
	echo "$knobs_before" | grep -vxF -f /tmp/swaplab-knobs.after |
		while IFS= read -r line; do
			[ -e "$knobs/${line%%=*}" ] && echo "$line"
		done >/tmp/swaplab-knobs.changed
	[ -s /tmp/swaplab-knobs.changed ] || return 0
	changed=$(while IFS= read -r line; do
		printf ' %s (was %s, now %s)' "${line%%=*}" "${line#*=}" \
			"$(cat "$knobs/${line%%=*}" 2>/dev/null)"
	done </tmp/swaplab-knobs.changed)
	for _ in 1 2 3; do
		while IFS= read -r line; do
			echo "${line#*=}" 2>/dev/null >"$knobs/${line%%=*}"
		done </tmp/swaplab-knobs.changed
	done
	knob_values >/tmp/swaplab-knobs.after
	left=$(grep -cvxF -f /tmp/swaplab-knobs.after /tmp/swaplab-knobs.changed)
	tap_not_ok "$1 left knobs changed:$changed; $((left)) could not be put back"
}

# run_tap NAME PROGRAM [ARG...]: run a test program, show what it prints,
# and judge it as a whole. Its own results count as they are; it adds one
# failure only where they cannot tell: a plan ("1..N") with fewer than N
# results (it died or stopped early), no result at all, or a non-zero
# status without a failed result (a failed test counts once, not twice).
# Exit 4 (kselftest skip) with SKIP results is left to those results,
# which the host judges against selftests/skip-allowlist. A program run
# is one result of the plan, whether or not it adds a line.
run_tap() {
	tap_name=$1
	shift
	results=$((results + 1))
	tap_start=$(date +%s)
	knobs_before=$(knob_values)
	{
		"$@"
		echo $? >/tmp/swaplab-tap.rc
	} 2>&1 | tee /tmp/swaplab-tap.log
	tap_rc=$(cat /tmp/swaplab-tap.rc)
	# Where the suite's time goes (not judged: a timing is no result).
	echo "# $tap_name: $(($(date +%s) - tap_start)) s"
	tap_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' /tmp/swaplab-tap.log | head -n1)
	tap_results=$(grep -cE '^(not )?ok ' /tmp/swaplab-tap.log)
	tap_failed=$(grep -c '^not ok ' /tmp/swaplab-tap.log)
	tap_skipped=$(grep -cE '^ok .*# SKIP' /tmp/swaplab-tap.log)
	if [ -n "$tap_plan" ] && [ "$tap_results" -lt "$tap_plan" ]; then
		tap_not_ok "$tap_name: $tap_results of the $tap_plan results it planned (status $tap_rc)"
	elif [ "$tap_results" = 0 ]; then
		tap_not_ok "$tap_name: no result (status $tap_rc)"
	elif [ "$tap_rc" != 0 ] && [ "$tap_failed" = 0 ] &&
	     ! { [ "$tap_rc" = $ksft_skip ] && [ "$tap_skipped" -gt 0 ]; }; then
		tap_not_ok "$tap_name exited with status $tap_rc"
	elif [ "$tap_rc" != 0 ]; then
		status=1
	fi
	knobs_put_back "$tap_name"
}

# Free memory in KiB: MemFree plus the pages cached on per-CPU free lists,
# which MemFree leaves out and which 6.12 lets grow to many MiB, plus
# Shmem: the files the tests leave in the guest's tmpfs /tmp (logs,
# traces; about a MiB) are theirs, and swaplab allocates no shmem.
memfree_kib() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	pcp=$(awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo)
	awk -v pcp="$pcp" '/^MemFree:/ { f = $2 } /^Shmem:/ { s = $2 }
		END { print f + s + pcp }' /proc/meminfo
}

# memfree_below BASE MEMINFO: KiB that free memory is below BASE, once
# settled. Memory the kernel frees late (RCU callbacks, deferred vfree,
# exiting tasks) may still be on its way back: a figure past the slack is
# taken again, up to three times 5 s apart, and a leak stays past it. A
# last one past it prints the fields that moved by more than a MiB since
# MEMINFO, a mem_snapshot taken with BASE.
memfree_below() {
	mf_tries=0
	mf_d=$(($1 - $(memfree_kib)))
	while [ $mf_d -ge "$memfree_slack" ] && [ $mf_tries -lt 3 ]; do
		echo "# MemFree $mf_d KiB below its baseline: again in 5 s" >&2
		sleep 5
		mf_d=$(($1 - $(memfree_kib)))
		mf_tries=$((mf_tries + 1))
	done
	[ $mf_d -lt "$memfree_slack" ] ||
		awk 'NR == FNR { v[$1] = $2; next }
		     $1 in v && ($2 - v[$1] > 1024 || v[$1] - $2 > 1024) {
			printf "# %s %d -> %d kB\n", $1, v[$1], $2 }' \
			"$2" "$(mem_snapshot /tmp/swaplab-meminfo.now)" >&2
	echo $mf_d
}

# mem_snapshot FILE: /proc/meminfo, the per-CPU free lists and the page
# counts of /proc/vmstat (nr_*, in kB) in FILE, one "name: kB" a line,
# for memfree_below to say where memory went. Prints FILE.
mem_snapshot() {
	{
		cat /proc/meminfo
		awk '$1 == "count:" { n += $2 }
		     END { print "PerCPUFreeLists:", n * 4, "kB" }' /proc/zoneinfo
		awk '/^nr_/ { print "vmstat." $1 ":", $2 * 4, "kB" }' /proc/vmstat
	} >"$1"
	echo "$1"
}

if [ "$(id -u)" != 0 ]; then
	echo "# SKIP: swaplab.sh needs root"
	exit $ksft_skip
fi
if grep -q '^swaplab ' /proc/modules; then
	echo "# SKIP: swaplab is already loaded; unload it first"
	exit $ksft_skip
fi

swapfile=${SWAPLAB_SWAPFILE:-/var/tmp/swaplab-selftest.swap}
mkdir -p "$(dirname "$swapfile")"
rm -f "$swapfile"
params="frames=16384 swapfile=$swapfile swapfile_size=64M"

# The trace ring buffer grows to full size when an event is first enabled
# and never shrinks back: grow it before the baseline, with a stock event,
# the scheduler's tracepoints left alone (swaplab_lib.sh).
no_record_cmd
if [ -w $tr/events/sched/sched_process_exec/enable ]; then
	echo 1 >$tr/events/sched/sched_process_exec/enable
	echo 0 >$tr/events/sched/sched_process_exec/enable
fi
# So do the kernel's own caches the first time fio runs (fio_test.sh),
# by about 0.3 MiB, and not again on later runs: run it once, on
# /dev/zero, before the baseline too.
if command -v fio >/dev/null; then
	fio --eta=never --output=/dev/null --name=warm --filename=/dev/zero \
		--ioengine=mmap --rw=randrw --rwmixread=0 --bs=4k --size=1M \
		--io_size=2M --verify=crc32c --verify_backlog=256 \
		--verify_state_save=0 >/dev/null 2>&1
fi

memfree_slack=${SWAPLAB_MEMFREE_SLACK_KIB:-4096}
base=$(memfree_kib)
mem_snapshot /tmp/swaplab-meminfo.base >/dev/null
# shellcheck disable=SC2086
if ! modprobe -q swaplab $params 2>/dev/null &&
   ! insmod "${SWAPLAB_KO:-$here/swaplab.ko}" $params 2>/dev/null; then
	echo "# SKIP: cannot load swaplab (modprobe or SWAPLAB_KO) with $params"
	exit $ksft_skip
fi
plan 1
ok "load swaplab ($params)"

# Three of region_test's tests run after the MemFree check (below): one
# makes and removes a memory cgroup, one a thousand files, device nodes
# and symlinks on /mnt's ext4, one shrinks every slab cache (which costs
# the kernel about 440 KiB once, with or without swaplab); the kernel's
# own structures for them (cgroup state freed lazily, ext4 caches) are
# not swaplab's to account.
late_region_tests="memcg_charges_frames raw_device_path_swapped metadata_matches_kernel"
# integrity_test's encrypted_new_key_no_key_on_disk writes the ciphertext
# of fixed pages to SWAPLAB_CT_OUT, here and on the second load (below).
ct=/tmp/swaplab-ct
rm -f $ct.1 $ct.2
# One result a program: 19.
plan 19
for t in swaplab_test paging_test region_test fuzz_test integrity_test \
	 ioerror_test hostile_test history_test pager_test pagerdata_test \
	 compress_test nbd_test privilege_test proc_test alloc_test loadctl_test \
	 move_test file_test coherence_test; do
	args=
	if [ $t = region_test ]; then
		for n in $late_region_tests; do
			args="$args -T $n"
		done
	fi
	# shellcheck disable=SC2086
	SWAPLAB_CT_OUT=$ct.1 run_tap $t "$here/$t" $args
done

# The module's topics, each a script of its own with the module loaded
# (TAP, planned first; each puts back the knobs it changes). One result
# a script: 13. A policy in a module of its own; the CLI's status and
# top; the tracepoints; the generated workloads; the mechanism against
# the model; frame allocation against the model, several processes;
# the external pager through the CLI; policies in eBPF (loaded, checked
# and unloaded on 6.12, refused cleanly on 6.1); the policies told
# apart on the module; anonymous pages and pages of files; programs
# that map their files (sqlite3, LMDB); the pressure file; the move
# guide's example.
plan 13
run_tap policy_module_test.sh "$here/policy_module_test.sh" \
	"$(dirname "${SWAPLAB_KO:-$here/swaplab.ko}")/swaplab_mru.ko"
for t in status_test.sh trace_test.sh workloads_test.sh model_test.sh \
	 alloc_model_test.sh pager_cli_test.sh bpf_test.sh policies_test.sh \
	 kinds_test.sh mapped_test.sh psi_test.sh move_example_test.sh; do
	run_tap $t "$here/$t"
done

# Stress with verification: writer threads in three processes on a named
# region eight times a 4 MiB budget while the policy, the watermarks,
# frames, readahead, the daemon switch and page buffering change under
# them, every page
# checked against the writers' shadows (SWAPLAB_STRESS_SECONDS, default
# 75). Then fio's mmap engine with crc32c verification, a client nobody
# here wrote; it skips when fio is not installed.
plan 2
run_tap stress_test "$here/stress_test"
run_tap fio_test.sh "$here/fio_test.sh"

# A workload that touches 32 MiB, so that a leak would show in MemFree.
plan 1
if ! command -v swaplab >/dev/null; then
	not_ok "bench seq 32M: no swaplab on PATH"
else
	if swaplab bench seq --size 32M --passes 1 >/tmp/swaplab-bench.log 2>&1; then
		ok "bench seq 32M verified"
	else
		sed 's/^/# /' /tmp/swaplab-bench.log
		not_ok "bench seq 32M"
	fi
fi

# Resident frames, slots, rmmod, the swap file, MemFree.
plan 5
res=$(awk '$1 == "resident" { print $2 }' /sys/kernel/swaplab/stat)
regions=$(awk '$1 == "regions" { print $2 }' /sys/kernel/swaplab/stat)
procs=$(awk '$1 == "procs" { print $2 }' /sys/kernel/swaplab/stat)
if [ "$res" = 0 ] && [ "$regions" = 0 ] && [ "$procs" = 0 ]; then
	ok "no frames, regions or processes left after use"
else
	not_ok "resident=$res regions=$regions procs=$procs after every region closed"
fi

slots=$(awk '$1 == "swap_slots_used" { print $2 }' /sys/kernel/swaplab/stat)
if [ "$slots" = 0 ]; then
	ok "no swap slots left in use"
else
	not_ok "swap_slots_used=$slots after every region closed"
fi

if rmmod swaplab; then
	ok "rmmod swaplab"
else
	not_ok "rmmod swaplab"
fi
# Attached, the file is a swap file nobody may remove (EPERM); rmmod
# gives it back.
if rm "$swapfile"; then
	ok "swap file released by rmmod"
else
	not_ok "swap file still pinned after rmmod"
fi

diff=$(memfree_below "$base" /tmp/swaplab-meminfo.base)
if [ $diff -lt "$memfree_slack" ]; then
	ok "MemFree back to baseline (${diff} KiB below)"
else
	not_ok "MemFree ${diff} KiB below its baseline after rmmod"
fi

# The tests that make the stock kernel swap and use memory cgroups come
# after the MemFree check: they grow the stock kernel's own structures
# (swap, cgroups, page tables of the locked memory), by 0.1-0.2 MiB, which
# is not swaplab's to account for. The module is loaded again for them.
# The second load also widens the device's mode (dev_mode=), after
# checking that a mode with more than read and write bits is refused.
# They are covered by a MemFree check of their own, from here to their
# rmmod, with the same slack.
base2=$(memfree_kib)
mem_snapshot /tmp/swaplab-meminfo.base2 >/dev/null
ko=${SWAPLAB_KO:-$here/swaplab.ko}
# The refused mode and four refused loads; then the mode,
# integrity_test, the ciphertexts, region_test, the 1 KiB-block store,
# compare, pressure, the real programs, rmmod and MemFree: 15.
plan 15
# shellcheck disable=SC2086
if insmod "$ko" $params dev_mode=0777 2>/dev/null; then
	not_ok "insmod with dev_mode=0777 succeeded"
	rmmod swaplab
else
	ok "insmod refuses dev_mode=0777 (only read and write bits)"
fi
# Bad parameters fail the load with the kernel log saying why, and
# leave nothing behind (no device, no sysfs directory): checked before
# anything is set up (frames, swapfile_size) and after the policies,
# the checksums and the compressed tier are (an unknown compressor, a
# swap file that cannot be made), whose unwinding must free all of it.
# The last value of a parameter given twice is the one used.
for bad in "frames=1:frames=1 out of range" \
	   "swapfile_size=1K:swapfile_size=1K: not a size" \
	   "compress=nosuch:compress=nosuch: " \
	   "swapfile=/nonexistent/swaplab.swap:swapfile=/nonexistent/swaplab.swap: "; do
	arg=${bad%%:*} why=${bad#*:}
	n0=$(dmesg | wc -l)
	# shellcheck disable=SC2086
	if insmod "$ko" $params $arg 2>/dev/null; then
		not_ok "insmod with $arg succeeded"
		rmmod swaplab
	elif [ -e /dev/swaplab ] || [ -e /sys/kernel/swaplab ] ||
	     [ -e /sys/module/swaplab ]; then
		not_ok "insmod with $arg failed but left /dev/swaplab, /sys/kernel/swaplab or /sys/module/swaplab"
	elif ! dmesg | tail -n +$((n0 + 1)) | grep -qF "swaplab: $why"; then
		dmesg | tail -n 5 | sed 's/^/# /'
		not_ok "insmod with $arg failed, but the kernel log does not say 'swaplab: $why'"
	else
		ok "insmod refuses $arg, says why, and leaves nothing: $(dmesg | grep -F "swaplab: $why" | tail -n1 | sed 's/^\[[^]]*\] //')"
	fi
done
# shellcheck disable=SC2086
if modprobe -q swaplab $params dev_mode=0660 2>/dev/null ||
   insmod "$ko" $params dev_mode=0660 2>/dev/null; then
	mode=$(stat -c %a /dev/swaplab)
	if [ "$mode" = 660 ]; then
		ok "dev_mode=0660 gives /dev/swaplab mode 660"
	else
		not_ok "dev_mode=0660 gave /dev/swaplab mode $mode"
	fi
	# A reload draws a new key: the same pages in the same slots as on
	# the first load, every slot's ciphertext different.
	SWAPLAB_CT_OUT=$ct.2 run_tap "integrity_test on the second load" \
		"$here/integrity_test" -t encrypted_new_key_no_key_on_disk
	if [ -s $ct.1 ] && [ -s $ct.2 ]; then
		read -r ct_n ct_same ct_only <<EOT
$(awk 'NR == FNR { h[$1] = $2; next }
	{ n++; if ($1 in h) same += h[$1] == $2; else only++ }
	END { print n + 0, same + 0, only + 0 }' $ct.1 $ct.2)
EOT
		if [ "$(wc -l <$ct.1)" = "$ct_n" ] && [ "$ct_only" = 0 ] &&
		   [ "$ct_same" = 0 ]; then
			ok "encryption: a reload draws a new key (all $ct_n slots of the same pages differ from the first load's)"
		else
			not_ok "encryption: across a reload, $ct_same of $ct_n slots hold the same ciphertext ($ct_only slots not written on the first load, $(wc -l <$ct.1) there)"
		fi
	else
		not_ok "encryption: no ciphertext from one of the loads ($ct.1, $ct.2)"
	fi
	# region_test's two late tests (see above), on this second load.
	late=
	for n in $late_region_tests; do
		late="$late -t $n"
	done
	# shellcheck disable=SC2086
	run_tap "region_test$late" "$here/region_test" $late
	# A swap file on ext4 with 1 KiB blocks, after the MemFree check (a
	# mount grows ext4's caches); the spare disk is free once the C tests
	# are done with it.
	run_tap ext4_1k_test.sh "$here/ext4_1k_test.sh" "${SWAPLAB_BLOCKDEV:-}"
	# swaplab compare: the same string on swaplab and the stock kernel.
	run_tap compare_test.sh "$here/compare_test.sh" "$(dirname "$swapfile")"
	# The whole machine under pressure while swaplab pages.
	run_tap pressure_test.sh "$here/pressure_test.sh" "$(dirname "$swapfile")"
	# Real programs (xz -9, GNU sort) on swaplab memory through
	# libswaplab-preload.so, and swaplab compare --cmd.
	run_tap realprog_test.sh "$here/realprog_test.sh" "$(dirname "$swapfile")"
	slots=$(awk '$1 == "swap_slots_used" { print $2 }' /sys/kernel/swaplab/stat)
	if rmmod swaplab && [ "$slots" = 0 ]; then
		ok "rmmod swaplab after the stock-kernel tests, no slot in use"
	else
		not_ok "rmmod swaplab after the stock-kernel tests (slots in use: $slots)"
	fi
	rm -f "$swapfile"
	diff=$(memfree_below "$base2" /tmp/swaplab-meminfo.base2)
	if [ $diff -lt "$memfree_slack" ]; then
		ok "MemFree back to its second baseline after the late tests (${diff} KiB below)"
	else
		not_ok "MemFree ${diff} KiB below its second baseline after the late tests (region_test's late tests, compare, pressure, real programs)"
	fi
else
	not_ok "load swaplab again for the stock-kernel tests"
fi

# The plan against what came. After a failure a count short of the plan
# is that failure's doing, and is noted, not counted again.
got=$results
if [ "$got" != "$planned" ]; then
	if [ $status = 0 ]; then
		not_ok "swaplab.sh: $got results, $planned planned: a section printed too few or too many"
	else
		echo "# swaplab.sh: $got results, $planned planned, after a failure"
	fi
fi
echo "# swaplab.sh: $got of $planned planned results"
exit $status
