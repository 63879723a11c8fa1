#!/bin/bash
# Compile test against a newer kernel series than the VM's 6.1:
#
#   compile-test.sh 6.12     (make compile-test-6.12)
#
# Downloads (private apt, papt.sh; never installs) Debian trixie's
# linux-headers-<series>.*-amd64, its -common and linux-kbuild-<series>
# into build/kernel-<series>/ and builds the modules (kmod/, atoms/, the
# example atom) there, from a copy of the sources: nothing is written into
# the tree. Fails on any compiler warning. A second run reuses the download.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=selftests/vm/arm/papt.sh
. "$REPO/selftests/vm/arm/papt.sh"

SERIES=${1:-6.12}
SUITE=${SUITE:-trixie}
B=$REPO/build/kernel-$SERIES
SYSROOT=$B/sysroot
GCC14_ONLY="CC_HAS_MIN_FUNCTION_ALIGNMENT"

glibc_minor() { ldd --version | sed -n '1s/.* 2\.\([0-9]*\)$/\1/p'; }
wrap_new_glibc() {
	local sysroot=$1 host f need libs=$1/trixie-libs
	host=$(glibc_minor)
	local wrapped=()
	while read -r f; do
		file -b "$f" | grep -q '^ELF.*dynamically linked' || continue
		need=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*' |
			cut -d. -f2 | sort -n | tail -n1)
		[ -n "$need" ] && [ "$need" -gt "$host" ] && wrapped+=("$f")
	done < <(find "$sysroot/usr/lib" -path '*linux-kbuild*' -type f -perm -u+x)
	[ ${#wrapped[@]} -gt 0 ] || return 0
	mkdir -p "$B/debs.libs"
	papt_fetch "$B/debs.libs" libc6 libelf1t64 zlib1g libzstd1 libssl3t64
	papt_extract "$libs" "$B/debs.libs"/*.deb
	rm -rf "$B/debs.libs"
	local ld=$libs/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -e "$ld" ] || ld=$libs/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	for f in "${wrapped[@]}"; do
		mv "$f" "$f.bin"
		printf '#!/bin/sh\nexec %q --library-path %q %q "$@"\n' \
			"$ld" "$libs/usr/lib/x86_64-linux-gnu:$libs/lib/x86_64-linux-gnu" \
			"$f.bin" >"$f"
		chmod +x "$f"
	done
	echo "compile-test: ${#wrapped[@]} kbuild tool(s) run with $SUITE's glibc"
}

if [ ! -s "$B/kdir" ] || [ ! -f "$(cat "$B/kdir")/Makefile" ]; then
	papt_init "$B/apt" "$SUITE $SUITE-security" "amd64"
	meta=$(papt apt-cache search --names-only "^linux-headers-$SERIES\." |
		awk '{print $1}' | grep -E -- '-amd64$' | grep -vE -- '-(cloud|rt)-' |
		sort -V | tail -n1)
	[ -n "$meta" ] || {
		echo "compile-test: no linux-headers-$SERIES.*-amd64 in $SUITE" >&2
		exit 1
	}
	KVER=${meta#linux-headers-}
	ver=$(papt_version "$meta")
	# -common and linux-kbuild-* (named per series or per ABI) are deps.
	mapfile -t deps < <(papt apt-cache depends "$meta" |
		awk '/Depends: linux-(headers|kbuild)-/ {print $2}')
	echo "compile-test: $meta ($ver) from $SUITE, with ${deps[*]}"
	rm -rf "$B/debs" "$SYSROOT"
	papt_fetch "$B/debs" "$meta=$ver" "${deps[@]/%/=$ver}"
	papt_extract "$SYSROOT" "$B/debs"/*.deb
	KDIR=$SYSROOT/usr/src/linux-headers-$KVER
	sed -i "s|^include /usr/src/|include $SYSROOT/usr/src/|" "$KDIR/Makefile"
	rm -rf "$B/debs"
	# Options that Kconfig set because gcc-14 has a feature the host's
	# gcc-12 lacks, and that add flags gcc-12 rejects. The headers ship
	# no Kconfig files, so `olddefconfig` cannot re-probe: unset them in
	# both generated configs (the build then uses the older fallbacks,
	# e.g. -falign-functions for -fmin-function-alignment).
	for opt in $GCC14_ONLY; do
		sed -i "/^CONFIG_$opt=/d" "$KDIR/include/config/auto.conf"
		sed -i "/^#define CONFIG_$opt /d" "$KDIR/include/generated/autoconf.h"
	done
	# Trixie's headers ship a BTF-only vmlinux, so kbuild would run
	# pahole (not installed here) for module BTF; without it BTF is
	# skipped, as with bookworm's headers.
	rm -f "$KDIR/vmlinux"
	# Some of trixie's kbuild tools (modpost.real-*, objtool.real-x86...)
	# need a newer glibc than bookworm's: run those through trixie's own
	# dynamic loader and libraries, downloaded next to them.
	wrap_new_glibc "$SYSROOT"
	echo "$KDIR" >"$B/kdir"
fi
KDIR=$(cat "$B/kdir")

# The host tools of a trixie kbuild (fixdep, modpost) are trixie binaries;
# they must run on this host.
FIXDEP=$KDIR/scripts/basic/fixdep
out=$("$FIXDEP" 2>&1 || true)
if ! grep -q -i usage <<<"$out"; then
	echo "compile-test: $FIXDEP does not run on this host: $out" >&2
	exit 1
fi

SRC=$B/src
rm -rf "$SRC"	# a full build each time (~25 s): every warning is seen
mkdir -p "$SRC"
tar -C "$REPO" -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
	--exclude='*.cmd' --exclude='Module.symvers' --exclude='modules.order' \
	Kbuild kmod atoms docs/example-atom | tar -C "$SRC" -x

# Trixie's kernel is built with gcc-14 (not in bookworm); the host's gcc
# is used instead (KCC=...). Kbuild then says "the compiler differs",
# which is expected here and not counted as a warning.
KCC=${KCC:-gcc}
log=$B/build.log
set +e
{
	make -C "$KDIR" M="$SRC" CC="$KCC" modules &&
		make -C "$SRC/docs/example-atom" KDIR="$KDIR" CLICKUP_DIR="$SRC" CC="$KCC"
} >"$log" 2>&1
rc=$?
set -e
warnings=$(grep -i -E 'warning|error' "$log" | grep -v 'the compiler differs' || true)
if [ $rc -ne 0 ] || [ -n "$warnings" ]; then
	cat "$log"
	echo "compile-test $SERIES: FAIL (make rc $rc, $(grep -c . <<<"$warnings") warning/error lines)"
	exit 1
fi
n=$(find "$SRC" -name '*.ko' | wc -l)
echo "compile-test $SERIES: ok, $n modules built warning-free against $(basename "$KDIR")"
