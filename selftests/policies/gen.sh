# SPDX-License-Identifier: GPL-2.0
#
# Generations (module/policy/policy_gen.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it
# uses.

# Scan resistance: pages 1 and 2 used twice, then 20 rounds of 1, 2 and
# three pages never seen before; 4 frames, batch 1, the default tick
# (every 4 references, the frames).
#  - 1 and 2 fault (2) into probation. The tick before the fifth
#    reference takes their bits for their faults' and marks them seen;
#    the one before the ninth finds them used again (round 1 begins with
#    them) and promotes them to protected.
#  - Round 1: 100 and 101 fill memory, in probation. 102 faults with
#    probation at 2 frames, not over ARC's target (half the budget, 2):
#    protected loses its oldest, 1.
#  - Round 2: 1 faults again (the one refault). Its victim comes from
#    probation, now 3 pages, over the target: 100. 1 left protected 2
#    evictions ago, within the budget: a ghost hit in protected, so it is
#    admitted to the youngest protected generation, its tier raised, the
#    refault counted as predicted, and the target drops to 1. From then
#    on each fault finds probation at 2 pages, over the target, and
#    evicts its oldest new page; 1 and 2 are promoted again at each tick
#    that finds them used.
#  - No new page comes back and no protected page leaves again, so the
#    target stays at 1.
# So gen faults 2 + 3 a round + the one refault: 63; OPT 62. LRU: round 1
# faults only on the three new pages (1 and 2 were just used), and from
# then on the three new pages push 1 out, 1 evicts 2, 2 a new page: 2 + 3
# + 19 * 5 = 100.
awk 'BEGIN { print 1; print 2; print 1; print 2; s = 100
	for (r = 0; r < 20; r++) { print 1; print 2
		for (i = 0; i < 3; i++) print s++ } }' >"$tmp/gen-scan"
expect "gen keeps 1 and 2 through 3-page scans, 4 frames" \
	"$(faults "$tmp/gen-scan" 4 gen)" 63
expect "lru on the same string loses them" \
	"$(faults "$tmp/gen-scan" 4 lru)" 100
expect "opt on the same string" "$(faults "$tmp/gen-scan" 4 opt)" 62
expect "gen predicted its one refault (a ghost hit)" \
	"$("$swaplab" sim "$tmp/gen-scan" --frames 4 --policy gen |
		awk '$1 == "gen" { print $4 "/" $5 }')" 1/1

# The same with ticks from reclaim only, as the module runs under load:
# a hot set of 50 pages used twice, then 100 pages never seen again, 30
# times, through 100 frames in batches of 32 (sim_test.sh's scan string).
# LRU faults on every reference to the hot set after the first round
# (4500); OPT keeps it (3050).
awk 'BEGIN { s = 1000; for (r = 0; r < 30; r++) {
	for (k = 0; k < 2; k++) for (h = 0; h < 50; h++) print h
	for (i = 0; i < 100; i++) print s++ } }' >"$tmp/gen-scan100"
expect "gen on a hot set and scans, 100 frames, batch 32, reclaim ticks: the known count" \
	"$(faults "$tmp/gen-scan100" 100 gen --batch 32 --tick 100000000)" 3294
expect "lru on the same string" \
	"$(faults "$tmp/gen-scan100" 100 lru --batch 32)" 4500

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string of 1200 pages and 24000 references that policies_test.sh replays on
# the module, through 256 frames in batches of 32 with no timed tick, as
# the module runs it; any change to the algorithm moves it.
known gen 6314 3847

# Bounds on a string with locality: never fewer faults than OPT with the
# same batch, nor than there are distinct pages; for each number of
# generations.
awk 'BEGIN { srand(17); for (i = 0; i < 20000; i++)
	print int(rand() * rand() * 400) }' >"$tmp/gen-local"
gen_distinct=$(sort -un "$tmp/gen-local" | wc -l)
for gen_n in 32 100 200; do
	for gen_b in 1 32; do
		gen_o=$(faults "$tmp/gen-local" $gen_n opt --batch $gen_b)
		for gen_g in 2 4; do
			gen_f=$(faults "$tmp/gen-local" $gen_n gen --batch $gen_b \
				--knob nr_gens=$gen_g)
			if [ -n "$gen_f" ] && [ -n "$gen_o" ] &&
			   [ "$gen_f" -ge "$gen_o" ] &&
			   [ "$gen_o" -ge "$gen_distinct" ]; then
				ok "gen (nr_gens $gen_g) $gen_f >= opt $gen_o >= $gen_distinct pages, $gen_n frames, batch $gen_b"
			else
				not_ok "gen=$gen_f (nr_gens $gen_g) opt=$gen_o distinct=$gen_distinct, $gen_n frames, batch $gen_b"
			fi
		done
	done
done

# A cut of the budget clamps the target (gen_resize()). A loop of 288
# pages twice through 256 frames: its ghost hits in probation leave the
# target at 224. The budget is then cut to 128 (--resize), and 80 rounds
# follow of 32 hot pages and 16 pages never seen before: 48 pages a
# round, so LRU keeps the hot pages (576 + 32 + 80 * 16 = 1888 faults).
# gen takes from probation only while it holds more than the target;
# with the target at 128, never, so it evicts the protected hot pages
# until their ghost hits in protected bring the target below
# probation's size, and the scans go first from then on. From 128 that
# takes fewer hits than from 224, where the target would stay without
# the clamp: 1729 faults, and 1825 without the clamp.
awk 'BEGIN { for (k = 0; k < 2; k++) for (i = 0; i < 288; i++) print i
	s = 20000; for (r = 0; r < 80; r++) {
		for (h = 0; h < 32; h++) print 10000 + h
		for (i = 0; i < 16; i++) print s++ } }' >"$tmp/gen-cut"
expect "gen after a cut to half the budget: the known count" \
	"$(faults "$tmp/gen-cut" 256 gen --resize 576:128 --tick 100000000)" 1729
expect "lru on the same string keeps the hot pages" \
	"$(faults "$tmp/gen-cut" 256 lru --resize 576:128)" 1888

# The kinds of page and swappiness, from the knob's definition rather
# than from gen's order: two anonymous pages, 1 and 2, then 20 rounds of
# 1, 2 and two pages of a file never seen before; 4 frames, batch 1.
#  - At 0 an anonymous page goes only when no page of a file is
#    resident. Memory full holds 1 and 2 and two file pages, so 1 and 2
#    fault once: 2, and 2 a round for the new file pages: 42. At 100,
#    with no refault at all, each kind's rate is 1 over its evictions
#    plus 32, and the file's is never above the other's: 42 too.
#  - At 200 a file page goes only when no anonymous one is resident.
#    Round 1 fills memory (4). Round 2: 1 and 2 are resident; its two
#    file pages evict them (2). From round 3 on, each round starts with
#    four file pages resident: 1 evicts a file page, 2 evicts 1, the
#    first new file page evicts 2 and the second a file page: 4 a round,
#    4 + 2 + 18 * 4 = 78.
#  - An executable page of a file is of its kind, no more protected: x
#    in place of f gives the same.
awk 'BEGIN { s = 10; for (r = 0; r < 20; r++) {
	print 1; print 2; print s++ "f"; print s++ "f" } }' >"$tmp/gen-kinds"
sed 's/f$/x/' "$tmp/gen-kinds" >"$tmp/gen-kinds-x"
expect "gen at swappiness 0 keeps the anonymous pages through file scans" \
	"$(faults "$tmp/gen-kinds" 4 gen --swappiness 0)" 42
expect "gen at swappiness 100, no refault: the file's pages go" \
	"$(faults "$tmp/gen-kinds" 4 gen --swappiness 100)" 42
expect "gen at swappiness 200 evicts the anonymous pages first" \
	"$(faults "$tmp/gen-kinds" 4 gen --swappiness 200)" 78
expect "gen at swappiness 200, the file's pages executable" \
	"$(faults "$tmp/gen-kinds-x" 4 gen --swappiness 200)" 78
