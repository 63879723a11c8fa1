#!/bin/bash
# Boot Debian's kernel in qemu (TCG) with the host's / as a read-only 9p root,
# install the repo's modules in the guest and run a command there.
#
#   run-vm.sh CMD [ARG...]   run CMD in the repo dir (read-only in the guest);
#                            exit with CMD's exit code
#   run-vm.sh --shell        interactive bash on the serial console
#
# Guest environment: CLICKUP_REPO, CLICKUP_OUT (writable, ends up in
# build/vm/out/ on the host), KVER, and TESTS/TEST_TIMEOUT/V if set.
# Host environment: VM_TIMEOUT (s, default 1500), KVER (a Debian kernel
# release; ignored with a note if no /boot/vmlinuz-$KVER),
# CLICKUP_EXTRA_MODULES (glob(s) of extra .ko files to install in the guest),
# VM_MEM (default 2G), VM_QEMU_ARGS (more qemu options, word-split; e.g.
# "-icount shift=0" for bench/pkt.sh), KERNEL=debug (below).
#
# KERNEL=debug boots the debug kernel of selftests/vm/debug-kernel.sh (KASAN,
# lockdep, kmemleak...; built once, cached) with the modules `make
# KERNEL=debug` built against it (build/debug/out/, overlaid on the repo in
# the guest, so docs/example-atom/*.ko is the debug build too); VM_TIMEOUT
# defaults to 3600 s there. Results in build/debug/vm/.
# Output: the serial console streams to stdout and is saved to
# build/vm/serial.log; the last line is "N passed, N failed, N skipped"
# (TAP ok/not ok lines, +1 failed for a crash/timeout/kernel warning).
# Guest results (rc, dmesg.txt, tap.txt, $CLICKUP_OUT files): build/vm/out/.
# See docs/testing.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMDIR=$REPO/build/vm
HERE=$REPO/selftests/vm
DEBUG=
if [ "${KERNEL:-}" = debug ]; then
	DEBUG=$REPO/build/debug
	VMDIR=$DEBUG/vm
	: "${VM_TIMEOUT:=3600}"
	export VM_TIMEOUT
fi

MODE=run
if [ "${1:-}" = --shell ]; then
	MODE=shell
	shift
fi
if [ $MODE = run ] && [ $# -eq 0 ]; then
	sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
fi

if [ -n "$DEBUG" ]; then
	[ -d "$DEBUG/out/kmod" ] || { echo "run-vm.sh: nothing built in build/debug/out: run 'make KERNEL=debug'" >&2; exit 1; }
	# The cached kbuild tree (~10 ms when built): bzImage, modules.builtin.
	# (Not vmlinux: its PVH entry crashes under KASAN, debug-kernel.sh.)
	MODDIR=$("$HERE/debug-kernel.sh" | tail -n1)
	KVER=$(cat "$MODDIR/include/config/kernel.release")
	VMLINUX=$MODDIR/arch/x86/boot/bzImage
	mkdir -p "$VMDIR"
else
	# The kernel release to boot.  Beware: Debian's linux-headers ship
	# include/config/kernel.release with the *upstream* version (6.1.NNN), not
	# the release (6.1.0-NN-amd64); utsrelease.h has the right one.
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

	mkdir -p "$VMDIR"

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
fi
export KVER

# A private run directory (concurrent runs from one checkout don't clash);
# its out/ and serial.log become build/vm/out and build/vm/serial.log.
RUN=$(mktemp -d "$VMDIR/run.XXXXXX")
OUT=$RUN/out
# shellcheck disable=SC2317 # called by the EXIT trap
finish() {
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

# initramfs: busybox, 9p/virtio/overlay modules (deps first; built into the
# debug kernel), /init.
IRD=$RUN/initramfs
mkdir -p "$IRD"/{bin,sbin,dev,proc,sys,newroot,out,keep,ovl,mod}
cp /bin/busybox "$IRD/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$IRD/bin/$a"
done
touch "$IRD/mod/order"
[ -n "$DEBUG" ] || for m in virtio_pci 9pnet_virtio 9p overlay; do
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

# Modules for the guest's /lib/modules/$KVER/extra/.
shopt -s nullglob
if [ -n "$DEBUG" ]; then
	# shellcheck disable=SC2206 # CLICKUP_EXTRA_MODULES is a list of globs
	mods=("$DEBUG"/out/kmod/*.ko "$DEBUG"/out/atoms/*.ko ${CLICKUP_EXTRA_MODULES:-})
	# The debug builds, overlaid on the repo by guest-init.sh.
	mkdir -p "$OUT/tree"
	cp -a "$DEBUG"/out/. "$OUT/tree/"
else
	# shellcheck disable=SC2206 # CLICKUP_EXTRA_MODULES is a list of globs
	mods=("$REPO"/kmod/*.ko "$REPO"/atoms/*.ko ${CLICKUP_EXTRA_MODULES:-})
fi
shopt -u nullglob
[ ${#mods[@]} -eq 0 ] || cp "${mods[@]}" "$OUT/modules/"
# depmod here (0.4 s) rather than in the guest (~12 s under TCG): a staging
# tree of symlinks to the host's /lib/modules/$KVER, with our extra/.
DM=$RUN/depmod/lib/modules/$KVER
mkdir -p "$DM" "$OUT/modindex"
# (The debug kernel's tree: only its modules.builtin*, so that modprobe of a
# built-in one, e.g. veth, succeeds.)
for f in "$MODDIR"/*; do
	[ -z "$DEBUG" ] || case ${f##*/} in modules.builtin* | modules.order) ;; *) continue ;; esac
	case ${f##*/} in
	modules.builtin | modules.builtin.modinfo | modules.order | extra) ;;
	modules.*) continue ;;
	esac
	[ "${f##*/}" = extra ] || ln -s "$f" "$DM/"
done
ln -s "$OUT/modules" "$DM/extra"
depmod -b "$RUN/depmod" "$KVER"
find "$DM" -maxdepth 1 -type f -name 'modules.*' -exec mv {} "$OUT/modindex/" \;

# What the guest runs (bash, in the guest's root).
TERM_HOST=linux
[ $MODE = run ] || TERM_HOST=${TERM:-linux}
printf 'REPO=%s\nKVER=%s\nOUT=%s\nMODE=%s\nTERM_HOST=%s\n' \
	"$REPO" "$KVER" "$OUT" "$MODE" "$TERM_HOST" >"$OUT/config"
{
	for v in TESTS TEST_TIMEOUT V; do
		[ -z "${!v+x}" ] || printf 'export %s=%q\n' "$v" "${!v}"
	done
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

# Debug kernel: every KASAN report (not just the first), room in the log
# for long reports (the runner diffs dmesg per test), and warnings (lockdep,
# WARN) on the console too, in case the guest dies before saving dmesg.
DEBUG_APPEND='kasan_multi_shot log_buf_len=8M loglevel=5'
# shellcheck disable=SC2054 # commas are qemu syntax
QEMU=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "${VM_MEM:-2G}" -M pc
	-nographic -no-reboot -nic none
	-kernel "$VMLINUX" -initrd "$RUN/initramfs.cpio"
	-append "console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=0${DEBUG:+ $DEBUG_APPEND}"
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
	-fsdev "local,id=out,path=$OUT,security_model=none"
	-device virtio-9p-pci,fsdev=out,mount_tag=out)
# shellcheck disable=SC2206 # a list of options
QEMU+=(${VM_QEMU_ARGS:-})

if [ $MODE = shell ]; then
	"${QEMU[@]}" -serial mon:stdio || true
	exit 0
fi

# shellcheck source=selftests/vm/vm-verdict.sh
source "$(dirname "${BASH_SOURCE[0]}")/vm-verdict.sh"
vm_run_and_verdict run-vm.sh "kernel $KVER" "${VMDIR#"$REPO"/}"
