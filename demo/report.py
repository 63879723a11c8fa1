#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables, plot data and docs/results.md from the walkthrough's JSON files.

    report.py tables DIR                 plain-text tables (stdout)
    report.py plot DIR IMGDIR            .dat files in DIR/plot, PNGs (gnuplot)
    report.py markdown DIR IMGDIR MD     the demo section of MD (between the
                                         <!-- demo:begin/end --> markers)
"""
import json
import os
import re
import subprocess
import sys

FW_RUNS = [("fw-a", "(a) no upgrade"),
           ("fw-b", "(b) CLICK-UP upgrade"),
           ("fw-c", "(c) native: delete, reload modules, create")]
NAT_RUNS = [("nat-none", "no upgrade", None, "-", 0),
            ("nat-cu-40", "CLICK-UP (state kept)", 0.4, "kept", 0),
            ("nat-cu-50", "CLICK-UP (state kept)", 0.5, "kept", 0),
            ("nat-native-40", "native (state lost)", 0.4, "lost", 0),
            ("nat-native-50", "native (state lost)", 0.5, "lost", 0),
            ("nat-native-50-d1", "native, 1 s delay", 0.5, "lost", 1),
            ("nat-native-50-d5", "native, 5 s delay", 0.5, "lost", 5)]
HERE = os.path.dirname(os.path.abspath(__file__))


def load(d, name):
    p = os.path.join(d, name + ".json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def upgrade_cost(r):
    """What the upgrade itself took, from the hook's output."""
    out = (r or {}).get("hook", {}).get("output", "")
    m = re.search(r"generation \d+ in (\d+) us", out)
    if m:
        return "%.3f ms (swap)" % (int(m.group(1)) / 1000)
    m = re.search(r"total (\d+) ms", out)
    if m:
        return "%.2f s (restart)" % (int(m.group(1)) / 1000)
    return "-"


def fmt_s(v):
    return "%.2f" % v if v is not None else "DNF"


def mb(v):
    return "%.1f MB" % (v / 1e6) if v else "0"


def table(rows, header):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i])
                               for i, c in enumerate(r))
    return "\n".join([line(header), line(["-" * x for x in w])] + [line(r) for r in rows])


def fw_rows(d):
    base = (load(d, "fw-a") or {}).get("total_time")
    rows = []
    for name, label in FW_RUNS:
        r = load(d, name)
        if r is None:
            continue
        t = r["total_time"]
        rel = "%+.1f %%" % (100 * (t - base) / base) if t and base else "-"
        rows.append([label, fmt_s(t), rel, "%.2f" % r["max_gap"],
                     "%d/%d" % (r["failed"], r["n"]), r["restarted"],
                     mb(r["bytes_twice"]), upgrade_cost(r) if name != "fw-a" else "-"])
    return rows


FW_HEAD = ["run", "total s", "vs (a)", "downtime s", "failed", "restarted",
           "bytes sent twice", "upgrade took"]
NAT_HEAD = ["scenario", "upgrade at", "state", "delay s", "total s", "vs none",
            "restarts", "bytes sent twice", "downtime s", "upgrade took"]


def nat_rows(d):
    base = (load(d, "nat-none") or {}).get("total_time")
    rows = []
    for name, label, at, st, delay in NAT_RUNS:
        r = load(d, name)
        if r is None:
            continue
        t = r["total_time"]
        rel = "%+.1f %%" % (100 * (t - base) / base) if t and base else "-"
        rows.append([label, "%d %%" % (at * 100) if at else "-", st, delay,
                     fmt_s(t), rel, sum(len(x["attempts"]) - 1 for x in r["downloads"]),
                     mb(r["bytes_twice"]), "%.2f" % r["max_gap"],
                     upgrade_cost(r) if at else "-"])
    return rows


def meta(d):
    return load(d, "meta") or {}


def tables(d):
    m = meta(d)
    out = []
    if load(d, "fw-a"):
        out.append("Firewall (%s -> %s): %d parallel downloads of %.1f MB, upgrade at %d %% of the bytes"
                   % (m.get("fw_dag"), m.get("fw_up"), m.get("files", 0),
                      m.get("size", 0) / 1e6, 100 * m.get("at", 0)))
        out.append(table(fw_rows(d), FW_HEAD))
        out.append("")
    if load(d, "nat-none"):
        out.append("NAT (%s -> %s): one download of %.0f MB"
                   % (m.get("nat_dag"), m.get("nat_up"), m.get("big", 0) / 1e6))
        out.append(table(nat_rows(d), NAT_HEAD))
        out.append("")
    out.append("downtime = longest gap between two received chunks (any download); "
               "a download stalled for %s s is retried from byte 0." % m.get("stall", "?"))
    return "\n".join(out)


# ---- plots ------------------------------------------------------------------

def write_dat(d, pd):
    os.makedirs(pd, exist_ok=True)
    marks = {}
    for name in [n for n, _ in FW_RUNS] + [n for n, *_ in NAT_RUNS]:
        r = load(d, name)
        if r is None:
            continue
        tl = r["timeline"]
        # Cut the samples taken after the last download ended (joins).
        last = r.get("last_end")
        if last is not None:
            tl = [x for x in tl if x[0] <= last + 0.1] or tl
        if r.get("bins_100ms"):
            # Exact per-100 ms byte counts from the receiving threads.
            bins = dict(r["bins_100ms"])
            hi = max(bins) if bins else 0
            tot, c = 0, 0
            tl = []
            for b in range(0, hi + 2):
                tot += bins.get(b, 0)
                tl.append([b / 10 + 0.1, tot, 0])
        with open(os.path.join(pd, name + ".dat"), "w") as f:
            f.write("# t delivered_MB completed throughput_MBps\n")
            # Throughput over a 250 ms sliding window.
            j = 0
            for i, (t, b, c) in enumerate(tl):
                while tl[j][0] < t - 0.25:
                    j += 1
                dt = t - tl[j][0]
                thr = (b - tl[j][1]) / dt / 1e6 if dt > 0 else 0
                f.write("%.3f %.3f %d %.3f\n" % (t, b / 1e6, c, thr))
        # Completion steps from the exact end times (the sampler can starve).
        ends = sorted(x["end"] for x in r["downloads"] if x["end"] is not None)
        with open(os.path.join(pd, name + "-done.dat"), "w") as f:
            f.write("0 0\n")
            for k, e in enumerate(ends):
                f.write("%.3f %d\n" % (e, k + 1))
        h = r.get("hook") or {}
        if h.get("start") is not None:
            marks[name] = (h["start"], h["end"])
    return marks


def gp_marks(marks, name, ymax="graph 1"):
    if name not in marks:
        return ""
    s, e = marks[name]
    return ("set object 1 rect from %.3f, graph 0 to %.3f, %s fc rgb '#f4c7c3' "
            "fs solid 0.5 noborder behind\n" % (s, max(e, s + 0.05), ymax) +
            "set arrow 1 from %.3f, graph 0 to %.3f, graph 1 nohead lc rgb '#c0392b' lw 2\n"
            % (s, s))


def plot(d, imgdir):
    pd = os.path.join(d, "plot")
    marks = write_dat(d, pd)
    os.makedirs(imgdir, exist_ok=True)
    m = meta(d)
    colors = {"fw-a": "#7f8c8d", "fw-b": "#27ae60", "fw-c": "#c0392b"}
    labels = dict(FW_RUNS)
    scripts = {}
    head = ("set terminal pngcairo size 1000,%d font 'Sans,11' noenhanced\n"
            "set output '%s'\nset grid lc rgb '#dddddd'\nset border lc rgb '#555555'\n")

    if load(d, "fw-a"):
        n = m.get("files", 50)
        g = head % (560, os.path.join(imgdir, "fw-completion.png"))
        g += ("set title 'Firewall: %d parallel HTTP downloads, upgrade at %d %% of the bytes' font ',13'\n"
              % (n, 100 * m.get("at", 0.4)))
        g += "set xlabel 'time since the downloads started (s)'\nset ylabel 'downloads completed'\n"
        g += "set key right bottom box opaque\nset yrange [0:%d]\nset xrange [0:*]\n" % (n + 2)
        i = 2
        for name in ("fw-b", "fw-c"):
            if name in marks:
                s = marks[name][0]
                g += ("set arrow %d from %.3f, graph 0 to %.3f, graph 1 nohead dt 2 lw 1.5 lc rgb '%s'\n"
                      % (i, s, s, colors[name]))
                g += ("set label %d '%s upgrade' at %.3f, graph %.2f left offset 0.5,0 tc rgb '%s'\n"
                      % (i, "CLICK-UP" if name == "fw-b" else "native", s,
                         0.55 if name == "fw-b" else 0.45, colors[name]))
                i += 1
        plots = ["'%s' u 1:2 w steps lw 2.5 lc rgb '%s' t '%s'" % (
            os.path.join(pd, name + "-done.dat"), colors[name], labels[name])
            for name, _ in FW_RUNS if os.path.exists(os.path.join(pd, name + ".dat"))]
        g += "plot " + ", \\\n     ".join(plots) + "\n"
        scripts["fw-completion"] = g

        g = head % (820, os.path.join(imgdir, "fw-throughput.png"))
        runs = [x for x in FW_RUNS if os.path.exists(os.path.join(pd, x[0] + ".dat"))]
        ymax = 0
        for name, _ in runs:
            for line in open(os.path.join(pd, name + ".dat")):
                if not line.startswith("#"):
                    ymax = max(ymax, float(line.split()[3]))
        xmax = max(float(open(os.path.join(pd, name + ".dat")).read().split("\n")[-2].split()[0])
                   for name, _ in runs)
        g += "set multiplot layout %d,1 title 'Firewall: delivered throughput (250 ms window); red = upgrade running' font ',13'\n" % len(runs)
        g += "set xrange [0:%.1f]\nset yrange [0:%.1f]\nset ylabel 'MB/s'\nset key right top\n" % (xmax * 1.02, ymax * 1.15)
        for k, (name, label) in enumerate(runs):
            g += "unset object 1\nunset arrow 1\n" + gp_marks(marks, name)
            if k == len(runs) - 1:
                g += "set xlabel 'time since the downloads started (s)'\n"
            r = load(d, name)
            g += ("plot '%s' u 1:4 w filledcurves x1 fc rgb '%s' fs transparent solid 0.35 noborder notitle, "
                  "'' u 1:4 w l lw 1.5 lc rgb '%s' t '%s: downtime %.2f s'\n"
                  % (os.path.join(pd, name + ".dat"), colors[name], colors[name], label, r["max_gap"]))
        g += "unset multiplot\n"
        scripts["fw-throughput"] = g

    if load(d, "nat-none"):
        rows = []
        for name, label, at, st, delay in NAT_RUNS:
            r = load(d, name)
            if r is None:
                continue
            short = {"nat-none": "no upgrade"}.get(name) or "%s\\n%s at %d %%%s" % (
                "CLICK-UP" if st == "kept" else "native", "state kept," if st == "kept" else "state lost,",
                at * 100, "\\n+%d s delay" % delay if delay else "")
            col = "#7f8c8d" if at is None else ("#27ae60" if st == "kept" else "#c0392b")
            t = r["total_time"] if r["total_time"] is not None else r.get("last_end") or 0
            rows.append((short, t, col, r["total_time"] is None))
        with open(os.path.join(pd, "nat-bars.dat"), "w") as f:
            for i, (s, t, col, dnf) in enumerate(rows):
                f.write('%d "%s" %.3f 0x%s "%s"\n' % (i, s, t, col[1:], "%.1f s%s" % (t, " DNF" if dnf else "")))
        tmax = max(t for _, t, _, _ in rows)
        g = head % (600, os.path.join(imgdir, "nat-time.png"))
        g += ("set title 'NAT: one %.0f MB download, total transfer time by upgrade scenario' font ',13'\n"
              % (m.get("big", 0) / 1e6))
        g += "set ylabel 'total transfer time (s)'\nset yrange [0:%.1f]\nset xrange [-0.6:%.1f]\n" % (tmax * 1.2, len(rows) - 0.4)
        g += "set style fill solid 0.85 noborder\nset boxwidth 0.6\nunset key\nset grid noxtics\nset xtics scale 0 font ',9'\nset bmargin 5\n"
        base = rows[0][1]
        g += "set arrow 1 from -0.6, %.3f to %.1f, %.3f nohead dt 2 lc rgb '#555555'\n" % (base, len(rows) - 0.4, base)
        g += ("plot '%s' u 1:3:4:xtic(2) w boxes lc rgb variable, "
              "'' u 1:3:5 w labels offset 0,0.8 font ',10'\n" % os.path.join(pd, "nat-bars.dat"))
        scripts["nat-time"] = g

        g = head % (560, os.path.join(imgdir, "nat-progress.png"))
        g += "set title 'NAT: bytes delivered over time (a restart from zero shows as a drop to the start)' font ',13'\n"
        g += "set xlabel 'time since the download started (s)'\nset ylabel 'MB of the file received'\nset key left top box opaque\n"
        pal = {"nat-none": ("#7f8c8d", 1), "nat-cu-40": ("#27ae60", 1), "nat-cu-50": ("#2ecc71", 2),
               "nat-native-40": ("#c0392b", 1), "nat-native-50": ("#e67e22", 1),
               "nat-native-50-d1": ("#8e44ad", 1), "nat-native-50-d5": ("#2c3e50", 1)}
        # Per-attempt progress: received bytes of the current attempt.
        plots = []
        for name, label, at, st, delay in NAT_RUNS:
            r = load(d, name)
            if r is None:
                continue
            p = os.path.join(pd, name + "-progress.dat")
            atts = r["downloads"][0]["attempts"]
            tl = r["timeline"]
            with open(p, "w") as f:
                # delivered counts all attempts; subtract what failed attempts got
                for t, b, c in tl:
                    lost = sum(a["bytes"] for a in atts if not a["ok"] and a["end"] <= t)
                    f.write("%.3f %.3f\n" % (t, max(0, b - lost) / 1e6))
            desc = "no upgrade" if at is None else "%s at %d %%%s" % (
                "CLICK-UP" if st == "kept" else "native", at * 100,
                ", +%d s delay" % delay if delay else "")
            col, dt = pal[name]
            plots.append("'%s' u 1:2 w l lw 2 dt %d lc rgb '%s' t '%s'" % (p, dt, col, desc))
        g += "plot " + ", \\\n     ".join(plots) + "\n"
        scripts["nat-progress"] = g

    for k, g in scripts.items():
        gp = os.path.join(pd, k + ".gp")
        with open(gp, "w") as f:
            f.write(g)
        subprocess.run(["gnuplot", gp], check=True)
        print("wrote", os.path.join(imgdir, k + ".png"))


# ---- docs/results.md --------------------------------------------------------

def markdown(d, imgdir, md):
    m = meta(d)
    rel = os.path.relpath(imgdir, os.path.dirname(os.path.abspath(md)))
    fw = fw_rows(d)
    nat = nat_rows(d)

    def mdtable(rows, head):
        s = "| " + " | ".join(head) + " |\n|" + "|".join("---" for _ in head) + "|\n"
        return s + "".join("| " + " | ".join(str(c) for c in r) + " |\n" for r in rows)

    s = ["<!-- demo:begin (written by demo/report.py; edits here are overwritten) -->",
         "## The seed walkthrough (`make demo`)", "",
         "Made by `make demo` (%s, kernel %s, %d vCPUs%s, %s UTC). The raw JSON of every run "
         "is in `build/demo/`; `demo/report.py` turns it into these tables and plots."
         % ("qemu TCG VM" if m.get("vm") else "directly on the host", m.get("kernel"),
            m.get("cpus", 0), ", emulated: absolute speeds are the emulator's" if m.get("vm") else "",
            m.get("date", "?").replace("T", " ").rstrip("Z")), ""]
    if fw:
        s += ["### Firewall: %d parallel downloads, upgraded mid-transfer" % m.get("files", 0), "",
              "`%s`, upgraded to `%s` when %d %% of the bytes were delivered; "
              "%d downloads of %.1f MB each from a python HTTP server, through the element."
              % (m.get("fw_dag"), m.get("fw_up"), 100 * m.get("at", 0), m.get("files", 0),
                 m.get("size", 0) / 1e6), "",
              mdtable(fw, FW_HEAD),
              "![downloads completed over time](%s/fw-completion.png)" % rel, "",
              "![delivered throughput, upgrade marked](%s/fw-throughput.png)" % rel, ""]
    if nat:
        s += ["### NAT: one large transfer, state kept versus lost", "",
              "`%s` (the server sees %s), upgraded to `%s`; one download of %.0f MB."
              % (m.get("nat_dag"), m.get("nat_ip"), m.get("nat_up"), m.get("big", 0) / 1e6), "",
              mdtable(nat, NAT_HEAD),
              "![NAT transfer time by scenario](%s/nat-time.png)" % rel, "",
              "![NAT progress over time](%s/nat-progress.png)" % rel, ""]
    s += ["How to read it: *downtime* is the longest gap between two chunks received by "
          "the client (any download); a download that gets nothing for %s s, or whose "
          "connection is reset, is retried from byte 0 (no Range), as a naive wget loop does, "
          "and what the abandoned attempt had received counts as *bytes sent twice*. "
          "*Upgrade took* is the kernel's swap time for CLICK-UP (from `clickupctl upgrade`) "
          "and the whole delete/unload/load/create sequence for the native manner "
          "(`demo/native-restart.sh`, step times in the run's JSON)." % m.get("stall", "?"), "",
          "<!-- demo:end -->"]
    new = "\n".join(s) + "\n"
    old = open(md).read() if os.path.exists(md) else "# Results\n\n"
    b = old.find("<!-- demo:begin")
    e = old.find("<!-- demo:end -->")
    if b >= 0 and e >= 0:
        out = old[:b] + new + old[e + len("<!-- demo:end -->") + 1:]
    else:
        out = old.rstrip("\n") + "\n\n" + new
    with open(md, "w") as f:
        f.write(out)
    print("wrote", md)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "tables":
        print(tables(d))
    elif cmd == "plot":
        plot(d, sys.argv[3])
    elif cmd == "markdown":
        markdown(d, sys.argv[3], sys.argv[4])
    else:
        sys.exit(2)


if __name__ == "__main__":
    main()
