#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of `swaplab sim`, the trace simulator that runs the module's own
# policy code in userspace. Needs no module: make check runs it on the
# host. TAP lines; exit 1 on any failure.
#
# The plan: the number of results the script gives when it runs through
# (PLANNED, below). A check that vanishes, or a script that stops early,
# gives fewer, and the last line says so and fails. Adding a check
# means raising it.
#
# SWAPLAB: the swaplab CLI (default: userspace/swaplab beside this tree).

PLANNED=421
here=$(dirname "$0")
swaplab=${SWAPLAB:-$here/../userspace/swaplab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
echo "1..$PLANNED"

# Each result is counted in a file, as some are given in subshells.
ok() { echo "ok - sim: $*"; echo >>"$tmp/results"; }
not_ok() { echo "not ok - sim: $*"; echo >>"$tmp/results"; status=1; }

# faults TRACE FRAMES POLICY [ARGS...]: the simulator's fault count
faults() {
	t=$1 n=$2 p=$3
	shift 3
	"$swaplab" sim "$t" --frames "$n" --policy "$p" "$@" |
		awk -v p="$p" '$1 == p { print $2 }'
}

expect() {
	if [ "$2" = "$3" ]; then ok "$1: $2"; else not_ok "$1: $2, expected $3"; fi
}

# Exact LRU and OPT on Tanenbaum's string (policies/fifo.sh has FIFO's
# anomaly on it), worked by hand.
echo "1 2 3 4 1 2 5 1 2 3 4 5" >"$tmp/belady"
expect "lru on Belady's string, 3 frames" "$(faults "$tmp/belady" 3 lru)" 10
expect "lru on Belady's string, 4 frames" "$(faults "$tmp/belady" 4 lru)" 8
expect "opt on Belady's string, 3 frames" "$(faults "$tmp/belady" 3 opt)" 7
expect "opt on Belady's string, 4 frames" "$(faults "$tmp/belady" 4 opt)" 6

# Policy quality: aging takes at most 1.1x the major faults of exact LRU
# on each generated workload, 4096 pages through 1024 and 512 frames.
# Major faults leave out each page's first touch, a zero-fill (minor)
# fault on the real system.
for w in zipf loop shift hotcold; do
	"$swaplab" gen $w --pages 4096 >"$tmp/$w"
	d=$(sort -u "$tmp/$w" | wc -l)
	for n in 1024 512; do
		a=$(faults "$tmp/$w" $n aging)
		l=$(faults "$tmp/$w" $n lru)
		if [ -z "$a" ] || [ -z "$l" ]; then
			not_ok "aging or lru on $w, $n frames: no count (aging '$a', lru '$l')"
			continue
		fi
		a=$((a - d)) l=$((l - d))
		if [ $((a * 10)) -le $((l * 11)) ]; then
			ok "aging within 1.1x of lru on $w, $n frames ($a against $l major faults)"
		else
			not_ok "aging $a, lru $l major faults on $w, $n frames: over 1.1x"
		fi
	done
done

# A string with locality: OPT (evicting as many at once) is a lower bound
# for every policy the simulator has, one page or 32 evicted at a time
# (but exact ARC and LIRS, which evict one at a time anyway), and every
# policy faults at least once per distinct page. The policies' own files
# in policies/ rely on this for their bounds.
awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++)
	print int(rand() * rand() * 400) }' >"$tmp/local"
distinct=$(sort -un "$tmp/local" | wc -l)
all=$("$swaplab" sim "$tmp/local" --frames 8 | awk 'NR > 1 && $1 != "opt" { print $1 }')
# Every policy file the simulator shares (module/policy/: the module-only
# ones, which call the kernel, are in module/ext/), and exact LRU, ARC
# and LIRS: a policy that drops out of "all", or a new file the simulator
# lacks, fails.
want=$(for f in "$here"/../module/policy/policy_*.c; do
	p=${f##*/policy_}; echo "${p%.c}"; done
	echo lru; echo arc; echo lirs)
want=$(echo "$want" | sort | tr '\n' ' ')
got=$(echo "$all" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
expect "policies in sim's all: the module's shared files and exact lru, arc, lirs" \
	"$got" "$want"
for n in 32 100 200; do
	for b in 1 32; do
		opt=$(faults "$tmp/local" "$n" opt --batch $b)
		bad=
		for p in $all; do
			# Exact ARC and LIRS evict one at a time whatever --batch.
			case $b/$p in 32/arc|32/lirs) continue ;; esac
			f=$(faults "$tmp/local" "$n" "$p" --batch $b)
			[ -n "$f" ] && [ "$f" -ge "$opt" ] && [ "$opt" -ge "$distinct" ] ||
				bad="$bad $p=$f"
		done
		if [ -z "$bad" ] && [ -n "$opt" ] && [ "$got" = "$want" ]; then
			ok "opt ($opt) <= each of $(echo $all | wc -w) policies, >= $distinct pages, $n frames, batch $b"
		else
			not_ok "opt=$opt distinct=$distinct $n frames batch $b:$bad (policies: $all)"
		fi
	done
done

# Exact ARC and LIRS. Tanenbaum's string through 3 frames, worked by hand
# from the papers: ARC keeps 1 and 2 in T2 once they are hit, but faults
# on 3, 4 and 5 again (10); LIRS holds 1 and 2 as LIR pages and cycles the
# rest through its one HIR frame (8).
expect "arc on Belady's string, 3 frames" "$(faults "$tmp/belady" 3 arc)" 10
expect "lirs on Belady's string, 3 frames" "$(faults "$tmp/belady" 3 lirs)" 8
# LIRS on a loop of 110 pages through 100 frames, 20 passes: its 99 LIR
# pages stay, the other 11 share the HIR frame, so it faults 110 times on
# the first pass and 11 on each other: 319 (LRU and ARC: every reference).
awk 'BEGIN { for (p = 0; p < 20; p++) for (i = 0; i < 110; i++) print i }' \
	>"$tmp/loop110"
expect "lirs on a loop of 110 pages, 100 frames" \
	"$(faults "$tmp/loop110" 100 lirs)" 319
expect "arc on the same loop: every reference" \
	"$(faults "$tmp/loop110" 100 arc)" 2200
# An HIR page referenced again while in LIRS's stack becomes LIR: 1 and 2
# warm up as LIR pages through 3 frames, 3 is referenced twice (LIR from
# then on), then alternates with 47 pages never seen before. LIRS faults
# on each new page only (50); LRU faults on them alone too, FIFO on 3 as
# well, as it ages out.
awk 'BEGIN { print 1; print 2; print 3; print 3
	for (k = 4; k <= 50; k++) { print 3; print k } }' >"$tmp/promote"
expect "lirs promotes an HIR page re-referenced in its stack" \
	"$(faults "$tmp/promote" 3 lirs)" 50
expect "arc on the same string" "$(faults "$tmp/promote" 3 arc)" 50
# Known counts, as for the module's policies: the zipf string of 1200
# pages and 24000 references that policies_test.sh replays on the module,
# through 256 frames. A change to either algorithm moves them.
"$swaplab" gen zipf --pages 1200 --refs 24000 >"$tmp/zipf1200"
head -n 12000 "$tmp/zipf1200" >"$tmp/zipf1200-half"

# known POLICY WHOLE RESIZED: a module policy's known counts, as
# policies_test.sh replays the same strings on the module (which must give
# what this simulator gives): $tmp/zipf1200 through 256 frames, and its
# first 12000 references with the budget cut to 96 before reference 4000
# and raised to 320 before 8000; batches of 32, no timed tick, WSClock's
# tau longer than the string. A change to the policy moves them.
known() {
	expect "$1 on zipf, 256 frames, batch 32: the known count" \
		"$(faults "$tmp/zipf1200" 256 "$1" --batch 32 --tick 100000000 \
			--knob tau_ms=3600000)" "$2"
	expect "$1 on zipf resized 256, 96, 320 frames: the known count" \
		"$(faults "$tmp/zipf1200-half" 256 "$1" --batch 32 --tick 100000000 \
			--knob tau_ms=3600000 --resize 4000:96,8000:320)" "$3"
}
expect "arc on zipf, 256 frames: the known count" \
	"$(faults "$tmp/zipf1200" 256 arc)" 6211
expect "lirs on zipf, 256 frames: the known count" \
	"$(faults "$tmp/zipf1200" 256 lirs)" 6055
# Scan resistance: a hot set of 50 pages referenced twice, then 100 pages
# never seen again, 30 times, through 100 frames. LRU loses the hot set
# to every scan (4500 faults); ARC keeps it in T2 and LIRS as LIR pages,
# faulting on the scans and once on each hot page: 3050, which is OPT.
awk 'BEGIN { s = 1000; for (r = 0; r < 30; r++) {
	for (k = 0; k < 2; k++) for (h = 0; h < 50; h++) print h
	for (i = 0; i < 100; i++) print s++ } }' >"$tmp/scan"
expect "lru on a hot set and scans, 100 frames" "$(faults "$tmp/scan" 100 lru)" 4500
expect "arc keeps the hot set through the scans" "$(faults "$tmp/scan" 100 arc)" 3050
expect "lirs keeps the hot set through the scans" "$(faults "$tmp/scan" 100 lirs)" 3050

# Each of the module's policies has its own tests: its defining
# behaviour on a string where it differs from LRU, its known counts
# (known, above; policies_test.sh checks that the module gives the simulator's
# counts), and the bounds every policy keeps. They use the functions
# above.
for f in "$here"/policies/*.sh; do
	# shellcheck disable=SC1090
	. "$f"
done

# pages SIM-OUTPUT: the page count in the header line of `swaplab sim`
pages() {
	sed -n 's/.*references, \([0-9]*\) pages,.*/\1/p'
}

# Sparse page numbers, up to 2^64 - 1, get dense ids: the same string as
# $tmp/local with every page renamed gives every policy the same faults
# (none looks at a page's number), and the tables have one entry a page.
awk '{ if ($1 == 0) print "4000000000"; else if ($1 == 1) print "18446744073709551615";
	else printf "%.0f\n", 40000000 + $1 * 1000003 }' "$tmp/local" >"$tmp/sparse"
# Half small, half sparse: the small ones, met first, are looked up by
# number and the others by hash, and the ids of both are sorted together.
awk '{ if ($1 < 200) print $1; else printf "%.0f\n", 1099511627776 + $1 }' \
	"$tmp/local" >"$tmp/halfsparse"
bad=
for n in 32 100; do
	for p in aging clock fifo random wsclock lru opt; do
		a=$(faults "$tmp/local" $n $p)
		b=$(faults "$tmp/sparse" $n $p)
		c=$(faults "$tmp/halfsparse" $n $p)
		[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ] ||
			bad="$bad $p/$n:$a/$b/$c"
	done
done
if [ -z "$bad" ]; then
	ok "sparse page numbers up to 2^64-1, and small ones mixed with sparse: the faults of the same string numbered 0..399, every policy, 32 and 100 frames"
else
	not_ok "sparse page numbers: faults differ (policy/frames:dense/sparse/half):$bad"
fi
expect "sparse page numbers: one table entry a distinct page" \
	"$("$swaplab" sim "$tmp/sparse" --frames 32 --policy fifo | pages)" "$distinct"
# Page numbers stay as they are while a table indexed by them is small
# (below 2^20, or at least half used): a string of such numbers keeps its
# own page numbers.
expect "small page numbers are kept (Belady's string: pages 0..5)" \
	"$("$swaplab" sim "$tmp/belady" --frames 3 --policy fifo | pages)" 6
awk 'BEGIN { for (p = 1100000; p-- > 0;) if (p % 3) print p }' >"$tmp/seq"
expect "page numbers past 2^20, two thirds used, are kept" \
	"$("$swaplab" sim "$tmp/seq" --frames 1000 --policy fifo | pages)" 1100000

# The workload generators: deterministic per seed, and shaped as named.
"$swaplab" gen zipf --pages 1000 --refs 20000 >"$tmp/z1"
"$swaplab" gen zipf --pages 1000 --refs 20000 >"$tmp/z2"
"$swaplab" gen zipf --pages 1000 --refs 20000 --seed 2 >"$tmp/z3"
if cmp -s "$tmp/z1" "$tmp/z2" && ! cmp -s "$tmp/z1" "$tmp/z3"; then
	ok "gen: the same seed gives the same string, another seed another"
else
	not_ok "gen: not deterministic per seed"
fi
# top_share WORKLOAD: the share of references to the busiest 10% of pages
top_share() {
	"$swaplab" gen "$1" --pages 1000 --refs 20000 | sort -n | uniq -c |
		sort -rn | awk '{ n++; s += $1; if (n <= 100) top += $1 }
			END { printf "%d", 100 * top / s }'
}
for spec in "zipf 60 100" "hotcold 45 55" "seq 10 10" "rand 10 20"; do
	set -- $spec
	share=$(top_share "$1")
	if [ "$share" -ge "$2" ] && [ "$share" -le "$3" ]; then
		ok "gen $1: busiest 10% of pages take $share% of references"
	else
		not_ok "gen $1: busiest 10% take $share%, expected $2-$3%"
	fi
done
"$swaplab" gen loop --pages 5 --refs 12 | tr '\n' ' ' >"$tmp/loop"
expect "gen loop cycles" "$(cat "$tmp/loop")" "0 1 2 3 4 0 1 2 3 4 0 1 "
"$swaplab" gen nosuch --pages 5 >/dev/null 2>&1
expect "gen of an unknown workload exits" $? 2
timeout 10 "$swaplab" gen --bogus zipf --pages 5 >/dev/null 2>&1
expect "gen with an unknown option exits" $? 2
timeout 10 "$swaplab" sim --bogus "$tmp/belady" --frames 3 >/dev/null 2>&1
expect "sim with an unknown option exits" $? 2

# Block I/O traces: a request references every page it spans, in order.
# same_faults NAME TRACE PAGES FRAMES... -- ARGS: every policy's faults on
# TRACE read with ARGS are those on the page-number string PAGES, at each
# of FRAMES.
same_faults() {
	name=$1 t=$2 e=$3
	shift 3
	frames='' bad='' last=''
	while [ "$1" != -- ]; do
		frames="$frames $1"
		shift
	done
	shift
	for n in $frames; do
		a=$("$swaplab" sim "$t" --frames "$n" "$@" |
			awk 'NR > 1 { printf " %s=%s", $1, $2 }')
		b=$("$swaplab" sim "$e" --frames "$n" |
			awk 'NR > 1 { printf " %s=%s", $1, $2 }')
		[ -n "$b" ] && [ "$a" = "$b" ] || bad="$bad; $n frames:$a, expected$b"
		last="$n frames:$b"
	done
	if [ -z "$bad" ]; then
		ok "$name: faults of every policy as on the page string, frames$frames ($last)"
	else
		not_ok "$name$bad"
	fi
}
# counts TRACE ARGS...: "N references, M pages" from the header
counts() {
	"$swaplab" sim "$@" --frames 1 --policy fifo |
		sed -n 's/.*(\([0-9]* references, [0-9]* pages\),.*/\1/p'
}

# CSV with a header, a comment, a blank line, blanks around fields and a
# CRLF line end; 4 KiB pages. 8 KiB at offset 6 KiB is pages 1, 2 and 3;
# 2 bytes at 4095 are pages 0 and 1; a request of 0 bytes is no page.
cat >"$tmp/csv" <<'EOT'
time,op,offset,size
0.1,R,6144,8192
0.2,W,0,4096
# a comment

0.3,R,16384,512
0.4,R,4095,2
0.5,W, 8192 ,12288
0.6,R,20480,4096
0.7,R,0,1
0.8,W,24575,4097
0.9,R,12288,0
EOT
printf '1.0,R,28672,4096\r\n' >>"$tmp/csv"
echo "1 2 3  0  4  0 1  2 3 4  5  0  5 6  7" >"$tmp/csv.pages"
expect "csv: references and distinct pages" \
	"$(counts "$tmp/csv" --format csv --offset-col 3 --size-col 4)" \
	"15 references, 8 pages"
same_faults "csv, 4 KiB pages" "$tmp/csv" "$tmp/csv.pages" 1 2 3 4 5 -- \
	--format csv --offset-col 3 --size-col 4
echo "0 1  0  2  0  1 2  2  0  2 3  3" >"$tmp/csv.8k"
same_faults "csv, --page-size 8K" "$tmp/csv" "$tmp/csv.8k" 1 2 3 -- \
	--format csv --offset-col 3 --size-col 4 --page-size 8K
echo "1 2 3  4  0 1  5  0  7" >"$tmp/csv.reads"
same_faults "csv, --type-col 2 --reads-only" "$tmp/csv" "$tmp/csv.reads" \
	1 2 3 -- --format csv --offset-col 3 --size-col 4 --type-col 2 --reads-only

# MSR Cambridge: the same offsets on disk 0 and disk 1 of src1, and on
# disk 0 of usr, are different pages (here 0-6, 10-14 and 20-25).
cat >"$tmp/msr" <<'EOT'
128166372003061629,src1,0,Read,3154640896,4096,4127
128166372003092381,src1,0,Read,3154644992,8192,2855
128166372003132104,src1,1,Write,3154640896,4096,10236
128166372003174811,src1,0,Read,3154651136,4096,3410
128166372003206240,src1,0,Write,3154640896,512,8793
128166372003250112,src1,1,Read,3154644992,16384,6002
128166372003291878,src1,0,Read,3154657280,4096,1981
128166372003323004,src1,1,Read,3154640896,4096,2264
128166372003368551,src1,0,Read,3154644992,4096,1544
128166372003401216,src1,0,Write,3154643456,3072,9120
128166372003446783,src1,1,Write,3154649088,8192,12876
128166372003489150,src1,0,Read,3154661376,8192,3318
128166372003520937,src1,0,Read,3154640896,4096,1402
128166372003562418,usr,0,Read,3154661376,4096,5120
128166372003600391,src1,0,Read,3154653184,4096,1733
128166372003641275,src1,0,Read,3154665472,4096,2076
128166372003683940,usr,0,Read,3154640896,4096,4408
128166372003725613,src1,0,Write,3154649088,4096,7755
128166372003768002,src1,0,Read,3154644992,1024,1290
128166372003810457,src1,1,Read,3154640896,8192,3861
EOT
echo "0 1 2 10 2 3 0 11 12 13 14 4 10 1 0 1 12 13 5 6 0 25 3 6 20 2 1 10 11" \
	>"$tmp/msr.pages"
expect "msr: references and distinct pages" "$(counts "$tmp/msr" --format msr)" \
	"29 references, 14 pages"
same_faults "msr" "$tmp/msr" "$tmp/msr.pages" 2 4 8 -- --format msr
echo "0 1 2 2 3 11 12 13 14 4 10 1 5 6 0 25 3 6 20 1 10 11" >"$tmp/msr.reads"
same_faults "msr, --reads-only" "$tmp/msr" "$tmp/msr.reads" 2 4 8 -- \
	--format msr --reads-only

# time,op,size,lbn: size in bytes, lbn in 512-byte sectors.
cat >"$tmp/lbn" <<'EOT'
0.000000,R,4096,0
0.000120,R,8192,8
0.000300,W,4096,12
0.000410,R,512,7
0.000500,R,1024,7
0.000620,Read,16384,64
0.000700,Write,4096,24
0.000800,R,4096,0
0.000900,R,4096,72
0.001000,R,8192,80
EOT
echo "0  1 2  1 2  0  0 1  8 9 10 11  3  0  9  10 11" >"$tmp/lbn.pages"
expect "lbn: references and distinct pages" "$(counts "$tmp/lbn" --format lbn)" \
	"17 references, 8 pages"
same_faults "lbn" "$tmp/lbn" "$tmp/lbn.pages" 1 2 3 4 -- --format lbn
same_faults "csv with --offset-unit 512 reads lbn" "$tmp/lbn" "$tmp/lbn.pages" \
	2 3 -- --format csv --offset-col 4 --size-col 3 --offset-unit 512

# Bad input is refused with a message and a non-zero status.
printf '1 2 # a comment\n3 x 4\n' >"$tmp/bad"
"$swaplab" sim "$tmp/bad" --frames 3 >/dev/null 2>"$tmp/err"
expect "a trace with a non-number exits" $? 1
expect "the message names the file, line and word" "$(cat "$tmp/err")" \
	"swaplab: $tmp/bad:2: 'x' is not a page number"
: >"$tmp/empty"
"$swaplab" sim "$tmp/empty" --frames 3 >/dev/null 2>"$tmp/err"
expect "an empty trace exits" "$? $(cat "$tmp/err")" \
	"1 swaplab: $tmp/empty: no references"
printf '# only a comment\n\n' | "$swaplab" sim - --frames 3 >/dev/null 2>&1
expect "a trace of comments only exits" $? 1
# bad_line NAME LINE MESSAGE ARGS...: exit 1, and MESSAGE about line LINE
# of $tmp/bad
bad_line() {
	name=$1 line=$2 msg=$3
	shift 3
	"$swaplab" sim "$tmp/bad" --frames 3 "$@" >/dev/null 2>"$tmp/err"
	expect "$name" "$? $(cat "$tmp/err")" "1 swaplab: $tmp/bad:$line: $msg"
}
printf 'offset,size\n0,4096\n8192,4096\nx,4096\n' >"$tmp/bad"
bad_line "csv: a bad offset past the first line" 4 \
	"column 1 (offset): 'x' is not a number" --format csv --offset-col 1 --size-col 2
printf '0,4096\noffset,size\n' >"$tmp/bad"
bad_line "csv: a header on line 2 is an error" 2 \
	"column 1 (offset): 'offset' is not a number" \
	--format csv --offset-col 1 --size-col 2
printf '0,4096\n4096\n' >"$tmp/bad"
bad_line "csv: a missing column" 2 "at least 2 fields, found 1" \
	--format csv --offset-col 1 --size-col 2
head -n 3 "$tmp/msr" >"$tmp/bad"
echo "128166372003174811,src1,0,Read,3154651136,4096" >>"$tmp/bad"
bad_line "msr: a line of 6 fields" 4 "7 fields, found 6" --format msr
head -n 5 "$tmp/msr" >"$tmp/bad"
echo "128166372003174811,src1,0,Flush,3154651136,4096,10" >>"$tmp/bad"
bad_line "msr: a type that is neither read nor write" 6 \
	"column 4 (Type): 'Flush' is not R, W, Read or Write" --format msr
printf 'time,op,size,lbn\n0.1,R,4096,18446744073709551615\n' >"$tmp/bad"
bad_line "lbn: a sector past 2^64 bytes" 2 \
	"the offset or size is past 2^64 bytes" --format lbn
printf '0,R,8796093022208,0\n' >"$tmp/bad"
bad_line "lbn: a request of 8 TiB" 1 \
	"a request of 8796093022208 bytes spans more than 1048576 pages" --format lbn
printf 'time,op,size,lbn\n' >"$tmp/bad"
"$swaplab" sim "$tmp/bad" --frames 3 --format lbn >/dev/null 2>"$tmp/err"
expect "lbn: a header alone is an empty trace" "$? $(cat "$tmp/err")" \
	"1 swaplab: $tmp/bad: no references (line 1, taken for a header: column 4 (lbn): 'lbn' is not a number)"
for args in "--format csv --offset-col 1" "--offset-col 1 --size-col 2" \
	    "--page-size 8K" "--format msr --reads-only --type-col 4" \
	    "--format csv --offset-col 3 --size-col 4 --reads-only" \
	    "--format nosuch" "--format csv --size-col 0" \
	    "--prefetcher nosuch" "--prefetcher leap --window 0" \
	    "--prefetcher leap --window 256" "--prefetcher leap --window 8x" \
	    "--prefetcher leap --policy lru"; do
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/belady" --frames 3 $args >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ]; then
		ok "sim $args: refused, exit 2"
	else
		not_ok "sim $args: exit $rc, expected 2 with a message"
	fi
done
"$swaplab" sim "$tmp/belady" --frames 3 --policy nosuch >/dev/null 2>&1
expect "an unknown policy exits" $? 2
"$swaplab" sim "$tmp/belady" --frames 0 >/dev/null 2>&1
expect "zero frames exits" $? 2
"$swaplab" sim "$tmp/missing" --frames 3 >/dev/null 2>&1
expect "a missing trace exits" $? 1
for args in "--frames -5" "--frames 3x" "--frames 3 --batch 0" \
	    "--frames 3 --tick x" "--curve 0" "--curve 101" "--curve 1,,2" \
	    "--curve 5," "--curve 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17" \
	    "--curve 5 --frames 3" "--curve 5 --prefetcher leap" \
	    "--curve 5 --policy nosuch" "--frames 3 --resize 5:3,4:2" \
	    "--frames 3 --resize 4:0" "--frames 3 --resize x" \
	    "--frames 3 --resize 4" "--frames 3 --resize 4:2," \
	    "--frames 3 --resize 4:2 --policy arc" \
	    "--frames 3 --resize 4:2 --policy lirs" "--resize 4:2 --curve 50" \
	    "--frames 3 --knob bits=9" "--frames 3 --knob mc_min_pct=51 --policy fifo" \
	    "--curve 5 --sample 0" "--curve 5 --sample 1.5" \
	    "--curve 5 --sample x" "--curve 5 --sample -0.1" \
	    "--frames 3 --sample 0.5" "--curve 5 --sample-min 10" \
	    "--curve 5 --sample 0.5 --sample-min -1" \
	    "--frames 3 --swappiness 201" "--frames 3 --swappiness -1" \
	    "--frames 3 --swappiness 6x" \
	    "--frames 3 --resize 1:2,2:2,3:2,4:2,5:2,6:2,7:2,8:2,9:2,10:2,11:2,12:2,13:2,14:2,15:2,16:2,17:2"; do
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/belady" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "sim $args: refused, exit 2"
	else
		not_ok "sim $args: exit $rc, expected 2 with a message and no table"
	fi
done

# The fault-rate curve: --curve gives each policy's faults at each size,
# a percentage of the distinct pages, and each must be what --frames
# gives at that many frames. The loop of 110 pages at 50%, 90% and 100%:
# 55, 99 and 110 frames; LRU faults on every reference until the loop
# fits (2200 2200 110), OPT 1155 319 110.
"$swaplab" sim "$tmp/loop110" --curve 50,90,100 >"$tmp/curve"
expect "curve header: sizes as percent:frames" \
	"$(awk 'NR == 1 { print $2, $3, $4 }' "$tmp/curve")" "50%:55 90%:99 100%:110"
expect "curve: lru" "$(awk '$1 == "lru" { print $2, $3, $4 }' "$tmp/curve")" "2200 2200 110"
expect "curve: opt" "$(awk '$1 == "opt" { print $2, $3, $4 }' "$tmp/curve")" "1155 319 110"
bad=
for p in $all opt; do
	c=$(awk -v p="$p" '$1 == p { print $2, $3, $4 }' "$tmp/curve")
	f="$(faults "$tmp/loop110" 55 "$p") $(faults "$tmp/loop110" 99 "$p") $(faults "$tmp/loop110" 110 "$p")"
	[ "$c" = "$f" ] || bad="$bad $p: $c against $f;"
done
if [ -z "$bad" ] && [ "$(awk 'NR > 1' "$tmp/curve" | wc -l)" = "$(($(echo $all | wc -w) + 1))" ]; then
	ok "curve: every policy at each size as with --frames"
else
	not_ok "curve against --frames:$bad"
fi
"$swaplab" sim "$tmp/loop110" --curve 1 --policy clockpro >"$tmp/curve"
expect "curve of one policy, at least 4 frames" \
	"$(awk 'NR == 1 { print $2 } NR > 1 { print $1 }' "$tmp/curve" | tr '\n' ' ')" "1%:4 clockpro "

# --sample R: the curve from a miniature simulation of a spatial sample
# of the pages (SHARDS). At rate 1 it takes every page and is the exact
# curve, count for count. At 0.01 (the floor of 16384 pages taking over
# on strings this small) each policy's fault rate at each size is within
# 0.015 of the exact one, on a zipf string, a loop longer than memory
# and a hot and cold set, and so it is at 0.1 with no floor. The error
# of a sample is mostly that of the share of hot pages it happens to
# take; the bench measures the goal of 0.01 on larger strings. A sample
# scaled by its references rather than its pages, or whose memory is not
# scaled, is far off.
"$swaplab" gen zipf --pages 20000 --refs 200000 >"$tmp/sz"
"$swaplab" sim "$tmp/sz" --curve 5,40 >"$tmp/exact"
"$swaplab" sim "$tmp/sz" --curve 5,40 --sample 1 >"$tmp/sampled"
expect "sample 1: the exact curve, count for count" \
	"$(grep -v '^#' "$tmp/sampled" | cmp - "$tmp/exact" && echo same)" same
expect "sample 1: says it took every page" \
	"$(sed -n 's/^# sample at rate 1: \([0-9]*\) of \([0-9]*\) pages.*/\1 \2/p' "$tmp/sampled")" \
	"$(awk 'NR == 1 { sub(/.*references, /, ""); print $1, $1 }' "$tmp/exact")"
# sample_err EXACT SAMPLED: the largest |difference of fault rates| over
# every policy and size, and where; "rows differ" if the tables' rows do.
sample_err() {
	awk 'FNR == 1 { n = $0; sub(/.*\(/, "", n); n += 0; next }
	     /^#/ { next }
	     NR == FNR { for (i = 2; i <= NF; i++) e[$1, i] = $i; rows[$1]; next }
	     { if (!($1 in rows)) bad = 1; seen[$1]
	       for (i = 2; i <= NF; i++) {
		d = ($i - e[$1, i]) / n; if (d < 0) d = -d
		if (d > worst) { worst = d; at = $1 " column " i - 1 }
	       } }
	     END { for (r in rows) if (!(r in seen)) bad = 1
		   if (bad || !n) print "rows differ"
		   else printf "%.4f %s\n", worst, at }' "$1" "$2"
}
"$swaplab" gen zipf --pages 100000 --refs 1000000 >"$tmp/sz"
"$swaplab" gen loop --pages 40000 --refs 400000 >"$tmp/sl"
"$swaplab" gen hotcold --pages 40000 --refs 400000 >"$tmp/sh"
for t in "sz 0.01" "sl 0.01" "sh 0.01" "sz 0.1 --sample-min 0"; do
	# shellcheck disable=SC2086
	set -- $t
	"$swaplab" sim "$tmp/$1" --curve 5,10,20,40 >"$tmp/exact"
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/$1" --curve 5,10,20,40 --sample $2 $3 $4 >"$tmp/sampled"
	read -r e at <<EOT
$(sample_err "$tmp/exact" "$tmp/sampled")
EOT
	read -r taken all_pages <<EOT
$(sed -n 's/^# sample at rate [0-9.]*: \([0-9]*\) of \([0-9]*\) pages.*/\1 \2/p' "$tmp/sampled")
EOT
	# The pages taken: the floor's 16384, or a tenth.
	if [ -n "$3" ]; then
		want=$(awk -v t="${taken:-0}" -v n="${all_pages:-0}" \
			'BEGIN { print (t > n * 0.09 && t < n * 0.11) ? "a tenth" : "not a tenth" }')
	else
		want=$([ "$taken" = 16384 ] && echo "16384" || echo "not 16384")
	fi
	if [ "$e" != rows ] && [ "${want#not}" = "$want" ] &&
	   awk -v e="$e" 'BEGIN { exit !(e <= 0.015) }'; then
		ok "sample $2${3:+ $3 $4} of $1 ($taken of $all_pages pages): every fault rate within 0.015 of the exact curve (worst $e, $at)"
	else
		not_ok "sample $2${3:+ $3 $4} of $1: worst difference $e $at, $taken of $all_pages pages taken ($want), expected within 0.015"
	fi
done
"$swaplab" sim "$tmp/sz" --curve 5,40 --sample 0.01 --sample-min 0 --policy lru >"$tmp/sampled"
expect "sample 0.01, no floor: 1% of the pages taken" \
	"$(sed -n 's/^# sample at rate 0.01: \([0-9]*\) of \([0-9]*\) pages.*/\1 \2/p' "$tmp/sampled" |
	   awk '{ print ($1 > $2 * 0.007 && $1 < $2 * 0.013) }')" 1

# A change of budget (--resize AT:FRAMES), as writing the module's frames
# knob makes it: nothing is evicted when it is made; the next fault that
# finds memory full evicts batch after batch until a frame is free. On
# 1 2 3 4 1 2 3 4 5 4 3 through 4 frames, cut to 2 before reference 4
# (the fifth): 1 to 4 stay and hit; 5 faults, and LRU evicts 1, 2 and 3
# one at a time (batch 1), so 4 hits and 3 faults: 6 (5 without the cut).
# With batch 2 the two batches take 1, 2 and then 3, 4, and 4 faults too:
# 7. OPT keeps 4, used next: 6. Grown back to 4 before 5 comes, the cut
# has evicted nothing: 5, as without it.
echo "1 2 3 4 1 2 3 4 5 4 3" >"$tmp/resize"
expect "resize: lru, none" "$(faults "$tmp/resize" 4 lru)" 5
expect "resize: lru, cut to 2" "$(faults "$tmp/resize" 4 lru --resize 4:2)" 6
expect "resize: lru, cut to 2, batch 2" \
	"$(faults "$tmp/resize" 4 lru --resize 4:2 --batch 2)" 7
expect "resize: fifo, cut to 2, batch 2" \
	"$(faults "$tmp/resize" 4 fifo --resize 4:2 --batch 2)" 7
expect "resize: opt, cut to 2" "$(faults "$tmp/resize" 4 opt --resize 4:2)" 6
expect "resize: lru, cut to 2 and back to 4" \
	"$(faults "$tmp/resize" 4 lru --resize 4:2,8:4)" 5
# A cut before the first reference is a start at that size, for every
# policy whose resize() re-derives all it sized from the budget (CAR's c,
# its ghost lists' bound, and its sampling of evictions; the queues of
# S3-FIFO and 2Q, LFU's halvings, which read the budget at each call).
# CLOCK-Pro and gen keep what they learned, clamped into the new bounds:
# CLOCK-Pro's cold target starts at 1% of the budget it was made with
# (2 of 256, not 1 of 64), gen's probation target at half of it (128,
# clamped to 64, not 32); they are left out, and so is adapt, whose
# experts they are. The zipf string, 64 frames
# against 256 cut to 64, with the tick fixed (by default it is --frames).
"$swaplab" gen zipf --pages 600 --refs 12000 >"$tmp/zipf600"
bad=
for p in $all opt; do
	case $p in clockpro|gen|adapt|arc|lirs) continue ;; esac
	a=$(faults "$tmp/zipf600" 256 "$p" --resize 0:64 --batch 32 --tick 64)
	b=$(faults "$tmp/zipf600" 64 "$p" --batch 32 --tick 64)
	{ [ -n "$a" ] && [ "$a" = "$b" ]; } || bad="$bad $p: $a against $b;"
done
if [ -z "$bad" ]; then
	ok "resize before the first reference: a start at that size, every policy but clockpro, gen and adapt"
else
	not_ok "resize before the first reference differs from a start at that size:$bad"
fi
"$swaplab" sim "$tmp/zipf600" --frames 256 --resize 100:64 >"$tmp/rsz"
expect "resize: arc and lirs left out of all" \
	"$(awk '$1 == "arc" || $1 == "lirs"' "$tmp/rsz" | wc -l)" 0
expect "resize: the header names the changes" \
	"$(awk 'NR == 1 { print $NF }' "$tmp/rsz")" "100:64)"

# Prefetchers (module/policy/prefetch_*.c): pages read ahead into free frames,
# their accuracy (used over read) and coverage (faults avoided over the
# faults on stored pages there would have been).
# pf TRACE POLICY PREFETCHER [ARGS...]: "faults issued hits accuracy
# coverage", the percentages without their sign.
pf() {
	t=$1 p=$2 q=$3
	shift 3
	"$swaplab" sim "$t" --frames 512 --policy "$p" --prefetcher "$q" "$@" |
		awk -v p="$p" -v q="$q" '$1 == p && $2 == q {
			sub("%", "", $7); sub("%", "", $8)
			print $3, $5, $6, $7, $8 }'
}
# at_least A B: A >= B, as decimals
at_least() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'
}
# Every page written once in order (first touches, no prefetching
# possible), then read four times at a stride of 4 pages, each round
# starting one page further; the same backward at a stride of 3; then a
# sequential reread; and a random string.
awk 'BEGIN { for (i = 0; i < 4096; i++) print i
	for (r = 0; r < 4; r++) for (i = r; i < 4096; i += 4) print i }' >"$tmp/stride"
awk 'BEGIN { for (i = 0; i < 4096; i++) print i
	for (r = 0; r < 4; r++) for (i = 4095 - r; i >= 0; i -= 3) print i }' >"$tmp/bstride"
awk 'BEGIN { for (r = 0; r < 3; r++) for (i = 0; i < 4096; i++) print i }' >"$tmp/seq"
"$swaplab" gen rand --pages 2048 --refs 20000 >"$tmp/rand"
plain=$(faults "$tmp/stride" 512 fifo --batch 32)
set -- $(pf "$tmp/stride" fifo none)
expect "prefetcher none: the faults without one, nothing read ahead" \
	"$1 $2 $3" "$plain 0 0"
for w in 8 32; do
	set -- $(pf "$tmp/stride" fifo window --window $w)
	win="$*"
	set -- $(pf "$tmp/stride" fifo leap --window $w)
	if at_least "$5" "$(echo "$win" | cut -d' ' -f5)" &&
	   ! at_least "$(echo "$win" | cut -d' ' -f5)" "$5" &&
	   at_least "$4" "$(echo "$win" | cut -d' ' -f4)"; then
		ok "a stride of 4, window $w: leap covers more than window at a better accuracy (faults issued hits accuracy coverage: $* against $win)"
	else
		not_ok "a stride of 4, window $w: leap $*, window $win (faults issued hits accuracy coverage)"
	fi
done
set -- $(pf "$tmp/bstride" fifo leap)
leap="$*"
set -- $(pf "$tmp/bstride" fifo window)
if [ "$3" = 0 ] && at_least "$(echo "$leap" | cut -d' ' -f4)" 95 &&
   at_least "$(echo "$leap" | cut -d' ' -f5)" 40; then
	ok "a stride of -3: leap finds it (accuracy and coverage $(echo "$leap" | cut -d' ' -f4,5)), window reads forward only ($3 hits)"
else
	not_ok "a stride of -3: leap $leap, window $* (faults issued hits accuracy coverage)"
fi
set -- $(pf "$tmp/seq" fifo adaptive)
ada="$*"
set -- $(pf "$tmp/seq" fifo window)
if at_least "$(echo "$ada" | cut -d' ' -f5)" "$(echo "$5" | awk '{ print $1 + 5 }')" &&
   at_least "$(echo "$ada" | cut -d' ' -f4)" 99; then
	ok "a sequential reread: adaptive's window grows past window's 8 pages (coverage $(echo "$ada" | cut -d' ' -f5) against $5)"
else
	not_ok "a sequential reread: adaptive $ada, window $* (faults issued hits accuracy coverage)"
fi
set -- $(pf "$tmp/rand" fifo adaptive)
ada=$2
set -- $(pf "$tmp/rand" fifo window)
if [ $((ada * 100)) -le "$2" ]; then
	ok "a random string: adaptive reads ahead $ada pages, window $2"
else
	not_ok "a random string: adaptive read ahead $ada pages, window $2: its window did not close"
fi
# Renumbered sparse pages keep their order: the strided string, first
# written in a shuffled order, then given page numbers past 2^40 (as a
# recorded string's region bases make them) prefetches as it did.
awk 'BEGIN { srand(5); for (i = 0; i < 4096; i++) p[i] = i
	for (i = 4095; i > 0; i--) { j = int(rand() * (i + 1)); t = p[i]; p[i] = p[j]; p[j] = t }
	for (i = 0; i < 4096; i++) print p[i]
	for (r = 0; r < 4; r++) for (i = r; i < 4096; i += 4) print i }' >"$tmp/shstride"
awk '{ printf "%.0f\n", 225399883694080 + $1 }' "$tmp/shstride" >"$tmp/shstride-sparse"
sparse=$(pf "$tmp/shstride-sparse" fifo leap)
dense=$(pf "$tmp/shstride" fifo leap)
if [ -z "$dense" ]; then
	not_ok "sparse pages renumbered: leap printed no figures on the pages themselves"
else
	expect "sparse pages renumbered in page order: leap on them as on the pages themselves" \
		"$sparse" "$dense"
fi
# Processes. A trace may be several processes' (P:PAGE, or a CSV
# process column), or several traces are mixed round-robin (--quantum);
# their pages are different pages under the one budget, a process leaves
# after its last reference with its pages freed, and below each policy
# comes a row a process: its faults, rate, major faults, references.
# procrows TRACE FRAMES POLICY [ARGS...]: "TOTAL p0=FAULTS/MAJOR/REFS ..."
procrows() {
	t=$1 n=$2 p=$3
	shift 3
	"$swaplab" sim "$t" --frames "$n" --policy "$p" "$@" |
		awk -v p="$p" '$1 == p { printf "%s", $2 }
			$1 ~ /^p[0-9]+$/ { printf " %s=%s/%s/%s", $1, $2, $4, $5 }'
}
# Two processes, A (0) and B (1), through 3 frames, worked by hand:
# A1 A2 B1 A1 B2 A3 B3 B1 B2. LRU: A1, A2, B1 fault; A1 hits; B2 evicts
# A2, A3 evicts B1. A leaves after A3, its last reference: A1 and A3 are
# freed, so B3 and B1 fault into free frames, and B2 hits. A faults 3
# times, all first touches; B 4 times, one of them (B1) major. Without
# the freeing B3 would evict A1, B1 would evict B2, and B2 would fault
# again. FIFO: B2 evicts A1, A3 evicts A2, and once A leaves B1 and B2
# are still resident: 3 and 3. OPT: 3 and 3.
echo "0:1 0:2 1:1 0:1 1:2 0:3 1:3 1:1 1:2" >"$tmp/two"
expect "two processes by hand: lru" "$(procrows "$tmp/two" 3 lru)" \
	"7 p0=3/0/4 p1=4/1/5"
expect "two processes by hand: fifo" "$(procrows "$tmp/two" 3 fifo)" \
	"6 p0=3/0/4 p1=3/0/5"
expect "two processes by hand: opt" "$(procrows "$tmp/two" 3 opt)" \
	"6 p0=3/0/4 p1=3/0/5"
expect "two processes: the header counts them" \
	"$("$swaplab" sim "$tmp/two" --frames 3 --policy lru | sed -n '1s/.*(\([^;]*\);.*/\1/p')" \
	"9 references, 6 pages, 2 processes, 3 frames, batch 1"
# The same as CSV, the process in column 3: the same rows.
tr ' ' '\n' <"$tmp/two" | awk -F: '{ printf "%d,4096,%d\n", $2 * 4096, $1 }' >"$tmp/two.csv"
expect "two processes from --proc-col 3: lru as by hand" \
	"$(procrows "$tmp/two.csv" 3 lru --format csv --offset-col 1 --size-col 2 --proc-col 3)" \
	"7 p0=3/0/4 p1=4/1/5"

# Process 0 named (0:PAGE) is the unprefixed string: the whole output,
# every policy, is the same.
sed 's/^/0:/' "$tmp/local" >"$tmp/local0"
"$swaplab" sim "$tmp/local" --frames 32 --batch 32 >"$tmp/out"
"$swaplab" sim "$tmp/local0" --frames 32 --batch 32 >"$tmp/out0"
if cmp -s "$tmp/out" "$tmp/out0"; then
	ok "0:PAGE is PAGE: the same table, every policy"
else
	not_ok "0:PAGE differs from PAGE: $(diff "$tmp/out" "$tmp/out0" | head -n 4 | tr '\n' ' ')"
fi

# totals OUTPUT: "policy=faults" of the policies' rows, not ARC's or
# LIRS's (one process only), nor adapt's, which samples pages by their
# number and so does not fault alike on a string whose pages are renamed
# (policies/adapt.sh)
totals() {
	awk 'NR > 1 && $1 !~ /^p[0-9]+$/ && $1 != "arc" && $1 != "lirs" &&
	     $1 != "adapt" {
		printf " %s=%s", $1, $2 }' "$1"
}
# Two copies of a string as two processes, a reference of each in turn,
# fault as one process's string of twice the pages: the second copy's
# pages renamed. Process 0 leaves one reference before the end, which
# frees frames the last reference may take but changes no fault.
awk '{ print "0:" $1; print "1:" $1 }' "$tmp/local" >"$tmp/copies"
awk '{ print $1; print $1 + 1000 }' "$tmp/local" >"$tmp/twice"
for args in "--frames 100" "--frames 100 --batch 32" "--frames 300 --batch 32 --page-buffering"; do
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/copies" $args >"$tmp/out"
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/twice" $args >"$tmp/out1"
	a=$(totals "$tmp/out") b=$(totals "$tmp/out1")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "two processes of the same string fault as one string of twice the pages, $args"
	else
		not_ok "two copies against twice the pages, $args:$a, expected$b"
	fi
done

# --quantum Q: traces mixed Q references a turn, each a process, are
# the file holding the mixed string with the processes named: the same
# table and JSON. Of three strings of different lengths, two end early
# (and leave, freeing their pages) while the others go on.
"$swaplab" gen zipf --pages 300 --refs 5000 >"$tmp/m0"
"$swaplab" gen loop --pages 90 --refs 2000 >"$tmp/m1"
"$swaplab" gen hotcold --pages 200 --refs 3001 --seed 3 >"$tmp/m2"
awk -v q=7 'FNR == 1 { f++ } { s[f - 1, n[f - 1]++] = $1 }
	END { for (t = 0; t < 5000; t += q) for (i = 0; i < 3; i++)
		for (k = t; k < t + q && k < n[i]; k++) print i ":" s[i, k] }' \
	"$tmp/m0" "$tmp/m1" "$tmp/m2" >"$tmp/mixed"
for args in "--frames 64" "--frames 64 --batch 32 --resize 3000:40" "--frames 100 --json"; do
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/m0" "$tmp/m1" "$tmp/m2" --quantum 7 $args >"$tmp/out"
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/mixed" $args >"$tmp/out1"
	if [ -s "$tmp/out" ] && cmp -s "$tmp/out" "$tmp/out1"; then
		ok "--quantum 7 of three traces is the mixed file with its processes, $args"
	else
		not_ok "--quantum 7 against the mixed file, $args: $(diff "$tmp/out" "$tmp/out1" | head -n 4 | tr '\n' ' ')"
	fi
done
expect "--quantum: a row a process, each its references" \
	"$("$swaplab" sim "$tmp/m0" "$tmp/m1" "$tmp/m2" --quantum 7 --frames 64 --policy opt |
		awk '$1 ~ /^p[0-9]+$/ { printf "%s=%s ", $1, $5 }')" "p0=5000 p1=2000 p2=3001 "

# The JSON has each policy's processes, as the table's rows.
"$swaplab" sim "$tmp/mixed" --frames 64 --batch 32 >"$tmp/out"
"$swaplab" sim "$tmp/mixed" --frames 64 --batch 32 --policy lru --json >"$tmp/json"
json_rows=$(sed -n 's/.*"process": \([0-9]*\),.*"faults": \([0-9]*\),.*/p\1=\2/p' "$tmp/json" | tr '\n' ' ')
table_rows=$(awk '$1 !~ /^p[0-9]+$/ { f = $1 == "lru"; next } f { printf "%s=%s ", $1, $2 }' "$tmp/out")
# Three processes on each side: two empty sides do not agree.
if [ "$(echo "$json_rows" | wc -w)" = 3 ]; then
	expect "--json: the processes' faults, as the table's rows" \
		"$json_rows" "$table_rows"
else
	not_ok "--json: expected a row for each of 3 processes, got '$json_rows' (table '$table_rows')"
fi
"$swaplab" sim "$tmp/belady" --frames 3 --policy lru --json >"$tmp/json"
expect "--json of one process: one entry, major faults past its 5 pages" \
	"$(tr -d ' \n' <"$tmp/json")" \
	'{"references":12,"pages":6,"processes":1,"frames":3,"batch":1,"policies":[{"policy":"lru","faults":10,"processes":[{"process":0,"references":12,"pages":5,"faults":10,"major":5}]}]}'
if command -v python3 >/dev/null; then
	"$swaplab" sim "$tmp/mixed" --frames 64 --page-buffering --json | python3 -c 'import json, sys; json.load(sys.stdin)'
	expect "--json parses as JSON (python3)" $? 0
else
	not_ok "--json: no python3 to parse it with (tools/testing/setup installs it)"
fi

# sums OUTPUT: for each policy, whether its processes' faults and
# references add up to its faults and the header's references ("ok"),
# else what does not
sums() {
	awk 'NR == 1 { sub(/.*\(/, ""); refs = $1; next }
		$1 !~ /^p[0-9]+$/ { if (p != "") check(); p = $1; f = $2; pf = pr = 0; next }
		{ pf += $2; pr += $5 }
		function check() { if (pf != f || pr != refs) bad = bad " " p "=" f "/" pf "/" pr }
		END { check(); print bad == "" ? "ok" : bad }' "$1"
}
# gen --procs N --quantum Q: N strings, process i's that of seed 1 + i,
# mixed Q a turn; sim reads it, and every policy's processes add up.
"$swaplab" gen zipf --pages 400 --refs 3000 --procs 3 --quantum 50 >"$tmp/gen3"
"$swaplab" sim "$tmp/gen3" --frames 200 --batch 32 >"$tmp/out"
expect "gen --procs 3: each policy's processes add up to its faults and references" \
	"$(sums "$tmp/out")" ok
expect "gen --procs 3: three processes of 3000 references" \
	"$(awk '$1 ~ /^p[0-9]+$/ { print $1, $5 }' "$tmp/out" | sort -u | tr '\n' ' ')" \
	"p0 3000 p1 3000 p2 3000 "
bad=
for i in 0 1 2; do
	"$swaplab" gen zipf --pages 400 --refs 3000 --seed $((1 + i)) >"$tmp/g1"
	sed -n "s/^$i://p" "$tmp/gen3" | cmp -s - "$tmp/g1" || bad="$bad $i"
done
expect "gen --procs: process i's string is gen's with seed 1 + i" "${bad:-none differs}" "none differs"
expect "gen --procs 3 --quantum 50: a turn is 50 references" \
	"$(head -n 151 "$tmp/gen3" | cut -d: -f1 | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" \
	"0:50 1:50 2:50 0:1 "
"$swaplab" gen zipf --pages 400 --refs 3000 >"$tmp/g1"
"$swaplab" gen zipf --pages 400 --refs 3000 --procs 1 | cmp -s - "$tmp/g1"
expect "gen --procs 1 is gen" $? 0

# References are staged 65536 at a time: the largest page, or the only
# reference of a second process, as the 65536th reference still counts
# (fifo with 4 frames: every reference of the cycle of 10 faults, then
# page 100, then page 0 once).
awk 'BEGIN { for (i = 0; i < 65535; i++) print i % 10; print 100
	     for (i = 0; i < 5; i++) print 0 }' >"$tmp/stage"
expect "the largest page as the 65536th reference: pages and fifo's faults" \
	"$("$swaplab" sim "$tmp/stage" --frames 4 --policy fifo 2>&1 |
	   awk '$1 == "policy" { p = $8 } $1 == "fifo" { print p, $2 }')" \
	"101 65537"
awk 'BEGIN { for (i = 0; i < 65535; i++) print i % 10; print "1:5" }' \
	>"$tmp/stage2"
expect "a process whose one reference is the 65536th: a row a process" \
	"$("$swaplab" sim "$tmp/stage2" --frames 4 --policy fifo 2>&1 |
	   awk '$1 ~ /^p[0-9]+$/ { printf "%s:%s ", $1, $2 }')" \
	"p0:65535 p1:1 "

# Bad process words and columns: an error naming the file, the line and
# the word, exit 1, and no table.
# bad_word WORD MESSAGE [ARGS...]: WORD on line 2 of $tmp/bad
bad_word() {
	w=$1 msg=$2
	shift 2
	printf '0:1 2\n3 %s 4\n' "$w" >"$tmp/bad"
	"$swaplab" sim "$tmp/bad" --frames 3 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -s "$tmp/out" ]; then rc="$rc, a table"; fi
	expect "bad process word $w $*" "$rc $(cat "$tmp/err")" "1 swaplab: $tmp/bad:2: $msg"
}
bad_word 4096:1 "'4096:1': process 4096 is not in 0..4095"
bad_word :1 "':1': '' is not a process number"
bad_word x:1 "'x:1': 'x' is not a process number"
bad_word -1:1 "'-1:1': '-1' is not a process number"
bad_word 1: "'1:': '' is not a page number"
bad_word 1:x "'1:x': 'x' is not a page number"
bad_word 1:2:3 "'1:2:3': '2:3' is not a page number"
printf 'offset,size,proc\n0,4096,1\n4096,4096,x\n' >"$tmp/bad"
bad_line "csv: a process that is not a number" 3 \
	"column 3 (process): 'x' is not a number" \
	--format csv --offset-col 1 --size-col 2 --proc-col 3
printf '0,4096,1\n4096,4096,\n' >"$tmp/bad"
bad_line "csv: an empty process" 2 "column 3 (process): '' is not a number" \
	--format csv --offset-col 1 --size-col 2 --proc-col 3
printf '0,4096,1\n4096,4096,5000\n' >"$tmp/bad"
bad_line "csv: a process out of range" 2 \
	"column 3 (process): process 5000 is not in 0..4095" \
	--format csv --offset-col 1 --size-col 2 --proc-col 3
printf '1 2\n3 0:4 1:4\n' >"$tmp/bad"
"$swaplab" sim "$tmp/belady" "$tmp/bad" --quantum 2 --frames 3 >"$tmp/out" 2>"$tmp/err"
expect "--quantum: a trace naming another process is an error" "$? $(cat "$tmp/err")" \
	"1 swaplab: $tmp/bad:2: '0:4': process 0, but this trace of several mixed is process 1"
"$swaplab" sim "$tmp/belady" "$tmp/missing" --quantum 2 --frames 3 >"$tmp/out" 2>/dev/null
expect "--quantum: a missing trace exits 1, no table" "$? $(wc -c <"$tmp/out")" "1 0"
for args in "$tmp/belady --quantum 2" "$tmp/belady $tmp/belady" \
	    "$tmp/belady $tmp/belady --quantum 0" \
	    "$tmp/belady $tmp/belady --quantum 2 --format csv --offset-col 1 --size-col 2 --proc-col 3" \
	    "$tmp/two --policy arc" "$tmp/two --policy lirs" "$tmp/two --prefetcher leap" \
	    "$tmp/two --json --curve 50" "$tmp/belady --proc-col 2"; do
	# shellcheck disable=SC2086
	"$swaplab" sim $args --frames 3 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "sim ${args#"$tmp"/}: refused, exit 2"
	else
		not_ok "sim ${args#"$tmp"/}: exit $rc, expected 2 with a message and no table"
	fi
done
"$swaplab" sim "$tmp/two" --curve 50 >"$tmp/out" 2>"$tmp/err"
expect "--curve with two processes: refused" "$? $(wc -c <"$tmp/out") $(cat "$tmp/err")" \
	"2 0 swaplab: --curve: one process only, and the trace has 2; the module's policies, lru and opt run several"
for args in "--procs 2" "--quantum 3" "--procs 0 --quantum 1" "--procs 4097 --quantum 1" \
	    "--procs 2 --quantum 0" "--procs 2x --quantum 1"; do
	# shellcheck disable=SC2086
	"$swaplab" gen zipf --pages 10 $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "gen $args: refused, exit 2"
	else
		not_ok "gen $args: exit $rc, expected 2 with a message and nothing printed"
	fi
done
# Pages of files: a word ending with f is a page of a file, with x one
# of a file mapped executable. 5 and 5f are two pages; 5f and 5x would
# be one, named two ways: refused below.
echo "1 2f 3x 2f 1" >"$tmp/kinds"
"$swaplab" sim "$tmp/kinds" --frames 2 --policy lru >"$tmp/out" 2>"$tmp/err"
expect "f and x words parse: exit, the column file, the swappiness" \
	"$? $(awk 'NR == 1 { print $4 }' "$tmp/out") $(sed -n '1s/.*batch 1; \(swappiness [0-9]*\)).*/\1/p' "$tmp/out")" \
	"0 file swappiness 60"
echo "5 7 5f 5f 5 7x" >"$tmp/kinds"
expect "5 and 5f are two pages" "$(counts "$tmp/kinds")" \
	"6 references, 4 pages"
expect "--swappiness: the header names it" \
	"$("$swaplab" sim "$tmp/kinds" --frames 2 --policy fifo --swappiness 150 |
	   sed -n '1s/.*batch 1; \(swappiness [0-9]*\)).*/\1/p')" "swappiness 150"
expect "anonymous pages only: no column file, no swappiness" \
	"$("$swaplab" sim "$tmp/belady" --frames 3 --policy fifo --swappiness 150 |
	   awk 'NR == 1 { print $4, /swappiness/ }')" "refaults 0"
# The column file by hand, 2 frames: 1f 2 1f 3 1f 2 4x 4x. FIFO: 1f, 2
# fault; 1f hits; 3 evicts 1f, 1f evicts 2, 2 evicts 3, 4x evicts 1f;
# 4x hits: 6 faults, 3 of them on pages of files (1f twice, 4x). LRU:
# 1f, 2 fault; 1f hits; 3 evicts 2; 1f hits; 2 evicts 3; 4x evicts 1f;
# 4x hits: 5 faults, 2 on pages of files (1f, 4x).
echo "1f 2 1f 3 1f 2 4x 4x" >"$tmp/kinds"
# filecol TRACE FRAMES POLICY: its faults/file faults
filecol() {
	"$swaplab" sim "$1" --frames "$2" --policy "$3" |
		awk -v p="$3" '$1 == p { print $2 "/" $4 }'
}
expect "the column file by hand: fifo" "$(filecol "$tmp/kinds" 2 fifo)" "6/3"
expect "the column file by hand: lru" "$(filecol "$tmp/kinds" 2 lru)" "5/2"
# A policy that ignores the kinds (fifo) faults on a string of pages of
# files as on the same string with each page of a file an anonymous page
# of its own: numbered past every anonymous one, so that the ids, and a
# sample's pages, are the same. Every other reference to a multiple of 3
# is to the page of a file of that number, the others to the anonymous
# one; a multiple of 5 but not of 3 is an executable's.
"$swaplab" gen zipf --pages 3000 --refs 30000 >"$tmp/zipf3000"
awk '{ if ($1 % 3 == 0 && NR % 2) print $1 "f"
	else if ($1 % 3 && $1 % 5 == 0) print $1 "x"
	else print $1 }' "$tmp/zipf3000" >"$tmp/mixed"
awk '{ if (($1 % 3 == 0 && NR % 2) || ($1 % 3 && $1 % 5 == 0))
		print $1 + 1000000000
	else print $1 }' "$tmp/zipf3000" >"$tmp/mixed.anon"
# same NAME A B: A and B equal, and not empty
same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ok "$1: $2"; else not_ok "$1: '$2' against '$3'"; fi
}
for b in 1 32; do
	same "fifo ignores the kinds: faults through 300 frames, batch $b" \
		"$(faults "$tmp/mixed" 300 fifo --batch $b)" \
		"$(faults "$tmp/mixed.anon" 300 fifo --batch $b)"
done
# sampled_fifo TRACE: fifo's row of a sampled curve of TRACE
sampled_fifo() {
	"$swaplab" sim "$1" --curve 10,40 --sample 0.2 --sample-min 100 \
		--policy fifo | awk '$1 == "fifo"'
}
same "fifo ignores the kinds: a sampled curve" \
	"$(sampled_fifo "$tmp/mixed")" "$(sampled_fifo "$tmp/mixed.anon")"
# The kinds reach the policies with a notion of them (gen), with the
# swappiness: its faults differ between the two ends of its range, as
# they would not if its frames did not say which pages are files'.
g0=$(faults "$tmp/mixed" 300 gen --swappiness 0)
g200=$(faults "$tmp/mixed" 300 gen --swappiness 200)
if [ -n "$g0" ] && [ -n "$g200" ] && [ "$g0" != "$g200" ]; then
	ok "gen sees the kinds and the swappiness: $g0 faults at 0, $g200 at 200"
else
	not_ok "gen: '$g0' faults at swappiness 0, '$g200' at 200: expected two counts that differ"
fi
# Refused, with the line: a page named both f and x, a letter that is
# no kind.
printf '1 5f\n2 5x\n' >"$tmp/bad"
bad_line "a page of a file named both f and x" 2 \
	"page 5 is named both 5f and 5x; a file's page is one or the other"
printf '1:5x 1:5f\n' >"$tmp/bad"
bad_line "a process's page of a file named both x and f" 1 \
	"page 1:5 is named both 1:5x and 1:5f; a file's page is one or the other"
printf '1 2\n5q\n' >"$tmp/bad"
bad_line "a letter that is no kind" 2 \
	"'5q': 'q' is not a kind of page: f (a file's) or x (an executable's)"

# --allocation local, as the module's allocation=local: a state of the
# policy and a share of the frames each process, the budget less the
# module's default high watermark (4 frames below 128) shared by the
# allocator. A fault at its share evicts one of its own pages (--batch
# 1). Worked by hand. Two processes through 10 frames, 6 shared, 3
# each: A (0) loops over 4 pages twice, B (1) touches 2 and stays to the
# end. Global: first touches only, 4 and 2. Local: A's loop of 4 pages
# in 3 frames faults every time under FIFO and LRU, 8; OPT keeps 2 of
# them, 5.
echo "0:0 1:0 0:1 0:2 0:3 0:0 0:1 0:2 0:3 1:1" >"$tmp/loc"
expect "local by hand: global fifo" "$(procrows "$tmp/loc" 10 fifo)" \
	"6 p0=4/0/8 p1=2/0/2"
expect "local by hand: fifo" "$(procrows "$tmp/loc" 10 fifo --allocation local)" \
	"10 p0=8/4/8 p1=2/0/2"
expect "local by hand: lru" "$(procrows "$tmp/loc" 10 lru --allocation local)" \
	"10 p0=8/4/8 p1=2/0/2"
expect "local by hand: opt" "$(procrows "$tmp/loc" 10 opt --allocation local)" \
	"7 p0=5/1/8 p1=2/0/2"
expect "local: the header says how many frames are shared, and how" \
	"$("$swaplab" sim "$tmp/loc" --frames 10 --policy fifo --allocation local | sed -n '1s/.*frames, batch 1; \([^;]*\);.*/\1/p')" \
	"local: 6 frames shared, equal"
# B's last reference before A's loop: B leaves, and A's share is all 6
# frames; its loop then faults on first touches only.
echo "0:0 1:0 0:1 1:1 0:2 0:3 0:0 0:1 0:2 0:3" >"$tmp/leave"
expect "local by hand: a process that leaves gives its share" \
	"$(procrows "$tmp/leave" 10 fifo --allocation local)" "6 p0=4/0/8 p1=2/0/2"
# Proportional: shares by the pages each process holds (those it has
# faulted in), set again at every tick (--tick: 12 references here).
# A (0) maps pages 0-5, B (1) 0-1, 12 frames, 8 shared; while neither
# holds a page the shares are equal, 4 and 4, and A's loop of 6 pages
# faults every time under FIFO; the tick before A's 13th reference
# finds it holding 6 pages and B 2: 6 and 2; A faults on 4 and 5 only,
# into frames of its own, and B leaves after its 1:1, so A's last loop
# is all hits. Equal: A at 4 until B leaves, then 8, and its last loop
# faults on 0 and 1 first.
echo "0:0 0:1 0:2 0:3 0:4 0:5 1:0 1:1 0:0 0:1 0:2 0:3 0:4 0:5 1:1 0:0 0:1 0:2 0:3 0:4 0:5" >"$tmp/prop"
expect "local by hand: proportional to the pages held, fifo" \
	"$(procrows "$tmp/prop" 12 fifo --allocation local --allocator proportional)" \
	"14 p0=12/6/18 p1=2/0/3"
expect "local by hand: equal on the same, fifo" \
	"$(procrows "$tmp/prop" 12 fifo --allocation local --allocator equal)" \
	"16 p0=14/8/18 p1=2/0/3"
# A mapping costs nothing until touched: A touches pages 0 and 100
# (it maps 101) and stays to the end; B loops over 0-4. Equal, 4 each
# until the tick before B's 11th reference: B's 5 pages in 4 frames
# fault every time (10 faults); the tick finds A holding 2 pages, B 5:
# 2 and 5 of 8, and B's loop fits from its next fault on. By the
# extent mapped, B would have 1 frame, and fault every time.
echo "0:0 0:100 1:0 1:1 1:2 1:3 1:4 1:0 1:1 1:2 1:3 1:4 1:0 1:1 1:2 1:3 1:4 1:0 1:1 1:2 1:3 1:4 0:0" >"$tmp/size"
expect "local by hand: proportional to the pages held, not to the extent mapped" \
	"$(procrows "$tmp/size" 12 fifo --allocation local --allocator proportional)" \
	"13 p0=2/0/3 p1=11/6/20"
# One process has the budget less the watermark: FIFO through 8 frames
# faults on Belady's string as through 4.
expect "local: one process, fifo on Belady's string through 8 frames" \
	"$(faults "$tmp/belady" 8 fifo --allocation local)" 10
expect "local: --json says the allocation" \
	"$("$swaplab" sim "$tmp/prop" --frames 12 --policy fifo --allocation local --allocator proportional --json |
	   sed -n 's/^  "\(allocation\|shared\|allocator\)": \(.*\),$/\1=\2/p' | tr '\n' ' ')" \
	'allocation="local" shared=8 allocator="proportional" '
# refused ARGS: swaplab sim on $tmp/prop through 12 frames with ARGS
# must exit 2 with a message and no table.
refused() {
	# shellcheck disable=SC2086
	"$swaplab" sim "$tmp/prop" --frames 12 $1 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "sim $1: refused, exit 2"
	else
		not_ok "sim $1: exit $rc, expected 2 with a message and no table"
	fi
}
for args in "--allocation local --policy arc" "--allocation local --policy lirs" \
	    "--allocation local --prefetcher window" "--allocation local --page-buffering" \
	    "--allocation local --resize 2:4" "--allocator equal" \
	    "--allocation local --allocator fair" "--allocation both" \
	    "--allocation local --allocator ws --policy lru" \
	    "--allocation local --allocator pff --pff-lower 100" \
	    "--allocation local --pff-upper 5 --pff-lower 5" \
	    "--allocation local --ws-tau 0" "--ws-tau 64" \
	    "--allocation local --ws-report $tmp/r"; do
	refused "$args"
done
"$swaplab" sim "$tmp/prop" --curve 50 --allocation local >"$tmp/out" 2>"$tmp/err"
expect "--curve under local: refused" "$? $(wc -c <"$tmp/out")" "2 0"
expect "local: arc and lirs left out of all" \
	"$("$swaplab" sim "$tmp/prop" --frames 12 --allocation local | awk 'NR > 1 && $1 !~ /^p[0-9]/ { printf "%s ", $1 }')" \
	"aging clock fifo random wsclock s3fifo sieve 2q car clockpro lfu gen adapt lru opt "
# The working-set estimate (module/alloc/alloc_ws.c) against the exact working
# set, at every tick (--ws-report: tick, process, virtual time, estimate,
# exact): 2 processes whose working sets of 512 pages each move 8 times
# (gen shift), through 1024 frames under ws, a window of 2048 pages
# referenced. Once the first window has passed, the estimate is within
# 10% of the exact count at 90% of the ticks at least.
"$swaplab" gen shift --pages 2048 --refs 200000 --procs 2 --quantum 50 >"$tmp/shift2"
for p in clock gen; do
	"$swaplab" sim "$tmp/shift2" --frames 1024 --batch 32 --policy $p \
		--allocation local --allocator ws --ws-tau 2048 \
		--ws-report "$tmp/ws" >/dev/null
	r=$(awk '$3 >= 2048 { n++; d = $4 - $5; if (d < 0) d = -d
			     if (d * 10 <= $5) k++ }
		 END { printf "%d %d %.3f", k, n, n ? k / n : 0 }' "$tmp/ws")
	# shellcheck disable=SC2086
	set -- $r
	if [ "$2" -ge 100 ] && [ $(($1 * 10)) -ge $(($2 * 9)) ]; then
		ok "ws estimate, $p: within 10% of the exact working set at $1 of $2 ticks ($3)"
	else
		not_ok "ws estimate, $p: within 10% of the exact working set at $1 of $2 ticks ($3), expected 90% of 100 or more"
	fi
done
expect "--ws-report: the first tick's lines, one a process, of 5 columns" \
	"$(awk 'NR <= 2 { printf "%s %s, ", $1, $2 } END { print NF }' "$tmp/ws")" \
	"1 0, 1 1, 5"

# endrow TRACE FRAMES POLICY ALLOCATOR: each process's allocation at
# its end (the sixth column of its row)
endrow() {
	"$swaplab" sim "$1" --frames "$2" --batch 32 --policy "$3" \
		--allocation local --allocator "$4" |
		awk '$1 ~ /^p[0-9]+$/ { printf "%s%s", n++ ? " " : "", $6 }'
}
# quanta A B: 40000 references, 50 of process 0's then 50 of 1's, each
# looping over its pages: A (the first 20000 of its references) then B
quanta() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (t = 0; t < 40000; t++)
		if (int(t / 50) % 2) print "1:" (y++ % 16)
		else { i = x++; print "0:" (i % (i < 10000 ? a : b)) } }'
}
# pff through 512 frames, 496 shared, 248 each at first: process 0
# loops over 1000 pages and faults at every reference under fifo, far
# above the upper threshold: it grows. Process 1 loops over 16 pages and
# faults on first touches only, below the lower: it shrinks.
quanta 1000 1000 >"$tmp/pff"
# shellcheck disable=SC2046
set -- $(endrow "$tmp/pff" 512 fifo pff)
if [ "${1:-0}" -gt 248 ] && [ "${2:-999}" -lt 248 ]; then
	ok "pff: the process above the upper threshold grows, the one below the lower shrinks (248 each at first, $1 and $2 at the end)"
else
	not_ok "pff: allocations $1 and $2 at the end, expected above and below 248"
fi
# ws: process 0 loops over 64 pages, then over 256 (or 64 all along);
# process 1 over 16. Its working set grows and so does its allocation.
quanta 64 256 >"$tmp/grow"
quanta 64 64 >"$tmp/flat"
flat=$(endrow "$tmp/flat" 512 fifo ws | cut -d' ' -f1)
grow=$(endrow "$tmp/grow" 512 fifo ws | cut -d' ' -f1)
if [ "${grow:-0}" -gt "${flat:-0}" ] && [ "${grow:-0}" -ge 256 ]; then
	ok "ws: a working set that grows to 256 pages gets more frames ($flat, then $grow)"
else
	not_ok "ws: allocation ${flat:-missing} with a working set of 64 pages, ${grow:-missing} with one of 256"
fi

# Load control (--load-control, by module/api/loadctl_rule.h's rules).
# lcrows TRACE ARGS...: the faults, then each process's deactivations,
# activations, periods deactivated and longest spell, through 256 frames
# (248 shared) under fifo and ws unless ARGS say otherwise.
lcrows() {
	t=$1
	shift
	"$swaplab" sim "$t" --frames 256 --policy fifo --allocation local \
		--allocator ws "$@" |
		awk '$1 == "fifo" { printf "%s", $2 }
		     $1 ~ /^p[0-9]+$/ { printf " %s=%s/%s/%s/%s", $1, $9, $10, $11, $12 }'
}
# loops A B: 40000 references, 50 of process 0's then 50 of 1's, process
# 0 looping over A pages, process 1 over B
loops() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (t = 0; t < 40000; t++)
		if (int(t / 50) % 2) print "1:" (y++ % b)
		else print "0:" (x++ % a) }'
}
# Two loops of 160 pages: the working sets, 320 pages, overcommit the
# 248 frames shared, and under fifo each process faults at every
# reference in its half. Load control runs one at a time.
loops 160 160 >"$tmp/lc"
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc")
off=$1
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc" --load-control)
on=$1
d=$(echo "$2 $3" | awk -F'[=/ ]' '{ print $2 + $7, $3 + $8 }')
if [ -n "$off" ] && [ -n "$on" ] && [ "$on" -lt "$off" ] &&
   [ "${d% *}" -ge 1 ] && [ "${d#* }" -ge 1 ]; then
	ok "load control: two loops of 160 pages in 248 frames, $off faults without, $on with (deactivations and activations: $d)"
else
	not_ok "load control: ${off:-no} faults without, ${on:-no} with, deactivations and activations ${d:-missing}: expected fewer with, and one of each at least"
fi
# Under pff: the process deactivated comes back at the next calm period
# (pff keeps no room), and the two take turns a period at a time.
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc" --allocator pff)
off=$1
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc" --allocator pff --load-control)
if [ -n "$off" ] && [ -n "$1" ] && [ "$1" -lt "$off" ]; then
	ok "load control under pff: $off faults without, $1 with"
else
	not_ok "load control under pff: ${off:-no} faults without, ${1:-no} with: expected fewer with"
fi
# The bound: neither working set fits in the room the other leaves, so
# only the bound lets a process back. With --lc-max 4, no spell is longer
# than 4 periods, and the spells that end by the bound are 4 long.
r=$(lcrows "$tmp/lc" --load-control --lc-max 4)
expect "load control: --lc-max 4, each process's longest spell" \
	"$(echo "$r" | tr ' ' '\n' | sed -n 's,^p\([0-9]*\)=\([0-9]*\)/.*/\([0-9]*\)$,p\1:\3,p' | tr '\n' ' ')" \
	"p0:4 p1:4 "
if echo "$r" | tr ' ' '\n' | awk -F'[=/]' 'NR > 1 && ($2 < 2 || $4 != 4 * $2) { bad = 1 }
					  END { exit bad }'; then
	ok "load control: --lc-max 4, every spell ends at the bound ($r)"
else
	not_ok "load control: --lc-max 4, expected spells of 4 periods, 2 or more a process: $r"
fi
# Under ws a period deactivates until the working sets left fit: four
# loops of 100 pages, 50 references of each in turn, in 248 frames; two
# go at the first period that finds them thrashing (one a period, all
# four thrash a period longer at each turn: 6062 faults).
awk 'BEGIN { for (t = 0; t < 80000; t++) { p = int(t / 50) % 4
	print p ":" (c[p]++ % 100) } }' >"$tmp/lc4"
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc4")
off=$1
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lc4" --load-control)
if [ -n "$1" ] && [ "$1" -lt 4000 ] && [ "$off" -gt 40000 ]; then
	ok "load control: four loops of 100 pages, deactivated until the rest fit: $off faults without, $1 with"
else
	not_ok "load control: four loops of 100 pages: ${off:-no} faults without, ${1:-no} with: expected under 4000 with"
fi
# A newcomer counts the pages it maps until its estimate has had one
# window to grow, and is held at its first reference if they do not
# fit: three processes of 150 pages, 50 references each in turn, first
# touching their pages and then at random, in 248 frames. Process 0
# begins; 1 and 2 are held before they take a frame, and each runs
# alone in turn: no page faults twice, 450 faults for 450 first touches
# (found at the first tick instead, 477; by the estimate alone, which
# trails them, 721).
awk 'BEGIN { srand(7); for (t = 0; t < 3600; t++) { p = int(t / 50) % 3
	if (n[p] < 150) print p ":" n[p]++; else print p ":" int(rand() * 150) } }' \
	>"$tmp/lcn"
# shellcheck disable=SC2046
set -- $(lcrows "$tmp/lcn" --load-control)
if [ "$1" = 450 ]; then
	ok "load control: newcomers held at their first reference, $1 faults for 450 first touches"
else
	not_ok "load control: newcomers: ${1:-no} faults, expected 450, the first touches"
fi
# An idle process holds no one: process 1 touches two of its 100 pages
# at reference 1000 and makes its last reference at the string's end;
# process 0 loops over 100 pages, and process 2 begins at reference
# 10000 with a loop of 100 of its own. Process 1 is quiet (no fault for
# a period) and counts the 2 frames it holds, so the three fit in 248
# frames: nobody is held or deactivated. Counted by its mapping, as a
# newcomer is until its window passes (which its virtual time never
# reaches), it would hold process 2 and deactivate process 0.
awk 'BEGIN { for (t = 0; t < 30000; t++) {
	if (t == 1000) print "1:0"; if (t == 1001) print "1:99"
	if (t < 10000 || int(t / 50) % 2) print "0:" (x++ % 100)
	else print "2:" (y++ % 100) } print "1:0" }' >"$tmp/lcidle"
r=$(lcrows "$tmp/lcidle" --load-control)
if [ "${r#* }" = "p0=0/0/0/0 p1=0/0/0/0 p2=0/0/0/0" ]; then
	ok "load control: an idle process holds no one ($r)"
else
	not_ok "load control: an idle process: expected no deactivation, got ${r:-no rows}"
fi
# The victim: at equal weights, the process with the most frames.
# Process 1 loops over 200 pages, process 0 over 100: under ws, process
# 1 holds the more frames and is deactivated; with a bound longer than
# the string it stays out until process 0 leaves, and process 0 never is.
loops 100 200 >"$tmp/lcv"
expect "load control: the larger process is the one deactivated" \
	"$(lcrows "$tmp/lcv" --load-control --lc-max 600 | cut -d' ' -f2- |
	   sed 's,/[0-9]*/[0-9]*$,,; s,/[0-9]*/[0-9]* , ,')" "p0=0/0 p1=1/1"
expect "load control: --json has the counts" \
	"$("$swaplab" sim "$tmp/lcv" --frames 256 --policy fifo --allocation local \
		--allocator ws --load-control --lc-max 600 --json |
	   grep -c '"deactivations": 1, "activations": 1, "periods_deactivated"')" 2
for args in "--load-control" "--allocation local --load-control" \
	    "--allocation local --allocator proportional --load-control" \
	    "--allocation local --allocator ws --lc-period 100" \
	    "--allocation local --allocator ws --lc-max 5" \
	    "--allocation local --allocator ws --load-control --lc-max 0" \
	    "--allocation local --allocator ws --load-control --lc-max 601" \
	    "--allocation local --allocator ws --load-control --lc-period 0" \
	    "--allocation local --allocator pff --load-control --policy lru"; do
	refused "$args"
done
# --jobs: the replays of a table, a curve and a prefetch table on threads
# of their own give the output of one job, byte for byte and in order,
# one process or several, global or local.
"$swaplab" gen zipf --pages 3000 --refs 30000 >"$tmp/jz"
"$swaplab" gen loop --pages 600 --refs 12000 --procs 3 --quantum 64 >"$tmp/jp"
for args in "$tmp/jz --frames 300" "$tmp/jz --frames 300 --json" \
	    "$tmp/jz --curve 1,10,50" "$tmp/jz --frames 300 --prefetcher all" \
	    "$tmp/jz --frames 300 --resize 9000:100,20000:400 --batch 8" \
	    "$tmp/jp --frames 500" \
	    "$tmp/jp --frames 500 --allocation local --allocator pff" \
	    "$tmp/jp --frames 500 --allocation local --allocator ws --load-control"; do
	# shellcheck disable=SC2086
	"$swaplab" sim $args --jobs 1 >"$tmp/j1" 2>&1
	r1=$?
	# shellcheck disable=SC2086
	"$swaplab" sim $args --jobs 3 >"$tmp/j3" 2>&1
	r3=$?
	rows=$(wc -l <"$tmp/j1")
	if [ $r1 = 0 ] && [ $r3 = 0 ] && [ "$rows" -gt 3 ] && cmp -s "$tmp/j1" "$tmp/j3"; then
		ok "--jobs 3 as --jobs 1 ($rows lines): $(echo "$args" | sed "s,$tmp/,,")"
	else
		not_ok "--jobs 3 against --jobs 1 (exit $r1, $r3; $rows lines): $(echo "$args" | sed "s,$tmp/,,"): $(diff "$tmp/j1" "$tmp/j3" | head -4 | tr '\n' ' ')"
	fi
done
for j in 0 257 x; do
	"$swaplab" sim "$tmp/jz" --frames 300 --jobs $j >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "--jobs $j: refused, exit 2"
	else
		not_ok "--jobs $j: exit $rc, expected 2 with a message and no table"
	fi
done

# libCacheSim's oracleGeneral records (--format oracle), and zstd: a
# hand-written file of Belady's string, 24 bytes a record (time, object
# id, size, next access), reads as the text does.
rec() {
	id=$(printf '\\%03o' "$1")
	# shellcheck disable=SC2059
	printf "\\000\\000\\000\\000$id\\000\\000\\000\\000\\000\\000\\000\\000\\020\\000\\000\\377\\377\\377\\377\\377\\377\\377\\377"
}
for p in 1 2 3 4 1 2 5 1 2 3 4 5; do rec $p; done >"$tmp/belady.oracle"
expect "oracle: fifo on Belady's string by hand, 3 frames" \
	"$(faults "$tmp/belady.oracle" 3 fifo --format oracle)" 9
expect "oracle: fifo on Belady's string by hand, 4 frames" \
	"$(faults "$tmp/belady.oracle" 4 fifo --format oracle)" 10
# gen --format oracle writes what gen prints, and sim reads it, plain,
# zstd-compressed, and through a pipe, to the same table; so does the
# text compressed.
"$swaplab" gen zipf --pages 2000 --refs 20000 >"$tmp/oz"
"$swaplab" gen zipf --pages 2000 --refs 20000 --format oracle >"$tmp/oz.oracle"
zstd -q -f "$tmp/oz.oracle" -o "$tmp/oz.oracle.zst"
zstd -q -f "$tmp/oz" -o "$tmp/oz.zst"
"$swaplab" sim "$tmp/oz" --frames 200 >"$tmp/oz.want"
expect "oracle: gen --format oracle writes 24 bytes a reference" \
	"$(wc -c <"$tmp/oz.oracle")" 480000
expect "oracle: the next access of the first record (the next 0 in the text)" \
	"$(od -A n -t d8 -j 16 -N 8 "$tmp/oz.oracle" | tr -d ' ')" \
	"$(awk -v p="$(head -1 "$tmp/oz")" 'NR > 1 && $1 == p { print NR - 1; exit }' "$tmp/oz")"
for args in "$tmp/oz.oracle --format oracle" "$tmp/oz.oracle.zst --format oracle" \
	    "- --format oracle <$tmp/oz.oracle.zst" "$tmp/oz.zst" "- <$tmp/oz.zst"; do
	eval "\"\$swaplab\" sim $args --frames 200" >"$tmp/oz.got" 2>&1
	if [ $? = 0 ] && cmp -s "$tmp/oz.want" "$tmp/oz.got"; then
		ok "oracle/zstd: $(echo "$args" | sed "s,$tmp/,,g") reads as the text"
	else
		not_ok "oracle/zstd: $(echo "$args" | sed "s,$tmp/,,g"): $(head -2 "$tmp/oz.got" | tr '\n' ' ')"
	fi
done
# A file cut inside a record or a frame, or a frame corrupted, is an
# error naming the file and the byte, with no table.
head -c 479990 "$tmp/oz.oracle" >"$tmp/cut.oracle"
head -c 2000 "$tmp/oz.oracle.zst" >"$tmp/cut.zst"
size=$(wc -c <"$tmp/oz.oracle.zst")
{ head -c 1000 "$tmp/oz.oracle.zst"; printf 'XXXXXXXX'; tail -c $((size - 1008)) "$tmp/oz.oracle.zst"; } >"$tmp/bad.zst"
for c in "cut.oracle:byte 479976: a record cut short" \
	 "cut.zst:zstd: the file ends inside a frame, at byte 2000" \
	 "bad.zst:zstd: "; do
	f=${c%%:*} want=${c#*:}
	"$swaplab" sim "$tmp/$f" --format oracle --frames 200 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/$f: $want" "$tmp/err"; then
		ok "oracle/zstd: $f refused: $(cat "$tmp/err")"
	else
		not_ok "oracle/zstd: $f: exit $rc, $(wc -l <"$tmp/out") lines out, '$(cat "$tmp/err")'"
	fi
done
# pzstd, zstd's parallel compressor (in Debian's zstd), opens its file
# with a skippable frame, one before each frame, its size: what it writes
# reads as zstd's does, from a file and a pipe, to the plain file's table
# and reference count, the text and the records alike, in one frame or in
# several (pzstd -1 cuts 4.8 MB of records into 2 MB frames).
pzstd -q -f "$tmp/oz" -o "$tmp/oz.pz"
pzstd -q -f "$tmp/oz.oracle" -o "$tmp/oz.oracle.pz"
"$swaplab" gen zipf --pages 2000 --refs 200000 --format oracle >"$tmp/pz.oracle"
pzstd -q -f -1 -p 2 "$tmp/pz.oracle" -o "$tmp/pz.oracle.pz"
"$swaplab" sim "$tmp/pz.oracle" --format oracle --frames 200 >"$tmp/pz.want"
frames=$(zstd -lv "$tmp/pz.oracle.pz" 2>/dev/null | awk '/^# Zstandard Frames:/ { print $NF }')
if [ "$(od -A n -t x4 -N 4 "$tmp/pz.oracle.pz" | tr -d ' ')" = 184d2a50 ] &&
   [ "${frames:-0}" -gt 1 ] && grep -q '(200000 references' "$tmp/pz.want"; then
	ok "pzstd: the file opens with a skippable frame, $frames frames of records"
else
	not_ok "pzstd: expected a skippable frame first and several frames, $frames frames, $(head -1 "$tmp/pz.want")"
fi
for c in "oz.pz:oz.want" "oz.oracle.pz --format oracle:oz.want" \
	 "- --format oracle <$tmp/oz.oracle.pz:oz.want" "- <$tmp/oz.pz:oz.want" \
	 "pz.oracle.pz --format oracle:pz.want" \
	 "- --format oracle <$tmp/pz.oracle.pz:pz.want"; do
	args=${c%:*} want=${c##*:}
	case $args in -*) ;; *) args=$tmp/$args ;; esac
	eval "\"\$swaplab\" sim $args --frames 200" >"$tmp/pz.got" 2>&1
	if [ $? = 0 ] && cmp -s "$tmp/$want" "$tmp/pz.got"; then
		ok "pzstd: $(echo "$args" | sed "s,$tmp/,,g") reads as the plain file ($(head -1 "$tmp/pz.got" | sed 's/.*(\([0-9]* references\).*/\1/'))"
	else
		not_ok "pzstd: $(echo "$args" | sed "s,$tmp/,,g"): $(diff "$tmp/$want" "$tmp/pz.got" | head -4 | tr '\n' ' ')"
	fi
done
# A skippable frame and then no frame, a pzstd file cut inside a frame,
# and bytes that are no trace (1000 of a compressed file, past its
# magic: no page numbers, and 41 records and 16 bytes) are errors naming
# the file, with no table, as text and as records.
{ head -c 12 "$tmp/oz.pz"; echo "1 2 3"; } >"$tmp/skip.pz"
head -c 3000 "$tmp/pz.oracle.pz" >"$tmp/cut.pz"
tail -c +5 "$tmp/oz.oracle.zst" | head -c 1000 >"$tmp/garbage"
while read -r f fmt want; do
	"$swaplab" sim "$tmp/$f" --format "$fmt" --frames 200 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 1 ] && [ ! -s "$tmp/out" ] &&
	   LC_ALL=C grep -q "$tmp/$f$want" "$tmp/err"; then
		ok "refused: $f --format $fmt: $(cat -v "$tmp/err" | sed "s,$tmp/,,g")"
	else
		not_ok "$f --format $fmt: exit $rc, $(wc -l <"$tmp/out") lines out, '$(cat -v "$tmp/err")'"
	fi
done <<END
skip.pz pages : zstd: .*, at byte 12
skip.pz oracle : zstd: .*, at byte 12
cut.pz pages : zstd: the file ends inside a frame, at byte 3000
cut.pz oracle : zstd: the file ends inside a frame, at byte 3000
garbage pages :1: .* is not a page number
garbage oracle : byte 984: a record cut short, 16 of 24 bytes
END
expect "oracle: gen --format oracle with --procs refused" \
	"$("$swaplab" gen zipf --pages 10 --procs 2 --quantum 2 --format oracle >/dev/null 2>&1; echo $?)" 2
# gen --sparse scatters the same string's page numbers over 64 bits, as
# real traces' object ids are: every one past 2^32, as many distinct
# ones, and every policy's row the dense string's, as text and as
# oracleGeneral records (the reader's hash path, not its direct table);
# but adapt's, which samples pages by the number the reader gives them.
"$swaplab" gen zipf --pages 2000 --refs 20000 --sparse >"$tmp/sz"
"$swaplab" gen zipf --pages 2000 --refs 20000 --sparse --format oracle >"$tmp/sz.oracle"
if [ "$(awk 'length($1) < 10' "$tmp/sz" | wc -l)" = 0 ] &&
   [ "$(sort -u "$tmp/sz" | wc -l)" = "$(sort -u "$tmp/oz" | wc -l)" ]; then
	ok "gen --sparse: no id under 2^32, as many distinct pages as the dense string"
else
	not_ok "gen --sparse: ids not scattered: $(head -3 "$tmp/sz" | tr '\n' ' ')"
fi
for args in "$tmp/sz" "$tmp/sz.oracle --format oracle"; do
	eval "\"\$swaplab\" sim $args --frames 200" >"$tmp/sz.got" 2>&1
	if [ $? = 0 ] &&
	   [ "$(sed -e 1d -e '/^adapt /d' "$tmp/sz.got")" = "$(sed -e 1d -e '/^adapt /d' "$tmp/oz.want")" ] &&
	   [ "$(wc -l <"$tmp/sz.got")" -gt 10 ]; then
		ok "gen --sparse: $(echo "$args" | sed "s,$tmp/,,g"): every row the dense string's"
	else
		not_ok "gen --sparse: $(echo "$args" | sed "s,$tmp/,,g"): $(diff "$tmp/oz.want" "$tmp/sz.got" | head -4 | tr '\n' ' ')"
	fi
done

# The string and OPT's next uses are kept in files (strmap.c): a replay
# drops what it has passed, so its peak memory does not grow with the
# string. 4M references over 1000 pages are 32 MB as ids: the replays'
# peak stays far below that, and their table is the one of the string
# held in memory (no file can be made in a TMPDIR that does not exist).
gen_big=$("$swaplab" gen zipf --pages 1000 --refs 4000000 --theta 0.9 >"$tmp/big" && echo ok)
for p in fifo lru opt arc lirs; do
	/usr/bin/time -f '%M' -o "$tmp/big.kb" "$swaplab" sim "$tmp/big" --frames 100 \
		--policy $p >"$tmp/big.file" 2>&1
	file_kb=$(cat "$tmp/big.kb")
	TMPDIR=$tmp/none /usr/bin/time -f '%M' -o "$tmp/big.kb" "$swaplab" sim "$tmp/big" \
		--frames 100 --policy $p >"$tmp/big.mem" 2>&1
	mem_kb=$(cat "$tmp/big.kb")
	if [ "$gen_big" = ok ] && cmp -s "$tmp/big.file" "$tmp/big.mem" &&
	   grep -q "^$p " "$tmp/big.file" && [ "$file_kb" -lt 24000 ] &&
	   [ "$mem_kb" -gt $((file_kb + 24000)) ]; then
		ok "a 4M-reference string in a file: $p's peak $file_kb KB, in memory $mem_kb KB, the same table"
	else
		not_ok "a 4M-reference string in a file: $p's peak $file_kb KB, in memory $mem_kb KB, $(head -3 "$tmp/big.file" | tr '\n' ' ')"
	fi
done
# make bench's simulator section (tools/testing/simbench-report): each
# goal's verdict from its figures, and a figure not there is "missing",
# never "met", with the exit status 1.
report=$here/../tools/testing/simbench-report
{
	echo "host Linux 6.1 x86_64"
	echo "cpus 2"
	echo "cpu a CPU"
	echo "mem_kb 1048576"
	echo "libcachesim /cachesim"
	echo "libcachesim_commit aa0fc40914b2"
	for s in goal sparse scale; do
		echo "${s}_refs 1000"
		echo "${s}_pages 100"
		for pct in 1 10; do
			for p in fifo clock sieve s3fifo lru opt; do
				echo "${s}_${pct}_sw_${p}_s 1.00"
				echo "${s}_${pct}_sw_${p}_kb 100"
				echo "${s}_${pct}_sw_${p}_faults 10"
				echo "${s}_${pct}_lcs_${p}_s 2.00"
				echo "${s}_${pct}_lcs_${p}_kb 200"
				echo "${s}_${pct}_lcs_${p}_faults 10"
			done
			echo "${s}_${pct}_sw_gen_s 1.00"
			echo "${s}_${pct}_sw_gen_kb 100"
			echo "${s}_${pct}_sw_gen_faults 10"
		done
	done
	echo "goal_all_j1_s 10.00"
	echo "goal_all_j2_s 5.00"
	echo "goal_all_same 1"
	echo "curve_exact_s 100.00"
	echo "curve_sampled_s 5.00"
	echo "curve_taken 20000"
	echo "curve_err 0.0040"
	echo "curve_err_at lru at 5%:100000"
	echo "curve_page_share 0.010000"
	echo "curve_ref_share 0.011000"
	echo "curve_err_by_refs 0.0030"
	echo "curve_err_by_refs_at fifo at 10%:200000"
} >"$tmp/sb.txt"
"$report" "$tmp/sb.txt" >"$tmp/sb.rst"
rc=$?
n=$(grep -c ', met$' "$tmp/sb.rst")
if [ $rc = 0 ] && [ "$n" = 72 ] && ! grep -q 'missing\|missed\|^- Why' "$tmp/sb.rst" &&
   [ "$(grep -c '(met)' "$tmp/sb.rst")" = 7 ] &&
   grep -q '^- Speed: exact 100.00 s, sampled 5.00 s: 20.0x, goal >= 10x (met)$' "$tmp/sb.rst"; then
	ok "simbench-report: every figure there, every goal met, equal counts: exit 0, 72 ratios and 7 goals met"
else
	not_ok "simbench-report: every goal met: exit $rc, $n ratios met, $(grep -c '(met)' "$tmp/sb.rst") goals met"
fi
# Slower than the reference at 10%, jobs 2 at 0.7x, opt slower than fifo,
# fifo's count not libCacheSim's, a figure gone, a sampled curve off by
# 0.02 (with the reason: the sample's share of the references against its
# share of the pages) and one with no time: each said so.
sed -e 's/^goal_10_sw_fifo_s .*/goal_10_sw_fifo_s 3.00/' \
    -e 's/^curve_err .*/curve_err 0.0200/' -e '/^curve_sampled_s /d' \
    -e 's/^goal_all_j2_s .*/goal_all_j2_s 7.00/' \
    -e 's/^goal_1_sw_opt_s .*/goal_1_sw_opt_s 1.50/' \
    -e 's/^scale_10_lcs_fifo_faults .*/scale_10_lcs_fifo_faults 11/' \
    -e '/^scale_1_lcs_lru_kb /d' "$tmp/sb.txt" >"$tmp/sb2.txt"
"$report" "$tmp/sb2.txt" >"$tmp/sb2.rst"
rc=$?
if [ $rc = 1 ] && grep -q '^     - 0.67x, \*\*missed\*\*$' "$tmp/sb2.rst" &&
   grep -q '0.700x, goal <= 0.6x (\*\*missed\*\*)' "$tmp/sb2.rst" &&
   grep -q '^- opt at 1%: 1.50 s against fifo 1.00 s: 1.50x (\*\*missed\*\*)$' "$tmp/sb2.rst" &&
   [ "$(grep -c 'missing (scale_1_lcs_lru_kb)' "$tmp/sb2.rst")" = 2 ] &&
   grep -q '^     - 10, 11 (\*\*differ\*\*)$' "$tmp/sb2.rst" &&
   grep -q '^- The largest difference of fault rate: 0.0200 (.*), goal <= 0.01 (\*\*missed\*\*)$' "$tmp/sb2.rst" &&
   grep -q '^- Why: the pages taken are 1.000% of the pages and get 1.100% of the references, +10.0% of their share; .* 0.0030 (fifo at 10%:200000).$' "$tmp/sb2.rst" &&
   grep -q '^- Speed: missing (curve_sampled_s)$' "$tmp/sb2.rst" &&
   ! grep -q 'missing ([a-z_0-9]*)[^\n]*met' "$tmp/sb2.rst"; then
	ok "simbench-report: a slower fifo, jobs 2 at 0.7x, opt past fifo, fifo's count off, a figure gone, a curve off and its time gone: missed, missed, missed, differ, missing, missed, missing, exit 1"
else
	not_ok "simbench-report: misses and a missing figure not reported so (exit $rc)"
fi

# make bench's corpus (tools/testing/corpus): each published record
# format read as the page numbers worked out by hand: LIRS's '*' and
# blank lines skipped, an ARC request of N blocks N pages, keys of 4 and
# 8 bytes either way round, an address's 4 KiB page, an SPC (UMass)
# request's sectors and an MSR request's bytes as the pages they span,
# per ASU and per host and disk; a compressed file as what it holds; an
# unknown format refused.
corpus=$here/../tools/testing/corpus
cdir=$tmp/corpus-formats
mkdir -p "$cdir"
printf '3\n*\n4\n\n3\n' >"$cdir/lirs"
printf '5 3 0 1\n9 1 0 2\n' >"$cdir/arc"
printf '\001\000\000\000\002\000\000\000' >"$cdir/u32le"
printf '\000\000\000\001\000\000\001\000' >"$cdir/u32be"
printf '\000\000\000\000\000\000\000\007\001\000\000\000\000\000\000\000' >"$cdir/u64be"
printf 'l 0x2000 1\ns 0x2fff 3\nl 0x10000 2\n' >"$cdir/address"
printf '0,8,4096,r,0.1\n1,7,1024,w,0.2\n' >"$cdir/spc"
printf '1,hostA,0,Read,4096,8192,5\n2,hostB,1,Write,0,1,5\n' >"$cdir/msr"
gzip -c "$cdir/lirs" >"$cdir/lirs.gz"
got=
for f in lirs:lirs arc:arc u32le:u32le u32be:u32be u64be:u64be \
	 address:address spc:spc msr:msr lirs:lirs.gz; do
	got="$got ${f%%:*}=$("$corpus" --convert "${f%%:*}" "$cdir/${f#*:}" | tr '\n' ,)"
done
want=" lirs=3,4,3, arc=5,6,7,9, u32le=1,2, u32be=1,256, u64be=7,72057594037927936, address=2,2,16, spc=1,1099511627776,1099511627777, msr=1,2,1099511627776, lirs=3,4,3,"
if [ "$got" = "$want" ] &&
   ! "$corpus" --convert bogus "$cdir/lirs" >/dev/null 2>&1; then
	ok "corpus: every record format read as the pages worked out by hand, and an unknown one refused"
else
	not_ok "corpus: formats read as$got, expected$want"
fi
# Its report (tools/testing/corpus-report): adapt's goals from the
# counts, and a trace not read makes every goal over the corpus missing,
# never met, with the exit status 1. Eight traces of three sources,
# four sizes each: lfu best on the odd ones (clockpro 1.1x), clockpro on
# the even ones (lfu 1.15x), adapt at each case's best, gen 1.2x.
report=$here/../tools/testing/corpus-report
{
	echo "corpus /corpus"
	echo "libcachesim /cachesim"
	echo "libcachesim_commit aa0fc40"
	for t in 1 2 3 4 5 6 7 8; do
		echo "cs_t${t}_source src$((t % 3))"
		echo "cs_t${t}_status ok"
		echo "cs_t${t}_refs 1000"
		echo "cs_t${t}_pages 100"
		echo "cs_t${t}_frames 5,10,20,40"
		for pct in 5 10 20 40; do
			echo "cs_t${t}_${pct}_fifo 200"
			echo "cs_t${t}_${pct}_clockpro $((t % 2 ? 110 : 100))"
			echo "cs_t${t}_${pct}_gen 120"
			echo "cs_t${t}_${pct}_lfu $((t % 2 ? 100 : 115))"
			echo "cs_t${t}_${pct}_adapt 100"
			echo "cs_t${t}_${pct}_lirs 90"
			echo "cs_t${t}_${pct}_opt 50"
			echo "cs_t${t}_${pct}_lcs_lecar 130"
			echo "cs_t${t}_${pct}_lcs_cacheus 125"
		done
	done
	echo "cpu_string t1"
	echo "cpu_frames 10"
	echo "cpu_gen_s 2.00"
	echo "cpu_gen_kb 1000"
	echo "cpu_adapt_s 2.40"
	echo "cpu_adapt_kb 1000"
} >"$tmp/cs.txt"
"$report" "$tmp/cs.txt" >"$tmp/cs.rst"
rc=$?
if [ $rc = 0 ] && [ "$(grep -c '^     - met$' "$tmp/cs.rst")" = 4 ] &&
   ! grep -q 'missing\|missed' "$tmp/cs.rst" &&
   grep -q '^     - 32 of 32 cases; worst 1.000x' "$tmp/cs.rst" &&
   grep -q "best single fixed policy's (clockpro)" "$tmp/cs.rst" &&
   grep -q '^     - 0.953x$' "$tmp/cs.rst" &&
   grep -q '^8 published traces from 3 sources were read, 32 cases in all.$' "$tmp/cs.rst" &&
   grep -q "^The default: adapt meets every goal of this section; its two rows" "$tmp/cs.rst"; then
	ok "corpus-report: every goal met: exit 0, 4 goals met, clockpro the best single policy, adapt 0.953x of it"
else
	not_ok "corpus-report: every goal met: exit $rc, $(grep -c '^     - met$' "$tmp/cs.rst") goals met"
fi
# adapt 1.05x in one case and 1.3x gen's time, a trace not read, the
# memory figure gone: missed, missing, missing.
sed -e 's/^cs_t3_20_adapt .*/cs_t3_20_adapt 105/' \
    -e 's/^cs_t8_status .*/cs_t8_status missing (\/corpus\/t8)/' \
    -e 's/^cpu_adapt_s .*/cpu_adapt_s 2.60/' -e '/^cpu_adapt_kb /d' \
    "$tmp/cs.txt" >"$tmp/cs2.txt"
"$report" "$tmp/cs2.txt" >"$tmp/cs2.rst"
rc=$?
if [ $rc = 1 ] && grep -q '^     - 27 of 28 cases; worst 1.050x (t3 at 20%)$' "$tmp/cs2.rst" &&
   grep -q '^- ``t8`` (src2): missing (/corpus/t8)$' "$tmp/cs2.rst" &&
   [ "$(grep -c '^     - missing$' "$tmp/cs2.rst")" = 4 ] &&
   grep -q '^     - 2.60 s against 2.00 s: 1.30x$' "$tmp/cs2.rst" &&
   [ "$(grep -c '^     - \*\*missed\*\*$' "$tmp/cs2.rst")" = 1 ] &&
   ! grep -q '^     - met$' "$tmp/cs2.rst" &&
   grep -q '^The default: gen. Whether adapt has earned its place cannot be said while a figure above is missing.$' "$tmp/cs2.rst"; then
	ok "corpus-report: adapt past 1.03x, a trace not read, CPU 1.3x, memory gone: missing, missing, missed, missing, exit 1"
else
	not_ok "corpus-report: a miss and missing figures not reported so (exit $rc)"
fi
# Every trace read and adapt past 1.03x in one case, at 1.3x gen's
# time: the goals missed are named where gen stays the default.
sed -e 's/^cs_t3_20_adapt .*/cs_t3_20_adapt 105/' \
    -e 's/^cpu_adapt_s .*/cpu_adapt_s 2.60/' "$tmp/cs.txt" >"$tmp/cs3.txt"
"$report" "$tmp/cs3.txt" >"$tmp/cs3.rst"
rc=$?
if [ $rc = 0 ] && [ "$(grep -c '^     - \*\*missed\*\*$' "$tmp/cs3.rst")" = 2 ] &&
   grep -q "on this corpus it misses: within 1.03x of the best in every case (31 of 32); at most 1.25x gen's CPU time (1.30x).\$" "$tmp/cs3.rst"; then
	ok "corpus-report: two goals missed: gen stays the default, the two named with their figures"
else
	not_ok "corpus-report: two goals missed, not named: exit $rc, $(grep '^The default' "$tmp/cs3.rst")"
fi

results=$(wc -l <"$tmp/results" 2>/dev/null || echo 0)
if [ "$results" != "$PLANNED" ]; then
	echo "not ok - sim: the plan: $results results, $PLANNED planned"
	status=1
fi
exit $status
