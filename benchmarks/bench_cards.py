"""Every shipped card as shipped: precision, effective sample size, time to 1 %, and what aiming buys.

    python benchmarks/bench_cards.py [CARD ...] [--markdown] [--plain]

Each card runs in its own process on one core (``taskset -c 0`` when available; workers = 1): a
small warm-up run of the same card first (numba caches, EM cascade, tables), then the card with its
own events and seed, in memory (no files). Columns:

* ``N ± σ``, ``rel``: expected events and relative statistical error of the shipped run;
* ``ESS``: effective sample size (Σw)²/Σw² over samples; ``max w``: the largest sample's share;
* ``t``: wall time of the shipped run (warm-up of the importance included, set-up of the card's
  pools included); ``t(1 %)`` = t · (rel / 1 %)², the time a 1 % estimate takes at that rate;
* ``ESS/s``;
* ``aim gain``: per channel, the relative variance per sample of plain directions (α = 0) over the
  chosen aimed fraction, measured in the run's own warm-up on common random numbers;
  ``parent gain``: the relative variance per sample of the plain source over the learned parent
  importance (the warm-up's last round), both from ``summary["tuning"]``;
* with ``--plain``: the same card with ``[production] aim = false`` at the same number of samples,
  and ESS(aimed)/ESS(plain).

Target (issue 16): rel ≤ 1 %, ESS ≥ 10⁴ and t ≤ 10 s for every card. Not a test: the numbers
depend on the machine (printed with the table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, math, sys, time, warnings
import darkbeam
warnings.simplefilter("ignore")
card, plain = sys.argv[1], sys.argv[2] == "1"
extra = ["production.aim=false"] if plain else []
darkbeam.run(card, events=4096, outputs=[], summary=None, progress=False, keep_events=False,
             workers=1, set=extra)
t0 = time.perf_counter()
res = darkbeam.run(card, outputs=[], summary=None, progress=False, keep_events=False, workers=1, set=extra)
dt = time.perf_counter() - t0
s = res.summary
print(json.dumps({"N": s["expected_events"], "err": s["stat_uncertainty"], "rel": s["relative_uncertainty"],
                  "ess": s["effective_sample_size"], "share": s["max_weight_fraction"],
                  "n_generated": s["n_generated"], "t": dt, "tuning": s["tuning"],
                  "zero": s["zero_reasons"]}))
"""


def run_card(card: Path, plain: bool = False) -> dict:
    cmd = [sys.executable, "-c", _CHILD, str(card), "1" if plain else "0"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def gains(tuning: dict) -> str:
    parts = []
    for name, rep in tuning.items():
        rel = rep.get("relative_variance_by_fraction", {})
        chosen = rep.get("aim_fraction")
        aim = (rel.get("0.0", float("nan")) / rel[str(chosen)]) if chosen is not None and rel.get(str(chosen)) else None
        parent = rep.get("variance_gain")
        bits = [f"α={chosen:g}" if chosen is not None else ""]
        if aim is not None:
            bits.append(f"aim ×{aim:.3g}")
        if parent is not None:
            bits.append(f"parents ×{parent:.3g}")
        parts.append(f"{name}: " + ", ".join(b for b in bits if b))
    return "; ".join(parts)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, one core per card"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cards", nargs="*", help="default: cards/*.toml and cards/seeds/*.toml")
    ap.add_argument("--plain", action="store_true", help="also run each card without aiming")
    ap.add_argument("--json", metavar="PATH", help="write the raw numbers")
    args = ap.parse_args(argv)
    cards = [Path(c) for c in args.cards] or sorted((ROOT / "cards").glob("*.toml")) + sorted(
        (ROOT / "cards" / "seeds").glob("*.toml"))
    print(f"machine: {machine()}\n")
    head = "| card | N ± σ | rel | ESS | max w | samples | t (s) | t(1 %) (s) | ESS/s | gains (warm-up) |"
    if args.plain:
        head += " ESS plain | ESS gain |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    raw = {}
    for card in cards:
        r = run_card(card)
        raw[str(card)] = r
        name = card.relative_to(ROOT) if card.is_absolute() else card
        if "error" in r:
            print(f"| {name} | error: {r['error']} |")
            continue
        rel = r["rel"] if r["rel"] is not None else float("nan")
        t1 = r["t"] * (rel / 0.01) ** 2 if r["rel"] else float("nan")
        row = (f"| {name} | {r['N']:.4g} ± {r['err']:.2g} | {100 * rel:.2g} % | {r['ess']:.3g} | "
               f"{100 * r['share']:.2g} % | {r['n_generated']:.3g} | {r['t']:.2f} | {t1:.3g} | "
               f"{r['ess'] / r['t']:.3g} | {gains(r['tuning'])} |")
        if args.plain:
            p = run_card(card, plain=True)
            raw[str(card) + " (plain)"] = p
            if "error" in p:
                row += " error | |"
            else:
                row += f" {p['ess']:.3g} | ×{r['ess'] / p['ess']:.3g} |" if p["ess"] > 0 else f" 0 | – |"
        print(row, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
