#!/bin/bash
# kselftest-style TAP runner; runs inside the test VM (run-vm.sh).
#
# Runs the tests named in selftests/tests.list (one path relative to
# selftests/ per line, '#' comments), each from a fresh directory in /tmp,
# with its output indented by "# " and a timeout of TEST_TIMEOUT seconds
# (default 300 x SLOW).  Exit code 0 = ok, 4 = SKIP (kselftest), else not ok.
# A test that makes the kernel log a warning/oops is not ok either.
#   TESTS="a b"   run only these (names as in tests.list, or absolute paths)
# Exits 0 only if no test failed.  Also writes the TAP to $CLICKUP_OUT/tap.txt.
set -euo pipefail

REPO=${CLICKUP_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LIST=$REPO/selftests/tests.list
TIMEOUT=${TEST_TIMEOUT:-$((300 * ${SLOW:-1}))}
BAD='WARNING:|BUG:|Oops|general protection|Call Trace|kernel BUG|refcount_t:|list_add corruption|list_del corruption|UBSAN|KASAN|rcu.*detected (expedited )?stall|hung_task|unregister_netdevice: waiting|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|DEBUG_LOCKS_WARN_ON|lock held when returning|bad unlock balance|locking correctness validator|Disabling lock debugging|ODEBUG:|kmemleak: .*(disabled|pool empty|suspected memory leak)'

if [ -n "${TESTS:-}" ]; then
	read -r -a tests <<<"$TESTS"
elif [ -f "$LIST" ]; then
	mapfile -t tests < <(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$LIST" | grep -v '^$' || true)
else
	tests=()
fi

TAP=/dev/null
[ -z "${CLICKUP_OUT:-}" ] || TAP=$CLICKUP_OUT/tap.txt
exec > >(tee "$TAP") 2>&1
teepid=$!

echo "TAP version 13"
echo "1..${#tests[@]}"
pass=0 fail=0 skip=0 n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	case $t in /*) path=$t ;; *) path=$REPO/selftests/$t ;; esac
	echo "# selftests: clickup: $t"
	if [ ! -f "$path" ]; then
		echo "# $path: not found (not built?)"
		echo "not ok $n $t"
		fail=$((fail + 1))
		continue
	fi
	if [ -x "$path" ]; then cmd=("$path"); else cmd=(bash "$path"); fi
	dir=$(mktemp -d "/tmp/clickup-$n.XXXXXX")
	klines=$(dmesg | wc -l)
	start=$(date +%s)
	set +e +o pipefail
	(cd "$dir" && exec timeout -k 10 "$TIMEOUT" "${cmd[@]}") </dev/null 2>&1 |
		sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	set -e -o pipefail
	secs=$(($(date +%s) - start))
	kbad=$(dmesg | tail -n +$((klines + 1)) | grep -E "$BAD" || true)
	if [ -n "$kbad" ]; then
		echo "# kernel problems during $t (exit code $rc):"
		while IFS= read -r l; do echo "#   $l"; done <<<"$kbad"
		rc=kernel
	fi
	case $rc in
	0) echo "ok $n $t"; pass=$((pass + 1)) ;;
	4) echo "ok $n $t # SKIP"; skip=$((skip + 1)) ;;
	124 | 137) echo "not ok $n $t # TIMEOUT $TIMEOUT seconds"; fail=$((fail + 1)) ;;
	kernel) echo "not ok $n $t # kernel problem"; fail=$((fail + 1)) ;;
	*) echo "not ok $n $t # exit=$rc"; fail=$((fail + 1)) ;;
	esac
	echo "# $t took $secs s"
	rm -rf "$dir"
done
echo "# $pass passed, $fail failed, $skip skipped"
exec >&- 2>&-
wait "$teepid" || true	# tap.txt complete before the VM powers off
[ "$fail" -eq 0 ]
