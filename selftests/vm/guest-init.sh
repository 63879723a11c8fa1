#!/bin/sh
# /init of the test VM's initramfs (busybox ash; run-vm.sh builds the
# initramfs, for every arch of its table).  Mounts the root (9p "hostroot":
# the host's / on amd64, build/$ARCH/root on ARM; read-only) on /newroot,
# makes the writable bits writable, puts the repo at its host path (from
# inside that root, or from its own 9p share "repo" when run-vm.sh says
# REPO_FROM=share) with /out/tree (builds for another arch or kernel: ARM,
# debug) overlaid on it, installs the repo's modules, runs the command that
# run-vm.sh left in the results share, saves its exit code and dmesg there,
# and powers off.  Anything going wrong ends in poweroff too, so qemu exits.
# A kernel the root has no modules for (the debug kernel: all built in) gets
# a tmpfs /lib/modules; with kmemleak (the debug kernel) the command is
# checked for leaks.
# shellcheck shell=sh
export PATH=/bin:/sbin
R=/newroot

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec 0</dev/console 1>/dev/console 2>&1

# Without ACPI (the debug kernel, ARM's virt board) poweroff may only halt;
# a reboot ends qemu (-no-reboot).
off() {
	sync
	[ -d /sys/firmware/acpi ] || reboot -f
	poweroff -f
}
die() {
	echo "guest-init: FATAL: $*"
	dmesg >/out/dmesg.txt 2>/dev/null
	off
}
up() { cut -d' ' -f1 /proc/uptime; }

while read -r m; do
	insmod "/mod/$m" || die "insmod $m"
done </mod/order

P9=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$P9,cache=none" out /out || die "mount results share"
# shellcheck source=/dev/null
. /out/config	# REPO KVER OUT MODE TERM_HOST CONSOLE REPO_FROM (run-vm.sh)
mount -t 9p -o "$P9,cache=loose,ro" hostroot $R || die "mount host root"

mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
ln -s /proc/self/fd $R/dev/fd
ln -s fd/0 $R/dev/stdin
ln -s fd/1 $R/dev/stdout
ln -s fd/2 $R/dev/stderr
mount -t devpts -o ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs shm $R/dev/shm
mount -t debugfs debugfs $R/sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs $R/sys/kernel/tracing 2>/dev/null
mount -t bpf bpf $R/sys/fs/bpf 2>/dev/null

# The repo on /keep: its own share, or (kept visible even if it lives under
# one of the tmpfs below, e.g. a clone in /root or /tmp) the root's.
if [ "$REPO_FROM" = share ]; then
	mount -t 9p -o "$P9,cache=loose,ro" repo /keep || die "mount repo share"
else
	mount -o bind "$R$REPO" /keep || die "bind $REPO"
fi
# Fresh tmpfs where programs write.
for d in /tmp /run /var/tmp /root; do
	mount -t tmpfs -o mode=0755 tmpfs "$R$d" || die "tmpfs on $d"
done
chmod 1777 $R/tmp $R/var/tmp
mkdir -p $R/run/netns $R/run/lock "$R$REPO" 2>/dev/null
if [ -d /out/tree ]; then
	# Other builds (ARM, debug kernel) on top of the repo at the same paths.
	mount -t overlay overlay -o "lowerdir=/out/tree:/keep" "$R$REPO" ||
		die "overlay of the builds in /out/tree on $REPO"
else
	mount -o bind /keep "$R$REPO" || die "rebind $REPO"
fi
mount -o bind /out "$R$OUT" || die "bind results share on $OUT"

# Writable overlays (upper on tmpfs) over read-only host dirs.
mount -t tmpfs -o mode=0755 ovl /ovl
ovl() {
	mkdir -p "/ovl$1/u" "/ovl$1/w"
	mount -t overlay overlay \
		-o "lowerdir=$R$1,upperdir=/ovl$1/u,workdir=/ovl$1/w" "$R$1" ||
		die "overlay on $1"
}
if [ -d "$R/lib/modules/$KVER" ]; then
	ovl "/lib/modules/$KVER"
else
	# A kernel the root has no modules for (the debug kernel).
	mount -t tmpfs -o mode=0755 modules "$R/lib/modules" || die "tmpfs on /lib/modules"
	mkdir -p "$R/lib/modules/$KVER"
fi
ovl /etc
ovl /var/lib

# The repo's modules (copied by the host into the share) go to extra/.
mkdir -p "$R/lib/modules/$KVER/extra"
for m in /out/modules/*.ko; do
	[ -e "$m" ] && cp "$m" "$R/lib/modules/$KVER/extra/"
done
cp /out/modindex/* "$R/lib/modules/$KVER/" || die "module index"	# depmod'ed on the host
# request_module() runs this helper in *this* (initramfs) root.
echo /sbin/clickup-modprobe >/proc/sys/kernel/modprobe

hostname clickup-vm
# kmemleak (debug kernel): what leaked during the command, not at boot.
# Boot's own reports are cleared (marked seen) first; kmemleak wants two
# scans some seconds apart before it trusts a report.
KML=$R/sys/kernel/debug/kmemleak
if [ -w "$KML" ] && [ "$MODE" = run ]; then
	echo "guest-init: kmemleak: scan and clear before the command"
	{ echo scan >"$KML" && echo clear >"$KML"; } || die "kmemleak scan/clear"
fi
echo "guest-init: setup done at $(up) s uptime, running the command"
ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root LANG=C.UTF-8 TERM=${TERM_HOST:-linux} KVER=$KVER
CLICKUP_REPO=$REPO CLICKUP_OUT=$OUT"
if [ "$MODE" = shell ]; then
	# A controlling tty (the serial port, not /dev/console) for job
	# control and ^C.
	# shellcheck disable=SC2086
	setsid -c chroot $R /usr/bin/env -i $ENV /bin/bash "$OUT/cmd.sh" \
		<>"/dev/$CONSOLE" >&0 2>&0
	rc=$?
else
	# shellcheck disable=SC2086
	chroot $R /usr/bin/env -i $ENV /bin/bash "$OUT/cmd.sh" </dev/null
	rc=$?
fi
echo "guest-init: command exited $rc at $(up) s uptime"
if [ -w "$KML" ] && [ "$MODE" = run ]; then
	# Unload ours first, so that what only their exit would free counts.
	grep -o '^clickup[a-z_]*' /proc/modules | sort -r | while read -r m; do
		rmmod "$m" || echo "guest-init: kmemleak: rmmod $m failed (still in use?)"
	done
	echo scan >"$KML"
	sleep 6
	echo scan >"$KML"
	cat "$KML" >/out/kmemleak.txt
	echo "guest-init: kmemleak: $(grep -c '^unreferenced object' /out/kmemleak.txt) leak report(s) at $(up) s uptime"
	cat /out/kmemleak.txt
fi
dmesg >/out/dmesg.txt
echo "$rc" >/out/rc
off
