// SPDX-License-Identifier: GPL-2.0
/*
 * Reading swaplab's debugfs tables (regions, procs, fault_latency, metadata),
 * each checked against the version line it starts with; used by
 * `swaplab status` and `swaplab bench`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/debugfs.h"

/*
 * Open a debugfs table and check its version line, from @oldest to
 * @newest; NULL if unusable.
 */
static FILE *debugfs_open(const char *name, int oldest, int newest)
{
	char path[256], line[64];
	int v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_DEBUGFS, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "version %d", &v) != 1 || v < oldest || v > newest) {
		fclose(f);
		return NULL;
	}
	return f;
}

/*
 * The same for a table of columns: past its line of column names too,
 * at its first row; NULL if unusable.
 */
static FILE *debugfs_open_table(const char *name, int oldest, int newest)
{
	char line[256];
	FILE *f = debugfs_open(name, oldest, newest);

	if (f && !fgets(line, sizeof(line), f)) {
		fclose(f);
		return NULL;
	}
	return f;
}

int debugfs_latency(struct latency lat[LAT_KINDS])
{
	char line[256];
	FILE *f = debugfs_open_table("fault_latency", 1, 1);

	memset(lat, 0, sizeof(*lat) * LAT_KINDS);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uint64_t low, c[LAT_KINDS];

		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &low, &c[0], &c[1], &c[2]) != 4)
			continue;
		for (int k = 0; k < LAT_KINDS; k++) {
			struct latency *l = &lat[k];

			if (!c[k] || l->n == (int)ARRAY_SIZE(l->low))
				continue;
			l->low[l->n] = low;
			l->count[l->n++] = c[k];
			l->total += c[k];
		}
	}
	fclose(f);
	return 0;
}

double latency_quantile(const struct latency *l, double q)
{
	uint64_t want = (uint64_t)(q * l->total), seen = 0;

	for (int i = 0; i < l->n; i++) {
		seen += l->count[i];
		if (seen > want || i == l->n - 1) {
			uint64_t low = l->low[i], width = 1;

			if (low >= 4) {
				int msb = 63 - __builtin_clzll(low);

				width = 1ull << (msb - 2);
			}
			return low + width / 2.0;
		}
	}
	return 0;
}

int debugfs_regions(struct region_row *rows, int max)
{
	/* version 2 added the process column */
	FILE *f = debugfs_open_table("regions", 1, 2);
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct region_row *r = &rows[n];

		r->proc = 0;
		if (sscanf(line, "%" SCNu64 " %255s %" SCNu64 " %" SCNu64 " %"
			   SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %"
			   SCNu64 " %" SCNu64 " %" SCNu64, &r->id, r->name,
			   &r->size, &r->resident, &r->swapped, &r->pinned,
			   &r->faults, &r->major, &r->nodes, &r->bytes,
			   &r->proc) >= 10)
			n++;
	}
	fclose(f);
	return n;
}

int debugfs_procs(struct proc_row *rows, int max)
{
	/*
	 * version 2 added the mapped, allocation and load-control columns,
	 * version 3 the working-set estimate, the fault rate and the weight
	 */
	FILE *f = debugfs_open_table("procs", 1, 3);
	char line[256], alloc[32];
	uint64_t max_ms;
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct proc_row *r = &rows[n];

		snprintf(alloc, sizeof(alloc), "-");
		memset(r, 0, sizeof(*r));
		if (sscanf(line, "%" SCNu64 " %" SCNd64 " %15s %" SCNu64 " %"
			   SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %31s %"
			   SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			   " %" SCNu64,
			   &r->id, &r->pid, r->state, &r->regions, &r->charged,
			   &r->faults, &r->major, &r->mapped, alloc, &r->deacts,
			   &r->deact_ms, &max_ms, &r->ws, &r->fault_rate,
			   &r->weight) < 7)
			continue;
		r->alloc = strcmp(alloc, "-") ? strtoll(alloc, NULL, 10) : -1;
		n++;
	}
	fclose(f);
	return n;
}

int debugfs_metadata(struct stat_set *s)
{
	/* name-value lines, read by name: version 2 added the store's */
	FILE *f = debugfs_open("metadata", 1, 2);
	char line[128];

	s->n = 0;
	if (!f)
		return -1;
	while (s->n < MAX_STATS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %" SCNu64, s->name[s->n],
			   &s->value[s->n]) == 2)
			s->n++;
	fclose(f);
	return 0;
}
