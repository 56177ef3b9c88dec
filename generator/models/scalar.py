"""Higgs-portal dark scalar S mixing with the Higgs (angle θ): 𝓛 ⊃ −sin θ (m_f/v) S f̄f + ….

Widths (masses in GeV, widths in GeV), v = 246.22 GeV = (√2 G_F)^{-1/2}:

* S → ℓ⁺ℓ⁻: sin²θ m_ℓ² m_S/(8π v²) β_ℓ³ (seed002a Eq. (13), arXiv:2207.06898).
* S → ππ: sin²θ 3|G_π|²/(32π v² m_S) β_π (seed002a Eq. (14), the sum over ππ); split
  π⁺π⁻ : π⁰π⁰ = 2 : 1 (isospin; the π⁰π⁰ pair of identical particles carries the ½):
  Γ(π⁺π⁻) = sin²θ |G_π(m_π±)|²/(16π v² m_S) β(m_π±), Γ(π⁰π⁰) = sin²θ |G_π(m_π⁰)|²/(32π v² m_S) β(m_π⁰),
  each channel with its own pion mass in both G_π and β (formulas-detection.md §2.2 gives the
  isospin-limit sum with m_π±; the physical masses break the 2 : 1 only through these two
  factors: at 300 MeV Γ(π⁺π⁻)/Γ(π⁰π⁰) = 1.80). Leading-order chiral perturbation theory /
  low-energy theorem (Voloshin, Sov. J. Nucl. Phys. 44 (1986) 478; Donoghue, Gasser,
  Leutwyler, Nucl. Phys. B343 (1990) 341): G_π = (2/9)θ^μ_μ + (7/9)Σ m_q q̄q matrix elements
  = (2/9)(m_S² + 11/2 m_π²).
* S → KK̄: the same low-energy theorem for kaons (derived here: ⟨KK̄|θ^μ_μ|0⟩ = s + 2m_K²,
  ⟨KK̄|Σ_{u,d,s} m_q q̄q|0⟩ = m_K² at LO) gives G_K = (2/9)(m_S² + 11/2 m_K²) and
  Γ(S→K⁺K⁻) = Γ(S→K⁰K̄⁰) = sin²θ |G_K|²/(16π v² m_S) β_K in the isospin limit (each channel
  with its own kaon mass, as for the pions).
  LO ChPT is reliable only near the ππ threshold (≲ 0.5 GeV). Above, dispersive treatments
  (DGL 1990; Winkler arXiv:1809.01876; Monin, Boyarsky, Ruchayskiy arXiv:1806.07759) differ from
  LO by large factors near the f₀(980) and add ηη, 4π, gg; they are not implemented (their tables
  are not available here). A :class:`ModelValidityWarning` is issued when hadronic widths are
  evaluated above 0.5 GeV, and the model is not meant for m_S > 2 GeV.
* S → γγ: one loop (Djouadi, hep-ph/0503172; formulas-detection.md §2.2):
  Γ = sin²θ α² m_S³/(256π³ v²) |Σ_f N_c Q_f² A_{1/2}(τ_f) + A_1(τ_W)|², τ_i = m_S²/4m_i², with
  e, μ, τ, c, b, t and W. Light-quark / hadron loops are not included: below ~1 GeV Γ_γγ is model
  dependent (formulas-detection.md §2.2) — it is a sub-dominant channel above 2m_e.
"""

from __future__ import annotations

import cmath
import math
import warnings

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import DecayingModel, ModelValidityWarning, beta, check_coupling, check_mass

#: Higgs vacuum expectation value v (GeV), PDG 2024 (= (√2 G_F)^{-1/2})
VEV = 246.21965
#: upper edge (GeV) of the LO chiral-perturbation-theory validity for S → ππ, KK̄
LO_CHPT_MAX = 0.5


def _g_lo(m_s: float, m_meson: float) -> float:
    """LO low-energy-theorem form factor (2/9)(m_S² + 11/2 m²) (GeV²) for a meson of mass m."""
    return 2.0 / 9.0 * (m_s * m_s + 5.5 * m_meson**2)


def _f(tau: float) -> complex:
    """Loop function f(τ) of Djouadi (hep-ph/0503172)."""
    if tau <= 1:
        return complex(math.asin(math.sqrt(tau)) ** 2)
    r = math.sqrt(1 - 1 / tau)
    return -0.25 * (cmath.log((1 + r) / (1 - r)) - 1j * math.pi) ** 2


def a_half(tau: float) -> complex:
    """Spin-½ amplitude A_{1/2}(τ) = 2[τ + (τ−1)f(τ)]/τ² (→ 4/3 for τ → 0)."""
    if tau < 1e-6:
        return complex(4.0 / 3.0)
    return 2 * (tau + (tau - 1) * _f(tau)) / tau**2


def a_one(tau: float) -> complex:
    """Spin-1 amplitude A_1(τ) = −[2τ² + 3τ + 3(2τ−1)f(τ)]/τ² (→ −7 for τ → 0)."""
    if tau < 1e-6:
        return complex(-7.0)
    return -(2 * tau**2 + 3 * tau + 3 * (2 * tau - 1) * _f(tau)) / tau**2


class DarkScalar(DecayingModel):
    """Scalar S of ``mass`` (GeV) with Higgs mixing ``sin_theta``."""

    pdgid = 54  # PDG MC scheme: spin-0 mediator of the dark-matter block
    coupling_names = ("sin_theta",)

    def __init__(self, mass: float, *, sin_theta: float, name: str = "dark_scalar"):
        self.mass = check_mass(mass, "scalar mass")
        s = check_coupling(sin_theta, "sin_theta")
        if abs(s) > 1:
            raise ValueError(f"sin_theta must be in [-1, 1], got {sin_theta!r}")
        self.sin_theta = s
        self.name = name

    def __repr__(self) -> str:
        return f"DarkScalar(mass={self.mass!r}, sin_theta={self.sin_theta!r})"

    def couplings(self) -> dict[str, float]:
        return {"sin_theta": self.sin_theta}

    def with_couplings(self, **kw: float) -> "DarkScalar":
        bad = set(kw) - set(self.coupling_names)
        if bad:
            raise ValueError(f"unknown couplings {sorted(bad)}; known: {list(self.coupling_names)}")
        return DarkScalar(self.mass, sin_theta=kw.get("sin_theta", self.sin_theta), name=self.name)

    def photon_amplitude(self) -> complex:
        """Σ_f N_c Q_f² A_{1/2}(τ_f) + A_1(τ_W) (e, μ, τ, c, b, t, W)."""
        m2 = self.mass**2
        amp = 0j
        for pid, nc, q in ((11, 1, -1), (13, 1, -1), (15, 1, -1), (4, 3, 2 / 3), (5, 3, -1 / 3), (6, 3, 2 / 3)):
            amp += nc * q * q * a_half(m2 / (4 * pdg_mass(pid) ** 2))
        return amp + a_one(m2 / (4 * pdg_mass(24) ** 2))

    def _partial_widths(self) -> dict[str, float]:
        m, s2 = self.mass, self.sin_theta**2
        out = {}
        for ch, pid in (("e+e-", 11), ("mu+mu-", 13), ("tau+tau-", 15)):
            ml = pdg_mass(pid)
            out[ch] = s2 * ml**2 * m / (8 * math.pi * VEV**2) * beta(m, ml) ** 3
        out["gammagamma"] = s2 * ALPHA_EM**2 * m**3 / (256 * math.pi**3 * VEV**2) * abs(self.photon_amplitude()) ** 2
        # each channel with its own meson mass (π±: 211, π⁰: 111, K±: 321, K⁰: 311; PDG via particle)
        m_pi, m_pi0, m_k, m_k0 = pdg_mass(211), pdg_mass(111), pdg_mass(321), pdg_mass(311)
        out["pi+pi-"] = s2 * _g_lo(m, m_pi) ** 2 / (16 * math.pi * VEV**2 * m) * beta(m, m_pi)
        out["pi0pi0"] = s2 * _g_lo(m, m_pi0) ** 2 / (32 * math.pi * VEV**2 * m) * beta(m, m_pi0)
        out["K+K-"] = s2 * _g_lo(m, m_k) ** 2 / (16 * math.pi * VEV**2 * m) * beta(m, m_k)
        out["K0K0bar"] = s2 * _g_lo(m, m_k0) ** 2 / (16 * math.pi * VEV**2 * m) * beta(m, m_k0)
        if m > LO_CHPT_MAX and m > 2 * m_pi0:
            warnings.warn(f"DarkScalar: hadronic widths at m_S = {m:.3g} GeV use leading-order chiral "
                          f"perturbation theory, valid below ~{LO_CHPT_MAX} GeV (uncertain by large factors "
                          "above; dispersive treatment not implemented)", ModelValidityWarning, stacklevel=3)
        return out

    def _aggregates(self) -> dict[str, tuple[str, ...]]:
        return {"pipi": ("pi+pi-", "pi0pi0"), "KK": ("K+K-", "K0K0bar"),
                "hadrons": ("pi+pi-", "pi0pi0", "K+K-", "K0K0bar")}
