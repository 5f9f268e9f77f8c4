/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame budget (frames.c): the experiment's physical memory, its
 * watermarks and the wait for a free frame.
 */
#ifndef _SWAPLAB_FRAMES_H
#define _SWAPLAB_FRAMES_H

#include <linux/types.h>

struct swaplab_psi_group;

/* The smallest frame budget a user may set, in pages. */
#define SWAPLAB_FRAMES_MIN	16UL
/* Default frame budget: 16 MiB of 4 KiB pages. */
#define SWAPLAB_FRAMES_DEFAULT	4096UL

/*
 * Largest batch of pages reclaim isolates, and so the largest page-out
 * I/O; the simulator's default batch models it.
 */
#define SWAPLAB_RECLAIM_BATCH	32

/* Reclaim passes in a row that free nothing before giving up. */
#define SWAPLAB_MAX_RECLAIM_RETRIES	16

/**
 * struct swaplab_reclaimer - how the frame budget gets frames back
 * @wake: wake the page daemon if free frames are below the low watermark,
 *	and end its stall: something it waits for changed. Any process
 *	context.
 * @reclaim: evict up to @nr pages in the calling thread, for a fault that
 *	reclaims for itself (daemon=0); as swaplab_reclaim(), which it is
 *
 * frames.c is below the daemon and reclaim and calls neither by name;
 * swaplab_daemon_init() registers these with swaplab_frames_set_reclaimer().
 */
struct swaplab_reclaimer {
	void (*wake)(void);
	unsigned int (*reclaim)(unsigned int nr, bool *busy);
};

void swaplab_frames_init(unsigned long budget);
void swaplab_frames_set_reclaimer(const struct swaplab_reclaimer *r);
bool swaplab_frames_get(void);
void swaplab_frames_put(void);
unsigned long swaplab_frames_budget(void);
int swaplab_frames_set_budget(unsigned long budget);
unsigned long swaplab_frames_used(void);
unsigned long swaplab_frames_free(void);
bool swaplab_frames_pin_get(void);
void swaplab_frames_pin_put(void);
unsigned long swaplab_frames_pinned(void);
unsigned long swaplab_frames_watermark(bool high);
unsigned long swaplab_frames_watermark_working(bool high);
int swaplab_frames_set_watermarks(unsigned long low, unsigned long high);
bool swaplab_frames_daemon_enabled(void);
void swaplab_frames_daemon_enable(bool on);
bool swaplab_frames_below_low(void);
bool swaplab_frames_balanced(void);
void swaplab_frames_wake(void);
void swaplab_frames_wake_daemon(void);
void swaplab_frames_reclaim_failed(void);
int swaplab_frames_reserve(struct swaplab_psi_group *psi);

#endif /* _SWAPLAB_FRAMES_H */
