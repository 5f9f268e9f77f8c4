#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The simulator against an outside reference: libCacheSim's cachesim
# (https://github.com/1a1a11a/libCacheSim), which shares no code with
# swaplab. The module-equals-simulator tests compile the same policy code
# on both sides, and the known counts elsewhere come from the simulator
# itself, so neither can see a policy that is wrong in both; here the
# same reference strings go through both, and every count is compared.
#
# One TAP line per (policy, string, size) with both counts and a verdict:
#  - equal: the counts are the same;
#  - "departure: NAME": they differ by a departure from the paper named
#    in the policy's header (module/policy_*.c, userspace/sim_*.c) or in
#    libCacheSim's code, with its cost (our count less the reference's).
#    Where the departure can be switched off, on our side by a knob or
#    option or on the reference's by a parameter or a change of string,
#    the line shows that count too, and it must be equal; where it
#    cannot, the cost must stay within the bound given for the policy,
#    the largest cost measured rounded up;
#  - not ok: a count that no departure explains, a likely bug.
# A policy the reference lacks is a skip.
#
# Not part of make check, and not for CI: libCacheSim is in neither
# Debian nor npm, the only sources a CI machine has. It is run by hand
# (make reference) on a machine with a libCacheSim build outside the
# tree; without one every line says "missing" and the script fails.
# The published figures came from libCacheSim aa0fc40 (2024-10-07),
# built with Debian 12's cmake against libglib2.0-dev and libzstd-dev.
#
# CACHESIM: libCacheSim's cachesim (default
#           /var/cache/swaplab/libCacheSim-build/bin/cachesim).
# SWAPLAB:  the swaplab CLI (default: userspace/swaplab beside this tree).

here=$(cd "$(dirname "$0")" && pwd)
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
cachesim=${CACHESIM:-/var/cache/swaplab/libCacheSim-build/bin/cachesim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
n=0

# The strings: gen's zipf and hotcold, 1250 pages at gen's default of 4
# references a page. cachesim prints its miss ratio to four decimals,
# which gives the count exactly only up to 10000 requests; 5000 leaves
# room for the doubled strings below.
PAGES=1250
REFS=5000
STRINGS="zipf hotcold"
# Memory sizes: 4%, 10% and 25% of the pages, in frames (swaplab) and
# objects (cachesim with --ignore-obj-size: every object takes one).
SIZES="50 125 312"

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; status=1; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

if [ ! -x "$swaplab" ]; then
	echo "1..1"
	echo "not ok 1 - swaplab missing: no $swaplab (make userspace)"
	exit 1
fi
if [ ! -x "$cachesim" ]; then
	echo "1..1"
	echo "not ok 1 - libCacheSim missing: no cachesim at $cachesim; build libCacheSim outside this tree and set CACHESIM (see Documentation/dev-tools/swaplab-testing.rst)"
	exit 1
fi

# Both programs write nothing into the tree: cachesim leaves result/ and
# TRACE.cachesim in the current directory.
cd "$tmp" || exit 1

# sw STRING FRAMES POLICY [ARGS...]: swaplab's fault count, every fault
# counted, first touches included, as cachesim counts misses.
sw() {
	t=$1 f=$2 p=$3
	shift 3
	"$swaplab" sim "$t" --frames "$f" --policy "$p" "$@" |
		awk -v p="$p" '$1 == p { print $2 }'
}

# ref STRING ALGOS [ARGS...]: cachesim's miss counts at every size, lines
# "NAME SIZE MISSES"; the misses from the ratio, exact as long as the
# string has at most 10000 requests (checked). One thread: the machine
# is shared.
ref() {
	t=$1 a=$2
	shift 2
	nice "$cachesim" "$t" txt "$a" "$(echo "$SIZES" | tr ' ' ,)" \
		--ignore-obj-size 1 --num-thread 1 "$@" 2>/dev/null |
		awk '/miss ratio/ {
			for (i = 2; i <= NF; i++) {
				if ($i == "size") { s = $(i + 1); sub(",", "", s) }
				if ($i == "req,") r = $(i - 1)
				if ($i == "ratio" && $(i - 1) == "miss") {
					m = $(i + 1); sub(",", "", m)
				}
			}
			if (r > 10000) { print $2, s, "inexact"; next }
			printf "%s %s %d\n", $2, s, m * r + 0.5
		}'
}

# get FILE NAME SIZE: a count from ref's output.
get() { awk -v a="$2" -v s="$3" '$1 == a && $2 == s { print $3 }' "$1"; }

# cost OURS REF: "+D, +P%".
cost() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+d, %+.1f%%", a - b, 100 * (a - b) / b }'; }

# within OURS REF PCT: |OURS - REF| at most PCT% of REF.
within() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(100 * d <= p * b) }'; }

# equal LABEL OURS REF: the counts must be the same.
equal() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		ok "$1: swaplab $2, libCacheSim $3: equal"
	else
		not_ok "$1: swaplab $2, libCacheSim $3: differ, no departure named"
	fi
}

# bounded LABEL OURS REF PCT DEPARTURE: a departure that cannot be
# switched off; its cost must stay within PCT% of the reference's count.
bounded() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		not_ok "$1: swaplab '$2', libCacheSim '$3': no count"
	elif [ "$2" = "$3" ]; then
		ok "$1: swaplab $2, libCacheSim $3: equal"
	elif within "$2" "$3" "$4"; then
		ok "$1: swaplab $2, libCacheSim $3: departure: $5 ($(cost "$2" "$3"))"
	else
		not_ok "$1: swaplab $2, libCacheSim $3: $(cost "$2" "$3"), more than the $4% $5 is known to cost"
	fi
}

echo "1..$(($(echo "$STRINGS" | wc -w) * $(echo "$SIZES" | wc -w) * 11))"
for w in $STRINGS; do
	s=$w.pages
	"$swaplab" gen "$w" --pages $PAGES --refs $REFS >"$s"
	# Every reference twice: the reference's new page is then referenced
	# before anything else happens, as the faulting access makes it here.
	awk '{ print; print }' "$s" >"$w.twice"
	ref "$s" lru,fifo,arc,lirs,s3fifo,sieve,twoq,lfuda,clock >"$w.ref"
	ref "$s" s3fifo -e move-to-main-threshold=1 >"$w.ref1"
	ref "$w.twice" clock >"$w.twice.ref"
	for f in $SIZES; do
		at="$w, $f frames"

		equal "lru, $at" "$(sw "$s" "$f" lru)" "$(get "$w.ref" LRU "$f")"
		equal "fifo, $at" "$(sw "$s" "$f" fifo)" "$(get "$w.ref" FIFO "$f")"
		equal "arc, $at" "$(sw "$s" "$f" arc)" "$(get "$w.ref" ARC "$f")"

		# clock: libCacheSim's Clock inserts a page unreferenced; here
		# the faulting access sets its accessed bit (sim.c), as the
		# hardware's does. On the doubled string the reference's new
		# page is referenced at once: that count must be ours.
		a=$(sw "$s" "$f" clock)
		b=$(get "$w.ref" Clock "$f")
		c=$(get "$w.twice.ref" Clock "$f")
		if [ -n "$a" ] && [ "$a" = "$c" ]; then
			if [ "$a" = "$b" ]; then
				ok "clock, $at: swaplab $a, libCacheSim $b: equal"
			else
				ok "clock, $at: swaplab $a, libCacheSim $b: departure: the fault sets the page's reference bit ($(cost "$a" "$b")); libCacheSim on the doubled string: $c, equal"
			fi
		else
			not_ok "clock, $at: swaplab $a, libCacheSim $b, on the doubled string $c: differ"
		fi

		# sieve: a hit between the fault and the next reclaim is lost
		# with the fault's reference bit (policy_sieve.c). No switch.
		bounded "sieve, $at" "$(sw "$s" "$f" sieve)" \
			"$(get "$w.ref" Sieve "$f")" 4 \
			"the fault's reference bit, hits before the next reclaim lost"

		# s3fifo: S to M at one use, not two (policy_s3fifo.c), which
		# libCacheSim's move-to-main-threshold=1 switches on; what is
		# left is use seen through the reference bit.
		a=$(sw "$s" "$f" s3fifo)
		b=$(get "$w.ref" S3FIFO-0.1000-2 "$f")
		c=$(get "$w.ref1" S3FIFO-0.1000-1 "$f")
		if [ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] &&
		   within "$a" "$c" 2; then
			ok "s3fifo, $at: swaplab $a, libCacheSim $b: departure: S to M at one use ($(cost "$a" "$b")); libCacheSim at one use $c: departure: use through the reference bit ($(cost "$a" "$c"))"
		else
			not_ok "s3fifo, $at: swaplab $a, libCacheSim $b, at one use $c: more than the 2% use through the reference bit is known to cost"
		fi

		# 2q: Am is CLOCK over the reference bits, not LRU
		# (policy_2q.c). No switch.
		bounded "2q, $at" "$(sw "$s" "$f" 2q)" \
			"$(get "$w.ref" TwoQ "$f")" 2 "Am is CLOCK, not LRU"

		# lirs: both exact, but libCacheSim bounds stack S at twice the
		# cache (limitStack in LIRS.c), and a hit on a resident HIR page
		# that is not in S demotes S's bottom LIR page
		# (hit_RD_HIRinQ); sim_lirs.c keeps the paper's unbounded S.
		bounded "lirs, $at" "$(sw "$s" "$f" lirs)" \
			"$(get "$w.ref" LIRS "$f")" 3 \
			"libCacheSim's S bounded at 2c, its HIR hit out of S"

		# lfu: libCacheSim's LFUDA raises a hit page's key by L, the
		# inflation factor, where the paper sets it to F + L (LFUDA_find
		# in LFUDA.c). Ours with its departures switched off (a tick
		# every reference: F counts every hit; remember=0: the paper's
		# in-cache count; max_count=63) is shown beside it.
		a=$(sw "$s" "$f" lfu)
		b=$(get "$w.ref" LFUDA "$f")
		c=$(sw "$s" "$f" lfu --tick 1 --knob remember=0 --knob max_count=63)
		if [ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] &&
		   within "$a" "$b" 11 && within "$c" "$b" 17; then
			ok "lfu, $at: swaplab $a, libCacheSim $b: departure: libCacheSim's key on a hit, and ours: reference bits, remembered counts ($(cost "$a" "$b")); ours without them $c ($(cost "$c" "$b"))"
		else
			not_ok "lfu, $at: swaplab $a, without its departures $c, libCacheSim $b: beyond the 11% and 17% measured"
		fi

		skip "car, $at" "no CAR in libCacheSim aa0fc40"
		skip "clockpro, $at" "no CLOCK-Pro in libCacheSim aa0fc40"
	done
done
exit $status
