"""End-to-end throughput of the shipped SBND dark-photon card, and precision per second.

    python benchmarks/bench_chain.py [N]

Prints samples/s (π⁰ → γA′ decays generated, geometry, decay in SBND, event record) with and
without writing Parquet + ROOT, the peak memory, and the relative statistical error reached.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import darkbeam

CARD = Path(__file__).resolve().parents[1] / "cards" / "sbnd_dark_photon.toml"


def main(n: int = 2_000_000) -> None:
    darkbeam.run(CARD, events=70_000, outputs=[], summary=None, progress=False)  # JIT warm-up
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, outputs in (("in memory", []),
                               ("Parquet+ROOT", [f"{tmp}/e.parquet", f"{tmp}/e.root"])):
            t0 = time.perf_counter()
            res = darkbeam.run(CARD, events=n, outputs=outputs, summary=None, progress=False,
                               keep_events=not outputs)
            dt = time.perf_counter() - t0
            rel = res.stat_uncertainty / res.expected_events
            print(f"{label:>13s}: {n / dt:,.0f} samples/s, {res.summary['n_events'] / dt:,.0f} "
                  f"events/s, {dt:.2f} s, N = {res.expected_events:.4g} ± {100 * rel:.2f} %")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 2_000_000)
