# SPDX-License-Identifier: GPL-2.0
#
# S3-FIFO (module/policy/policy_s3fifo.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Scan resistance through the ghost queue: 10 rounds of 1 2 3 4 then eight
# pages never seen before, 10 frames, batch 1: S holds 1 frame's worth, M
# 9, G 9 ids.
#  - Round 1, 12 faults. The first 10 fill memory and wait on the pending
#    list; at the 11th, victim() puts all 10 in S at counter 0 (their
#    faults' references cleared). M is empty, so S's tail goes: 1 leaves
#    memory and enters G; at the 12th, 2 does.
#  - Round 2, 12 faults. Each of 1 to 4 faults and evicts S's tail into G
#    first (3, 4, then the two oldest scan pages); 1 is found in G (2 ids
#    entered after it, of the 9 G holds) and goes to M, and so do 2, 3
#    and 4: 4 refaults G foresaw. The eight new pages each evict S's tail.
#  - From round 3, M holds 1 to 4, under its 9 frames, so reclaim always
#    takes S's tail, a scan page seen once: 1 to 4 are hits, and only the
#    8 new pages fault.
# 12 + 12 + 8 * 8 = 88 faults (OPT: 84, the first touch of 1 to 4 and the
# 80 scan pages). LRU: 12 distinct pages a round through 10 frames, every
# reference faults: 120. Without G (ghost_pct=0), 1 to 4 never reach M,
# each is evicted from S unused after its fault: 120 as well.
awk 'BEGIN { s = 100; for (r = 0; r < 10; r++) {
	for (h = 1; h <= 4; h++) print h
	for (i = 0; i < 8; i++) print s++ } }' >"$tmp/s3fifo-scan"
expect "s3fifo keeps 1 to 4 in M through 8-page scans, 10 frames" \
	"$(faults "$tmp/s3fifo-scan" 10 s3fifo)" 88
expect "s3fifo: 1 to 4 were found in G" \
	"$("$swaplab" sim "$tmp/s3fifo-scan" --frames 10 --policy s3fifo |
	   awk '$1 == "s3fifo" { print $5 }')" 4
expect "s3fifo without G (ghost_pct=0) loses them" \
	"$(faults "$tmp/s3fifo-scan" 10 s3fifo --knob ghost_pct=0)" 120
expect "lru on the same string loses them" \
	"$(faults "$tmp/s3fifo-scan" 10 lru)" 120
expect "opt on the same string" "$(faults "$tmp/s3fifo-scan" 10 opt)" 84

# G's capacity, exactly: 9 ids at 10 frames. 1 to 10 fill memory; from 11
# on each new page drops S's oldest into G, 1 first. Back after 18, 1
# finds 2 to 9 after it in G (9 dropped to make room for it): 8 ids, so
# it is still there. Back after 19, 9 ids came after it: it has left.
# These pin the module's order (module/policy/policy_s3fifo.c, "Departures from
# the paper"): the reclaim that makes room for the page comes first and
# its victim's id counts among those after it, and a hit does not take
# the id out of G. libCacheSim's S3-FIFO takes the id out of G before it
# evicts: back after 19 it finds 8 ids after 1 and counts 1 found, not 0.
# No knob or simulator option gives that order, so only the module's is
# checked.
{ seq 1 18; echo 1; } >"$tmp/s3fifo-g18"
{ seq 1 19; echo 1; } >"$tmp/s3fifo-g19"
expect "s3fifo (the module's order, reclaim then G): an id in G with 8 after it is still there" \
	"$("$swaplab" sim "$tmp/s3fifo-g18" --frames 10 --policy s3fifo |
	   awk '$1 == "s3fifo" { print $5 }')" 1
expect "s3fifo (the module's order, reclaim then G; libCacheSim's gives 1): an id in G with 9 after it has left" \
	"$("$swaplab" sim "$tmp/s3fifo-g19" --frames 10 --policy s3fifo |
	   awk '$1 == "s3fifo" { print $5 }')" 0

# Promotion from S by use, with G off (ghost_pct=0) so that it is the only
# way into M: 10 pages seen once fill memory, then 10 rounds of 1 2 3 4, a
# new page, 1 2 3 4 again and seven new pages; 10 frames, batch 1.
#  - The 10 fill memory and wait on the pending list. Round 1: 1 faults,
#    victim() puts the 10 in S at counter 0 and evicts the oldest; 2, 3,
#    4 and the new page each evict the next one, and each fault moves the
#    page before it into S, its fault's reference cleared. The second
#    1 2 3 4 are hits, after that: their bits are set. Five of the
#    seven new pages evict the other 5 of the 10; the sixth finds 1 to 4
#    at S's tail, used: they move to M, and the round's first new page
#    goes; the seventh evicts the second. 12 faults.
#  - From round 2, M holds 1 to 4, under its 9 frames, so reclaim always
#    takes S's tail: only the 8 new pages of a round fault.
# 10 + 12 + 9 * 8 = 94, which is OPT (every new page must fault). LRU: the
# second 1 2 3 4 are hits, but the seven new pages push 1 out and the
# next round's 1 2 3 4 evict each other: 10 + 10 * 12 = 130.
awk 'BEGIN { for (c = 51; c <= 60; c++) print c; s = 100
	for (r = 0; r < 10; r++) { for (h = 1; h <= 4; h++) print h; print s++
		for (h = 1; h <= 4; h++) print h
		for (i = 0; i < 7; i++) print s++ } }' >"$tmp/s3fifo-promote"
expect "s3fifo moves 1 to 4, used in S, to M, 10 frames, no G" \
	"$(faults "$tmp/s3fifo-promote" 10 s3fifo --knob ghost_pct=0)" 94
expect "lru on the same string" "$(faults "$tmp/s3fifo-promote" 10 lru)" 130
expect "opt on the same string" "$(faults "$tmp/s3fifo-promote" 10 opt)" 94

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string of 1200 pages and 24000 references that policies_test.sh replays on
# the module, through 256 frames in batches of 32, ticking only at
# reclaim (no timed tick), as the module runs it; any change to the
# algorithm moves it.
known s3fifo 6018 3721

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
