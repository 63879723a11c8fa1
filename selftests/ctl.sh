#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clickupctl as a user sees it: exit codes (1 usage/local, 2 kernel), -n
# NETNS; a kernel rejection is one line
# "clickupctl: ...: <strerror>: <extack>"; parse errors say FILE:LINE:COL;
# `check` works offline; FILE may be '-'; `monitor -j` prints one JSON
# event per line for create/upgrade/delete; every -j output is valid JSON.

. "$(dirname "$0")/lib.sh"

require_clickup

NE=br
dmesg_mark
setup_topology

# is_json FILE [LINES]: the file is one JSON document (or, with LINES, one
# per non-empty line)
is_json() {
	"$PYTHON" - "$1" "${2:-}" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
try:
    if sys.argv[2]:
        for l in text.splitlines():
            if l.strip():
                json.loads(l)
    else:
        json.loads(text)
except ValueError as e:
    print("# invalid JSON (%s): %r" % (e, text[:300]))
    sys.exit(1)
EOF
}

# expect_fail WHAT REGEX cmd...: non-zero exit, stderr one line matching REGEX
expect_fail() {
	local what=$1 re=$2 rc lines
	shift 2
	"$@" > "$TMPD/out" 2> "$TMPD/err"
	rc=$?
	lines=$(wc -l < "$TMPD/err")
	if [ $rc = 0 ]; then
		fail "$what: exit 0"
	elif [ "$lines" != 1 ]; then
		fail "$what: $lines lines on stderr: $(cat "$TMPD/err")"
	elif ! grep -Eq "$re" "$TMPD/err"; then
		fail "$what: '$(cat "$TMPD/err")' does not match /$re/"
	else
		pass "$what: exit $rc, '$(cat "$TMPD/err")'"
	fi
}

# ---- offline --------------------------------------------------------------------
# check needs no kernel: run it outside every namespace, with no NE anywhere
"$CLICKUPCTL" check "$DAGS/bridge.click" > "$TMPD/out" 2>&1 &&
	pass "check bridge.click: $(cat "$TMPD/out")" || fail "check bridge.click: $(cat "$TMPD/out")"
"$CLICKUPCTL" check - < "$DAGS/bridge.click" > "$TMPD/out" 2>&1 &&
	pass "check - (stdin)" || fail "check -: $(cat "$TMPD/out")"
"$CLICKUPCTL" check "$DAGS/bridge.click" -j > "$TMPD/check.json" 2>&1 && is_json "$TMPD/check.json" &&
	pass "check -j is JSON" || fail "check -j"
expect_fail "parse error" "syntax_error\.click:3:8: " "$CLICKUPCTL" check "$DAGS/syntax_error.click"
expect_fail "cycle found offline" "cycle\.click:[0-9]+:[0-9]+: .*cycle" "$CLICKUPCTL" check "$DAGS/cycle.click"
expect_fail "create with a parse error" "syntax_error\.click:3:8: " ctl create $NE "$DAGS/syntax_error.click"
ctl show $NE > /dev/null 2>&1 && fail "a parse error created the NE" || pass "parse error: nothing created"

# the Click corpus (ctl/tests/click; ctl/tests/run.sh has every construct),
# help and -p: one batch process (every process start costs under TCG)
C=$REPO/ctl/tests/click
{ for f in router nat-gateway tunnel; do echo "flatten $C/$f.click"; done
  echo "help create"; echo "state show -h"; echo "-p check $DAGS/bridge.click"; } > "$TMPD/b"
"$CLICKUPCTL" batch "$TMPD/b" > "$TMPD/b.out" 2> "$TMPD/b.err"
cat "$C/router.flat" "$C/nat-gateway.flat" "$C/tunnel.flat" > "$TMPD/flat"
head -n "$(wc -l < "$TMPD/flat")" "$TMPD/b.out" | cmp -s - "$TMPD/flat" &&
	pass "corpus router, nat-gateway, tunnel: flatten as expected" || fail "corpus flatten: $(cat "$TMPD/b.err")"
grep -q "usage: clickupctl \[OPTIONS\] create \[--no-modload\] NE FILE" "$TMPD/b.out" &&
	grep -q "usage: clickupctl state show TABLE" "$TMPD/b.out" &&
	pass "help per command and per state subcommand" || fail "help: $(cat "$TMPD/b.out")"
grep -q '^    "atoms": \[' "$TMPD/b.out" && pass "-p: indented JSON" || fail "-p"
# make install DESTDIR=... is checked on the host (selftests/check-install.sh,
# part of make check): the guest has no compiler for an ARM build.

"$CLICKUPCTL" > /dev/null 2>&1; rc=$?
[ $rc != 0 ] && pass "no command: exit $rc" || fail "no command: exit 0"
"$CLICKUPCTL" frobnicate > /dev/null 2>&1; rc=$?
[ $rc != 0 ] && pass "unknown command: exit $rc" || fail "unknown command: exit 0"
"$CLICKUPCTL" create $NE > /dev/null 2>&1; rc=$?
[ $rc != 0 ] && pass "missing argument: exit $rc" || fail "missing argument: exit 0"
expect_fail "missing file" "nosuch\.click" "$CLICKUPCTL" check "$TMPD/nosuch.click"

# ---- monitor, in the background, line by line ------------------------------------------
ip netns exec "$NS_CU" "$CLICKUPCTL" monitor -j > "$TMPD/mon" 2> "$TMPD/mon.err" &
MON=$!
BG_PIDS+=("$MON")
wait_subscribed "$MON"	# before the first event

# ---- kernel round trips -----------------------------------------------------------------
ctl create $NE - -j < "$DAGS/bridge.click" > "$TMPD/create.json" 2> "$TMPD/err" &&
	pass "create from stdin" || fail "create - : $(cat "$TMPD/err")"
is_json "$TMPD/create.json" && pass "create -j is JSON: $(cat "$TMPD/create.json")" || fail "create -j"
[ "$(jq -c '[.name, .generation]' "$TMPD/create.json")" = "[\"$NE\",1]" ] &&
	pass "create -j: name and generation 1" || fail "create -j: $(cat "$TMPD/create.json")"
ping_ok && pass "traffic through the NE" || fail "no traffic through the NE"

ctl upgrade $NE "$DAGS/bridge_plain.click" -j > "$TMPD/up.json" 2> "$TMPD/err" &&
	pass "upgrade" || fail "upgrade: $(cat "$TMPD/err")"
is_json "$TMPD/up.json" && [ "$(jq .generation "$TMPD/up.json")" = 2 ] &&
	pass "upgrade -j: generation 2" || fail "upgrade -j: $(cat "$TMPD/up.json")"
out=$(ctl upgrade $NE "$DAGS/bridge.click" 2>&1) && pass "upgrade (human): $out" || fail "upgrade: $out"

expect_fail "create an existing NE" \
	"^clickupctl: .*: File exists: network element '$NE' exists$" \
	ctl create $NE "$DAGS/bridge.click"
expect_fail "upgrade an unknown NE" \
	"^clickupctl: .*: No such file or directory: no network element 'nosuch'" \
	ctl upgrade nosuch "$DAGS/bridge.click"
expect_fail "delete an unknown NE" \
	"^clickupctl: .*: No such file or directory: no network element 'nosuch'" \
	ctl delete nosuch
expect_fail "show an unknown NE" \
	"^clickupctl: .*: No such file or directory: no network element 'nosuch'" \
	ctl show nosuch
expect_fail "unknown atom type" \
	"^clickupctl: .*: No such file or directory: unknown atom type '(nosuchatomtype|NoSuchAtomType)'" \
	ctl upgrade $NE "$DAGS/bridge_unknown.click"
# an argument the atom refuses: the kernel's message names the atom, so
# clickupctl adds only where it is written
expect_fail "missing device: the atom named once, then FILE:LINE" \
	"^clickupctl: upgrade $NE: No such device: atom 'out2' \(todevice\): argument 1: no device 'nosuchdev' in this netns \([^ ]*/bridge_nodev\.click:2\)$" \
	ctl upgrade $NE "$DAGS/bridge_nodev.click"
expect_fail "NE name too long" \
	"^clickupctl: .*(name|long|32|31)" \
	ctl create nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn "$DAGS/bridge.click"
# exit codes as ip(8): 1 usage or local error, 2 an error from the kernel
ctl create $NE "$DAGS/bridge.click" > /dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "kernel error: exit 2" || fail "kernel error: exit $rc, want 2"
ctl create > /dev/null 2>&1; rc=$?
[ $rc = 1 ] && pass "usage error: exit 1" || fail "usage error: exit $rc, want 1"
ctl check "$TMPD/nosuch.click" > /dev/null 2>&1; rc=$?
[ $rc = 1 ] && pass "local error: exit 1" || fail "local error: exit $rc, want 1"
# -n NETNS like ip -n, before or after the command
"$CLICKUPCTL" -n "$NS_CU" show $NE -j > "$TMPD/n.json" 2> "$TMPD/err" && is_json "$TMPD/n.json" &&
	pass "-n $NS_CU show $NE -j" || fail "-n: $(cat "$TMPD/err")"
"$CLICKUPCTL" show $NE --netns "$NS_CU" > /dev/null 2> "$TMPD/err" &&
	pass "--netns after the command" || fail "--netns after the command: $(cat "$TMPD/err")"
"$CLICKUPCTL" show $NE > /dev/null 2>&1 && fail "NE visible outside its netns" ||
	pass "without -n the NE is not visible (other netns)"
[ "$(ne_generation $NE)" = 3 ] && pass "rejections left generation 3" ||
	fail "generation $(ne_generation $NE) after rejections, want 3"

for cmd in "atoms -j" "show -j" "show $NE -j"; do
	ctl $cmd > "$TMPD/j" 2> "$TMPD/err" && is_json "$TMPD/j" &&
		pass "$cmd is JSON" || fail "$cmd: $(cat "$TMPD/err")"
done
ctl atoms -j > "$TMPD/atoms.json"
for t in fromdevice todevice discard accept counter fromhook; do
	# autoload brings in the ones no DAG used yet
	modprobe "clickup_atom_$t" 2>/dev/null
done
ctl atoms -j > "$TMPD/atoms.json"
got=$(jq -r '[.[].name | ascii_downcase] | sort | join(" ")' "$TMPD/atoms.json")
for t in accept counter discard fromdevice fromhook todevice; do
	case " $got " in *" $t "*) ;; *) fail "atoms -j lacks $t: $got" ;; esac
done
pass "atoms -j: $got"

ctl show $NE -j > "$TMPD/show.json"
"$PYTHON" - "$TMPD/show.json" <<'EOF' && pass "show -j has the documented fields" || fail "show -j fields: $(cat "$TMPD/show.json")"
import json, sys
d = json.load(open(sys.argv[1]))
ne = d[0] if isinstance(d, list) else d
for k in ("name", "generation", "nr_atoms", "nr_edges", "nr_entries", "atoms"):
    assert k in ne, k
assert ne["nr_atoms"] == 6 and ne["nr_edges"] == 4 and ne["nr_entries"] == 2, ne
for a in ne["atoms"]:
    for k in ("index", "name", "type", "args", "outputs", "packets", "bytes", "drops", "edges"):
        assert k in a, (a.get("name"), k)
    for e in a["edges"]:
        for k in ("port", "dst", "dst_name", "dst_port"):
            assert k in e, (a["name"], k)
c12 = [a for a in ne["atoms"] if a["name"] == "c12"][0]
assert c12["edges"][0]["dst_name"] == "out2", c12
EOF

out=$(ctl delete $NE 2>&1) && pass "delete" || fail "delete: $out"
ctl show $NE > /dev/null 2>&1 && fail "NE still there after delete" || pass "gone after delete"

# ---- what monitor saw ----------------------------------------------------------------------
wait_for 5 bash -c "[ \$(grep -c . '$TMPD/mon') -ge 4 ]"
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
log "monitor -j printed:"
sed 's/^/#   /' "$TMPD/mon"
is_json "$TMPD/mon" lines && pass "monitor -j: one JSON object per line" || fail "monitor -j output"
"$PYTHON" - "$TMPD/mon" "$NE" <<'EOF' && pass "monitor -j: create, upgrade x2, delete in order" || fail "monitor -j events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
seen = [(e.get("event"), e.get("name"), e.get("generation")) for e in ev]
want = [("create", sys.argv[2], 1), ("upgrade", sys.argv[2], 2),
        ("upgrade", sys.argv[2], 3), ("delete", sys.argv[2])]
got = [s[:2] if w[0] == "delete" else s for s, w in zip(seen, want)]
if got != want or len(seen) != len(want):
    print("# want %s" % want)
    print("# got  %s" % seen)
    sys.exit(1)
EOF

# ---- Click compound elements load (flattened by clickupctl) ----------------------
# only atoms loaded already: module loads cost seconds under TCG
cat > "$TMPD/cbr.click" <<'X'
elementclass Count { input -> c :: Counter -> output }
elementclass Path { $from, $to | FromDevice($from) -> cnt :: Count -> ToDevice($to) }
p12 :: Path(p1, p2)
p21 :: Path(p2, p1)
X
ctl create cbr "$TMPD/cbr.click" > "$TMPD/out" 2> "$TMPD/err" &&
	pass "create from a Click file with nested compounds: $(cat "$TMPD/out")" ||
	fail "create cbr: $(cat "$TMPD/err")"
ping_ok && pass "traffic through the flattened NE" || fail "no traffic through cbr"
ctl show cbr -j > "$TMPD/cbr.json" 2> "$TMPD/err"
"$PYTHON" - "$TMPD/cbr.json" <<'EOF' && pass "compound atoms are named outer/inner in the kernel" || fail "cbr names: $(cat "$TMPD/cbr.json")"
import json, sys
ne = json.load(open(sys.argv[1]))[0]
names = sorted(a["name"] for a in ne["atoms"])
assert names == ["p12/cnt/c", "p12/fromdevice@1", "p12/todevice@3",
                 "p21/cnt/c", "p21/fromdevice@1", "p21/todevice@3"], names
assert ne["nr_edges"] == 4 and ne["nr_entries"] == 2, ne
EOF
ctl delete cbr 2> "$TMPD/err" && pass "delete it" || fail "delete cbr: $(cat "$TMPD/err")"

check "dmesg clean" dmesg_clean
exit $ret
