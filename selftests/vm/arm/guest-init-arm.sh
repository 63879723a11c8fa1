#!/bin/sh
# /init of the ARM test VM's initramfs (busybox ash; run-vm-arm.sh builds
# it).  selftests/vm/guest-init.sh with two changes: the root (9p
# "hostroot") is build/$ARCH/root, not the host's /, and the repo comes from
# its own share ("repo") at its host path, with the ARM builds
# (build/$ARCH/out, copied to /out/tree) overlaid on it.  Mounts, makes the
# writable bits writable, installs the modules, runs the command that
# run-vm-arm.sh left in the results share, saves its exit code and dmesg
# there, and powers off.  Anything going wrong ends in poweroff too.
# shellcheck shell=sh
export PATH=/bin:/sbin
R=/newroot

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec 0</dev/console 1>/dev/console 2>&1

die() {
	echo "guest-init: FATAL: $*"
	dmesg >/out/dmesg.txt 2>/dev/null
	sync
	poweroff -f
}
up() { cut -d' ' -f1 /proc/uptime; }

while read -r m; do
	insmod "/mod/$m" || die "insmod $m"
done </mod/order

P9=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$P9,cache=none" out /out || die "mount results share"
# shellcheck source=/dev/null
. /out/config			# REPO KVER OUT MODE (written by run-vm.sh)
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

# Fresh tmpfs where programs write.
for d in /tmp /run /var/tmp /root; do
	mount -t tmpfs -o mode=0755 tmpfs "$R$d" || die "tmpfs on $d"
done
chmod 1777 $R/tmp $R/var/tmp
mkdir -p $R/run/netns $R/run/lock "$R$REPO" 2>/dev/null
# The repo, read-only, with the ARM binaries on top (same relative paths).
mount -t 9p -o "$P9,cache=loose,ro" repo /keep || die "mount repo share"
mount -t overlay overlay -o "lowerdir=/out/tree:/keep" "$R$REPO" ||
	die "overlay of the ARM builds on $REPO"
mount -o bind /out "$R$OUT" || die "bind results share on $OUT"

# Writable overlays (upper on tmpfs) over read-only host dirs.
mount -t tmpfs -o mode=0755 ovl /ovl
ovl() {
	mkdir -p "/ovl$1/u" "/ovl$1/w"
	mount -t overlay overlay \
		-o "lowerdir=$R$1,upperdir=/ovl$1/u,workdir=/ovl$1/w" "$R$1" ||
		die "overlay on $1"
}
ovl "/lib/modules/$KVER"
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
echo "guest-init: setup done at $(up) s uptime, running the command"
ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root LANG=C.UTF-8 TERM=${TERM_HOST:-linux} KVER=$KVER
CLICKUP_REPO=$REPO CLICKUP_OUT=$OUT"
if [ "$MODE" = shell ]; then
	# A controlling tty (ttyS0, not /dev/console) for job control and ^C.
	# shellcheck disable=SC2086
	setsid -c chroot $R /usr/bin/env -i $ENV /bin/bash "$OUT/cmd.sh" \
		<>/dev/ttyS0 >&0 2>&0
	rc=$?
else
	# shellcheck disable=SC2086
	chroot $R /usr/bin/env -i $ENV /bin/bash "$OUT/cmd.sh" </dev/null
	rc=$?
fi
echo "guest-init: command exited $rc at $(up) s uptime"
dmesg >/out/dmesg.txt
echo "$rc" >/out/rc
sync
poweroff -f
