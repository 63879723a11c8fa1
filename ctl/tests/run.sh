#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Offline tests for clickupctl (TAP). Needs no kernel module: parsing,
# validation, convert round trips, JSON, usage errors, and the netlink
# error paths that work without clickup.ko.
#   tests/run.sh [path/to/clickupctl]
. "$(dirname "$0")/lib.sh" "$@"
SEED=${SEED:-$HERE/../../../shared/seed/clickup-demo}
[ -d "$SEED" ] || SEED=/work/shared/seed/clickup-demo

# expect NAME RC STDOUT-SUBSTRING STDERR-SUBSTRING -- CMD...: runs CMD,
# compares exit code and (when non-empty) looks for the substrings.
expect() {
	local name=$1 rc=$2 out=$3 err=$4
	shift 5
	"$@" > out.txt 2> err.txt
	local got=$?
	if [ "$got" != "$rc" ]; then
		nok "$name" "exit $got, want $rc" "stdout: $(head -c 300 out.txt)" "stderr: $(head -c 300 err.txt)"
	elif [ -n "$out" ] && ! grep -qF -- "$out" out.txt; then
		nok "$name" "stdout lacks: $out" "stdout: $(head -c 300 out.txt)"
	elif [ -n "$err" ] && ! grep -qF -- "$err" err.txt; then
		nok "$name" "stderr lacks: $err" "stderr: $(head -c 300 err.txt)"
	elif [ "$rc" = 1 ] && [[ "$name" != batch* ]] && [[ "$name" != usage* ]] &&
	     [ "$(wc -l < err.txt)" != 1 ]; then
		nok "$name" "want exactly one line on stderr" "$(cat err.txt)"
	else
		ok "$name"
	fi
}

# perr NAME FILE-CONTENT WANT: "check" must fail with exactly WANT
# (file:line:col: message) as the first stderr line.
perr() {
	local name=$1 file=$2 want=$3
	printf '%s' "$4" > "$file"
	"$CTL" check "$file" > out.txt 2> err.txt
	local got=$? line
	line=$(head -n1 err.txt)
	if [ "$got" = 1 ] && [[ "$line" == "$want"* ]] && [ "$(wc -l < err.txt)" = 1 ]; then
		ok "error: $name"
	else
		nok "error: $name" "exit $got" "want: $want" "got:  $(cat err.txt)"
	fi
}

# A canonical, name-independent text form of a DAG (via check -j).
canon() {
	"$CTL" check -j "$1" | jq -r '
		(.atoms | map(.type + "(" + (.args | join(",")) + ")")) as $k |
		(.atoms | map("atom " + .type + "(" + (.args | join(",")) + ")")),
		(.edges | map("edge " + $k[.src] + " [\(.port)] -> [\(.dst_port)] " + $k[.dst]))
		| .[]' | sort
}

# ---- seed files ----------------------------------------------------------
expect "seed type_create.txt parses" 0 \
	"type_create.txt: ok: 11 atoms, 12 edges, 2 entries" "" -- \
	"$CTL" check "$SEED/type_create.txt"
expect "seed type_update.txt parses" 0 \
	"type_update.txt: ok: 12 atoms, 13 edges, 2 entries" "" -- \
	"$CTL" check "$SEED/type_update.txt"

"$CTL" check -j "$SEED/type_create.txt" > c.json
if jq -e '.atoms[1] == {"index":1,"name":"classifier","type":"classifier","args":["12/0800","-"]}
	  and (.atoms | map(select(.name == "checkipheader"))[0].args == [])
	  and (.atoms | map(.name) | index("todevice@1") != null)
	  and (.atoms | map(.name) | index("todevice@2") != null)
	  and .nr_entries == 2' c.json > /dev/null; then
	ok "seed: args, '-' = no args, type@N names"
else
	nok "seed: args, '-' = no args, type@N names" "$(cat c.json)"
fi
# "FromDevice - - ToDevice p1" (last line) is the most recent fromdevice: p2
if jq -e '(.atoms | map(.name)) as $n | .edges[-1] as $e |
	  $n[$e.src] == "fromdevice@2" and $n[$e.dst] == "todevice@2"' c.json > /dev/null; then
	ok "seed: SRC means the most recently created instance"
else
	nok "seed: SRC means the most recently created instance" "$(cat c.json)"
fi

# ---- convert round trips -------------------------------------------------
for s in type_create type_update; do
	"$CTL" convert "$SEED/$s.txt" > c1.click && "$CTL" convert c1.click > e1.txt &&
	"$CTL" convert e1.txt > c2.click && "$CTL" convert c2.click > e2.txt
	if [ $? = 0 ] && cmp -s e1.txt e2.txt &&
	   [ "$(canon "$SEED/$s.txt")" = "$(canon e1.txt)" ] &&
	   [ "$(canon c1.click)" = "$(canon c2.click)" ]; then
		ok "convert: $s edges -> Click -> edges is stable and equivalent"
	else
		nok "convert: $s edges -> Click -> edges" "$(diff e1.txt e2.txt)"
	fi
done

cat > rt.click <<'X'
/* a firewall-like DAG written by hand */
in1 :: FromDevice(p1);   // entry
out2 :: ToDevice(p2);
in1 -> cl :: Classifier(12/0800, -)
    -> Strip(14) -> CheckIPHeader -> [0] rs :: ReadState;
cl [1] -> out2;
rs [1] -> out2;
rs [0] -> sc :: SessionCheck -> WriteState -> out2;
sc [1] -> out2; sc [2] -> [0] Discard
X
if "$CTL" convert rt.click > rt.txt && "$CTL" convert rt.txt > rt2.click &&
   [ "$(canon rt.click)" = "$(canon rt2.click)" ] && [ -n "$(canon rt.click)" ]; then
	ok "convert: Click -> edges -> Click gives the same DAG"
else
	nok "convert: Click -> edges -> Click" "$(cat rt.txt)" "$(diff <(canon rt.click) <(canon rt2.click))"
fi
if "$CTL" check -j rt.click | jq -e '.atoms | map(.name) ==
	["in1","out2","cl","strip@4","checkipheader@5","rs","sc","writestate@8","discard@9"]' > /dev/null; then
	ok "Click: anonymous atoms are named type@N (N = position)"
else
	nok "Click: anonymous atoms are named type@N" "$("$CTL" check -j rt.click)"
fi
if head -n1 rt.txt | grep -qx -- '- - - fromdevice p1'; then
	ok "convert: edge-list output starts with the entry"
else
	nok "convert: edge-list output starts with the entry" "$(cat rt.txt)"
fi

printf 'in1 :: FromDevice(p1);\nin1 -> c :: Classifier(a, b) -> Counter -> Discard;\nc [1] -> Counter -> Discard;\n' > amb.click
expect "convert: refuses a DAG the edge list cannot express" 1 "" \
	"cannot express" -- "$CTL" convert amb.click
printf 'in1 :: FromDevice(p1);\nin1 -> Foo("a b") -> Discard;\n' > sp.click
expect "convert: refuses an argument with spaces for the edge list" 1 "" \
	"has spaces" -- "$CTL" convert sp.click
printf -- '- - - FromDevice p1\nFromDevice - - Foo a,b (x\nFoo - - Discard -\n' > bad.txt
expect "convert: refuses edge-list args that are not Click arguments" 1 "" \
	"cannot express this DAG in the Click language" -- "$CTL" convert bad.txt

# ---- Click language details ----------------------------------------------
cat > lang.click <<'X'
// ports, inline declarations, comments inside arguments, quotes, nesting
src :: FromDevice(p1) -> c :: Classifier(12/0800 /* IPv4 */, 12/0806, -);
c [2] -> [0] Discard;
c[0]->x/y-z :: Foo( "a, (b", [1, 2], f(3, 4) , ) -> out :: ToDevice(p2);
c [1] -> Counter() -> out
X
"$CTL" check -j lang.click > l.json 2> err.txt
if jq -e '.atoms[1].args == ["12/0800","12/0806","-"]
	  and (.atoms | map(select(.name == "x/y-z"))[0].args == ["\"a, (b\"","[1, 2]","f(3, 4)",""])
	  and (.atoms | map(select(.type == "counter"))[0].args == [])
	  and (.edges | map(select(.port == 2))[0].dst_port == 0)
	  and (.edges | length) == 6' l.json > /dev/null; then
	ok "Click: args split on top-level commas, verbatim, comments dropped"
else
	nok "Click: argument splitting" "$(cat l.json err.txt)"
fi
printf 'a::FromDevice(p1)->[3]b::Foo;a[1]->[2]b' > dense.click
if "$CTL" check -j dense.click | jq -e '.edges == [{"src":0,"port":0,"dst":1,"dst_port":3},{"src":0,"port":1,"dst":1,"dst_port":2}]' > /dev/null; then
	ok "Click: no whitespace needed, last ';' optional, [in]/[out] ports"
else
	nok "Click: dense syntax" "$("$CTL" check -j dense.click 2>&1)"
fi
printf 'in :: fromdevice(p1); in -> DISCARD;\n' > case.click
if "$CTL" check -j case.click | jq -e '.atoms | map(.type) == ["fromdevice","discard"]' > /dev/null; then
	ok "Click: type names are case-insensitive, sent lower case"
else
	nok "Click: type names lower-cased" "$("$CTL" check -j case.click 2>&1)"
fi

# ---- parse errors: file:line:col -----------------------------------------
perr "syntax" s.click "s.click:3:8: expected an element, found '->'" \
	$'// line 3 has a parse error at column 8\nin1 :: FromDevice(p1);\nin1 -> -> out2;\n'
perr "unknown element" u.click "u.click:2:8: unknown element 'nosuch'" \
	$'in1 :: FromDevice(p1);\nin1 -> nosuch;\n'
perr "redeclaration" r.click "r.click:2:3: redeclaration of 'a' (first declared at 1:1)" \
	$'a :: FromDevice(p1);\n  a :: Counter;\n'
printf 'a :: FromDevice(p1)  b :: Counter\na -> b c :: Discard b -> c\n' > m.click
expect "Click: ';' is optional between statements" 0 "m.click: ok: 3 atoms, 2 edges" "" -- \
	"$CTL" check m.click
perr "type after ::" t.click "t.click:1:6: expected a type name after '::', found '('" \
	$'a :: (p1);\n'
perr "invalid type name" it.click "it.click:1:6: invalid type name" \
	$'a :: From/Device(p1);\n'
perr "unterminated comment" uc.click "uc.click:2:1: unterminated comment" \
	$'a :: FromDevice(p1);\n/* never closed\n'
perr "unterminated argument list" ua.click "ua.click:1:16: unterminated argument list" \
	$'a :: FromDevice(p1, \n'
perr "unterminated string" us.click "us.click:1:14: unterminated string" \
	$'a :: Foo(p1, "abc)\n'
perr "unbalanced bracket" ub.click "ub.click:1:15: unbalanced ')' in arguments" \
	$'a :: Foo([1, 2), 3);\n'
perr "input port on first element" ip.click "ip.click:2:1: input port on the first element" \
	$'a :: FromDevice(p1);\n[1] a -> Discard;\n'
perr "output port on last element" op.click "op.click:2:19: output port on the last element" \
	$'a :: FromDevice(p1);\na -> b :: Counter [1];\n'
perr "port out of range" pr.click "pr.click:2:4: port number must be below 64" \
	$'a :: FromDevice(p1);\na [64] -> Discard;\n'
perr "name too long" nl.click "nl.click:1:1: name longer than 31 characters" \
	"$(printf 'a%.0s' {1..32}) :: FromDevice(p1);"
perr "type too long" tl.click "tl.click:1:6: type name longer than 31 characters" \
	"a :: $(printf 'T%.0s' {1..32});"
perr "argument too long" al.click "al.click:1:10: argument longer than 255 characters" \
	"a :: Foo($(printf 'x%.0s' {1..256}));"
perr "too many arguments" ta.click "ta.click:1:58: too many arguments (at most 16)" \
	"a :: Foo(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7);"
{ echo "in :: FromDevice(p1);"; for i in $(seq 1 1024); do echo "c$i :: Counter;"; done; } > ma.click
perr "too many atoms" ma.click "ma.click:1025:1: too many atoms (at most 1024)" "$(cat ma.click)"
# the limits come from the uapi header, so the tests follow it
UAPI=$HERE/../../kmod/include/uapi/linux/clickup.h
MAXE=$(awk '$2 == "CLICKUP_MAX_EDGES" { print $3 }' "$UAPI")
{ echo "in :: FromDevice(p1); d :: Discard;"
  for i in $(seq 1 $((MAXE / 64 + 1))); do echo "c$i :: Classifier;"; for p in $(seq 0 63); do echo "c$i [$p] -> d;"; done; done; } > me.click
perr "too many edges" me.click "me.click:$((MAXE / 64 * 65 + 3)):9: too many edges (at most $MAXE)" "$(cat me.click)"
A=$(printf 'x%.0s' {1..200})
{ echo "in :: FromDevice(p1);"; for i in $(seq 1 40); do echo "c$i :: Foo($A, $A, $A, $A, $A, $A, $A, $A, $A, $A);"; done; } > big.click
perr "DAG larger than one netlink attribute" big.click "big.click:32:1: DAG too large" "$(cat big.click)"

perr "edges: too few fields" f.txt "f.txt:2:1: expected 'SRC SRCPORT DSTPORT DST [ARGS...]' (3 fields)" \
	$'- - - FromDevice p1\nFromDevice - -\n'
perr "edges: unknown source" us.txt "us.txt:2:1: no 'strip' atom exists yet" \
	$'- - - FromDevice p1\nStrip - - Discard -\n'
perr "edges: bad port" bp.txt "bp.txt:2:12: expected a port number or '-', found 'x'" \
	$'- - - FromDevice p1\nFromDevice x - Discard -\n'
perr "edges: bad entry line" be.txt "be.txt:1:3: an entry line is '- - - Type [ARGS...]'" \
	$'- 1 - FromDevice p1\n'
perr "edges: invalid type" bt.txt "bt.txt:2:16: invalid type name 'Dis(card' (letters, digits, _)" \
	$'- - - FromDevice p1\nFromDevice - - Dis(card -\n'

# ---- structural validation -----------------------------------------------
perr "cycle" cy.click "cy.click:2:8: cycle through atom 'a'" \
	$'in1 :: FromDevice(p1);\nin1 -> a :: Counter -> b :: Counter -> a;\n'
perr "self loop" sl.click "sl.click:1:26: cycle through atom 'a'" \
	$'in1 :: FromDevice(p1) -> a :: Counter;\na [1] -> a;\n'
perr "no entry" ne.click "ne.click: no entry atom" $'a :: Counter -> Discard;\n'
perr "entry with an input" ei.click "ei.click:2:3: entry atom 'b' cannot have an input edge" \
	$'a :: FromDevice(p1); b :: FromHook(ipv4, input);\na -> b;\n'
perr "output port used twice" ot.click "ot.click:3:3: output [0] of 'a' is already connected (at 2:3)" \
	$'a :: FromDevice(p1);\na -> Discard;\na -> Counter -> Discard;\n'
perr "edges: output used twice" ot.txt "ot.txt:4:1: output [1] of 'classifier' is already connected (at 3:1)" \
	$'- - - FromDevice p1\nFromDevice - - Classifier 12/0800 -\nClassifier 1 - ToDevice p2\nClassifier 1 - Discard -\n'

# ---- Click language: the rest of click(5) ---------------------------------
# jqok NAME FILE JQ-FILTER [check options]: "check -j FILE" satisfies the filter
jqok() {
	local name=$1 file=$2 filter=$3
	shift 3
	if "$CTL" check -j "$@" "$file" > jq.json 2> jq.err && jq -e "$filter" jq.json > /dev/null; then
		ok "$name"
	else
		nok "$name" "$(cat jq.json jq.err)"
	fi
}
names() { echo '(.atoms | map(.name))'; }
edge() { echo "(.atoms | map(.name)) as \$n | .edges | map(\$n[.src] + \" [\(.port)] -> [\(.dst_port)] \" + \$n[.dst])"; }

printf 'a, b :: FromDevice(p1); c, d :: Counter\na -> c; b -> d\n' > multi.click
jqok "Click: 'a, b :: T(args)' declares each name" multi.click \
	'.atoms | map([.name, .type, .args]) == [["a","fromdevice",["p1"]],["b","fromdevice",["p1"]],["c","counter",[]],["d","counter",[]]]'
printf "in :: FromDevice(p1) -> Foo('a, (b', \"c, 'd\", 'e\\\\') -> Discard\n" > quotes.click
jqok "Click: both quote kinds protect commas and brackets (single: no escapes)" quotes.click \
	'.atoms[1].args == ["'"'"'a, (b'"'"'", "\"c, '"'"'d\"", "'"'"'e\\'"'"'"]'
cat > define.click <<'X'
define($dev p1, $mac 02:00:00:00:00:01)
define($pair $dev-${mac})
in :: FromDevice($dev) -> Foo($pair, "$dev", '$dev', \$dev) -> Discard
X
jqok "Click: define(\$name value), \$name and \${name}, not inside '...'" define.click \
	'.atoms[0].args == ["p1"] and .atoms[1].args == ["p1-02:00:00:00:00:01", "\"p1\"", "'"'"'$dev'"'"'", "\\$dev"]'
printf 'require(package "x", linuxmodule); provide(y)\nin :: FromDevice(p1) -> Discard\n' > req.click
expect "Click: require(...) is accepted and ignored with a note" 0 "req.click: ok: 2 atoms" \
	"req.click:1:1: note: require(...) ignored" -- "$CTL" check req.click
cat > comp.click <<'X'
elementclass Pass { input -> output }
elementclass Two { $a, KEY $b |
  input -> x :: Foo($a) -> output
  input [1] -> y :: Foo($b) -> [1] output
  inner :: { input -> Counter -> output }
  x [1] -> inner -> Discard
}
in :: FromDevice(p1) -> c :: Classifier(a, b)
t :: Two(one, KEY two)
c [0,1] => t => p :: Pass, Discard
p -> out :: ToDevice(p2)
in2 :: FromDevice(p2) -> { input -> output; input [1] -> Counter -> [1] output } -> Discard
X
jqok "Click: compound elements flatten with outer/inner names" comp.click \
	"$(names) == [\"in\",\"c\",\"t/x\",\"t/y\",\"t/inner/counter@1\",\"t/discard@4\",\"discard@5\",\"out\",\"in2\",\"compound@8/counter@1\",\"discard@9\"]"
jqok "Click: compound ports (input [1], [1] output, pass-through, unused)" comp.click \
	"$(edge) | sort == [\"c [0] -> [0] t/x\",\"c [1] -> [0] t/y\",\"in [0] -> [0] c\",\"in2 [0] -> [0] discard@9\",\"t/inner/counter@1 [0] -> [0] t/discard@4\",\"t/x [0] -> [0] out\",\"t/x [1] -> [0] t/inner/counter@1\",\"t/y [0] -> [0] discard@5\"]"
jqok "Click: formals bind by position and by keyword" comp.click \
	'(.atoms | map(select(.type == "foo") | .args[0])) == ["one", "two"]'
cat > scope.click <<'X'
elementclass Counter { input -> Counter -> Strip(1) -> output }
elementclass Q Counter
in :: FromDevice(p1) -> Q -> Discard
X
jqok "Click: classes are not recursive; 'elementclass A B' is a synonym" scope.click \
	'.atoms | map(.type) == ["fromdevice","counter","strip","discard"]'
printf 'in :: FromDevice(p1) -> c :: Classifier(a, b, c)\nc [0, 1] => [1, 0] d :: Foo\nc [2] -> x :: Foo => [0-1] y :: Bar\n' > many.click
jqok "Click: '=>' with port lists and ranges connects pairwise" many.click \
	"$(edge) | sort == [\"c [0] -> [1] d\",\"c [1] -> [0] d\",\"c [2] -> [0] x\",\"in [0] -> [0] c\",\"x [0] -> [0] y\",\"x [1] -> [1] y\"]"
L=$(printf 'x%.0s' {1..120})
printf 'in :: FromDevice(p1) -> Foo(%s   // a comment\n        %s /* more */\n    , %s          ) -> Discard\n' "$L" "$L" "$(printf 'y%.0s' {1..250})" > long.click
jqok "Click: an argument over lines is folded (not refused); trailing spaces don't count" long.click \
	".atoms[1].args == [\"$L $L\", \"$(printf 'y%.0s' {1..250})\"]"
printf 'x :: Foo -> y :: Bar;\n' > syn.click
expect "check --syntax: any element names, no entry-atom rule" 0 "syn.click: syntax ok: 2 elements, 1 connection" "" -- \
	"$CTL" check --syntax syn.click
expect "check without --syntax applies CLICK-UP's rules" 1 "" "syn.click: no entry atom" -- "$CTL" check syn.click
expect "flatten prints the flat DAG in the Click language" 0 "t/inner/counter@1 :: counter;" "" -- "$CTL" flatten comp.click

cat > implied.click <<'X'
elementclass A {
  [0] -> c :: Counter -> [0];
  [1] -> [1]
  [2] -> Strip(1) -> output
}
in :: FromDevice(p1) -> cl :: Classifier(a, b, c)
cl => [0-2] a :: A
a [0,1] => Discard, Discard
X
jqok "Click: implied input and output in a body ('[0] -> x -> [0]', '[1] -> [1]')" implied.click \
	"$(edge) | sort == [\"a/c [0] -> [0] discard@4\",\"a/strip@2 [0] -> [0] discard@4\",\"cl [0] -> [0] a/c\",\"cl [1] -> [0] discard@5\",\"cl [2] -> [0] a/strip@2\",\"in [0] -> [0] cl\"]"

cat > group.click <<'X'
x :: FromDevice(p1); y :: ToDevice(p2)
x -> c :: Classifier(00/01, -)
c [0, 1] => [0, 1] ( [0] -> [0]; [1] -> z :: Paint(1) -> [0] ) -> y
z2 :: FromDevice(p2) -> ( input -> Counter -> output ) -> z3 :: Discard
z2 [1] -> z3; z2 [1] -> z3        // a connection may be repeated
X
jqok "Click: element groups '( ... )' share the enclosing names; repeated connections are one" group.click \
	"$(edge) | sort == [\"c [0] -> [0] y\",\"c [1] -> [0] z\",\"counter@6 [0] -> [0] z3\",\"x [0] -> [0] c\",\"z [0] -> [0] y\",\"z2 [0] -> [0] counter@6\",\"z2 [1] -> [0] z3\"]" --syntax

perr "connectiontunnel" ct.click "ct.click:1:1: 'connectiontunnel' is not supported" $'connectiontunnel a -> b\n'
perr "overloaded elementclass" ov.click "ov.click:1:34: elementclass overloading ('||') is not supported" \
	$'elementclass A { input -> output || input -> Counter -> output }\n'
perr "variable-length formals" va.click "va.click:1:18: variable-length formals ('...') are not supported" \
	$'elementclass A { ... | input -> output }\nin :: FromDevice(p1) -> A -> Discard\n'
perr "unterminated element group" eg.click "eg.click:2:1: expected ')', found end of file" \
	$'in :: FromDevice(p1) -> ( input -> output\n'
perr "input outside a compound" io.click "io.click:1:1: 'input' is only meaningful inside a compound element" \
	$'input -> Discard\n'
perr "output used as a source" os.click "os.click:1:27: 'output' has no outputs inside its compound" \
	$'elementclass A { input -> output -> Discard }\nin :: FromDevice(p1) -> A\n'
perr "unterminated compound" uu.click "uu.click:1:16: unterminated '{'" $'elementclass A { input -> output\n'
perr "stray '}'" sb.click "sb.click:1:1: expected an element, found '}'" $'}\n'
perr "undefined variable" uv.click "uv.click:1:29: undefined variable '\$nope'" \
	$'in :: FromDevice(p1) -> Foo($nope) -> Discard\n'
perr "variable as an element" ve.click "ve.click:1:25: a variable cannot name an element" \
	$'in :: FromDevice(p1) -> $x\n'
perr "bad define" bd.click "bd.click:1:8: define: expected '\$name value'" $'define(x 1)\n'
perr "compound arguments miscounted" ca.click "ca.click:2:30: 'A' takes 1 argument, got 2" \
	$'elementclass A { $x | input -> Foo($x) -> output }\nin :: FromDevice(p1) -> A(1, 2) -> Discard\n'
perr "arguments to a class without formals" cn.click "cn.click:1:18: 'A' takes no arguments" \
	$'elementclass A { input -> output }\nin :: FromDevice(p1) -> A(1) -> Discard\n'
perr "compound bodies do not see outer elements" cs.click "cs.click:2:27: unknown element 'out'" \
	$'out :: ToDevice(p2)\nelementclass A { input -> out }\nin :: FromDevice(p1) -> A\n'
perr "'=>' between single elements" ms.click "ms.click:1:22: '=>' between two single elements needs explicit ports" \
	$'in :: FromDevice(p1) => Discard\n'
perr "'=>' with unequal lists" mu.click "mu.click:2:9: '=>' connects 2 outputs to 3 inputs" \
	$'in :: FromDevice(p1) -> c :: Classifier(a, b)\nc [0,1] => Discard, Discard, Discard\n'
perr "'->' between two lists" ml.click "ml.click:2:6: '->' between two element lists" \
	$'a, b :: FromDevice(p1)\na, b -> Discard, Discard\n'
perr "compound name too long in flat names" cl.click "cl.click:1:27: name 'abcdefghijabcdefghijabcd/stripper' longer than 31 characters" \
	$'elementclass A { input -> stripper :: Strip(1) -> output }\nabcdefghijabcdefghijabcd :: A\n'

# ---- the corpus (tests/click/) ---------------------------------------------
CORPUS=$HERE/click
for f in router nat-gateway tunnel; do
	if "$CTL" check --syntax "$CORPUS/$f.click" > /dev/null 2>&1 &&
	   "$CTL" flatten "$CORPUS/$f.click" 2> /dev/null | cmp -s - "$CORPUS/$f.flat"; then
		ok "corpus: $f.click parses and flattens to $f.flat"
	else
		nok "corpus: $f.click" "$("$CTL" flatten "$CORPUS/$f.click" 2>&1 | diff - "$CORPUS/$f.flat" | head -20)"
	fi
done
for f in firewall nat; do
	if "$CTL" check "$CORPUS/$f.click" > /dev/null &&
	   [ "$(canon "$CORPUS/$f.click")" = "$(canon "$HERE/../../dts/$f.click")" ]; then
		ok "corpus: $f.click (compounds) is the same DAG as dts/$f.click"
	else
		nok "corpus: $f.click vs dts/$f.click" "$(diff <(canon "$CORPUS/$f.click") <(canon "$HERE/../../dts/$f.click"))"
	fi
done
"$CTL" flatten "$CORPUS/firewall.click" > ff.click && "$CTL" check ff.click > /dev/null &&
	[ "$(canon ff.click)" = "$(canon "$CORPUS/firewall.click")" ] &&
	ok "corpus: flatten output is itself a loadable file of the same DAG" ||
	nok "flatten output re-parses" "$(cat ff.click)"

# ---- stdin and format detection ------------------------------------------
expect "stdin: edge list detected" 0 "<stdin>: ok: 11 atoms, 12 edges, 2 entries" "" -- \
	bash -c "'$CTL' check - < '$SEED/type_create.txt'"
expect "stdin: Click detected" 0 "<stdin>: ok: 9 atoms" "" -- \
	bash -c "'$CTL' check - < rt.click"
expect "stdin: errors say <stdin>" 1 "" "<stdin>:3:8: expected an element, found '->'" -- \
	bash -c "printf '// x\nin1 :: FromDevice(p1);\nin1 -> -> out2;\n' | '$CTL' check -"
cp "$SEED/type_create.txt" noext
expect "no extension: edge list detected by content" 0 "noext: ok: 11 atoms" "" -- \
	"$CTL" check noext
expect "convert from stdin" 0 "fromdevice@1 :: fromdevice(p1);" "" -- \
	bash -c "'$CTL' convert - < '$SEED/type_create.txt'"
expect "missing file" 1 "" "nosuch.click: No such file or directory" -- \
	"$CTL" check nosuch.click

# ---- JSON escaping -------------------------------------------------------
printf 'in :: FromDevice(p1) -> Foo("q\\"uote", back\\slash, "tab\there", caf\xc3\xa9) -> Discard;\n' > j.click
"$CTL" check j.click -j > j.json 2> err.txt
if jq -e '.atoms[1].args == ["\"q\\\"uote\"", "back\\slash", "\"tab\there\"", "café"]' j.json > /dev/null &&
   grep -qF '"\"tab\there\""' j.json; then
	ok "JSON: quotes, backslashes, control characters escaped; UTF-8 kept"
else
	nok "JSON escaping" "$(cat j.json err.txt)"
fi
expect "-j may come before the file" 0 '"nr_entries":2' "" -- \
	"$CTL" check -j "$SEED/type_create.txt"

# ---- usage ---------------------------------------------------------------
expect "usage: no command" 1 "" "usage:" -- "$CTL"
expect "usage: unknown command" 1 "" "unknown command 'frob'" -- "$CTL" frob
expect "usage: missing argument" 1 "" "usage: clickupctl create [--no-modload] NE FILE" -- "$CTL" create fw
expect "usage: extra argument" 1 "" "usage: clickupctl check [--syntax] FILE" -- "$CTL" check a b
expect "usage: unknown option" 1 "" "unknown option '-x'" -- "$CTL" show -x
expect "help" 0 "clickupctl upgrade [--no-modload] NE FILE" "" -- "$CTL" --help

# ---- batch (offline commands) --------------------------------------------
printf '# comment\ncheck %s\n\ncheck rt.click\n' "$SEED/type_update.txt" > b.txt
expect "batch: runs every line" 0 "rt.click: ok: 9 atoms" "" -- "$CTL" batch b.txt
printf 'check rt.click\ncheck cy.click\ncheck rt.click\n' > b2.txt
expect "batch: stops at the first failure, says where" 1 "" \
	"clickupctl: batch: b2.txt:2: command failed" -- "$CTL" batch b2.txt

# ---- options, help, exit codes (iproute2 manners) -------------------------
expect "-j before the command" 0 '"nr_entries":1' "" -- "$CTL" -j check req.click
if "$CTL" -p check req.click 2> /dev/null | jq -e '.nr_atoms == 2' > /dev/null &&
   [ "$("$CTL" -p check req.click 2> /dev/null | wc -l)" -gt 10 ] &&
   "$CTL" check req.click -p 2> /dev/null | grep -q '^    "atoms": \['; then
	ok "-p: indented JSON (implies -j), before or after the command"
else
	nok "-p" "$("$CTL" -p check req.click 2>&1 | head -5)"
fi
expect "-V: version and features" 0 "features: libnl" "" -- "$CTL" -V
expect "--version after a command" 0 "clickupctl " "" -- "$CTL" show --version
expect "help: every command" 0 "clickupctl flatten FILE" "" -- "$CTL" help
expect "help COMMAND" 0 "usage: clickupctl [OPTIONS] check [--syntax] FILE" "" -- "$CTL" help check
expect "COMMAND -h" 0 "usage: clickupctl [OPTIONS] show [NE]" "" -- "$CTL" show -h
expect "state -h lists the subcommands" 0 "clickupctl state restore NE FILE" "" -- "$CTL" state -h
expect "state SUB -h" 0 "usage: clickupctl state delete TABLE [PROTO SADDR:SPORT DADDR:DPORT]" "" -- \
	"$CTL" state delete --help
expect "help state SUB" 0 "usage: clickupctl state save NE FILE" "" -- "$CTL" help state save
expect "usage: --syntax is check's option only" 1 "" "unknown option '--syntax'" -- "$CTL" flatten --syntax x
expect "usage: -n without a name" 1 "" "option '-n' needs a namespace name" -- "$CTL" check x -n
expect "-n: a namespace that does not exist" 1 "" \
	"clickupctl: netns: cannot open /run/netns/clickup-no-such-ns: No such file or directory" -- \
	"$CTL" -n clickup-no-such-ns show
expect "-- ends the options" 1 "" "-j: No such file or directory" -- "$CTL" check -- -j
mkdir -p "dir with space"
cp req.click "dir with space/it's.click"
printf '%s\n' "check \"dir with space/it's.click\"" "check 'dir with space'/it\\'s.click  # comment" \
	"-j check dir\\ with\\ space/it\\'s.click" > q.batch
expect "batch: words split as a shell does (quotes, backslashes, #)" 0 '"nr_atoms":2' "" -- "$CTL" batch q.batch
printf 'check req.click\n' > j.batch
expect "batch: -j given to batch holds for every line" 0 '"nr_atoms":2' "" -- "$CTL" -j batch j.batch
printf 'help check\nstate show -h\n' > h.batch
expect "batch: help and -h in batch lines" 0 "usage: clickupctl state show TABLE" "" -- "$CTL" batch h.batch
printf 'check "unterminated\n' > uq.batch
expect "batch: an unterminated quote is an error with its line" 1 "" \
	"clickupctl: batch: uq.batch:1: unterminated \" quote" -- "$CTL" batch uq.batch
printf 'check req.click\n-n x show\n' > nb.batch
expect "batch: -n is not allowed in a batch line" 1 "" "not allowed in batch lines" -- "$CTL" batch nb.batch

# completion: stubs stand in for the bash-completion package
comp() {
	bash -c '_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
		_filedir() { COMPREPLY=(FILE); }
		. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _clickupctl; echo "${COMPREPLY[*]}"' \
		"$HERE/../clickupctl.bash-completion" "$@"
}
if [ "$(comp clickupctl -j st)" = state ] && [ "$(comp clickupctl state re)" = restore ] &&
   [ "$(comp clickupctl -n x check "")" = FILE ] && [ "$(comp clickupctl check --s)" = --syntax ]; then
	ok "bash completion: commands, state subcommands, files, options after -n"
else
	nok "bash completion" "$(comp clickupctl -j st) / $(comp clickupctl state re) / $(comp clickupctl -n x check "")"
fi
# make install DESTDIR=... gives a usable tree
if make -s -C "$HERE/.." install DESTDIR="$T/root" PREFIX=/usr > inst.log 2>&1 &&
   "$T/root/usr/sbin/clickupctl" -V | grep -q '^clickupctl ' &&
   [ -f "$T/root/usr/share/bash-completion/completions/clickupctl" ] &&
   man -l "$T/root/usr/share/man/man8/clickupctl.8" 2> /dev/null | grep -q "EXIT STATUS"; then
	ok "make install DESTDIR=... PREFIX=/usr: binary, man page, completion"
else
	nok "make install" "$(cat inst.log)" "$(find "$T/root" 2>&1)"
fi

# ---- netlink without clickup.ko ------------------------------------------
if [ -d /sys/module/clickup ]; then
	skip "no family: clear error" "clickup.ko is loaded here"
else
	expect "no family: create says so, exit 2" 2 "" \
		"clickupctl: genl family 'clickup' not found: is clickup.ko loaded?" -- \
		"$CTL" create fw "$SEED/type_create.txt"
	expect "no family: show says so, exit 2" 2 "" \
		"clickupctl: genl family 'clickup' not found: is clickup.ko loaded?" -- \
		"$CTL" show -j
fi
expect "create validates before talking to the kernel" 1 "" \
	"cy.click:2:8: cycle through atom 'a'" -- "$CTL" create fw cy.click

# extack decoding against the running kernel's nlctrl (capped and not)
if [ -x "$HERE/nl_extack" ]; then
	out=$("$HERE/nl_extack" 2>&1)
	if [ "$(echo "$out" | grep -c 'err=22 offs=20 want=20 msg=Attribute failed policy validation')" = 2 ]; then
		ok "extack: message and offset decoded (capped and full acks)"
	else
		nok "extack decoding" "$out"
	fi
else
	skip "extack decoding" "tests/nl_extack not built (make test builds it)"
fi

# 277 bpf atoms of 236 bytes fit 64 KiB only without their fd attributes
X=$(printf 'x%.0s' {1..199})
{ echo "in :: FromDevice(p1);"; for i in $(seq 1000 1276); do echo "b$i :: bpf($X);"; done; } > fd.click
expect "the size check counts the fd attribute of bpf atoms" 1 "" \
	"DAG too large" -- "$CTL" check fd.click
sed 's/:: bpf(/:: bpg(/' fd.click > nofd.click
expect "... which is what makes that DAG too large" 0 "nofd.click: ok: 278 atoms" "" -- \
	"$CTL" check nofd.click

# ---- input limits and bounds -----------------------------------------------
expect "check /dev/zero fails at once (size cap)" 1 "" \
	"/dev/zero: larger than 4 MiB: not a DAG file" -- timeout 10 "$CTL" check /dev/zero
{ echo "in :: FromDevice(p1) -> Discard;"; head -c $((5 << 20)) /dev/zero | tr '\0' ' '; } > huge.click
expect "a 5 MiB file is refused" 1 "" "huge.click: larger than 4 MiB" -- "$CTL" check huge.click
if [ -x "$HERE/parse_bounds" ]; then
	out=$("$HERE/parse_bounds" 2>&1)
	if [ $? = 0 ] && ! grep -qv '^ok' <<< "$out"; then
		ok "parsers never read past the text's end ($(grep -c . <<< "$out") texts before a guard page)"
	else
		nok "parsers read past the end" "$out"
	fi
else
	skip "parse bounds" "tests/parse_bounds not built (make test builds it)"
fi

if [ -x "$HERE/put_dag" ]; then
	out=$("$HERE/put_dag" 2>&1) && ok "${out#ok - }" || nok "put_dag past 64 KiB" "$out"
else
	skip "put_dag past 64 KiB" "tests/put_dag not built (make test builds it)"
fi

echo "1..$n"
[ "$failed" = 0 ]
