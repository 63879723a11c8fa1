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
           ("fw-c", "(c) native: delete element + state, reload modules, create")]
NAT_RUNS = [("nat-none", "no upgrade", None, "-", 0),
            ("nat-cu-40", "CLICK-UP (state kept)", 0.4, "kept", 0),
            ("nat-cu-50", "CLICK-UP (state kept)", 0.5, "kept", 0),
            ("nat-native-40", "native (state lost)", 0.4, "lost", 0),
            ("nat-native-50", "native (state lost)", 0.5, "lost", 0),
            ("nat-native-50-d1", "native, 1 s delay", 0.5, "lost", 1),
            ("nat-native-50-d5", "native, 5 s delay", 0.5, "lost", 5)]
HERE = os.path.dirname(os.path.abspath(__file__))
INF = float("inf")
DEFAULT_REPEAT = 3     # walkthrough.sh's DEMO_REPEAT default


def load(d, name):
    p = os.path.join(d, name + ".json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        try:
            return json.load(f)
        except ValueError:
            return None


def runs(d, scen):
    """The runs of a scenario: SCEN-1.json, SCEN-2.json, ... (or SCEN.json)."""
    out = []
    names = sorted((f[:-5] for f in os.listdir(d) if re.fullmatch(
        re.escape(scen) + r"-\d+\.json", f)), key=lambda n: int(n.rsplit("-", 1)[1]))
    if not names and os.path.exists(os.path.join(d, scen + ".json")):
        names = [scen]
    for n in names:
        r = load(d, n)
        if r is None:
            continue
        r["_name"] = n
        r["_drops"] = element_drops(d, n)
        out.append(r)
    return out


def live_ports(d, name):
    """Client ports of the run's own connections (every attempt)."""
    r = load(d, name) or {}
    return {a["port"] for x in r.get("downloads", []) for a in x["attempts"] if "port" in a}


def element_drops(d, name):
    """Packets the element dropped during the run: every atom's drops, in
    the element at the end of the run and (native manner) in the one
    deleted at the upgrade; per atom too."""
    total, per = 0, {}
    for suffix in ("-before", "-show"):
        p = os.path.join(d, name + suffix + ".json")
        if not os.path.exists(p):
            continue
        try:
            txt = open(p).read()
            ne = json.loads(txt[txt.index("["):txt.rindex("]") + 1])[0]
        except (ValueError, IndexError):
            continue
        for a in ne["atoms"]:
            if a["drops"]:
                total += a["drops"]
                k = "%s%s:%s" % ("old " if suffix == "-before" else "", a["name"], a["type"])
                per[k] = per.get(k, 0) + a["drops"]
    dm = os.path.join(d, name + "-dmesg.txt")
    lines = open(dm).read().splitlines() if os.path.exists(dm) else []
    # The log atoms' lines (fw-drop, nat-miss), not the core's own.
    lines = [x for x in lines if "fw-drop" in x or "nat-miss" in x]
    # fw-drop lines name the client's port: one of this run's connections?
    ports = live_ports(d, name)
    own = sum(1 for x in lines if (lambda m: m and int(m.group(1)) in ports)(
        re.search(r"IP 10\.0\.0\.1\.(\d+) > ", x)))
    return {"total": total, "per_atom": per, "log_lines": len(lines), "log_own": own}


def tt(r):
    return r["total_time"] if r["total_time"] is not None else INF


def median_run(rs):
    """The representative run: median total time (lower middle if even)."""
    s = sorted(rs, key=tt)
    return s[(len(s) - 1) // 2] if s else None


def med(vals):
    v = sorted(vals)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def upgrade_secs(r):
    """What the upgrade itself took (s), and the kind, from the hook's output."""
    out = (r or {}).get("hook", {}).get("output", "") or ""
    m = re.search(r"generation \d+ in (\d+) us", out)
    if m:
        return int(m.group(1)) / 1e6, "swap"
    m = re.search(r"total (\d+) ms", out)
    if m:
        return int(m.group(1)) / 1e3, "restart"
    return None, None


def fmt_s(v):
    return "DNF" if v is None or v == INF else "%.2f" % v


def num(v):
    return "%g" % v


def mb(v):
    return "%.1f MB" % (v / 1e6) if v else "0"


def spread(vals, f, n):
    """'median [min-max]' of vals formatted by f; just 'median' for one run."""
    m = med(vals)
    if n < 2 or min(vals) == max(vals):
        return f(m)
    return "%s [%s-%s]" % (f(m), f(min(vals)), f(max(vals)))


def up_cell(rs):
    v = [upgrade_secs(r) for r in rs]
    secs = [x for x, _ in v if x is not None]
    if not secs:
        return "-"
    kind = v[0][1]
    f = (lambda x: "%.1f ms" % (x * 1e3)) if kind == "swap" else (lambda x: "%.2f s" % x)
    return "%s (%s)" % (spread(secs, f, len(secs)), kind)


def row_stats(rs, base):
    n = len(rs)
    totals = [tt(r) for r in rs]
    m = med(totals)
    rel = "%+.1f %%" % (100 * (m - base) / base) if base and m not in (None, INF) and base != INF else "-"
    return {
        "runs": n,
        "total": spread(totals, fmt_s, n),
        "rel": rel,
        "downtime": spread([r["max_gap"] for r in rs], lambda x: "%.2f" % x, n),
        "failed": spread([r["failed"] for r in rs], num, n) + "/%d" % rs[0]["n"],
        "restarted": spread([r["restarted"] for r in rs], num, n),
        "restarts": spread([sum(len(x["attempts"]) - 1 for x in r["downloads"]) for r in rs], num, n),
        "twice": spread([r["bytes_twice"] for r in rs], mb, n),
        "drops": spread([r["_drops"]["total"] for r in rs], num, n),
        "up": up_cell(rs),
        "median_total": m,
    }


FW_HEAD = ["run", "runs", "total s", "vs (a)", "downtime s", "failed", "restarted",
           "bytes sent twice", "dropped by the element", "upgrade took"]
NAT_HEAD = ["scenario", "upgrade at", "state", "delay s", "runs", "total s", "vs none",
            "restarts", "bytes sent twice", "downtime s", "dropped by the element",
            "upgrade took"]


def fw_rows(d):
    base = med([tt(r) for r in runs(d, "fw-a")])
    rows = []
    for name, label in FW_RUNS:
        rs = runs(d, name)
        if not rs:
            continue
        s = row_stats(rs, base)
        rows.append([label, s["runs"], s["total"], s["rel"], s["downtime"], s["failed"],
                     s["restarted"], s["twice"], s["drops"],
                     s["up"] if name != "fw-a" else "-"])
    return rows


def nat_rows(d):
    base = med([tt(r) for r in runs(d, "nat-none")])
    rows = []
    for name, label, at, st, delay in NAT_RUNS:
        rs = runs(d, name)
        if not rs:
            continue
        s = row_stats(rs, base)
        rows.append([label, "%d %%" % (at * 100) if at else "-", st, delay, s["runs"],
                     s["total"], s["rel"], s["restarts"], s["twice"], s["downtime"],
                     s["drops"], s["up"] if at else "-"])
    return rows


def drop_details(d, scens):
    """Per run: which atoms dropped how many packets, and log lines."""
    out = []
    for scen, label in scens:
        for r in runs(d, scen):
            dr = r["_drops"]
            per = ", ".join("%s %d" % kv for kv in sorted(dr["per_atom"].items())) or "none"
            if scen.startswith("nat"):
                logged = "logged %d (nat-miss: replies to a mapping the element no longer has)" % dr["log_lines"]
            else:
                logged = "logged %d, of them %d of this run's connections" % (dr["log_lines"], dr["log_own"])
            out.append("%-22s %-36s dropped %5d (%s); %s" % (
                r["_name"], label[:36], dr["total"], per, logged))
    return "\n".join(out)


def table(rows, header):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i])
                               for i, c in enumerate(r))
    return "\n".join([line(header), line(["-" * x for x in w])] + [line(r) for r in rows])


def meta(d):
    return load(d, "meta") or {}


def rate_desc(m):
    mbit = m.get("mbit", 0)
    return ("the server's egress shaped to %d Mbit/s (tbf)" % mbit if mbit
            else "no shaping")


def tables(d):
    m = meta(d)
    out = []
    if runs(d, "fw-a"):
        out.append("Firewall (%s -> %s): %d parallel downloads of %.1f MB, %s, upgrade at %d %% "
                   "of the bytes; median [min-max] of the runs"
                   % (m.get("fw_dag"), m.get("fw_up"), m.get("files", 0),
                      m.get("size", 0) / 1e6, rate_desc(m), 100 * m.get("at", 0)))
        out.append(table(fw_rows(d), FW_HEAD))
        out.append("")
        out.append("Packets dropped by the element, per run:")
        out.append(drop_details(d, FW_RUNS))
        out.append("")
    if runs(d, "nat-none"):
        out.append("NAT (%s -> %s): one download of %.0f MB, %s; median [min-max] of the runs"
                   % (m.get("nat_dag"), m.get("nat_up"), m.get("big", 0) / 1e6, rate_desc(m)))
        out.append(table(nat_rows(d), NAT_HEAD))
        out.append("")
        out.append("Packets dropped by the element, per run:")
        out.append(drop_details(d, [(n, l) for n, l, *_ in NAT_RUNS]))
        out.append("")
    out.append("downtime = longest gap between two received chunks (any download); "
               "a download that gets nothing for %s s is retried from byte 0." % m.get("stall", "?"))
    return "\n".join(out)


# ---- plots ------------------------------------------------------------------

WINDOW = 0.5    # s, throughput averaging window


def write_dat(r, pd):
    """Plot data of one run: throughput and cumulative bytes from the exact
    100 ms byte bins, completion steps from the exact end times."""
    name = r["_name"]
    bins = dict((int(k), v) for k, v in r.get("bins_100ms") or [])
    if bins:
        hi = max(bins)
        rows, tot = [], 0
        for b in range(0, hi + 1):
            tot += bins.get(b, 0)
            rows.append((b / 10 + 0.1, tot))
    else:   # older JSON: the sampler's timeline
        rows = [(t, b) for t, b, _ in r["timeline"]]
    k = max(1, int(round(WINDOW / 0.1)))
    with open(os.path.join(pd, name + ".dat"), "w") as f:
        f.write("# t delivered_MB throughput_Mbit/s (%.1f s window)\n" % WINDOW)
        for i, (t, b) in enumerate(rows):
            j = max(0, i - k)
            dt = t - rows[j][0] if i >= k else t
            prev = rows[j][1] if i >= k else 0
            thr = (b - prev) * 8 / dt / 1e6 if dt > 0 else 0
            f.write("%.3f %.3f %.3f\n" % (t, b / 1e6, thr))
    ends = sorted(x["end"] for x in r["downloads"] if x["end"] is not None)
    with open(os.path.join(pd, name + "-done.dat"), "w") as f:
        f.write("0 0\n")
        for n, e in enumerate(ends):
            f.write("%.3f %d\n" % (e, n + 1))
    # Per-attempt progress of a single download (NAT): the bytes of the
    # attempt under way, so a restart shows as a drop to zero.
    if r["n"] == 1:
        atts = r["downloads"][0]["attempts"]
        with open(os.path.join(pd, name + "-progress.dat"), "w") as f:
            for t, b in rows:
                lost = sum(a["bytes"] for a in atts if not a["ok"] and a["end"] <= t)
                f.write("%.3f %.3f\n" % (t, max(0, b - lost) / 1e6))
    return os.path.join(pd, name)


def hook_span(r):
    h = r.get("hook") or {}
    if h.get("start") is None:
        return None
    return h["start"], h.get("end") or h["start"]


HEAD = ("set terminal pngcairo size 1000,%d font 'Sans,11' noenhanced\n"
        "set output '%s'\nset grid lc rgb '#dddddd'\nset border lc rgb '#555555'\n")
FW_COL = {"fw-a": "#7f8c8d", "fw-b": "#27ae60", "fw-c": "#c0392b"}
FW_SHORT = {"fw-a": "(a) no upgrade", "fw-b": "(b) CLICK-UP upgrade",
            "fw-c": "(c) native restart (state lost)"}


def plot_fw(d, pd, imgdir, m):
    reps = [(scen, label, median_run(runs(d, scen))) for scen, label in FW_RUNS]
    reps = [(s, l, r) for s, l, r in reps if r is not None]
    if not reps:
        return {}
    scripts = {}
    base = {s: write_dat(r, pd) for s, _, r in reps}
    n = m.get("files", 50)
    nruns = len(runs(d, "fw-a"))
    which = "the median run of %d" % nruns if nruns > 1 else "one run"
    xmax = max((r.get("last_end") or 0) for _, _, r in reps) * 1.03 + 0.5

    g = HEAD % (640, os.path.join(imgdir, "fw-completion.png"))
    g += ("set title \"Firewall: %d parallel HTTP downloads at %s, upgrade at %d %% of the bytes\\n"
          "downloads completed over time (%s of each scenario)\" font ',13'\n"
          % (n, "%d Mbit/s" % m["mbit"] if m.get("mbit") else "full speed",
             100 * m.get("at", 0.4), which))
    g += "set xlabel 'time since the downloads started (s)'\nset ylabel 'downloads completed (of %d)'\n" % n
    g += "set key outside bottom center horizontal maxrows 3 box spacing 1.2\nset bmargin 8.5\nset yrange [0:%d]\nset xrange [0:%.1f]\n" % (n + 2, xmax)
    i = 2
    marks = sorted((hook_span(r)[0], s) for s, _, r in reps if hook_span(r))
    for k, (t, s) in enumerate(marks):
        # The earlier label left of its line, the later one right of it.
        g += ("set arrow %d from %.3f, graph 0 to %.3f, graph 1 nohead dt 2 lw 1.5 lc rgb '%s'\n"
              % (i, t, t, FW_COL[s]))
        g += ("set label %d '%s upgrade at %.1f s' at %.3f, graph 0.98 right rotate by 90 offset %s,0 tc rgb '%s'\n"
              % (i, "CLICK-UP" if s == "fw-b" else "native", t, t,
                 "-1.1" if k == 0 else "1.6", FW_COL[s]))
        i += 1
    plots = ["'%s-done.dat' u 1:2 w steps lw 2.5 lc rgb '%s' t '%s: all done at %s s, %d restarted'" % (
        base[s], FW_COL[s], FW_SHORT[s], fmt_s(r["total_time"]), r["restarted"]) for s, label, r in reps]
    g += "plot " + ", \\\n     ".join(plots) + "\n"
    scripts["fw-completion"] = g

    mbit = m.get("mbit") or 0
    ymax = 0
    for s, _, r in reps:
        for line in open(base[s] + ".dat"):
            if not line.startswith("#"):
                ymax = max(ymax, float(line.split()[2]))
    ytop = max(ymax, mbit) * 1.45
    g = HEAD % (270 * len(reps) + 130, os.path.join(imgdir, "fw-throughput.png"))
    g += ("set multiplot layout %d,1 title \"Firewall: throughput received by the %d downloads "
          "(%.1f s average), %s\\nred line = upgrade starts, shaded = upgrade running\" font ',13'\n"
          % (len(reps), n, WINDOW, which))
    step = 10 if ytop <= 120 else 50
    g += "set xrange [0:%.1f]\nset yrange [0:%.0f]\nset ytics 0, %d, %d\nset ylabel 'Mbit/s'\nset key right top opaque\n" % (
        xmax, ytop, step, int(ytop * 0.8 / step) * step)
    g += "set tmargin 1.5\nset bmargin 2.5\nset lmargin 9\n"
    for k, (s, label, r) in enumerate(reps):
        g += "unset object 1\nunset arrow 1\nunset arrow 2\n"
        sp = hook_span(r)
        if sp:
            g += ("set object 1 rect from %.3f, graph 0 to %.3f, graph 1 fc rgb '#f4c7c3' "
                  "fs solid 0.6 noborder behind\n" % (sp[0], max(sp[1], sp[0] + 0.08)))
            g += ("set arrow 1 from %.3f, graph 0 to %.3f, graph 1 nohead lc rgb '#c0392b' lw 2\n"
                  % (sp[0], sp[0]))
        if mbit:
            g += ("set arrow 2 from graph 0, first %d to graph 1, first %d nohead dt 3 lc rgb '#555555'\n"
                  % (mbit, mbit))
        if k == len(reps) - 1:
            g += "set xlabel 'time since the downloads started (s)'\nset bmargin 3.5\n"
        up = ""
        if sp:
            secs, kind = upgrade_secs(r)
            up = ", upgrade took %s" % ("%.0f ms" % (secs * 1e3) if kind == "swap"
                                         else "%.1f s" % secs) if secs is not None else ""
        g += ("plot '%s.dat' u 1:3 w filledcurves x1 fc rgb '%s' fs transparent solid 0.35 noborder notitle, "
              "'' u 1:3 w l lw 1.5 lc rgb '%s' t '%s: %s s, longest gap %.1f s, %d restarted%s'%s\n"
              % (base[s], FW_COL[s], FW_COL[s], FW_SHORT[s], fmt_s(r["total_time"]), r["max_gap"],
                 r["restarted"], up,
                 (", NaN w l dt 3 lc rgb '#555555' t 'link rate %d Mbit/s'" % mbit) if mbit and k == 0 else ""))
    g += "unset multiplot\n"
    scripts["fw-throughput"] = g
    return scripts


NAT_PAL = {"nat-none": ("#7f8c8d", 1), "nat-cu-40": ("#27ae60", 1), "nat-cu-50": ("#1e8449", 2),
           "nat-native-40": ("#c0392b", 1), "nat-native-50": ("#e67e22", 1),
           "nat-native-50-d1": ("#8e44ad", 1), "nat-native-50-d5": ("#2c3e50", 1)}


def plot_nat(d, pd, imgdir, m):
    scen = [(n, l, at, st, dl, runs(d, n)) for n, l, at, st, dl in NAT_RUNS]
    scen = [x for x in scen if x[5]]
    if not scen:
        return {}
    scripts = {}
    nruns = len(scen[0][5])
    bars = []
    for name, label, at, st, delay, rs in scen:
        short = "no upgrade" if at is None else "%s\\n%s at %d %%%s" % (
            "CLICK-UP" if st == "kept" else "native", "state kept," if st == "kept" else "state lost,",
            at * 100, "\\n+%d s delay" % delay if delay else "")
        col = "#7f8c8d" if at is None else ("#27ae60" if st == "kept" else "#c0392b")
        ts = [tt(r) for r in rs]
        fin = [t for t in ts if t != INF]
        mt = med(ts)
        dnf = mt == INF
        if dnf:
            mt = max((r.get("last_end") or 0) for r in rs)
        bars.append((short, mt, min(fin) if fin else mt, max(fin) if fin else mt, col, dnf))
    with open(os.path.join(pd, "nat-bars.dat"), "w") as f:
        for i, (s, t, lo, hi, col, dnf) in enumerate(bars):
            f.write('%d "%s" %.3f %.3f %.3f 0x%s "%s"\n' % (
                i, s, t, lo, hi, col[1:], "%.1f s%s" % (t, " DNF" if dnf else "")))
    tmax = max(b[3] for b in bars)
    g = HEAD % (620, os.path.join(imgdir, "nat-time.png"))
    g += ("set title \"NAT: one %.0f MB download at %s, total transfer time by upgrade scenario\\n"
          "%s; dashed line = no upgrade\" font ',13'\n"
          % (m.get("big", 0) / 1e6, "%d Mbit/s" % m["mbit"] if m.get("mbit") else "full speed",
             "bar = median of %d runs, whisker = min-max" % nruns if nruns > 1 else "one run"))
    g += "set ylabel 'total transfer time (s)'\nset yrange [0:%.1f]\nset xrange [-0.6:%.1f]\n" % (tmax * 1.2, len(bars) - 0.4)
    g += "set style fill solid 0.85 noborder\nset boxwidth 0.6\nunset key\nset grid noxtics\nset xtics scale 0 font ',9'\nset bmargin 5\n"
    base = bars[0][1]
    g += "set arrow 1 from -0.6, %.3f to %.1f, %.3f nohead dt 2 lc rgb '#555555'\n" % (base, len(bars) - 0.4, base)
    g += ("plot '%s' u 1:3:6:xtic(2) w boxes lc rgb variable, "
          "'' u 1:3:4:5 w yerrorbars pt 0 ps 0 lw 1.5 lc rgb '#333333', "
          "'' u 1:5:7 w labels offset 0,0.9 font ',10'\n" % os.path.join(pd, "nat-bars.dat"))
    scripts["nat-time"] = g

    g = HEAD % (680, os.path.join(imgdir, "nat-progress.png"))
    g += ("set title \"NAT: bytes of the file received over time (%s of each scenario)\\n"
          "a restart from byte 0 shows as a drop to zero; o = upgrade started\" font ',13'\n"
          % ("the median run of %d" % nruns if nruns > 1 else "one run"))
    g += ("set xlabel 'time since the download started (s)'\nset ylabel 'MB of the file received'\n"
          "set key outside bottom center horizontal maxrows 4 box spacing 1.1\nset bmargin 9\nset yrange [0:%.0f]\nset xrange [0:*]\n"
          % (m.get("big", 0) / 1e6 * 1.05))
    plots = []
    for name, label, at, st, delay, rs in scen:
        r = median_run(rs)
        b = write_dat(r, pd)
        desc = "no upgrade" if at is None else "%s at %d %%%s" % (
            "CLICK-UP" if st == "kept" else "native", at * 100,
            ", +%d s delay" % delay if delay else "")
        desc += " (%s s)" % fmt_s(r["total_time"])
        col, dt = NAT_PAL[name]
        plots.append("'%s-progress.dat' u 1:2 w l lw 2 dt %d lc rgb '%s' t '%s'" % (b, dt, col, desc))
        sp = hook_span(r)
        if sp:
            with open(b + "-mark.dat", "w") as f:
                f.write("%.3f %.3f\n" % (sp[0], (r["hook"].get("delivered_at_start") or 0) / 1e6))
            plots.append("'%s-mark.dat' u 1:2 w p pt 6 ps 1.8 lw 2 lc rgb '%s' notitle" % (b, col))
    g += "plot " + ", \\\n     ".join(plots) + "\n"
    scripts["nat-progress"] = g
    return scripts


def plot(d, imgdir):
    pd = os.path.join(d, "plot")
    os.makedirs(pd, exist_ok=True)
    os.makedirs(imgdir, exist_ok=True)
    m = meta(d)
    scripts = plot_fw(d, pd, imgdir, m)
    scripts.update(plot_nat(d, pd, imgdir, m))
    for k, g in scripts.items():
        gp = os.path.join(pd, k + ".gp")
        with open(gp, "w") as f:
            f.write(g)
        subprocess.run(["gnuplot", gp], check=True)
        print("wrote", os.path.join(imgdir, k + ".png"))


# ---- docs/results.md --------------------------------------------------------

def drops_md(d, scens):
    """What the element dropped, per scenario, in words."""
    parts = []
    for scen, label in scens:
        rs = runs(d, scen)
        if not rs:
            continue
        tot = [r["_drops"]["total"] for r in rs]
        per = {}
        for r in rs:
            for k, v in r["_drops"]["per_atom"].items():
                per[k] = per.get(k, 0) + v
        logged = sum(r["_drops"]["log_lines"] for r in rs)
        own = sum(r["_drops"]["log_own"] for r in rs)
        txt = "%s: %s" % (label.split(":")[0], ", ".join(str(t) for t in tot))
        if per:
            txt += " (%s)" % ", ".join("`%s` %d" % kv for kv in sorted(per.items()))
        if logged and "fw" in scen:
            txt += "; of the %d the `log` atom printed (rate-limited), %d were segments of the run's own connections" % (logged, own)
        elif logged:
            txt += "; all %d are the server's retransmissions to the NAT mapping the restart lost (`nat-miss` lines)" % logged
        parts.append(txt)
    return "Packets dropped by the element, per run: " + "; ".join(parts) + "."


def markdown(d, imgdir, md):
    m = meta(d)
    rel = os.path.relpath(imgdir, os.path.dirname(os.path.abspath(md)))
    fw = fw_rows(d)
    nat = nat_rows(d)
    nrep = m.get("repeat", 1)

    def mdtable(rows, head):
        s = "| " + " | ".join(head) + " |\n|" + "|".join("---" for _ in head) + "|\n"
        return s + "".join("| " + " | ".join(str(c) for c in r) + " |\n" for r in rows)

    s = ["<!-- demo:begin (written by demo/report.py; edits here are overwritten) -->",
         "## The seed walkthrough (`make demo`)", "",
         "Made by `%smake demo` (%s, kernel %s, %d vCPUs, %s UTC), %s. "
         "Each scenario ran %d times, interleaved; the tables give the median and "
         "[min-max] of the runs, the plots the median run. The raw JSON of every run is "
         "in `build/demo/`; `demo/run.sh --report` redraws these tables and plots from it."
         % ("DEMO_REPEAT=%d " % nrep if nrep != DEFAULT_REPEAT else "",
            "qemu TCG VM" if m.get("vm") else "directly on the host", m.get("kernel"),
            m.get("cpus", 0), m.get("date", "?").replace("T", " ").rstrip("Z"),
            rate_desc(m), nrep), ""]
    if fw:
        s += ["### Firewall: %d parallel downloads, upgraded mid-transfer" % m.get("files", 0), "",
              "`%s`, upgraded to `%s` when %d %% of the bytes were delivered; "
              "%d downloads of %.1f MB each from a python HTTP server, through the element."
              % (m.get("fw_dag"), m.get("fw_up"), 100 * m.get("at", 0), m.get("files", 0),
                 m.get("size", 0) / 1e6), "",
              mdtable(fw, FW_HEAD),
              drops_md(d, FW_RUNS), "",
              "![downloads completed over time](%s/fw-completion.png)" % rel, "",
              "![delivered throughput, upgrade marked](%s/fw-throughput.png)" % rel, ""]
    if nat:
        s += ["### NAT: one large transfer, state kept versus lost", "",
              "`%s` (the server sees %s), upgraded to `%s`; one download of %.0f MB."
              % (m.get("nat_dag"), m.get("nat_ip"), m.get("nat_up"), m.get("big", 0) / 1e6), "",
              mdtable(nat, NAT_HEAD),
              drops_md(d, [(n, l if at is None else "%s at %d %%" % (l, at * 100))
                           for n, l, at, *_ in NAT_RUNS]), "",
              "![NAT transfer time by scenario](%s/nat-time.png)" % rel, "",
              "![NAT progress over time](%s/nat-progress.png)" % rel, ""]
    s += ["How to read it: *total* is when the last byte arrived; *downtime* is the "
          "longest gap between two chunks received by the client (any download). A "
          "download that gets nothing for %s s, or whose connection is reset, is retried "
          "from byte 0 (no Range) and counts as *restarted*; what the abandoned attempt "
          "had received counts as *bytes sent twice*. %s s models a patient client "
          "(wget's default read timeout is 900 s): the native manner's stalled downloads "
          "wait that long before they restart. *Dropped by the element* is the sum of "
          "every atom's drop counter (`clickupctl show -j`: the discard atoms, which get "
          "`sessioncheck`'s illegal segments or `nat`'s replies with no mapping, and "
          "unconnected outputs), in the element at the end of the run plus, for the "
          "native manner, the one it deleted. *Upgrade took* is the kernel's swap time for "
          "CLICK-UP (`clickupctl upgrade`) and the whole delete/state delete/unload/load/"
          "create sequence for the native manner (`demo/native-restart.sh`; step times "
          "in the run's JSON)." % (m.get("stall", "?"), m.get("stall", "?")), "",
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
