"""Vector-meson mixing V → X for V = ρ⁰, ω, φ (a vector X with quark couplings).

The X inherits the V's momentum (same 3-momentum, energy put on the X mass shell: the V is
off-shell at virtuality m_X) with weight N_X = N_V θ_V² (FORESEE convention,
formulas-production.md §1.4):

    θ_V = (e/g_V) · [Tr(T_V C)/Tr(T_V Q)] · m_V² / |m_X² − m_V² + i m_V Γ_V|,
    g_V² = 4π α² m_V / (3 Γ(V→e⁺e⁻)),

with the model ratio of Darkcast Eq. 2.11 (ρ: (c_u−c_d)², ω: 9(c_u+c_d)², φ: 9c_s²; ε² for the
dark photon). Γ_ee from PDG 2024 (check B1: g_ρ = 4.956, g_ω = 17.06, |g_φ| = 13.38).

Validity: a narrow-resonance, small-mixing approximation. At m_X → m_V it exceeds 1 (ω: θ²/ε² =
2.56 at the pole) — physically the X–V system then mixes maximally. θ² is therefore capped at
``cap`` (default 1; ``cap=None`` reproduces FORESEE, which does not cap; UNVERIFIED treatment).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import ALPHA_EM
from ..sources.parents import Parents
from .base import Channel, DarkParticles
from ._data import table
from .vmd import mixing_ratio

_NAMES = {"rho0": "rho_mixing", "omega": "omega_mixing", "phi": "phi_mixing"}


def coupling_g_v(vector: str) -> float:
    """g_V = √(4πα² m_V/(3Γ_ee)) from PDG Γ(V→e⁺e⁻) (formulas-production.md §1.4)."""
    t = table("vector_meson_ee")[vector]
    return math.sqrt(4 * math.pi * ALPHA_EM**2 * t["mass"] / (3 * t["gamma_ee_kev"] * 1e-6))


def mixing_angle_squared(vector: str, m_x: float, cu: float, cd: float, cs: float,
                         cap: float | None = 1.0) -> float:
    """θ_V² for couplings (c_u, c_d, c_s) in units of e (uncapped if ``cap`` is None)."""
    t = table("vector_meson_ee")[vector]
    m_v, g_v = t["mass"], t["width"]
    e2 = 4 * math.pi * ALPHA_EM
    theta2 = (e2 / coupling_g_v(vector) ** 2 * mixing_ratio(vector, cu, cd, cs)
              * m_v**4 / ((m_x**2 - m_v**2) ** 2 + (m_v * g_v) ** 2))
    return theta2 if cap is None else min(theta2, cap)


class VectorMixingChannel(Channel):
    """V → X mixing, V one of ``rho0``, ``omega``, ``phi``."""

    def __init__(self, vector: str, cap: float | None = 1.0):
        if vector not in _NAMES:
            raise ValueError(f"vector mixing is defined for {sorted(_NAMES)}, not {vector!r}")
        self.parent = vector
        self.name = _NAMES[vector]
        self.cap = cap

    @property
    def meson(self) -> str:
        """Alias of :attr:`parent`."""
        return self.parent

    def accepts(self, model) -> bool:
        return hasattr(model, "meson_factor")

    def closed_reason(self, model) -> str | None:
        cu, cd, cs = model.coupling("u"), model.coupling("d"), model.coupling("s")
        if mixing_ratio(self.parent, cu, cd, cs) == 0.0:
            return f"{self.name}: the model's {self.parent} charge Tr(T_V C) is zero (zero yield)"
        return None

    def rate(self, model) -> float:
        """Probability per parent V: θ_V²."""
        cu, cd, cs = model.coupling("u"), model.coupling("d"), model.coupling("s")
        return mixing_angle_squared(self.parent, model.mass, cu, cd, cs, self.cap)

    branching_ratio = rate

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        """One X per parent V, same 3-momentum, E = √(p² + m_X²); weight = w_V θ_V².

        The V of the event record is the virtual V* that turns into X: it carries X's
        four-momentum (invariant mass m_X, not m_V), so four-momentum is conserved at the vertex.
        """
        closed = self._closed(model)
        if closed is not None:
            return closed
        p4 = parents.p4.copy()
        p4[:, 3] = np.sqrt(np.sum(p4[:, :3] ** 2, axis=1) + model.mass**2)
        return DarkParticles(
            pdg=model.pdgid, mass=model.mass, p4=p4, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * self.rate(model), origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=p4, parent_vertex=parents.vertex)
