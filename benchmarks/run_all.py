"""End-to-end throughput, peak memory and precision per second for three shipped cards.

    python benchmarks/run_all.py [--quick]

Cards: a meson-decay dark photon at SBND (``cards/sbnd_dark_photon.toml``), a Primakoff ALP at CCM
(``cards/ccm_alp.toml``) and χ scattering on electrons at MiniBooNE in BNB dump mode
(``cards/miniboone_dm.toml``).  Each card runs in its own process (so the peak RSS is the card's):
a small warm-up run (numba JIT, EM cascade, tables), then runs of increasing size in memory, no
files written.  Printed as a markdown table with the machine.

Columns: samples/s = dark particles generated per second (all channels); events/s = detected
events recorded per second; rel. err = statistical error / expected count; t(1 %) = wall time to
reach 1 % precision, extrapolated as t · (rel. err / 0.01)² from the largest run (the error falls
as 1/√N).  Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARDS = {
    "dark photon, π⁰ → γA′, SBND": "sbnd_dark_photon.toml",
    "ALP, Primakoff, a → γγ, CCM200": "ccm_alp.toml",
    "χ–e scattering, π⁰/η → γχχ̄, MiniBooNE dump": "miniboone_dm.toml",
}

_CHILD = r"""
import json, resource, sys, time, warnings
import darkbeam
warnings.simplefilter("ignore")
card, sizes = sys.argv[1], [int(x) for x in sys.argv[2].split(",")]
t0 = time.perf_counter()
darkbeam.run(card, events=20_000, outputs=[], summary=None, progress=False, keep_events=False)
warm = time.perf_counter() - t0
out = {"warmup_s": warm, "runs": []}
for n in sizes:
    t0 = time.perf_counter()
    res = darkbeam.run(card, events=n, outputs=[], summary=None, progress=False, keep_events=False)
    dt = time.perf_counter() - t0
    n_ch = len(res.plan.open_channels) or 1
    out["runs"].append({"events_per_channel": n, "samples": n * n_ch, "wall_s": dt,
                        "n_events": int(res.summary["n_events"]), "N": float(res.expected_events),
                        "err": float(res.stat_uncertainty)})
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# per stage: self time (cProfile tottime) summed by darkbeam sub-package, one run of the middle size
import cProfile, pstats, os.path
prof = cProfile.Profile()
prof.enable()
darkbeam.run(card, events=sizes[len(sizes) // 2], outputs=[], summary=None, progress=False, keep_events=False)
prof.disable()
stages = {}
for (path, _line, _name), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(prof).stats.items():
    parts = path.replace(os.sep, "/").split("/")
    key = "other (numpy, awkward, numba dispatch, Python)"
    for top in ("generator", "geometry", "detectors"):
        if top in parts and "site-packages" not in path:
            sub = parts[parts.index(top) + 1:]
            key = top if top != "generator" else (sub[0] if len(sub) > 1 else sub[0].removesuffix(".py"))
            break
    stages[key] = stages.get(key, 0.0) + tottime
out["stages"] = stages
print(json.dumps(out))
"""


def bench(card: Path, sizes: list[int]) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(card), ",".join(map(str, sizes))],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: dict) -> str:
    lines = [f"Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
             f"Python {platform.python_version()} (one worker process).", "",
             "| card | samples/channel | wall (s) | samples/s | events/s | N ± stat | rel. err | "
             "t(1 %) (s) | peak RSS (MB) | warm-up (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label, res in results.items():
        for i, r in enumerate(res["runs"]):
            rel = r["err"] / r["N"] if r["N"] > 0 else float("nan")
            last = i == len(res["runs"]) - 1
            t1 = f"{r['wall_s'] * (rel / 0.01) ** 2:,.0f}" if last and rel == rel else ""
            rss = f"{res['peak_rss_mb']:.0f}" if last else ""
            warm = f"{res['warmup_s']:.1f}" if i == 0 else ""
            lines.append(
                f"| {label if i == 0 else ''} | {r['events_per_channel']:,} | {r['wall_s']:.2f} | "
                f"{r['samples'] / r['wall_s']:,.0f} | {r['n_events'] / r['wall_s']:,.0f} | "
                f"{r['N']:.4g} ± {r['err']:.2g} | {100 * rel:.2f} % | {t1} | {rss} | {warm} |")
    lines += ["", "Self time by stage (cProfile, one run of the middle size; numba kernels count in "
              "the stage that calls them):", "",
              "| card | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for label, res in results.items():
        st = res.get("stages", {})
        total = sum(st.values()) or 1.0
        cells = []
        for stage in STAGES:
            keys = [k for k in st if _stage_of(k) == stage]
            v = sum(st[k] for k in keys)
            cells.append(f"{v:.2f} s ({100 * v / total:.0f} %)")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


STAGES = ("sources", "production", "geometry", "decay / scattering", "event record, run, io", "other")


def _stage_of(key: str) -> str:
    if key in ("sources",):
        return "sources"
    if key in ("production", "models", "kinematics", "sampling"):
        return "production"
    if key in ("geometry", "detectors"):
        return "geometry"
    if key in ("decays", "scattering", "timing", "response"):
        return "decay / scattering"
    if key in ("events", "run", "io", "result", "pipeline", "card", "checkpoint"):
        return "event record, run, io"
    return "other"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller runs (a minute in all)")
    args = ap.parse_args(argv)
    sizes = [50_000, 200_000] if args.quick else [100_000, 400_000, 1_000_000]
    results = {}
    for label, name in CARDS.items():
        print(f"running {name} …", file=sys.stderr, flush=True)
        results[label] = bench(ROOT / "cards" / name, sizes)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
