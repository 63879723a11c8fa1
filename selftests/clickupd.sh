#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clickupd in the NE's namespace, driven with curl: every route of
# docs/http-api.md (create and upgrade by PUT, reads, handlers, tables
# and flows, delete), a parse error with its line and column, the event
# stream carrying create/upgrade/delete and counters, the token refused
# and accepted, a foreign Origin and Host refused, a 10 MB body refused
# while the daemon keeps serving, as after garbage, half-open and
# oversized-header clients. Then every curl example of docs/http-api.md
# runs as shown.
#
# Cheap on a slow VM: the JSON bodies are kept and checked by one python
# at the end (one interpreter start instead of twenty), and every curl has
# a time limit, so a daemon that stops answering fails here, not at the
# runner's timeout.

. "$(dirname "$0")/lib.sh"

require_clickup
require_cmd curl socat ping
CLICKUPD=${CLICKUPD:-$REPO/ctl/clickupd}
[ -x "$CLICKUPD" ] || skip "no $CLICKUPD (libmicrohttpd-dev missing at build?)"

setup_topology
mkdir -p "$TMPD/www"
echo '<!doctype html><title>t</title>' > "$TMPD/www/index.html"
U=http://127.0.0.1:3000
bg ip netns exec "$NS_CU" "$CLICKUPD" --token-file "$TMPD/run/token" \
	--www "$TMPD/www" --interval 200
up() { cu curl -s -m 10 -o /dev/null "$U/api/v1/atoms"; }
wait_for 60 up || die "clickupd did not answer"
TOKEN=$(cat "$TMPD/run/token")
H="Authorization: Bearer $TOKEN"
[ "$(stat -c %a "$TMPD/run/token")" = 600 ] && pass "token file is 0600" ||
	fail "token file mode $(stat -c %a "$TMPD/run/token")"

# req METHOD PATH [curl args]: prints the status; body in $TMPD/body
req() {
	local m=$1 p=$2
	shift 2
	cu curl -s -m 60 -o "$TMPD/body" -w '%{http_code}' -X "$m" "$@" "$U$p"
}
status() {	# status WHAT WANT METHOD PATH [curl args]
	local what=$1 want=$2 got
	shift 2
	got=$(req "$@")
	if [ "$got" = "$want" ]; then pass "$what: $want"; else
		fail "$what: want $want, got $got: $(head -c 300 "$TMPD/body")"; fi
}
NBODY=0
body_has() {	# body_has WHAT PYEXPR [FILE]: PYEXPR over the last body as d, later
	NBODY=$((NBODY + 1))
	cp "${3:-$TMPD/body}" "$TMPD/body.$NBODY"
	printf '%s\t%s\t%s\n' "$TMPD/body.$NBODY" "$1" "$2" >> "$TMPD/body_checks"
}
body_checks() {	# one TAP line per body_has; fails if any is false
	"$PYTHON" - "$TMPD/body_checks" <<'PY'
import json, sys

def parse(text):
    """JSON, or an event stream as [(event, data parsed), ...]"""
    if not text.startswith(":"):
        return json.loads(text)
    out, ev = [], None
    for line in text.splitlines():
        if line.startswith("event: "):
            ev = line[7:]
        elif line.startswith("data: "):
            out.append((ev, json.loads(line[6:])))
    return out

bad = 0
for line in open(sys.argv[1]):
    path, what, expr = line.rstrip("\n").split("\t", 2)
    text = open(path, errors="replace").read()
    try:
        ok = eval(expr, {}, {"d": parse(text)}) is True
    except Exception as e:
        ok, text = False, "%s: %s" % (e, text)
    if ok:
        print("ok - " + what)
    else:
        bad = 1
        print("not ok - %s: %s" % (what, text[:300]))
sys.exit(bad)
PY
}

cu curl -sN -m 1000 "$U/api/v1/events" > "$TMPD/events" &
BG_PIDS+=($!)

status "GET atoms" 200 GET /api/v1/atoms
status "PUT without token" 401 PUT /api/v1/elements/br --data-binary @"$DAGS/bridge.click"
status "PUT with a wrong token" 401 PUT /api/v1/elements/br -H "Authorization: Bearer x$TOKEN" \
	--data-binary @"$DAGS/bridge.click"
status "PUT creates" 201 PUT /api/v1/elements/br -H "$H" --data-binary @"$DAGS/bridge.click"
body_has "create reply" 'd["event"] == "create" and d["name"] == "br" and d["generation"] == 1'
check "traffic through the NE" pingq 5
status "GET element" 200 GET /api/v1/elements/br
body_has "element counters" '[a["packets"] for a in d["atoms"] if a["name"] == "c12"] == [5]'
status "GET elements" 200 GET /api/v1/elements
body_has "elements is an array" 'isinstance(d, list) and d[0]["name"] == "br"'
status "PUT upgrades" 200 PUT /api/v1/elements/br -H "$H" \
	--data-binary @"$REPO/demo/dags/bridge-up.click"
body_has "upgrade reply" 'd["event"] == "upgrade" and d["generation"] == 2 and d["new_atoms"] == 1'
status "read handler" 200 GET /api/v1/elements/br/atoms/c12/count
body_has "c12.count kept by the upgrade" 'd["value"] == "5"'
status "write handler without token" 401 PUT /api/v1/elements/br/atoms/c12/reset
status "write handler" 200 PUT /api/v1/elements/br/atoms/c12/reset -H "$H"
status "read after reset" 200 GET /api/v1/elements/br/atoms/c12/count
body_has "c12.count reset" 'd["value"] == "0"'
status "unknown handler" 404 GET /api/v1/elements/br/atoms/c12/nosuch
body_has "handler error text" '"has no handler" in d["error"] and d["atom"] == "c12"'
status "read-only handler written" 405 PUT /api/v1/elements/br/atoms/c12/count -H "$H"
status "unknown element" 404 GET /api/v1/elements/nosuch

printf 'in1 :: FromDevice(p1);\nin1 -> -> out;\n' > "$TMPD/bad.click"
status "check: parse error" 400 POST /api/v1/check --data-binary @"$TMPD/bad.click"
body_has "parse error at 2:8" 'd["line"] == 2 and d["col"] == 8 and d["error"].startswith("<body>:2:8:")'
status "PUT: parse error" 400 PUT /api/v1/elements/br -H "$H" --data-binary @"$TMPD/bad.click"
status "check: ok" 200 POST /api/v1/check --data-binary @"$DAGS/bridge.click"
body_has "check: parsed DAG" 'd["nr_atoms"] == 6 and d["nr_entries"] == 2'
status "PUT: unknown atom type" 422 PUT /api/v1/elements/br -H "$H" --data-binary @"$DAGS/bridge_unknown.click"
log "$(cat "$TMPD/body")"
body_has "error names the type, the atom and its line" \
	'"unknown atom type" in d["error"] and "nosuchatomtype" in d["error"] and d["atom"] == "x" and d["line"] == 4 and d["errno"] == 2'

# A missing atom module is loaded by clickupd itself (libkmod, as
# clickupctl does; docs/http-api.md), not by the kernel's autoload.
ip -n "$NS_CU" link add v0 type veth peer name v1
ip -n "$NS_CU" link set v0 up
[ "$(refcnt clickup_atom_unstrip)" != 0 ] || rmmod clickup_atom_unstrip
if [ -d /sys/module/clickup_atom_unstrip ]; then
	log "clickup_atom_unstrip is in use: the module-loading check is moot"
else
	echo 'in :: FromDevice(v0) -> u :: Unstrip(14) -> Discard;' > "$TMPD/ml.click"
	status "PUT with an unloaded atom type" 201 PUT /api/v1/elements/ml -H "$H" \
		--data-binary @"$TMPD/ml.click"
	body_has "clickupd loaded its module, the kernel none" \
		'"clickup_atom_unstrip" in d["modload_modules"] and d["modload_loaded"] == len(d["modload_modules"]) and d["loaded"] == 0'
	status "DELETE ml" 204 DELETE /api/v1/elements/ml -H "$H"
fi

check "state set t1 max 100" ctl state set t1 max 100
status "GET tables" 200 GET /api/v1/tables
body_has "tables has t1" '[t["max"] for t in d if t["name"] == "t1"] == [100]'
status "GET flows" 200 GET "/api/v1/tables/t1/flows?offset=0&limit=10"
body_has "no flows yet" 'd == []'
status "flows: bad limit" 400 GET "/api/v1/tables/t1/flows?limit=x"
status "DELETE a missing flow" 404 DELETE /api/v1/tables/t1/flows/tcp-10.0.0.1:1-10.0.0.2:2 -H "$H"
status "DELETE a bad flow key" 400 DELETE /api/v1/tables/t1/flows/nonsense -H "$H"

status "DELETE element" 204 DELETE /api/v1/elements/br -H "$H"
status "GET deleted element" 404 GET /api/v1/elements/br
events_ok() {
	grep -q '^event: create' "$TMPD/events" && grep -q '^event: upgrade' "$TMPD/events" &&
		grep -q '^event: delete' "$TMPD/events" && grep -q '^event: counters' "$TMPD/events"
}
if wait_for 30 events_ok; then
	pass "event stream: create, upgrade, delete and counters"
else
	fail "event stream: $(grep '^event' "$TMPD/events" | sort | uniq -c | tr '\n' ' ')"
fi
body_has "events in order: create, upgrade, delete of br" \
	'[e for e, j in d if e in ("create", "upgrade", "delete") and j["name"] == "br"] == ["create", "upgrade", "delete"]' \
	"$TMPD/events"
body_has "a counters event has the pings (c12: 5 packets)" \
	'any(a["name"] == "c12" and a["packets"] == 5 for e, j in d if e == "counters" for n in j for a in n["atoms"])' \
	"$TMPD/events"

# ---- a browser on another site, DNS rebinding, misbehaving clients -----
status "foreign Origin" 403 PUT /api/v1/elements/x -H "$H" -H "Origin: http://evil.example" \
	--data-binary @"$DAGS/bridge.click"
status "foreign Origin, read" 403 GET /api/v1/elements -H "Origin: http://evil.example"
status "Sec-Fetch-Site: cross-site" 403 DELETE /api/v1/elements/x -H "$H" -H "Sec-Fetch-Site: cross-site"
status "rebinding Host" 403 GET /api/v1/elements -H "Host: evil.example:3000"
status "same Origin" 200 GET /api/v1/elements -H "Origin: http://127.0.0.1:3000"
head -c 10000000 /dev/zero > "$TMPD/big"
status "10 MB body" 413 PUT /api/v1/elements/x -H "$H" --data-binary @"$TMPD/big"
status "still serving after the 10 MB body" 200 GET /api/v1/atoms
printf 'GARBAGE\x01\x02 / HTTP/9\r\n\r\n' | cu timeout 5 socat - TCP:127.0.0.1:3000 >/dev/null 2>&1
status "still serving after garbage" 200 GET /api/v1/atoms
# half-open clients: a request line and nothing more, held open
for i in 1 2 3 4 5; do
	cu bash -c "(printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'; sleep 30) | socat - TCP:127.0.0.1:3000" \
		>/dev/null 2>&1 &
	BG_PIDS+=($!)
done
status "still serving beside half-open clients" 200 GET /api/v1/atoms
status "20 KB of headers" 431 GET /api/v1/atoms -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
status "still serving after huge headers" 200 GET /
status "static: no escape" 404 GET /../../etc/passwd --path-as-is

# ---- docs/http-api.md's examples, as shown ------------------------------
# In its order, from the repository's top directory: every one must
# succeed, except the DELETE of a flow, which must find none (404): no
# traffic runs. Their answers go to $CLICKUP_OUT for the page's samples.
sed -n '/^```sh$/,/^```$/p' "$REPO/docs/http-api.md" | grep -v '^```' |
	grep -v 'curl -sN' | sed 's|sudo cat /run/clickupd/token|cat "$TOKEN_FILE"|' > "$TMPD/doc.sh"
doc_ok() {
	cu env TOKEN_FILE="$TMPD/run/token" bash -c '
		cd "$1"
		B=$3
		curl() {
			local s
			s=$(command curl -m 60 -o "$B" -w "%{http_code}" "$@")
			echo "$s curl $*"; cat "$B"; echo
			case $s in 2??) ;; 404) [[ $* == */flows/* ]] || exit 1 ;; *) exit 1 ;; esac
		}
		set -e
		. "$2"' _ "$REPO" "$TMPD/doc.sh" "$TMPD/doc" > "$TMPD/doc.out" 2>&1
}
if doc_ok; then
	pass "docs/http-api.md examples ($(grep -c '^[0-9][0-9][0-9] curl' "$TMPD/doc.out") requests)"
else
	fail "docs/http-api.md examples: $(tail -n 4 "$TMPD/doc.out")"
fi
[ -z "${CLICKUP_OUT:-}" ] || cp "$TMPD/doc.out" "$CLICKUP_OUT/http-api-examples.txt"

body_checks || ret=$ksft_fail
exit $ret
