# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks of pages of files, sourced by bench.sh (its helpers,
# knobs and settings: scale, rounds, stock, lru_gen, pc, ra_default,
# policies, default_policy). Three sections:
#  - a file's page fault on swaplab (a file region, read with direct
#    I/O) against the stock kernel's refault of a file page (its page
#    cache dropped, no read-around), the same disk;
#  - a database: sqlite3 reading through its map of a file larger than
#    the budget (swaplab run, every deterministic policy) against the
#    stock page cache in a memory cgroup of the same size;
#  - the balance between anonymous and file pages across the knob
#    swappiness, against the stock kernel at vm.swappiness 0, 60, 100
#    and 200.

# The stock kernel's readahead window of the disk the files are on, as
# booted: the read-around of a file fault.
ra_dev=/sys/block/vda/queue/read_ahead_kb
ra_kb=$(cat $ra_dev)
result file_read_ahead_kb_default "$ra_kb"
result files_rounds "$rounds"

# Put lru_gen to $1 (y or n); nothing where the kernel has no MGLRU.
lru_set() {
	[ "$lru_gen" = none ] || put "$1" /sys/kernel/mm/lru_gen/enabled
}

# Every stock reclaim this kernel has, for compare --stock.
stocks=lru
[ "$lru_gen" = none ] || stocks=lru,mglru

# Column $2 of the row of $1 in a `compare --cmd` table (elapsed s,
# major, ...); empty when the row is missing or failed.
cmdcol() {
	awk -v r="$1" -v c="$2" '$1 == r && $3 ~ /^[0-9]+$/ { print $c; exit }' "$3"
}

# Both sides read one page a fault, reclaim in the faulting task. A
# file's page fault on swaplab is a read of that page from the file
# with direct I/O; on the stock kernel a page cache miss on a shared
# mapping of the file with MADV_RANDOM, one page read (compare: the
# file's page cache is dropped before each run). 32768 uniform random
# reads of 32 MiB of a file (an eighth of each in a quick run) through
# 8 MiB: its pages are read at their first touch and again after each
# eviction. The default policy, medians of the rounds. Columns as in the major fault latency: 7 the fault p50 (us),
# 12 the CPU per major fault (us).
section "mapped files: a file page fault against the stock file-page refault"
put 0 $knobs/daemon
put 0 /proc/sys/vm/page-cluster
fpages=$((8192 / sscale))
awk -v n=$((32768 / refscale)) -v p=$fpages 'BEGIN { srand(11)
	for (i = 0; i < n; i++) print int(rand() * p) "f" }' >ffault.trace
: >ffault-swaplab.p50
: >ffault-stock.p50
: >ffault-swaplab.cpu
: >ffault-stock.cpu
for round in $(seq $rounds); do
	compare ffault-$round.log trace ffault.trace --budget "$(smib 8)" --readonly \
		--policies "$default_policy" --stock "${stock#stock-}" --swapfile /mnt/cmp.swap
	colf "swaplab-$default_policy" 7 ffault-$round.log >>ffault-swaplab.p50
	colf "$stock" 7 ffault-$round.log >>ffault-stock.p50
	colf "swaplab-$default_policy" 12 ffault-$round.log >>ffault-swaplab.cpu
	colf "$stock" 12 ffault-$round.log >>ffault-stock.cpu
done
result ffault_pages "$fpages"
result ffault_faults_swaplab "$(col "swaplab-$default_policy" 2 ffault-1.log)"
result ffault_faults_stock "$(col "$stock" 2 ffault-1.log)"
for side in swaplab stock; do
	result ffault_p50_us_$side "$(median_of "$rounds" ffault-$side.p50)"
	result ffault_cpu_us_$side "$(median_of "$rounds" ffault-$side.cpu)"
done

# sqlite3 (the program the guest has) reads a table of 131072 rows of
# 120 bytes (15 MiB; a quarter in a quick run) through its map of the
# database file (PRAGMA mmap_size, a page cache of its own of 16 pages):
# 20000 lookups by key (2500 in a quick run), keys skewed to the low
# ones (the product of two uniform draws), the same string of lookups
# on every run. Through a budget of 4 MiB (1 MiB): on swaplab `swaplab
# run`, which serves the map with a region of the file; on the stock
# kernel the command in the memory cgroup, whose memory.max is the
# budget plus what sqlite3 charges besides the file (its heap, page
# tables and stack: measured below while it runs, before the budget).
# Every output must be the reference's, that of a run with no limit.
section "a database on a mapped file: sqlite3 against the stock page cache"
dbrows=$((131072 / scale))
dblook=$((20000 / refscale))
dbbudget=$((4096 / scale))
rm -f /mnt/bench.db
sqlite3 /mnt/bench.db "create table t(a integer primary key, b);
	insert into t with recursive s(i) as (select 1 union all select i + 1 from s where i < $dbrows)
	select i, printf('%0100d-%d', i * 7919 % 1000003, i) from s;" || fail "sqlite3: create"
dbq="pragma mmap_size=268435456; pragma cache_size=16;
with recursive q(i) as (select 1 union all select i + 1 from q where i < $dblook)
select count(*), sum(length(b)) from q join t on t.a = 1 + cast(((i * 2654435761) % 1000003) / 1000003.0
	* ((i * 40503 + 12345) % 999983) / 999983.0 * $dbrows as integer);"
sqlite3 /mnt/bench.db "$dbq" >db-ref.out || fail "sqlite3: reference run"
result db_pages "$(($(wc -c </mnt/bench.db) / 4096))"
result db_lookups "$dblook"
result db_budget_kib "$dbbudget"
# What sqlite3 charges besides the database, while it runs with the
# database open and mapped: memory.current less its page cache, plus
# the page tables of a map of the whole file (a page of them for 512
# pages), which the run fills and this probe does not.
probe=/sys/fs/cgroup/bench-probe
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p $probe
rm -f /tmp/db.fifo
mkfifo /tmp/db.fifo
sh -c "echo \$\$ >$probe/cgroup.procs && exec sqlite3 /mnt/bench.db" </tmp/db.fifo >db-probe.out &
probepid=$!
exec 3>/tmp/db.fifo
echo "pragma mmap_size=268435456; pragma cache_size=16; select count(*) from t where a < 100;" >&3
sleep 2
dbover=$(awk -v pages="$(($(wc -c </mnt/bench.db) / 4096))" '
	FILENAME ~ /current$/ { cur = $1 }
	FILENAME ~ /stat$/ && $1 == "file" { file = $2 }
	END { if (cur > 0) printf "%d", (cur - file) / 1024 + 4 * int((pages + 511) / 512) }' \
	$probe/memory.current $probe/memory.stat)
exec 3>&-
wait $probepid || fail "sqlite3: probe run"
rmdir $probe
rm -f /tmp/db.fifo
result db_overhead_kib "$dbover"
stockmax=$((dbbudget + ${dbover:-0}))K

# Like for like: no readahead on either side (swaplab reads a file's
# page alone; the stock read-around off: read_ahead_kb 0), no swap
# readahead, reclaim in the faulting task, and the budget for the
# database's pages alone on both sides: swaplab's frames hold the
# region of the file only, and vm.swappiness 0 keeps the stock kernel
# from paging sqlite3's own memory (which its memory.max holds besides
# the budget). Every deterministic policy once; the stock kernel,
# classic LRU and MGLRU, in rounds, each run by `compare --cmd` beside
# the default policy, medians.
sw0=$(cat /proc/sys/vm/swappiness)
put 0 $knobs/daemon
put 0 $knobs/readahead
put 0 /proc/sys/vm/page-cluster
put 0 $ra_dev
put 0 /proc/sys/vm/swappiness
for p in $(echo "$policies" | tr , ' '); do
	swaplab run --budget "${dbbudget}K" --policy "$p" -- sqlite3 /mnt/bench.db "$dbq" \
		>db-$p.out 2>db-$p.log || fail "sqlite3 on swaplab, $p: exit $?"
	cat db-$p.log
	cmp -s db-$p.out db-ref.out || fail "sqlite3 on swaplab, $p: output differs"
	result "db_swaplab-${p}_major" "$(sed -n 's/.* command majflt=\([0-9]*\) .*/\1/p' db-$p.log)"
	result "db_swaplab-${p}_s" "$(sed -n 's/.* after \([0-9.]*\) s .*/\1/p' db-$p.log)"
done
dbsys=stock-lru
[ "$lru_gen" = none ] || dbsys="$dbsys stock-mglru"
for s in $dbsys; do
	lru_set "$([ $s = stock-lru ] && echo n || echo y)"
	: >db-$s.major
	: >db-$s.s
	for round in $(seq $rounds); do
		swaplab compare --cmd --budget "${dbbudget}K" --stock-max "$stockmax" \
			--policy "$default_policy" --swapfile /mnt/cmp.swap -- \
			sqlite3 /mnt/bench.db "$dbq" >db-$s-$round.log 2>&1 ||
			fail "compare --cmd, $s round $round: exit $?"
		cat db-$s-$round.log
		cmdcol $s 3 db-$s-$round.log >>db-$s.major
		cmdcol $s 2 db-$s-$round.log >>db-$s.s
	done
	result "db_${s}_major" "$(median_of "$rounds" db-$s.major)"
	result "db_${s}_s" "$(median_of "$rounds" db-$s.s)"
done
lru_set "$lru_gen"
put "$sw0" /proc/sys/vm/swappiness

# Both at their defaults: swaplab's default policy with swaplabd and its
# readahead as loaded (a file's pages are read one at a time all the
# same), the stock default with its read-around and page-cluster as
# booted; rounds, medians.
put 1 $knobs/daemon
put "$ra_default" $knobs/readahead
put "$pc" /proc/sys/vm/page-cluster
put "$ra_kb" $ra_dev
: >db-def-swaplab.major
: >db-def-swaplab.s
: >db-def-stock.major
: >db-def-stock.s
for round in $(seq $rounds); do
	swaplab compare --cmd --budget "${dbbudget}K" --stock-max "$stockmax" \
		--policy "$default_policy" --swapfile /mnt/cmp.swap -- \
		sqlite3 /mnt/bench.db "$dbq" >db-def-$round.log 2>&1 ||
		fail "compare --cmd at the defaults, round $round: exit $?"
	cat db-def-$round.log
	cmdcol "swaplab-$default_policy" 3 db-def-$round.log >>db-def-swaplab.major
	cmdcol "swaplab-$default_policy" 2 db-def-$round.log >>db-def-swaplab.s
	cmdcol "$stock" 3 db-def-$round.log >>db-def-stock.major
	cmdcol "$stock" 2 db-def-$round.log >>db-def-stock.s
done
for side in swaplab stock; do
	result "db_def_${side}_major" "$(median_of "$rounds" db-def-$side.major)"
	result "db_def_${side}_s" "$(median_of "$rounds" db-def-$side.s)"
done
rm -f /mnt/bench.db

# One process, an anonymous working set and a mapped file under one
# budget: a string of 20000 references (2500 in a quick run), half to
# 1000 anonymous pages and half to 1600 pages of a file (a quarter of
# each in a quick run), each skewed to its low pages (the product of two
# uniform draws), through 512 frames (128): with less, the stock side's
# swap writes of dirty anonymous pages fall behind under TCG and its
# cgroup OOM-kills the run. Every page is written once
# first; then a reference to an anonymous page writes it and one to a
# file's page reads it (--readonly-files), so an anonymous page costs a
# write and a read to evict and bring back, a file's page a read. gen
# (the policy that balances the two kinds) at swappiness 0 to 200,
# against the stock kernel, classic LRU and MGLRU, at vm.swappiness 0,
# 60, 100 and 200, the same string in the same cgroup arrangement as
# the other compare runs; the simulator's exact LRU and OPT beside. A
# stock run at 0 that its cgroup OOM-kills (no anonymous page may go) is
# a finding. Then both sides at their defaults.
section "balance between anonymous and file pages across swappiness"
put 0 $knobs/daemon
put 0 $knobs/readahead
put 0 /proc/sys/vm/page-cluster
sw0_knob=$(cat $knobs/swappiness)
awk -v n=$((20000 / refscale)) -v a=$((1000 / scale)) -v f=$((1600 / scale)) 'BEGIN { srand(7)
	for (i = 0; i < n / 2; i++) {
		print int(rand() * rand() * a); print int(rand() * rand() * f) "f" } }' >bal.trace
balb=$((2048 / scale))K
result bal_budget_kib "$((2048 / scale))"
: >bal.dat
for sw in 0 30 60 100 150 200; do
	case $sw in
	0|60|100|200) balstock=$stocks ;;
	*) balstock=none ;;
	esac
	compare bal-$sw.log trace bal.trace --budget "$balb" --readonly-files \
		--policies gen --stock "$balstock" --swappiness $sw --swapfile /mnt/cmp.swap
	g=$(faults swaplab-gen bal-$sw.log)
	result "bal_${sw}_swaplab-gen" "$g"
	l=- m=-
	if [ "$balstock" != none ]; then
		l=$(faults stock-lru bal-$sw.log)
		result "bal_${sw}_stock-lru" "$l"
		if [ "$lru_gen" != none ]; then
			m=$(faults stock-mglru bal-$sw.log)
			result "bal_${sw}_stock-mglru" "$m"
		fi
	fi
	echo "$sw ${g:--} $(echo "${l:--}" | sed 's/oom-killed/-/') $(echo "${m:--}" | sed 's/oom-killed/-/')" >>bal.dat
done
result bal_sim-lru "$(col sim-lru 2 bal-60.log)"
result bal_sim-opt "$(col sim-opt 2 bal-60.log)"
cat >bal.gp <<EOF
set terminal pngcairo size 900,560
set output 'bal-curve.png'
set title "$(uname -r): anonymous and file pages under one budget"
set xlabel "swappiness (swaplab's knob; the stock kernel's vm.swappiness)"
set ylabel "major faults"
set datafile missing "-"
set key outside right
plot 'bal.dat' using 1:2 with linespoints title "swaplab gen", \
     'bal.dat' using 1:3 with linespoints title "stock lru", \
     'bal.dat' using 1:4 with linespoints title "stock mglru", \
     $(col sim-lru 2 bal-60.log) title "sim lru", $(col sim-opt 2 bal-60.log) title "sim opt"
EOF
# The defaults of both sides: the default policy with swaplabd, the
# knob and vm.swappiness as they were, swap readahead as loaded and as
# booted.
put 1 $knobs/daemon
put "$ra_default" $knobs/readahead
put "$pc" /proc/sys/vm/page-cluster
put "$sw0" /proc/sys/vm/swappiness
put "$sw0_knob" $knobs/swappiness
compare bal-def.log trace bal.trace --budget "$balb" --readonly-files \
	--policies "$default_policy" --stock "${stock#stock-}" --swapfile /mnt/cmp.swap
result bal_def_swaplab "$(faults "swaplab-$default_policy" bal-def.log)"
result bal_def_stock "$(faults "$stock" bal-def.log)"
result bal_swappiness_default "$sw0"
put 0 $knobs/readahead
put 0 /proc/sys/vm/page-cluster
