#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module and namespace lifecycle:
#  - an upgrade that brings in a not-yet-loaded atom type autoloads just
#    that module (times.loaded = 1), the others are reused;
#  - failed upgrades (unknown type, missing device) leave the old DAG
#    running: same generation, traffic flows, module refcounts unchanged;
#  - NE names are per netns;
#  - after delete every refcount returns to 0 and every module unloads;
#  - deleting a netns that holds NEs cleans up (refcounts 0, no
#    "unregister_netdevice: waiting", nothing in dmesg).

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd ping rmmod modprobe lsmod

NE=br
ATOMS_ALL="accept counter discard fromdevice fromhook todevice"
NS_X=ns_x-$SFX
NS_GONE=ns_gone-$SFX
EXTRA_NS+=("$NS_X" "$NS_GONE")

dmesg_mark
setup_topology

# JSON of `create/upgrade -j`, flat (ctl) or with "times" (brief): field
times_field() {	# times_field FILE FIELD
	jq --arg f "$2" '(.times // {})[$f] // .[$f] // .[$f + "_ns"]' "$1"
}

unload_atoms() {
	local m
	for m in $(clickup_modules); do
		rmmod "$m" 2>/dev/null
	done
}

loaded_atoms() { clickup_modules | sort | tr '\n' ' '; }

# ---- start from no atom module loaded -----------------------------------------
# (namespaces of earlier tests may still be on their way out)
wait_for 5 all_refcnts_zero
unload_atoms
left=$(loaded_atoms)
if [ -n "$left" ]; then
	fail "atom modules still in use before the test: $left"
	show_refcnts
fi

# ---- autoload: plain bridge, then counters ------------------------------------
ne_create $NE "$DAGS/bridge_plain.click"
before=$(loaded_atoms)
log "after create (plain bridge): $before"
[ "$before" = "clickup_atom_fromdevice clickup_atom_todevice " ] &&
	pass "create autoloaded exactly fromdevice and todevice" ||
	fail "create loaded '$before', want fromdevice and todevice only"
for m in clickup_atom_fromdevice clickup_atom_todevice; do
	r=$(refcnt $m)
	[ "$r" -gt 0 ] 2>/dev/null && pass "$m held by the live DAG (refcnt $r)" ||
		fail "$m refcnt $r while the DAG uses it"
done
ping_ok || fail "no traffic through the plain bridge"

# --no-modload: the kernel's request_module() fallback (modload.sh tests
# clickupctl's own loading)
ctl upgrade --no-modload $NE "$DAGS/bridge.click" -j > "$TMPD/up.json" 2> "$TMPD/up.err" ||
	fail "upgrade to bridge.click: $(cat "$TMPD/up.err")"
after=$(loaded_atoms)
log "after upgrade (with counters): $after"
[ "$after" = "clickup_atom_counter ${before}" ] &&
	pass "upgrade autoloaded just clickup_atom_counter" ||
	fail "upgrade: modules '$before' -> '$after'"
l=$(times_field "$TMPD/up.json" loaded)
n=$(times_field "$TMPD/up.json" new_atoms)
mg=$(times_field "$TMPD/up.json" migrated)
[ "$l" = 1 ] && pass "times.loaded = 1" || fail "times.loaded = $l, want 1"
[ "$n" = 2 ] && pass "times.new_atoms = 2 (c12, c21)" || fail "times.new_atoms = $n, want 2"
[ "$mg" = 4 ] && pass "times.migrated = 4 (in1, out2, in2, out1)" || fail "times.migrated = $mg, want 4"
log "upgrade with one autoload: load $(times_field "$TMPD/up.json" load) ns, total $(times_field "$TMPD/up.json" total) ns"
ping_ok || fail "no traffic after the upgrade"

# ---- failed upgrades leave the old DAG running ----------------------------------
refs_now() { for m in clickup $(clickup_modules); do echo "$m $(refcnt $m)"; done; }
refs_back() { [ "$(refs_now)" = "$refs_before" ]; }
refs_before=$(refs_now)
for bad in bridge_unknown bridge_nodev; do
	if ctl upgrade $NE "$DAGS/$bad.click" > /dev/null 2> "$TMPD/bad.err"; then
		fail "upgrade to $bad.click succeeded"
		continue
	fi
	log "$bad.click refused: $(cat "$TMPD/bad.err")"
	case $bad in
	bridge_unknown) grep -qi "unknown atom type 'nosuchatomtype'" "$TMPD/bad.err" ||
			fail "no 'unknown atom type' in: $(cat "$TMPD/bad.err")" ;;
	bridge_nodev) grep -q "nosuchdev" "$TMPD/bad.err" ||
			fail "no 'nosuchdev' in: $(cat "$TMPD/bad.err")" ;;
	esac
	g=$(ne_generation $NE)
	[ "$g" = 2 ] && pass "$bad: generation still 2" || fail "$bad: generation $g, want 2"
	ping_ok 5 && pass "$bad: traffic still flows" || fail "$bad: traffic stopped"
done
wait_for 5 refs_back
refs_after=$(refs_now)
[ "$refs_before" = "$refs_after" ] && pass "failed upgrades leave refcounts unchanged" ||
	fail "refcounts changed by failed upgrades: $(echo $refs_before) -> $(echo $refs_after)"

# ---- NE names are per netns --------------------------------------------------
new_ns "$NS_X" || die "cannot create $NS_X"
ip -n "$NS_X" link add p1 type veth peer name p2 &&
ip -n "$NS_X" link set p1 up && ip -n "$NS_X" link set p2 up ||
	die "veth in $NS_X"
out=$(ns_exec "$NS_X" "$CLICKUPCTL" create $NE "$DAGS/bridge.click" 2>&1) &&
	pass "same NE name '$NE' in a second netns" || fail "create $NE in $NS_X: $out"
ns_exec "$NS_X" "$CLICKUPCTL" show -j > "$TMPD/x.json"
ctl show -j > "$TMPD/cu.json"
[ "$(jq -c '[.[] | [.name, .generation]]' "$TMPD/x.json")" = "[[\"$NE\",1]]" ] &&
	pass "$NS_X sees only its own NE (generation 1)" ||
	fail "$NS_X show: $(cat "$TMPD/x.json")"
[ "$(jq -c '[.[] | [.name, .generation]]' "$TMPD/cu.json")" = "[[\"$NE\",2]]" ] &&
	pass "$NS_CU sees only its own NE (generation 2)" ||
	fail "$NS_CU show: $(cat "$TMPD/cu.json")"

# ---- delete: refcounts to 0, every module unloads -----------------------------
out=$(ctl delete $NE 2>&1) || fail "delete in $NS_CU: $out"
out=$(ns_exec "$NS_X" "$CLICKUPCTL" delete $NE 2>&1) || fail "delete in $NS_X: $out"
if wait_for 3 all_refcnts_zero; then
	pass "all refcounts 0 after delete"
else
	fail "refcounts after delete:"
	show_refcnts
fi
ok=1
for m in $(clickup_modules) clickup; do
	rmmod "$m" 2> "$TMPD/rmmod.err" || { ok=0; fail "rmmod $m: $(cat "$TMPD/rmmod.err")"; }
done
[ $ok = 1 ] && pass "every clickup module unloaded"
modprobe clickup || die "modprobe clickup after rmmod"

# ---- a netns holding NEs goes away ----------------------------------------------
new_ns "$NS_GONE" || die "cannot create $NS_GONE"
ip -n "$NS_GONE" link add p1 type veth peer name p2 &&
ip -n "$NS_GONE" link set p1 up && ip -n "$NS_GONE" link set p2 up ||
	die "veth in $NS_GONE"
for ne in one two; do
	out=$(ns_exec "$NS_GONE" "$CLICKUPCTL" create $ne "$DAGS/bridge.click" 2>&1) ||
		fail "create $ne in $NS_GONE: $out"
done
# traffic inside while it dies: p1 <-> p2 through the NEs
ns_exec "$NS_GONE" ping -q -c 3 -i 0.1 -b 255.255.255.255 >/dev/null 2>&1
busy=$(for m in $(clickup_modules); do echo -n "$m=$(refcnt $m) "; done)
log "before netns delete: $busy"
ip netns del "$NS_GONE"
if wait_for 10 all_refcnts_zero; then
	pass "netns delete: all refcounts back to 0"
else
	fail "netns delete: refcounts not 0 after 10 s"
	show_refcnts
fi
sleep 1
dmesg_new | grep -q "unregister_netdevice: waiting" &&
	fail "unregister_netdevice: waiting after netns delete" ||
	pass "no unregister_netdevice wait"
ok=1
for m in $(clickup_modules); do
	rmmod "$m" 2> "$TMPD/rmmod.err" || { ok=0; fail "rmmod $m after netns delete: $(cat "$TMPD/rmmod.err")"; }
done
[ $ok = 1 ] && pass "atom modules unload after netns delete"

check "dmesg clean" dmesg_clean
exit $ret
