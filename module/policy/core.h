/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy core (core.c): the current policy, the frame lists and every
 * call into the policy, under the policy mutex.
 */
#ifndef _SWAPLAB_CORE_H
#define _SWAPLAB_CORE_H

#include <linux/bits.h>
#include <linux/types.h>

#include "api/policy.h"

struct swaplab_proc;

/**
 * struct swaplab_core_sel - a selection, for swaplab_core_switch()
 * @ops: the policy
 * @state: its global state, zeroed
 * @local: allocation=local: one state per process
 * @pstates: @nr states, zeroed, under local; NULLs under global. On
 *	return, what the caller frees.
 * @nr: room in @pstates: at least the processes that have regions
 */
struct swaplab_core_sel {
	struct swaplab_policy_ops *ops;
	void *state;
	bool local;
	void **pstates;
	unsigned int nr;
};

/*
 * Frames a CPU's admission batch holds at most, and by default: the
 * kernel's folio batch and its LRU batch.
 */
#define SWAPLAB_ADMIT_BATCH_MAX		31
#define SWAPLAB_ADMIT_BATCH_DEFAULT	15

void swaplab_core_access(struct swaplab_frame *f);
void swaplab_core_admit(struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			const struct swaplab_refault *refault);
bool swaplab_core_forget(struct swaplab_frame *f);
unsigned long swaplab_core_evicted(struct swaplab_frame *f,
				   unsigned int *record, bool *in_ws);
unsigned long swaplab_core_eviction_clock(unsigned long *switched_at);
void swaplab_core_assert_held(void);
void *swaplab_core_frame_state(const struct swaplab_frame *f);
void swaplab_core_lock(void);
void swaplab_core_unlock(void);
bool swaplab_core_is_current(const struct swaplab_policy_ops *ops);
unsigned int swaplab_core_isolate(struct list_head *list, unsigned int nr,
				  struct swaplab_proc *from,
				  void (*refresh)(void),
				  int (*wait)(u64 since, unsigned int ms,
					      bool full),
				  bool (*unevictable)(struct swaplab_frame *f));
void swaplab_core_putback(struct list_head *list);
void swaplab_core_park(struct list_head *list);
void swaplab_core_pin(struct swaplab_frame *f);
void swaplab_core_unpin(struct swaplab_frame *f);
bool swaplab_core_take(struct swaplab_frame *f);
bool swaplab_core_take_frames(struct swaplab_frame **f, unsigned int n);
void swaplab_core_return(struct swaplab_frame *f, struct swaplab_proc *from);
void swaplab_core_return_frames(struct swaplab_frame **f,
				struct swaplab_proc **from, unsigned int n);
void swaplab_core_tick(bool (*due)(void));
unsigned long swaplab_core_last_tick(void);
unsigned long swaplab_core_admitted(void);
unsigned int swaplab_core_policy_flags(void);
int swaplab_core_switch(struct swaplab_core_sel *sel,
			struct swaplab_policy_ops **old, void **old_state);
unsigned int swaplab_core_nr_procs(void);
bool swaplab_core_local(void);
int swaplab_core_proc_sync(struct swaplab_proc *p);
void swaplab_core_rebalance(void);
int swaplab_core_set_allocator(const char *name);
unsigned long swaplab_core_over_total(void);
void swaplab_core_resize(void);
struct swaplab_policy_ops *swaplab_core_detach(void **state);
void swaplab_core_policy_name(char *name);
int swaplab_core_stats(const struct swaplab_policy_ops *ops,
		       struct swaplab_policy_stat *out);
void swaplab_core_drain(void);
unsigned int swaplab_core_admit_batch(void);
int swaplab_core_set_admit_batch(unsigned int size);
unsigned int swaplab_core_swappiness(void);
int swaplab_core_set_swappiness(unsigned int val);
int swaplab_core_init(void);
void swaplab_core_exit(void);

#endif /* _SWAPLAB_CORE_H */
