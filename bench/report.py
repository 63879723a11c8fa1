#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tables, plots and docs/results.md's bench section from bench/inside.sh's
results (build/bench/results/).

    report.py tables DIR                 markdown tables (stdout)
    report.py plot DIR IMGDIR            DIR/plot/*.dat, IMGDIR/bench-*.png
    report.py markdown DIR IMGDIR MD     the bench section of MD (between
                                         <!-- bench:begin/end --> markers)
    report.py markdown-part DIR IMGDIR MD PART
                                         only PART's text (upgrade, pkt)
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys

import report_hostile
import report_pkt

MODES = [("clickup", "CLICK-UP (autoload: clickupctl, libkmod)"),
         ("kautoload", "CLICK-UP (autoload: kernel, modprobe)"),
         ("preloaded", "CLICK-UP (preloaded)"),
         ("native", "native reload"),
         ("nft", "nft -f via a long-lived libnftables process"),
         ("nft_lib", "nft -f in-process (libnftables, no pipe)")]
CONFIGS = [("bridge", "(a) Linux bridge, no rules"),
           ("cu-bridge", "(a') CLICK-UP bridge.click (4 atoms)"),
           ("firewall", "(b) CLICK-UP firewall.click"),
           ("nft", "(c) bridge + nftables ruleset"),
           ("element45", "(d) CLICK-UP element45.click")]


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    try:
        return json.load(open(p))
    except ValueError:
        return None


def q(v, p):
    v = sorted(v)
    if not v:
        return float("nan")
    return v[min(len(v) - 1, int(p * len(v)))]


def med(v):
    return statistics.median(v) if v else float("nan")


def ms(x):
    if x != x:
        return "-"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def mp(v):
    """'median / p99' in ms."""
    return "%s / %s" % (ms(med(v)), ms(q(v, 0.99)))


def walls(samples):
    return [s["wall_ms"] for s in samples]


def kern(samples, k="total_ns"):
    return [s["kernel_us"].get(k, float("nan")) / 1e3 for s in samples if "kernel_us" in s]


# ---- part 1 -----------------------------------------------------------------

def upgrade_tables(d):
    u = load(d, "upgrade.json")
    if not u:
        return "*(no upgrade results)*\n"
    out = []
    out.append("Wall time seen by the caller, **median / p99 in ms** (%d runs per cell, native "
               "manner %d):\n" % (u["runs"], u["native_runs"]))
    out.append("| new atom types | " + " | ".join(m[1] for m in MODES) +
               " | native ÷ preloaded | native ÷ autoload (libkmod) | kernel autoload ÷ libkmod "
               "| nft ÷ preloaded |")
    out.append("|---" * (len(MODES) + 5) + "|")
    for c in u["cases"]:
        row = [label(c)] + [mp(walls(c.get(m, []))) for m, _ in MODES]
        nat = med(walls(c.get("native", [])))
        row += [ratio("%.0fx", nat, med(walls(c["preloaded"]))),
                ratio("%.1fx", nat, med(walls(c.get("clickup", [])))),
                ratio("%.1fx", med(walls(c.get("kautoload", []))), med(walls(c.get("clickup", [])))),
                ratio("%.2fx", med(walls(c["nft"])), med(walls(c["preloaded"])))]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append(nft_md(u))
    out.append("")
    out.append("The kernel's own times (the reply of `create`/`upgrade -j`), **median / p99 in ms**, "
               "and the user-space share (`check FILE` in the same batch: reading and parsing the "
               "file, the pipe round trip, no kernel):\n")
    out.append("| new atom types | libkmod: loading in user space | libkmod: kernel total "
               "| kernel autoload: kernel total | of which load (modprobe) | preloaded: kernel "
               "total | of which instantiate | preloaded: modload_ns (type dump, loads) "
               "| native: create (kernel) | native ÷ preloaded, kernel | `check` (user space) |")
    out.append("|---" * 11 + "|")
    for c in u["cases"]:
        pre = kern(c["preloaded"])
        ka = c.get("kautoload", [])
        row = [label(c), mp(kern(c.get("clickup", []), "modload_ns")), mp(kern(c.get("clickup", []))),
               mp(kern(ka)), mp(kern(ka, "load_ns")),
               mp(pre), mp(kern(c["preloaded"], "instantiate_ns")),
               mp(kern(c["preloaded"], "modload_ns")), mp(kern(c.get("native", []))),
               ratio("%.0fx", med(walls(c.get("native", []))), med(pre)),
               mp(walls(c.get("parse", [])))]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("The native manner's steps, median ms (one process: `delete` + `state delete` "
               "through clickupctl batch, delete_module(2) of every atom module, finit_module(2) "
               "of every module the DAG needs, `create`):\n")
    out.append("| new atom types | delete + state delete | rmmod (modules) | insmod (modules) | "
               "create | total |")
    out.append("|---" * 6 + "|")
    for c in u["cases"]:
        n = c.get("native")
        if not n:
            continue
        g = lambda k: ms(med([s[k] for s in n]))
        out.append("| %s | %s | %s (%d) | %s (%d) | %s | %s |" % (
            label(c), g("delete_ms"), g("rmmod_ms"), n[0]["nrmmod"], g("insmod_ms"),
            n[0]["ninsmod"], g("create_ms"), g("wall_ms")))
    return "\n".join(out) + "\n\n" + strace_md(d) + \
        BPF_BEGIN + "\n" + bpf_md(d) + BPF_END + "\n"


# part bpf's table sits inside part 1's text, between its own markers, so
# that a run without part bpf keeps the previous one (markdown_part)
BPF_BEGIN, BPF_END = "<!-- bench-bpf:begin -->", "<!-- bench-bpf:end -->"
BPF_KEPT = "*(Part bpf was not in the run above: this table is from an earlier run.)*\n"


def ratio(fmt, a, b):
    """a / b, or '-' when a mode was not run (BENCH_UPGRADE_MODES)."""
    return fmt % (a / b) if a == a and b == b and b else "-"


def nft_md(u):
    """How nftables is timed, and what the symmetric harness changed."""
    have = [c for c in u["cases"] if c.get("nft_lib")]
    if not have:    # results of a bench.py from before nftbatch.py
        return ("nftables was timed in-process in this run (`Nftables.cmd_from_file` in "
                "bench.py, no pipe, no second process), CLICK-UP through the "
                "`clickupctl batch -` child.\n")
    o = ["nftables is timed the way CLICK-UP is: *nft -f via a long-lived libnftables "
         "process* is one `bench/nftbatch.py` child (one libnftables context) to which "
         "bench.py writes `load FILE` and reads its one reply line, as it does with "
         "`clickupctl batch -`; the wall time covers the same pipe round trip and second "
         "process for both. **nft ÷ preloaded** is computed from it."]
    o.append(" *nft -f in-process* (`Nftables.cmd_from_file` in bench.py itself, no pipe, "
             "how this part timed nftables before) in the same rounds, for comparison: "
             "in-process ÷ preloaded %s; pipe-driven ÷ in-process %s (medians)." % (
                 ", ".join("%.2fx (%s)" % (med(walls(c["nft_lib"])) /
                                           med(walls(c["preloaded"])), short(c))
                           for c in have),
                 ", ".join("%.2fx" % (med(walls(c["nft"])) / med(walls(c["nft_lib"])))
                           for c in have)))
    return "".join(o)


def short(c):
    return c["case"] if c["case"].startswith("+") else "45 atoms"


def bpf_md(d):
    """Upgrades keeping a bpf atom's object (bench.py bpfswap)."""
    b = load(d, "bpfswap.json")
    if not b:
        return ""
    out = ["\nUpgrades of `dts/bpf-split.click` that keep its BPF object (%d per mode, "
           "alternating): before issue 13 clickupctl loaded and verified the program every "
           "time (`CLICKUPCTL_BPF_RELOAD=1`); now it reuses the loaded program with the same "
           "tag. **median / p99 in ms**:\n" % b["runs"],
           "| mode | wall (caller) | kernel total |", "|---|---|---|"]
    for m, name in (("reload", "load + verify each upgrade (before)"),
                    ("reuse", "reuse by tag (now)")):
        out.append("| %s | %s | %s |" % (name, mp(walls(b[m])), mp(kern(b[m]))))
    r = med(walls(b["reload"])) / med(walls(b["reuse"]))
    out.append("\nReuse makes such an upgrade %.1fx faster (wall, medians).\n" % r)
    return "\n".join(out) + "\n"


def label(c):
    if c["case"].startswith("+"):
        return "%s (%s)" % (c["case"], ", ".join(c["new_types"]))
    return "45 atoms from scratch (17 types)"


def strace_md(d):
    """Where a preloaded swap's wall time goes: 40 upgrades in one batch
    under strace -T, per syscall, against the kernel's own total."""
    p = os.path.join(d, "strace-upgrade.txt")
    if not os.path.exists(p):
        return ""
    per = {}
    stamps = []
    for line in open(p):
        m = re.match(r"\d+\s+(\d+):(\d+):([\d.]+) (\w+)\(.*<([\d.]+)>$", line.strip())
        if not m:
            continue
        t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
        if m.group(4) in ("sendmsg", "sendto"):
            stamps.append(t)
        per.setdefault(m.group(4), []).append(float(m.group(5)) * 1e3)
    kt = []
    for line in open(os.path.join(d, "strace-upgrade.json")):
        try:
            kt.append(json.loads(line)["total_ns"] / 1e6)
        except (ValueError, KeyError):
            pass
    if len(kt) < 2 or len(stamps) < 2:
        return ""
    n = len(kt)
    rows = sorted(per.items(), key=lambda kv: -sum(kv[1]))[:6]
    # time inside syscalls per upgrade (the process start left out)
    # (median duration x calls per upgrade, summed: a typical upgrade)
    el = sum(med(v) * len(v) / n for k, v in per.items()
             if k not in ("execve", "mmap", "mprotect", "arch_prctl", "brk", "munmap")
             and len(v) >= n)
    o = ["Where a preloaded swap's time goes (`strace -T` of one `clickupctl batch` doing %d "
         "upgrades firewall ↔ fw1, the process start left out; strace's own overhead "
         "inflates the user-space part): "
         "a typical upgrade spends %.2f ms in system calls (the netlink `sendmsg`, in "
         "which the kernel does the swap synchronously, included), the kernel's own swap total "
         "%s ms (median / p99); per upgrade, by syscall (median ms per call x calls per "
         "upgrade): %s." % (n, el, mp(kt), ", ".join(
             "`%s` %s x %.0f" % (k, ms(med(v)), len(v) / n) for k, v in rows if k != "execve"))]
    return "\n".join(o) + "\n"


# ---- part 2 -----------------------------------------------------------------

def state_rows(d):
    rows = []
    for n in (0, 100000, 1000000):
        s = load(d, "state-%d.json" % n)
        lst = load(d, "statelist-%d.json" % n)
        if not s:
            continue
        t = (lst or [{}])[0]
        rest = ""
        p = os.path.join(d, "restore-%d.txt" % n)
        if os.path.exists(p):
            m = re.search(r"restore_ms (\d+)", open(p).read())
            rest = "%.1f s" % (int(m.group(1)) / 1e3) if m else ""
        rows.append({"n": n, "entries": t.get("entries", 0), "memory": t.get("memory", 0),
                     "wall": walls(s["samples"]), "kernel": kern(s["samples"]),
                     "restore": rest, "runs": s["runs"]})
    return rows


def state_table(d):
    rows = state_rows(d)
    if not rows:
        return "*(no state-size results)*\n"
    base_w, base_k = med(rows[0]["wall"]), med(rows[0]["kernel"])
    out = ["| flows in table `fw` | table memory | restore took | wall median / p99 ms | "
           "kernel total median / p99 ms | wall ÷ 0 flows | kernel ÷ 0 flows |",
           "|---" * 7 + "|"]
    for r in rows:
        out.append("| %d | %.1f MiB | %s | %s | %s | %.2fx | %.2fx |" % (
            r["entries"], r["memory"] / 2**20, r["restore"] or "-", mp(r["wall"]),
            mp(r["kernel"]), med(r["wall"]) / base_w, med(r["kernel"]) / base_k))
    return "\n".join(out) + "\n\n(%d swaps per row, alternating `dts/firewall.click` and " \
        "`dts/firewall-log.click`, modules loaded.)\n" % rows[0]["runs"]


# ---- part 3 -----------------------------------------------------------------

def path_data(d):
    res = {}
    for f in glob.glob(os.path.join(d, "path-*-*-*.json")):
        if f.endswith(".iperf.json"):
            continue
        m = load(d, os.path.basename(f))
        ip = load(d, os.path.basename(f)[:-5] + ".iperf.json") or {}
        end = ip.get("end", {})
        busy = (m["busy1"][0] - m["busy0"][0]) / m["hz"]
        fwd = (m["rx1"][2] - m["rx0"][2]) + (m["rx1"][3] - m["rx0"][3])
        dur = end.get("sum_received", end.get("sum", {})).get("seconds") or 1
        if m["proto"] == "tcp":
            tput = end.get("sum_received", {}).get("bits_per_second", 0) / 1e6
        else:
            tput = fwd / dur / 1e3      # kpps forwarded by the element
        r = res.setdefault((m["config"], m["proto"]), {"tput": [], "cpu": [], "fwd": []})
        r["tput"].append(tput)
        r["cpu"].append(busy / fwd * 1e6 if fwd else float("nan"))
        r["fwd"].append(fwd)
    return res


def path_table(d):
    p = path_data(d)
    if not p:
        return "*(no packet path results)*\n", {}
    out = ["| configuration | TCP Mbit/s | ÷ (a) | TCP CPU µs/packet | ÷ (a) | "
           "UDP kpps forwarded | ÷ (a) | UDP CPU µs/packet | ÷ (a) |",
           "|---" * 9 + "|"]
    ratios = {}
    base = {k: med(p.get(("bridge", k[0]), {}).get(k[1], [])) for k in
            [("tcp", "tput"), ("tcp", "cpu"), ("udp", "tput"), ("udp", "cpu")]}
    for cfg, name in CONFIGS:
        row = [name]
        rr = []
        for proto in ("tcp", "udp"):
            for k in ("tput", "cpu"):
                v = med(p.get((cfg, proto), {}).get(k, []))
                r = v / base[(proto, k)] if base[(proto, k)] else float("nan")
                rr.append(r)
                vs = p.get((cfg, proto), {}).get(k, [])
                spread = " (%s–%s)" % tuple(("%.0f" if k == "tput" and proto == "tcp" else
                                             "%.1f") % f(vs) for f in (min, max)) if len(vs) > 1 else ""
                row += [("%.1f" % v if k == "tput" else "%.2f" % v) + spread, "%.2f" % r]
        ratios[cfg] = rr
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n", ratios


def profile_md(d):
    addrs, names = report_pkt.kallsyms(d)
    o = []
    for cfg in ("bridge", "firewall", "nft", "element45"):
        p = os.path.join(d, "perf-%s.txt" % cfg)
        if not os.path.exists(p):
            continue
        idle, text = report_pkt.profile(p, addrs, names, 10)
        o.append("- **%s** (idle %.0f %% of samples): %s" % (
            dict(CONFIGS)[cfg].split(" ", 1)[1], idle, text))
    if not o:
        return ""
    return "\n".join(["Profile (`perf record -e cpu-clock -a` over one TCP run per "
                      "configuration; shares of the non-idle samples, the top symbols and "
                      "then by module, idle left out):\n"] + o) + "\n"


# ---- part 4 -----------------------------------------------------------------

def loss_table(d):
    out = ["| run | swaps in 10 s | swap wall median / p99 ms | sent | into the element (p1) | "
           "out of it (p2) | received | lost | longest gap at the receiver |",
           "|---" * 9 + "|"]
    any_ = False
    for mode in ("control", "swaps"):
        s = load(d, "loss-%s-send.json" % mode)
        r = load(d, "loss-%s-recv.json" % mode)
        if not s or not r:
            continue
        any_ = True
        txt = open(os.path.join(d, "loss-%s-p2.txt" % mode)).read()
        m = re.search(r"rx before ([\d ]+) after ([\d ]+)", txt)
        a = [int(x) for x in m.group(1).split()]
        b = [int(x) for x in m.group(2).split()]
        into, outof = b[0] - a[0], b[2] - a[2]
        sw = load(d, "loss-swaps.json") if mode == "swaps" else None
        out.append("| %s | %s | %s | %d | %d | %d | %d | %d | %.0f ms |" % (
            "UDP only" if mode == "control" else "UDP + swaps",
            sw["swaps"] if sw else "0", mp(sw["wall_ms"]) if sw else "-",
            s["sent"], into, outof, r["received"], s["sent"] - r["received"], r["max_gap_ms"]))
    return ("\n".join(out) + "\n") if any_ else "*(no loss results)*\n"


# ---- part 5 -----------------------------------------------------------------

def mem_md(d):
    lst = load(d, "statelist-1000000.json")
    p = os.path.join(d, "mem.txt")
    if not lst or not os.path.exists(p):
        return "*(no memory results)*\n"
    t = lst[0]
    txt = open(p).read()
    ct = re.search(r"slab nf_conntrack object_size (\d+) slab_size (\d+)", txt)
    bk = int(re.search(r"nf_conntrack_buckets (\d+)", txt).group(1))
    mx = int(re.search(r"nf_conntrack_max (\d+)", txt).group(1))
    cu = re.search(r"slab clickup_flow object_size (\d+) slab_size (\d+)", txt)
    per = t["memory"] / t["entries"]
    ctslab = int(ct.group(2)) if ct else 0
    ctper = ctslab + 8 * bk / mx
    o = ["| | per entry | how |", "|---|---|---|",
         "| CLICK-UP whitelist flow | **%.1f bytes** | `state list` memory %d B / %d entries "
         "(slab object %s B + rhashtable buckets) |" % (per, t["memory"], t["entries"],
                                                       cu.group(2) if cu else t["entry_size"]),
         "| nf_conntrack entry | **%.1f bytes** + extensions | slab `nf_conntrack` %s B "
         "(object %s B) + hash buckets 8 B x %d / max %d |" % (
             ctper, ctslab, ct.group(1) if ct else "?", bk, mx),
         "", "CLICK-UP needs %.2fx less memory per tracked TCP session than conntrack "
         "(conntrack also allocates its extension area per entry when accounting, "
         "timestamps, labels, helpers or NAT are in use, not counted here)." % (ctper / per)]
    return "\n".join(o) + "\n"


# ---- plots -----------------------------------------------------------------

def gnuplot(script):
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def plot(d, img):
    pd = os.path.join(d, "plot")
    os.makedirs(pd, exist_ok=True)
    os.makedirs(img, exist_ok=True)
    meta = load(d, "meta.json") or {}
    report_pkt.plot(d, img)
    u = load(d, "upgrade.json")
    if u:
        with open(os.path.join(pd, "upgrade.dat"), "w") as f:
            # columns: 3.. two per mode, in MODES' order, then the kernel's
            f.write("# x label " + " ".join("%s_med %s_p99" % (m, m) for m, _ in MODES) +
                    " kernel_pre_med kernel_pre_p99\n")
            for i, c in enumerate(u["cases"]):
                lab = c["case"] if c["case"].startswith("+") else "45 atoms"
                vals = []
                for m, _ in MODES:
                    w = walls(c.get(m, []))
                    vals += [med(w), q(w, .99)]
                k = kern(c["preloaded"])
                vals += [med(k), q(k, .99)]
                f.write("%d \"%s\" %s\n" % (i, lab, " ".join("%.4f" % v for v in vals)))
        gnuplot("""set terminal pngcairo size 960,680 font ",11"
set output "%s/bench-upgrade.png"
set title "Upgrade latency: N new atom types added to the firewall, or a 45-atom element from scratch\\n(median, bars to p99; %s runs each; qemu TCG, %s)"
set ylabel "ms (log scale)"
set logscale y
set yrange [0.05:20000]
set grid ytics mytics
set key below box
set xrange [-0.5:5.5]
set offsets 0,0,0,0
f = "%s/upgrade.dat"
plot f u ($1-0.3):3:3:4:xtic(2) w yerrorlines lw 2 pt 7 lc rgb "#d62728" t "CLICK-UP, new modules loaded by clickupctl (libkmod)", \\
     f u ($1-0.2):5:5:6 w yerrorlines lw 1 dt 2 pt 6 lc rgb "#ff7f0e" t "CLICK-UP, new modules autoloaded by the kernel (modprobe)", \\
     f u ($1-0.1):7:7:8 w yerrorlines lw 2 pt 5 lc rgb "#2ca02c" t "CLICK-UP, modules preloaded", \\
     f u ($1):15:15:16 w yerrorlines lw 1 dt 2 pt 4 lc rgb "#2ca02c" t "  same, kernel's own time", \\
     f u ($1+0.1):9:9:10 w yerrorlines lw 2 pt 9 lc rgb "#1f77b4" t "native: delete, rmmod/insmod all, create", \\
     f u ($1+0.2):11:11:12 w yerrorlines lw 2 pt 13 lc rgb "#9467bd" t "nft -f equivalent ruleset via a long-lived libnftables process (pipe, as CLICK-UP)", \\
     f u ($1+0.30):13:13:14 w yerrorlines lw 1 dt 2 pt 12 lc rgb "#9467bd" t "  same, libnftables in-process (no pipe)"
""" % (img, u["runs"], meta.get("date", ""), pd))
    rows = state_rows(d)
    if rows:
        with open(os.path.join(pd, "state.dat"), "w") as f:
            for i, r in enumerate(rows):
                f.write("%d \"%s\" %.4f %.4f %.4f %.4f\n" % (
                    i, "{:,}".format(r["n"]), med(r["wall"]), q(r["wall"], .99),
                    med(r["kernel"]), q(r["kernel"], .99)))
        gnuplot("""set terminal pngcairo size 800,520 font ",11"
set output "%s/bench-state.png"
set title "Swap latency vs flows in the whitelist table (median, bars to p99)"
set ylabel "ms (log scale)"
set xlabel "flows in table fw"
set logscale y
set yrange [0.05:1000]
set grid ytics
set key top left box opaque
set xrange [-0.5:2.5]
f = "%s/state.dat"
plot f u ($1-0.05):3:3:4:xtic(2) w yerrorlines lw 2 pt 7 lc rgb "#d62728" t "wall (clickupctl batch caller)", \\
     f u ($1+0.05):5:5:6 w yerrorlines lw 2 pt 5 lc rgb "#2ca02c" t "kernel total (validate..publish)"
""" % (img, pd))
    _, ratios = path_table(d)
    if ratios:
        with open(os.path.join(pd, "path.dat"), "w") as f:
            f.write("# config tcp_tput tcp_cpu udp_tput udp_cpu\n")
            for cfg, name in CONFIGS:
                if cfg in ratios:
                    f.write("\"%s\" %s\n" % (name.split(" ", 1)[0] + " " + {
                        "bridge": "bridge", "cu-bridge": "CU bridge", "firewall": "CU firewall",
                        "nft": "nftables", "element45": "CU 45 atoms"}[cfg],
                        " ".join("%.4f" % v for v in ratios[cfg])))
        gnuplot("""set terminal pngcairo size 960,560 font ",11"
set output "%s/bench-path.png"
set title "Packet path cost, ratios to (a) a Linux bridge (median of rounds)"
set ylabel "ratio to (a)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top left box opaque
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
f = "%s/path.dat"
plot f u 2:xtic(1) t "TCP throughput", '' u 4 t "UDP packets forwarded/s", \\
     '' u 3 t "TCP CPU per packet", '' u 5 t "UDP CPU per packet"
""" % (img, pd))


# ---- markdown ----------------------------------------------------------------

def host_load(d):
    """The host's 1-minute load during the VM run (bench/run.sh samples
    it; the VM's own vCPUs are part of it)."""
    p = os.path.join(d, "host-load.txt")
    loads = [float(x) for x in open(p).read().split()] if os.path.exists(p) else []
    if not loads:
        return "2-core host shared with other work"
    return ("2-core host whose 1-minute load was %.1f–%.1f during the run "
            "(%d samples; its own VM included)" % (min(loads), max(loads), len(loads)))


def markdown(d, img, md):
    meta = load(d, "meta.json") or {}
    rel = os.path.relpath(img, os.path.dirname(os.path.abspath(md)))
    pt, _ = path_table(d)
    body = BODY.format(
        date=meta.get("date", "?"), kernel=meta.get("kernel", "?"), cpus=meta.get("cpus", "?"),
        host=host_load(d), cpu=meta.get("cpu_model", "?"), runs=meta.get("runs", "?"),
        native_runs=meta.get("native_runs", "?"), secs=meta.get("secs", "?"),
        rounds=meta.get("rounds", "?"), img=rel, upgrade_part=part_md(d, rel, "upgrade"),
        pkt_part=part_md(d, rel, "pkt"), hostile_part=part_md(d, rel, "hostile"),
        state_part=part_md(d, rel, "state"), path=pt, profile=profile_md(d), loss=loss_table(d),
        mem_part=part_md(d, rel, "mem"), notes=notes(d),
        path_notes=part_notes("path"), loss_notes=part_notes("loss"))
    text = open(md).read() if os.path.exists(md) else "# Results\n"
    sec = "<!-- bench:begin (written by bench/report.py; edits here are overwritten) -->\n" + \
        body + "<!-- bench:end -->"
    if "<!-- bench:begin" in text:
        text = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda m: sec, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + sec + "\n"
    open(md, "w").write(text)


def part_notes(part):
    """bench/notes-PART.md: the hand-written reading of that part."""
    p = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes-%s.md" % part)
    return "\n" + open(p).read() if os.path.exists(p) else ""


PARTS_MD = {
    "upgrade": lambda d, img: upgrade_tables(d) +
    "\n![upgrade latency vs new atoms](%s/bench-upgrade.png)\n" % img + part_notes("upgrade"),
    "pkt": lambda d, img: PKT.format(table=report_pkt.table(d), img=img,
                                     profile=report_pkt.profiles(d)) + part_notes("pkt")
    if report_pkt.table(d) else "",
    "state": lambda d, img: state_table(d) + part_notes("state"),
    "mem": lambda d, img: mem_md(d) + part_notes("mem"),
    "hostile": lambda d, img: HOSTILE.format(table=report_hostile.table(d)) + part_notes("hostile")
    if report_hostile.table(d) else "",
}


def part_md(d, img, part):
    """One part's text between its own markers, so that a run of only
    that part (BENCH_PARTS) can replace it alone (markdown-part)."""
    return "<!-- bench-%s:begin -->\n%s<!-- bench-%s:end -->\n" % (part, PARTS_MD[part](d, img), part)


def markdown_part(d, img, md, part):
    rel = os.path.relpath(img, os.path.dirname(os.path.abspath(md)))
    text = open(md).read()
    pat = r"<!-- bench-%s:begin -->.*?<!-- bench-%s:end -->\n" % (part, part)
    if not re.search(pat, text, flags=re.S):
        sys.exit("report.py: no bench-%s markers in %s" % (part, md))
    new = part_md(d, rel, part)
    bpf = r"%s\n.*?%s\n" % (re.escape(BPF_BEGIN), re.escape(BPF_END))
    old = re.search(bpf, text, flags=re.S)
    if part == "upgrade" and not load(d, "bpfswap.json") and old:
        kept = old.group(0)
        if BPF_KEPT not in kept and kept != "%s\n%s\n" % (BPF_BEGIN, BPF_END):
            kept = kept.replace(BPF_BEGIN + "\n", BPF_BEGIN + "\n" + BPF_KEPT, 1)
        new = re.sub(bpf, lambda m: kept, new, flags=re.S)
    text = re.sub(pat, lambda m: new, text, flags=re.S)
    open(md, "w").write(text)


PKT = """### 3b. Packet path per packet, in the kernel

`make bench-pkt` (bench/pkt.sh): one 64-byte TCP segment of an established
flow (its handshake went through the configuration just before) fed into
p1's receive path by `bench/xdpinject` (BPF_PROG_RUN of an XDP program in
live-frame mode: the kernel hands copies of the frame to
`netif_receive_skb_list()` as if p1 had received them), then forwarded to
p2 and dropped at s0's ingress by the same rule in every configuration. No
user space, TCP stack or iperf3 in the loop; the figure is the kernel's own
time per packet (ktime around the batches, softirqs they raise included).
Configurations interleaved, their order rotated each round.

{table}
![packet path, ns per packet]({img}/bench-pkt.png)

{profile}"""


HOSTILE = """### 6. Hostile peers: CLICK-UP beside nftables + conntrack

`make bench-hostile` (part `hostile`): `selftests/hostile_tcp.sh` and
`selftests/hostile_nat.sh` in the bench VM. Each builds the same topology
twice, once with CLICK-UP and once with nftables + conntrack, and sends
both the same crafted segments (raw sockets, `selftests/pkt/`), floods and
downloads; each cell says what a user of that side saw.

{table}
"""


def notes(d):
    """docs/results.md's analysis, kept in bench/notes.md (hand-written)."""
    p = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    return open(p).read() if os.path.exists(p) else ""


BODY = """## Benchmarks (`make bench`)

Made by `make bench` (qemu TCG VM, kernel {kernel}, {cpus} vCPUs, {date}) on a
{host}: absolute times are emulated and noisy, so every comparison
below is a ratio of figures taken side by side in the same VM run. Swaps are
timed from one long-lived process (`clickupctl batch` driven by
`bench/bench.py`, a long-lived libnftables process for nftables, the module syscalls made directly
for the native manner), so no figure includes a process start. Raw JSON:
`build/bench/results/`; `bench/run.sh --report` redraws all of this from it.
What each part does: [bench/README.md](../bench/README.md).

### 1. Upgrade latency vs new atom types

{upgrade_part}

### 2. Swap cost vs state size

{state_part}![swap latency vs state size]({img}/bench-state.png)

### 3. Packet path cost

The same traffic from `bcli` to `bsrv` through the bump in the wire in
`bcu` (p1, p2), {rounds} interleaved rounds of {secs} s per configuration
and protocol, median of the rounds: TCP is one iperf3 stream, UDP is
iperf3 `-u -b 0 -l 1400` (the sender saturates; what counts is what the
element forwards). Offloads are off on the endpoints (MTU-sized packets).
CPU is the whole guest's busy time from `/proc/stat` divided by the packets
the bump in the wire forwarded (p1 + p2 tx), so it includes iperf3's own
work: the difference to (a) is the element's cost. Cells: median of the
rounds (min–max of the rounds); ratios are of the medians.

{path}
![packet path cost ratios]({img}/bench-path.png)

{profile}{path_notes}
{pkt_part}
### 4. Loss during swaps

A UDP stream with sequence numbers (`bench/udpflow.py`, 5000 packets/s,
64-byte datagrams) through `dts/firewall.click`, once alone and once while
`bench.py swaploss` upgrades the element as fast as it can for 10 s,
alternating `firewall.click` and `firewall-log.click`:

{loss}{loss_notes}
### 5. State memory

{mem_part}{hostile_part}
{notes}"""


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "tables":
        print(upgrade_tables(d))
        print(state_table(d))
        print(path_table(d)[0])
        print(profile_md(d))
        print(report_pkt.table(d))
        print(report_pkt.profiles(d))
        print(loss_table(d))
        print(mem_md(d))
    elif cmd == "plot":
        plot(d, sys.argv[3])
    elif cmd == "markdown":
        markdown(d, sys.argv[3], sys.argv[4])
    elif cmd == "markdown-part":
        markdown_part(d, sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
