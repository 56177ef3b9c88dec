"""End-to-end throughput of a shipped card, with and without writing files, and precision per second.

    python benchmarks/bench_chain.py [N] [CARD]     (default: 2e6, cards/sbnd_dark_photon.toml)

Prints samples/s and events/s of the whole chain (sources, production, geometry, decay or
scattering, event record) in memory and writing Parquet, ROOT, both, and HepMC3, the peak memory,
and the relative statistical error reached. Writers run in a thread of their own that overlaps the
generation (generator/io/base.py), so on two or more cores a file costs little unless the card
records events faster than the writer writes them: the SBND dark-photon card records ~0.5 % of its
samples, the COHERENT CsI CEvNS card (``cards/coherent_csi_cevns.toml``) ~1.5 events per sample.
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


def main(n: int = 2_000_000, card: Path = CARD) -> None:
    darkbeam.run(card, events=70_000, outputs=[], summary=None, progress=False)  # JIT warm-up
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}")
    print(f"card: {card}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, outputs in (("in memory", []), ("Parquet", [f"{tmp}/e.parquet"]),
                               ("ROOT", [f"{tmp}/e.root"]),
                               ("Parquet+ROOT", [f"{tmp}/e.parquet", f"{tmp}/e.root"]),
                               ("HepMC3", [f"{tmp}/e.hepmc"])):
            t0 = time.perf_counter()
            res = darkbeam.run(card, events=n, outputs=outputs, summary=None, progress=False,
                               keep_events=False)
            dt = time.perf_counter() - t0
            rel = res.stat_uncertainty / res.expected_events
            print(f"{label:>13s}: {n / dt:,.0f} samples/s, {res.summary['n_events'] / dt:,.0f} "
                  f"events/s, {dt:.2f} s, N = {res.expected_events:.4g} ± {100 * rel:.2f} %", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 2_000_000,
         Path(sys.argv[2]) if len(sys.argv) > 2 else CARD)
