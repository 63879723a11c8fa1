# SPDX-License-Identifier: GPL-2.0
# Shared by the offline TAP tests (sourced): the clickupctl under test,
# a scratch directory to run in, and the TAP counters.
#   . "$(dirname "$0")/lib.sh" "$@"
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CTL=$(realpath "${1:-$HERE/../clickupctl}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

n=0 failed=0
ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
