"""Throughput of the darkbeam sources on one core: parents per second.

Run: ``python benchmarks/bench_sources.py`` (numba kernels are compiled, and cached, before timing).
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from darkbeam.sources import (em_cascade, facility_meson_source, photons_from_decays, stopped_pion_source)
from darkbeam.sources.target_em import beam_primaries


def _rate(fn, n: int, repeat: int = 3) -> float:
    fn(min(n, 1000))  # warm up (numba compilation, caches)
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(n)
        best = min(best, time.perf_counter() - t0)
    return n / best


def main() -> None:
    rng = np.random.default_rng(1)
    n = 2_000_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = [("BNB", "pi0"), ("BNB", "eta"), ("NuMI", "pi0"), ("NuMI", "eta"), ("CERN_SPS", "pi0"),
                 ("LANSCE_Lujan", "pi0"), ("SNS", "pi0"), ("JPARC_MLF", "pi0")]
        for facility, meson in cases:
            src = facility_meson_source(facility, meson)
            print(f"meson source {facility:>13} {meson:<5}: {_rate(lambda k: src.sample(rng, k), n):10.3e} parents/s")
        pi0 = facility_meson_source("BNB", "pi0").sample(rng, n)
        print(f"π⁰ → γγ photons           : "
              f"{_rate(lambda k: photons_from_decays(pi0.select(slice(0, k)), rng), n):10.3e} parents/s")
        nu = stopped_pion_source("SNS")
        print(f"stopped-pion ν (3 per π⁺) : {_rate(lambda k: nu.sample(rng, k), n):10.3e} π⁺/s")
        for e0, mat in ((1.0, "W"), (10.0, "W")):
            rate = _rate(lambda k: em_cascade(beam_primaries(e0, k), mat, rng, length=1.0), 200, repeat=1)
            print(f"EM cascade e⁻ {e0:>4g} GeV in {mat} : {rate:10.3e} primaries/s "
                  f"({rate * e0:.3e} GeV/s, 1 MeV cuts)")


if __name__ == "__main__":
    main()
