# CLICK-UP top-level build.
#
#   make            kernel modules (kmod/, atoms/), ctl/clickupctl, selftests,
#                   BPF programs (dts/bpf/, selftests/bpf/) when clang is there
#   make check      install missing deps, build, run selftests in a qemu VM
#   make vm-shell   interactive shell in the same VM (modules installed)
#   make dashboard  the VM with the walkthrough's firewall and clickupd;
#                   http://localhost:3000 on this host shows the dashboard
#                   (docs/dashboard.md)
#   make C=1        sparse over the kernel sources
#   make ARCH=arm64 / ARCH=arm   cross-build into build/$ARCH/ (check,
#                   vm-shell too): selftests/vm/arm/arm.mk, docs/raspberry-pi.md
#   make compile-test-6.12   build against Debian trixie's 6.12 headers
#   make check KERNEL=debug  the same selftests on a KASAN/lockdep/kmemleak
#                   kernel (vm-shell too): selftests/vm/debug.mk
#
# KDIR defaults to the running kernel's build dir when it exists, else the
# newest installed Debian linux-headers-*-amd64.

# ARM (Raspberry Pi class) cross builds and VM tests live in their own file;
# the amd64 build below is unchanged.
ifneq ($(filter arm64 arm,$(ARCH)),)
include selftests/vm/arm/arm.mk
# The debug kernel (KASAN, lockdep, kmemleak...) and builds against it.
else ifeq ($(KERNEL),debug)
include selftests/vm/debug.mk
else

KVER_RUNNING := $(shell uname -r)
# Recomputed when empty too: `make check` installs the headers first and
# its sub-make must see them.
ifeq ($(strip $(KDIR)),)
  ifneq ($(wildcard /lib/modules/$(KVER_RUNNING)/build/Makefile),)
    KDIR := /lib/modules/$(KVER_RUNNING)/build
  else
    KDIR := $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
  endif
endif
# The kernel release the modules are built for (and the VM boots). Debian's
# include/config/kernel.release holds the upstream version, not the package
# release that names /boot/vmlinuz-*, so read utsrelease.h.
ifeq ($(strip $(KVER)),)
  KVER := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
endif
export KDIR KVER

.PHONY: all modules ctl www selftests example-atom bpf-progs check vm-shell deps clean demo bench bench-pkt bench-hostile install fuzz dashboard

# BPF programs (dts/bpf/, selftests/bpf/) need clang -target bpf: built by
# `all` only when clang is installed (deps.sh installs it).
CLANG ?= $(shell command -v clang 2>/dev/null)

all: modules ctl www selftests example-atom $(if $(CLANG),bpf-progs)

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

ctl:
	$(MAKE) -C ctl

# The dashboard's one build step: elkjs from the npm registry (pinned in
# ctl/www/package-lock.json) into ctl/www/vendor/.
www:
	$(MAKE) -C ctl/www

# clickupctl, its man page and bash completion (DESTDIR, PREFIX), and the
# modules under /lib/modules/KVER/extra/clickup/ (Kbuild's
# modules_install), without their debug info as DKMS installs them
# (INSTALL_MOD_STRIP=); depmod runs when installing into the running system.
INSTALL_MOD_STRIP ?= 1
install: modules
	$(MAKE) -C ctl install
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_STRIP=$(INSTALL_MOD_STRIP) \
		INSTALL_MOD_DIR=extra/clickup modules_install
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

# docs/writing-an-atom.md's example and the test-only atoms of
# selftests/atoms, built out of tree against this tree.
example-atom: modules
	$(MAKE) -C docs/example-atom KDIR=$(KDIR)
	$(MAKE) -C selftests/atoms KDIR=$(KDIR)

selftests: ctl
	$(MAKE) -C selftests

bpf-progs:
	@test -n "$(CLANG)" || { echo "bpf-progs: no clang (make deps)" >&2; exit 1; }
	$(MAKE) -C dts/bpf CLANG=$(CLANG)
	$(MAKE) -C selftests bpf CLANG=$(CLANG)

deps:
	./selftests/vm/deps.sh

# Installs what is missing, builds, boots the VM and runs every selftest.
# VM_BROWSER=1: the browser tests drive a Chromium on this host (run-vm.sh).
VM_BROWSER ?= 1
check: deps
	$(MAKE) all
	$(MAKE) -C ctl test
	./selftests/check-install.sh
	VM_BROWSER=$(VM_BROWSER) ./selftests/vm/run-shards.sh ./selftests/vm/run-vm.sh ./selftests/vm/guest-run-tests.sh

include selftests/fuzz/fuzz.mk

# The seed walkthrough in the VM (VM=0: on this host, as root), tables,
# PNGs in docs/img/ and the demo section of docs/results.md.
demo: deps
	$(MAKE) all
	./demo/run.sh

# Benchmarks (not part of check): upgrade latency vs CLICK-UP preloaded /
# native reload / nft -f, state size, packet path, loss during swaps, state
# memory, in one VM run; tables, docs/img/bench-*.png and the bench
# section of docs/results.md (bench/README.md).
bench: deps
	$(MAKE) all
	./bench/run.sh

# Only the packet path per packet (bench/pkt.sh, XDP live frames into
# p1): build/bench/results-pkt/, docs/img/bench-pkt.png and that part of
# docs/results.md.
bench-pkt: deps
	$(MAKE) all
	BENCH_PARTS=pkt ./bench/run.sh

# Only the hostile-peer comparison (CLICK-UP beside nftables + conntrack,
# selftests/hostile_{tcp,nat}.sh in the bench VM): that part of
# docs/results.md.
bench-hostile: deps
	$(MAKE) all
	BENCH_PARTS=hostile ./bench/run.sh

vm-shell: all
	./selftests/vm/run-vm.sh --shell

# The seed's browser walkthrough: the VM with a user-mode NIC whose port
# DASHBOARD_PORT on this host (loopback only) reaches clickupd in the
# guest; demo/dashboard.sh prints the link (with the token) and keeps the
# VM up DASHBOARD_SECS. Ctrl-C stops it.
DASHBOARD_PORT ?= 3000
DASHBOARD_SECS ?= 3600
dashboard: deps
	$(MAKE) all
	VM_HOSTFWD=tcp:127.0.0.1:$(DASHBOARD_PORT)-:3000 VM_TIMEOUT=$$(($(DASHBOARD_SECS) + 600)) \
	./selftests/vm/run-vm.sh env DASHBOARD_PORT=$(DASHBOARD_PORT) \
		DASHBOARD_SECS=$(DASHBOARD_SECS) $(foreach v,DASHBOARD_DOWNLOADS DASHBOARD_MBIT,$(if $($(v)),$(v)=$($(v)))) \
		./demo/dashboard.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C docs/example-atom KDIR=$(KDIR) clean
	-$(MAKE) -C ctl clean
	-$(MAKE) -C ctl/www clean
	-$(MAKE) -C selftests clean
	-$(MAKE) -C dts/bpf clean

# Warning-free build of the modules against a newer kernel series than the
# VM's 6.1: Debian trixie's 6.12 amd64 headers, downloaded under build/
.PHONY: compile-test-6.12
compile-test-6.12:
	./selftests/vm/arm/compile-test.sh 6.12

endif
