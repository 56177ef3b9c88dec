"""Neutral pseudoscalar meson decays P → γX (P = π⁰, η, η′) for a vector X.

BR(P → γX) = 2 |F_P|² (1 − m_X²/m_P²)³ BR(P → γγ)

with F_P the model's coupling factor (ε for the dark photon; arXiv:1801.04847 Eqs. 2.7–2.10,
formulas-production.md §1.2). The power 3 comes from |p|² of the anomaly vertex (2) times the
two-body phase space (1). Kinematics: isotropic two-body decay in the meson rest frame (summed over
the X helicities), the meson's lifetime neglected (cτ(π⁰) = 25 nm, cτ(η) = 0.15 nm).
"""

from __future__ import annotations

import numpy as np

from ..constants import PDG, branching_ratio_gamma_gamma, mass
from ..kinematics import two_body_decay
from ..sources.parents import Parents
from .base import DarkParticles


def branching_ratio(meson: str, m_x: float, coupling_factor: float) -> float:
    """BR(P → γX) for coupling factor F_P (0 when m_X ≥ m_P)."""
    m_p = mass(PDG[meson])
    if m_x >= m_p:
        return 0.0
    return 2.0 * coupling_factor ** 2 * (1.0 - (m_x / m_p) ** 2) ** 3 * branching_ratio_gamma_gamma(PDG[meson])


class MesonDecayChannel:
    """P → γX with P one of ``pi0``, ``eta``, ``etaprime``."""

    def __init__(self, meson: str):
        if meson not in ("pi0", "eta", "etaprime"):
            raise ValueError(f"P → γX is defined for pi0, eta, etaprime, not {meson!r}")
        self.meson = meson
        self.name = f"{meson}_decay"
        self.parent_mass = mass(PDG[meson])

    def accepts(self, model) -> bool:
        """P → γX needs a vector X (one with quark couplings, ``meson_factor``)."""
        return hasattr(model, "meson_factor")

    def closed_reason(self, model) -> str | None:
        if model.mass >= self.parent_mass:
            return (f"{self.name}: m_X = {model.mass:.4g} GeV ≥ m_{self.meson} = "
                    f"{self.parent_mass:.4g} GeV, channel closed (zero yield)")
        return None

    def branching_ratio(self, model) -> float:
        return branching_ratio(self.meson, model.mass, model.meson_factor(self.meson))

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        """One X per parent meson, weight = parent weight × BR(P → γX)."""
        n = len(parents)
        u = rng.random((n, 2))
        p_x, p_gamma = two_body_decay(parents.p4, model.mass, 0.0, u[:, 0], u[:, 1])
        br = self.branching_ratio(model)
        return DarkParticles(
            pdg=model.pdgid, mass=model.mass, p4=p_x, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * br, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((PDG["gamma"], p_gamma),))
