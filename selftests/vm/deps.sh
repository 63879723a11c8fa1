#!/bin/bash
# Install (on Debian 12) every package CLICK-UP needs to build and to run its
# selftests in a qemu VM, and extract the few kernel-source files the build
# uses (kselftest headers, checkpatch) into build/ksrc/.
# Idempotent: when everything is there it does nothing (well under 1 s).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

PKGS=(
	build-essential linux-image-amd64 linux-headers-amd64
	qemu-system-x86 busybox-static cpio kmod
	libnl-3-dev libnl-genl-3-dev libbpf-dev libkmod-dev pkg-config libmicrohttpd-dev
	iproute2 nftables iputils-ping curl python3 socat sparse
	linux-source-6.1 xz-utils gnuplot-nox procps util-linux
	clang llvm
	iperf3 python3-nftables linux-perf ethtool strace jq
	# the debug kernel (debug-kernel.sh) from linux-source-6.1
	flex bison bc libelf-dev libssl-dev
	# the dashboard's browser tests: Debian's headless Chromium on this
	# host, driven over WebDriver through chromedriver (never a browser
	# that downloads itself; selftests/browser.py needs no selenium)
	chromium chromium-driver
)
# npm installs elkjs (the dashboard's graph layout) at build time; a
# nodejs from elsewhere (e.g. NodeSource) brings its own npm, and Debian's
# npm package would replace that nodejs.
command -v npm >/dev/null || PKGS+=(nodejs npm)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps.sh: not root and no sudo" >&2; exit 1; }
	SUDO=(sudo)
fi

missing=()
for p in "${PKGS[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${status:0:2}" = ii ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps.sh: installing: ${missing[*]}"
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Files from the kernel source tarball, at the same relative paths.
KSRC_FILES=(
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)
KSRC=$REPO/build/ksrc
want=()
for f in "${KSRC_FILES[@]}"; do
	[ -e "$KSRC/$f" ] || want+=("linux-source-6.1/$f")
done
if [ ${#want[@]} -gt 0 ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -r "$tarball" ] || { echo "deps.sh: $tarball missing" >&2; exit 1; }
	echo "deps.sh: extracting ${#want[@]} file(s) from $tarball into build/ksrc/"
	mkdir -p "$KSRC"
	tar -xJf "$tarball" -C "$KSRC" --strip-components=1 "${want[@]}"
fi
