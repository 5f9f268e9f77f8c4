# SPDX-License-Identifier: GPL-2.0
#
# LFU-DA (module/policy/policy_lfu.c) in the simulator. Sourced by sim_test.sh,
# whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Frequency over recency: pages 1 and 2 are used 8 times each, then 20
# rounds of three pages never seen before, each used twice in a row,
# followed by 1 and 2 again; 4 frames, batch 1, a tick before every
# reference (--tick 1), so that each use is counted before the next.
#  - 1 and 2 fault once each (2) and reach count 8: the fault counts 1,
#    each of the seven hits one more. The inflation L is 0, their keys 8.
#  - A new page comes in at count 1 and reaches 2 with its second use; its
#    key is L + 2. Each round's three new pages fault (the first round's
#    first two into free frames) and evict the smallest key: always the
#    oldest new page, whose key is at most L + 2, so L rises by at most 2
#    an eviction, 6 a round.
#  - 1 and 2 are counted at every round, their counts growing to 15
#    (max_count), their keys set to L + count, at least L + 9: by their
#    next use L has risen by 6 at most, and they are still above every
#    new page. They never fault again.
# So LFU faults 2 + 3 a round: 62, which is OPT (every new page must
# fault). LRU: the third new page of a round pushes 1 out, 1 evicts 2
# and 2 a new page: 2 + 5 a round = 102; ARC and LIRS too, as every new
# page is used twice and looks hot to them.
awk 'BEGIN { for (i = 0; i < 8; i++) { print 1; print 2 }
	s = 100; for (r = 0; r < 20; r++) {
		for (k = 0; k < 3; k++) { print s; print s; s++ }
		print 1; print 2 } }' >"$tmp/lfu-hot"
expect "lfu keeps two hot pages through pairs of new pages, 4 frames" \
	"$(faults "$tmp/lfu-hot" 4 lfu --tick 1)" 62
expect "lru on the same string loses them" \
	"$(faults "$tmp/lfu-hot" 4 lru)" 102
expect "arc on the same string" "$(faults "$tmp/lfu-hot" 4 arc)" 102
expect "opt on the same string" "$(faults "$tmp/lfu-hot" 4 opt)" 62

# The known counts: the zipf string of 1200 pages and 24000 references
# that policies_test.sh replays on the module, through 256 frames in batches of
# 32 with no timed tick, as the module runs it; any change to the
# algorithm moves them. With remember=0 a refault starts from scratch, as
# in the paper: the counts kept in the shadow records save 306 faults.
known lfu 6105 3724
expect "lfu on zipf, remember=0: the known count" \
	"$(faults "$tmp/zipf1200" 256 lfu --batch 32 --tick 100000000 \
		--knob remember=0)" 6411

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
