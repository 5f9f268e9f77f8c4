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
# The two differ where each departs from the paper, in different ways;
# the reference models (selftests/reference/, written from the papers)
# know both. One TAP line per (policy, string, size), with four counts,
# all exact:
#  - swaplab sim's, which must equal the model's in the module's order
#    (every departure the policy's header names on, as
#    reference_models.sh checks in make check);
#  - libCacheSim's, which must equal the model's in libCacheSim's order
#    (run.py --reference libcachesim: none of the module's departures,
#    and every way in which libCacheSim's code departs from the paper,
#    each a flag of the model's LIBCACHESIM table, named on the line).
# ok only if both pairs are equal; not ok otherwise: a policy, or a
# model, or our reading of libCacheSim, that is wrong. The two orders
# share the paper's rules, so the model ties ours to libCacheSim's.
# A policy the reference lacks is a skip.
#
# Not part of make check, and not for CI: libCacheSim is in neither
# Debian nor npm, the only sources a CI machine has. It is run by hand
# (make reference) on a machine with a libCacheSim build outside the
# tree; without one its one line says "missing" and the script fails.
# The published figures are from libCacheSim aa0fc40 (2024-10-07),
# built with Debian 12's cmake against libglib2.0-dev and libzstd-dev.
#
# CACHESIM: libCacheSim's cachesim (default
#           /var/cache/swaplab/libCacheSim-build/bin/cachesim).
# SWAPLAB:  the swaplab CLI (default: userspace/swaplab beside this tree).
# PYTHON:   the Python 3 to run the models with (default: python3).
# TRACE:    a further string, one page or block number a line (e.g. a
#           block trace's block numbers), of which the first 5000 are
#           compared at 4, 10 and 25% of the pages they touch.

top=$(cd "$(dirname "$0")/../.." && pwd)
swaplab=${SWAPLAB:-$top/userspace/swaplab}
cachesim=${CACHESIM:-/var/cache/swaplab/libCacheSim-build/bin/cachesim}
python=${PYTHON:-python3}
run=$top/selftests/reference/run.py
trace=${TRACE:-}
# The runs happen in a directory of their own: paths given relative to
# the caller's stay valid there.
case $swaplab in /*) ;; *) swaplab=$PWD/$swaplab ;; esac
case $cachesim in /*) ;; *) cachesim=$PWD/$cachesim ;; esac
case $trace in /* | "") ;; *) trace=$PWD/$trace ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The strings: gen's zipf and hotcold, 1250 pages at gen's default of 4
# references a page. cachesim prints its miss ratio to four decimals,
# which gives the count exactly only up to 10000 requests.
PAGES=1250
REFS=5000
STRINGS="zipf hotcold"
# Memory sizes: 4%, 10% and 25% of the pages, in frames (swaplab) and
# objects (cachesim with --ignore-obj-size: every object takes one).
SIZES="50 125 312"
# The policies compared: ours, cachesim's name for it, and the name its
# results carry (at cachesim's defaults).
POLICIES="lru:lru:LRU fifo:fifo:FIFO arc:arc:ARC clock:clock:Clock
sieve:sieve:Sieve 2q:twoq:TwoQ s3fifo:s3fifo:S3FIFO-0.1000-2
lirs:lirs:LIRS lfu:lfuda:LFUDA"
# Ours that libCacheSim lacks.
LACKS="car:CAR clockpro:CLOCK-Pro"

if [ -n "$trace" ] && [ ! -r "$trace" ]; then
	echo "1..1"
	echo "not ok 1 - TRACE $trace: not readable"
	exit 1
fi
if [ ! -x "$swaplab" ]; then
	echo "1..1"
	echo "not ok 1 - swaplab missing: no $swaplab (make userspace)"
	exit 1
fi
if [ ! -x "$cachesim" ]; then
	echo "1..1"
	echo "not ok 1 - libCacheSim missing: no cachesim at $cachesim; build libCacheSim outside this tree and set CACHESIM (see Documentation/dev-tools/swaplab/reference.rst)"
	exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 6))' 2>/dev/null ||
   ! "$python" "$run" --list --reference libcachesim >"$tmp/flags"; then
	echo "1..1"
	echo "not ok 1 - the reference models: no Python 3 ($python), or run.py --list failed"
	exit 1
fi

strings=$STRINGS
[ -n "$trace" ] && strings="$strings trace"
nsizes=$(echo "$SIZES" | wc -w)
npol=$(($(echo "$POLICIES" | wc -w) + $(echo "$LACKS" | wc -w)))
plan=$(($(echo "$strings" | wc -w) * nsizes * npol))
echo "1..$plan"

n=0 pass=0 fail=0 skipped=0
ok() { n=$((n + 1)) pass=$((pass + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)) fail=$((fail + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)) skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }

# Both programs write nothing into the tree: cachesim leaves result/ in
# the current directory.
cd "$tmp" || exit 1

# sw STRING FRAMES POLICY: swaplab sim's fault count in the module's
# order (run.py --sim-args: one eviction at a time), every fault
# counted, first touches included, as cachesim counts misses.
sw() {
	# shellcheck disable=SC2046 # the options, one word each
	"$swaplab" sim "$1" --frames "$2" --policy "$3" \
		$("$python" "$run" --sim-args --policy "$3") 2>/dev/null |
		awk -v p="$3" '$1 == p { print $2 }'
}

# ref STRING ALGO: cachesim's miss counts at every size, lines "NAME SIZE
# MISSES"; the misses from the ratio, exact as long as the string has at
# most 10000 requests (checked). One algorithm a run, one thread, niced:
# cachesim takes memory, and the machine is shared.
ref() {
	nice "$cachesim" "$1" txt "$2" "$(echo "$sizes" | tr ' ' ,)" \
		--ignore-obj-size 1 --num-thread 1 2>/dev/null |
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

# model STRING POLICY OUT [ARGS...]: the model's counts at every size
# into OUT, one a line; its error into OUT.err.
model() {
	s=$1 p=$2 o=$3
	shift 3
	"$python" "$run" --policy "$p" --frames "$(echo "$sizes" | tr ' ' ,)" \
		"$@" "$s" >"$o" 2>"$o.err"
}

# count FILE N: the Nth line of FILE.
count() { sed -n "$2p" "$1"; }

# why FILE...: the first error in the files, as " (ERROR)".
why() {
	e=$(cat "$@" 2>/dev/null | head -n 1)
	[ -z "$e" ] || echo " ($e)"
}

for w in $strings; do
	s=$w.pages
	sizes=$SIZES
	if [ "$w" = trace ]; then
		head -n $REFS "$trace" >"$s"
		d=$(sort -u "$s" | wc -l)
		sizes="$((d / 25)) $((d / 10)) $((d / 4))"
	else
		"$swaplab" gen "$w" --pages $PAGES --refs $REFS >"$s"
	fi
	# Per policy, cachesim at every size, and the model in both orders.
	for e in $POLICIES; do
		p=${e%%:*} a=${e#*:}
		ref "$s" "${a%%:*}" >"$w.$p.ref"
		model "$s" "$p" "$w.$p.ours"
		model "$s" "$p" "$w.$p.lcs" --reference libcachesim
	done
	i=0
	for f in $sizes; do
		i=$((i + 1))
		for e in $POLICIES; do
			p=${e%%:*} r=${e##*:}
			at="$p, $w, $f frames"
			if grep -q "^$p\( \|$\)" "$tmp/flags"; then
				flags=$(awk -v p="$p" '$1 == p { $1 = ""; sub(/^ /, ""); gsub(/ /, ", "); print }' "$tmp/flags")
				[ -n "$flags" ] || flags="the paper's order"
			else
				flags="no libCacheSim order: run.py --list --reference libcachesim"
			fi
			ours=$(sw "$s" "$f" "$p")
			mo=$(count "$w.$p.ours" $i)
			theirs=$(awk -v a="$r" -v f="$f" '$1 == a && $2 == f { print $3 }' "$w.$p.ref")
			ml=$(count "$w.$p.lcs" $i)
			line="swaplab $ours, model as we run $mo; libCacheSim $theirs, model as libCacheSim runs $ml ($flags)"
			if [ -z "$ours" ] || [ -z "$theirs" ] ||
			   [ -z "$mo" ] || [ -z "$ml" ]; then
				not_ok "$at: $line: a count missing$(why "$w.$p.ours.err" "$w.$p.lcs.err")"
			elif [ "$ours" != "$mo" ] && [ "$theirs" != "$ml" ]; then
				not_ok "$at: $line: both pairs differ"
			elif [ "$ours" != "$mo" ]; then
				not_ok "$at: $line: swaplab and the model differ"
			elif [ "$theirs" != "$ml" ]; then
				not_ok "$at: $line: libCacheSim and the model differ"
			else
				ok "$at: $line"
			fi
		done
		for e in $LACKS; do
			skip "${e%%:*}, $w, $f frames" "no ${e#*:} in libCacheSim aa0fc40"
		done
	done
done

status=0
if [ "$n" -ne "$plan" ]; then
	echo "# reference: $n lines of the $plan planned"
	status=1
fi
[ "$fail" -eq 0 ] || status=1
echo "# reference: $pass passed, $fail failed, $skipped skipped"
exit $status
