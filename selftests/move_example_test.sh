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
# Then its ping-pong by exchange (move_msg -x 3): six messages, each
# printed by its receiver in turn, and each exchange moves the pages that
# hold data on its two sides: the first one page (the mailbox is empty),
# each of the other five two, so moved_pages rises by 11.
#
# Run by swaplab.sh with the module loaded; TAP, planned first
# (swaplab_lib.sh). It changes no knob.

. "$(dirname "$0")/swaplab_lib.sh"

tap_plan 3
log=/tmp/swaplab-move-msg

# send NAME OUTPUT PAGES ARGS...: run the example with ARGS and judge it:
# it prints OUTPUT (a line per message) and moves PAGES pages.
send() {
	printf '%s\n' "$2" >$log.want
	name=$1 pages=$3
	shift 3
	moved0=$(pstat moved_pages) regions0=$(pstat regions)
	move_msg "$@" >$log.out 2>$log.err
	rc=$?
	moved=$(($(pstat moved_pages) - moved0))
	regions=$(pstat regions)
	if [ $rc = 0 ] && cmp -s $log.want $log.out && [ ! -s $log.err ] &&
	   [ "$moved" = "$pages" ] && [ "$regions" = "$regions0" ]; then
		ok "examples/move_msg, $name: the messages printed as sent, moved_pages +$moved"
	else
		head -c 300 $log.out | awk '{ print "# stdout: " $0 }'
		sed 's/^/# stderr: /' $log.err
		not_ok "examples/move_msg, $name: rc $rc, output $(cmp -s $log.want $log.out && echo same || echo differs), moved_pages +$moved (want +$pages), regions $regions0 before and $regions after"
	fi
}

if ! command -v move_msg >/dev/null; then
	not_ok "examples/move_msg: not on PATH"
	not_ok "examples/move_msg: not on PATH"
	not_ok "examples/move_msg: not on PATH"
	tap_end
fi

msg="move_msg $$: a message of one page"
send "one page" "$msg" 1 "$msg"
# 6000 bytes, numbered, so that a page out of place shows.
msg=$(awk 'BEGIN { for (i = 0; i < 600; i++) printf "%09d ", i }')
send "two pages" "$msg" 2 "$msg"
send "ping-pong by exchange, 3 rounds" \
	"$(printf 'ping %d\npong %d\n' 1 1 2 2 3 3)" 11 -x 3
tap_end
