/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swaplab commands, one file each (cmd_NAME.c), run by main() in
 * swaplab.c from its command table. Each takes its arguments with
 * argv[0] the command's name and returns the exit status: 0, 1 when it
 * failed, 2 for a wrong usage.
 */
#ifndef SWAPLAB_CMD_H
#define SWAPLAB_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int cmd_status(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_pager(int argc, char **argv);
int cmd_dsm(int argc, char **argv);
/* swaplab dsm serve, in dsm_serve.c: run by cmd_dsm(). */
int dsm_serve(int argc, char **argv);
void usage_dsm_serve(FILE *f);
int cmd_policy(int argc, char **argv);
int cmd_micro(int argc, char **argv);
int cmd_msg(int argc, char **argv);
int cmd_thrash(int argc, char **argv);
int cmd_nbd(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_gen(int argc, char **argv);

/*
 * Whether @arg asks for help: every command then prints its usage on
 * standard output and exits 0 (a wrong usage: on standard error, 2).
 */
static inline bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

#endif /* SWAPLAB_CMD_H */
