#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The move guide's example, userspace/examples/move_msg.c
# (Documentation/admin-guide/swaplab/move.rst), against the module: a
# message of one page and one of two pages, each passed by moving its
# pages from the sender's region to the receiver's mailbox. For each, the
# example exits 0 with nothing on standard error, the receiver prints
# exactly the message sent, moved_pages in stat rises by the pages the
# message takes, and the mailbox is gone after (regions as before).
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). It changes no knob.

. "$(dirname "$0")/swaplab_lib.sh"

tap_plan 2
log=/tmp/swaplab-move-msg

# send NAME MESSAGE PAGES: run the example with MESSAGE, which takes
# PAGES pages with its NUL, and judge it.
send() {
	printf '%s\n' "$2" >$log.want
	moved0=$(pstat moved_pages) regions0=$(pstat regions)
	move_msg "$2" >$log.out 2>$log.err
	rc=$?
	moved=$(($(pstat moved_pages) - moved0))
	regions=$(pstat regions)
	if [ $rc = 0 ] && cmp -s $log.want $log.out && [ ! -s $log.err ] &&
	   [ "$moved" = "$3" ] && [ "$regions" = "$regions0" ]; then
		ok "examples/move_msg, $1: the message printed as sent, moved_pages +$moved"
	else
		head -c 300 $log.out | awk '{ print "# stdout: " $0 }'
		sed 's/^/# stderr: /' $log.err
		not_ok "examples/move_msg, $1: rc $rc, output $(cmp -s $log.want $log.out && echo same || echo differs), moved_pages +$moved (want +$3), regions $regions0 before and $regions after"
	fi
}

if ! command -v move_msg >/dev/null; then
	not_ok "examples/move_msg: not on PATH"
	not_ok "examples/move_msg: not on PATH"
	tap_end
fi

send "one page" "move_msg $$: a message of one page" 1
# 6000 bytes, numbered, so that a page out of place shows.
send "two pages" "$(awk 'BEGIN { for (i = 0; i < 600; i++) printf "%09d ", i }')" 2
tap_end
