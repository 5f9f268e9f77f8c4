/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaplab tracepoints, laid out as include/trace/events/vmscan.h: one
 * event at each decision of the paging engine. Visible under
 * /sys/kernel/tracing/events/swaplab/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swaplab

#if !defined(_SWAPLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SWAPLAB_TRACE_H

#include <linux/tracepoint.h>

#include "api/policy.h"

/* How a fault was served. */
#define SWAPLAB_FAULT_MINOR	0	/* the page held a frame */
#define SWAPLAB_FAULT_ZERO	1	/* a fresh frame, zero-filled */
#define SWAPLAB_FAULT_MAJOR	2	/* read from the backing store */
#define SWAPLAB_FAULT_SIGBUS	3	/* refused */

#define show_swaplab_fault_kind(kind)				\
	__print_symbolic(kind,					\
			 { SWAPLAB_FAULT_MINOR, "minor" },	\
			 { SWAPLAB_FAULT_ZERO, "zero" },	\
			 { SWAPLAB_FAULT_MAJOR, "major" },	\
			 { SWAPLAB_FAULT_SIGBUS, "sigbus" })

/*
 * The kind of page (api/policy.h): its frame's SWAPLAB_FRAME_FILE and
 * SWAPLAB_FRAME_EXEC bits, as bits 0 and 1.
 */
#define SWAPLAB_PAGE_FILE	0x1
#define SWAPLAB_PAGE_EXEC	0x2

#define show_swaplab_page_type(type)					\
	__print_symbolic(type,						\
			 { 0, "anon" },					\
			 { SWAPLAB_PAGE_FILE, "file" },			\
			 { SWAPLAB_PAGE_EXEC, "anon_exec" },		\
			 { SWAPLAB_PAGE_FILE | SWAPLAB_PAGE_EXEC, "text" })

TRACE_EVENT(swaplab_fault,

	TP_PROTO(u64 region, unsigned long index, unsigned int kind,
		 unsigned int type, u32 tag),

	TP_ARGS(region, index, kind, type, tag),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__field(unsigned int, kind)
		__field(unsigned int, type)
		__field(u32, tag)
	),

	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		__entry->kind = kind;
		__entry->type = type;
		__entry->tag = tag;
	),

	TP_printk("region=%llu index=%lu kind=%s type=%s tag=%u",
		  __entry->region, __entry->index,
		  show_swaplab_fault_kind(__entry->kind),
		  show_swaplab_page_type(__entry->type), __entry->tag)
);

TRACE_EVENT(swaplab_evict,

	TP_PROTO(u64 region, unsigned long index, const char *policy,
		 bool dirty),

	TP_ARGS(region, index, policy, dirty),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__array(char, policy, SWAPLAB_POLICY_NAME_MAX)
		__field(bool, dirty)
	),

	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		strscpy(__entry->policy, policy, SWAPLAB_POLICY_NAME_MAX);
		__entry->dirty = dirty;
	),

	TP_printk("region=%llu index=%lu policy=%s dirty=%d",
		  __entry->region, __entry->index, __entry->policy,
		  __entry->dirty)
);

DECLARE_EVENT_CLASS(swaplab_swap_io,

	TP_PROTO(unsigned long slot, unsigned int nr, int err),

	TP_ARGS(slot, nr, err),

	TP_STRUCT__entry(
		__field(unsigned long, slot)
		__field(unsigned int, nr)
		__field(int, err)
	),

	TP_fast_assign(
		__entry->slot = slot;
		__entry->nr = nr;
		__entry->err = err;
	),

	TP_printk("slot=%lu nr=%u err=%d",
		  __entry->slot, __entry->nr, __entry->err)
);

DEFINE_EVENT(swaplab_swap_io, swaplab_swap_in,

	TP_PROTO(unsigned long slot, unsigned int nr, int err),

	TP_ARGS(slot, nr, err)
);

DEFINE_EVENT(swaplab_swap_io, swaplab_swap_out,

	TP_PROTO(unsigned long slot, unsigned int nr, int err),

	TP_ARGS(slot, nr, err)
);

DECLARE_EVENT_CLASS(swaplab_daemon,

	TP_PROTO(unsigned long free, unsigned long low, unsigned long high),

	TP_ARGS(free, low, high),

	TP_STRUCT__entry(
		__field(unsigned long, free)
		__field(unsigned long, low)
		__field(unsigned long, high)
	),

	TP_fast_assign(
		__entry->free = free;
		__entry->low = low;
		__entry->high = high;
	),

	TP_printk("free=%lu low=%lu high=%lu",
		  __entry->free, __entry->low, __entry->high)
);

DEFINE_EVENT(swaplab_daemon, swaplab_daemon_wake,

	TP_PROTO(unsigned long free, unsigned long low, unsigned long high),

	TP_ARGS(free, low, high)
);

DEFINE_EVENT(swaplab_daemon, swaplab_daemon_sleep,

	TP_PROTO(unsigned long free, unsigned long low, unsigned long high),

	TP_ARGS(free, low, high)
);

/*
 * A process's allocation changed: @alloc frames it may hold from now on
 * (ULONG_MAX: no limit, under allocation=global).
 */
TRACE_EVENT(swaplab_alloc,

	TP_PROTO(u32 proc, unsigned long alloc),

	TP_ARGS(proc, alloc),

	TP_STRUCT__entry(
		__field(u32, proc)
		__field(unsigned long, alloc)
	),

	TP_fast_assign(
		__entry->proc = proc;
		__entry->alloc = alloc;
	),

	TP_printk("proc=%u alloc=%lu", __entry->proc, __entry->alloc)
);

/*
 * Load control moved a process: @active 0 for a deactivation, 1 for an
 * activation; @forced 1 for an activation by the bound; @ws its working
 * set as load control counts it.
 */
TRACE_EVENT(swaplab_loadctl,

	TP_PROTO(u32 proc, bool active, bool forced, unsigned long ws),

	TP_ARGS(proc, active, forced, ws),

	TP_STRUCT__entry(
		__field(u32, proc)
		__field(bool, active)
		__field(bool, forced)
		__field(unsigned long, ws)
	),

	TP_fast_assign(
		__entry->proc = proc;
		__entry->active = active;
		__entry->forced = forced;
		__entry->ws = ws;
	),

	TP_printk("proc=%u %s%s ws=%lu", __entry->proc,
		  __entry->active ? "activated" : "deactivated",
		  __entry->forced ? " by the bound" : "", __entry->ws)
);

/* Where a page that SWAPLAB_IOC_MOVE moved was. */
#define SWAPLAB_MOVE_RESIDENT	0	/* in a frame: it moved with it */
#define SWAPLAB_MOVE_STORE	1	/* in a slot of the store */
#define SWAPLAB_MOVE_POOL	2	/* in the compressed tier */

#define show_swaplab_move_kind(kind)				\
	__print_symbolic(kind,					\
			 { SWAPLAB_MOVE_RESIDENT, "resident" },	\
			 { SWAPLAB_MOVE_STORE, "store" },	\
			 { SWAPLAB_MOVE_POOL, "pool" })

TRACE_EVENT(swaplab_move,

	TP_PROTO(u64 src, unsigned long sidx, u64 dst, unsigned long didx,
		 unsigned int kind),

	TP_ARGS(src, sidx, dst, didx, kind),

	TP_STRUCT__entry(
		__field(u64, src)
		__field(unsigned long, sidx)
		__field(u64, dst)
		__field(unsigned long, didx)
		__field(unsigned int, kind)
	),

	TP_fast_assign(
		__entry->src = src;
		__entry->sidx = sidx;
		__entry->dst = dst;
		__entry->didx = didx;
		__entry->kind = kind;
	),

	TP_printk("region=%llu index=%lu to region=%llu index=%lu from=%s",
		  __entry->src, __entry->sidx, __entry->dst, __entry->didx,
		  show_swaplab_move_kind(__entry->kind))
);

/* How a write to a page the data pager made read-only ended. */
#define SWAPLAB_UNLOCK_GRANTED	0	/* the pager's UNLOCK */
#define SWAPLAB_UNLOCK_GONE	1	/* the pager went: the page is here */
#define SWAPLAB_UNLOCK_AGAIN	2	/* the pager took the page back */
#define SWAPLAB_UNLOCK_TIMEOUT	3	/* no answer in time: SIGBUS */
#define SWAPLAB_UNLOCK_FAILED	4	/* killed, or no way to ask: SIGBUS */

#define show_swaplab_unlock_result(result)			\
	__print_symbolic(result,				\
			 { SWAPLAB_UNLOCK_GRANTED, "granted" },	\
			 { SWAPLAB_UNLOCK_GONE, "pager_gone" },	\
			 { SWAPLAB_UNLOCK_AGAIN, "again" },	\
			 { SWAPLAB_UNLOCK_TIMEOUT, "timeout" },	\
			 { SWAPLAB_UNLOCK_FAILED, "failed" })

TRACE_EVENT(swaplab_pager_unlock,

	TP_PROTO(u64 region, unsigned long index, unsigned int result),

	TP_ARGS(region, index, result),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__field(unsigned int, result)
	),

	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		__entry->result = result;
	),

	TP_printk("region=%llu index=%lu result=%s",
		  __entry->region, __entry->index,
		  show_swaplab_unlock_result(__entry->result))
);

/* @op and @status are the uapi's enum swaplab_pager_lock_{op,status}. */
TRACE_EVENT(swaplab_pager_lock,

	TP_PROTO(u64 region, unsigned long index, unsigned int op,
		 unsigned int status),

	TP_ARGS(region, index, op, status),

	TP_STRUCT__entry(
		__field(u64, region)
		__field(unsigned long, index)
		__field(unsigned int, op)
		__field(unsigned int, status)
	),

	TP_fast_assign(
		__entry->region = region;
		__entry->index = index;
		__entry->op = op;
		__entry->status = status;
	),

	TP_printk("region=%llu index=%lu op=%s was=%s",
		  __entry->region, __entry->index,
		  __print_symbolic(__entry->op, { 1, "flush" }, { 2, "clean" },
				   { 3, "protect" }),
		  __print_symbolic(__entry->status, { 0, "absent" },
				   { 1, "clean" }, { 2, "written" }))
);

#endif /* _SWAPLAB_TRACE_H */

/* Out of tree: define_trace.h looks for this file here. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH lib
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
