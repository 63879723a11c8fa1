#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Click's read and write handlers (clickupctl read/write, HANDLER_READ/
# WRITE): with real pings through a bridge whose client->server path
# has a classifier, counter.count and byte_count rise by exactly the
# frames sent, the classifier counts per output, reset zeroes the count
# (and show's counters with it) and counting goes on; every bad request
# is a kernel error with its own text.

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd ping

NE=hb
FRAME=98	# ping -s 56 as a whole Ethernet frame

setup_topology
cat > "$TMPD/h.click" <<'DAG'
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> cl :: Classifier(12/0806, 12/0800, -);
cl[0] -> Discard; cl[1] -> c12 :: Counter -> out2; cl[2] -> Discard;
in2 -> c21 :: Counter -> out1;
DAG
ne_create $NE "$TMPD/h.click"

rd() { ctl read $NE "$1" 2>&1; }
expect() {	# expect WHAT WANT GOT
	if [ "$2" = "$3" ]; then pass "$1 = $3"; else fail "$1: want '$2', got '$3'"; fi
}
errs() {	# errs WHAT TEXT cmd...: exit status 2 and TEXT on stderr
	local what=$1 text=$2 out rc
	shift 2
	out=$("$@" 2>&1); rc=$?
	if [ $rc = 2 ] && [[ $out == *"$text"* ]]; then
		pass "$what: $out"
	else
		fail "$what: want exit 2 and '$text', got $rc: $out"
	fi
}

N=6
check "ping -c $N through the NE" pingq $N
expect "c12.count" $N "$(rd c12.count)"
expect "c12.byte_count" $((N * FRAME)) "$(rd c12.byte_count)"
expect "c21.count (replies)" $N "$(rd c21.count)"
expect "cl.counts (arp, ip, other)" "0 $N 0" "$(rd cl.counts)"
expect "c12.packets (the core's)" $N "$(rd c12.packets)"
expect "c12.class" counter "$(rd c12.class)"
expect "cl.config" "12/0806, 12/0800, -" "$(rd cl.config)"
check "c12.handlers lists count, rate and reset" \
	bash -c "ctl() { ip netns exec $NS_CU $CLICKUPCTL \"\$@\"; }; out=\$(ctl read $NE c12.handlers); grep -qP '^count\tr$' <<<\"\$out\" && grep -qP '^reset\tw$' <<<\"\$out\" && grep -qP '^rate\tr$' <<<\"\$out\""
ctl -j read $NE c12.count > "$TMPD/r.json"
expect "read -j" "hb c12 count $N" "$(jq -r '"\(.ne) \(.atom) \(.handler) \(.value)"' "$TMPD/r.json")"
r=$(rd c12.rate)
if [[ $r =~ ^[0-9]+$ ]]; then pass "c12.rate is a number ($r)"; else fail "c12.rate: $r"; fi

# reset: the count and show's counters start again from zero
check "write c12.reset" ctl write $NE c12.reset
expect "c12.count after reset" 0 "$(rd c12.count)"
ne_counters $NE > "$TMPD/c"
expect "show: c12 packets after reset" 0 "$(counter_of "$TMPD/c" c12 packets)"
expect "show: c21 packets untouched" $N "$(counter_of "$TMPD/c" c21 packets)"
check "ping -c 3 after reset" pingq 3
expect "c12.count counts on" 3 "$(rd c12.count)"
expect "c12.byte_count counts on" $((3 * FRAME)) "$(rd c12.byte_count)"

# an upgrade keeps the counts (same name and type)
sed 's/c12 :: Counter/c12 :: Counter -> up :: Counter/' "$TMPD/h.click" > "$TMPD/h2.click"
check "upgrade" ctl upgrade $NE "$TMPD/h2.click"
expect "c12.count after upgrade" 3 "$(rd c12.count)"
expect "cl.counts after upgrade" "0 $((N + 3)) 0" "$(rd cl.counts)"

# an atom with a state table has the table's handlers
check "state set ht max 7" ctl state set ht max 7
sed 's/^in2 -> c21 :: Counter -> out1;/in2 -> c21 :: Counter -> rs :: ReadState(ht); rs[0] -> out1; rs[1] -> out1;/' \
	"$TMPD/h2.click" > "$TMPD/h3.click"
check "upgrade with a readstate" ctl upgrade $NE "$TMPD/h3.click"
expect "rs.table" ht "$(rd rs.table)"
expect "rs.table_max" 7 "$(rd rs.table_max)"
expect "rs.table_size" 0 "$(rd rs.table_size)"
check "write rs.flush" ctl write $NE rs.flush
check "rs.handlers lists table_size and flush" \
	bash -c "out=\$(ip netns exec $NS_CU $CLICKUPCTL read $NE rs.handlers); grep -qP '^table_size\tr$' <<<\"\$out\" && grep -qP '^flush\tw$' <<<\"\$out\""
check "pings pass the readstate" pingq 2

# errors, each with the kernel's text
errs "unknown atom" "network element 'hb' has no atom 'nosuch'" ctl read $NE nosuch.count
errs "unknown handler" "atom 'c12' (counter) has no handler 'nosuch'" ctl read $NE c12.nosuch
errs "write a read-only handler" "handler 'count' of atom 'c12' is read-only" ctl write $NE c12.count 5
errs "read a write-only handler" "handler 'reset' of atom 'c12' is write-only" ctl read $NE c12.reset
errs "unknown element" "no network element 'nosuchne'" ctl read nosuchne c12.count
errs "no table, no table handlers" "has no handler 'flush'" ctl write $NE c12.flush
if ctl read $NE c12 >/dev/null 2>&1; then fail "read without .HANDLER accepted"; else pass "read without .HANDLER is a usage error"; fi
exit $ret
