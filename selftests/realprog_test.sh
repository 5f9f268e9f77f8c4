#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Real programs that nobody here wrote, on swaplab memory: xz -9 (from
# xz-utils) and GNU sort (coreutils), run as they are and under
# `swaplab run`, which serves their large allocations from /dev/swaplab
# through libswaplab-preload.so, with a frame budget far below the memory
# they touch. Checks that each output is byte-identical to the normal
# run's, that swaplab paged (major faults and evictions), that the
# library served the big allocations and that the knobs came back; then
# `swaplab compare --cmd` once, SIGTERM in the middle of a run, exit
# statuses and bad usage. Run by swaplab.sh with the module loaded; TAP
# lines like it.
#
# Usage: realprog_test.sh [DIR]   DIR: scratch space on a disk (default
# /var/tmp); about 20 MB of inputs and outputs, and compare's swap file.
# SWAPLAB_XZ, SWAPLAB_SORT: the programs (default: beside swaplab, as the
# VM runner puts them, else /usr/bin). Busybox's applets are not the real
# programs: they are refused. SWAPLAB_REC_SORT_LINES: how many lines of
# sort's input swaplab record records (default: 25000 of its 100000).

status=0
dir=${1:-/var/tmp}/swaplab-realprog
knobs=/sys/kernel/swaplab

# The inputs and budgets, sized for qemu without KVM (TCG), where a
# swaplab major fault costs about a millisecond: the whole script takes
# two to three minutes there.
XZ_MIB=4		# xz input, MiB
XZ_BUDGET=8M		# against about 40 MiB touched
SORT_LINES=100000	# sort input, 3.3 MB
SORT_BUDGET=3M		# against about 8 MiB touched
# What swaplab record records of sort's input: a fault a reference, 4
# million references for the whole input (40 to 90 s under TCG), about a
# million for the quarter recorded here. check-debug's debug kernel
# records a tenth.
REC_SORT_LINES=${SWAPLAB_REC_SORT_LINES:-$((SORT_LINES / 4))}

ok() {
	echo "ok - $*"
}

not_ok() {
	echo "not ok - $*"
	status=1
}

# Seconds since boot, with centiseconds: a clock busybox has.
now() {
	cut -d' ' -f1 /proc/uptime
}

# field NAME FILE: the value of NAME=value in the summary `swaplab run`
# printed to FILE (the last one there).
field() {
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$2" | tail -n1
}

# The real program: SWAPLAB_X, beside swaplab, or in /usr/bin, whichever
# says it is the real one in --version.
pick() {
	for p in "$1" "$(dirname "$(command -v swaplab)")/$2" "/usr/bin/$2"; do
		[ -n "$p" ] && [ -x "$p" ] &&
			"$p" --version 2>/dev/null | head -n1 | grep -q "$3" &&
			{ echo "$p"; return; }
	done
}

knob_state() {
	for k in frames policy region_max watermark_low watermark_high; do
		printf '%s=%s ' $k "$(cat $knobs/$k)"
	done
}

if ! command -v swaplab >/dev/null || [ ! -e /dev/swaplab ]; then
	echo "ok - realprog # SKIP no swaplab CLI or module"
	exit 0
fi
XZ=$(pick "$SWAPLAB_XZ" xz 'XZ Utils')
SORT=$(pick "$SWAPLAB_SORT" sort 'GNU coreutils')
if [ -z "$XZ" ] || [ -z "$SORT" ]; then
	echo "ok - realprog # SKIP no xz from xz-utils or sort from coreutils"
	exit 0
fi
lib=$(dirname "$(command -v swaplab)")/libswaplab-preload.so
if [ -r "$lib" ]; then
	ok "realprog: $XZ, $SORT, $lib"
else
	# Not a skip: swaplab run is broken without it.
	not_ok "realprog: no $lib beside swaplab"
	exit 1
fi

rm -rf "$dir"
mkdir -p "$dir" || exit 1
page_kib=$(($(getconf PAGESIZE 2>/dev/null || echo 4096) / 1024))
before=$(knob_state)

# The inputs, the same on every run. For xz: lines of words from a
# vocabulary of 16, a 256 KiB block of them repeated with one line in a
# hundred changed; xz -9 finds its matches near and a block back. (With a
# larger vocabulary its hash table touches tens of MiB at random, and a
# budget far below that costs hundreds of thousands of major faults: an
# hour under TCG.) For sort: random lines.
awk -v seed=1 -v size=$((XZ_MIB << 20)) 'BEGIN {
	srand(seed);
	for (i = 0; i < 16; i++) {
		w = ""; n = 3 + int(rand() * 6);
		for (j = 0; j < n; j++) w = w sprintf("%c", 97 + int(rand() * 26));
		word[i] = w;
	}
	for (b = 0; b < 262144; b += length(line) + 1) {
		line = ""; n = 6 + int(rand() * 10);
		for (j = 0; j < n; j++) line = line word[int(rand() * 16)] " ";
		lines[nl++] = line;
	}
	for (bytes = 0; bytes < size; )
		for (i = 0; i < nl && bytes < size; i++) {
			line = lines[i];
			if (rand() < 0.01) line = line word[int(rand() * 16)];
			print line; bytes += length(line) + 1;
		}
}' >"$dir/xz.in"
awk -v n=$SORT_LINES 'BEGIN { srand(2); for (i = 0; i < n; i++)
	printf "%08x %d %s\n", int(rand() * 4294967295), int(rand() * 1000000),
		substr("abcdefghijklmnopqrstuvwxyz", 1 + int(rand() * 20)) }' >"$dir/sort.in"

# realprog NAME BUDGET MIN_MIB CMD...: CMD as it is and under swaplab run
# with frames = BUDGET; the outputs must match, swaplab must page (what
# the served allocations touched, the zero fills, at least twice the
# budget) and the library must have served at least MIN_MIB.
realprog() {
	name=$1 budget=$2 min_mib=$3
	shift 3
	t0=$(now)
	"$@" >"$dir/$name.ref" 2>"$dir/$name.ref.err"
	rc=$?
	t1=$(now)
	if [ $rc != 0 ]; then
		sed 's/^/# /' "$dir/$name.ref.err"
		not_ok "$name: the normal run exited $rc"
		return
	fi
	swaplab run --budget "$budget" -- "$@" >"$dir/$name.out" 2>"$dir/$name.log"
	rc=$?
	t2=$(now)
	sed 's/^/# /' "$dir/$name.log"
	if [ $rc = 0 ] && cmp -s "$dir/$name.ref" "$dir/$name.out"; then
		ok "$name: output identical under swaplab run --budget $budget ($(wc -c <"$dir/$name.out") bytes)"
	else
		not_ok "$name: swaplab run exited $rc, or its output differs"
	fi
	major=$(field major_faults "$dir/$name.log")
	evict=$(field evictions "$dir/$name.log")
	zero=$(field zero_fills "$dir/$name.log")
	touched=$(( ${zero:-0} * page_kib / 1024 ))
	budget_mib=$(( $(echo "$budget" | tr -d M) ))
	if [ "${major:-0}" -gt 0 ] && [ "${evict:-0}" -gt 0 ] &&
	   [ $touched -ge $((2 * budget_mib)) ]; then
		ok "$name: swaplab paged: $major major faults, $evict evictions; the served memory touched $touched MiB against a $budget_mib MiB budget"
	else
		not_ok "$name: no paging to speak of: major ${major:-?}, evictions ${evict:-?}, touched $touched MiB, budget $budget_mib MiB"
	fi
	served=$(field served "$dir/$name.log")
	served_mib=$(field served_mib "$dir/$name.log")
	if [ "${served:-0}" -gt 0 ] && [ "${served_mib%.*}" -ge "$min_mib" ]; then
		ok "$name: the library served $served allocations, $served_mib MiB of address space"
	else
		not_ok "$name: the library served ${served:-nothing} (${served_mib:-0} MiB, want $min_mib)"
	fi
	echo "# $name: $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s as it is, $(echo "$t1 $t2" | awk '{ printf "%.1f", $2 - $1 }') s under swaplab run ($(field majflt "$dir/$name.log") major faults)"
	if [ "$(knob_state)" = "$before" ]; then
		ok "$name: swaplab run put the knobs back"
	else
		not_ok "$name: knobs changed: $(knob_state), were $before"
	fi
}

# xz -9 asks for 674 MiB (a 64 MiB dictionary, its hash table and binary
# tree), of which it touches what the input needs.
realprog "xz -9" $XZ_BUDGET 600 "$XZ" -9 -T1 -c "$dir/xz.in"
# sort -S 256M takes a buffer of up to 256 MiB, sized to the input.
realprog "sort -S 256M" $SORT_BUDGET 100 "$SORT" -S 256M "$dir/sort.in"

# compare --cmd: sort on swaplab and on the stock kernel under the same
# budget (memory.max), outputs checksummed and kept. memory.max holds
# sort's text, stack and page cache too, and at 3 MiB the stock kernel's
# memory cgroup now and then OOM-kills sort under TCG (about one run in
# 40; compare reports the row as oom-killed, a result about
# the stock kernel, not a failure of compare). Then compare runs once
# more; a second OOM kill fails the check.
swaps=$(wc -l </proc/swaps)
mkdir -p "$dir/cmp"
for try in 1 2; do
	swaplab compare --cmd --budget $SORT_BUDGET --swapfile "$dir/cmp.swap" \
		--output "$dir/cmp" -- "$SORT" -S 256M "$dir/sort.in" \
		>"$dir/cmp.log" 2>&1
	rc=$?
	sed 's/^/# /' "$dir/cmp.log"
	grep -qE '^stock-m?g?lru +[0-9.]+ oom-killed' "$dir/cmp.log" || break
	echo "# compare --cmd: the stock kernel OOM-killed sort (attempt $try)"
done
if [ $rc = 0 ] && grep -q '^output: identical on both sides' "$dir/cmp.log" &&
   grep -qE '^swaplab-[a-z]+ +[0-9.]+ +[0-9]+ ' "$dir/cmp.log" &&
   grep -qE '^stock-m?g?lru +[0-9.]+ +[0-9]+ ' "$dir/cmp.log" &&
   cmp -s "$dir/cmp/swaplab.out" "$dir/sort -S 256M.ref" &&
   cmp -s "$dir/cmp/stock.out" "$dir/sort -S 256M.ref"; then
	ok "compare --cmd sort: both sides ran, outputs identical to the normal run"
else
	not_ok "compare --cmd sort: exit $rc, or a row or an output missing or wrong"
fi
if [ "$(knob_state)" = "$before" ] && [ "$(wc -l </proc/swaps)" = "$swaps" ] &&
   [ ! -e /sys/fs/cgroup/swaplab-compare ] && [ ! -e "$dir/cmp.swap" ]; then
	ok "compare --cmd: knobs, swap and cgroup put back"
else
	not_ok "compare --cmd: left the machine changed"
fi

# swaplab record: sort's page reference string, with a budget that holds
# all it touches (recording is about references, not paging). Its output
# must be the normal run's; the string must reference more than its
# distinct pages (every change of page shows); a second recording, as
# libCacheSim's oracleGeneral records (24 bytes a reference), must
# give the simulator the same fault counts (sort with one thread is
# deterministic, and only the regions' ids differ; with a thread per CPU
# its threads' interleaving and malloc arenas change the string from run
# to run: 128675 faults against 119235); OPT must not
# fault more than LRU on it; the trace instance must be gone and the
# knobs back. A trace buffer too small for it must fail the recording,
# not cut it short quietly.
tracing=/sys/kernel/tracing
[ -e $tracing/instances ] || mount -t tracefs none $tracing 2>/dev/null
# Put back the knobs a recorder set and could not restore.
knobs_back() {
	for k in frames region_max watermark_low watermark_high policy; do
		echo "$before" | tr ' ' '\n' | sed -n "s/^$k=//p" >$knobs/$k
	done
}
rec_frames=256
rec_sim() {
	# shellcheck disable=SC2086
	swaplab sim "$1" --frames $rec_frames --batch 32 --policy "$2" $3 |
		awk -v p="$2" '$1 == p { print $2 }'
}
head -n "$REC_SORT_LINES" "$dir/sort.in" >"$dir/sort-rec.in"
"$SORT" -S 256M --parallel=1 "$dir/sort-rec.in" >"$dir/sort-rec.ref"
for i in 1 2; do
	fmt=pages
	[ $i = 1 ] || fmt=oracle
	swaplab record --budget 64M --format $fmt -o "$dir/sort.rec$i" -- \
		"$SORT" -S 256M --parallel=1 "$dir/sort-rec.in" \
		>"$dir/sort.rec$i.out" \
		2>"$dir/rec$i.log"
	echo "rc=$?" >>"$dir/rec$i.log"
done
sed 's/^/# /' "$dir/rec1.log"
refs=$(wc -l <"$dir/sort.rec1")
pages=$(sort -u "$dir/sort.rec1" | wc -l)
# Memory for half its pages at most, so that LRU and OPT differ on it.
[ "$pages" -ge 512 ] || rec_frames=$((pages / 2))
if grep -q '^rc=0' "$dir/rec1.log" &&
   cmp -s "$dir/sort.rec1.out" "$dir/sort-rec.ref" &&
   [ "$pages" -gt 100 ] && [ "$refs" -gt $((2 * pages)) ]; then
	ok "record sort: output identical; $refs references to $pages pages"
else
	not_ok "record sort: exit, output or string wrong ($refs references, $pages pages)"
fi
f1=$(rec_sim "$dir/sort.rec1" fifo) f2=$(rec_sim "$dir/sort.rec2" fifo "--format oracle")
size2=$(wc -c <"$dir/sort.rec2")
if grep -q '^rc=0' "$dir/rec2.log" && [ -n "$f1" ] && [ "$f1" = "$f2" ] &&
   [ $((size2 % 24)) = 0 ] && [ "$size2" -gt $((48 * pages)) ]; then
	ok "record sort twice, as text and as oracle records ($size2 bytes): the same string (fifo, $rec_frames frames: $f1 faults both times)"
else
	not_ok "record sort twice: fifo faults ${f1:-missing} and ${f2:-missing} (oracle: $size2 bytes)"
fi
lru=$(rec_sim "$dir/sort.rec1" lru) opt=$(rec_sim "$dir/sort.rec1" opt)
if [ -n "$opt" ] && [ -n "$lru" ] && [ "$opt" -le "$lru" ] &&
   [ "$opt" -ge "$pages" ]; then
	ok "record sort: the simulator on it: lru $lru, opt $opt faults through $rec_frames frames"
else
	not_ok "record sort: lru ${lru:-missing}, opt ${opt:-missing}, $pages pages"
fi
if [ -z "$(ls $tracing/instances 2>/dev/null | grep swaplab-record)" ] &&
   [ "$(knob_state)" = "$before" ]; then
	ok "record: trace instance removed, knobs put back"
else
	not_ok "record: left $(ls $tracing/instances) or knobs $(knob_state)"
fi
# A recorder killed with SIGKILL cannot remove its trace instance; the
# next recording removes it (its pid is gone), and only it.
rm -f "$dir/killed.pid"
swaplab record --budget 64M -o "$dir/killed.rec" -- \
	sh -c "echo \$\$ >$dir/killed.pid; exec sleep 60" 2>"$dir/killed.log" &
kpid=$!
i=0
while { [ ! -d "$tracing/instances/swaplab-record-$kpid" ] ||
	[ ! -s "$dir/killed.pid" ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL $kpid "$(cat "$dir/killed.pid")"
wait $kpid 2>/dev/null
# It could not put the knobs back either.
knobs_back
mkdir $tracing/instances/swaplab-record-not-ours 2>/dev/null
head -n 2000 "$dir/sort.in" >"$dir/small.in"
swaplab record --budget 64M --min 4K -o "$dir/after.rec" -- \
	"$SORT" -S 1M "$dir/small.in" >/dev/null 2>"$dir/after.log"
rc=$?
if [ $i -lt 100 ] && [ $rc = 0 ] &&
   [ ! -e "$tracing/instances/swaplab-record-$kpid" ] &&
   [ -d $tracing/instances/swaplab-record-not-ours ] &&
   grep -q "removed .*swaplab-record-$kpid" "$dir/after.log"; then
	ok "record after a killed record: its trace instance removed, no other"
else
	sed 's/^/# /' "$dir/after.log"
	not_ok "record after a killed record (pid $kpid, waited $i): rc $rc, left $(ls $tracing/instances)"
fi
rmdir $tracing/instances/swaplab-record-not-ours 2>/dev/null
# A recording leaves the scheduler's tracepoints alone: its trace
# instance is made without record-cmd (task names), which would hook them
# and patch their code, even with the top level's option on, and the top
# level's option is put back. The task-name cache, emptied first (a
# resize empties it), has no entry for the recorded sort after.
if [ -w $tracing/options/record-cmd ] && [ -w $tracing/saved_cmdlines_size ]; then
	rc_was=$(cat $tracing/options/record-cmd)
	echo 1 >$tracing/options/record-cmd
	cat $tracing/saved_cmdlines_size >$tracing/saved_cmdlines_size
	swaplab record --budget 64M --min 4K -o "$dir/nocmd.rec" -- \
		"$SORT" -S 1M "$dir/small.in" >/dev/null 2>"$dir/nocmd.log"
	rc=$?
	rc_after=$(cat $tracing/options/record-cmd)
	named=$(grep -c ' sort$' $tracing/saved_cmdlines)
	echo "$rc_was" >$tracing/options/record-cmd
	if [ $rc = 0 ] && [ "$rc_after" = 1 ] && [ "$named" = 0 ] &&
	   [ -s "$dir/nocmd.rec" ]; then
		ok "record with record-cmd on: no task names recorded, the option still on after"
	else
		sed 's/^/# /' "$dir/nocmd.log"
		not_ok "record with record-cmd on: rc $rc, option $rc_after after, sort named $named times in saved_cmdlines"
	fi
	rm -f "$dir/nocmd.rec"
else
	not_ok "record with record-cmd on: no options/record-cmd or saved_cmdlines_size in $tracing"
fi
# The recorder selects its command's regions by their tag, not by pid:
# a sort that is a grandchild of the recorder (run by a shell) is
# recorded, and two recordings at once, each running the small sort
# while the other records, keep their strings apart: no region of one is
# in the other, and each has at least the faults of the sort recorded
# alone above. Two recorders at once cannot both put the knobs back: set
# them again.
# The region ids of a recorded string (a page is id * 2^40 + index; the
# guest's busybox awk has no ^).
rec_regions() {
	awk '{ print int($1 / 1099511627776) }' "$1" | sort -u
}
rec_frames=256
fsmall=$(rec_sim "$dir/after.rec" fifo)
swaplab record --budget 64M --min 4K -o "$dir/small.reca" -- \
	sh -c "sleep 1; \"$SORT\" -S 1M \"$dir/small.in\" >/dev/null" 2>"$dir/reca.log" &
rpid=$!
swaplab record --budget 64M --min 4K -o "$dir/small.recb" -- \
	sh -c "\"$SORT\" -S 1M \"$dir/small.in\" >/dev/null; sleep 3" 2>"$dir/recb.log"
rcb=$?
wait $rpid
rca=$?
knobs_back
fa=$(rec_sim "$dir/small.reca" fifo) fb=$(rec_sim "$dir/small.recb" fifo)
rec_regions "$dir/small.reca" >"$dir/regions.a"
rec_regions "$dir/small.recb" >"$dir/regions.b"
both=$(sort "$dir/regions.a" "$dir/regions.b" | uniq -d | wc -l)
if [ $rca = 0 ] && [ $rcb = 0 ] && [ "${fsmall:-0}" -gt 0 ] && [ "$both" = 0 ] &&
   [ -s "$dir/regions.a" ] && [ -s "$dir/regions.b" ] &&
   [ "${fa:-0}" -ge "$fsmall" ] && [ "${fb:-0}" -ge "$fsmall" ]; then
	ok "record two shells' sorts at once: each its own regions (fifo: $fa and $fb faults, the sort alone $fsmall)"
else
	sed 's/^/# /' "$dir/reca.log" "$dir/recb.log"
	not_ok "record two shells' sorts at once: rc $rca $rcb, $both regions in both, fifo ${fa:-missing} and ${fb:-missing} faults, alone ${fsmall:-missing}"
fi
# A trace buffer of 4 KiB a CPU, and the recorder stopped (SIGSTOP by
# the shell it runs) while the sort makes its million references: no
# reader drains the buffer, so events are lost whatever the speed of the
# machine, and the recorder must say so and fail.
swaplab record --buffer 4 --budget 64M -o "$dir/sort.lost" -- \
	sh -c "kill -STOP \$PPID; \"$SORT\" -S 256M \"$dir/sort-rec.in\" >/dev/null; kill -CONT \$PPID" \
	2>"$dir/lost.log"
rc=$?
if [ $rc = 1 ] && grep -q 'lost: the string is incomplete' "$dir/lost.log"; then
	ok "record with a 4 KiB trace buffer: events lost, exit 1"
else
	sed 's/^/# /' "$dir/lost.log"
	not_ok "record with a 4 KiB trace buffer: exit $rc, no loss reported"
fi

# SIGTERM to swaplab run: passed on to the command, knobs put back, the
# command's status (128 + 15) returned.
swaplab run --budget $XZ_BUDGET -- "$XZ" -9 -T1 -c "$dir/xz.in" \
	>/dev/null 2>"$dir/term.log" &
pid=$!
sleep 3
kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 143 ] && grep -q 'killed by signal 15' "$dir/term.log" &&
   [ "$(knob_state)" = "$before" ]; then
	ok "run: SIGTERM passed on to the command, knobs put back, exit 143"
else
	sed 's/^/# /' "$dir/term.log"
	not_ok "run: SIGTERM: exit $rc, knobs $(knob_state)"
fi

# The command's own status; 127 for one that is not there; 2 for usage.
swaplab run -- "$SORT" --no-such-option >/dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then
	ok "run: the command's exit status (sort's 2 for a bad option)"
else
	not_ok "run: exit $rc for sort --no-such-option, expected 2"
fi
swaplab run -- "$dir/no-such-program" >/dev/null 2>&1
rc=$?
if [ $rc = 127 ]; then
	ok "run: a missing command: exit 127"
else
	not_ok "run: a missing command: exit $rc, expected 127"
fi
for bad in "run" "run --budget 1K -- true" "run --bogus -- true" \
	   "record" "record --window 0 -- true" "record --window 17 -- true" \
	   "compare --cmd -- true" "compare --cmd --budget 4M"; do
	# shellcheck disable=SC2086
	swaplab $bad >/dev/null 2>&1
	rc=$?
	if [ $rc = 2 ]; then
		ok "$bad: exit 2"
	else
		not_ok "$bad: exit $rc, expected 2"
	fi
done

regions=$(awk '$1 == "regions" { print $2 }' $knobs/stat)
if [ "$regions" = 0 ]; then
	ok "realprog: no region left behind"
else
	not_ok "realprog: $regions regions left after every command ended"
fi
rm -rf "$dir"
exit $status
