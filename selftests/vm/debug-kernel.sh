#!/bin/bash
# Build (once) the debug kernel of `make check KERNEL=debug` from Debian's
# linux-source-6.1 with the fragment debug-kernel.config on allnoconfig, and
# print its directory: a kbuild tree (KDIR for out-of-tree modules: .config,
# include/, scripts/, Module.symvers; object files pruned) with vmlinux (line
# info for scripts/faddr2line) at its top and arch/x86/boot/bzImage, which
# qemu boots: 6.1's PVH entry (qemu -kernel vmlinux) calls xen_prepare_pvh(),
# KASAN-instrumented, before startup_64 maps KASAN's early shadow, and the
# guest triple-faults at once.
#
#   debug-kernel.sh            build if needed; last stdout line = the tree
#
# Cached outside the clone in $CLICKUP_CACHE/kernel-debug/KEY/ (default
# /var/cache/clickup), KEY = sha256 of the linux-source package version, the
# compiler, the fragment and this script: a second run only hashes (~10 ms).
# The 3 newest trees are kept. JOBS (default 2) = make -j.
# Needs: linux-source-6.1 flex bison bc libelf-dev libssl-dev (deps.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FRAG=$HERE/debug-kernel.config
TARBALL=/usr/src/linux-source-6.1.tar.xz
CACHE=${CLICKUP_CACHE:-/var/cache/clickup}/kernel-debug

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || {
	echo "debug-kernel.sh: linux-source-6.1 is not installed (selftests/vm/deps.sh)" >&2
	exit 1
}
key=$({
	echo "linux-source-6.1 $srcver"
	gcc --version | head -n1
	cat "$FRAG" "${BASH_SOURCE[0]}"
} | sha256sum | cut -c1-16)
TREE=$CACHE/$key

# A tree only gets its final name when complete.
if [ -f "$TREE/vmlinux" ]; then
	echo "$TREE"
	exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	echo "debug-kernel.sh: waiting for another build ($CACHE/.lock)" >&2
	flock 9	# it may be this very key
fi
if [ -f "$TREE/vmlinux" ]; then
	echo "$TREE"
	exit 0
fi

WORK=$CACHE/$key.tmp
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM	# so that the EXIT trap cleans up
start=$SECONDS
echo "debug-kernel.sh: building $key (linux-source-6.1 $srcver) in $WORK, log $WORK/build.log" >&2
tar -xJf "$TARBALL" -C "$WORK" --strip-components=1
cd "$WORK"
K=(make ARCH=x86_64 -j"${JOBS:-2}")
# merge_config.sh reports every requested value the dependencies overrode:
# a fragment line that does not take effect is an error, not a surprise.
ARCH=x86_64 scripts/kconfig/merge_config.sh -n "$FRAG" >merge.log 2>&1 || {
	cat merge.log >&2
	exit 1
}
if grep -q '^Value requested' merge.log; then
	grep -A3 '^Value requested' merge.log >&2
	echo "debug-kernel.sh: $FRAG asks for values Kconfig did not take" >&2
	exit 1
fi
# vmlinux, modpost over it (Module.symvers, scripts for M= builds), bzImage.
if ! "${K[@]}" vmlinux modules bzImage >build.log 2>&1; then
	tail -n 40 build.log >&2
	exit 1
fi

# Prune what external modules and faddr2line do not need (~1.4 GB of .o).
find . \( -name '*.o' -o -name '*.a' -o -name '*.ko' -o -name '*.mod.c' \
	-o -name 'vmlinux.o' -o -name '.tmp_*' \) -type f -delete
rm -rf .tmp_versions
echo "$srcver" >.clickup-source-version
mv "$WORK" "$TREE"
trap - EXIT
echo "debug-kernel.sh: built $(cat "$TREE/include/config/kernel.release") in $((SECONDS - start)) s" >&2

# Keep the three newest trees (other keys: other checkouts' fragments).
find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name '*.tmp' -printf '%T@ %p\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
echo "$TREE"
