# SPDX-License-Identifier: GPL-2.0
# Helpers of the atom selftests (selftests/atoms_*.sh), sourced after
# selftests/lib.sh. The seed topology carries crafted frames:
#
#   ns_cli: c0 (tx "cli", rx "cli") -- p1 [NE in ns_cu] p2 -- s0 (rx "srv")
#
# Frames use MACs 02:00:00:00:00:01 > 02:00:00:00:00:02 by default, not
# the hosts' own, so the namespaces' stacks ignore them: nothing but the
# NE's output arrives at s0 or c0.

PKT=$SELFTESTS/pkt/pkt.py

# pkt_run: run a pkt.py script (stdin) with sockets tx cli, rx cli, rx srv;
# its ok/not ok lines go to the TAP output, a failure fails the test.
pkt_run() {
	{
		echo "tx cli $NS_CLI c0"
		echo "rx cli $NS_CLI c0"
		echo "rx srv $NS_SRV s0"
		cat
	} > "$TMPD/pkt.in"
	"$PYTHON" -S "$PKT" run < "$TMPD/pkt.in" || ret=$ksft_fail
}

# ne_load NE: create NE in ns_cu from the DAG on stdin, or upgrade it
# when this test loaded it before.
declare -A PKT_LOADED
ne_load() {
	local out verb=create

	cat > "$TMPD/dag.click"
	[ -z "${PKT_LOADED[$1]}" ] || verb=upgrade
	out=$(ctl $verb "$1" "$TMPD/dag.click" 2>&1) ||
		die "clickupctl $verb $1: $out"
	PKT_LOADED[$1]=1
}

# rejects 'DAG' 'MESSAGE': creating the DAG fails and clickupctl's error
# line contains MESSAGE. Runs in the runner's netns rather than ns_cu (a
# netns exec costs half a second in the VM), so there is no p1 to name:
# write the entry as FromHook(ipv4, forward).
rejects() {
	local out

	printf '%s\n' "$1" > "$TMPD/bad.click"
	if out=$("$CLICKUPCTL" create "bad-$SFX" "$TMPD/bad.click" 2>&1); then
		"$CLICKUPCTL" delete "bad-$SFX" >/dev/null 2>&1
		fail "accepted: $1"
		return
	fi
	case $out in
	*"$2"*) pass "rejected: $2" ;;
	*) fail "rejected with another message: $out (want: $2)" ;;
	esac
}

# snap NE: the NE's counters (show -j) as "name packets bytes drops"
# lines, for want; sed rather than python, which starts slowly in the VM.
snap() {
	ctl show "$1" -j > "$TMPD/show.json" || fail "clickupctl show $1 -j"
	grep -o '"name":"[^"]*","type":"[^"]*","args":\[[^]]*\],"outputs":[0-9]*,"packets":[0-9]*,"bytes":[0-9]*,"drops":[0-9]*' \
		"$TMPD/show.json" |
		sed 's/^"name":"\([^"]*\)".*"packets":\([0-9]*\),"bytes":\([0-9]*\),"drops":\([0-9]*\)$/\1 \2 \3 \4/' \
		> "$TMPD/cnt"
}

# want ATOM FIELD VALUE: a counter (packets, bytes, drops) of the last snap.
want() {
	local got

	got=$(counter_of "$TMPD/cnt" "$1" "$2")
	if [ "$got" = "$3" ]; then
		pass "$1 $2 = $3"
	else
		fail "$1 $2: want $3, got ${got:-nothing}"
	fi
}
