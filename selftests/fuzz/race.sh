#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything at once for FUZZ_RACE_SECONDS or FUZZ_SECONDS (default 10): nlfuzz and pktfuzz
# in the pkt_fuzz topology with its NEs live, a loop of valid
# create/upgrade/show/delete with clickupctl, a loop that deletes and
# recreates the veth pair under fromdevice (and whole namespaces with an
# NE inside), and rmmod attempts of random atom modules and clickup.
# A "pin" NE in its own netns holds clickup, fromhook, counter and
# discard: rmmod of those must fail (EBUSY) all along. When it all stops
# and the NEs are gone, every atom module and clickup must unload, and a
# reloaded clickup must take a valid NE again.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pkt_lib.sh"

require_clickup
require_cmd socat rmmod modprobe
NLFUZZ=$SELFTESTS/fuzz/nlfuzz
[ -x "$PKTFUZZ" ] && [ -x "$NLFUZZ" ] || skip "fuzzers not built (make -C selftests)"

SECS=${FUZZ_RACE_SECONDS:-${FUZZ_SECONDS:-10}}
SEED=${FUZZ_SEED:-$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))}
PIN=ns_pin-$SFX
EXTRA_NS+=("$PIN")
T0=$EPOCHREALTIME

dmesg_mark
fuzz_topology
fuzz_nes
new_ns "$PIN" || die "cannot create $PIN"
printf '%s\n' 'FromHook(ipv4, forward) -> pc :: Counter -> Discard;' > "$TMPD/pin.click"
out=$(ip netns exec "$PIN" "$CLICKUPCTL" create pin "$TMPD/pin.click" 2>&1) ||
	die "create pin: $out"
# x1 sends back out of x1 (to x0's stack): no forwarding loop
printf '%s\n' 'FromDevice(x1) -> Counter -> ToDevice(x1); FromDevice(x0) -> Discard;' \
	> "$TMPD/churn.click"
log "setup done at $(elapsed) s; racing for $SECS s, seed $SEED (replay: FUZZ_SEED=$SEED)"

END=$(( ${EPOCHREALTIME/./} + SECS * 1000000 ))
running() { [ "${EPOCHREALTIME/./}" -lt "$END" ]; }

# pktfuzz in short runs: a deleted i0 ends a run, the next finds the new one
pkt_loop() {
	local k=0
	while running; do
		fz "$PKTFUZZ" -i i0 --seed $(( SEED + k++ )) -t 2 --mtu "$FUZZ_MTU" 2>&1 |
			grep -E 'sent-total|^not ok'
	done > "$TMPD/pkt.log"
}

# valid control traffic: create, upgrade (frames <-> hooks), show, delete
ctl_loop() {
	local ok=0 bad=0 k=0
	while running; do
		if fzctl create rc "$FZDAGS/hooks.click" >/dev/null 2>&1; then ((ok++)); else ((bad++)); fi
		if fzctl upgrade rc "$FZDAGS/frames.click" >/dev/null 2>&1; then ((ok++)); else ((bad++)); fi
		if fzctl show >/dev/null 2>&1; then ((ok++)); else ((bad++)); fi
		if fzctl upgrade rc "$FZDAGS/hooks.click" >/dev/null 2>&1; then ((ok++)); else ((bad++)); fi
		if fzctl delete rc >/dev/null 2>&1; then ((ok++)); else ((bad++)); fi
		((k++))
	done
	echo "$k rounds, $ok commands ok, $bad refused" > "$TMPD/ctl.log"
}

# devices and namespaces vanish under live elements
churn_loop() {
	local k=0 nsx
	while running; do
		ip -n "$NS" link del i0 2>/dev/null
		ip -n "$NS" link add i0 mtu "$FUZZ_MTU" type veth peer name i1 mtu "$FUZZ_MTU" &&
		ip -n "$NS" link set i0 up && ip -n "$NS" link set i1 up
		nsx=ns_churn-$SFX-$k
		ip netns add "$nsx" &&
		ip -n "$nsx" link add x0 type veth peer name x1 &&
		ip -n "$nsx" link set x0 up && ip -n "$nsx" link set x1 up &&
		ip netns exec "$nsx" sh -c "'$CLICKUPCTL' create cx '$TMPD/churn.click' >/dev/null &&
			'$PKTFUZZ' -i x0 -n 2000 -t 1 >/dev/null"
		ip netns del "$nsx"
		((k++))
	done
	echo "$k rounds" > "$TMPD/churn.log"
}

# rmmod attempts: random atoms and clickup; the pin's must always fail
rmmod_loop() {
	local m mods tried=0 gone=0 busy=0 wrong=0
	while running; do
		mods=(clickup $(clickup_modules))
		m=${mods[RANDOM % ${#mods[@]}]}
		((tried++))
		if rmmod "$m" 2>/dev/null; then
			((gone++))
			case $m in
			clickup|clickup_atom_fromhook|clickup_atom_counter|clickup_atom_discard)
				((wrong++)); echo "rmmod $m succeeded while the pin NE uses it" ;;
			esac
		else
			((busy++))
		fi
		sleep 0.2	# pacing: leave CPU to the others
	done > "$TMPD/rmmod.wrong"
	echo "$tried attempts, $gone unloaded, $busy refused, $wrong wrongly unloaded" \
		> "$TMPD/rmmod.log"
}

# o1 only: fromdevice(o1) -> todevice(o1) sends to o0, which has no NE
# (two ends of a pair, or lo, would make a forwarding loop)
fz "$NLFUZZ" --seed "$SEED" -t "$SECS" --no-check --dev o1 \
	> "$TMPD/nlfuzz.log" 2>&1 &
nl=$!
pkt_loop & p1=$!
ctl_loop & p2=$!
churn_loop & p3=$!
rmmod_loop & p4=$!
# Each loop ends at $END; one stuck in the kernel fails the test here,
# with the blocked tasks' stacks, rather than time out silently.
alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
if ! wait_for $(( SECS + 120 )) eval '! alive $nl $p1 $p2 $p3 $p4'; then
	fail "a race loop is stuck 120 s after the end"
	ps -eo pid,stat,wchan:32,args | grep -E 'clickup|fuzz|rmmod|modprobe|ip |socat' |
		grep -v grep | sed 's/^/# /'
	echo w > /proc/sysrq-trigger	# blocked tasks' stacks into dmesg
	dmesg | tail -n 80 | sed 's/^/# /'
	exit $ksft_fail
fi
wait $nl || fail "nlfuzz during the race (seed $SEED)"
sed 's/^/nlfuzz: /' "$TMPD/nlfuzz.log" | grep -E 'sent|replies|errors|not ok|kind|answer|it was' | sed 's/^/# /'
log "pktfuzz: $(awk '/sent-total/ { n++; s += $3 } END { print n " runs, " s " frames" }' "$TMPD/pkt.log")"
grep '^not ok' "$TMPD/pkt.log" | sed 's/^/# pktfuzz: /'
log "ctl loop: $(cat "$TMPD/ctl.log")"
log "churn loop: $(cat "$TMPD/churn.log")"
log "rmmod loop: $(cat "$TMPD/rmmod.log")"
check "rmmod never unloaded a module the pin NE uses" test ! -s "$TMPD/rmmod.wrong"
cat "$TMPD/rmmod.wrong" | sed 's/^/# /'
log "race done at $(elapsed) s"

# ---- everything stops: all must unload and load again -----------------
modprobe clickup 2>/dev/null	# the loops may have left it out
for ne in fz1 fz2 fz3 fz5 rc; do fzctl delete "$ne" >/dev/null 2>&1; done
ip netns exec "$PIN" "$CLICKUPCTL" delete pin >/dev/null 2>&1
lib_cleanup_ns() {
	local ns
	for ns in "$NS" "$NC" "$PIN"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
lib_cleanup_ns
if ! wait_for 60 all_refcnts_zero; then
	fail "module references did not drop to zero"
	show_refcnts
fi
for m in $(clickup_modules); do
	rmmod "$m" 2>"$TMPD/rmmod.err" || fail "rmmod $m: $(cat "$TMPD/rmmod.err")"
done
check "rmmod clickup after the race" rmmod clickup
check "modprobe clickup again" modprobe clickup
NSR=ns_reload-$SFX
EXTRA_NS+=("$NSR")
new_ns "$NSR"
check "a valid NE after the reload" \
	ip netns exec "$NSR" "$CLICKUPCTL" create again "$TMPD/pin.click"
check "and its deletion" ip netns exec "$NSR" "$CLICKUPCTL" delete again
log "done at $(elapsed) s"
check "no kernel warning during the race" dmesg_clean
exit $ret
