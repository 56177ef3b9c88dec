"""Throughput of every production channel (dark particles produced per second, one core).

    python benchmarks/bench_production.py [N]

Parents are synthetic (monoenergetic beams along z) so that only the channel's own work is timed;
the first call of each channel (numba JIT, table loading) is excluded. Not a test: numbers depend
on the machine. Target (issue 6): ≥ 10⁶ dark particles/s for meson decays.
"""

from __future__ import annotations

import platform
import sys
import time
import warnings

import numpy as np

from darkbeam.models import ALP, DarkMatter, DarkScalar, VectorMediator
from darkbeam.production import make_channel
from darkbeam.sources.parents import Parents

ME, MP = 0.51099895e-3, 0.93827208816


def parents(pdg: int, mass: float, energy: float, n: int, rng, spread: bool = False) -> Parents:
    """n parents near +z; ``spread``: energies log-uniform in [energy/20, energy] (a cascade-like
    spectrum, so per-energy tables are exercised), else monoenergetic."""
    d = rng.normal(size=(n, 3)) * [0.05, 0.05, 1.0]
    d /= np.linalg.norm(d, axis=1)[:, None]
    if spread:
        energy = energy * np.exp(-rng.random(n) * np.log(20.0))
    p = np.sqrt(np.asarray(energy) ** 2 - mass**2)
    p = p[:, None] if np.ndim(p) else p
    return Parents(np.full(n, pdg, dtype=np.int32), np.column_stack([d * p, np.broadcast_to(energy, (n,))]),
                   np.zeros((n, 3)), np.zeros(n), np.ones(n))


CASES = [  # channel, parent (pdg, mass, energy), model
    ("pi0_decay", (111, 0.1349768, 2.0), VectorMediator.dark_photon(0.05, 1e-4)),
    ("eta_decay", (221, 0.547862, 5.0), VectorMediator.dark_photon(0.2, 1e-4)),
    ("etaprime_decay", (331, 0.95778, 5.0), VectorMediator.dark_photon(0.5, 1e-4)),
    ("pi0_decay_dm", (111, 0.1349768, 2.0), VectorMediator(0.05, epsilon=1e-4, dark_matter=DarkMatter("dirac", 0.01, 0.5))),
    ("eta_decay_dm", (221, 0.547862, 5.0), VectorMediator(0.8, epsilon=1e-4, dark_matter=DarkMatter("dirac", 0.05, 0.5))),
    ("rho_mixing", (113, 0.77526, 5.0), VectorMediator.dark_photon(0.7, 1e-4)),
    ("omega_mixing", (223, 0.78266, 5.0), VectorMediator.dark_photon(0.7, 1e-4)),
    ("phi_mixing", (333, 1.019461, 5.0), VectorMediator.dark_photon(0.9, 1e-4)),
    ("proton_brem", (2212, MP, 120.0), VectorMediator.dark_photon(0.3, 1e-6)),
    ("scalar_proton_brem", (2212, MP, 120.0), DarkScalar(0.3, sin_theta=1e-4)),
    ("electron_brem", (11, ME, 10.0), VectorMediator.dark_photon(0.05, 1e-4)),
    ("positron_brem", (-11, ME, 10.0), ALP(0.05, g_aee=1e-6)),
    ("primakoff", (22, 0.0, 2.0), ALP(0.05, g_agg=1e-5)),
    ("compton", (22, 0.0, 2.0), ALP(0.01, g_aee=1e-6)),
    ("annihilation_resonant", (-11, ME, 0.28), ALP(0.017, g_aee=1e-6)),
    ("annihilation_gamma", (-11, ME, 1.0), VectorMediator.dark_photon(0.01, 1e-4)),
    ("piminus_capture", (-211, 0.13957039, 0.13957039), VectorMediator.dark_photon(0.05, 1e-4)),
    ("kaon_decay_charged", (321, 0.493677, 0.493677), DarkScalar(0.1, sin_theta=1e-4)),
    ("kaon_decay_long", (130, 0.497611, 3.0), DarkScalar(0.1, sin_theta=1e-4)),
]


def main(n: int = 1_000_000) -> None:
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}, "
          f"N = {n:,} parents per channel")
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(1)
    spread = {"electron_brem", "positron_brem", "primakoff", "compton", "annihilation_gamma"}
    for name, (pdg, mass, energy), model in CASES:
        ch = make_channel(name)
        ch.produce(parents(pdg, mass, energy, 1000, rng), model, rng)  # warm-up
        par = parents(pdg, mass, energy, n, rng, spread=name in spread)
        t0 = time.perf_counter()
        x = ch.produce(par, model, rng)
        dt = time.perf_counter() - t0
        print(f"{name:>22s}: {len(x) / dt:>12,.0f} dark particles/s  ({dt:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
