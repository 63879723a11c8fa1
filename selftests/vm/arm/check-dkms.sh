#!/bin/bash
# dkms.conf lists every module that `make` builds: clickup and one
# clickup_atom_<name> per entry of CLICKUP_ATOMS in atoms/Kbuild.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
want=$( (echo clickup
	sed -n 's/^CLICKUP_ATOMS[[:space:]]*:=//p' "$REPO/atoms/Kbuild" |
		tr ' ' '\n' | grep . | sed 's/^/clickup_atom_/') | sort)
# shellcheck disable=SC1091,SC2034 # dkms.conf is sourced by dkms (bash)
got=$(
	kernel_source_dir=/nonexistent dkms_tree=/nonexistent
	. "$REPO/dkms.conf"
	printf '%s\n' "${BUILT_MODULE_NAME[@]}" | sort
)
if [ "$want" != "$got" ]; then
	echo "check-dkms: dkms.conf and atoms/Kbuild disagree:" >&2
	diff <(echo "$want") <(echo "$got") >&2 || true
	exit 1
fi
echo "check-dkms: dkms.conf lists all $(echo "$want" | wc -l) modules"
