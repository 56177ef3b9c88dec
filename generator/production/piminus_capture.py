"""π⁻ capture at rest, π⁻ p → n X, for a vector X (formulas-production.md §6.1).

Kinematics: two-body from rest on a free proton, W = m_π⁻ + m_p: E_X = (W² + m_X² − m_n²)/(2W)
(129.41 MeV at m_X → 0, 130.57 at 50 MeV, 134.05 at 100 MeV), monochromatic and isotropic.

Rate per captured π⁻ (heuristic, UNVERIFIED; §6.1):

    P = f_rad · (c_u − c_d)² · p_X/p_γ,

f_rad = BR(π⁻p → nγ) = 1/(1 + P_Panofsky) = 0.393 on hydrogen (P = 1.546, Spuller et al. 1977);
the threshold (Kroll–Ruderman, isovector) amplitude scales with the π⁺ X-charge c_u − c_d (ε for
the dark photon, zero for B−L/baryonic); p_X/p_γ is the two-body phase-space ratio; O(m_X²/E²)
corrections to the matrix element are neglected. In heavy targets π⁻ are captured by nuclei and
radiative capture is only ~2 %: pass ``radiative_fraction`` accordingly (BdNMC's effective
½ε²(1 − m²/0.129²)³ corresponds to an upper estimate). Parents: stopped π⁻ (weight = captures
per POT; p4 at rest or with residual momentum, boosted exactly).
"""

from __future__ import annotations

import numpy as np

from ..constants import PDG, mass
from ..kinematics import two_body_momentum
from ..sources.parents import Parents
from ._data import table
from .aiming import aimed_two_body
from .base import Channel, DarkParticles
from .splitting import M_P


def radiative_fraction_hydrogen() -> float:
    """1/(1 + P), P the Panofsky ratio."""
    return 1.0 / (1.0 + table("piminus_capture")["panofsky_ratio"])


class PiMinusCaptureChannel(Channel):
    name = "piminus_capture"
    parent = "pi-"
    default_aim_fraction = 1.0   # at rest: every direction that can hit lies in the cone

    def __init__(self, radiative_fraction: float | None = None):
        f = radiative_fraction_hydrogen() if radiative_fraction is None else float(radiative_fraction)
        if not 0 <= f <= 1:
            raise ValueError(f"piminus_capture radiative_fraction must be in [0, 1], got {f}")
        self.radiative_fraction = f
        self.m_n = mass(PDG["neutron"])
        self.w = mass(-211) + M_P

    def accepts(self, model) -> bool:
        return hasattr(model, "meson_factor")

    def closed_reason(self, model) -> str | None:
        if model.mass >= self.w - self.m_n:
            return (f"{self.name}: m_X = {model.mass:.4g} GeV ≥ m_π + m_p − m_n = {self.w - self.m_n:.4g} GeV, "
                    "channel closed (zero yield)")
        if model.coupling("u") == model.coupling("d"):
            return f"{self.name}: c_u − c_d = 0 (isoscalar X), zero yield"
        return None

    def rate(self, model) -> float:
        """X per captured π⁻."""
        p_x = two_body_momentum(self.w, self.m_n, model.mass)
        p_g = two_body_momentum(self.w, self.m_n, 0.0)
        return float(self.radiative_fraction * (model.coupling("u") - model.coupling("d")) ** 2 * p_x / p_g)

    branching_ratio = rate

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        tot = parents.p4.copy()
        tot[:, 3] += M_P
        # X aimed at the detector (isotropic at rest: the cone weight; exact, aiming.py)
        p_x, p_n, w_aim, _ = aimed_two_body(tot, parents.vertex, model.mass, self.m_n, self.aim, rng)
        return DarkParticles(
            pdg=model.pdgid, mass=model.mass, p4=p_x, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * self.rate(model) * w_aim, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((PDG["neutron"], p_n),), importance=w_aim)
