# SPDX-License-Identifier: GPL-2.0
#
# Convenience targets. The kbuild part lives in Kbuild and module/Kbuild;
# `make -C $(KDIR) M=$(PWD)` works directly too.
#
#   make [KVER=release | KDIR=dir]  build module/swaplab.ko and userspace/
#   make check                      every test, on every pinned kernel, in qemu
#   make check-debug                the same suite on a 6.12 debug kernel
#                                   (KASAN, lockdep, kmemleak, ...), in qemu
#   make coverage                   the suite on the debug kernel with gcov;
#                                   line coverage of module/ per file
#   make fuzz [FUZZ_HOURS=2]        trinity and fuzz_test against swaplab on
#                                   that kernel, then kmemleak
#   make demo                       the demonstration, in qemu; installs
#                                   only what it runs (setup --demo)
#   make bench                      benchmarks against the stock kernel, in
#                                   qemu, then the simulator against
#                                   libCacheSim on the host
#                                   (LIBCACHESIM_SRC=its source, built
#                                   first; HOST=1: that part alone); writes
#                                   the results page,
#                                   Documentation/admin-guide/swaplab-bench.rst
#   make reference                  the simulator against libCacheSim, an
#                                   outside reference, by hand: not in CI
#                                   (CACHESIM=path to its cachesim)
#   make lint                       checkpatch --strict, W=1 + sparse on every
#                                   pinned kernel, coccicheck
#   make htmldocs                   Documentation/ with Sphinx, warnings as
#                                   errors, into build/htmldocs
#   make dkms-test                  dkms add/build/install/remove round trip
#                                   for every pinned kernel
#   make vm CMD='...' [KVER=...]    run commands in a guest
#   sudo make install               modules_install for KDIR, then depmod;
#                                   then `sudo modprobe swaplab ...`
#   sudo make load PARAMS='...'     without installing: modprobe what
#                                   swaplab.ko depends on, insmod it
#   sudo make unload                rmmod, or say which eBPF policy to
#                                   unload first

include tools/testing/kernels.conf

DEFAULT_KVER := $(firstword $(KERNELS))

# The running kernel's build dir, as usual; on a machine without its
# headers (a build host, CI) the first pinned kernel instead.
ifeq ($(origin KVER),undefined)
KVER := $(shell uname -r)
ifeq ($(origin KDIR),undefined)
ifeq ($(wildcard /lib/modules/$(KVER)/build/Makefile),)
KVER := $(DEFAULT_KVER)
endif
endif
endif
KDIR ?= /lib/modules/$(KVER)/build
W ?= 1

BUILD := $(CURDIR)/build
VM := tools/testing

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

userspace:
	$(MAKE) -C userspace

# The kernel's own depmod step needs a System.map, which headers packages
# do not ship (it prints "Skipping depmod"), so run depmod here: without
# it modprobe cannot find swaplab. INSTALL_MOD_PATH stages the install
# elsewhere, as for the kernel's modules_install.
DEPMOD ?= /sbin/depmod
# The release is UTS_RELEASE, as modules_install uses: Debian's 6.1
# headers have the upstream one (6.1.192) in include/config/kernel.release.
install modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(DEPMOD) -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) \
		$$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

# For a build that is not installed: insmod does not load dependencies,
# so modprobe them first (libcrc32c). Those swaplab asks the crypto API
# for at run time (xts, ecb with encrypt=1) the kernel loads itself.
load:
	@deps=$$(modinfo -F depends module/swaplab.ko | tr , ' ') && \
	for d in $$deps; do echo "modprobe $$d"; modprobe $$d || exit; done
	insmod module/swaplab.ko $(PARAMS)

# A loaded eBPF policy holds the module, and a refused rmmod only says
# "in use": name what to unload. (The kernel runs no module code then.)
BPF_PINS ?= /sys/fs/bpf/swaplab
unload:
	@held=; for p in $$(ls $(BPF_PINS) 2>/dev/null); do \
		echo "swaplab: eBPF policy $$p holds the module; detach it first: swaplab policy unload $$p" >&2; \
		held=1; \
	done; [ -z "$$held" ] && rmmod swaplab

setup:
	$(VM)/setup $(KERNELS) >/dev/null

# A build tree per kernel under build/, so one checkout serves them all:
# `make build-RELEASE` builds against /lib/modules/RELEASE/build, or the
# headers setup unpacked (tools/testing/lib.sh, kernel_kdir), or against
# KDIR when it is given on the command line (`make build-debug KDIR=...`,
# check-debug's debug kernel).
build-%:
	@mkdir -p $(BUILD)/$*/module
	@cp -p Kbuild $(BUILD)/$*/
	@cd module && cp -p --parents Kbuild $$(find . -name '*.[ch]') $(BUILD)/$*/module/
	$(MAKE) -C $(if $(filter command line,$(origin KDIR)),$(KDIR),$$(bash -c '. $(VM)/lib.sh && kernel_kdir $*')) \
		M=$(BUILD)/$* W=$(W) modules

check:
	@$(VM)/check $(KERNELS)

check-debug:
	@$(VM)/check-debug

coverage:
	@$(VM)/coverage

FUZZ_HOURS ?= 2
fuzz:
	@FUZZ_HOURS=$(FUZZ_HOURS) $(VM)/fuzz

lint:
	@$(VM)/lint

# Not part of check: libCacheSim is in neither Debian nor npm, so a CI
# machine cannot have it; without it the script says "missing" and fails.
reference: userspace
	@tools/testing/reference.sh

htmldocs:
	@ksrc=$$($(VM)/setup $(KERNELS) | tail -n1) && \
		KSRC=$$ksrc sphinx-build -W -q -b html Documentation $(BUILD)/htmldocs && \
		echo "htmldocs: $(BUILD)/htmldocs/index.html"

dkms-test:
	@$(VM)/dkms-test

bench:
	@$(VM)/bench $(if $(QUICK),--quick)$(if $(HOST),--host) $(KERNELS)

# Only what the demo runs is installed (setup --demo); make check and
# the other targets install the rest.
setup-demo:
	$(VM)/setup --demo $(DEFAULT_KVER)

demo: setup-demo userspace build-$(DEFAULT_KVER)
	@$(VM)/demo $(DEFAULT_KVER)

vm: setup userspace build-$(KVER)
	@$(VM)/run -k $(KVER) -a userspace/swaplab:bin/swaplab -- '$(CMD)'

clean:
	-[ -d $(KDIR) ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -rf $(BUILD) selftests/swaplab_test

.PHONY: all module userspace install modules_install load unload setup setup-demo check check-debug coverage fuzz lint reference htmldocs dkms-test bench demo vm clean
