// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab compare --plot: PREFIX-curve.dat (major faults by budget, one
 * column a system), PREFIX-series-NAME.dat (cumulative major faults over
 * time, written while each system runs), PREFIX.gp, and PNGs from it
 * when gnuplot is there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/plot.h"

/**
 * plot_series_open() - open the time series file of one system
 * @prefix: file name prefix (--plot)
 * @name: the system's name
 *
 * Return: PREFIX-series-NAME.dat, open for writing, or NULL.
 */
FILE *plot_series_open(const char *prefix, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s-series-%s.dat", prefix, name);
	return fopen(path, "w");
}

/* PREFIX-curve.dat: a row a budget, by increasing budget. */
static int write_curve(const struct plot *p)
{
	char path[4096];
	int b, i, k;
	FILE *f;

	snprintf(path, sizeof(path), "%s-curve.dat", p->prefix);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "budget_MiB");
	for (i = 0; i < p->ncols; i++)
		fprintf(f, " %s", p->cols[i].name);
	fprintf(f, "\n");
	for (k = 0; k < p->nbudgets; k++) {
		/* The k-th smallest budget; equal ones in run order. */
		for (b = 0; b < p->nbudgets; b++) {
			int rank = 0;

			for (int j = 0; j < p->nbudgets; j++)
				rank += p->budgets_mib[j] < p->budgets_mib[b] ||
					(p->budgets_mib[j] == p->budgets_mib[b] &&
					 j < b);
			if (rank == k)
				break;
		}
		fprintf(f, "%.3f", p->budgets_mib[b]);
		for (i = 0; i < p->ncols; i++)
			if (p->cols[i].majflt[b] >= 0)
				fprintf(f, " %ld", p->cols[i].majflt[b]);
			else
				fprintf(f, " NaN");
		fprintf(f, "\n");
	}
	return fclose(f) ? -1 : 0;
}

/* PREFIX.gp: the curve (two budgets or more) and the time series. */
static int write_script(const struct plot *p)
{
	char path[4096];
	int i, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s.gp", p->prefix);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# gnuplot %s.gp: written by swaplab compare\n"
		"set terminal pngcairo size 900,560 noenhanced\n"
		"set key outside right\nset grid\n", p->prefix);
	if (p->nbudgets > 1)
		fprintf(f, "set output '%s-curve.png'\n"
			"set title 'compare %s: %lu pages, %zu references; major faults against memory budget'\n"
			"set xlabel 'budget (MiB)'\nset ylabel 'major faults'\n"
			"set yrange [0:*]\n"
			"plot for [i=2:%d] '%s-curve.dat' using 1:i with linespoints title columnhead(i)\n",
			p->prefix, p->workload, p->pages, p->refs,
			p->ncols + 1, p->prefix);
	fprintf(f, "set output '%s-series.png'\n"
		"set title 'compare %s at %.1f MiB: cumulative major faults over time'\n"
		"set xlabel 'seconds'\nset ylabel 'major faults'\n"
		"plot ", p->prefix, p->workload, p->budget_mib);
	for (i = 0, n = 0; i < p->ncols; i++)
		if (p->cols[i].series)
			fprintf(f, "%s'%s-series-%s.dat' using 1:2 with lines title '%s'",
				n++ ? ", " : "", p->prefix, p->cols[i].name,
				p->cols[i].name);
	fprintf(f, "\n");
	return fclose(f) ? -1 : 0;
}

/**
 * plot_write() - write the curve's data and the gnuplot script; plot
 * @p: what to plot
 *
 * The time series files are already written (plot_series_open()). Runs
 * gnuplot on the script where it is installed, and says where it is not.
 *
 * Return: 0, or -1 when a file cannot be written or gnuplot fails.
 */
int plot_write(const struct plot *p)
{
	char cmd[4200];

	if (write_curve(p) || write_script(p))
		return -1;
	if (system("command -v gnuplot >/dev/null 2>&1")) {
		printf("plots: no gnuplot here; run `gnuplot %s.gp` where it is\n",
		       p->prefix);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "gnuplot '%s.gp'", p->prefix);
	if (system(cmd))
		return -1;
	if (p->nbudgets > 1)
		printf("plots: %s-curve.png\n", p->prefix);
	printf("plots: %s-series.png\n", p->prefix);
	return 0;
}
