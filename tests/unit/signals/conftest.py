"""Shared helpers of the signal tests: independent formulas (written here, not imported from the
code under test), a slab detector stub and beam-particle factories."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam.production.base import DarkParticles

# constants written out (formulas-detection.md §0, PDG 2024) — independent of darkbeam.constants
ALPHA = 1 / 137.035999084
GF = 1.1663788e-5
SW2 = 0.23857
ME = 0.51099895e-3
MMU = 0.1056583755
MPI = 0.13957039
GEV2_CM2 = 0.3893793721e-27
U = 0.93149410242
HBARC_FM = 0.1973269804


def helm_f2(q, a):
    """Lewin–Smith Helm F² written independently (formulas-detection.md §3.2)."""
    c = 1.23 * a ** (1 / 3) - 0.60
    r1 = np.sqrt(c * c + 7 / 3 * np.pi**2 * 0.52**2 - 5 * 0.81)
    x = q / HBARC_FM * r1
    j1 = np.sin(x) / x**2 - np.cos(x) / x
    return (3 * j1 / x * np.exp(-((q / HBARC_FM * 0.9) ** 2) / 2)) ** 2


class Slab:
    """Detector stub: the slab z0 ≤ z ≤ z1 with |x|,|y| ≤ half (m), material ``material``."""

    def __init__(self, z0=100.0, z1=105.0, half=1.0, material="LAr"):
        self.z0, self.z1, self.half, self.material = z0, z1, half, material

    def intersect(self, origins, directions):
        dz = directions[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            l_in = (self.z0 - origins[:, 2]) / dz
            l_out = (self.z1 - origins[:, 2]) / dz
        ok = (dz > 0) & (l_in >= 0)
        for lx in (l_in, l_out):
            p = origins + lx[:, None] * directions
            ok &= (np.abs(p[:, 0]) <= self.half) & (np.abs(p[:, 1]) <= self.half)
        return np.where(ok, l_in, np.nan), np.where(ok, l_out, np.nan)


def beam(energy, mass, pdg, n, direction=(0.0, 0.0, 1.0), parent_pdg=211, siblings=()):
    """n particles of one energy (array or scalar) from the origin along ``direction``."""
    e = np.broadcast_to(np.asarray(energy, float), (n,)).copy()
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    p = np.sqrt(e * e - mass * mass)
    p4 = np.column_stack([p[:, None] * d[None, :], e])
    z3 = np.zeros((n, 3))
    return DarkParticles(pdg, mass, p4, z3, np.zeros(n), np.full(n, 1.0 / n), z3, np.zeros(n),
                         np.full(n, parent_pdg), p4.copy(), z3, tuple(siblings))


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)


@pytest.fixture(scope="session")
def h():
    """This module's helpers (independent formulas, stubs, factories)."""
    import sys
    return sys.modules[__name__]
