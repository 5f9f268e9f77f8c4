# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the scripts in tools/testing/: paths and the pinned kernels.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
# Outside the checkout, shared by clones: the extracted linux-source tree.
SWAPLAB_CACHE=${SWAPLAB_CACHE:-/var/cache/swaplab}

# bpf_dir [VERSION]: where setup builds libbpf and bpftool from the
# linux-source-6.12 package of VERSION (default: the installed one).
bpf_dir() {
	echo "$SWAPLAB_CACHE/bpf-${1:-$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)}"
}

# The pinned kernels, in test order (tools/testing/kernels.conf).
pinned_kernels() {
	sed -n 's/^KERNELS *= *//p' "$VM_DIR/kernels.conf"
}

default_kernel() {
	local k
	read -r k _ <<<"$(pinned_kernels)"
	echo "$k"
}

# A pinned kernel's image, modules and headers, as setup fetches them:
# the packages unpacked under $SWAPLAB_CACHE/kernel-RELEASE (not
# installed, so no initramfs is generated and no boot entry added), or,
# for a kernel this machine has installed and setup did not fetch, /boot
# and /lib/modules.
kernel_root() {
	echo "$SWAPLAB_CACHE/kernel-$1"
}

# kernel_image RELEASE, kernel_moddir RELEASE: the paths the runner boots.
kernel_image() {
	local r
	r=$(kernel_root "$1")
	if [ -e "$r/.swaplab-extracted" ]; then
		echo "$r/boot/vmlinuz-$1"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

kernel_moddir() {
	local r
	r=$(kernel_root "$1")
	if [ -e "$r/.swaplab-extracted" ]; then
		echo "$r/lib/modules/$1"
	else
		echo "/lib/modules/$1"
	fi
}

# kernel_kdir RELEASE: the headers to build against: the installed ones
# (which dkms and lint need), else those setup unpacked into the cache.
kernel_kdir() {
	if [ -e "/lib/modules/$1/build/Makefile" ]; then
		echo "/lib/modules/$1/build"
	else
		echo "$(kernel_root "$1")/usr/src/linux-headers-$1"
	fi
}

# guest_busybox: the static busybox the guests run: the one setup
# unpacked into the cache, else an installed busybox-static's.
guest_busybox() {
	if [ -e "$SWAPLAB_CACHE/busybox/.swaplab-extracted" ]; then
		echo "$SWAPLAB_CACHE/busybox/bin/busybox"
	else
		echo /bin/busybox
	fi
}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# --- The selftest suite, shared by check and check-debug -----------------
#
# What the guest gets (tools/testing/run --add arguments, paths relative
# to $TOP) and the command that runs the suite there: the whole of
# selftests/, built, so that a test added to the suite is added in
# selftests/ alone (its Makefile builds it, swaplab.sh runs it), and the
# programs the tests run.
SUITE_ADDS=(
	-a selftests:selftests
	-a userspace/swaplab:bin/swaplab
	-a userspace/examples/fifo_pager:bin/fifo_pager
	-a userspace/examples/move_msg:bin/move_msg
	-a /usr/bin/nbd-server:bin/nbd-server
	-a /usr/sbin/nbd-client:bin/nbd-client
	-a userspace/bpf:bin/bpf
	-a /usr/bin/fio:bin/fio
	-a /usr/sbin/dmsetup:bin/dmsetup
	-a /usr/sbin/mke2fs:bin/mkfs.ext4
	-a /usr/sbin/filefrag:bin/filefrag
	-a userspace/libswaplab-preload.so:bin/libswaplab-preload.so
	-a /usr/bin/xz:bin/xz
	-a /usr/bin/sort:bin/sort
	-a /usr/bin/sqlite3:bin/sqlite3
	-a /usr/bin/mdb_load:bin/mdb_load
	-a /usr/bin/mdb_dump:bin/mdb_dump
	-a /usr/bin/taskset:bin/taskset
)
# The guest's time limit for the suite, a hang detector: the suite takes
# 15 to 17 minutes of TCG on a 2-core host alone, more than 20 when it
# shares the host with check-debug, and more than 30 when two kernels'
# suites run side by side on a 2-core host (each guest with half the
# CPU).
SUITE_TIMEOUT=2700
SUITE_CMD='SWAPLAB_KO=/swaplab/swaplab.ko SWAPLAB_SWAPFILE=/mnt/swaplab.swap SWAPLAB_BLOCKDEV=/dev/vdb SWAPLAB_NBD_DIR=/mnt selftests/swaplab.sh'

# The leak check that one-time growth of the kernel's own structures
# cannot fool, run in the guest after the suite (check and check-debug):
# a warm-up round of load, 32 MiB paged through a 4 MiB budget with its
# swap file, and rmmod; then two more such rounds, which must end within
# 2 MiB of where they started. A module that kept one page in 32 of those
# it paged would fail it. It sets rc=1 on failure (run_suite's AFTER).
# shellcheck disable=SC2016
STEADY_STATE='memfree() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	pcp=$(awk '\''$1 == "count:" { n += $2 } END { print n * 4 }'\'' /proc/zoneinfo)
	awk -v pcp="$pcp" '\''/^MemFree:/ { print $2 + pcp }'\'' /proc/meminfo
}
# rmmod is tried for up to 5 s: a region is freed by the page daemon when
# its reclaim held the region at the last close, after its write, and
# the pseudo filesystem mount that pins the module then goes through the
# kernel delayed mntput of a kernel thread, a moment after the bench has
# exited (rmmod right after it can fail with EAGAIN).
leak_round() {
	insmod /swaplab/swaplab.ko frames=1024 swapfile=/mnt/leak.swap \
		swapfile_size=64M &&
	swaplab bench seq --size 32M --passes 1 >/tmp/leak-round.log 2>&1 &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmmod swaplab 2>/dev/null && break
		[ $i = 10 ] && { rmmod swaplab; break; }
		sleep 0.5
	done && rm /mnt/leak.swap
}
if leak_round; then
	b0=$(memfree)
	if leak_round && leak_round; then
		d=$((b0 - $(memfree)))
		if [ $d -lt 2048 ]; then
			echo "ok - steady state: two more load, 32 MiB, rmmod rounds left MemFree $d KiB below"
		else
			echo "not ok - steady state: two load, 32 MiB, rmmod rounds left MemFree $d KiB below"
			rc=1
		fi
	else
		sed "s/^/# /" /tmp/leak-round.log
		echo "not ok - steady state: a load, 32 MiB, rmmod round failed"
		rc=1
	fi
else
	sed "s/^/# /" /tmp/leak-round.log
	echo "not ok - steady state: the warm-up round failed"
	rc=1
fi'
# run_suite KVER OUT BEFORE AFTER [RUN OPTION...]: run the suite in a
# guest of kernel KVER with its logs in OUT (from the top of the tree).
# The options go to tools/testing/run after the suite's defaults, so they
# override them (-t, --image, --moddir, -m). BEFORE and AFTER, unless
# empty, are guest commands run before the suite and after it, whatever
# its status; AFTER sees that status in $rc and may set rc=1 to fail the
# run. Returns the runner's status.
# A guest that died of the TCG text-patching crash runs once more
# (vm_run).
run_suite() {
	local kver=$1 out=$2 before=$3 after=$4 cmd=$SUITE_CMD rc
	shift 4
	if [ -n "$before$after" ]; then
		cmd="$before
$SUITE_CMD
rc=\$?
$after
exit \$rc"
	fi
	vm_run "$out" -k "$kver" -t "$SUITE_TIMEOUT" -o "$out" --raw-disk 64 "$@" \
		"${SUITE_ADDS[@]}" -- "$cmd"
	rc=$?
	[ -z "$vm_rerun" ] || echo "# $kver: $vm_rerun"
	return $rc
}

# vm_run OUT RUN_ARG...: tools/testing/run RUN_ARG..., whose logs go to
# OUT (-o OUT among RUN_ARG). A guest that died of the text-patching
# crash of TCG (an "Oops: int3" that no int3 handler claimed: a CPU ran
# the breakpoint of the kernel's text_poke protocol after the patch was
# done; see Documentation/dev-tools/swaplab/vm.rst) runs once more, with
# the dead run's logs kept in OUT.int3, and vm_rerun says so (empty
# otherwise; the caller prints it, as its output may be redirected);
# vm_start is the time the last run started. A second death fails as
# any does; so does an int3 oops under KVM. Returns the runner's status.
vm_run() {
	local out=$1 rc site
	shift
	vm_rerun=
	vm_start=$(date +%s)
	"$VM_DIR/run" "$@"
	rc=$?
	if [ $rc = 3 ] && tcg_int3_crash "$out"; then
		site=$(grep -a -A20 'Oops: int3' "$out/console.log" |
			grep -ao -m1 'RIP: 0010:[^ ]*')
		vm_rerun="the guest died of the TCG text-patching int3 crash (${site:-no RIP}); logs in $out.int3; it runs once more"
		rm -rf "$out.int3"
		mv "$out" "$out.int3"
		vm_start=$(date +%s)
		"$VM_DIR/run" "$@"
		rc=$?
	fi
	return $rc
}

# tcg_int3_crash OUT: did the guest whose logs are in OUT run under TCG
# and die of an unclaimed int3 in kernel mode?
tcg_int3_crash() {
	local acc=${SWAPLAB_ACCEL:-}
	[ -n "$acc" ] ||
		acc=$(cat "$BUILD/vm/accel.$(cat /proc/sys/kernel/random/boot_id)" 2>/dev/null)
	case $acc in tcg*) ;; *) return 1 ;; esac
	grep -aq 'Oops: int3' "$1/console.log"
}

# Results: the callers keep the totals in passed, failed and skipped.
passed=0 failed=0 skipped=0

# tap OK|FAIL|SKIP DESCRIPTION: record and print one result.
tap() {
	case $1 in
	OK) passed=$((passed + 1)); echo "ok - $2" ;;
	SKIP) skipped=$((skipped + 1)); echo "ok - $2 # SKIP" ;;
	*) failed=$((failed + 1)); echo "not ok - $2" ;;
	esac
}

# count REGEX FILE: matching lines, 0 when FILE is missing
count() {
	local n
	n=$(grep -acE "$1" "$2" 2>/dev/null) || true
	echo "${n:-0}"
}

# build_tools KSRC: build userspace/ and the selftests (logs in $BUILD).
build_tools() {
	mkdir -p "$BUILD"
	if make -s -j"$(nproc)" userspace >"$BUILD/userspace.log" 2>&1 &&
	   make -s -j"$(nproc)" -C selftests KSRC="$1" >"$BUILD/selftests.log" 2>&1; then
		tap OK "build userspace and selftests"
	else
		cat "$BUILD/userspace.log" "$BUILD/selftests.log"
		tap FAIL "build userspace and selftests"
		return 1
	fi
}

# build_module NAME LABEL [MAKE ARG...]: `make build-NAME` (the module in
# $BUILD/NAME), log in $BUILD/NAME/build.log; any warning is a failure.
# LABEL names the kernel in the results.
build_module() {
	local name=$1 label=$2 log=$BUILD/$1/build.log
	shift 2
	mkdir -p "$BUILD/$name"
	if ! make -s -j"$(nproc)" "build-$name" C=1 "$@" >"$log" 2>&1; then
		cat "$log"
		tap FAIL "build swaplab.ko for $label"
		return 1
	fi
	if grep -E 'warning:|error:' "$log"; then
		tap FAIL "build swaplab.ko for $label with W=1 C=1: warnings"
	else
		tap OK "build swaplab.ko for $label with W=1 C=1, no warnings"
	fi
}

# The SKIPs that may stay SKIPs: selftests/skip-allowlist, one extended
# regular expression a line, a tab, and the reason.
SKIP_ALLOWLIST=$TOP/selftests/skip-allowlist

# skip_allowed LINE: is the SKIP result LINE on the allowlist?
skip_allowed() {
	local re reason
	while IFS=$'\t' read -r re reason; do
		case $re in '' | '#'*) continue ;; esac
		[ -n "$reason" ] || continue	# an entry needs its reason
		grep -qE -- "$re" <<<"$1" && return 0
	done <"$SKIP_ALLOWLIST"
	return 1
}

# tap_results LABEL LOG RC: add the TAP results in LOG, printed by a
# run that exited with RC, to the totals. A SKIP that is not on the
# allowlist is a failure. The run adds one failure of its own only when
# its results cannot tell: it failed (RC) without a failed result, or it
# printed no result at all; and always when the guest did not finish
# (RC 3 from tools/testing/run: time limit, panic, crash), whose later
# tests never ran, whatever the results before say. Lines are counted as
# the guest or program printed them, and the programs themselves compare
# their results with their plans (selftests/swaplab.sh's run_tap).
tap_results() {
	local label=$1 log=$2 rc=$3 p f line
	p=$(count '^ok ' "$log")
	f=$(count '^not ok ' "$log")
	passed=$((passed + p)) failed=$((failed + f))
	while IFS= read -r line; do
		passed=$((passed - 1))
		if skip_allowed "$line"; then
			skipped=$((skipped + 1))
		else
			tap FAIL "$label: a SKIP not on selftests/skip-allowlist: $line"
		fi
	done < <(grep -aE '^ok .*# SKIP' "$log" 2>/dev/null)
	if [ "$rc" = 3 ]; then
		tap FAIL "$label: the guest did not finish (time limit, panic or crash): the tests after the last result did not run (see $log)"
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		tap FAIL "$label: the run failed with status $rc (see $log)"
	elif [ "$p" = 0 ] && [ "$f" = 0 ]; then
		tap FAIL "$label: no test ran"
	fi
}

# suite_results LABEL OUT VM_RC: tap_results for the guest's output in
# OUT/output.log, from a VM run that exited with VM_RC; and swaplab.sh's
# plan: its last line counts its results against the plan its sections
# declare (it fails itself when they differ), so a run without that line
# stopped before its end, whatever the results before it say. A guest
# that did not finish is already a failure of its own.
suite_results() {
	tap_results "$1" "$2/output.log" "$3"
	if [ "$3" != 3 ] &&
	   ! grep -aqE '^# swaplab\.sh: [0-9]+ of [0-9]+ planned results[[:space:]]*$' "$2/output.log"; then
		tap FAIL "$1: swaplab.sh did not reach its last line, which counts its results against its plan (see $2/output.log)"
	fi
}

# result_line: the last line of check and check-debug.
result_line() {
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
}
