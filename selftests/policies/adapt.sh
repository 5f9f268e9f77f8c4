# SPDX-License-Identifier: GPL-2.0
#
# adapt (module/policy/policy_adapt.c) in the simulator. Sourced by
# sim_test.sh, whose faults, expect, ok, not_ok, $tmp and $swaplab it uses.

# The strings (adapt_phases.awk): a loop of L pages, P passes (CLOCK-Pro
# keeps most of it, LRU-like gen none); then S sets of K pages, each read
# R times in a scrambled order (gen takes each new set at once; CLOCK-Pro
# admits its pages cold, loses most before their second use and faults
# on them again); then the loop again, on pages of its own. 1000 frames:
# each set fits, the loop does not. The frequency phase: 60000
# references, half of them to 600 hot pages, the rest to pages read once
# or twice far apart (LFU keeps the hot pages; the others let the new
# ones push them out).
awk -v L=1500 -v P=8 -v S=0 -v K=900 -v R=4 -f "$here/adapt_phases.awk" >"$tmp/adapt-loop"
awk -v L=0 -v P=0 -v S=16 -v K=900 -v R=4 -f "$here/adapt_phases.awk" >"$tmp/adapt-sets"
awk -v L=1500 -v P=8 -v S=8 -v K=900 -v R=4 -f "$here/adapt_phases.awk" >"$tmp/adapt-phases"
awk -v L=0 -v P=0 -v S=0 -v F=60000 -v H=600 -f "$here/adapt_phases.awk" >"$tmp/adapt-freq"
awk -v L=1500 -v P=8 -v S=8 -v K=900 -v R=4 -v F=60000 -v H=600 \
	-f "$here/adapt_phases.awk" >"$tmp/adapt-all"

# adapt_counts TRACE: the faults of clockpro, gen and adapt, 1000 frames.
adapt_counts() {
	"$swaplab" sim "$1" --frames 1000 |
		awk '$1 == "clockpro" { c = $2 } $1 == "gen" { g = $2 }
		     $1 == "adapt" { a = $2 } END { print c + 0, g + 0, a + 0 }'
}

# experts TRACE: the faults of clockpro, gen, s3fifo, lfu and adapt.
experts() {
	"$swaplab" sim "$1" --frames 1000 |
		awk '{ f[$1] = $2 }
		     END { print f["clockpro"] + 0, f["gen"] + 0, f["s3fifo"] + 0,
			   f["lfu"] + 0, f["adapt"] + 0 }'
}

# stays_clockpro TRACE WHAT: adapt faults as clockpro, which beats gen.
stays_clockpro() {
	read -r c g a <<EOT
$(adapt_counts "$1")
EOT
	if [ "$a" = "$c" ] && [ "$c" -lt "$g" ]; then
		ok "adapt stays with clockpro $2 ($a faults, clockpro $c, gen $g)"
	else
		not_ok "adapt $2: $a faults, clockpro $c, gen $g (expected clockpro's)"
	fi
}

# A loop alone: CLOCK-Pro, followed first, is the best expert, and
# adapt stays with it, fault for fault.
stays_clockpro "$tmp/adapt-loop" "on a loop"

# Sets alone: gen's miniature wins, and adapt switches to it: fewer
# faults than CLOCK-Pro's by at least half of what gen saves, and at
# most an eighth more than gen's (the cost of learning and switching).
read -r c g a <<EOT
$(adapt_counts "$tmp/adapt-sets")
EOT
if [ "$g" -lt "$c" ] && [ $((2 * (c - a))) -ge $((c - g)) ] &&
   [ $((8 * a)) -le $((9 * g)) ]; then
	ok "adapt follows gen on changing sets ($a faults, gen $g, clockpro $c)"
else
	not_ok "adapt on changing sets: $a faults, gen $g, clockpro $c (expected within an eighth of gen, half of gen's gain over clockpro)"
fi

# The loop, the sets, the loop again: adapt must leave CLOCK-Pro for gen
# in the sets and come back for the loop, and so fault less than either
# alone. Following one expert throughout gives that expert's count.
read -r c g a <<EOT
$(adapt_counts "$tmp/adapt-phases")
EOT
if [ "$a" -lt "$c" ] && [ "$a" -lt "$g" ]; then
	ok "adapt switches to gen for the sets and back for the loop: $a faults, fewer than clockpro's $c and gen's $g"
else
	not_ok "adapt on loop, sets, loop: $a faults, clockpro $c, gen $g (expected fewer than both)"
fi

# A short opening before a long loop: 300 pages read twice, where gen's
# miniature leads at first (CLOCK-Pro admits them cold), then the loop.
# The lead is real but smaller than what a switch costs (the new expert
# starts empty: an eighth of the memory), so adapt stays with CLOCK-Pro,
# fault for fault; switching to gen and back costs more than the lead.
awk -v O=300 -v L=1500 -v P=8 -v S=0 -f "$here/adapt_phases.awk" >"$tmp/adapt-opening"
stays_clockpro "$tmp/adapt-opening" "for a lead below a switch's cost (a short opening, then a loop)"

# The frequency phase alone: LFU's miniature wins, and adapt follows it:
# fewer faults than any other expert, at most an eighth more than LFU's.
read -r c g s3 l a <<EOT
$(experts "$tmp/adapt-freq")
EOT
if [ "$l" -lt "$c" ] && [ "$l" -lt "$g" ] && [ "$l" -lt "$s3" ] &&
   [ "$a" -lt "$c" ] && [ "$a" -lt "$g" ] && [ "$a" -lt "$s3" ] &&
   [ $((8 * a)) -le $((9 * l)) ]; then
	ok "adapt follows lfu where frequency tells ($a faults, lfu $l, clockpro $c, gen $g, s3fifo $s3)"
else
	not_ok "adapt where frequency tells: $a faults, lfu $l, clockpro $c, gen $g, s3fifo $s3 (expected within an eighth of lfu, below the others)"
fi

# Loop, sets, frequency, loop: each phase has its own best expert, and
# following any one throughout faults more than adapt, which changes.
read -r c g s3 l a <<EOT
$(experts "$tmp/adapt-all")
EOT
if [ "$a" -lt "$c" ] && [ "$a" -lt "$g" ] && [ "$a" -lt "$s3" ] && [ "$a" -lt "$l" ]; then
	ok "adapt on loop, sets, frequency, loop: $a faults, fewer than every expert alone (clockpro $c, gen $g, s3fifo $s3, lfu $l)"
else
	not_ok "adapt on loop, sets, frequency, loop: $a faults, clockpro $c, gen $g, s3fifo $s3, lfu $l (expected fewer than each)"
fi

# Its knobs: a miniature smaller than the budget takes a sample of the
# pages, and the same string gives the same count every time (no random
# number is drawn); at its smallest it still follows gen on the sets.
a1=$("$swaplab" sim "$tmp/adapt-sets" --frames 1000 --policy adapt \
	--knob mini_frames=32 | awk '$1 == "adapt" { print $2 }')
a2=$("$swaplab" sim "$tmp/adapt-sets" --frames 1000 --policy adapt \
	--knob mini_frames=32 | awk '$1 == "adapt" { print $2 }')
read -r c g a <<EOT
$(adapt_counts "$tmp/adapt-sets")
EOT
if [ -n "$a1" ] && [ "$a1" = "$a2" ] && [ "$a1" -lt "$c" ]; then
	ok "adapt with mini_frames=32 on changing sets: $a1 faults both times, below clockpro's $c"
else
	not_ok "adapt with mini_frames=32 on changing sets: '$a1' then '$a2' faults, clockpro $c"
fi
for bad in mini_frames=31 mini_frames=257 margin_pct=51; do
	"$swaplab" sim "$tmp/adapt-sets" --frames 1000 --policy adapt \
		--knob $bad >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q "^swaplab: --knob $bad: adapt's" "$tmp/err" &&
	   [ ! -s "$tmp/out" ]; then
		ok "adapt --knob $bad: refused, exit 2: $(cat "$tmp/err")"
	else
		not_ok "adapt --knob $bad: exit $rc, expected 2 with a message and no table"
	fi
done

# Its own counts (--stats): on the loop it follows clockpro (0) and
# never switches; on the changing sets it follows gen (1), having
# switched; the references it replayed are counted.
st_loop=$("$swaplab" sim "$tmp/adapt-loop" --frames 1000 --policy adapt --stats |
	awk '$1 == "stats"')
st_sets=$("$swaplab" sim "$tmp/adapt-sets" --frames 1000 --policy adapt --stats |
	awk '$1 == "stats"')
case "$st_loop" in
*" followed 0 switches 0 sampled_refs "[1-9]*) loop_ok=1 ;;
*) loop_ok= ;;
esac
case "$st_sets" in
*" followed 1 switches "[1-9]*" sampled_refs "[1-9]*) sets_ok=1 ;;
*) sets_ok= ;;
esac
if [ -n "$loop_ok" ] && [ -n "$sets_ok" ]; then
	ok "adapt --stats: on the loop '$(echo $st_loop)'; on the sets '$(echo $st_sets)'"
else
	not_ok "adapt --stats: on the loop '$st_loop' (expected followed 0, no switch); on the sets '$st_sets' (expected followed 1, switched)"
fi

# The miniatures are the evidence: with the budget at most mini_frames
# every page is sampled (R = 1), and each miniature must fault near its
# expert run alone, within 6%, on changing sets of 200 pages through 256
# frames and where frequency tells (150 hot pages). A miniature that
# missed the hits made between its looks, or took the fault's own mark
# for a hit, misjudges its expert by up to 30% there.
awk -v L=0 -v P=0 -v S=16 -v K=200 -v R=4 -f "$here/adapt_phases.awk" >"$tmp/adapt-sets200"
awk -v L=0 -v P=0 -v S=0 -v F=20000 -v H=150 -f "$here/adapt_phases.awk" >"$tmp/adapt-freq150"
for t in sets200 freq150; do
	dev=$("$swaplab" sim "$tmp/adapt-$t" --frames 256 --stats |
		awk '$1 == "clockpro" || $1 == "gen" || $1 == "s3fifo" || $1 == "lfu" { alone[$1] = $2 }
		     $1 == "stats" { for (i = 2; i < NF; i += 2) {
				n = $i; if (sub("_mini_faults$", "", n)) mini[n] = $(i + 1) } }
		     END { bad = 0
			   for (e in alone) {
				d = alone[e] ? (mini[e] - alone[e]) * 100 / alone[e] : 100
				if (!(e in mini) || d > 6 || d < -6) bad = 1
				printf "%s %d (alone %d), ", e, mini[e], alone[e]
			   }
			   print (length(alone) == 4 ? "" : "experts missing, ") (bad ? "OFF" : "near") }')
	case "$dev" in
	*near) ok "adapt's miniatures at R = 1 on $t: $dev" ;;
	*) not_ok "adapt's miniatures at R = 1 on $t: $dev (expected each within 6% of its expert alone)" ;;
	esac
done

# The known counts (sim_test.sh's known, whole and resized): the zipf
# string of 1200 pages and 24000 references that policies_test.sh replays on
# the module, through 256 frames in batches of 32 with no timed tick, as
# the module runs it. The miniatures hold as many frames as memory (R =
# 1), and no expert beats CLOCK-Pro by enough to be followed: its counts.
known adapt 6190 3812
