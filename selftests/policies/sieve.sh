# SPDX-License-Identifier: GPL-2.0
#
# SIEVE (module/policy/policy_sieve.c) in the simulator. Sourced by sim_test.sh,
# whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Scan resistance: SIEVE keeps a page the hand finds visited where it is,
# and inserts new pages at the head, unvisited, so the hand evicts them
# first. The string: 1 2 3 4 5, then 10 rounds of 2 3 and three pages
# never seen before; 4 frames, batch 1.
#  - 1 to 4 fill memory and wait on the pending list, their bits set by
#    their faults. 5 faults: victim() puts 1 to 4 in the queue unvisited
#    (the faults' references cleared), and the hand, starting at the tail,
#    evicts 1.
#  - Round 1: 2 and 3 are hits (visited). The first new page: 5 joins the
#    queue unvisited, the hand clears 2 and 3 and evicts 4; the second
#    evicts 5, the third the first new page.
#  - The hand is now past 2 and 3 and among the newest pages, and each new
#    page evicts the oldest new page before it: it never wraps back to 2
#    and 3, which every round marks visited again anyway.
# So SIEVE faults 5 + 3 a round: 35, which is OPT (every new page must
# fault). LRU: 5, then 3 in round 1 (2 and 3 still resident), then 5 in
# every other round, as the scan's last page evicts 2 and 2 evicts 3
# before their use: 5 + 3 + 9 * 5 = 53.
awk 'BEGIN { print 1; print 2; print 3; print 4; print 5; s = 100
	for (r = 0; r < 10; r++) { print 2; print 3
		for (i = 0; i < 3; i++) print s++ } }' >"$tmp/sieve-scan"
expect "sieve keeps 2 and 3 through 3-page scans, 4 frames" \
	"$(faults "$tmp/sieve-scan" 4 sieve)" 35
expect "lru on the same string loses them" \
	"$(faults "$tmp/sieve-scan" 4 lru)" 53
expect "opt on the same string" "$(faults "$tmp/sieve-scan" 4 opt)" 35

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string of 1200 pages and 24000 references that policies_test.sh replays on
# the module, through 256 frames in batches of 32 with no timed tick, as
# the module runs it; any change to the algorithm moves it.
known sieve 6226 3879

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
