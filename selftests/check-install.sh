#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=... gives a usable tree: the tool runs from it, its
# man page and completion are there, and every module is, with the
# aliases depmod needs to autoload the atoms. Runs on the host (no kernel
# needed): part of make check before the VM.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
make -s -C "$REPO" install DESTDIR="$D" PREFIX=/usr >"$D.log" 2>&1 ||
	{ cat "$D.log"; echo "not ok - make install DESTDIR"; exit 1; }
rm -f "$D.log"
fail=0
want() {	# want PATH: exists in the tree
	if [ -e "$D$1" ]; then echo "ok - installed $1"; else echo "not ok - missing $1"; fail=1; fi
}
want /usr/sbin/clickupctl
want /usr/share/man/man8/clickupctl.8
want /usr/share/bash-completion/completions/clickupctl
want /usr/sbin/clickupd
want /usr/share/man/man8/clickupd.8
want /usr/lib/systemd/system/clickupd.service
want /usr/share/clickup/www/index.html
want /usr/share/clickup/www/js/main.js
want /usr/share/clickup/www/vendor/elk-worker.min.js
kver=$(ls "$D/lib/modules")
want "/lib/modules/$kver/extra/clickup/kmod/clickup.ko"
n=$(find "$D/lib/modules/$kver" -name 'clickup_atom_*.ko' | wc -l)
m=$(find "$REPO/atoms" -maxdepth 1 -name "clickup_atom_*.ko" | wc -l)
if [ "$n" -ge "$m" ] && [ "$n" -gt 0 ]; then
	echo "ok - $n atom modules installed"
else
	echo "not ok - $n atom modules installed, $m built"; fail=1
fi
# depmod over the installed tree resolves an atom alias to its module.
depmod -b "$D" "$kver" 2>/dev/null
if modprobe -d "$D" -S "$kver" --show-depends clickup-atom-strip 2>/dev/null |
	grep -q 'clickup_atom_strip.ko'; then
	echo "ok - alias clickup-atom-strip resolves in the installed tree"
else
	echo "not ok - alias clickup-atom-strip does not resolve"; fail=1
fi
"$D/usr/sbin/clickupctl" -V >/dev/null && echo "ok - the installed clickupctl runs" ||
	{ echo "not ok - the installed clickupctl does not run"; fail=1; }
exit $fail
