# SPDX-License-Identifier: GPL-2.0
#
# 2Q (module/policy/policy_2q.c) in the simulator. Sourced by sim_test.sh, whose
# faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Scan resistance through A1out: 10 rounds of 1 2 3 4 then five pages
# never seen before, 8 frames, batch 1: Kin is 2 frames, Kout 4 ids.
#  - Round 1, 9 faults: every page enters A1in; the 9th finds memory full
#    and A1in over Kin, so A1in's oldest, 1, leaves and its id enters
#    A1out.
#  - Round 2, 9 faults. Each of 1 to 4 faults and evicts A1in's oldest
#    first (2, 3, 4, then the first scan page) into A1out; 1 is found in
#    A1out (1 id entered after it, of the 4 A1out holds) and goes to Am,
#    and so do 2, 3 and 4: 4 refaults A1out foresaw. The five new pages
#    each evict A1in's oldest.
#  - From round 3, Am holds 1 to 4 and A1in the other 4 frames, more than
#    Kin, so reclaim always takes A1in's oldest, a scan page: 1 to 4 are
#    hits and only the 5 new pages fault.
# 9 + 9 + 8 * 5 = 58 faults (OPT: 54, the first touch of 1 to 4 and the 50
# scan pages). LRU: 9 distinct pages a round through 8 frames, every
# reference faults: 90. Without A1out (kout_pct=0), 1 to 4 never reach
# Am and go round A1in with the scans: 90 as well.
awk 'BEGIN { s = 100; for (r = 0; r < 10; r++) {
	for (h = 1; h <= 4; h++) print h
	for (i = 0; i < 5; i++) print s++ } }' >"$tmp/2q-scan"
expect "2q keeps 1 to 4 in Am through 5-page scans, 8 frames" \
	"$(faults "$tmp/2q-scan" 8 2q)" 58
expect "2q: 1 to 4 were found in A1out" \
	"$("$swaplab" sim "$tmp/2q-scan" --frames 8 --policy 2q |
	   awk '$1 == "2q" { print $5 }')" 4
expect "2q without A1out (kout_pct=0) loses them" \
	"$(faults "$tmp/2q-scan" 8 2q --knob kout_pct=0)" 90
expect "lru on the same string loses them" \
	"$(faults "$tmp/2q-scan" 8 lru)" 90
expect "opt on the same string" "$(faults "$tmp/2q-scan" 8 opt)" 54

# A1out's capacity, exactly: Kout is 4 ids at 8 frames. 1 to 8 fill
# memory; from 9 on each new page evicts A1in's oldest into A1out, 1
# first. Back after 11, 1 finds 2, 3 and 4 after it (4 evicted to make
# room for it): 3 ids, so it is still in A1out and goes to Am. Back after
# 12, 4 ids came after it: it has left.
# These pin the module's departure from the paper (module/policy/policy_2q.c,
# "Departures from the paper"): the module looks in A1out when it admits
# the page, after the reclaim that made room for it, and that reclaim's
# victim from A1in counts among the ids after it. The paper's 2Q looks in
# A1out before that reclaim: back after 12 it finds 3 ids after 1 and
# counts 1 found, not 0. No knob or simulator option gives the paper's
# order, so only the module's is checked.
{ seq 1 11; echo 1; } >"$tmp/2q-out11"
{ seq 1 12; echo 1; } >"$tmp/2q-out12"
expect "2q (the module's order, reclaim then A1out): an id in A1out with 3 after it is still there" \
	"$("$swaplab" sim "$tmp/2q-out11" --frames 8 --policy 2q |
	   awk '$1 == "2q" { print $5 }')" 1
expect "2q (the module's order, reclaim then A1out; the paper's gives 1): an id in A1out with 4 after it has left" \
	"$("$swaplab" sim "$tmp/2q-out12" --frames 8 --policy 2q |
	   awk '$1 == "2q" { print $5 }')" 0

# References while a page is in A1in are correlated and change nothing:
# 10 pages seen once fill memory, then 10 rounds of 1 2 3 4, a new page,
# 1 2 3 4 again and seven new pages; 10 frames, batch 1: Kin 2, Kout 5.
#  - Round 1, 12 faults: 1 to 4 and the new page each evict one of the 10
#    from A1in; the second 1 2 3 4 are hits in A1in, which 2Q ignores; the
#    seven new pages evict the other 5 of the 10, then 1 and 2, into
#    A1out.
#  - Round 2, 12 faults: 1 evicts 3, 2 evicts 4, 3 and 4 the two oldest
#    new pages, and each is found in A1out (2 ids entered after it, of the
#    5 A1out holds) and goes to Am: 4 refaults A1out foresaw. Then the
#    round's 8 new pages.
#  - From round 3, 1 to 4 are in Am: only the 8 new pages fault.
# 10 + 12 + 12 + 8 * 8 = 98 (OPT 94): S3-FIFO, which moves a page used in
# its small queue, keeps 1 to 4 from round 1 (94); LRU faults 130.
awk 'BEGIN { for (c = 51; c <= 60; c++) print c; s = 100
	for (r = 0; r < 10; r++) { for (h = 1; h <= 4; h++) print h; print s++
		for (h = 1; h <= 4; h++) print h
		for (i = 0; i < 7; i++) print s++ } }' >"$tmp/2q-correlated"
expect "2q ignores references in A1in: 1 to 4 reach Am through A1out" \
	"$(faults "$tmp/2q-correlated" 10 2q)" 98
expect "2q: 1 to 4 were found in A1out" \
	"$("$swaplab" sim "$tmp/2q-correlated" --frames 10 --policy 2q |
	   awk '$1 == "2q" { print $5 }')" 4
expect "lru on the same string" "$(faults "$tmp/2q-correlated" 10 lru)" 130

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string of 1200 pages and 24000 references that policies_test.sh replays on
# the module, through 256 frames in batches of 32 with no timed tick, as
# the module runs it; any change to the algorithm moves it.
known 2q 6811 4080

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
