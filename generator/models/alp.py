"""Axion-like particle a with photon and lepton couplings.

𝓛 ⊃ −(g_aγγ/4) a F_{μν}F̃^{μν} − i g_aℓ a ℓ̄γ⁵ℓ (formulas-detection.md §2.1); g_aγγ in GeV⁻¹,
g_aℓ dimensionless (Yukawa form; the derivative form (c_ℓ/2f)∂_μa ℓ̄γ^μγ⁵ℓ maps to
g_aℓ = c_ℓ m_ℓ/f on shell).
"""

from __future__ import annotations

import math

from ..constants import mass as pdg_mass
from ._common import DecayingModel, beta, check_coupling, check_mass


class ALP(DecayingModel):
    """ALP of ``mass`` (GeV) with couplings ``g_agg`` (GeV⁻¹), ``g_aee``, ``g_amumu``.

    Widths (Dolan et al. arXiv:1709.00009, Bauer–Neubert–Thamm arXiv:1708.00443; eq. nos.
    UNVERIFIED; formulas-detection.md §2.1):

        Γ(a→γγ) = g_aγγ² m³ / (64π),     Γ(a→ℓ⁺ℓ⁻) = g_aℓ² m / (8π) · √(1 − 4m_ℓ²/m²).

    Tree level; hadronic decays (through gluon couplings, absent here) and loop-induced
    a→γγ from g_aℓ are not included.
    """

    pdgid = 9000005  # ALP code of common UFO models (ALP_linear_UFO)
    coupling_names = ("g_agg", "g_aee", "g_amumu")

    def __init__(self, mass: float, *, g_agg: float = 0.0, g_aee: float = 0.0, g_amumu: float = 0.0,
                 name: str = "alp"):
        self.mass = check_mass(mass, "ALP mass")
        self.g_agg = check_coupling(g_agg, "g_agg")
        self.g_aee = check_coupling(g_aee, "g_aee")
        self.g_amumu = check_coupling(g_amumu, "g_amumu")
        self.name = name

    def __repr__(self) -> str:
        return f"ALP(mass={self.mass!r}, g_agg={self.g_agg!r}, g_aee={self.g_aee!r}, g_amumu={self.g_amumu!r})"

    def couplings(self) -> dict[str, float]:
        return {"g_agg": self.g_agg, "g_aee": self.g_aee, "g_amumu": self.g_amumu}

    def with_couplings(self, **kw: float) -> "ALP":
        """A copy with some of ``g_agg``, ``g_aee``, ``g_amumu`` replaced (widths ∝ g²)."""
        bad = set(kw) - set(self.coupling_names)
        if bad:
            raise ValueError(f"unknown couplings {sorted(bad)}; known: {list(self.coupling_names)}")
        cur = self.couplings()
        cur.update(kw)
        return ALP(self.mass, name=self.name, **cur)

    def _partial_widths(self) -> dict[str, float]:
        m = self.mass
        return {
            "gammagamma": self.g_agg**2 * m**3 / (64 * math.pi),
            "e+e-": self.g_aee**2 * m / (8 * math.pi) * beta(m, pdg_mass(11)),
            "mu+mu-": self.g_amumu**2 * m / (8 * math.pi) * beta(m, pdg_mass(13)),
        }
