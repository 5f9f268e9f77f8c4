#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The section of message passing, sourced by bench.sh (which defines the
# helpers and the module's setup it uses): in the full run, and alone for
# `tools/testing/bench --only msg`.

# Message passing (module/mm/move.c): `swaplab msg` passes messages of
# each size from one process to another by moving swaplab pages, by
# exchanging them, and by the four ways that copy, every way in each
# round; then moving and exchanging again with map_at_move=1 (the pages
# mapped in the receiver by the call, keys msg_mapmove_* and
# msg_mapexchange_*); medians of the rounds. The budget holds three
# messages of the largest size, so that no page is evicted while it is
# measured.
section "message passing: moving pages against copying"
msizes="4K 64K 1M 16M" mcount=
[ "$scale" = 1 ] || msizes="4K 64K 1M" mcount="--count 50"
mf=$(cat $knobs/frames)
put 13312 $knobs/frames
result msg_sizes "$(echo $msizes | tr ' ' ,)"
result msg_rounds "$rounds"
for round in $(seq $rounds); do
	# shellcheck disable=SC2086
	swaplab msg --sizes "$(echo $msizes | tr ' ' ,)" $mcount \
		>msg-$round.log 2>&1 || fail "msg round $round"
	cat msg-$round.log
	put 1 $knobs/map_at_move
	# shellcheck disable=SC2086
	swaplab msg --sizes "$(echo $msizes | tr ' ' ,)" $mcount --via move,exchange \
		>msgmap-$round.log 2>&1 || fail "msg with map_at_move, round $round"
	put 0 $knobs/map_at_move
	cat msgmap-$round.log
done
# The fields of every way, and those of the ways that move pages (the
# module's time in the call, from its stat counters).
msg_fields="mib_per_s lat_p50_us lat_us_per_page pass_us_per_page
	write_us_per_page recv_us_per_page"
msg_kfields="kernel_us_per_page unmap_us_per_page map_us_per_page"
# msg_vals LOGS VIA SIZE BYTES KEY FIELD...: the median of each FIELD of
# every LOGS line of VIA and BYTES, as KEY_SIZE_FIELD.
msg_vals() {
	logs=$1 w=$2 sz=$3 b=$4 key=$5
	shift 5
	for f in "$@"; do
		# shellcheck disable=SC2086
		awk -v w="via=$w" -v b="size=$b" -v f="$f" '
			$1 == "msg" && $2 == w && $3 == b {
				for (i = 4; i <= NF; i++)
					if (index($i, f "=") == 1)
						print substr($i, length(f) + 2) }' \
			$logs >msg.vals
		result "${key}_${sz}_$f" "$(median_of "$rounds" msg.vals)"
	done
}
for sz in $msizes; do
	case $sz in
	*K) bytes=$((${sz%K} * 1024)) ;;
	*M) bytes=$((${sz%M} * 1048576)) ;;
	esac
	for via in memcpy pipe vmsplice pvw; do
		# shellcheck disable=SC2086
		msg_vals "msg-[0-9]*.log" $via $sz $bytes msg_$via $msg_fields
	done
	for via in move exchange; do
		# shellcheck disable=SC2086
		msg_vals "msg-[0-9]*.log" $via $sz $bytes msg_$via \
			$msg_fields $msg_kfields
		# shellcheck disable=SC2086
		msg_vals "msgmap-*.log" $via $sz $bytes msg_map$via \
			$msg_fields $msg_kfields
	done
done
put "$mf" $knobs/frames
