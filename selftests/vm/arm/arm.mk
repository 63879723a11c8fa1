# Cross builds and ARM VM tests, included by the top-level Makefile when
# ARCH=arm64 or ARCH=arm (docs/raspberry-pi.md, docs/testing.md).
#
#   make ARCH=arm64 | ARCH=arm     modules, static clickupctl, clickup_nl,
#                                  example atom, all under build/$(ARCH)/out
#   make check ARCH=arm64          boot Debian's arm64 kernel in qemu and run
#                                  selftests/tests.list (TESTS=... works)
#   make vm-shell ARCH=arm64       a shell in that VM
#
# Nothing is written into the source tree: the sources are copied (with
# their mtimes, so rebuilds are incremental) to build/$(ARCH)/src and built
# there (kbuild of 6.1 has no separate output dir for external modules).
# The kernel headers, libnl and the guest root come from
# selftests/vm/arm/deps-arm.sh (downloaded and extracted, never installed).

ARM_B       := $(CURDIR)/build/$(ARCH)
ARM_SRC     := $(ARM_B)/src
ARM_OUT     := $(ARM_B)/out
ARM_DEPS    := $(CURDIR)/selftests/vm/arm/deps-arm.sh
# Sources to copy (relative to the repo): kbuild tree, ctl, clickup_nl,
# the example atom, the kselftest headers that clickup_nl includes.
ARM_COPY    := Kbuild kmod atoms ctl selftests/Makefile selftests/clickup_nl.c \
	       docs/example-atom selftests/atoms build/ksrc/tools/testing/selftests

-include $(ARM_B)/env.mk

ARM_CROSS   := $(ARM_TRIPLET)-
ARM_PKGCFG  := PKG_CONFIG_SYSROOT_DIR=$(ARM_SYSROOT) \
	       PKG_CONFIG_LIBDIR=$(ARM_SYSROOT)/usr/lib/$(ARM_TRIPLET)/pkgconfig
ARM_KMAKE   := $(MAKE) -C $(ARM_KDIR) ARCH=$(ARCH) CROSS_COMPILE=$(ARM_CROSS)

.PHONY: all deps arm-src modules ctl selftests example-atom check vm-shell clean

all: modules ctl selftests example-atom
	@echo "$(ARCH) build in build/$(ARCH)/out: kernel $$(sed -n 's/^ARM_KVER := //p' $(ARM_B)/env.mk)"

# deps-arm.sh also runs the amd64 deps.sh (kselftest headers, kbuild tools).
deps:
	$(ARM_DEPS) $(ARCH)

# Copy sources (tar keeps mtimes; build products are left out), drop
# the ones the repo no longer has. Runs deps first and re-reads env.mk
# through a sub-make when it was missing.
arm-src: deps
	@mkdir -p $(ARM_SRC) $(ARM_OUT)
	@tar -C $(CURDIR) -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='*.cmd' --exclude='.*.d' --exclude='*.d' \
		--exclude='Module.symvers' --exclude='modules.order' \
		--exclude=ctl/clickupctl --exclude='ctl/tests/nl_extack' --exclude='*.a' \
		$(ARM_COPY) | tar -C $(ARM_SRC) -x
	@# a source the repo no longer has (moved, renamed) must not linger:
	@# ctl builds with -Ilib, and a stale ctl/x.h shadows lib/x.h
	@cd $(ARM_SRC) && find $(ARM_COPY) -type f ! -name '*.mod.c' \
		\( -name '*.[ch]' -o -name '*.sh' -o -name Makefile -o -name Kbuild \) |\
		while read -r f; do [ -e "$(CURDIR)/$$f" ] || rm -f "$$f"; done

ifeq ($(strip $(ARM_KDIR)),)
# First run: env.mk is written by deps; build in a sub-make that reads it.
modules ctl selftests example-atom: arm-src
	$(MAKE) ARCH=$(ARCH) $@
else
# At their repo paths, as debug.mk's: run-vm.sh installs
# build/$(ARCH)/out/{kmod,atoms}/*.ko. (out/modules/ was the old layout.)
modules: arm-src
	$(ARM_KMAKE) M=$(ARM_SRC) modules
	@rm -rf $(ARM_OUT)/modules
	@mkdir -p $(ARM_OUT)/kmod $(ARM_OUT)/atoms
	cp $(ARM_SRC)/kmod/*.ko $(ARM_OUT)/kmod/
	cp $(ARM_SRC)/atoms/*.ko $(ARM_OUT)/atoms/

ctl: arm-src
	$(ARM_PKGCFG) $(MAKE) -C $(ARM_SRC)/ctl STATIC=1 CC=$(ARM_CROSS)gcc AR=$(ARM_CROSS)ar clickupctl
	@mkdir -p $(ARM_OUT)/ctl
	cp $(ARM_SRC)/ctl/clickupctl $(ARM_OUT)/ctl/

# clickup_nl, statically linked (the guest root has no libnl). On 32-bit
# ARM, 6.1's kselftest_harness.h casts pointers to intmax_t in its
# ASSERT_*/EXPECT_* macros (-Wpointer-to-int-cast); that is the harness's,
# not ours, so only that warning is let through there.
ARM_KSFT_CFLAGS := $(if $(filter arm,$(ARCH)),CFLAGS="-O2 -g -Wall -Wextra -Werror -Wno-pointer-to-int-cast")
selftests: arm-src
	$(ARM_PKGCFG) $(MAKE) -C $(ARM_SRC)/selftests CC=$(ARM_CROSS)gcc $(ARM_KSFT_CFLAGS) \
		KSFT_DIR=$(ARM_SRC)/build/ksrc/tools/testing/selftests \
		LDFLAGS=-static \
		NL_LIBS="$$($(ARM_PKGCFG) pkg-config --static --libs libnl-genl-3.0)" \
		clickup_nl
	@mkdir -p $(ARM_OUT)/selftests
	cp $(ARM_SRC)/selftests/clickup_nl $(ARM_OUT)/selftests/

example-atom: modules
	$(MAKE) -C $(ARM_SRC)/docs/example-atom KDIR=$(ARM_KDIR) \
		ARCH=$(ARCH) CROSS_COMPILE=$(ARM_CROSS) CLICKUP_DIR=$(ARM_SRC)
	@mkdir -p $(ARM_OUT)/docs/example-atom
	cp $(ARM_SRC)/docs/example-atom/clickup_atom_sampler.ko $(ARM_OUT)/docs/example-atom/
	$(MAKE) -C $(ARM_SRC)/selftests/atoms KDIR=$(ARM_KDIR) \
		ARCH=$(ARCH) CROSS_COMPILE=$(ARM_CROSS) CLICKUP_DIR=$(ARM_SRC)
	@mkdir -p $(ARM_OUT)/selftests/atoms
	cp $(ARM_SRC)/selftests/atoms/*.ko $(ARM_OUT)/selftests/atoms/
endif

# The VM (run-vm.sh's arch table) overlays build/$(ARCH)/out on the repo,
# so the tests find the ARM binaries at their usual paths (ctl/clickupctl,
# selftests/clickup_nl...).
check: all
	./selftests/vm/run-shards.sh ./selftests/vm/run-vm.sh --arch $(ARCH) ./selftests/vm/guest-run-tests.sh

vm-shell: all
	./selftests/vm/run-vm.sh --arch $(ARCH) --shell

clean:
	rm -rf $(ARM_SRC) $(ARM_OUT)
