# SPDX-License-Identifier: GPL-2.0
#
# Random (module/policy/policy_random.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# A loop a little larger than memory: 110 pages, 20 passes, through 100
# frames ($tmp/loop110 from sim_test.sh). LRU, FIFO and clock each evict
# exactly the page the loop needs next and fault on every reference
# (2200). Random evicts the page needed next only by chance, 1 time in
# 100, so most of the loop stays. With each victim drawn uniformly among
# the resident pages, the faults average 477 with a deviation of 11 (400
# runs of a model drawing so); the simulator's generator is seeded, so its
# count is the same every run (476). The test holds 477 +- 5 deviations,
# 422 to 532, not the draw: a draw that favours some pages (one that
# reaches only the tree's left spine gives 361) falls out.
r=$(faults "$tmp/loop110" 100 random)
l=$(faults "$tmp/loop110" 100 lru)
o=$(faults "$tmp/loop110" 100 opt)
if [ -n "$r" ] && [ -n "$l" ] && [ -n "$o" ] && [ "$l" = 2200 ] &&
   [ "$o" = 300 ] && [ "$r" -ge 422 ] && [ "$r" -le 532 ]; then
	ok "random on a loop of 110 pages, 100 frames: $r faults (a uniform draw: 422 to 532), lru $l, opt $o"
else
	not_ok "random on a loop of 110 pages, 100 frames: ${r:-missing} faults (a uniform draw: 422 to 532), lru ${l:-missing} (2200 wanted), opt ${o:-missing} (300 wanted)"
fi
