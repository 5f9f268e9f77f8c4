# SPDX-License-Identifier: GPL-2.0
#
# A string in phases, for the adaptive policy's tests (policies/adapt.sh
# in the simulator, policies_test.sh on the module): first, O pages read
# twice in a scrambled order (none by default); a loop of L pages,
# P passes; then S sets of K pages, one after the other, each read R
# times in a scrambled order (a different one each pass); then F
# references where frequency tells (half of them to H hot pages, the
# rest to pages read once or twice, far apart); then the loop again, on
# pages of its own. One page number a line. The draws are Park and
# Miller's minimal standard generator, exact in any awk.
#
# Usage: awk [-v O=...] -v L=... -v P=... -v S=... -v K=... -v R=... [-v F=... -v H=...] \
#	-f adapt_phases.awk

function loop(base, n, passes,   p, x) {
	for (p = 0; p < passes; p++)
		for (x = 0; x < n; x++)
			print base + x
}

# A draw in 0..n-1.
function draw(n) {
	seed = (seed * 16807) % 2147483647
	return seed % n
}

# F references: half to H hot pages, a quarter to new pages, a quarter
# to one of those read once so far (while more than 50 wait), at random.
# LFU keeps the hot pages; recency and CLOCK-Pro keep the new ones too.
function freq(n, hot,   i, j, next_page, waiting) {
	seed = 1
	next_page = 3000000
	waiting = 0
	for (i = 0; i < n; i++) {
		j = draw(4)
		if (j < 2) {
			print 4000000 + draw(hot)
		} else if (j == 2 || waiting <= 50) {
			print next_page
			once[waiting++] = next_page++
		} else {
			j = draw(waiting)
			print once[j]
			once[j] = once[--waiting]
		}
	}
}

BEGIN {
	for (r = 0; r < 2; r++)
		for (i = 0; i < O; i++)
			print 5000000 + (i * (2 * r + 7) * 7919) % O
	loop(1000000, L, P)
	for (s = 0; s < S; s++)
		for (r = 0; r < R; r++)
			for (i = 0; i < K; i++)
				print s * K + (i * (2 * r + 7) * 7919) % K
	freq(F + 0, H + 0)
	loop(2000000, L, P)
}
