#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clickupctl loads missing atom modules itself (libkmod, ctl/modload.c),
# not through the kernel's request_module() (it sends the DAG with
# CLICKUP_A_NO_AUTOLOAD first, loads on the kernel's ENOENT, resends):
#   - with /proc/sys/kernel/modprobe pointing at a trap that logs and
#     fails, a create naming five unloaded atom types succeeds, traffic
#     flows, the trap never ran, the kernel loaded nothing (times.loaded
#     0) and the reply names the five modules clickupctl inserted;
#   - the trap is live: the same with --no-modload (the kernel's path)
#     runs it and fails;
#   - a type no module provides, a module file that is missing and one
#     that is not a module give one clear error naming the type (and the
#     file), and leave the element running.

. "$(dirname "$0")/lib.sh"

require_clickup
"$CLICKUPCTL" -V | grep -q ', libkmod' || skip "clickupctl built without libkmod"
dmesg_mark
setup_topology

NE=ml
TYPES="fromdevice todevice counter strip unstrip"
KVER=$(uname -r)
# The usermode helper runs in init's root (in the test VM: the initramfs,
# not our chroot); /proc/1/root reaches it from here, whatever the layout.
TRAP=/clickup-modload-trap-$SFX
TRAP_LOG=$TRAP.log
MODPROBE_OLD=$(cat /proc/sys/kernel/modprobe)
MOVED=

cleanup() {
	echo "$MODPROBE_OLD" > /proc/sys/kernel/modprobe
	rm -f "/proc/1/root$TRAP" "/proc/1/root$TRAP_LOG"
	[ -z "$MOVED" ] || mv -f "$MOVED.away" "$MOVED"
	lib_cleanup
}
trap cleanup EXIT

unload() {	# unload MODULE...: those not in use
	local m
	for m in "$@"; do
		[ "$(refcnt "$m")" = 0 ] && rmmod "$m" 2>/dev/null
	done
	true
}

cat > "$TMPD/five.click" <<'EOF'
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> s :: Strip(14) -> u :: Unstrip(14) -> c12 :: Counter -> out2;
in2 -> c21 :: Counter -> out1;
EOF

# ---- the trap -------------------------------------------------------------
printf '#!/bin/sh\necho "$$ $*" >> %s\nexit 1\n' "$TRAP_LOG" > "/proc/1/root$TRAP" &&
	chmod +x "/proc/1/root$TRAP" || skip "cannot write init's root ($TRAP)"
: > "/proc/1/root$TRAP_LOG"
wait_for 5 all_refcnts_zero
unload $(for t in $TYPES log; do echo clickup_atom_$t; done)
for t in $TYPES; do
	[ -d /sys/module/clickup_atom_$t ] && die "clickup_atom_$t still loaded (in use by another test?)"
done
echo "$TRAP" > /proc/sys/kernel/modprobe

# ---- five unloaded types: loaded by clickupctl --------------------------------
t0=${EPOCHREALTIME/./}
if ctl create $NE "$TMPD/five.click" -j > "$TMPD/create.json" 2> "$TMPD/err"; then
	pass "create with 5 unloaded types, kernel modprobe trapped ($(( (${EPOCHREALTIME/./} - t0) / 1000 )) ms)"
else
	die "create: $(cat "$TMPD/err")"
fi
log "reply: $(cat "$TMPD/create.json")"
[ ! -s "/proc/1/root$TRAP_LOG" ] && pass "no usermode helper ran" ||
	fail "the usermode helper ran: $(cat "/proc/1/root$TRAP_LOG")"
got=$(jq -r '"\(.loaded) \(.modload_missing) \(.modload_loaded) \(.modload_modules | sort | join(" "))"' "$TMPD/create.json")
want="0 5 5 $(for t in $TYPES; do echo clickup_atom_$t; done | sort | tr '\n' ' ' | sed 's/ $//')"
[ "$got" = "$want" ] && pass "kernel loaded 0, clickupctl 5: $got" ||
	fail "loaded/modload: $got, want $want"
ping_ok && pass "traffic through the element" || fail "no traffic through the element"
out=$(ctl upgrade $NE "$TMPD/five.click" 2>&1) && pass "text reply: $out" || fail "upgrade: $out"
case $out in
*"loaded in user space"*) fail "an upgrade with nothing missing loaded modules: $out" ;;
esac
# Nothing missing: the DAG went once, with autoload off, and no type dump
# or libkmod work was done (modload_ns counts that work).
got=$(ctl upgrade $NE "$TMPD/five.click" -j | jq -r '"\(.modload_ns) \(.modload_missing) \(.modload_loaded) \(.loaded)"')
[ "$got" = "0 0 0 0" ] && pass "nothing missing: one request, no type dump, nothing loaded" ||
	fail "nothing missing: modload_ns/missing/loaded, loaded = $got, want 0 0 0 0"

# ---- the trap is live: the kernel's path runs it ---------------------------------
cat > "$TMPD/log.click" <<'EOF'
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> l :: Log(ml) -> out2;
in2 -> out1;
EOF
unload clickup_atom_log
if ctl upgrade --no-modload $NE "$TMPD/log.click" > /dev/null 2> "$TMPD/err"; then
	fail "--no-modload upgrade loaded log despite the failing helper"
else
	grep -q "clickup-atom-log" "/proc/1/root$TRAP_LOG" &&
		pass "--no-modload: the kernel ran the helper, which failed: $(cat "$TMPD/err")" ||
		fail "--no-modload: no helper call logged: $(cat "/proc/1/root$TRAP_LOG")"
fi

# ---- clear errors -----------------------------------------------------------------
expect_err() {	# expect_err WHAT REGEX FILE
	if ctl upgrade $NE "$3" > /dev/null 2> "$TMPD/err"; then
		fail "$1: upgrade succeeded"
	elif grep -Eq "$2" "$TMPD/err"; then
		pass "$1: $(cat "$TMPD/err")"
	else
		fail "$1: '$(cat "$TMPD/err")' does not match '$2'"
	fi
}
sed 's/Log(ml)/NoSuchAtomType/' "$TMPD/log.click" > "$TMPD/unknown.click"
expect_err "no module for the type" \
	"^clickupctl: upgrade $NE: No such file or directory: unknown atom type 'nosuchatomtype': no module has the alias clickup-atom-nosuchatomtype" \
	"$TMPD/unknown.click"

# A missing or broken module file: only where /lib/modules is a throwaway
# overlay (the test VM), not on a real system.
f=$(modinfo -k "$KVER" -n clickup_atom_log 2>/dev/null)
if [ "$(findmnt -n -o FSTYPE --target "/lib/modules/$KVER")" = overlay ] && [ -f "$f" ]; then
	mv "$f" "$f.away" && MOVED=$f
	expect_err "module file missing" \
		"^clickupctl: upgrade $NE: atom type 'log': module clickup_atom_log: file $f is missing" \
		"$TMPD/log.click"
	echo "not an ELF module" > "$f"
	expect_err "not a module" \
		"^clickupctl: upgrade $NE: atom type 'log': module clickup_atom_log \($f\) is not a valid module for this kernel" \
		"$TMPD/log.click"
	mv -f "$f.away" "$f" && MOVED=
else
	log "module file cases skipped: /lib/modules/$KVER is not a disposable overlay"
fi
[ ! -d /sys/module/clickup_atom_log ] && pass "failed loads left no module behind" ||
	fail "clickup_atom_log loaded after failed loads"
[ "$(ne_generation $NE)" = 3 ] && ping_ok && pass "element unchanged and forwarding" ||
	fail "element changed by failed upgrades (generation $(ne_generation $NE))"

echo "$MODPROBE_OLD" > /proc/sys/kernel/modprobe
out=$(ctl upgrade $NE "$TMPD/log.click" 2>&1) && pass "log loads once the file is back: $out" ||
	fail "upgrade to log.click: $out"
ctl delete $NE || fail "delete"
check "dmesg clean" dmesg_clean
exit $ret
