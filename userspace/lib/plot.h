/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaplab compare --plot: the data files, the gnuplot script and, where
 * gnuplot is installed, the PNGs.
 */
#ifndef SWAPLAB_PLOT_H
#define SWAPLAB_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * struct plot_column - one system compared
 * @name: its name, a column of PREFIX-curve.dat
 * @series: it wrote PREFIX-series-NAME.dat (plot_series_open())
 * @majflt: major faults at each budget, in run order; negative: none
 */
struct plot_column {
	const char *name;
	bool series;
	const long *majflt;
};

/**
 * struct plot - what swaplab compare plots
 * @prefix: file name prefix (--plot)
 * @workload: the workload's name
 * @pages: pages the workload spans
 * @refs: references in its string
 * @budget_mib: the main budget, which the time series ran at
 * @budgets_mib: every budget, in run order
 * @nbudgets: how many; the fault-rate curve needs two or more
 * @cols: the systems compared
 * @ncols: how many
 */
struct plot {
	const char *prefix;
	const char *workload;
	unsigned long pages;
	size_t refs;
	double budget_mib;
	const double *budgets_mib;
	int nbudgets;
	const struct plot_column *cols;
	int ncols;
};

FILE *plot_series_open(const char *prefix, const char *name);
int plot_write(const struct plot *p);

#endif /* SWAPLAB_PLOT_H */
