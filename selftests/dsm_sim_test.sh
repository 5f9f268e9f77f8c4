#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the DSM protocol engine (userspace/lib/dsm.c) through
# `swaplab dsm sim`: simulated nodes, each with a model of the kernel's
# data pager side, on seeded random schedules, every step checked against
# what Ivy's protocol promises (one writer or many readers a page, every
# read the last write, no node's mapping beyond its access, nothing
# stuck). Needs no module: make check runs it on the host. TAP lines;
# exit 1 on any failure.
#
# Each case runs 20 schedules (seeds 1 to 20); one broken promise fails
# it, naming the step, node and page. The cases run with the fixed
# manager, and again with the dynamic one (probable owners). Beside them, each case's counts
# are checked against what the schedule must have done: every process
# made all its reads and writes; writes only when some are asked for; no
# invalidation without a writer; with one node, no message at all; with
# pins, take-backs refused and waited out.
#
# SWAPLAB: the swaplab CLI (default: userspace/swaplab beside this tree).

PLANNED=32
here=$(dirname "$0")
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
results=0
echo "1..$PLANNED"

ok() { echo "ok - dsm sim: $*"; results=$((results + 1)); }
not_ok() { echo "not ok - dsm sim: $*"; results=$((results + 1)); status=1; }

# field NAME LINE: NAME's value in a result line.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# case NAME ARGS...: 20 schedules; ok if every one ended "ok", with
# every process's reads and writes done (nodes * ops); the output in
# $tmp/out for the checks after.
run_case() {
	name=$1
	shift
	# shellcheck disable=SC2086
	"$swaplab" dsm sim --runs 20 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	runs=$(grep -c ' ok$' "$tmp/out")
	broken=$(grep -m1 ' broken: ' "$tmp/out" | sed 's/.* broken: //')
	nodes=$(field nodes "$(head -n1 "$tmp/out")")
	ops=${ops:-2000}
	short=$(awk -v want=$((nodes * ops)) '{
		r = 0; w = 0
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^reads=/) r = substr($i, 7)
			if ($i ~ /^writes=/) w = substr($i, 8)
		}
		if (r + w != want) n++
	} END { print n + 0 }' "$tmp/out")
	if [ $rc = 0 ] && [ "$runs" = 20 ] && [ "$short" = 0 ]; then
		ok "$name: 20 schedules, every promise kept"
	else
		not_ok "$name: exit $rc, $runs of 20 ok, $short short${broken:+, first broken: $broken}$(head -c 200 "$tmp/err")"
	fi
}

# sum NAME: the total of field NAME over the last case's runs.
sum() { awk -v f="$1=" '{ for (i = 1; i <= NF; i++) if (index($i, f) == 1) s += substr($i, length(f) + 1) } END { print s + 0 }' "$tmp/out"; }

# expect WHAT COND...: ok WHAT if the command COND succeeds.
expect() {
	what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

ops=2000
run_case "3 nodes, 8 pages" --nodes 3 --pages 8
run_case "2 nodes, one page, writes only" --nodes 2 --pages 1 --writes 100
expect "writes only: $(sum writes) writes (80000), $(sum reads) reads (0)" \
	test "$(sum writes)$(sum reads)" = 800000
run_case "3 nodes, reads only" --nodes 3 --pages 8 --writes 0
expect "reads only: $(sum INVALIDATE) invalidations, $(sum WRITE_REQ) write requests (0, 0)" \
	test "$(sum INVALIDATE)$(sum WRITE_REQ)" = 00
run_case "1 node" --nodes 1 --pages 4
expect "1 node: $(sum READ_REQ) READ_REQ, $(sum PAGE) PAGE, $(sum CONFIRM) CONFIRM sent (none)" \
	test "$(sum READ_REQ)$(sum PAGE)$(sum CONFIRM)" = 000
run_case "2 nodes, one page, no eviction" --nodes 2 --pages 1 --evict 0
expect "no eviction asked: $(sum evictions) made" test "$(sum evictions)" = 0
run_case "5 nodes, 3 pages, evictions at half the steps" --nodes 5 --pages 3 --evict 50
expect "evictions asked: $(sum evictions) made" test "$(sum evictions)" -gt 0
run_case "8 nodes, 64 pages" --nodes 8 --pages 64
run_case "4 nodes, 2 pages, writes 90%" --nodes 4 --pages 2 --writes 90
ops=50
run_case "64 nodes, 4 pages, 50 each" --nodes 64 --pages 4 --ops 50
ops=2000
# Contention: more nodes than pages, and every node writing.
run_case "6 nodes, one page, half writes" --nodes 6 --pages 1 --writes 50
expect "$(sum INVALIDATE) invalidations, $(sum INV_ACK) acknowledged: all, and some" \
	test "$(sum INVALIDATE)" -gt 0 -a "$(sum INVALIDATE)" = "$(sum INV_ACK)"

# Pins: a pinned page cannot be flushed, so the owner keeps it, or the
# reader its copy, until it is let go; the request or the invalidation
# waits, and every promise holds meanwhile.
run_case "3 nodes, 4 pages, half writes, pins at 5% of the steps" --nodes 3 --pages 4 --writes 50 --pin 5
expect "pins: $(sum refused) take-backs refused, then done" test "$(sum refused)" -gt 0

# The dynamic distributed manager: no manager, requests along the
# probable owners.
run_case "dynamic: 3 nodes, 8 pages" --manager dynamic --nodes 3 --pages 8
expect "dynamic: $(sum FWD_READ) FWD_READ, $(sum FWD_WRITE) FWD_WRITE, $(sum CONFIRM) CONFIRM sent (none: no manager)" \
	test "$(sum FWD_READ)$(sum FWD_WRITE)$(sum CONFIRM)" = 000
run_case "dynamic: 6 nodes, one page, half writes" --manager dynamic --nodes 6 --pages 1 --writes 50
expect "dynamic: $(sum INVALIDATE) invalidations, $(sum INV_ACK) acknowledged: all, and some" \
	test "$(sum INVALIDATE)" -gt 0 -a "$(sum INVALIDATE)" = "$(sum INV_ACK)"
run_case "dynamic: 5 nodes, 3 pages, evictions at half the steps" --manager dynamic --nodes 5 --pages 3 --evict 50
ops=50
run_case "dynamic: 64 nodes, 4 pages, 50 each" --manager dynamic --nodes 64 --pages 4 --ops 50
ops=2000
run_case "dynamic: 1 node" --manager dynamic --nodes 1 --pages 4
run_case "dynamic: 3 nodes, 4 pages, half writes, pins at 5% of the steps" --manager dynamic --nodes 3 --pages 4 --writes 50 --pin 5
expect "dynamic: pins: $(sum refused) take-backs refused, then done" test "$(sum refused)" -gt 0
# Li and Hudak's reason for the dynamic manager: no hop through a manager
# and no confirmation, so fewer messages for the same work where the
# probable owners are mostly right (two nodes: always, once a page has
# moved). The same 20 schedules' seeds, 2 nodes, 8 pages.
msgs() { sum READ_REQ; sum WRITE_REQ; sum FWD_READ; sum FWD_WRITE; sum PAGE; sum INVALIDATE; sum INV_ACK; sum CONFIRM; }
total() { msgs | awk '{ t += $1 } END { print t }'; }
"$swaplab" dsm sim --runs 20 --nodes 2 --pages 8 >"$tmp/out"
fixed=$(total)
"$swaplab" dsm sim --runs 20 --nodes 2 --pages 8 --manager dynamic >"$tmp/out"
dyn=$(total)
expect "2 nodes, 8 pages: the dynamic manager sends fewer messages than the fixed one ($dyn against $fixed)" \
	test "$dyn" -lt "$fixed"
# A read copy overtaken by the next owner's invalidation (they come on
# different channels) is dropped when it comes, and asked for again.
"$swaplab" dsm sim --manager dynamic --nodes 8 --pages 2 --writes 50 --log "$tmp/log" >/dev/null
expect "dynamic: copies invalidated on their way asked for again ($(grep -c 'invalidated on its way' "$tmp/log"))" \
	grep -q 'invalidated on its way: asking again$' "$tmp/log"

# The same seed, the same run.
"$swaplab" dsm sim --seed 7 >"$tmp/a"
"$swaplab" dsm sim --seed 7 >"$tmp/b"
expect "a seed gives one schedule" cmp -s "$tmp/a" "$tmp/b"

# The log names each change of a page's access.
"$swaplab" dsm sim --nodes 2 --pages 1 --ops 20 --log "$tmp/log" >/dev/null
expect "the log has the access changes" \
	grep -q '^node [01] page 0: access .* -> write$' "$tmp/log"
expect "the log has a read copy given" \
	grep -q '^node [01] page 0: access nil -> read$' "$tmp/log"

if [ "$results" != "$PLANNED" ]; then
	echo "not ok - dsm sim: the plan: $results results, $PLANNED planned"
	status=1
fi
exit $status
