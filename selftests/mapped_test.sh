#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Real programs that map their files, under `swaplab run`: the library
# serves their shared mappings of files from regions of those files
# (SWAPLAB_IOC_FILE), paged by swaplab under a budget far below the
# file, and hands their own writes to the file on to the mappings. Each
# program runs twice on copies of the same files, as it is and under
# swaplab run, and the outputs and the files afterwards must be the same.
#  - sqlite3 (Debian's CLI) with PRAGMA mmap_size: a 40000-row table made
#    beforehand, as it is; then, with a page cache of sqlite's own of 16
#    pages so that pages come back through the mapping, reads, updates
#    written with pwrite(), and reads again of what the updates wrote,
#    which only the read-back of the program's own writes (fileio.c)
#    makes visible through the mapping.
#  - LMDB's mdb_load and mdb_dump (lmdb-utils): a first load made as it
#    is; a second load into the same environment under swaplab run (the
#    map of data.mdb read-only, pages written with pwrite() and read back
#    through the map), then the dump.
#  - Program text: xz, copied beside the files, compresses under swaplab
#    run --text, its text moved onto a region of its executable (the
#    libraries stay the kernel's: they are in the guest's initramfs,
#    which the module refuses). It maps no file, so every page the
#    module reads from a file during the run is a page of its text.
#  - fileio_prog (fileio_prog.c): the I/O calls the library hands on to
#    a served mapping, each case's bytes checksummed, against the same
#    program as it is.
# Checks per program: identical outputs of the planned length; the
# library served a mapping of a file and read writes back into it; the
# module read pages of files (file_reads); the files afterwards are the
# same, as the program itself reads them (sqlite3's .dump and
# integrity_check, mdb_dump). Files on the store's file system, which
# does direct I/O.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). Knobs it changes are put back (swaplab run does).

. "$(dirname "$0")/swaplab_lib.sh"

need_swaplab "programs that map their files"
tap_plan 12
store=$(cat $knobs/swapfile)
dir=$(mktemp -d "${store%/*}/swaplab-mapped.XXXXXX")
bin=$(dirname "$(command -v swaplab)")
sqlite=$bin/sqlite3
[ -x "$sqlite" ] || sqlite=$(command -v sqlite3)
mdb_load=$bin/mdb_load
[ -x "$mdb_load" ] || mdb_load=$(command -v mdb_load)
mdb_dump=$bin/mdb_dump
[ -x "$mdb_dump" ] || mdb_dump=$(command -v mdb_dump)

# field NAME FILE: the value of NAME=value in swaplab run's summary.
field() {
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$2" | tail -n1
}

# served NAME LOG READS: the library served a mapping of a file, read
# writes back into it, and the module read pages of files.
served() {
	files=$(field files "$2")
	refreshes=$(field file_refreshes "$2")
	if [ "${files:-0}" -gt 0 ] && [ "${refreshes:-0}" -gt 0 ] &&
	   [ "${3:-0}" -gt 0 ]; then
		ok "$1: $files mappings of files served, $refreshes writes read back, $3 pages read from files"
	else
		sed 's/^/# /' "$2"
		not_ok "$1: ${files:-no} mappings of files served, ${refreshes:-no} writes read back, ${3:-no} pages read from files"
	fi
}

# same NAME A B LINES: files A and B are identical, of LINES lines.
same() {
	n=$(wc -l <"$2")
	if cmp -s "$2" "$3" && [ "$n" = "$4" ]; then
		ok "$1: identical, $n lines"
	else
		diff "$2" "$3" | head -n 20 | sed 's/^/# /'
		not_ok "$1: differ, or $n lines where $4 are planned"
	fi
}

# sqlite3: the table, as it is.
"$sqlite" "$dir/s.db" <<'EOF'
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
INSERT INTO t SELECT i, printf('%040d', i * 7919 % 100003), i * 7919 % 1000 FROM n;
CREATE INDEX tc ON t(c);
EOF
cp "$dir/s.db" "$dir/w.db"
# 4 results of reads before the updates, 3 after, 1 integrity check.
cat >"$dir/q.sql" <<'EOF'
PRAGMA mmap_size=268435456;
PRAGMA cache_size=16;
SELECT count(*), sum(c) FROM t;
SELECT a, b FROM t WHERE c = 5 ORDER BY a LIMIT 3;
UPDATE t SET c = c + 1, b = 'x' || b WHERE a % 97 = 0;
INSERT INTO t SELECT a + 40000, b, c FROM t WHERE a % 13 = 0;
SELECT count(*), sum(c) FROM t;
SELECT a, b, c FROM t WHERE a % 97 = 0 ORDER BY a LIMIT 3;
DELETE FROM t WHERE a % 7 = 0;
SELECT count(*), sum(c), max(b) FROM t;
PRAGMA integrity_check;
EOF
"$sqlite" "$dir/s.db" <"$dir/q.sql" >"$dir/s.out" 2>&1
r0=$(pstat file_reads)
swaplab run --budget 1M -- "$sqlite" "$dir/w.db" <"$dir/q.sql" \
	>"$dir/w.out" 2>"$dir/w.log"
r1=$(pstat file_reads)
same "sqlite3 with mmap_size under swaplab run: its output" \
	"$dir/s.out" "$dir/w.out" 11
served "sqlite3 under swaplab run" "$dir/w.log" $((r1 - r0))
"$sqlite" "$dir/s.db" .dump >"$dir/s.dump"
"$sqlite" "$dir/w.db" .dump >"$dir/w.dump"
dump_lines=$(wc -l <"$dir/s.dump")
same "sqlite3: the database afterwards, dumped" "$dir/s.dump" "$dir/w.dump" \
	"$dump_lines"
check=$("$sqlite" "$dir/w.db" 'PRAGMA integrity_check;')
if [ "$check" = ok ] && [ "$dump_lines" -gt 30000 ]; then
	ok "sqlite3: the database afterwards passes integrity_check"
else
	not_ok "sqlite3: integrity_check says '$check' ($dump_lines lines dumped)"
fi

# LMDB: records of 200 bytes, keys in order; the first load as it is.
records() {
	awk -v from="$1" -v to="$2" 'BEGIN {
		print "VERSION=3"; print "format=bytevalue"; print "type=btree"
		print "mapsize=67108864"; print "HEADER=END"
		for (i = from; i < to; i++) {
			k = sprintf("%010d", i); h = ""
			for (j = 1; j <= 10; j++)
				h = h sprintf("%02x", 48 + substr(k, j, 1))
			v = ""
			for (j = 0; j < 200; j++)
				v = v sprintf("%02x", (i * 31 + j * 7) % 251)
			print " " h; print " " v
		}
		print "DATA=END" }'
}
records 0 8000 >"$dir/l1.txt"
records 8000 16000 >"$dir/l2.txt"
mkdir "$dir/ls" "$dir/lw"
"$mdb_load" -f "$dir/l1.txt" "$dir/ls"
"$mdb_load" -f "$dir/l1.txt" "$dir/lw"
"$mdb_load" -f "$dir/l2.txt" "$dir/ls"
"$mdb_dump" "$dir/ls" >"$dir/ls.out"
r0=$(pstat file_reads)
swaplab run --budget 1M -- "$mdb_load" -f "$dir/l2.txt" "$dir/lw" \
	>"$dir/lw-load.log" 2>&1
swaplab run --budget 1M -- "$mdb_dump" "$dir/lw" >"$dir/lw.out" \
	2>"$dir/lw-dump.log"
r1=$(pstat file_reads)
# The header (7 lines, with mdb_dump's own maxreaders and db_pagesize),
# two lines a record and DATA=END.
same "mdb_load and mdb_dump under swaplab run: the dump" \
	"$dir/ls.out" "$dir/lw.out" $((7 + 2 * 16000 + 1))
served "mdb_load under swaplab run" "$dir/lw-load.log" $((r1 - r0))
files=$(field files "$dir/lw-dump.log")
if [ "${files:-0}" -gt 0 ]; then
	ok "mdb_dump under swaplab run: its map of data.mdb served ($files)"
else
	sed 's/^/# /' "$dir/lw-dump.log"
	not_ok "mdb_dump under swaplab run: no mapping of a file served"
fi
"$mdb_dump" "$dir/lw" >"$dir/lw2.out"
same "LMDB: the environment afterwards, dumped as it is" \
	"$dir/ls.out" "$dir/lw2.out" $((7 + 2 * 16000 + 1))

# Program text from the executable.
xz=$bin/xz
[ -x "$xz" ] || xz=$(command -v xz)
cp "$xz" "$dir/xz"
awk 'BEGIN { srand(5); for (i = 0; i < 30000; i++)
	printf "%d %s\n", i, int(rand() * 1000000) }' >"$dir/in.txt"
"$dir/xz" -6 -T1 -c "$dir/in.txt" >"$dir/s.xz"
r0=$(pstat file_reads)
swaplab run --text --budget 4M -- "$dir/xz" -6 -T1 -c "$dir/in.txt" \
	>"$dir/w.xz" 2>"$dir/xz.log"
r1=$(pstat file_reads)
if [ -s "$dir/s.xz" ] && cmp -s "$dir/s.xz" "$dir/w.xz"; then
	ok "xz with its text from its file: identical output ($(wc -c <"$dir/w.xz") bytes)"
else
	not_ok "xz with its text from its file: the outputs differ"
fi
text=$(field text "$dir/xz.log")
if [ "${text:-0}" -gt 0 ] && [ $((r1 - r0)) -gt 0 ]; then
	ok "xz under swaplab run --text: $text text mappings moved, $((r1 - r0)) pages of them read from the file"
else
	sed 's/^/# /' "$dir/xz.log"
	not_ok "xz under swaplab run --text: ${text:-no} text mappings moved, $((r1 - r0)) pages read from files"
fi

# The I/O calls around a mapping (fileio_prog.c): appends (O_APPEND,
# RWF_APPEND), writev, the vectored and fortified reads, a mapping made
# writable by mprotect(), a write from a signal handler; the kernel's
# page cache is the model.
# A library that deadlocks (a write from the signal handler, say) ends
# in a time limit, and fails.
fileio=$(dirname "$0")/fileio_prog
timeout 120 "$fileio" "$dir/fs.bin" >"$dir/fs.out" 2>&1
timeout 120 swaplab run --budget 1M -- "$fileio" "$dir/fw.bin" \
	>"$dir/fw.out" 2>"$dir/fw.log"
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$dir/fw.log"
same "fileio_prog under swaplab run (exit $rc): what each call read" \
	"$dir/fs.out" "$dir/fw.out" 12
files=$(field files "$dir/fw.log")
if cmp -s "$dir/fs.bin" "$dir/fw.bin" && cmp -s "$dir/fs.bin.2" "$dir/fw.bin.2" &&
   [ "${files:-0}" -gt 1 ]; then
	ok "fileio_prog: the files afterwards are the same, their mappings served ($files)"
else
	not_ok "fileio_prog: the files afterwards differ, or not both mappings served (${files:-none})"
fi

rm -rf "$dir"
tap_end
