#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The out-of-tree atom of docs/writing-an-atom.md: insmod it, use it in a
# DAG, and check that an upgrade keeps its sampling phase (migrate()) and
# its counters (same name and type).

source "$(dirname "$0")/lib.sh"
ret=0
require_root
require_clickup

KO=$REPO/docs/example-atom/clickup_atom_sampler.ko
[ -f "$KO" ] || skip "example atom not built (make example-atom)"
grep -q '^clickup_atom_sampler ' /proc/modules || insmod "$KO" ||
	die "insmod $KO"

setup_topology
cat > "$TMPD/s.click" <<'DAG'
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in1 -> s :: Sampler(4);
s [0] -> out2;
s [1] -> samp :: Counter -> out2;
FromDevice(p2) -> ToDevice(p1);
DAG
ne_create smp "$TMPD/s.click"
listed() { ctl atoms | grep -q '^sampler '; }
check "sampler listed by clickupctl atoms" listed

sampled() { ne_counters smp > "$TMPD/c"; counter_of "$TMPD/c" samp packets; }
check "6 pings pass" ping_ok 6
check "one in four sampled (6 seen, 1 sample)" test "$(sampled)" = 1
out=$(ctl upgrade smp "$TMPD/s.click") || fail "upgrade: $out"
check "2 more pings pass after the upgrade" ping_ok 2
check "phase kept by migrate(): 8 seen, 2 samples" test "$(sampled)" = 2

ctl delete smp
check "rmmod the example atom" rmmod clickup_atom_sampler
exit $ret
