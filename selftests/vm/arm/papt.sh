# shellcheck shell=bash
# A private apt (sourced): its own sources, lists, cache and an empty dpkg
# status under one directory, so we can download (never install) Debian
# packages of another architecture or release without touching the
# system's apt sources, its dpkg database or its native toolchain.
#
#   papt_init DIR "SUITE..." "ARCH..."   first ARCH is apt's native one
#   papt apt-get|apt-cache ARGS...
#   papt_fetch DESTDIR PKG[=VER][:ARCH]...   .debs into DESTDIR (cached)
#   papt_extract ROOT DEB...                 dpkg-deb -x, keeping merged-/usr
#                                            directory symlinks
#
# The mirror is the one the system's apt already uses for Debian (read from
# `apt-cache policy`); security suites use the system's security mirror.

PAPT_DIR=
papt_mirrors() {
	# prints "MAIN_URI SECURITY_URI" from the system's apt
	local main sec
	main=$(apt-cache policy 2>/dev/null | awk '$3 ~ /^[a-z]+\/main$/ && $3 !~ /-/ {print $2; exit}')
	sec=$(apt-cache policy 2>/dev/null | awk '$3 ~ /-security\/main$/ {print $2; exit}')
	if [ -z "$main" ]; then
		echo "papt: no Debian mirror in the system's apt sources (apt-get update?)" >&2
		return 1
	fi
	echo "$main ${sec:-}"
}

papt() {
	local tool=$1
	shift
	"$tool" -q \
		-o Dir::Etc::sourcelist="$PAPT_DIR/sources.list" \
		-o Dir::Etc::sourceparts="$PAPT_DIR/sources.list.d" \
		-o Dir::Etc::preferencesparts="$PAPT_DIR/sources.list.d" \
		-o Dir::State="$PAPT_DIR/state" \
		-o Dir::State::status="$PAPT_DIR/status" \
		-o Dir::Cache="$PAPT_DIR/cache" \
		-o APT::Architecture="$PAPT_ARCH" \
		-o APT::Architectures="$PAPT_ARCHES" \
		-o APT::Install-Recommends=false \
		-o Debug::NoLocking=1 \
		-o APT::Sandbox::User=root \
		"$@"
}

# papt_init DIR "SUITES" "ARCHES": (re)writes the sources; runs `update`
# when the lists are missing or PAPT_UPDATE=1.
papt_init() {
	PAPT_DIR=$1
	local suites=$2 s uris main sec
	read -r -a arches <<<"$3"
	PAPT_ARCH=${arches[0]}
	PAPT_ARCHES=$(
		IFS=,
		echo "${arches[*]}"
	)
	mkdir -p "$PAPT_DIR"/{sources.list.d,state/lists/partial,cache/archives/partial}
	touch "$PAPT_DIR/status"
	uris=$(papt_mirrors) || return 1
	read -r main sec <<<"$uris"
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg
	{
		for s in $suites; do
			case $s in
			*-security) [ -z "$sec" ] || echo "deb [signed-by=$kr] $sec $s main" ;;
			*) echo "deb [signed-by=$kr] $main $s main" ;;
			esac
		done
	} >"$PAPT_DIR/sources.list.new"
	if ! cmp -s "$PAPT_DIR/sources.list.new" "$PAPT_DIR/sources.list" ||
		[ "${PAPT_UPDATE:-0}" = 1 ] || [ ! -e "$PAPT_DIR/state/updated" ]; then
		mv "$PAPT_DIR/sources.list.new" "$PAPT_DIR/sources.list"
		echo "papt: apt-get update in $PAPT_DIR ($suites; $PAPT_ARCHES)"
		# A mirror in mid-sync answers "File has unexpected size": retry.
		local try
		for try in 1 2 3; do
			papt apt-get update >"$PAPT_DIR/update.log" 2>&1 &&
				! grep -q '^E:' "$PAPT_DIR/update.log" && break
			if [ "$try" = 3 ]; then
				# Go on with what came (apt ignores the failed index)
				# if anything did: a newer kernel in a failing suite
				# is not worth failing the build for.
				grep '^E:' "$PAPT_DIR/update.log" >&2
				ls "$PAPT_DIR"/state/lists/*Packages* >/dev/null 2>&1 || return 1
				echo "papt: WARNING: going on without the index(es) above" >&2
				break
			fi
			echo "papt: apt-get update failed (try $try), retrying in $((try * 10)) s"
			sleep $((try * 10))
		done
		touch "$PAPT_DIR/state/updated"
	else
		rm -f "$PAPT_DIR/sources.list.new"
	fi
}

# Newest candidate version of PKG[:ARCH] (empty if none).
papt_version() {
	papt apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}' | grep -v '(none)' || true
}

papt_fetch() {
	local dest=$1
	shift
	mkdir -p "$dest"
	(cd "$dest" && papt apt-get download "$@" >/dev/null)
}

papt_extract() {
	local root=$1 deb
	shift
	mkdir -p "$root"
	for deb in "$@"; do
		dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root" ||
			{ echo "papt: cannot extract $deb" >&2; return 1; }
	done
}
