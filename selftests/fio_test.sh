#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio, a client nobody here wrote, on /dev/swaplab: its mmap engine writes
# random blocks with crc32c verify headers into regions of 33 MiB in all,
# eight times a 4 MiB frame budget, reads every block back once the rest
# has pushed it out, and checks it. Three jobs, each its own process and
# its own region: two of 4 KiB blocks and one of 6 KiB blocks, which
# straddle pages.
#
# fio closes and reopens its files between a job's write phase and its
# verify phase, and every open of /dev/swaplab is a new, empty region: a
# separate verify phase would read zeroes ("bad magic header 0"). So the
# blocks are verified inline, in the same open: rw=randrw with
# rwmixread=0 (writes only, but both directions count towards io_size),
# verify_backlog as large as the job, and io_size twice its size: fio
# writes every block once, in random order, then reads every one back and
# verifies it, and is done before its own verify phase, which then has
# nothing left to read.
#
# Checks fio's exit status, that every block written was read back and
# verified, that swaplab paged (major faults and swap-outs grew), and that
# nothing is left once fio has exited. Run by swaplab.sh with the module
# loaded; TAP lines like it. Skips when fio is not installed (it is looked
# for on PATH and in /swaplab/bin).
#
# SWAPLAB_FIO_SEED: fio's randseed (default: fio's own, repeatable).

status=0
ok() { echo "ok - fio: $*"; }
not_ok() { echo "not ok - fio: $*"; status=1; }
counter() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/swaplab/stat; }

fio=$(command -v fio 2>/dev/null) || fio=/swaplab/bin/fio
if [ ! -x "$fio" ]; then
	echo "ok - fio # SKIP fio not installed"
	exit 0
fi
if [ ! -e /dev/swaplab ]; then
	echo "ok - fio # SKIP /dev/swaplab missing: module not loaded"
	exit 0
fi
if [ "$(counter swap_slots_total)" -lt 9216 ]; then
	echo "ok - fio # SKIP no backing store of 36 MiB"
	exit 0
fi

knobs=/sys/kernel/swaplab
budget=1024
frames=$(cat $knobs/frames)
low=$(cat $knobs/watermark_low)
high=$(cat $knobs/watermark_high)
restore() {
	echo "$frames" >$knobs/frames
	echo 1 >$knobs/watermark_low
	echo "$high" >$knobs/watermark_high
	echo "$low" >$knobs/watermark_low
}
trap 'restore; exit 1' INT TERM

job=/tmp/swaplab-fio.job
log=/tmp/swaplab-fio.log
seed=
[ -n "$SWAPLAB_FIO_SEED" ] && seed="randseed=$SWAPLAB_FIO_SEED"
cat >$job <<EOF
[global]
ioengine=mmap
filename=/dev/swaplab
rw=randrw
rwmixread=0
verify=crc32c
verify_fatal=1
verify_state_save=0
$seed

[rand4k]
bs=4k
size=12M
io_size=24M
verify_backlog=3072
numjobs=2

[rand6k]
bs=6k
size=9M
io_size=18M
verify_backlog=1536
EOF

echo $budget >$knobs/frames
maj0=$(counter major_faults) out0=$(counter swap_outs) ev0=$(counter evictions)
res0=$(counter resident) slots0=$(counter swap_slots_used) reg0=$(counter regions)
start=$(date +%s)
timeout 600 "$fio" --eta=never --output="$log" "$job"
rc=$?
secs=$(($(date +%s) - start))
maj=$(($(counter major_faults) - maj0))
out=$(($(counter swap_outs) - out0))
ev=$(($(counter evictions) - ev0))
restore

# "issued rwts: total=R,W,..." per job: every block written read back.
written=$(awk -F'[=,]' '/issued rwts:/ { w += $3 } END { print w + 0 }' "$log")
unread=$(awk -F'[=,]' '/issued rwts:/ && $2 != $3 { n++ } END { print n + 0 }' "$log")
jobs=$(grep -c 'issued rwts:' "$log")
echo "# fio: $("$fio" --version), $written blocks written, $secs s"
if [ $rc = 0 ] && [ "$jobs" = 3 ] && [ "$unread" = 0 ] && [ "$written" = 7680 ] &&
   ! grep -q 'verify:\|err= *[1-9]' "$log"; then
	ok "3 mmap jobs wrote $written random blocks (33 MiB, 8.25x a $budget-frame budget) and verified every one, crc32c, in $secs s"
else
	sed 's/^/# /' "$log" | head -n 60
	not_ok "fio exited $rc: $jobs jobs, $unread with blocks not read back ($fio)"
fi
if [ $maj -gt 0 ] && [ $out -gt 0 ]; then
	ok "swaplab paged under fio: $maj major faults, $out swap-outs, $ev evictions"
else
	not_ok "swaplab did not page under fio: $maj major faults, $out swap-outs"
fi
for _ in 1 2 3 4 5 6 7 8 9 10; do
	res=$(counter resident) slots=$(counter swap_slots_used) reg=$(counter regions)
	[ "$res" = "$res0" ] && [ "$slots" = "$slots0" ] && [ "$reg" = "$reg0" ] && break
	sleep 0.5
done
if [ "$res" = "$res0" ] && [ "$slots" = "$slots0" ] && [ "$reg" = "$reg0" ]; then
	ok "nothing left after fio: resident $res, swap_slots_used $slots, regions $reg"
else
	not_ok "left after fio: resident $res, swap_slots_used $slots, regions $reg (before: $res0, $slots0, $reg0)"
fi
exit $status
