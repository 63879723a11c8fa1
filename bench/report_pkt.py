#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Part pkt of the bench report (bench/pkt.sh's pkt.jsonl, perf-pkt-*.txt):
a table of ns per packet, per-round paired ratios, the profiles and a
plot. Used by report.py; `report_pkt.py DIR` prints the tables."""
import bisect
import json
import os
import re
import statistics
import subprocess
import sys

CONFIGS = [
    ("bridge", "(a) Linux bridge, no hook"),
    ("cu-bridge", "(a') CLICK-UP bridge.click (4 atoms)"),
    ("nft-fwd", "(a'') nftables netdev ingress, `fwd to p2`"),
    ("firewall", "(b) CLICK-UP firewall.click, established flow"),
    ("nft-ct", "(c) nftables bridge + conntrack (fw0.nft), established"),
    ("nft-bridge", "(c') nftables bridge, same rules stateless"),
    ("nft-ingress", "(c'') nftables netdev ingress, stateless rules + fwd"),
    ("element45", "(d) CLICK-UP element45.click, established flow"),
    ("nat", "(e) CLICK-UP nat.click, established mapping"),
]
# (configuration, counterpart): the comparisons the issue asks for
PAIRS = [("cu-bridge", "nft-fwd"), ("firewall", "nft-ct"), ("firewall", "nft-ingress"),
         ("firewall", "nft-bridge"), ("element45", "cu-bridge"), ("element45", "nft-ct")]
IDLE = re.compile(r"native_safe_halt|default_idle|cpuidle|do_idle|acpi_idle|mwait")


def runs(d):
    p = os.path.join(d, "pkt.jsonl")
    out = []
    for line in open(p) if os.path.exists(p) else []:
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j.get("res") and j["res"].get("ns_per_packet"):
            out.append(j)
    return out


def samples(d, raw=False):
    """{config: {round: ns per packet}}: the fastest of the run's slices
    (xdpinject CHUNKS: the host's load only adds time; the least disturbed
    slice is the path's own cost); raw: their 10th percentile."""
    by = {}
    for j in runs(d):
        r = j["res"]
        v = r["ns_per_packet"] if raw else r.get("min", r["ns_per_packet"])
        by.setdefault(j["config"], {})[j["round"]] = v
    return by


def forwarded(d):
    """Per configuration, the smallest share of the injected packets that
    reached the sink (s0 rx) in a run: 1.0 when the path forwarded all."""
    p = os.path.join(d, "pkt.jsonl")
    out = {}
    for line in open(p) if os.path.exists(p) else []:
        try:
            j = json.loads(line)
            f = (j["fwd1"][1] - j["fwd0"][1]) / j["res"]["repeat"]
        except (ValueError, KeyError, TypeError, IndexError):
            continue
        out[j["config"]] = min(out.get(j["config"], f), f)
    return out


def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


def paired(by, a, b):
    """a/b per round (same round: same host load), sorted."""
    return sorted(by[a][r] / by[b][r] for r in by.get(a, {}) if r in by.get(b, {}))


def table(d):
    by = samples(d)
    if not by:
        return ""
    meta = {}
    p = os.path.join(d, "pkt-meta.json")
    if os.path.exists(p):
        meta = json.load(open(p))
    fw = forwarded(d)
    raw = samples(d, raw=True)
    out = ["| configuration | ns / packet, median of rounds | min–max | IQR, % of median "
           "| ÷ (a), median of rounds [min–max] | slices' p10, min–max | reached s0 |",
           "|---" * 7 + "|"]
    for cfg, name in CONFIGS:
        v = sorted(by.get(cfg, {}).values())
        if not v:
            continue
        m = statistics.median(v)
        r = paired(by, cfg, "bridge")
        rv = sorted(raw.get(cfg, {}).values())
        out.append("| %s | **%.0f** | %.0f–%.0f | %.1f %% | %s | %.0f–%.0f | %s |" % (
            name, m, v[0], v[-1], 100 * (q(v, .75) - q(v, .25)) / m,
            "%.2fx [%.2f–%.2f]" % (statistics.median(r), r[0], r[-1]) if r else "-",
            rv[0], rv[-1], "%.0f %%" % (100 * fw[cfg]) if cfg in fw else "?"))
    out += ["", "Paired ratios (each round's two figures divided, then the median and "
            "range over the rounds):", "",
            "| comparison | ratio, median [min–max] | target |", "|---|---|---|"]
    targets = {("firewall", "nft-ct"): "≤ 1.0x", ("element45", "cu-bridge"): "≤ 2x"}
    names = dict(CONFIGS)
    for a, b in PAIRS:
        r = paired(by, a, b)
        if r:
            out.append("| %s ÷ %s | %.2fx [%.2f–%.2f] | %s |" % (
                names[a].split(" ", 1)[1].split(",")[0], names[b].split(" ", 1)[1].split(",")[0],
                statistics.median(r), r[0], r[-1], targets.get((a, b), "")))
    n = max(len(v) for v in by.values())
    ic = os.path.exists(os.path.join(d, "pkt-vm.json"))
    out.append("\n(%d rounds; %s packets per run in %s slices, each one BPF_PROG_RUN; a run's "
               "figure is its fastest slice's ns/packet%s)" % (
                   n, meta.get("pkts", "?"), meta.get("chunks", "?"),
                   "; qemu `-icount shift=0`" if ic else ""))
    return "\n".join(out) + "\n"


KERNEL_START = 0xffff800000000000


def kallsyms(d):
    """(sorted addresses, names) of the run's kernel and module text."""
    p = os.path.join(d, "kallsyms.txt")
    syms = []
    if os.path.exists(p):
        for line in open(p):
            f = line.split()
            if len(f) >= 3:
                syms.append((int(f[0], 16), f[2] + (" " + f[3] if len(f) > 3 else "")))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def module_of(sym):
    """The share a symbol counts to: CLICK-UP (core and atoms), a
    netfilter or bridge module, user space, or the kernel proper."""
    m = re.search(r"\[(\w+)\]$", sym)
    if sym == "(user space)":
        return "user space"
    if not m:
        return "kernel"
    mod = m.group(1)
    if mod == "clickup" or mod.startswith("clickup_atom_"):
        return "CLICK-UP"
    return mod


def by_module(rows, busy):
    g = {}
    for v, s in rows:
        if not IDLE.search(s):
            g[module_of(s)] = g.get(module_of(s), 0) + v
    return ", ".join("%s %.1f %%" % (k, 100 * v / busy)
                     for v, k in sorted(((v, k) for k, v in g.items()), reverse=True)
                     if 100 * v / busy >= 0.5)


def symbol_counts(p, addrs, names):
    """({symbol: samples}, total, by_address) of a perf-*.txt of "COUNT
    ADDRESS" lines (the sampled addresses, counted), named with the run's
    kallsyms. Files of runs before 2026-11-30 (part 3) hold perf report's
    "12.3%  [k] symbol" lines instead: percentages of a total of 100,
    named by perf, module text unnamed (by_address False)."""
    by, total, by_address = {}, 0, True
    for line in open(p):
        m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)
        if m:
            sym = m.group(3) if m.group(2) in "kK" else "(user space)"
            by[sym] = by.get(sym, 0) + float(m.group(1))
            total, by_address = 100, False
            continue
        f = line.split()
        if len(f) != 2 or not f[0].isdigit():
            continue
        a = int(f[1], 16)
        if a < KERNEL_START:
            sym = "(user space)"
        else:
            i = bisect.bisect_right(addrs, a) - 1
            sym = names[i] if i >= 0 else f[1]
        by[sym] = by.get(sym, 0) + int(f[0])
        total += int(f[0])
    return by, total, by_address


def profile(p, addrs, names, ntop):
    """One perf-*.txt summed up: the idle share of all its samples, and a
    text of the ntop busiest symbols and then the modules (when the
    samples are addresses), as shares of the non-idle samples."""
    by, total, by_address = symbol_counts(p, addrs, names)
    rows = sorted(((v, s) for s, v in by.items()), reverse=True)
    busy = sum(v for v, s in rows if not IDLE.search(s)) or 1
    idle = sum(v for v, s in rows if IDLE.search(s))
    top = [(v, s) for v, s in rows if not IDLE.search(s)][:ntop]
    text = ", ".join("`%s` %.1f %%" % (s, 100 * v / busy) for v, s in top)
    if by_address:
        text += "; by module: " + by_module(rows, busy)
    return 100 * idle / (total or 1), text if top else ""


def profiles(d):
    addrs, names = kallsyms(d)
    o = []
    for cfg, name in CONFIGS:
        p = os.path.join(d, "perf-pkt-%s.txt" % cfg)
        if not os.path.exists(p):
            continue
        _, text = profile(p, addrs, names, 12)
        if text:
            o.append("- **%s**: %s" % (name.split(" ", 1)[1], text))
    if not o:
        return ""
    return ("Profile (`perf record -e cpu-clock -a`, one injection run per configuration; "
            "shares of the non-idle samples, the top symbols and then by module (CLICK-UP: its "
            "core and atom modules; `kernel`: the kernel proper, which includes the injector's "
            "page handling that every configuration pays):\n\n" +
            "\n".join(o) + "\n")


def plot(d, img):
    by = samples(d)
    if not by:
        return
    pd = os.path.join(d, "plot")
    os.makedirs(pd, exist_ok=True)
    with open(os.path.join(pd, "pkt.dat"), "w") as f:
        i = 0
        for cfg, name in CONFIGS:
            v = sorted(by.get(cfg, {}).values())
            if v:
                f.write('%d "%s" %.1f %.1f %.1f\n' % (i, name.split(" ", 1)[0] + " " + cfg,
                                                     statistics.median(v), v[0], v[-1]))
                i += 1
    subprocess.run(["gnuplot"], text=True, check=True, input="""set terminal pngcairo size 960,520 font ",11"
set output "%s/bench-pkt.png"
set title "Packet path, ns per packet in the kernel (XDP live frames into p1; median, bars min-max of rounds)"
set ylabel "ns / packet (qemu TCG)"
set style fill solid 0.6
set boxwidth 0.6
set grid ytics
set yrange [0:*]
set xtics rotate by -30
unset key
plot "%s/pkt.dat" u 1:3:xtic(2) w boxes lc rgb "#1f77b4", "" u 1:3:4:5 w yerrorbars lc rgb "black" pt 0
""" % (img, pd))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(table(sys.argv[1]))
    print(profiles(sys.argv[1]))
