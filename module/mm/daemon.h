/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page daemon, swaplabd (daemon.c).
 */
#ifndef _SWAPLAB_DAEMON_H
#define _SWAPLAB_DAEMON_H

int swaplab_daemon_init(void);
void swaplab_daemon_exit(void);
void swaplab_daemon_wake(void);

#endif /* _SWAPLAB_DAEMON_H */
