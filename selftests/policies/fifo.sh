# SPDX-License-Identifier: GPL-2.0
#
# FIFO (module/policy/policy_fifo.c) in the simulator. Sourced by sim_test.sh,
# whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# Belady's anomaly on Tanenbaum's string 1 2 3 4 1 2 5 1 2 3 4 5
# ($tmp/belady from sim_test.sh), worked by hand: FIFO faults 9 times
# with 3 frames and 10 times with 4, because with 4 frames page 5 evicts
# page 1 just before it is used again. A policy that keeps any order but
# arrival (LRU gives 10 and 8) breaks one of the two counts.
expect "Belady's anomaly, fifo, 3 frames" "$(faults "$tmp/belady" 3 fifo)" 9
expect "Belady's anomaly, fifo, 4 frames" "$(faults "$tmp/belady" 4 fifo)" 10

# One page referenced on every other reference among a stream of new
# pages, through 4 frames: FIFO evicts it as soon as four newer pages
# came in, however often it is used, so it faults once per 4 new pages
# after the first (LRU keeps it and faults on it once).
awk 'BEGIN { for (i = 1; i <= 200; i++) print "0\n" i }' >"$tmp/fifo_hot"
f=$(faults "$tmp/fifo_hot" 4 fifo)
l=$(faults "$tmp/fifo_hot" 4 lru)
expect "fifo evicts a page used every other reference, 4 frames" "$f:$l" "250:201"

# Its known counts on the zipf string at the module's batch, whole and
# resized (sim_test.sh's known).
known fifo 8418 4779
