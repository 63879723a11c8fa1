#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Type aliases: an alias is a name of the type, not a second type.
#   - a DAG naming ReadWhitelist autoloads clickup_atom_readstate (its
#     module alias clickup-atom-readwhitelist) and gets a readstate atom;
#   - upgrading it to a DAG that names the same atom ReadState keeps the
#     atom: its packets/bytes carry over and the upgrade counts it as
#     migrated, not new; the same for WriteWhitelist -> WriteState;
#   - the way back (ReadState -> ReadWhitelist) keeps them too.

. "$(dirname "$0")/lib.sh"
. "$SELFTESTS/pkt/lib.sh"

require_clickup
dmesg_mark
setup_topology

# Not loaded yet (or unused): the first create must find the module by the
# alias alone.
for m in clickup_atom_readstate clickup_atom_writestate; do
	[ "$(refcnt $m)" = 0 ] && rmmod $m 2>/dev/null
done

dag() {	# dag READTYPE WRITETYPE
	cat <<EOF_DAG
in :: FromDevice(p1) -> rs :: $1(alias_t);
out :: ToDevice(p2);
rs [0] -> ws :: $2(alias_t) -> out;
rs [1] -> Discard;
EOF_DAG
}

dag ReadWhitelist WriteWhitelist > "$TMPD/old.click"
dag ReadState WriteState > "$TMPD/new.click"

out=$(ctl create al "$TMPD/old.click" 2>&1) ||
	die "create with ReadWhitelist/WriteWhitelist: $out"
pass "created with ReadWhitelist and WriteWhitelist (autoloaded by alias)"
check "clickup_atom_readstate loaded" grep -q '^clickup_atom_readstate ' /proc/modules

# Frames that are not TCP leave readstate on output 0, through writestate.
pkt_run <<'EOF_PKT'
send cli eth(raw(46), type=0x88b5) x3
wait 0.6
count srv 3
EOF_PKT

snap al
want rs packets 3
want rs bytes 180
want ws packets 3
grep -q '"name":"rs","type":"readstate"' "$TMPD/show.json" &&
	pass "rs is a readstate atom" ||
	fail "rs type: $(grep -o '"name":"rs","type":"[^"]*"' "$TMPD/show.json")"

# ReadWhitelist -> ReadState: same name, same type.
upgrade_migrates() {	# upgrade_migrates FILE WHAT
	if ! ctl upgrade al "$1" -j > "$TMPD/up.json" 2> "$TMPD/up.err"; then
		fail "upgrade $2: $(cat "$TMPD/up.err")"
		return
	fi
	mg=$(grep -o '"migrated":[0-9]*' "$TMPD/up.json" | cut -d: -f2)
	nw=$(grep -o '"new_atoms":[0-9]*' "$TMPD/up.json" | cut -d: -f2)
	[ "$mg" = 5 ] && pass "$2: migrated = 5 (every atom, rs and ws too)" ||
		fail "$2: migrated = $mg, want 5 ($(cat "$TMPD/up.json"))"
	[ "$nw" = 0 ] && pass "$2: new_atoms = 0" ||
		fail "$2: new_atoms = $nw, want 0"
	snap al
	want rs packets 3
	want rs bytes 180
	want ws packets 3
}

upgrade_migrates "$TMPD/new.click" "ReadWhitelist -> ReadState"
upgrade_migrates "$TMPD/old.click" "ReadState -> ReadWhitelist"

# atoms lists each type's aliases: JSON and text from the same record
ctl atoms -j > "$TMPD/atoms.json"
ctl atoms > "$TMPD/atoms.txt"
check "atoms -j: readstate's aliases are [readwhitelist]" \
	test "$(jq -c '.[] | select(.name == "readstate") | .aliases' "$TMPD/atoms.json")" = '["readwhitelist"]'
check "atoms -j: writestate's aliases are [writewhitelist]" \
	test "$(jq -c '.[] | select(.name == "writestate") | .aliases' "$TMPD/atoms.json")" = '["writewhitelist"]'
check "atoms -j: fromdevice has no alias" \
	test "$(jq -c '.[] | select(.name == "fromdevice") | .aliases' "$TMPD/atoms.json")" = '[]'
check "atoms: ALIASES column" test "$(awk 'NR == 1 { print $NF }' "$TMPD/atoms.txt")" = ALIASES
check "atoms: readstate's row ends in readwhitelist" \
	test "$(awk '$1 == "readstate" { print $NF }' "$TMPD/atoms.txt")" = readwhitelist
check "atoms: fromdevice's row ends in -" \
	test "$(awk '$1 == "fromdevice" { print $NF }' "$TMPD/atoms.txt")" = -

ctl delete al > /dev/null || fail "delete al"
check "dmesg clean" dmesg_clean
exit $ret
