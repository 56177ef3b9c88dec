"""Heavy neutral lepton N coupled to an active neutrino through a transition dipole (seed 002 §5.5.1).

𝓛 ⊃ d ν̄_α,L σ_μν F^μν N + h.c.   (d in GeV⁻¹; Magill, Plestid, Pospelov, Tsai, PRD 98 (2018) 115015,
arXiv:1803.03262, Eq. 1; seed 002 Eq. 21)

With F^μν = ∂^μA^ν − ∂^νA^μ the photon vertex is 2d σ_μν q^μ ε^ν P_R (both terms of F^μν), and

    Γ(N → ν_α γ) = |d|² m_N³ / (4π)                                   (Dirac N)

— derived here from that vertex (tests/unit/models/test_dipole.py evaluates the Dirac trace
numerically) and equal to the expression of arXiv:1803.03262. Check: d = 10⁻⁶ GeV⁻¹, m_N = 100 MeV
→ Γ = 7.958×10⁻¹⁷ GeV, cτ = 2.48 m; d = 10⁻⁷ GeV⁻¹, 50 MeV → cτ = 1.98 km. In the transition
magnetic-moment normalisation 𝓛 = (μ/2) ν̄ σ_μν F^μν N (e.g. Brdar, Greljo, Kopp, Opferkuch,
arXiv:2007.15563) μ = 2d.

Dirac or Majorana: a Dirac N decays only to ν_L γ; a Majorana N (N = N^c) also to ν̄ γ through the
hermitian-conjugate term, so its total width is twice the Dirac one, Γ_M = |d|² m_N³/(2π), with
the two channels equal. The production (ν_L → N up-scattering, :mod:`darkbeam.scattering.dipole`)
is the same for both.
"""

from __future__ import annotations

import math

from ._common import DecayingModel, check_coupling, check_mass

#: flavours α of the active neutrino the dipole couples to
FLAVOURS = ("e", "mu", "tau")


class DipoleHNL(DecayingModel):
    """N of mass ``mass`` (GeV) with transition dipole ``d`` (GeV⁻¹) to ν_``flavour``."""

    def __init__(self, mass: float, d: float, flavour: str = "mu", majorana: bool = False):
        self.mass = check_mass(mass)
        self.d = check_coupling(d, "d")
        if flavour not in FLAVOURS:
            raise ValueError(f"flavour {flavour!r}: expected one of {', '.join(FLAVOURS)}")
        self.flavour = flavour
        self.majorana = bool(majorana)

    def __repr__(self) -> str:
        kind = "Majorana" if self.majorana else "Dirac"
        return f"DipoleHNL(mass={self.mass:g} GeV, d={self.d:g} GeV^-1, flavour={self.flavour!r}, {kind})"

    def _partial_widths(self) -> dict[str, float]:
        gamma = self.d * self.d * self.mass**3 / (4.0 * math.pi)
        if self.majorana:
            return {"nu gamma": gamma, "nubar gamma": gamma}
        return {"nu gamma": gamma}
