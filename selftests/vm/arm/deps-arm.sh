#!/bin/bash
# Everything `make ARCH=arm64|arm` and `make check ARCH=...` need, on a
# Debian 12 amd64 host, without installing any foreign-architecture package:
#
#   deps-arm.sh arm64|arm
#
#  - host packages (apt-get install, only what is missing): the amd64 deps
#    (selftests/vm/deps.sh), qemu-system-arm, the cross gcc and its libc;
#  - with a private apt (papt.sh) for the Debian arch (arm64 / armhf),
#    downloaded and extracted under build/$ARCH/ (cached; a second run
#    does nothing, ~0.1 s; PAPT_UPDATE=1 refreshes the package lists):
#      sysroot/  linux-headers-*-{arm64,armmp} + -common, the *amd64*
#                linux-kbuild-6.1 of the same version (host fixdep/modpost),
#                libnl-3-dev / libnl-genl-3-dev (static libs, headers)
#      root/     the guest's root file system: the kernel image and its
#                modules (depmod run on the host), busybox-static, bash,
#                iproute2, python3, curl, socat, ping, kmod... (no
#                maintainer scripts run: the few things they would do are
#                done here by hand)
#      env.mk    KDIR, KVER, CROSS_COMPILE, SYSROOT for the Makefile
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE=$REPO/selftests/vm/arm
# shellcheck source=selftests/vm/arm/papt.sh
. "$HERE/papt.sh"

ARCH=${1:-}
case $ARCH in
arm64) DEBARCH=arm64 TRIPLET=aarch64-linux-gnu FLAVOUR=arm64 ;;
arm) DEBARCH=armhf TRIPLET=arm-linux-gnueabihf FLAVOUR=armmp ;;
*)
	echo "usage: deps-arm.sh arm64|arm" >&2
	exit 2
	;;
esac
B=$REPO/build/$ARCH
STAMP=$B/deps.stamp
# Bump when this script's output changes so caches are rebuilt.
RECIPE=7

# 1. Host packages.
"$REPO/selftests/vm/deps.sh"
HOST_PKGS=(qemu-system-arm "gcc-$TRIPLET" "libc6-dev-$DEBARCH-cross" binutils-"$TRIPLET")
missing=()
for p in "${HOST_PKGS[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${status:0:2}" = ii ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=()
	[ "$(id -u)" -eq 0 ] || SUDO=(sudo)
	echo "deps-arm.sh: installing: ${missing[*]}"
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -s "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "recipe $RECIPE" ] &&
	[ -f "$B/env.mk" ] && [ "${PAPT_UPDATE:-0}" != 1 ]; then
	exit 0
fi

# /bin, /sbin, /lib -> usr/ (as debootstrap makes them for bookworm)
merged_usr() {
	mkdir -p "$1/usr"/{bin,sbin,lib}
	for d in bin sbin lib; do ln -s "usr/$d" "$1/$d"; done
}

t0=$(date +%s)
# 2. Private apt for the target arch (+ amd64 for linux-kbuild).
papt_init "$B/apt" "bookworm bookworm-updates bookworm-security" "$DEBARCH amd64"

# The kernel: the newest ABI the meta package points at.
hdr_meta=$(papt apt-cache depends "linux-headers-$FLAVOUR:$DEBARCH" |
	awk '/Depends: linux-headers-/ {print $2; exit}')
hdr_meta=${hdr_meta%%:*}
KVER=${hdr_meta#linux-headers-}
[ -n "$KVER" ] || {
	echo "deps-arm.sh: no linux-headers-$FLAVOUR in the package lists" >&2
	exit 1
}
KABI=${KVER%-"$FLAVOUR"}			# 6.1.0-NN
KVERSION=$(papt_version "linux-headers-$KVER:$DEBARCH")	# 6.1.NNN-N
KSERIES=$(echo "$KABI" | cut -d. -f1,2)		# 6.1
image=linux-image-$KVER
# arm64's image package is the signed one; the -unsigned one has the same
# files. armmp has only one.
[ -n "$(papt_version "$image:$DEBARCH")" ] || image=linux-image-$KVER-unsigned
echo "deps-arm.sh: $ARCH kernel $KVER ($KVERSION)"

DEBS=$B/debs
rm -rf "$DEBS" "$DEBS.new"
mkdir -p "$DEBS.new"
papt_fetch "$DEBS.new" \
	"linux-headers-$KVER:$DEBARCH=$KVERSION" \
	"linux-headers-$KABI-common=$KVERSION" \
	"linux-kbuild-$KSERIES:amd64=$KVERSION" \
	"$image:$DEBARCH=$KVERSION" \
	"libnl-3-dev:$DEBARCH" "libnl-genl-3-dev:$DEBARCH"

# 3. sysroot: headers (+ kbuild), libnl.
rm -rf "$B/sysroot"
merged_usr "$B/sysroot"
papt_extract "$B/sysroot" "$DEBS.new"/linux-headers-*.deb "$DEBS.new"/linux-kbuild-*.deb \
	"$DEBS.new"/libnl-*.deb
KDIR=$B/sysroot/usr/src/linux-headers-$KVER
[ -f "$KDIR/Makefile" ] || {
	echo "deps-arm.sh: no $KDIR/Makefile" >&2
	exit 1
}
# The flavour's Makefile includes the -common one by absolute path: make
# it the sysroot's (else a host with the same amd64 headers installed would
# silently use those, and others fail).
sed -i "s|^include /usr/src/|include $B/sysroot/usr/src/|" "$KDIR/Makefile"
# Absolute symlinks inside the packages (e.g. scripts -> /usr/lib/...)
# must point into the sysroot. Debian's are relative; check anyway.
find "$B/sysroot" -type l -lname '/*' -print | while read -r l; do
	t=$(readlink "$l")
	ln -sfn "$B/sysroot$t" "$l"
done

# 4. The guest's root.
ROOT_PKGS=(
	base-files base-passwd bash coreutils dash debianutils diffutils
	findutils grep sed gawk mawk util-linux mount procps kmod libc-bin
	iproute2 iputils-ping netbase python3 curl socat busybox-static
	ncurses-base tar gzip jq
)
mkdir -p "$DEBS.new/root/partial"
papt apt-get install -d -y \
	-o Dir::Cache::archives="$DEBS.new/root" \
	"${ROOT_PKGS[@]/%/:$DEBARCH}" >"$B/root-download.log" 2>&1 || {
	cat "$B/root-download.log" >&2
	exit 1
}
ROOT=$B/root
rm -rf "$ROOT"
merged_usr "$ROOT"
papt_extract "$ROOT" "$DEBS.new/root"/*.deb "$DEBS.new"/linux-image-*.deb
# What maintainer scripts would have done, as far as the tests care.
cp "$ROOT/usr/share/base-passwd/passwd.master" "$ROOT/etc/passwd"
cp "$ROOT/usr/share/base-passwd/group.master" "$ROOT/etc/group"
[ -e "$ROOT/usr/bin/sh" ] || ln -s dash "$ROOT/usr/bin/sh"
[ -e "$ROOT/usr/bin/awk" ] || ln -s gawk "$ROOT/usr/bin/awk"
[ -e "$ROOT/usr/bin/which" ] || ln -s which.debianutils "$ROOT/usr/bin/which"
# base-files' postinst makes these links; `ip netns` uses /run/netns and
# pkt.py opens /var/run/netns/NAME.
rm -rf "$ROOT/var/run" "$ROOT/var/lock"
ln -s /run "$ROOT/var/run"
ln -s /run/lock "$ROOT/var/lock"
mkdir -p "$ROOT/run"
printf '127.0.0.1\tlocalhost\n' >"$ROOT/etc/hosts"
echo clickup-vm >"$ROOT/etc/hostname"
: >"$ROOT/etc/fstab"
touch "$ROOT/etc/ld.so.conf"
# The repo is mounted at its host path in the guest (see guest-init.sh;
# run-vm.sh makes the mount point too, for a repo that moved).
mkdir -p "$ROOT$REPO"
depmod -b "$ROOT" "$KVER"
ls "$ROOT/boot/vmlinuz-$KVER" >/dev/null

rm -rf "$DEBS.new"	# everything is extracted; keep no .debs

cat >"$B/env.mk" <<EOF
# written by selftests/vm/arm/deps-arm.sh
ARM_KVER := $KVER
ARM_KDIR := $KDIR
ARM_SYSROOT := $B/sysroot
ARM_TRIPLET := $TRIPLET
ARM_DEBARCH := $DEBARCH
EOF
printf 'recipe %s\nkernel %s %s\n' "$RECIPE" "$KVER" "$KVERSION" >"$STAMP"
echo "deps-arm.sh: build/$ARCH ready in $(($(date +%s) - t0)) s"
