# The debug kernel (KASAN, UBSAN, lockdep, kmemleak...), included by the
# top-level Makefile when KERNEL=debug (docs/testing.md, "The debug kernel").
#
#   make KERNEL=debug            the kernel (selftests/vm/debug-kernel.sh,
#                                cached in /var/cache/clickup), our modules
#                                and the example atom built against it
#   make check KERNEL=debug      boot it in qemu, run selftests/tests.list
#                                (TESTS=..., TEST_TIMEOUT=... work)
#   make vm-shell KERNEL=debug   a shell in that VM
#
# The modules are built in a copy of their sources in build/debug/src (tar
# keeps mtimes, so rebuilds are incremental): the source tree's .o/.ko are
# the Debian kernel's build, and the two must not mix. The .ko files land
# in build/debug/out at their repo paths; the VM overlays that on the repo.
# clickupctl, the selftests and the BPF objects do not depend on the
# kernel: they are the usual ones, built in place.

DBG_B    := $(CURDIR)/build/debug
DBG_SRC  := $(DBG_B)/src
DBG_OUT  := $(DBG_B)/out
DBG_COPY := Kbuild kmod atoms docs/example-atom selftests/atoms
# The cached tree (written by the kernel target; read by the recipes).
DBG_KDIR  = $$(cat $(DBG_B)/kdir)
CLANG ?= $(shell command -v clang 2>/dev/null)

.PHONY: all deps kernel debug-src modules ctl selftests example-atom bpf-progs check vm-shell clean fuzz

all: modules example-atom ctl selftests $(if $(CLANG),bpf-progs)
	@echo "debug build in build/debug/out, against $(DBG_KDIR)"

deps:
	./selftests/vm/deps.sh

# ~10 ms when cached, one build (~9 min on 2 cores) when not.
kernel: deps
	@mkdir -p $(DBG_B)
	./selftests/vm/debug-kernel.sh >$(DBG_B)/kdir.log
	@tail -n1 $(DBG_B)/kdir.log >$(DBG_B)/kdir

debug-src:
	@mkdir -p $(DBG_SRC)
	@tar -C $(CURDIR) -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='*.cmd' --exclude='.*.d' --exclude='*.d' \
		--exclude='Module.symvers' --exclude='modules.order' \
		$(DBG_COPY) | tar -C $(DBG_SRC) -x

modules: kernel debug-src
	$(MAKE) -C $(DBG_KDIR) M=$(DBG_SRC) modules
	@mkdir -p $(DBG_OUT)/kmod $(DBG_OUT)/atoms
	cp $(DBG_SRC)/kmod/*.ko $(DBG_OUT)/kmod/
	cp $(DBG_SRC)/atoms/*.ko $(DBG_OUT)/atoms/

example-atom: modules
	$(MAKE) -C $(DBG_SRC)/docs/example-atom KDIR=$(DBG_KDIR) CLICKUP_DIR=$(DBG_SRC)
	@mkdir -p $(DBG_OUT)/docs/example-atom
	cp $(DBG_SRC)/docs/example-atom/*.ko $(DBG_OUT)/docs/example-atom/
	$(MAKE) -C $(DBG_SRC)/selftests/atoms KDIR=$(DBG_KDIR) CLICKUP_DIR=$(DBG_SRC)
	@mkdir -p $(DBG_OUT)/selftests/atoms
	cp $(DBG_SRC)/selftests/atoms/*.ko $(DBG_OUT)/selftests/atoms/

ctl:
	$(MAKE) -C ctl

selftests: ctl
	$(MAKE) -C selftests

bpf-progs:
	$(MAKE) -C dts/bpf CLANG=$(CLANG)
	$(MAKE) -C selftests bpf CLANG=$(CLANG)

# Tests run 2-4x slower under KASAN+lockdep: a longer per-test timeout.
check: all
	KERNEL=debug TEST_TIMEOUT=$${TEST_TIMEOUT:-1200} VM_BROWSER=$${VM_BROWSER:-1} \
		./selftests/vm/run-shards.sh \
		./selftests/vm/run-vm.sh ./selftests/vm/guest-run-tests.sh

include selftests/fuzz/fuzz.mk

vm-shell: all
	KERNEL=debug ./selftests/vm/run-vm.sh --shell

clean:
	rm -rf $(DBG_SRC) $(DBG_OUT)
