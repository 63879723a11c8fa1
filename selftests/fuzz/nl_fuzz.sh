#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink fuzzer (nlfuzz, built from the family's own policy)
# for FUZZ_SECONDS (default 10) or FUZZ_NL_COUNT messages, in a netns of
# its own with a veth pair for fromdevice/todevice atoms. Then a valid
# create/show/delete with clickupctl must still work. FUZZ_SEED=N
# replays a run; the seed is printed either way. A kernel splat fails the
# test through the runner's dmesg check and dmesg_clean here.

. "$(dirname "$0")/../lib.sh"

require_clickup
NLFUZZ=$SELFTESTS/fuzz/nlfuzz
[ -x "$NLFUZZ" ] || skip "no $NLFUZZ (make -C selftests)"

SECS=${FUZZ_SECONDS:-10}
COUNT=${FUZZ_NL_COUNT:-100000000}
SEED=${FUZZ_SEED:-$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))}
NS=ns_nlfz-$SFX
EXTRA_NS+=("$NS")

dmesg_mark
new_ns "$NS" || die "cannot create $NS"
ip -n "$NS" link add f0 type veth peer name f1 || die "veth"
ip -n "$NS" link set f0 up
ip -n "$NS" link set f1 up

log "nlfuzz for ${SECS} s, seed $SEED (replay: FUZZ_SEED=$SEED)"
# DAGs use f1 only: f1 sends to f0, which has no NE (fromdevice and
# todevice on two ends of a pair, or on lo, would loop packets forever)
ns_exec "$NS" "$NLFUZZ" --seed "$SEED" -n "$COUNT" -t "$SECS" --dev f1 ||
	fail "nlfuzz (seed $SEED)"

# clickupctl still works after the fuzz, in the fuzzed netns
printf '%s\n' 'FromDevice(f0) -> c :: Counter -> ToDevice(f1);' > "$TMPD/ok.click"
check "clickupctl create after the fuzz" \
	ns_exec "$NS" "$CLICKUPCTL" create fzok "$TMPD/ok.click"
check "clickupctl show after the fuzz" \
	ns_exec "$NS" "$CLICKUPCTL" show fzok
check "clickupctl delete after the fuzz" \
	ns_exec "$NS" "$CLICKUPCTL" delete fzok
check "no kernel warning during the fuzz" dmesg_clean
exit $ret
