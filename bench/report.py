#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv (+ meta.tsv) into Markdown tables.

Usage: python3 bench/report.py <results dir> [<results dir> ...]   (several dirs are pooled as more repeats)

Fixed-rate table: per body / mode / rate / target, the median over repeats of p50, p90, p99 and of the
achieved rate; "added" is the median over repeats of (target percentile - direct percentile of the same
repeat). Saturation table: median requests/s per target, and Sluice as a share of nginx. "CPU µs/req" is the CPU time
(user + system) the process under test used per request during the run (for "direct": the upstream's);
"other cores" is the CPU that processes outside the benchmark used during the run (noise from other users).
"""
import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def read(dirs):
    rows, metas = [], []
    for i, d in enumerate(dirs):
        d = Path(d)
        with open(d / "results.tsv", newline="") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                r["repeat"] = f"{i}.{r['repeat']}"
                rows.append(r)
        meta = {}
        if (d / "meta.tsv").exists():
            for line in (d / "meta.tsv").read_text().splitlines():
                k, _, v = line.partition("\t")
                meta[k] = v
        metas.append(meta)
    return rows, metas


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def fmt(x, signed=False):
    if x != x:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def main(dirs):
    rows, metas = read(dirs)
    order = {"direct": 0, "nginx": 1, "sluice": 2}
    fixed = [r for r in rows if r["kind"] == "fixed"]
    by = defaultdict(dict)  # (body, mode, rate) -> repeat -> target -> row
    for r in fixed:
        by[(r["body"], r["mode"], r["rate"])].setdefault(r["repeat"], {})[r["target"]] = r
    out = []
    out.append("### Fixed rate (hey, keep-alive; ms; median of repeats)\n")
    out.append("| body | mode | rate | target | achieved req/s | p50 | p90 | p99 | added p50 | added p90 | added p99 | CPU µs/req | errors | load1 | other cores |")
    out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for (body, mode, rate) in sorted(by, key=lambda k: (k[0] != "60k", k[1], int(k[2]))):
        reps = by[(body, mode, rate)]
        targets = sorted({t for rep in reps.values() for t in rep}, key=lambda t: order.get(t, 9))
        for t in targets:
            runs = [rep[t] for rep in reps.values() if t in rep]
            p = {k: med([float(x.get(k) or "nan") for x in runs])
                 for k in ("p50_ms", "p90_ms", "p99_ms", "achieved_rps", "cpu_us_per_req")}
            added = {}
            for k in ("p50_ms", "p90_ms", "p99_ms"):
                diffs = [float(rep[t][k]) - float(rep["direct"][k]) for rep in reps.values() if t in rep and "direct" in rep]
                added[k] = med(diffs) if t != "direct" else float("nan")
            errors = sum(int(x["errors"]) for x in runs)
            loads = sorted(float(x["load1"]) for x in runs)
            load = f"{loads[0]:.1f}–{loads[-1]:.1f}" if loads else ""
            others = sorted(float(x.get("other_cores") or "nan") for x in runs)
            other = f"{others[0]:.2f}–{others[-1]:.2f}" if others else ""
            out.append(f"| {body} | {mode} | {rate} | {t} | {p['achieved_rps']:.0f} | {fmt(p['p50_ms'])} | {fmt(p['p90_ms'])} | "
                       f"{fmt(p['p99_ms'])} | {fmt(added['p50_ms'], True)} | {fmt(added['p90_ms'], True)} | "
                       f"{fmt(added['p99_ms'], True)} | {p['cpu_us_per_req']:.0f} | {errors} | {load} | {other} |")
    sat = [r for r in rows if r["kind"] == "saturation"]
    if sat:
        out.append("\n### Saturation (hey without rate limit; median of repeats)\n")
        out.append("| body | mode | conns | direct req/s | nginx req/s | sluice req/s | sluice / nginx | sluice p50 / p99 ms | CPU µs/req nginx / sluice | load1 | other cores |")
        out.append("|---|---|---:|---:|---:|---:|---:|---|---|---|---|")
        sby = defaultdict(list)
        for r in sat:
            sby[(r["body"], r["mode"])].append(r)
        for (body, mode) in sorted(sby, key=lambda k: (k[0] != "60k", k[1])):
            rs = sby[(body, mode)]
            rps = {t: med([float(r["achieved_rps"]) for r in rs if r["target"] == t]) for t in order}
            s_p50 = med([float(r["p50_ms"]) for r in rs if r["target"] == "sluice"])
            s_p99 = med([float(r["p99_ms"]) for r in rs if r["target"] == "sluice"])
            cpu = {t: med([float(r.get("cpu_us_per_req") or "nan") for r in rs if r["target"] == t]) for t in order}
            loads = sorted(float(r["load1"]) for r in rs)
            ratio = rps["sluice"] / rps["nginx"] if rps["nginx"] == rps["nginx"] and rps["nginx"] else float("nan")
            out.append(f"| {body} | {mode} | {rs[0]['conns']} | {rps['direct']:.0f} | {rps['nginx']:.0f} | {rps['sluice']:.0f} | "
                       f"{ratio * 100:.0f}% | {fmt(s_p50)} / {fmt(s_p99)} | {cpu['nginx']:.0f} / {cpu['sluice']:.0f} | "
                       f"{loads[0]:.1f}–{loads[-1]:.1f} | {max(float(r.get('other_cores') or 0) for r in rs):.2f} max |")
    for i, meta in enumerate(metas):
        if meta:
            out.append(f"\n### Run {i + 1}: settings and memory\n")
            for k, v in meta.items():
                out.append(f"- {k}: {v}")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
