#!/bin/bash
# The ARM twin of selftests/vm/run-vm.sh: boot Debian's arm64 (or armmp)
# kernel in qemu-system-aarch64 (qemu-system-arm), root = build/$ARCH/root
# (an arm64/armhf Debian root made by deps-arm.sh, read-only over 9p), the
# repo mounted at its host path with build/$ARCH/out overlaid on it (so
# ctl/clickupctl, selftests/clickup_nl and the example atom are the ARM
# builds), the ARM modules installed, and run a command there.
#
#   run-vm-arm.sh arm64|arm CMD [ARG...]
#   run-vm-arm.sh arm64|arm --shell
#
# Same contract as run-vm.sh (exit code, "N passed, N failed, N skipped",
# TESTS/TEST_TIMEOUT/V passed in, VM_TIMEOUT, VM_MEM); results in
# build/$ARCH/vm/out/, console in build/$ARCH/vm/serial.log.
# Run `make ARCH=arm64` (or arm) first: it downloads and builds everything.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE=$REPO/selftests/vm/arm

ARCH=${1:-}
shift || true
case $ARCH in
arm64)
	# shellcheck disable=SC2054
	QEMU_SYS=(qemu-system-aarch64 -M virt -cpu cortex-a53)
	CONSOLE=ttyAMA0
	;;
arm)
	# shellcheck disable=SC2054
	QEMU_SYS=(qemu-system-arm -M virt,highmem=off -cpu cortex-a15)
	CONSOLE=ttyAMA0
	;;
*)
	echo "usage: run-vm-arm.sh arm64|arm CMD... | --shell" >&2
	exit 2
	;;
esac
B=$REPO/build/$ARCH
VMDIR=$B/vm
ROOT=$B/root
[ -f "$B/env.mk" ] || { echo "run-vm-arm.sh: no build/$ARCH/env.mk: run 'make ARCH=$ARCH'" >&2; exit 1; }
KVER=$(sed -n 's/^ARM_KVER := //p' "$B/env.mk")
[ -d "$B/out/modules" ] || { echo "run-vm-arm.sh: nothing built in build/$ARCH/out: run 'make ARCH=$ARCH'" >&2; exit 1; }

MODE=run
if [ "${1:-}" = --shell ]; then
	MODE=shell
	shift
fi
if [ $MODE = run ] && [ $# -eq 0 ]; then
	sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
fi

export KVER
MODDIR=$ROOT/lib/modules/$KVER

mkdir -p "$VMDIR"

# Debian's arm64 vmlinuz is a plain Image, armmp's a zImage: qemu boots both.
VMLINUX=$ROOT/boot/vmlinuz-$KVER
# The repo is mounted at its host path; the (read-only) root needs the
# mount point.
mkdir -p "$ROOT$REPO"

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
mkdir -p "$OUT/modules" "$OUT/tree"

# initramfs: busybox, 9p/virtio/overlay modules (deps first), /init.
IRD=$RUN/initramfs
mkdir -p "$IRD"/{bin,sbin,dev,proc,sys,newroot,out,keep,ovl,mod}
cp "$ROOT/usr/bin/busybox" "$IRD/bin/busybox"
# The applet list of the host's busybox (same Debian package, other arch:
# the ARM one cannot run here).
for a in $(busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$IRD/bin/$a"
done
for m in virtio_pci 9pnet_virtio 9p overlay; do
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
cp "$HERE/guest-init-arm.sh" "$IRD/init"
printf '#!/bin/sh\nexec /bin/chroot /newroot /sbin/modprobe "$@"\n' >"$IRD/sbin/clickup-modprobe"
chmod +x "$IRD/init" "$IRD/sbin/clickup-modprobe"
[ "$(id -u)" -ne 0 ] || mknod -m 600 "$IRD/dev/console" c 5 1
(cd "$IRD" && find . | cpio -o -H newc --quiet) >"$RUN/initramfs.cpio"

# Modules for the guest's /lib/modules/$KVER/extra/.
shopt -s nullglob
# shellcheck disable=SC2206 # CLICKUP_EXTRA_MODULES is a list of globs
mods=("$B"/out/modules/*.ko ${CLICKUP_EXTRA_MODULES:-})
shopt -u nullglob
[ ${#mods[@]} -eq 0 ] || cp "${mods[@]}" "$OUT/modules/"
# The ARM builds of the repo's binaries, overlaid on the repo in the guest.
cp -a "$B"/out/. "$OUT/tree/"
rm -rf "$OUT/tree/modules"
# depmod here (0.4 s) rather than in the guest (~12 s under TCG): a staging
# tree of symlinks to the host's /lib/modules/$KVER, with our extra/.
DM=$RUN/depmod/lib/modules/$KVER
mkdir -p "$DM" "$OUT/modindex"
for f in "$MODDIR"/*; do
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

# shellcheck disable=SC2054 # commas are qemu syntax
QEMU=("${QEMU_SYS[@]}" -accel tcg -smp 2 -m "${VM_MEM:-1G}"
	-nographic -no-reboot -nic none
	-kernel "$VMLINUX" -initrd "$RUN/initramfs.cpio"
	-append "console=$CONSOLE quiet panic=-1 oops=panic panic_on_warn=0"
	-fsdev "local,id=root,path=$ROOT,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
	-fsdev "local,id=repo,path=$REPO,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=repo,mount_tag=repo
	-fsdev "local,id=out,path=$OUT,security_model=none"
	-device virtio-9p-pci,fsdev=out,mount_tag=out)

if [ $MODE = shell ]; then
	"${QEMU[@]}" -serial mon:stdio || true
	exit 0
fi

# shellcheck source=selftests/vm/vm-verdict.sh
source "$(dirname "${BASH_SOURCE[0]}")/../vm-verdict.sh"
vm_run_and_verdict run-vm-arm.sh "$ARCH kernel $KVER" "build/$ARCH/vm"
