#!/bin/bash
# Boot a Debian kernel in qemu (TCG) with a Debian root shared read-only over
# 9p, install the repo's modules in the guest and run a command there.
#
#   run-vm.sh [--arch ARCH] CMD [ARG...]   run CMD in the repo dir (read-only
#                                          in the guest); exit with CMD's code
#   run-vm.sh [--arch ARCH] --shell        interactive bash on the serial console
#
# ARCH is a row of the arch table below: amd64 (default; the host's kernel
# and the host's / as root), arm64 or arm (Debian's arm64 / armmp kernel and
# a Debian root of that arch in build/ARCH/root, both made by `make
# ARCH=...`, with the ARM builds of build/ARCH/out overlaid on the repo).
# Guest environment: CLICKUP_REPO, CLICKUP_OUT (writable, ends up in
# VMDIR/out/ on the host), KVER, and TESTS/TEST_TIMEOUT/V if set.
# Host environment: VM_TIMEOUT (s, default 1500), VM_MEM (default: the
# table's), VM_SMP (vCPUs; default 2, 1 for KERNEL=debug),
# CLICKUP_EXTRA_MODULES (glob(s) of extra .ko files to install in the
# guest), KVER (amd64: a Debian kernel release; ignored with a note if
# no /boot/vmlinuz-$KVER), VM_APPEND (more kernel command line, e.g.
# loglevel=7 for the stacks of a lockup), VM_QEMU_ARGS (more qemu
# options, word-split; e.g. "-icount shift=0" for bench/pkt.sh),
# KERNEL=debug (below).
#
# VM_HOSTFWD=tcp:127.0.0.1:3000-:3000 (qemu's hostfwd syntax; `make
# dashboard`) gives the guest a user-mode NIC (virtio, restrict=on: the
# guest reaches nothing outside, only the forwarded port reaches it; the
# guest sees it as eth0, 10.0.2.15/24 once configured). Without it the VM
# has no NIC at all.
#
# VM_BROWSER=1 (`make check`, `make demo`): a headless Chromium on this
# host, driven from the guest and reaching clickupd in the guest on port
# 3000 (selftests/vm/host-browser.sh; the same user-mode NIC, both ports
# picked free). Guest environment: CLICKUP_WEBDRIVER and
# CLICKUP_BROWSER_URL, or CLICKUP_BROWSER_SKIP (why there is none).
#
# KERNEL=debug (amd64) boots the debug kernel of selftests/vm/debug-kernel.sh
# (KASAN, lockdep, kmemleak...; built once, cached) with the modules `make
# KERNEL=debug` built against it (build/debug/out/, overlaid on the repo in
# the guest, so docs/example-atom/*.ko is the debug build too); VM_TIMEOUT
# defaults to 3600 s there.
# Output: the serial console streams to stdout and is saved to
# VMDIR/serial.log; the last line is "N passed, N failed, N skipped"
# (TAP ok/not ok lines, +1 failed for a crash/timeout/kernel warning).
# Guest results (rc, dmesg.txt, tap.txt, $CLICKUP_OUT files): VMDIR/out/.
# VMDIR: build/vm (amd64), build/debug/vm, build/ARCH/vm. See docs/testing.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$REPO/selftests/vm

usage() {
	sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
}
ARCH=amd64
if [ "${1:-}" = --arch ]; then
	[ $# -ge 2 ] || usage
	ARCH=$2
	shift 2
fi
MODE=run
if [ "${1:-}" = --shell ]; then
	MODE=shell
	shift
fi
[ $MODE = shell ] || [ $# -gt 0 ] || usage

# The arch table: what differs between the guests.
#   qemu, machine, cpu: the emulator; console: the serial console's tty;
#   mem: default VM_MEM; root: shared as the guest's / (relative to the
#   repo unless absolute); kernel: where the kernel, its release and its
#   modules come from (host: /boot and /lib/modules of this host; root: the
#   root's /boot, release from build/ARCH/env.mk); repo: how the guest sees
#   the repo (root: inside the root at its path; share: a 9p share "repo");
#   tree: builds overlaid on the repo in the guest (- for none), their
#   kmod/*.ko and atoms/*.ko are the modules installed (else the repo's);
#   strip: the binutils strip for that arch's modules.
ARCH_TABLE='
#arch qemu                machine          cpu        console mem root             kernel repo  tree            strip
amd64  qemu-system-x86_64  pc               max        ttyS0   2G  /                host   root  -               strip
arm64  qemu-system-aarch64 virt             cortex-a53 ttyAMA0 1G  build/arm64/root root   share build/arm64/out aarch64-linux-gnu-strip
arm    qemu-system-arm     virt,highmem=off cortex-a15 ttyAMA0 1G  build/arm/root   root   share build/arm/out   arm-linux-gnueabihf-strip'
read -r _ QEMU_BIN MACHINE CPU CONSOLE MEM ROOT KSRC REPO_FROM TREE STRIP < <(
	awk -v a="$ARCH" '$1 == a' <<<"$ARCH_TABLE") ||
	{ echo "run-vm.sh: unknown arch '$ARCH' (amd64, arm64, arm)" >&2; exit 2; }
case $ROOT in /*) ;; *) ROOT=$REPO/$ROOT ;; esac
case $TREE in -) TREE= ;; *) TREE=$REPO/$TREE ;; esac
VMDIR=$REPO/build/vm
[ "$ARCH" = amd64 ] || VMDIR=$REPO/build/$ARCH/vm
APPEND=
# The debug kernel overrides the amd64 row's kernel and tree.
if [ "${KERNEL:-}" = debug ]; then
	[ "$ARCH" = amd64 ] || { echo "run-vm.sh: KERNEL=debug is amd64 only" >&2; exit 2; }
	KSRC=debug
	TREE=$REPO/build/debug/out
	VMDIR=$REPO/build/debug/vm
	: "${VM_TIMEOUT:=3600}"
	export VM_TIMEOUT
	# Every KASAN report (not just the first), room in the log for long
	# reports (the runner diffs dmesg per test), and warnings (lockdep,
	# WARN) on the console too, in case the guest dies before saving dmesg.
	APPEND=' kasan_multi_shot log_buf_len=8M loglevel=5'
	# A vCPU thread of a shared 2-core host can wait tens of seconds for
	# its turn: report lockups and RCU stalls after 2 minutes, not 20 s.
	APPEND+=' watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120'
	# One vCPU unless VM_SMP says more: two debug VMs of two vCPUs each
	# on a 2-core host ran the suite 2x slower than two of one (vCPU
	# threads waiting for each other's IPIs and spinlocks).
	VM_SMP=${VM_SMP:-1}
fi
if [ -n "$TREE" ] && [ ! -d "$TREE/kmod" ]; then
	echo "run-vm.sh: nothing built in ${TREE#"$REPO"/}: run 'make${KERNEL:+ KERNEL=$KERNEL}$([ "$ARCH" = amd64 ] || echo " ARCH=$ARCH")'" >&2
	exit 1
fi
mkdir -p "$VMDIR"
# The debug kernel (no ACPI: no HPET, no PM timer) cannot calibrate the
# TSC on a loaded host; its clock then ran 5x too fast and every timeout
# fired early. TCG's rdtsc reads the host's: tell it the host's rate.
if [ "${KERNEL:-}" = debug ]; then
	cc -O2 -Wall -o "$VMDIR/tsc-khz.$$" "$REPO/selftests/vm/tsc-khz.c"
	APPEND+=" tsc_early_khz=$("$VMDIR/tsc-khz.$$") tsc=reliable"
	rm -f "$VMDIR/tsc-khz.$$"
fi

# Sets KVER, VMLINUX (what qemu boots), MODDIR (the kernel's modules dir:
# modules.dep and friends) and INITRD_MODS (what to insmod before the root
# is mounted; the debug kernel has them built in).
INITRD_MODS='virtio_pci 9pnet_virtio 9p overlay'
case $KSRC in
host)
	# The kernel release to boot.  Beware: Debian's linux-headers ship
	# include/config/kernel.release with the *upstream* version (6.1.NNN),
	# not the release (6.1.0-NN-amd64); utsrelease.h has the right one.
	kver_ok() { [ -n "$1" ] && [ -e "/boot/vmlinuz-$1" ] && [ -d "/lib/modules/$1/kernel" ]; }
	if ! kver_ok "${KVER:-}"; then
		want=${KVER:-}
		KVER=
		if [ -n "${KDIR:-}" ] && [ -f "$KDIR/include/generated/utsrelease.h" ]; then
			KVER=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$KDIR/include/generated/utsrelease.h")
		fi
		if ! kver_ok "$KVER"; then
			KVER=$(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' -printf '%f\n' |
				sed 's/^vmlinuz-//' | sort -V | tail -n1)
		fi
		kver_ok "$KVER" || { echo "run-vm.sh: no Debian kernel in /boot (run selftests/vm/deps.sh)" >&2; exit 1; }
		[ -z "$want" ] || echo "run-vm.sh: KVER=$want has no /boot/vmlinuz-$want; booting $KVER" >&2
	fi
	MODDIR=/lib/modules/$KVER
	# Uncompressed vmlinux (PVH entry; boots ~2x faster than the bzImage).
	VMLINUX=$VMDIR/vmlinux-$KVER
	if [ ! -s "$VMLINUX" ]; then
		vmlinuz=/boot/vmlinuz-$KVER
		off=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$vmlinuz" | cut -d: -f1)
		[ -n "$off" ] || { echo "run-vm.sh: no XZ payload in $vmlinuz" >&2; exit 1; }
		# xz stops at the end of the stream, so tail may die of SIGPIPE.
		{ tail -c +$((off + 1)) "$vmlinuz" || true; } | xz -dc --single-stream >"$VMLINUX.tmp.$$"
		mv "$VMLINUX.tmp.$$" "$VMLINUX"
	fi
	;;
root)
	env_mk=$REPO/build/$ARCH/env.mk
	[ -f "$env_mk" ] || { echo "run-vm.sh: no build/$ARCH/env.mk: run 'make ARCH=$ARCH'" >&2; exit 1; }
	KVER=$(sed -n 's/^ARM_KVER := //p' "$env_mk")
	MODDIR=$ROOT/lib/modules/$KVER
	# Debian's arm64 vmlinuz is a plain Image, armmp's a zImage: qemu
	# boots both.
	VMLINUX=$ROOT/boot/vmlinuz-$KVER
	;;
debug)
	# The cached kbuild tree (~10 ms when built): bzImage, modules.builtin.
	# (Not vmlinux: its PVH entry crashes under KASAN, debug-kernel.sh.)
	MODDIR=$("$HERE/debug-kernel.sh" | tail -n1)
	KVER=$(cat "$MODDIR/include/config/kernel.release")
	VMLINUX=$MODDIR/arch/x86/boot/bzImage
	INITRD_MODS=
	;;
esac
export KVER
# A repo shared on its own is mounted at its host path: the (read-only)
# root needs the mount point.
[ "$REPO_FROM" = root ] || mkdir -p "$ROOT$REPO"

# The tests' waits stretch by SLOW (lib.sh): on a host already busy with
# other work, by its load per core, so that a loaded host is slower, not
# failing. The debug kernel multiplies it again.
: "${SLOW:=$(awk -v n="$(nproc)" '{ s = int($1 / n + 0.5); print (s < 1 ? 1 : s) }' /proc/loadavg)}"
export SLOW

# shellcheck source=selftests/vm/host-browser.sh
source "$HERE/host-browser.sh"

# A private run directory (concurrent runs from one checkout don't clash);
# its out/ and serial.log become VMDIR/out and VMDIR/serial.log.
RUN=$(mktemp -d "$VMDIR/run.XXXXXX")
OUT=$RUN/out
# shellcheck disable=SC2317 # called by the EXIT trap
finish() {
	host_browser_stop
	(
		flock 9
		rm -rf "$VMDIR/out"
		mv "$OUT" "$VMDIR/out" 2>/dev/null || true
		mv "$RUN/serial.log" "$VMDIR/serial.log" 2>/dev/null || true
	) 9>"$VMDIR/.lock"
	rm -rf "$RUN"
}
trap finish EXIT
mkdir -p "$OUT/modules"

if [ "${VM_BROWSER:-0}" != 0 ]; then
	host_browser_start "$OUT"
fi

# initramfs: the root's busybox (with the applet list of the host's: same
# Debian package, maybe another arch), 9p/virtio/overlay modules (deps
# first), /init.
IRD=$RUN/initramfs
mkdir -p "$IRD"/{bin,sbin,dev,proc,sys,newroot,out,keep,ovl,mod}
cp "${ROOT%/}/bin/busybox" "$IRD/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$IRD/bin/$a"
done
touch "$IRD/mod/order"
for m in $INITRD_MODS; do
	line=$(grep -E "(^|/)$m\.ko(\.xz)?:" "$MODDIR/modules.dep")
	read -r -a parts <<<"${line/:/}"
	for ((i = ${#parts[@]} - 1; i >= 1; i--)); do echo "${parts[i]}"; done
	echo "${parts[0]}"
done | awk '!seen[$0]++' | while read -r p; do
	name=$(basename "${p%.xz}")
	case $p in
	*.xz) xz -dc "$MODDIR/$p" >"$IRD/mod/$name" ;;
	*) cp "$MODDIR/$p" "$IRD/mod/$name" ;;
	esac
	echo "$name" >>"$IRD/mod/order"
done
cp "$HERE/guest-init.sh" "$IRD/init"
printf '#!/bin/sh\nexec /bin/chroot /newroot /sbin/modprobe "$@"\n' >"$IRD/sbin/clickup-modprobe"
chmod +x "$IRD/init" "$IRD/sbin/clickup-modprobe"
[ "$(id -u)" -ne 0 ] || mknod -m 600 "$IRD/dev/console" c 5 1
(cd "$IRD" && find . | cpio -o -H newc --quiet) >"$RUN/initramfs.cpio"

# Modules for the guest's /lib/modules/$KVER/extra/: the tree's builds if
# there is one (overlaid on the repo by guest-init.sh), else the repo's.
shopt -s nullglob
# shellcheck disable=SC2206 # CLICKUP_EXTRA_MODULES is a list of globs
mods=("${TREE:-$REPO}"/kmod/*.ko "${TREE:-$REPO}"/atoms/*.ko ${CLICKUP_EXTRA_MODULES:-})
shopt -u nullglob
[ ${#mods[@]} -eq 0 ] || cp "${mods[@]}" "$OUT/modules/"
# installed without their DWARF, as DKMS, Debian's packages and `make
# install` (INSTALL_MOD_STRIP) do: each load reads the whole file, ~400 KB
# with it and ~10 KB without
[ ${#mods[@]} -eq 0 ] || "$STRIP" --strip-debug "$OUT/modules/"*.ko
if [ -n "$TREE" ]; then
	mkdir -p "$OUT/tree"
	cp -a "$TREE"/. "$OUT/tree/"
fi
# depmod here (0.4 s) rather than in the guest (~12 s under TCG): a staging
# tree of symlinks to the kernel's modules dir, with our extra/. (The debug
# kernel's kbuild tree: only its modules.builtin*, so that modprobe of a
# built-in one, e.g. veth, succeeds.)
DM=$RUN/depmod/lib/modules/$KVER
mkdir -p "$DM" "$OUT/modindex"
for f in "$MODDIR"/*; do
	[ "$KSRC" != debug ] || case ${f##*/} in modules.builtin* | modules.order) ;; *) continue ;; esac
	case ${f##*/} in
	modules.builtin | modules.builtin.modinfo | modules.order) ln -s "$f" "$DM/" ;;
	extra | modules.*) ;;
	*) ln -s "$f" "$DM/" ;;
	esac
done
ln -s "$OUT/modules" "$DM/extra"
depmod -b "$RUN/depmod" "$KVER"
find "$DM" -maxdepth 1 -type f -name 'modules.*' -exec mv {} "$OUT/modindex/" \;

# What the guest's /init reads, and the command it runs (bash, in the
# guest's root).
TERM_HOST=linux
[ $MODE = run ] || TERM_HOST=${TERM:-linux}
printf 'REPO=%s\nKVER=%s\nOUT=%s\nMODE=%s\nTERM_HOST=%s\nCONSOLE=%s\nREPO_FROM=%s\n' \
	"$REPO" "$KVER" "$OUT" "$MODE" "$TERM_HOST" "$CONSOLE" "$REPO_FROM" >"$OUT/config"
{
	for v in TESTS TEST_TIMEOUT V SLOW; do
		[ -z "${!v+x}" ] || printf 'export %s=%q\n' "$v" "${!v}"
	done
	[ -z "$HB_ENV" ] || echo "$HB_ENV"
	printf 'cd %q || exit 1\n' "$REPO"
	if [ $MODE = shell ]; then
		if read -r rows cols < <(stty size 2>/dev/null); then
			echo "stty rows $rows cols $cols"
		fi
		# shellcheck disable=SC2016 # expands in the guest
		echo 'echo "CLICK-UP VM: modules in /lib/modules/$KVER/extra; exit or ^D powers off"'
		echo 'exec /bin/bash -i'
	else
		printf 'exec'
		printf ' %q' "$@"
		echo
	fi
} >"$OUT/cmd.sh"

NIC=(-nic none)
RULES=${VM_HOSTFWD:+hostfwd=$VM_HOSTFWD}
[ -z "$HB_NIC" ] || RULES+=${RULES:+,}$HB_NIC
[ -z "$RULES" ] ||
	NIC=(-nic "user,model=virtio-net-pci,restrict=on,$RULES")
# One socket per vCPU: without ACPI the debug kernel finds CPUs in
# SeaBIOS's MP table, which lists one per socket (-smp N alone is one
# socket of N cores, and it saw one CPU).
VM_SMP=${VM_SMP:-2}
QEMU_SMP=$VM_SMP,sockets=$VM_SMP,cores=1,threads=1
# shellcheck disable=SC2054 # commas are qemu syntax
QEMU=("$QEMU_BIN" -accel tcg -M "$MACHINE" -cpu "$CPU" -smp "$QEMU_SMP" -m "${VM_MEM:-$MEM}"
	-nographic -no-reboot "${NIC[@]}"
	-kernel "$VMLINUX" -initrd "$RUN/initramfs.cpio"
	-append "console=$CONSOLE quiet panic=-1 oops=panic panic_on_warn=0$APPEND${VM_APPEND:+ $VM_APPEND}"
	-fsdev "local,id=root,path=$ROOT,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
	-fsdev "local,id=out,path=$OUT,security_model=none"
	-device virtio-9p-pci,fsdev=out,mount_tag=out)
# shellcheck disable=SC2054
[ "$REPO_FROM" = root ] || QEMU+=(
	-fsdev "local,id=repo,path=$REPO,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo)
# shellcheck disable=SC2206 # a list of options
QEMU+=(${VM_QEMU_ARGS:-})

if [ $MODE = shell ]; then
	"${QEMU[@]}" -serial mon:stdio || true
	exit 0
fi

# shellcheck source=selftests/vm/vm-verdict.sh
source "$HERE/vm-verdict.sh"
DESC="$ARCH kernel $KVER"
[ "$KSRC" != debug ] || DESC="$ARCH debug kernel $KVER"
vm_run_and_verdict run-vm.sh "$DESC" "${VMDIR#"$REPO"/}"
