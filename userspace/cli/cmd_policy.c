// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab policy load FILE.bpf.o | unload NAME | list: replacement
 * policies in eBPF.
 *
 * load opens FILE with libbpf, loads it, attaches each swaplab_ops map it
 * declares (SEC(".struct_ops.link")) and pins the link in
 * /sys/fs/bpf/swaplab/NAME, so that the policy stays after we exit; the
 * module then lists NAME in available_policies, to be selected like any
 * other. unload removes the pin: the link goes, the module switches to
 * its default if NAME was current, and NAME leaves the list. While a
 * policy is loaded the module cannot be removed.
 *
 * Needs a kernel that can register struct_ops types from a module (6.9
 * or later, with BTF for modules: /sys/kernel/swaplab/bpf says), and
 * libbpf 1.4 or later, which `make setup` builds from the kernel source;
 * built without it, load says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <dirent.h>
#include <stddef.h>

#ifdef SWAPLAB_HAVE_LIBBPF
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
/* Debian 12's UAPI headers are 6.1's: the map flag of .struct_ops.link */
#ifndef BPF_F_LINK
#define BPF_F_LINK	0x2000U	/* 1 << 13 */
#endif
#endif

#include "cli/cmd.h"
#include "lib/common.h"
#include "uapi/swaplab.h"
#include "uapi/swaplab_bpf.h"
#include "lib/sysfs.h"

#define BPF_FS		"/sys/fs/bpf"
#define PIN_DIR		BPF_FS "/swaplab"
#define BPF_FS_MAGIC_	0xcafe4a11

static void usage_policy(FILE *f)
{
	fprintf(f,
		"usage: swaplab policy load FILE.bpf.o\n"
		"       swaplab policy unload NAME\n"
		"       swaplab policy list\n"
		"Load a replacement policy written in eBPF (a swaplab_ops\n"
		"struct_ops map), or unload one; a loaded policy is selected\n"
		"like any other: swaplab set policy=NAME.\n");
}

/* 0 if this kernel's swaplab takes eBPF policies; else why not, printed. */
static int bpf_supported(void)
{
	char why[256];

	if (need_module())
		return -1;
	if (knob_read("bpf", why, sizeof(why))) {
		fprintf(stderr,
			"swaplab policy: eBPF policies are not supported by this swaplab module (no %s/bpf)\n",
			SWAPLAB_SYSFS);
		return -1;
	}
	if (strcmp(why, "supported")) {
		fprintf(stderr,
			"swaplab policy: eBPF policies are not supported by this kernel (%s)\n",
			strncmp(why, "unsupported: ", 13) ? why : why + 13);
		return -1;
	}
	return 0;
}

/* Whether @name is in available_policies. */
static bool policy_listed(const char *name)
{
	char list[1024], *tok, *save;

	if (knob_read("available_policies", list, sizeof(list)))
		return false;
	for (tok = strtok_r(list, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

#ifdef SWAPLAB_HAVE_LIBBPF
/* Mount bpffs on /sys/fs/bpf if it is not, and make our directory. */
static int pin_dir(void)
{
	struct statfs st;

	if (statfs(BPF_FS, &st) || st.f_type != BPF_FS_MAGIC_) {
		if (mount("bpf", BPF_FS, "bpf", 0, NULL)) {
			fprintf(stderr, "swaplab policy: mount bpffs on %s: %s\n",
				BPF_FS, strerror(errno));
			return -1;
		}
	}
	if (mkdir(PIN_DIR, 0700) && errno != EEXIST) {
		fprintf(stderr, "swaplab policy: %s: %s\n", PIN_DIR,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* The verifier's log and libbpf's warnings: what a writer needs. */
	if (level == LIBBPF_DEBUG && !getenv("SWAPLAB_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Is @map's value a struct swaplab_ops, by the object's BTF? */
static bool is_swaplab_ops(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;

	if (!btf)
		return false;
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	return t && !strcmp(btf__name_by_offset(btf, t->name_off),
			    "swaplab_ops");
}

/*
 * Attach one swaplab_ops map and pin its link; 0, with the pin's path in
 * @path, or -1.
 */
static int attach_map(struct bpf_map *map, char *path, size_t size)
{
	const struct swaplab_ops *ops;
	char name[SWAPLAB_BPF_NAME_MAX + 1];
	struct bpf_link *link;
	size_t vsize;
	int err;

	if (!(bpf_map__map_flags(map) & BPF_F_LINK)) {
		fprintf(stderr,
			"swaplab policy: map %s: declare it SEC(\".struct_ops.link\"), so that it can be pinned\n",
			bpf_map__name(map));
		return -1;
	}
	ops = bpf_map__initial_value(map, &vsize);
	if (!ops || vsize < sizeof(*ops)) {
		fprintf(stderr, "swaplab policy: map %s: not a swaplab_ops\n",
			bpf_map__name(map));
		return -1;
	}
	memcpy(name, ops->name, SWAPLAB_BPF_NAME_MAX);
	name[SWAPLAB_BPF_NAME_MAX] = '\0';
	link = bpf_map__attach_struct_ops(map);
	if (!link) {
		err = errno;
		fprintf(stderr, "swaplab policy: attach %s: %s%s\n", name,
			strerror(err),
			err == EEXIST ? " (a policy of that name is registered)" :
			err != EINVAL ? "" :
			ops->flags & ~SWAPLAB_BPF_NO_REFS ? " (an unknown bit in flags)" :
			" (a bad name: a-z, 0-9 and _, up to 15; or no victim())");
		return -1;
	}
	snprintf(path, size, "%s/%s", PIN_DIR, name);
	if (bpf_link__pin(link, path)) {
		fprintf(stderr, "swaplab policy: pin %s: %s\n", path,
			strerror(errno));
		bpf_link__destroy(link);
		return -1;
	}
	bpf_link__disconnect(link);
	bpf_link__destroy(link);
	printf("loaded eBPF policy %s (select it: swaplab set policy=%s; unload: swaplab policy unload %s)\n",
	       name, name, name);
	return 0;
}

/* The most swaplab_ops maps one object may attach. */
#define MAX_PINS	16

static int policy_load(const char *file)
{
	char pins[MAX_PINS][256];
	struct bpf_object *obj;
	struct bpf_map *map;
	int n = 0, err = 0;

	if (bpf_supported() || pin_dir())
		return 1;
	libbpf_set_print(libbpf_quiet);
	obj = bpf_object__open_file(file, NULL);
	if (!obj) {
		fprintf(stderr, "swaplab policy: open %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr,
			"swaplab policy: load %s: %s (SWAPLAB_BPF_DEBUG=1 prints the verifier's log)\n",
			file, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (!is_swaplab_ops(obj, map)) {
			fprintf(stderr, "swaplab policy: %s: map %s is not a swaplab_ops; left alone\n",
				file, bpf_map__name(map));
			continue;
		}
		if (n == MAX_PINS || attach_map(map, pins[n], sizeof(pins[n]))) {
			err = 1;
			break;
		}
		n++;
	}
	if (!n && !err) {
		fprintf(stderr, "swaplab policy: %s declares no swaplab_ops\n",
			file);
		err = 1;
	}
	/* All or nothing: a failure takes back the policies attached. */
	while (err && n--)
		unlink(pins[n]);
	bpf_object__close(obj);
	return err;
}
#else
static int policy_load(const char *file)
{
	if (bpf_supported())
		return 1;
	fprintf(stderr,
		"swaplab policy: this swaplab was built without libbpf 1.4 or later, and cannot load %s (make setup builds libbpf; then make userspace)\n",
		file);
	return 1;
}
#endif

/* The module's reference count, or -1. */
static long module_refs(void)
{
	char buf[32];

	if (read_file("/sys/module/swaplab/refcnt", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static int policy_unload(const char *name)
{
	char path[256];
	long refs, last, now;
	int i, quiet;

	if (!*name || strchr(name, '/') || strlen(name) >= SWAPLAB_BPF_NAME_MAX) {
		fprintf(stderr, "swaplab policy: bad policy name '%s'\n", name);
		return 2;
	}
	if (need_module())
		return 1;
	snprintf(path, sizeof(path), "%s/%s", PIN_DIR, name);
	refs = module_refs();
	if (unlink(path)) {
		fprintf(stderr, "swaplab policy: %s is not a loaded eBPF policy (%s: %s)\n",
			name, path, strerror(errno));
		return 1;
	}
	/* The link goes with its last reference; the module then drops it. */
	for (i = 0; i < 100 && policy_listed(name); i++)
		usleep(50000);
	if (policy_listed(name)) {
		fprintf(stderr,
			"swaplab policy: %s is still registered: another process holds its link\n",
			name);
		return 1;
	}
	/*
	 * The map and each of its programs hold the module, and let go a
	 * grace period or more later, one after another: wait until the
	 * count has fallen and then stayed put for a second (at most 20 s
	 * in all), so that rmmod works when we return.
	 */
	last = refs;
	for (i = 0, quiet = 0; refs > 0 && i < 400 && quiet < 20; i++) {
		usleep(50000);
		now = module_refs();
		quiet = now < refs && now == last ? quiet + 1 : 0;
		last = now;
	}
	printf("unloaded eBPF policy %s\n", name);
	return 0;
}

static int policy_list(void)
{
	struct dirent *d;
	DIR *dir;

	dir = opendir(PIN_DIR);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			printf("%s%s\n", d->d_name,
			       policy_listed(d->d_name) ? "" : " (not registered)");
	closedir(dir);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	if (argc == 2 && is_help(argv[1])) {
		usage_policy(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "load"))
		return policy_load(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "unload"))
		return policy_unload(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return policy_list();
	usage_policy(stderr);
	return 2;
}
