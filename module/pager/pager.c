// SPDX-License-Identifier: GPL-2.0
/*
 * The external pager's channel: the textbook's third part of memory
 * management (Mach's external pager), a process that decides the policy.
 *
 * A process attaches with SWAPLAB_IOC_PAGER_ATTACH on /dev/swaplab and
 * gets a pager file. It maps from it a ring of events (struct
 * swaplab_pager_ring, then the events), which the "pager" policy
 * (policy_pager.c) fills while it is selected: admissions with their
 * reason and, at a refault, the page's non-resident record and distance;
 * removals; evictions; budget changes. The pager reads them in batches,
 * without a system call each, and poll() wakes it when the ring has some:
 * at once for a WANT or a change of policy, else once as many wait as it
 * asked for at attach (swaplab_pager_attach.wakeup).
 *
 * The kernel never blocks on the pager: an event that finds the ring full
 * is dropped and counted (the ring's @lost, and pager_events_lost in
 * stat). The last places are kept for what is waited on: page data's
 * events in a data pager's ring, and below them WANT, SELECT and
 * DESELECT in every ring; other events are dropped before they take
 * them. The pager's @head is the only word of the mapping the kernel
 * reads; a pager that writes nonsense there only loses its own events.
 *
 * Victims: when reclaim wants some, the policy sends WANT, and reclaim
 * waits for the pager's answer, without the policy mutex, for at most the
 * policy's timeout_ms (swaplab_pager_wait()). The pager answers with
 * SWAPLAB_PAGER_IOC_VICTIMS: pages by identity, queued here and checked
 * by the policy when it takes them. Before a WANT the policy sends the
 * pages whose reference bits reclaim's harvest found set (REFERENCED),
 * and WANT says whether the pager may ask for a fresh harvest after its
 * victims (SWAPLAB_PAGER_RESCAN, in the same call), as a clock whose hand
 * went round does in the kernel. A wait that times out marks the pager
 * stalled: reclaim does not wait on it again until it answers or the
 * pager policy is selected again. A fault of the pager's own process
 * never waits on it.
 *
 * Ejection, as sched_ext disables a BPF scheduler that misbehaves: a
 * pager that does not decide gives the pager policy's place to the
 * default policy (pager_ejections). That is one whose file is closed (it
 * exited or was killed), one that answered too late (a stopped or
 * dead-slow pager: the wait timed out), and one whose answers named no
 * page of any live region while a batch waited for them. The step is
 * main.c's, handed down at init (swaplab_pager_set_gone()); reclaim,
 * which finds the late or invalid answers, cannot select a policy, so a
 * work item takes the step. Until it has, the policy's own choice (FIFO)
 * serves (pager_fallback). The pager stays attached, and is heard again
 * once the pager policy is selected again.
 *
 * One pager at a time, with CAP_SYS_ADMIN or as the owner of the device
 * node (never of a region's file, whose inode its creator owns): the
 * events show the page references of every process on swaplab. The
 * default data pager, which keeps every user's new regions, needs
 * CAP_SYS_ADMIN. The ring's pages are charged to the attaching process's
 * memory cgroup, and to its user's locked memory, limited by
 * RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK, as pinned pages are
 * (swaplab_memlock_charge()).
 *
 * Locking: swaplab_pager_lock, a spinlock, protects swaplab_pager_cur,
 * the kernel's side of its ring (@tail, @lost and the events), the queue
 * of answers with their count and the rescan request, the stalled flag,
 * the wait's timeout and the reason for an ejection to come. Events are
 * emitted in process context, under the policy mutex; the lock is taken
 * inside it, and nothing is taken inside the lock but the wait queues'
 * own locks and the workqueue's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/bits.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "lib/compat.h"
#include "lib/memlock.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "api/region.h"
#include "lib/stat.h"
#include "uapi/swaplab.h"

/**
 * struct swaplab_pager - an attached pager
 * @ring: the ring's head, mapped in the kernel
 * @events: the ring's events, after the head
 * @pages: the ring's pages
 * @nr_pages: how many
 * @mask: events in the ring, less one
 * @tail: the next event to write (the kernel's copy, never read back)
 * @lost: events dropped on a full ring
 * @wait: where poll() waits
 * @wakeup: events unread that wake it, besides WANT and (DE)SELECT
 * @user: the user whose RLIMIT_MEMLOCK the ring is charged to
 * @mm: the attaching process's mm (a mmgrab()): its faults never wait
 * @tgid: the attaching process's thread group (a reference), which
 *	stays the pager's across an exec, unlike its mm
 * @data: it keeps page data (%SWAPLAB_PAGER_DATA, pagerdata.c): the last
 *	%SWAPLAB_PAGER_DATA_RESERVE places of the ring are kept for its
 *	events, which a fault or reclaim waits on
 * @gone: the tail when a region was last released, after its pages'
 *	REMOVE events: an answer given with the head before it may name
 *	that region's pages (under the lock)
 */
struct swaplab_pager {
	struct swaplab_pager_ring *ring;
	struct swaplab_pager_event *events;
	struct page **pages;
	unsigned int nr_pages;
	u32 mask;
	u64 tail;
	u64 lost;
	wait_queue_head_t wait;
	u32 wakeup;
	struct user_struct *user;
	struct mm_struct *mm;
	struct pid *tgid;
	bool data;
	u64 gone;
};

/* Places of a data pager's ring that only page data events may take. */
#define SWAPLAB_PAGER_DATA_RESERVE	64

/* Events about page data: never dropped for the reserve, and urgent. */
static bool swaplab_pager_data_event(u16 type)
{
	return type >= SWAPLAB_PAGER_DATA_REQUEST &&
	       type <= SWAPLAB_PAGER_DATA_UNLOCK;
}

/*
 * Places of every ring, below a data pager's reserve, that only WANT,
 * SELECT and DESELECT may take: a harvest's REFERENCED events sent just
 * before a WANT must not crowd it out, or reclaim would wait its whole
 * timeout for an answer to a WANT the pager never saw, and eject a pager
 * that reads. A WANT is lost only once the pager has left this many
 * unread, and then it does not read.
 */
#define SWAPLAB_PAGER_CTL_RESERVE	16

/* Events that need an answer or change everything: urgent too. */
static bool swaplab_pager_ctl_event(u16 type)
{
	return type == SWAPLAB_PAGER_WANT || type == SWAPLAB_PAGER_SELECT ||
	       type == SWAPLAB_PAGER_DESELECT;
}

/* Answers the pager has given and the policy has not taken yet. */
#define SWAPLAB_PAGER_ANSWERS	1024

static DEFINE_SPINLOCK(swaplab_pager_lock);
static struct swaplab_pager *swaplab_pager_cur;	/* under the lock */
/*
 * An answer: a page, the state it is for (0: the whole budget's, else a
 * process's under allocation=local), and the ring's head when it was
 * given: how far the pager had read.
 */
struct swaplab_pager_answer {
	struct swaplab_pager_page pg;
	u32 proc;
	u64 head;
};

/* The queue of answers, oldest at @swaplab_pager_first; under the lock. */
static struct swaplab_pager_answer swaplab_pager_answers[SWAPLAB_PAGER_ANSWERS];
static unsigned int swaplab_pager_first, swaplab_pager_nr;
/*
 * Regions whose release has begun and not ended
 * (swaplab_pager_region_going()); under the lock.
 */
static unsigned int swaplab_pager_releasing;
/* A wait timed out, and the pager has not answered since; under the lock. */
static bool swaplab_pager_stalled;
/* When a stalled pager was last sent WANT (jiffies); under the lock. */
static unsigned long swaplab_pager_stalled_want;
/*
 * Calls of SWAPLAB_PAGER_IOC_VICTIMS that queued something, counted by the
 * slot of the state they were for (swaplab_pager_slot()): a reclaimer
 * that sent WANT knows from it that an answer came, even when another
 * reclaimer took it. Two processes may share a slot: then one's answer
 * wakes the other's reclaimer, which asks again. A pager's release counts
 * in every slot. Under the lock.
 */
#define SWAPLAB_PAGER_SLOTS	64
static u32 swaplab_pager_answer_seq[SWAPLAB_PAGER_SLOTS];
/*
 * The pager asked for a harvest of the reference bits, a bit a slot; under
 * the lock.
 */
static u64 swaplab_pager_rescan;

/* Slot 0 is the whole budget's state's; the processes share the others. */
static unsigned int swaplab_pager_slot(u32 proc)
{
	return proc ? 1 + (proc - 1) % (SWAPLAB_PAGER_SLOTS - 1) : 0;
}

/* Reclaim waits here for answers, or for the pager to go. */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_pager_answer_wait);
/* Why the pager is to be ejected, for the log; NULL if not; under the lock. */
static const char *swaplab_pager_eject_why;
static void swaplab_pager_eject_fn(struct work_struct *work);
static DECLARE_WORK(swaplab_pager_eject_work, swaplab_pager_eject_fn);

static void swaplab_pager_free(struct swaplab_pager *p)
{
	unsigned int i;

	if (p->ring)
		vunmap(p->ring);
	for (i = 0; i < p->nr_pages; i++)
		if (p->pages[i])
			put_page(p->pages[i]);
	if (p->user)
		swaplab_memlock_uncharge(p->user, p->nr_pages);
	if (p->mm)
		mmdrop(p->mm);
	put_pid(p->tgid);
	kfree(p->pages);
	kfree(p);
}

static struct swaplab_pager *swaplab_pager_alloc(u32 entries)
{
	size_t bytes = SWAPLAB_PAGER_RING_EVENTS +
		       (size_t)entries * sizeof(struct swaplab_pager_event);
	struct swaplab_pager *p;
	unsigned int i;
	int err = -ENOMEM;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->nr_pages = DIV_ROUND_UP(bytes, PAGE_SIZE);
	p->pages = kcalloc(p->nr_pages, sizeof(*p->pages), GFP_KERNEL_ACCOUNT);
	if (!p->pages)
		goto fail;
	for (i = 0; i < p->nr_pages; i++) {
		p->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!p->pages[i])
			goto fail;
	}
	err = swaplab_memlock_charge(p->nr_pages, &p->user);
	if (err)
		goto fail;
	p->mm = current->mm;
	mmgrab(p->mm);
	p->tgid = get_task_pid(current, PIDTYPE_TGID);
	err = -ENOMEM;
	p->ring = vmap(p->pages, p->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!p->ring)
		goto fail;
	p->events = (void *)p->ring + SWAPLAB_PAGER_RING_EVENTS;
	p->mask = entries - 1;
	p->ring->mask = p->mask;
	init_waitqueue_head(&p->wait);
	return p;
fail:
	swaplab_pager_free(p);
	return ERR_PTR(err);
}

/* What the layer above does when the current pager no longer decides. */
static void (*swaplab_pager_gone)(const char *why);

/**
 * swaplab_pager_set_gone() - say what to do when the pager no longer decides
 * @fn: called, in process context with no lock held, with the reason for
 *	the log, once the current pager's file is released (it exited, was
 *	killed, or closed it), or once it answered too late or with no page
 *	reclaim could take
 *
 * The policy registry is above this file: the module's init hands it
 * the step that puts the default policy in the pager policy's place.
 *
 * Context: module init, before the device exists.
 */
void swaplab_pager_set_gone(void (*fn)(const char *why))
{
	swaplab_pager_gone = fn;
}

/*
 * Have the pager ejected, for @why, by the work item: the caller is
 * reclaim, which cannot select a policy. Under the lock.
 */
static void __swaplab_pager_eject(const char *why)
{
	lockdep_assert_held(&swaplab_pager_lock);
	if (!swaplab_pager_cur || swaplab_pager_eject_why)
		return;
	swaplab_pager_eject_why = why;
	schedule_work(&swaplab_pager_eject_work);
}

static void swaplab_pager_eject_fn(struct work_struct *work)
{
	const char *why;

	spin_lock(&swaplab_pager_lock);
	why = swaplab_pager_eject_why;
	swaplab_pager_eject_why = NULL;
	spin_unlock(&swaplab_pager_lock);
	if (why && swaplab_pager_gone)
		swaplab_pager_gone(why);
}

static int swaplab_pager_release(struct inode *inode, struct file *file)
{
	struct swaplab_pager *p = file->private_data;
	unsigned int i;
	bool cur;

	/* Faults waiting for its pages fail; its buffers go to the store. */
	if (p->data)
		swaplab_pagerdata_detach();
	spin_lock(&swaplab_pager_lock);
	cur = swaplab_pager_cur == p;
	if (cur) {
		swaplab_pager_cur = NULL;
		/*
		 * Its going answers every WANT sent to it: a reclaimer that
		 * runs only once another pager is attached must not judge
		 * that one by a WANT it never got.
		 */
		for (i = 0; i < SWAPLAB_PAGER_SLOTS; i++)
			swaplab_pager_answer_seq[i]++;
		swaplab_pager_nr = 0;
		swaplab_pager_stalled = false;
		swaplab_pager_rescan = 0;
		swaplab_pager_eject_why = NULL;
	}
	spin_unlock(&swaplab_pager_lock);
	/* Reclaim waiting for its answers waits no more. */
	wake_up_all(&swaplab_pager_answer_wait);
	swaplab_pager_free(p);
	if (!cur)
		return 0;
	/* None is scheduled from now on: no pager; the module can go. */
	cancel_work_sync(&swaplab_pager_eject_work);
	/* With no pager, nobody decides for the pager policy. */
	if (swaplab_pager_gone)
		swaplab_pager_gone("went away");
	return 0;
}

/* Take the answer @k places after the oldest out of the queue; under the lock. */
static void swaplab_pager_unqueue(unsigned int k)
{
	unsigned int j;

	lockdep_assert_held(&swaplab_pager_lock);
	if (!k) {
		swaplab_pager_first = (swaplab_pager_first + 1) %
				      SWAPLAB_PAGER_ANSWERS;
	} else {
		for (j = k; j + 1 < swaplab_pager_nr; j++)
			swaplab_pager_answers[(swaplab_pager_first + j) %
					      SWAPLAB_PAGER_ANSWERS] =
				swaplab_pager_answers[(swaplab_pager_first + j + 1) %
						      SWAPLAB_PAGER_ANSWERS];
	}
	swaplab_pager_nr--;
}

/*
 * The place, after the oldest, of the oldest answer for the state @proc
 * (for @other, the oldest for any other state; for @proc 0, the oldest of
 * all), or -1 if none is queued. Under the lock.
 */
static int swaplab_pager_find(u32 proc, bool other)
{
	unsigned int k;
	u32 q;

	lockdep_assert_held(&swaplab_pager_lock);
	for (k = 0; k < swaplab_pager_nr; k++) {
		q = swaplab_pager_answers[(swaplab_pager_first + k) %
					  SWAPLAB_PAGER_ANSWERS].proc;
		if (other ? q != proc : !proc || q == proc)
			return k;
	}
	return -1;
}

/*
 * A full queue, and a call for @proc: drop the oldest answer for another
 * state, which no reclaim of that process took (it was killed while it
 * waited, say), to make room. Counted as invalid. Under the lock.
 * Return: false if every answer queued is for @proc.
 */
static bool swaplab_pager_drop_other(u32 proc)
{
	int k = swaplab_pager_find(proc, true);

	if (k < 0)
		return false;
	swaplab_pager_unqueue(k);
	swaplab_count_event(SWAPLAB_PAGER_INVALID);
	return true;
}

/*
 * SWAPLAB_PAGER_IOC_VICTIMS: queue what fits of the pager's answers, and
 * the harvest it asks for after them if they all fit. One call, one wake
 * up: reclaim never sees the victims without the request that follows
 * them.
 */
static long swaplab_pager_victims(struct swaplab_pager *p, void __user *uarg)
{
	struct swaplab_pager_victims v;
	struct swaplab_pager_page *pages = NULL;
	struct swaplab_pager_answer *a;
	bool answered = false;
	unsigned int i;
	u64 head;

	if (copy_from_user(&v, uarg, sizeof(v)))
		return -EFAULT;
	if (v.flags & ~SWAPLAB_PAGER_RESCAN || v.proc > SWAPLAB_PROC_MAX ||
	    (!v.nr && !(v.flags & SWAPLAB_PAGER_RESCAN)) ||
	    v.nr > SWAPLAB_PAGER_VICTIMS_MAX)
		return -EINVAL;
	if (v.nr) {
		pages = memdup_user(u64_to_user_ptr(v.pages),
				    v.nr * sizeof(*pages));
		if (IS_ERR(pages))
			return PTR_ERR(pages);
	}
	spin_lock(&swaplab_pager_lock);
	/* A head the pager moved past the tail has read no further. */
	head = min(READ_ONCE(p->ring->head), p->tail);
	for (i = 0; i < v.nr && swaplab_pager_cur == p; i++) {
		if (swaplab_pager_nr == SWAPLAB_PAGER_ANSWERS &&
		    !swaplab_pager_drop_other(v.proc))
			break;
		a = &swaplab_pager_answers[(swaplab_pager_first +
					    swaplab_pager_nr++) %
					   SWAPLAB_PAGER_ANSWERS];
		a->pg = pages[i];
		a->proc = v.proc;
		a->head = head;
	}
	answered = i;
	if (v.flags & SWAPLAB_PAGER_RESCAN && i == v.nr &&
	    swaplab_pager_cur == p) {
		swaplab_pager_rescan |= BIT_ULL(swaplab_pager_slot(v.proc));
		answered = true;
	}
	if (answered) {
		swaplab_pager_stalled = false;
		swaplab_pager_answer_seq[swaplab_pager_slot(v.proc)]++;
	}
	spin_unlock(&swaplab_pager_lock);
	kfree(pages);
	if (answered)
		wake_up_all(&swaplab_pager_answer_wait);
	v.queued = i;
	return put_user(v.queued, &((struct swaplab_pager_victims __user *)uarg)->queued);
}

/* SWAPLAB_PAGER_IOC_SUPPLY and _TAKE: page data (pagerdata.c). */
static long swaplab_pager_data(struct swaplab_pager *p, unsigned int cmd,
			       void __user *uarg)
{
	struct swaplab_pager_data d;

	if (!p->data)
		return -EINVAL;
	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	switch (cmd) {
	case SWAPLAB_PAGER_IOC_SUPPLY:
		return swaplab_pagerdata_supply(&d);
	case SWAPLAB_PAGER_IOC_TAKE:
		return swaplab_pagerdata_take(&d);
	default:
		return swaplab_pagerdata_unlock(&d);
	}
}

static long swaplab_pager_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	switch (cmd) {
	case SWAPLAB_PAGER_IOC_VICTIMS:
		return swaplab_pager_victims(file->private_data,
					     (void __user *)arg);
	case SWAPLAB_PAGER_IOC_SUPPLY:
	case SWAPLAB_PAGER_IOC_TAKE:
	case SWAPLAB_PAGER_IOC_UNLOCK:
		return swaplab_pager_data(file->private_data, cmd,
					  (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/*
 * The ring, shared and whole: a private copy would never show the
 * kernel's events, nor the kernel the pager's head. Not inherited at
 * fork, not dumped, not grown.
 */
static int swaplab_pager_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct swaplab_pager *p = file->private_data;
	unsigned long nr = vma_pages(vma);

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    nr != p->nr_pages)
		return -EINVAL;
	swaplab_vm_flags_set(vma, VM_DONTCOPY | VM_DONTDUMP | VM_DONTEXPAND);
	return vm_insert_pages(vma, vma->vm_start, p->pages, &nr);
}

static __poll_t swaplab_pager_poll(struct file *file, poll_table *wait)
{
	struct swaplab_pager *p = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &p->wait, wait);
	spin_lock(&swaplab_pager_lock);
	if (READ_ONCE(p->ring->head) != p->tail)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&swaplab_pager_lock);
	return mask;
}

static const struct file_operations swaplab_pager_fops = {
	.owner		= THIS_MODULE,
	.release	= swaplab_pager_release,
	.mmap		= swaplab_pager_mmap,
	.poll		= swaplab_pager_poll,
	.unlocked_ioctl	= swaplab_pager_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/**
 * swaplab_pager_file() - attach the calling process as the pager
 * @node: the inode of the /dev/swaplab node the request came through
 *	(never a region's file: that inode is its creator's)
 * @arg: what the process asks for; @arg->ring_bytes is set
 *
 * The pager stays attached until the file is released. The node's owner
 * may attach without CAP_SYS_ADMIN: the events show every process's page
 * references, which the node's owner administers. A default data pager
 * (%SWAPLAB_PAGER_DATA_ALL) reads and writes the pages of every user's
 * new regions, as ptrace would: that needs CAP_SYS_ADMIN.
 *
 * Context: process context.
 * Return: the pager file, not yet installed; -EINVAL for a bad @arg (a
 * data pager needs a ring of 4 * %SWAPLAB_PAGER_DATA_RESERVE events at
 * least), -EPERM without CAP_SYS_ADMIN or ownership of the node, or
 * without CAP_SYS_ADMIN for %SWAPLAB_PAGER_DATA_ALL, -EBUSY if a pager is
 * attached, -ENOMEM, or as mlock() -EPERM with an RLIMIT_MEMLOCK of 0 and
 * -ENOMEM past it. On an error nothing changes.
 */
struct file *swaplab_pager_file(struct inode *node,
				struct swaplab_pager_attach *arg)
{
	u32 entries = arg->entries ? arg->entries : SWAPLAB_PAGER_ENTRIES_DEF;
	bool data = arg->flags & SWAPLAB_PAGER_DATA;
	unsigned int data_ms = arg->data_timeout_ms ?:
			       SWAPLAB_PAGER_DATA_TIMEOUT_DEF;
	struct swaplab_pager *p;
	struct file *file;

	if (arg->flags & ~(SWAPLAB_PAGER_CLOEXEC | SWAPLAB_PAGER_DATA |
			   SWAPLAB_PAGER_DATA_ALL) ||
	    (arg->flags & SWAPLAB_PAGER_DATA_ALL && !data) ||
	    arg->pad || arg->reserved ||
	    entries < SWAPLAB_PAGER_ENTRIES_MIN ||
	    entries > SWAPLAB_PAGER_ENTRIES_MAX || !is_power_of_2(entries) ||
	    arg->wakeup > entries ||
	    (data && entries < 4 * SWAPLAB_PAGER_DATA_RESERVE) ||
	    (!data && arg->data_timeout_ms) ||
	    data_ms > SWAPLAB_PAGER_DATA_TIMEOUT_MAX)
		return ERR_PTR(-EINVAL);
	if (!capable(CAP_SYS_ADMIN) &&
	    (!uid_eq(current_fsuid(), node->i_uid) ||
	     arg->flags & SWAPLAB_PAGER_DATA_ALL))
		return ERR_PTR(-EPERM);
	if (READ_ONCE(swaplab_pager_cur))
		return ERR_PTR(-EBUSY);
	p = swaplab_pager_alloc(entries);
	if (IS_ERR(p))
		return ERR_CAST(p);
	p->wakeup = max(arg->wakeup, 1U);
	file = anon_inode_getfile("[swaplab-pager]", &swaplab_pager_fops, p,
				  O_RDWR);
	if (IS_ERR(file)) {
		swaplab_pager_free(p);
		return file;
	}
	spin_lock(&swaplab_pager_lock);
	if (swaplab_pager_cur) {
		spin_unlock(&swaplab_pager_lock);
		/* Its release frees @p: it is not the current pager. */
		fput(file);
		return ERR_PTR(-EBUSY);
	}
	swaplab_pager_cur = p;
	p->data = data;
	spin_unlock(&swaplab_pager_lock);
	if (data)
		swaplab_pagerdata_attach(p->mm, p->tgid, data_ms,
					 arg->flags & SWAPLAB_PAGER_DATA_ALL);
	arg->ring_bytes = (u64)p->nr_pages << PAGE_SHIFT;
	return file;
}

/*
 * Put @ev in @p's ring, the current pager's; under the lock. False if it
 * was dropped: the ring was full, or, for an event other than page
 * data's, all but full (a data pager's reserve), or for one that is not
 * WANT, SELECT or DESELECT either, fuller than the control reserve
 * leaves.
 */
static bool __swaplab_pager_emit(struct swaplab_pager *p,
				 const struct swaplab_pager_event *ev)
{
	bool data = swaplab_pager_data_event(ev->type);
	bool ctl = swaplab_pager_ctl_event(ev->type);
	u32 room = p->mask + 1;

	lockdep_assert_held(&swaplab_pager_lock);
	if (p->data && !data)
		room -= SWAPLAB_PAGER_DATA_RESERVE;
	if (!data && !ctl)
		room -= SWAPLAB_PAGER_CTL_RESERVE;
	/* A head the pager moved past the tail reads as a full ring. */
	if (p->tail - READ_ONCE(p->ring->head) >= room) {
		p->lost++;
		WRITE_ONCE(p->ring->lost, p->lost);
		swaplab_count_event(SWAPLAB_PAGER_EVENTS_LOST);
		return false;
	}
	p->events[p->tail & p->mask] = *ev;
	p->tail++;
	/* The event is written before the tail that shows it. */
	smp_store_release(&p->ring->tail, p->tail);
	swaplab_count_event(SWAPLAB_PAGER_EVENTS);
	/* What needs an answer or changes everything wakes it at once. */
	if ((ctl || data || p->tail - READ_ONCE(p->ring->head) >= p->wakeup) &&
	    wq_has_sleeper(&p->wait))
		wake_up_interruptible_poll(&p->wait, EPOLLIN | EPOLLRDNORM);
	return true;
}

/**
 * swaplab_pager_emit() - put an event in the attached pager's ring
 * @ev: the event
 *
 * Nothing happens without a pager; a full ring drops the event and counts
 * it. SELECT of the whole budget's state ends a stall: the pager policy
 * was selected again.
 *
 * Context: process context; does not sleep.
 * Return: true if the event is in the ring.
 */
bool swaplab_pager_emit(const struct swaplab_pager_event *ev)
{
	bool sent = false;

	spin_lock(&swaplab_pager_lock);
	/*
	 * Selected afresh: a stalled pager is waited for once again. Not
	 * at a process's own SELECT (a process come, under local).
	 */
	if (ev->type == SWAPLAB_PAGER_SELECT && !ev->proc)
		swaplab_pager_stalled = false;
	if (swaplab_pager_cur)
		sent = __swaplab_pager_emit(swaplab_pager_cur, ev);
	spin_unlock(&swaplab_pager_lock);
	return sent;
}

/**
 * swaplab_pager_emit_page() - send an event about one page's data
 * @type: %SWAPLAB_PAGER_DATA_REQUEST to %SWAPLAB_PAGER_DATA_DISCARD, or
 *	%SWAPLAB_PAGER_DATA_UNLOCK (a region's release is
 *	swaplab_pager_region_gone()'s)
 * @region: the region's id
 * @index: the page's index
 * @arg: the request's sequence number, or 0
 *
 * Sent only to a pager that keeps page data.
 *
 * Context: process context; does not sleep.
 * Return: true if the event is in the ring.
 */
bool swaplab_pager_emit_page(u16 type, u64 region, u64 index, u64 arg)
{
	struct swaplab_pager_event ev = {
		.type = type, .region = region, .index = index, .arg = arg,
	};
	bool sent = false;

	spin_lock(&swaplab_pager_lock);
	if (swaplab_pager_cur && swaplab_pager_cur->data)
		sent = __swaplab_pager_emit(swaplab_pager_cur, &ev);
	spin_unlock(&swaplab_pager_lock);
	return sent;
}

/**
 * swaplab_pager_region_going() - a region's release begins
 *
 * Called before its id stops being live: from then until
 * swaplab_pager_region_gone(), its pages' REMOVE events are not all in
 * the ring, and an answer naming them may have been given before any
 * was; such an answer is stale (swaplab_pager_pop()).
 *
 * Context: process context; does not sleep.
 */
void swaplab_pager_region_going(void)
{
	spin_lock(&swaplab_pager_lock);
	swaplab_pager_releasing++;
	spin_unlock(&swaplab_pager_lock);
}

/**
 * swaplab_pager_region_gone() - a region was released
 * @id: its id, no longer live
 *
 * Called after its pages' REMOVE events, once for each
 * swaplab_pager_region_going(). A pager that keeps page data hears
 * REGION_GONE. Every pager's answers given before it read this far may
 * name the region's pages: they are stale, not wrong
 * (swaplab_pager_pop()).
 *
 * Context: process context; does not sleep.
 */
void swaplab_pager_region_gone(u64 id)
{
	struct swaplab_pager_event ev = {
		.type = SWAPLAB_PAGER_REGION_GONE, .region = id,
	};

	spin_lock(&swaplab_pager_lock);
	if (!WARN_ON_ONCE(!swaplab_pager_releasing))
		swaplab_pager_releasing--;
	if (swaplab_pager_cur) {
		if (swaplab_pager_cur->data)
			__swaplab_pager_emit(swaplab_pager_cur, &ev);
		swaplab_pager_cur->gone = swaplab_pager_cur->tail;
	}
	spin_unlock(&swaplab_pager_lock);
}

/**
 * swaplab_pager_claim() - SWAPLAB_IOC_PAGER_CLAIM: a region to keep
 * @pager: the file the region's owner named as the pager's
 * @region: the region
 *
 * Context: process context; the caller checked that the region's file
 * is open for reading and writing.
 * Return: 0; -EBADF if @pager is not a pager file, -EINVAL if its pager
 * does not keep page data, -EBUSY if the region is claimed already.
 */
int swaplab_pager_claim(struct file *pager, struct swaplab_region *region)
{
	struct swaplab_pager *p;

	if (pager->f_op != &swaplab_pager_fops)
		return -EBADF;
	p = pager->private_data;
	if (!p->data)
		return -EINVAL;
	return swaplab_pagerdata_claim(region);
}

/**
 * swaplab_pager_claimer() - is this the pager that claimed a region?
 * @pager: a file the caller holds a reference on
 * @region: the region
 *
 * While the caller holds @pager, its pager stays attached and its claims
 * stand (they end at its release).
 *
 * Context: process context.
 * Return: 0 if @pager is the data pager that claimed @region; -EBADF if
 * it is not a pager file, -EPERM if its pager did not claim @region.
 */
int swaplab_pager_claimer(struct file *pager, struct swaplab_region *region)
{
	struct swaplab_pager *p;

	if (pager->f_op != &swaplab_pager_fops)
		return -EBADF;
	p = pager->private_data;
	/* One data pager at a time: a claim is the attached one's. */
	if (!p->data || !READ_ONCE(region->pager_claimed))
		return -EPERM;
	return 0;
}

/*
 * Would the pager hear a WANT now and answer it? Not without a pager, not
 * in the pager's own process (it cannot answer while it waits itself),
 * and not while it is stalled. Under the lock.
 */
static bool swaplab_pager_listening(struct swaplab_pager *p)
{
	lockdep_assert_held(&swaplab_pager_lock);
	return p && !swaplab_pagerdata_in_pager(p->mm, p->tgid) &&
	       !swaplab_pager_stalled;
}

/**
 * swaplab_pager_ready() - would reclaim wait for the pager's answer now?
 *
 * The policy sends what the pager needs to decide (the reference bits)
 * only when it is, and then calls swaplab_pager_want().
 *
 * Context: process context; does not sleep.
 * Return: true with a pager attached, not stalled, and not the caller's
 * own process.
 */
bool swaplab_pager_ready(void)
{
	bool ready;

	spin_lock(&swaplab_pager_lock);
	ready = swaplab_pager_listening(swaplab_pager_cur);
	spin_unlock(&swaplab_pager_lock);
	return ready;
}

/**
 * swaplab_pager_want() - ask the pager for victims
 * @proc: the state they are for: under allocation=local the number of the
 *	process whose pages are wanted, else 0
 * @nr: how many the batch still wants
 * @may_rescan: whether the pager may ask for a harvest of the bits first
 * @since: set, when reclaim should wait, to what it hands
 *	swaplab_pager_wait(): @proc, and the count of answers for it before
 *	this WANT
 *
 * Sends WANT to an attached pager; to a stalled one at most once a
 * second, so that one that comes back hears of reclaim again, but one
 * that is gone does not fill its ring with a WANT per victim.
 *
 * Context: process context, under the policy mutex; does not sleep.
 * Return: true if reclaim should wait for the answer (swaplab_pager_wait());
 * false with no pager, a stalled one, or in the pager's own process.
 */
bool swaplab_pager_want(u32 proc, unsigned int nr, bool may_rescan,
			u64 *since)
{
	struct swaplab_pager_event ev = {
		.type = SWAPLAB_PAGER_WANT,
		.reason = may_rescan ? SWAPLAB_PAGER_WANT_MAY_RESCAN : 0,
		.arg = nr,
		.proc = proc,
	};
	struct swaplab_pager *p;
	bool wait = false;

	spin_lock(&swaplab_pager_lock);
	p = swaplab_pager_cur;
	if (!p)
		goto out;
	if (swaplab_pagerdata_in_pager(p->mm, p->tgid)) {
		/* The pager cannot answer while it waits itself. */
		__swaplab_pager_emit(p, &ev);
		swaplab_count_event(SWAPLAB_PAGER_SELF);
		goto out;
	}
	if (swaplab_pager_stalled) {
		if (time_after(jiffies, swaplab_pager_stalled_want + HZ)) {
			swaplab_pager_stalled_want = jiffies;
			__swaplab_pager_emit(p, &ev);
		}
		goto out;
	}
	__swaplab_pager_emit(p, &ev);
	*since = (u64)proc << 32 |
		 swaplab_pager_answer_seq[swaplab_pager_slot(proc)];
	wait = true;
out:
	spin_unlock(&swaplab_pager_lock);
	return wait;
}

/**
 * swaplab_pager_pop() - take the pager's oldest answer for a state
 * @proc: the state: a process's number under allocation=local, whose
 *	reclaim takes only the answers given for it; 0 for the whole
 *	budget's, which takes any
 * @pg: set to it
 * @unread: set if the pager gave it before it read of the last region
 *	released, or while a region's release is under way: a page of a
 *	region gone may then be only stale
 *
 * Context: any; takes the pager lock.
 * Return: false if there is none.
 */
bool swaplab_pager_pop(u32 proc, struct swaplab_pager_page *pg, bool *unread)
{
	struct swaplab_pager_answer *a;
	int k;

	spin_lock(&swaplab_pager_lock);
	k = swaplab_pager_find(proc, false);
	if (k >= 0) {
		a = &swaplab_pager_answers[(swaplab_pager_first + k) %
					   SWAPLAB_PAGER_ANSWERS];
		*pg = a->pg;
		*unread = swaplab_pager_releasing ||
			  (swaplab_pager_cur &&
			   a->head < swaplab_pager_cur->gone);
		swaplab_pager_unqueue(k);
	}
	spin_unlock(&swaplab_pager_lock);
	return k >= 0;
}

/* The pager asked for a harvest for the state @proc; under the lock. */
static bool swaplab_pager_rescan_for(u32 proc)
{
	lockdep_assert_held(&swaplab_pager_lock);
	return swaplab_pager_rescan & BIT_ULL(swaplab_pager_slot(proc));
}

/**
 * swaplab_pager_take_rescan() - take the pager's request for a harvest
 * @proc: the state asking, as for swaplab_pager_pop()
 *
 * Once its queued victims are taken, the pager's %SWAPLAB_PAGER_RESCAN
 * is due.
 *
 * Context: any; takes the pager lock.
 * Return: true if the pager asked for one for @proc since the last call.
 */
bool swaplab_pager_take_rescan(u32 proc)
{
	bool asked;

	spin_lock(&swaplab_pager_lock);
	asked = swaplab_pager_rescan_for(proc);
	swaplab_pager_rescan &= ~BIT_ULL(swaplab_pager_slot(proc));
	spin_unlock(&swaplab_pager_lock);
	return asked;
}

/*
 * The pager answered the state of @since since (the answers may be
 * queued, or taken by another reclaimer already); under the lock.
 */
static bool __swaplab_pager_answered(u64 since)
{
	u32 proc = since >> 32;

	lockdep_assert_held(&swaplab_pager_lock);
	return swaplab_pager_find(proc, false) >= 0 ||
	       swaplab_pager_rescan_for(proc) ||
	       swaplab_pager_answer_seq[swaplab_pager_slot(proc)] != (u32)since;
}

/*
 * What a reclaimer waiting for an answer since @since hears now: 0 for an
 * answer, -ENODEV with no pager, -EAGAIN while it waits on.
 */
static int swaplab_pager_heard(u64 since)
{
	int heard = -EAGAIN;

	spin_lock(&swaplab_pager_lock);
	if (!swaplab_pager_cur)
		heard = -ENODEV;
	else if (__swaplab_pager_answered(since))
		heard = 0;
	spin_unlock(&swaplab_pager_lock);
	return heard;
}

/**
 * swaplab_pager_wait() - wait for the pager's answer to WANT
 *
 * @since: what swaplab_pager_want() set for the WANT waited on
 * @ms: the most to wait: the timeout of the policy that sent that WANT,
 *	or what its batch has left of it
 * @full: @ms is the policy's whole timeout
 *
 * A fatal signal ends the wait (a kernel thread has none). Answers are
 * shared by every reclaimer of their state, and a pager may answer
 * several WANTs at once: any answer for the state after @since ends the
 * wait, even one another reclaimer took first, and the caller asks the
 * policy again. So do answers queued when the wait begins (given between
 * the policy's last look and its WANT), even if another reclaimer takes
 * them all before this one runs again, and so does the release of the
 * pager the WANT went to. Only a wait of the whole timeout that ran out
 * with no answer since @since is a stall: it marks the pager stalled
 * until it answers, counts it, and has the pager ejected. One cut short
 * by its batch's bound only ends the batch's waiting.
 *
 * Context: process context; no swaplab lock held. Sleeps.
 * Return: 0 if the pager answered since @since (victims or a rescan);
 * -ETIMEDOUT, -EINTR, or -ENODEV if no pager is attached.
 */
int swaplab_pager_wait(u64 since, unsigned int ms, bool full)
{
	int heard = -EAGAIN;
	long left;

	left = wait_event_killable_timeout(swaplab_pager_answer_wait,
					   (heard = swaplab_pager_heard(since)) !=
					   -EAGAIN,
					   msecs_to_jiffies(ms));
	if (left < 0)
		return -EINTR;
	/*
	 * What the wait heard is the verdict: answers queued before the
	 * WANT end it at once, and another reclaimer may take them all
	 * before this one looks again, with no answer since.
	 */
	if (heard != -EAGAIN)
		return heard;
	/* Out of time: a last look, under the lock the stall is set with. */
	spin_lock(&swaplab_pager_lock);
	if (!swaplab_pager_cur) {
		left = -ENODEV;
	} else if (__swaplab_pager_answered(since)) {
		left = 0;
	} else if (!full) {
		left = -ETIMEDOUT;
	} else {
		swaplab_pager_stalled = true;
		swaplab_pager_stalled_want = jiffies;
		swaplab_count_event(SWAPLAB_PAGER_TIMEOUTS);
		__swaplab_pager_eject("answered too late");
		left = -ETIMEDOUT;
	}
	spin_unlock(&swaplab_pager_lock);
	return left;
}

/**
 * swaplab_pager_eject_invalid() - the pager's answers named nothing to take
 *
 * The policy found no page of any live region among the pager's answers
 * since its last good one, and chose itself: the pager is ejected.
 *
 * Context: process context, under the policy mutex; does not sleep.
 */
void swaplab_pager_eject_invalid(void)
{
	spin_lock(&swaplab_pager_lock);
	__swaplab_pager_eject("named no page of any region");
	spin_unlock(&swaplab_pager_lock);
}
