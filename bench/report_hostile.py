#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Part hostile of the bench report: the comparison tables that
selftests/hostile_tcp.sh and hostile_nat.sh print at their end (CLICK-UP
and nftables + conntrack on the same hostile traffic, one VM), as
markdown. Used by report.py; `report_hostile.py DIR` prints them."""
import os
import re
import sys

TESTS = [
    ("hostile_tcp", "TCP against `dts/firewall.click` (policy strict) and a bridge with nftables + conntrack"),
    ("hostile_nat", "NAT: `selftests/dags/nat_gw.click` and an nftables masquerade gateway"),
]
ROW = re.compile(r"^(?:# )+\|?(.*\|.*?)\|?\s*$")


def rows(path):
    """The table's rows, each a list of cells; separator rows dropped."""
    out = []
    for line in open(path, errors="replace") if os.path.exists(path) else []:
        m = ROW.match(line.rstrip("\n"))
        if not m:
            continue
        cells = [c.strip() for c in m.group(1).rstrip("| ").split("|")]
        if all(re.fullmatch(r"-*", c) for c in cells):
            continue
        if out or cells[0] == "case":   # rows from the table's header on
            out.append(cells)
    return out


def verdict(path):
    """'passed' / 'FAILED (n checks)' from the test's TAP-ish lines."""
    if not os.path.exists(path):
        return None
    text = open(path, errors="replace").read()
    bad = len(re.findall(r"^# not ok ", text, flags=re.M))
    took = re.search(r"took (\d+) s", text)
    s = "passed" if bad == 0 and re.search(r"^exit 0$", text, flags=re.M) else "FAILED (%d checks)" % bad
    return s + (", %s s" % took.group(1) if took else "")


def table(d):
    md = []
    for name, title in TESTS:
        r = rows(os.path.join(d, name + ".txt"))
        if not r:
            continue
        md.append("**%s** (`%s.sh`: %s)\n" % (title, name, verdict(os.path.join(d, name + ".txt"))))
        md.append("| " + " | ".join(r[0]) + " |")
        md.append("|" + "---|" * len(r[0]))
        md += ["| " + " | ".join(c) + " |" for c in r[1:]]
        md.append("")
    return "\n".join(md)


if __name__ == "__main__":
    print(table(sys.argv[1] if len(sys.argv) > 1 else "build/bench/results"))
