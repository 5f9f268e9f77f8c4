# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # $tmp: set by sim_test.sh, which sources this
#
# CLOCK-Pro (module/policy/policy_clockpro.c) in the simulator. Sourced by
# sim_test.sh, which defines faults, expect, ok, not_ok, $tmp and $swaplab,
# and has made $tmp/zipf1200.
#
# The first two strings start by filling the 100 frames with 100 pages
# never used again: warming up, m_c is 1 (1% of 100), so 99 of them come
# in hot and one cold, and from then on every new page is cold in its test
# period. The pages that matter can only become hot by being referenced
# again within their test period: the defining mechanism.

# Scan resistance: then 30 rounds of a hot set of 50 pages referenced
# twice, and 100 pages never seen again. Round 1: each hot page faults,
# takes the one cold frame and is evicted in test by the next fault (50
# faults); its second reference is a refault still in test, so it comes
# back hot, and HAND_hot turns one of the dead pages cold (50 more); the
# 100 new pages cycle through the cold frames. From round 2 on the hot set
# hits and only the 100 new pages fault: 100 + 200 + 29 * 100 = 3200, as
# exact LIRS. LRU loses the hot set to every scan: 4600.
awk 'BEGIN { for (j = 0; j < 100; j++) print 5000 + j
	s = 1000; for (r = 0; r < 30; r++) {
	for (k = 0; k < 2; k++) for (h = 0; h < 50; h++) print h
	for (i = 0; i < 100; i++) print s++ } }' >"$tmp/cp_scan"
expect "clockpro: a hot set turns hot in its test period, kept through scans" \
	"$(faults "$tmp/cp_scan" 100 clockpro)" 3200
expect "lru on the same string" "$(faults "$tmp/cp_scan" 100 lru)" 4600
expect "lirs on the same string" "$(faults "$tmp/cp_scan" 100 lirs)" 3200

# A loop slightly bigger than memory: then 20 passes over 102 pages. In
# pass 1 every page faults and is evicted in test by the next (102). In
# pass 2 a page that refaults still in test comes back hot and raises m_c
# by one, so HAND_hot turns two dead pages cold; after 50 such promotions
# no dead page is hot, HAND_hot spares the referenced loop pages it finds
# and, moving past them, ends the tests of the pages not yet back (102
# faults again). Each later pass promotes more of the loop (52, 29, 16,
# 10 faults in passes 3 to 6), down to about 4 a pass: 472 in all. LRU
# faults on every reference (2140); exact LIRS, whose stack is not
# bounded, 358. With a loop of 105 or more, more than m pages are
# non-resident between two references to a page, HAND_test ends every
# test, and CLOCK-Pro faults as LRU does, as the paper's would.
awk 'BEGIN { for (j = 0; j < 100; j++) print 5000 + j
	for (p = 0; p < 20; p++) for (i = 0; i < 102; i++) print i }' \
	>"$tmp/cp_loop102"
expect "clockpro learns a loop of 102 pages, 100 frames" \
	"$(faults "$tmp/cp_loop102" 100 clockpro)" 472
expect "lru on the same string" "$(faults "$tmp/cp_loop102" 100 lru)" 2140

# The same loop from an empty memory, 110 pages, 20 passes: here warming
# up decides. Pages 0 to 98 come in hot and 99 to 109 share the one cold
# frame, each evicted in test. From pass 2 on, a page of 99 to 109 that
# faults back in test turns hot, but at the next victim() HAND_hot finds
# every older hot page referenced in this pass, spares them all and turns
# that page cold again: 0 to 98 stay hot for good. 110 faults, then 11 a
# pass: 319, as exact LIRS; LRU, ARC and CAR fault on every reference:
# 2200.
awk 'BEGIN { for (p = 0; p < 20; p++) for (i = 0; i < 110; i++) print i }' \
	>"$tmp/cp_loop"
expect "clockpro on a loop of 110 pages from empty, 100 frames" \
	"$(faults "$tmp/cp_loop" 100 clockpro)" 319
expect "lru on the same loop" "$(faults "$tmp/cp_loop" 100 lru)" 2200

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string policies_test.sh replays on the module, through 256 frames in batches
# of 32. A change to the algorithm moves it.
known clockpro 6190 3812

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
