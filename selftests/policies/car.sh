# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # $tmp: set by sim_test.sh, which sources this
#
# CAR (module/policy/policy_car.c) in the simulator. Sourced by sim_test.sh, which
# defines faults, expect, ok, not_ok, $tmp and $swaplab, and has made
# $tmp/zipf1200.

# Scan resistance: memory is first filled with 100 pages used once, then
# 30 rounds of a hot set of 50 pages, each page's first reference followed
# by a page never seen before, the hot set again, and 50 more new pages:
# 100 frames. A hot page's second reference comes after at least one
# fault, so after the harvest that cleared its fault's reference: T1's
# hand finds it referenced and moves it to T2. No page ever refaults, so p
# stays 0 and the replacement always takes from T1, which always holds
# new pages: the hot set never leaves T2. Faults: the 100 pages of the
# fill, 50 first touches of the hot set, 100 new pages a round: 3150, as
# exact ARC and OPT. LRU loses hot pages to the new ones (their reuse
# distance, about 100 pages, is the memory): 4571.
awk 'BEGIN { for (j = 0; j < 100; j++) print 5000 + j
	s = 1000; for (r = 0; r < 30; r++) {
	for (h = 0; h < 50; h++) { print h; print s++ }
	for (h = 0; h < 50; h++) print h
	for (i = 0; i < 50; i++) print s++ } }' >"$tmp/car_scan"
expect "car keeps a hot set in T2 through scans, 100 frames" \
	"$(faults "$tmp/car_scan" 100 car)" 3150
expect "lru on the same string" "$(faults "$tmp/car_scan" 100 lru)" 4571
expect "arc on the same string" "$(faults "$tmp/car_scan" 100 arc)" 3150

# The fault's own reference is not a hit: sim_test.sh's scan string (a hot
# set of 50 referenced twice in a row, then 100 new pages, 30 times, 100
# frames). ARC faults 3050 times. CAR cannot see the hot set's second
# references in round 1, made before memory filled and so before any
# harvest: they read as the faults' references, the hot pages stay in T1
# and leave with the scan (B1 holds at most one ghost while T1 fills
# memory), and all 50 fault again in round 2 (+50). From then on page 49,
# whose second reference follows its refault with no fault in between,
# goes the same way once a round, rounds 3 to 30 (+28): 3128. LRU: 4500.
awk 'BEGIN { s = 1000; for (r = 0; r < 30; r++) {
	for (k = 0; k < 2; k++) for (h = 0; h < 50; h++) print h
	for (i = 0; i < 100; i++) print s++ } }' >"$tmp/car_scan2"
expect "car: a reference before the first harvest reads as the fault's" \
	"$(faults "$tmp/car_scan2" 100 car)" 3128
expect "lru on the same string" "$(faults "$tmp/car_scan2" 100 lru)" 4500

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string policies_test.sh replays on the module, through 256 frames in batches
# of 32. A change to the algorithm moves it.
known car 6284 4037

# Its bounds (OPT, distinct pages) are in sim_test.sh's check of every
# policy on a string with locality.
