#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Anonymous pages and pages of files on the module (the admin guide's
# "Anonymous pages and pages of files"). Two mixed strings, replayed by
# `swaplab bench trace` with their file pages in a region of a file,
# through 256 frames with daemon=0, aging by faults alone, readahead and
# page buffering off, under gen:
#  - A: 150 anonymous pages drawn at random, each reference followed by
#    one to the next page of a loop over 500 pages of a file;
#  - B: the same with the kinds the other way round;
#  - C: 300 anonymous pages and 300 of a file, each drawn skewed to the
#    low ones, in turn: both kinds come back, so that gen's balance
#    between them moves with the knob.
# A at swappiness 0 and 200, B at 200 and C at 60 and 100 must each
# fault as the simulator with the same --swappiness, in
# all and on the file's pages (the file's reads), with no page of the
# file stored for want of a write. Two checks come from the knob's
# definition, not from gen or the simulator: at swappiness 0 an
# anonymous page is evicted only when no page of a file is resident, and
# A never has fewer than 256 - 150 of those once memory is full, so A's
# anonymous pages fault once each; at 200, likewise, B's file pages
# fault once each. Then the knob refuses values out of 0..200, and
# `swaplab record` of a replay writes the kind of each page, f and x, as
# the tracepoint gives it.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back.

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "pages of files on the module"
tap_plan 10
dir=$(mktemp -d)
s_frames=$(cat $knobs/frames) s_policy=$(cat $knobs/policy)
s_daemon=$(cat $knobs/daemon) s_aging=$(cat $knobs/aging_interval_ms)
s_swap=$(cat $knobs/swappiness)
cleanup() {
	echo "$s_frames" >$knobs/frames
	echo "$s_policy" >$knobs/policy
	echo "$s_daemon" >$knobs/daemon
	echo "$s_aging" >$knobs/aging_interval_ms
	echo "$s_swap" >$knobs/swappiness
	demand_paging_end
	rm -rf "$dir"
}

# The knob: 60 at load, and a value out of range changes nothing.
bad=
echo 37 >$knobs/swappiness
for v in 201 -1 abc 4294967297 ''; do
	if echo "$v" >$knobs/swappiness 2>/dev/null; then
		bad="$bad '$v' taken;"
	fi
done
[ "$(cat $knobs/swappiness)" = 37 ] || bad="$bad now $(cat $knobs/swappiness);"
if [ "$s_swap" = 60 ] && [ -z "$bad" ]; then
	ok "swappiness is 60 at load and refuses 201, -1, abc, 2^32+1 and nothing"
else
	not_ok "swappiness: $s_swap at load;$bad"
fi

demand_paging
echo 0 >$knobs/daemon
echo 256 >$knobs/frames
echo 0 >$knobs/aging_interval_ms
echo fifo >$knobs/policy
awk 'BEGIN { srand(7); for (i = 0; i < 6000; i++) {
	print int(rand() * 150); print (i % 500) "f" } }' >"$dir/a.trace"
awk 'BEGIN { srand(7); for (i = 0; i < 6000; i++) {
	print int(rand() * 150) "f"; print i % 500 } }' >"$dir/b.trace"
awk 'BEGIN { srand(7); for (i = 0; i < 6000; i++) {
	print int(rand() * rand() * 300)
	print int(rand() * rand() * 300) "f" } }' >"$dir/c.trace"

# distinct TRACE KIND: the distinct pages of the string of that kind
# (anon: no letter, f).
distinct() {
	if [ "$2" = anon ]; then
		grep -v 'f$' "$1" | sort -u | wc -l
	else
		grep 'f$' "$1" | sort -u | wc -l
	fi
}

# run NAME TRACE SWAPPINESS: replay under gen, afresh, into $dir/NAME.log;
# sets mod (faults), modfile (reads of the file), stored, sim, simfile.
run() {
	echo "$3" >$knobs/swappiness
	echo fifo >$knobs/policy
	echo gen >$knobs/policy
	swaplab bench trace "$2" >"$dir/$1.log" 2>&1
	mod=$(modfaults "$dir/$1.log")
	modfile=$(awk '$1 == "file" && $2 == "pages" { print $6 }' "$dir/$1.log")
	stored=$(awk '$1 == "file" && $2 == "pages" { print $(NF - 1) }' \
		"$dir/$1.log")
	swaplab sim "$2" --frames 256 --batch 32 --tick 100000000 \
		--swappiness "$3" --policy gen >"$dir/$1.sim" 2>&1
	sim=$(awk '$1 == "gen" { print $2 }' "$dir/$1.sim")
	simfile=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "file") k = i }
		       $1 == "gen" && k { print $k }' "$dir/$1.sim")
}

# same NAME WHAT: the result of the run as the simulator's.
same() {
	if [ -n "$sim" ] && [ "$sim" = "$mod" ] && [ -n "$simfile" ] &&
	   [ "$simfile" = "$modfile" ] && [ "$stored" = 0 ]; then
		ok "$2: $mod faults, $modfile on the file, as the simulator"
	else
		sed 's/^/# /' "$dir/$1.log" "$dir/$1.sim"
		not_ok "$2: module ${mod:-missing} faults (${modfile:-missing} on the file, ${stored:-missing} stored), simulator ${sim:-missing} (${simfile:-missing})"
	fi
}

for s in 0 200; do
	run a$s "$dir/a.trace" $s
	same a$s "A at swappiness $s"
	[ $s = 0 ] && a0=$mod a0file=$modfile
done
for s in 60 100; do
	run c$s "$dir/c.trace" $s
	same c$s "C at swappiness $s"
done
anon=$(distinct "$dir/a.trace" anon)
if [ -n "$a0" ] && [ -n "$a0file" ] && [ $((a0 - a0file)) = "$anon" ]; then
	ok "A at swappiness 0: each of its $anon anonymous pages faults once ($a0 faults, $a0file on the file)"
else
	not_ok "A at swappiness 0: ${a0:-missing} faults, ${a0file:-missing} on the file: anonymous ones not the $anon pages"
fi

run b200 "$dir/b.trace" 200
same b200 "B at swappiness 200"
file=$(distinct "$dir/b.trace" file)
if [ -n "$modfile" ] && [ "$modfile" = "$file" ]; then
	ok "B at swappiness 200: each of its $file pages of the file faults once ($mod faults)"
else
	not_ok "B at swappiness 200: ${modfile:-missing} faults on the file, not its $file pages"
fi

# The tracepoint's kind, through swaplab record: the first 2000
# references of A, and the same with its file mapped executable.
head -n 2000 "$dir/a.trace" >"$dir/r.trace"
sed 's/f$/x/' "$dir/r.trace" >"$dir/x.trace"
no_record_cmd
for k in f x; do
	src=$dir/r.trace
	[ $k = x ] && src=$dir/x.trace
	swaplab record --budget 1M -o "$dir/$k.rec" -- \
		swaplab bench trace "$src" >"$dir/$k.reclog" 2>&1
	rc=$?
	want_a=$(grep -v '[fx]$' "$src" | sort -u | wc -l)
	want_k=$(grep "$k\$" "$src" | sort -u | wc -l)
	got_a=$(grep -v '[fx]$' "$dir/$k.rec" | sort -u | wc -l)
	got_k=$(grep "$k\$" "$dir/$k.rec" | sort -u | wc -l)
	other=$(grep -c '[^0-9fx]\|[fx].' "$dir/$k.rec")
	if [ $rc = 0 ] && [ "$got_a" = "$want_a" ] &&
	   [ "$got_k" = "$want_k" ] && [ "$other" = 0 ]; then
		ok "swaplab record writes $want_k pages with $k and $want_a without a letter"
	else
		sed 's/^/# /' "$dir/$k.reclog"
		not_ok "swaplab record (exit $rc): $got_k pages with $k (want $want_k), $got_a without (want $want_a), $other bad lines"
	fi
done

cleanup
tap_end
