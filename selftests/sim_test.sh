#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of `swaplab sim`, the trace simulator that runs the module's own
# policy code in userspace. Needs no module: make check runs it on the
# host. TAP lines; exit 1 on any failure.
#
# SWAPLAB: the swaplab CLI (default: userspace/swaplab beside this tree).

here=$(dirname "$0")
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

ok() { echo "ok - sim: $*"; }
not_ok() { echo "not ok - sim: $*"; status=1; }

# faults TRACE FRAMES POLICY [ARGS...]: the simulator's fault count
faults() {
	t=$1 n=$2 p=$3
	shift 3
	"$swaplab" sim "$t" --frames "$n" --policy "$p" "$@" |
		awk -v p="$p" '$1 == p { print $2 }'
}

expect() {
	if [ "$2" = "$3" ]; then ok "$1: $2"; else not_ok "$1: $2, expected $3"; fi
}

# Tanenbaum's string: FIFO faults more with 4 frames than with 3.
echo "1 2 3 4 1 2 5 1 2 3 4 5" >"$tmp/belady"
expect "Belady's anomaly, fifo, 3 frames" "$(faults "$tmp/belady" 3 fifo)" 9
expect "Belady's anomaly, fifo, 4 frames" "$(faults "$tmp/belady" 4 fifo)" 10
expect "lru on the same string, 3 frames" "$(faults "$tmp/belady" 3 lru)" 10
expect "lru on the same string, 4 frames" "$(faults "$tmp/belady" 4 lru)" 8
expect "opt on the same string, 3 frames" "$(faults "$tmp/belady" 3 opt)" 7
expect "opt on the same string, 4 frames" "$(faults "$tmp/belady" 4 opt)" 6

# Policy quality, issue 4's goal: aging, the default, takes at most 1.1x
# the major faults of exact LRU on each generated workload, 4096 pages
# through 1024 and 512 frames. Major faults leave out each page's first
# touch, a zero-fill (minor) fault on the real system.
for w in zipf loop shift hotcold; do
	"$swaplab" gen $w --pages 4096 >"$tmp/$w"
	d=$(sort -u "$tmp/$w" | wc -l)
	for n in 1024 512; do
		a=$(($(faults "$tmp/$w" $n aging) - d))
		l=$(($(faults "$tmp/$w" $n lru) - d))
		if [ $((a * 10)) -le $((l * 11)) ]; then
			ok "aging within 1.1x of lru on $w, $n frames ($a against $l major faults)"
		else
			not_ok "aging $a, lru $l major faults on $w, $n frames: over 1.1x"
		fi
	done
done

# A string with locality: OPT is a lower bound for every policy, and every
# policy faults at least once per distinct page.
awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++)
	print int(rand() * rand() * 400) }' >"$tmp/local"
distinct=$(sort -un "$tmp/local" | wc -l)
for n in 32 100 200; do
	opt=$(faults "$tmp/local" "$n" opt)
	bad=
	for p in aging clock fifo random wsclock lru; do
		f=$(faults "$tmp/local" "$n" "$p")
		[ -n "$f" ] && [ "$f" -ge "$opt" ] && [ "$opt" -ge "$distinct" ] ||
			bad="$bad $p=$f"
	done
	if [ -z "$bad" ]; then
		ok "opt ($opt) <= every policy, >= $distinct pages, $n frames"
	else
		not_ok "opt=$opt distinct=$distinct $n frames:$bad"
	fi
done

# pages SIM-OUTPUT: the page count in the header line of `swaplab sim`
pages() {
	sed -n 's/.*references, \([0-9]*\) pages,.*/\1/p'
}

# Sparse page numbers, up to 2^64 - 1, get dense ids: the same string as
# $tmp/local with every page renamed gives every policy the same faults
# (none looks at a page's number), and the tables have one entry a page.
awk '{ if ($1 == 0) print "4000000000"; else if ($1 == 1) print "18446744073709551615";
	else printf "%.0f\n", 40000000 + $1 * 1000003 }' "$tmp/local" >"$tmp/sparse"
bad=
for n in 32 100; do
	for p in aging clock fifo random wsclock lru opt; do
		a=$(faults "$tmp/local" $n $p)
		b=$(faults "$tmp/sparse" $n $p)
		[ -n "$a" ] && [ "$a" = "$b" ] || bad="$bad $p/$n:$a/$b"
	done
done
if [ -z "$bad" ]; then
	ok "sparse page numbers up to 2^64-1: the faults of the same string numbered 0..399, every policy, 32 and 100 frames"
else
	not_ok "sparse page numbers: faults differ (policy/frames:dense/sparse):$bad"
fi
expect "sparse page numbers: one table entry a distinct page" \
	"$("$swaplab" sim "$tmp/sparse" --frames 32 --policy fifo | pages)" "$distinct"
# Page numbers stay as they are while a table indexed by them is small
# (below 2^20, or at least half used), as strings made before had them.
expect "small page numbers are kept (Belady's string: pages 0..5)" \
	"$("$swaplab" sim "$tmp/belady" --frames 3 --policy fifo | pages)" 6
awk 'BEGIN { for (p = 1100000; p-- > 0;) if (p % 3) print p }' >"$tmp/seq"
expect "page numbers past 2^20, two thirds used, are kept" \
	"$("$swaplab" sim "$tmp/seq" --frames 1000 --policy fifo | pages)" 1100000

# The workload generators: deterministic per seed, and shaped as named.
"$swaplab" gen zipf --pages 1000 --refs 20000 >"$tmp/z1"
"$swaplab" gen zipf --pages 1000 --refs 20000 >"$tmp/z2"
"$swaplab" gen zipf --pages 1000 --refs 20000 --seed 2 >"$tmp/z3"
if cmp -s "$tmp/z1" "$tmp/z2" && ! cmp -s "$tmp/z1" "$tmp/z3"; then
	ok "gen: the same seed gives the same string, another seed another"
else
	not_ok "gen: not deterministic per seed"
fi
# top_share WORKLOAD: the share of references to the busiest 10% of pages
top_share() {
	"$swaplab" gen "$1" --pages 1000 --refs 20000 | sort -n | uniq -c |
		sort -rn | awk '{ n++; s += $1; if (n <= 100) top += $1 }
			END { printf "%d", 100 * top / s }'
}
for spec in "zipf 60 100" "hotcold 45 55" "seq 10 10" "rand 10 20"; do
	set -- $spec
	share=$(top_share "$1")
	if [ "$share" -ge "$2" ] && [ "$share" -le "$3" ]; then
		ok "gen $1: busiest 10% of pages take $share% of references"
	else
		not_ok "gen $1: busiest 10% take $share%, expected $2-$3%"
	fi
done
"$swaplab" gen loop --pages 5 --refs 12 | tr '\n' ' ' >"$tmp/loop"
expect "gen loop cycles" "$(cat "$tmp/loop")" "0 1 2 3 4 0 1 2 3 4 0 1 "
"$swaplab" gen nosuch --pages 5 >/dev/null 2>&1
expect "gen of an unknown workload exits" $? 2
timeout 10 "$swaplab" gen --bogus zipf --pages 5 >/dev/null 2>&1
expect "gen with an unknown option exits" $? 2
timeout 10 "$swaplab" sim --bogus "$tmp/belady" --frames 3 >/dev/null 2>&1
expect "sim with an unknown option exits" $? 2

# Bad input is refused with a message and a non-zero status.
printf '1 2 # a comment\n3 x 4\n' >"$tmp/bad"
"$swaplab" sim "$tmp/bad" --frames 3 >/dev/null 2>"$tmp/err"
expect "a trace with a non-number exits" $? 1
expect "the message names the file, line and word" "$(cat "$tmp/err")" \
	"swaplab: $tmp/bad:2: 'x' is not a page number"
: >"$tmp/empty"
"$swaplab" sim "$tmp/empty" --frames 3 >/dev/null 2>"$tmp/err"
expect "an empty trace exits" "$? $(cat "$tmp/err")" \
	"1 swaplab: $tmp/empty: no references"
printf '# only a comment\n\n' | "$swaplab" sim - --frames 3 >/dev/null 2>&1
expect "a trace of comments only exits" $? 1
"$swaplab" sim "$tmp/belady" --frames 3 --policy nosuch >/dev/null 2>&1
expect "an unknown policy exits" $? 2
"$swaplab" sim "$tmp/belady" --frames 0 >/dev/null 2>&1
expect "zero frames exits" $? 2
"$swaplab" sim "$tmp/missing" --frames 3 >/dev/null 2>&1
expect "a missing trace exits" $? 1
exit $status
