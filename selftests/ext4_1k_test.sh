#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A swap file on ext4 with 1 KiB blocks: a page's four blocks need not be
# one aligned page on the disk, and such pages are skipped, as swapon
# skips them. The first argument is a spare block device, which becomes
# that ext4 (SWAPLAB_BLOCKDEV in the suite, which always gives it, and
# mkfs.ext4: without them the check fails). A 16 MiB swap file on it
# must offer as many pages as its extents say, and 12 MiB must page
# through a 4 MiB budget with it; the store and the knobs are put back
# after.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh).

. "$(dirname "$0")/swaplab_lib.sh"

usable_pages() {
	filefrag -e -b1024 "$1" | awk -v size="$2" '
	/^ *[0-9]+: / {
		gsub(/\.\./, " ")
		gsub(/:/, " ")
		for (b = $2; b <= $3; b++)
			phys[b] = $4 + (b - $2)
	}
	END {
		last = size / 1024
		n = 0
		probe = 4
		while (probe + 4 <= last) {
			ok = (probe in phys) && phys[probe] % 4 == 0
			for (i = 1; ok && i < 4; i++)
				ok = ((probe + i) in phys) && phys[probe + i] == phys[probe] + i
			if (ok) {
				n++
				probe += 4
			} else {
				probe++
			}
		}
		print n
	}'
}

dev=${1:-}
tap_plan 1
if [ -z "$dev" ]; then
	not_ok "1 KiB-block ext4: SWAPLAB_BLOCKDEV not set (a spare disk)"
	tap_end
fi
if ! command -v mkfs.ext4 >/dev/null; then
	not_ok "1 KiB-block ext4: no mkfs.ext4 on PATH"
	tap_end
fi
dir=/tmp/swaplab-1k
mkdir -p $dir
if ! mkfs.ext4 -q -F -b 1024 "$dev" >/tmp/swaplab-1k.log 2>&1 ||
   ! mount -t ext4 "$dev" $dir 2>>/tmp/swaplab-1k.log; then
	sed 's/^/# /' /tmp/swaplab-1k.log
	not_ok "1 KiB-block ext4: mkfs.ext4 or mount of $dev"
	tap_end
fi
saved=$(cat $knobs/swapfile) size=$(cat $knobs/swapfile_size)
frames=$(cat $knobs/frames)
echo 16M >$knobs/swapfile_size
if echo $dir/s.swap >$knobs/swapfile; then
	total=$(pstat swap_slots_total)
	want=$(usable_pages $dir/s.swap 16777216)
	echo 1024 >$knobs/frames
	if [ -n "$want" ] && [ "$total" = "$want" ] &&
	   swaplab bench seq --size 12M --passes 1 >/tmp/swaplab-1k.log 2>&1; then
		ok "1 KiB-block ext4: $total of 4096 pages usable, as the file's extents say; 12 MiB through 4 MiB verified"
	else
		sed 's/^/# /' /tmp/swaplab-1k.log
		not_ok "1 KiB-block ext4: $total of 4096 pages usable, the file's extents say ${want:-?}; paging through it"
	fi
else
	not_ok "1 KiB-block ext4: attach a swap file"
fi
echo "$frames" >$knobs/frames
echo "$size" >$knobs/swapfile_size
# The replay's region goes with its last reference, which the page
# daemon holds while a pass evicts from it: if one was under way
# when the replay exited, the region outlives it by that pass, and
# the store cannot change meanwhile (EBUSY). Wait for it, as
# nbd_test's teardown does: on a loaded guest the pass can still be
# under way.
i=0
while [ "$(pstat regions)" != 0 ] &&
      [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "${saved:-none}" >$knobs/swapfile ||
	not_ok "1 KiB-block ext4: put the store back ($(pstat regions) regions left after $i waits)"
umount $dir || not_ok "1 KiB-block ext4: umount (swap file still claimed?)"
tap_end
