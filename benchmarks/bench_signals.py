"""Throughput of the signal stages: ScatterSignal per process and DecaySignal per final state.

    python benchmarks/bench_signals.py [N]

One block of N beam particles (default 65536 = run.BLOCK_SIZE) all crossing a 5 m slab of CsI
(two nuclear species) or of electrons; prints particles/s and the peak memory. Also prints the
relative spread of p_interact (the variance the log-grid sampler adds on top of the physics).
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import platform
import resource
import sys
import time

import numpy as np

from darkbeam.decays import DecaySignal
from darkbeam.models import ALP, DarkMatter, VectorMediator
from darkbeam.production.base import DarkParticles
from darkbeam.scattering import ScatterSignal, Targets


class Slab:
    material = "LAr"

    def intersect(self, o, d):
        return np.full(len(o), 100.0), np.full(len(o), 105.0)


def beam(e_lo, e_hi, mass, pdg, n, rng, parent=211, siblings=()):
    e = rng.uniform(e_lo, e_hi, n) + mass
    p = np.sqrt(e * e - mass * mass)
    th = rng.uniform(0, 0.01, n)
    ph = rng.uniform(0, 2 * np.pi, n)
    d = np.column_stack([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)])
    p4 = np.column_stack([p[:, None] * d, e])
    z = np.zeros((n, 3))
    return DarkParticles(pdg, mass, p4, z, np.zeros(n), np.ones(n) / n, z, np.zeros(n), np.full(n, parent),
                         p4.copy(), z, siblings)


def timed(label, fn, n, repeat=3):
    fn()  # warm-up (numba JIT, caches)
    t = min(_t(fn) for _ in range(repeat))
    print(f"{label:42s} {n / t / 1e6:7.3f} M/s  ({t * 1e3:7.1f} ms per {n})")


def _t(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(n: int = 65536) -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    rng = np.random.default_rng(1)
    csi = Targets.from_list([(55, 132.905452, 1e28), (53, 126.904473, 1e28)])
    dm = VectorMediator(0.03, epsilon=1e-3, dark_matter=DarkMatter("dirac", 0.01, 0.5))
    cases = [
        ("dm_electron", dm, 0.01, 52, (0.05, 2.0)),
        ("dm_nucleus", dm, 0.01, 52, (0.01, 0.2)),
        ("cevns", VectorMediator(0.02, x={"u": 1e-5, "d": 1e-5, "nu_mu": 1e-5}), 0.0, 14, (0.01, 0.053)),
        ("nu_electron", None, 0.0, 12, (0.01, 0.053)),
        ("inverse_primakoff", ALP(0.005, g_agg=1e-4), 0.005, 9000005, (0.01, 1.0)),
        ("inverse_compton", ALP(0.005, g_aee=1e-5), 0.005, 9000005, (0.01, 1.0)),
    ]
    for name, model, m, pdg, (lo, hi) in cases:
        x = beam(lo, hi, m, pdg, n, rng)
        sig = ScatterSignal(name, targets=csi, recoil_min=1e-6 if name in ("dm_nucleus", "cevns") else 0.0)
        timed(f"ScatterSignal {name}", lambda: sig.apply(x, Slab(), model, rng), n)
        out = sig.apply(x, Slab(), model, rng)
        # grid-sampler variance at fixed energy: spread of p_interact/<p> for one energy
        x1 = beam(0.5 * (lo + hi), 0.5 * (lo + hi), m, pdg, 20000, rng)
        p = sig.apply(x1, Slab(), model, rng)["p_interact"]
        print(f"{'':42s} rms(p)/mean(p) at fixed E = {p.std() / p.mean():.3g}")
    vec = VectorMediator.dark_photon(0.1, 1e-5)
    x = beam(0.5, 5.0, 0.1, 55, n, rng, parent=111, siblings=((22, np.zeros((n, 4))),))
    x = DarkParticles(**{**x.__dict__, "parent_p4": np.tile([0, 0, 1.0, np.hypot(1.0, 0.135)], (n, 1))})
    for fs, pol in (("e+e-", "isotropic"), ("e+e-", "auto")):
        sig = DecaySignal(fs, polarization=pol)
        timed(f"DecaySignal {fs} ({pol})", lambda: sig.apply(x, Slab(), vec, rng), n)
    idm = VectorMediator(0.3, epsilon=1e-3, dark_matter=DarkMatter("inelastic", 0.1, 0.1, 0.04))
    x2 = beam(0.5, 5.0, 0.14, 9000052, n, rng)
    sig = DecaySignal("chi1e+e-")
    timed("DecaySignal chi1e+e- (three-body)", lambda: sig.apply(x2, Slab(), idm, rng), n)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 65536)
