#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-shards.sh LAUNCHER...: run the selftest list in SHARDS VMs at once.
#
# One TCG guest keeps about one host core busy (the tests are mostly one
# shell, one flow at a time), so on a 2-core host two VMs finish a list in
# little more than half the time of one. Each shard is a whole VM (its own
# kernel, modules loaded afresh): tests that reload clickup.ko or watch the
# kernel log cannot disturb each other.
#
# The tests (TESTS, or selftests/tests.list) are dealt longest first to the
# least loaded shard; a test's cost is its "# cost N" comment in tests.list
# (seconds on an idle host, Debian kernel; "debug N" on the debug kernel),
# 30 when it has none.
# SHARDS=1 (the default) just runs LAUNCHER. Each shard's output goes to
# build/vm/shard-K.log and is printed whole when all are done, then the
# summed "N passed, N failed, N skipped" line. Exit 0 only if every shard
# passed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LIST=$REPO/selftests/tests.list
SHARDS=${SHARDS:-1}

case $SHARDS in
'' | *[!0-9]* | 0) echo "run-shards.sh: SHARDS must be a positive number" >&2; exit 2 ;;
esac
[ "$SHARDS" -gt 1 ] || exec "$@"

# name<TAB>cost, in list order (TESTS: in its order). A list line's cost
# is its "cost N"; under KERNEL=debug its "debug N" if it has one (the
# checkers slow some tests far more than others).
costs=$(awk -v dbg="$([ "${KERNEL:-}" = debug ] && echo 1)" '
	/^[[:space:]]*(#|$)/ { next }
	{
		c = 30
		if (match($0, /cost [0-9]+/)) c = substr($0, RSTART + 5, RLENGTH - 5)
		if (dbg && match($0, /debug [0-9]+/)) c = substr($0, RSTART + 6, RLENGTH - 6)
		name = $1
		sub(/#.*/, "", name)
		print name "\t" c
	}' "$LIST")
if [ -n "${TESTS:-}" ]; then
	read -r -a names <<<"$TESTS"
	entries=$(for t in "${names[@]}"; do
		c=$(awk -F'\t' -v t="$t" '$1 == t { print $2; exit }' <<<"$costs")
		printf '%s\t%s\n' "$t" "${c:-30}"
	done)
else
	entries=$costs
fi

# Longest first, each to the shard with the least cost so far; each shard
# keeps the list's order (quick API tests first).
load=() shard_of=()
for ((k = 0; k < SHARDS; k++)); do load[k]=0; done
while IFS=$'\t' read -r t c; do
	best=0
	for ((k = 1; k < SHARDS; k++)); do
		[ "${load[k]}" -ge "${load[best]}" ] || best=$k
	done
	load[best]=$((load[best] + c))
	shard_of[${#shard_of[@]}]="$t=$best"
done < <(sort -t$'\t' -k2,2nr -s <<<"$entries")
tests=()
while IFS=$'\t' read -r t _; do
	for e in "${shard_of[@]}"; do
		[ "${e%=*}" = "$t" ] || continue
		k=${e##*=}
		tests[k]="${tests[k]:-} $t"
	done
done <<<"$entries"

LOGS=$REPO/build/vm
mkdir -p "$LOGS"
pids=()
for ((k = 0; k < SHARDS; k++)); do
	[ -n "${tests[k]:-}" ] || continue
	echo "run-shards.sh: shard $k (~${load[k]} s):${tests[k]}"
	TESTS="${tests[k]# }" "$@" >"$LOGS/shard-$k.log" 2>&1 </dev/null &
	pids[k]=$!
done

rc=0 P=0 F=0 S=0
for k in "${!pids[@]}"; do
	wait "${pids[k]}" || rc=1
	echo "=== shard $k"
	cat "$LOGS/shard-$k.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$LOGS/shard-$k.log" | tail -n1 || true)
	if [ -z "$line" ]; then
		echo "run-shards.sh: shard $k printed no summary (VM failed?)"
		F=$((F + 1))
		rc=1
		continue
	fi
	read -r p _ f _ s _ <<<"${line//,/}"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
done
echo "$P passed, $F failed, $S skipped"
exit "$rc"
