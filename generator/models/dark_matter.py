"""Dark matter coupled to a vector mediator X: Dirac fermion, complex scalar, inelastic pair.

Lagrangian (formulas-detection.md §0.1): 𝓛 ⊃ g_χ X_μ J^μ_χ with J = χ̄γ^μχ (Dirac),
i(χ*∂^μχ − χ∂^μχ*) (complex scalar) or χ̄₂γ^μχ₁ + h.c. (inelastic), α_D = g_χ²/4π.
Masses in GeV, widths in GeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import beta, check_coupling, check_mass

KINDS = ("dirac", "complex_scalar", "inelastic")


@dataclass(frozen=True)
class DarkMatter:
    """Dark-matter content of a vector-portal model.

    Parameters
    ----------
    kind : ``"dirac"``, ``"complex_scalar"`` or ``"inelastic"``
    mass : float
        m_χ in GeV (m_χ₁, the lighter state, for ``inelastic``).
    alpha_d : float
        α_D = g_χ²/4π (≥ 0).
    delta : float
        Absolute mass splitting Δ = m_χ₂ − m_χ₁ in GeV (``inelastic`` only, ≥ 0).
    """

    kind: str
    mass: float
    alpha_d: float
    delta: float = 0.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"dark matter kind must be one of {KINDS}, got {self.kind!r}")
        object.__setattr__(self, "mass", check_mass(self.mass, "dark matter mass"))
        a = check_coupling(self.alpha_d, "alpha_d")
        if a < 0:
            raise ValueError(f"alpha_d must be >= 0, got {self.alpha_d!r}")
        object.__setattr__(self, "alpha_d", a)
        d = check_coupling(self.delta, "delta")
        if d < 0:
            raise ValueError(f"mass splitting delta must be >= 0 GeV, got {self.delta!r}")
        if self.kind != "inelastic" and d != 0:
            raise ValueError(f"delta is only meaningful for inelastic dark matter (kind={self.kind!r})")
        object.__setattr__(self, "delta", d)

    @property
    def pdgid(self) -> int:
        """PDG MC dark-matter block: 52 spin-½ DM, 51 spin-0 DM (χ₁ for inelastic)."""
        return 51 if self.kind == "complex_scalar" else 52

    @property
    def channel(self) -> str:
        """Name of the invisible decay channel of the mediator."""
        return "chi1chi2" if self.kind == "inelastic" else "chichibar"

    @property
    def m1(self) -> float:
        return self.mass

    @property
    def m2(self) -> float:
        return self.mass + self.delta

    def threshold(self) -> float:
        """Smallest mediator mass (GeV) for which X → DM is open."""
        return self.m1 + self.m2

    def mediator_width(self, m_x: float) -> float:
        """Γ(X → χχ̄), Γ(X → φφ*) or Γ(X → χ₁χ₂) in GeV; 0 when closed.

        * Dirac: α_D m/3 (1 + 2r) √(1 − 4r), r = m_χ²/m²;
        * complex scalar: α_D m/12 (1 − 4r)^{3/2};
        * inelastic: α_D m/3 λ^{1/2} [1 − (m₁²+m₂²)/2m² + 3m₁m₂/m² − (m₁²−m₂²)²/2m⁴].

        Sources: formulas-detection.md §1.7 (seed002a §2.2; DeLiVeR ``vecdecays.py::Gamma2DM``)
        and §1.8 (a). These are the widths for a DM coupling g_χ = √(4πα_D) to X.
        """
        if m_x <= self.threshold():
            return 0.0
        r = (self.mass / m_x) ** 2
        if self.kind == "dirac":
            return self.alpha_d * m_x / 3.0 * (1 + 2 * r) * math.sqrt(1 - 4 * r)
        if self.kind == "complex_scalar":
            return self.alpha_d * m_x / 12.0 * (1 - 4 * r) ** 1.5
        m1, m2 = self.m1, self.m2
        lam12 = beta(m_x, m1, m2)
        bracket = (1 - (m1**2 + m2**2) / (2 * m_x**2) + 3 * m1 * m2 / m_x**2
                   - (m1**2 - m2**2) ** 2 / (2 * m_x**4))
        return self.alpha_d * m_x / 3.0 * lam12 * bracket

    # --- inelastic DM: χ₂ → χ₁ ℓ⁺ℓ⁻ -----------------------------------------------------
    def chi2_width(self, m_x: float, c_lepton: float, lepton: str = "e", n_nodes: int = 96) -> float:
        """Γ(χ₂ → χ₁ℓ⁺ℓ⁻) in GeV through an off-shell X of mass ``m_x`` (> Δ).

        ``c_lepton`` is the vector coupling of X to the lepton in units of e (−ε for the dark
        photon and the electron). Exact Dalitz integral of formulas-detection.md §1.8 (b)
        (all masses kept; derived there by trace algebra):

            Γ = 1/((2π)³ 32 m₂³) ∫ ds₁₂ ds₂₃ |M|²,
            |M|² = ½·16 g_χ² (g x_ℓ)² / (s₁₂ − m_X²)² [2(k·p₁)(P·p₂) + 2(k·p₂)(P·p₁)
                    − 2(k·P)X_b − 2(p₁·p₂)X_a + 4X_aX_b],  X_a = k·P − m₁m₂, X_b = p₁·p₂ + m_ℓ².

        Gauss–Legendre quadrature (``n_nodes``² points; ln s₁₂ and the Dalitz s₂₃ range mapped
        to [−1, 1]). Returns 0 when Δ ≤ 2m_ℓ. Requires m_X > Δ (no on-shell X).
        """
        if self.kind != "inelastic":
            raise ValueError("chi2_width is defined for inelastic dark matter only")
        ml = pdg_mass({"e": 11, "mu": 13}[lepton])
        m1, m2 = self.m1, self.m2
        if self.delta <= 2 * ml:
            return 0.0
        if m_x <= self.delta:
            raise ValueError(f"chi2 -> chi1 l l through an off-shell mediator needs m_X > delta; "
                             f"got m_X = {m_x} GeV, delta = {self.delta} GeV")
        x, wx = np.polynomial.legendre.leggauss(n_nodes)
        lo, hi = math.log(4 * ml * ml), math.log(self.delta**2)
        u = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
        s12 = np.exp(u)[:, None]
        jac12 = (0.5 * (hi - lo) * np.exp(u) * wx)[:, None]
        rs12 = np.sqrt(s12)
        e2 = rs12 / 2.0
        e3 = (m2 * m2 - s12 - m1 * m1) / (2 * rs12)
        p2 = np.sqrt(np.clip(e2 * e2 - ml * ml, 0, None))
        p3 = np.sqrt(np.clip(e3 * e3 - m1 * m1, 0, None))
        s23_min = ml * ml + m1 * m1 + 2 * (e2 * e3 - p2 * p3)
        s23_max = ml * ml + m1 * m1 + 2 * (e2 * e3 + p2 * p3)
        s23 = 0.5 * (s23_max - s23_min) * x[None, :] + 0.5 * (s23_max + s23_min)
        jac23 = 0.5 * (s23_max - s23_min) * wx[None, :]
        g_chi2 = 4 * math.pi * self.alpha_d
        g_l2 = 4 * math.pi * ALPHA_EM * c_lepton**2
        msq = 0.5 * 16 * g_chi2 * g_l2 * chi2_matrix_element_squared(s12, s23, m2, m1, ml, m_x)
        integral = float(np.sum(msq * jac12 * jac23))
        return integral / ((2 * math.pi) ** 3 * 32 * m2**3)

    def chi2_width_approx(self, m_x: float, c_lepton: float) -> float:
        """Small-splitting limit 4 c_ℓ² α α_D Δ⁵ / (15π m_X⁴) (Izaguirre, Krnjaic, Shuve,
        arXiv:1508.03050; valid for m_e ≪ Δ ≪ m₁, Δ ≪ m_X; overestimates by 15–35 % at Δ/m₁ ≈ 0.1–0.4)."""
        return 4 * c_lepton**2 * ALPHA_EM * self.alpha_d * self.delta**5 / (15 * math.pi * m_x**4)


def chi2_matrix_element_squared(s12, s23, m2: float, m1: float, ml: float, m_x: float):
    """Spin-averaged |M|² of χ₂ → χ₁ ℓ⁺ℓ⁻ through an off-shell vector X, up to the constant
    ½·16 g_χ²(g x_ℓ)² (formulas-detection.md §1.8 b: the Dirac trace over the χ and lepton lines,
    written with s₁₂ = (p_ℓ⁺ + p_ℓ⁻)², s₂₃ = (p_ℓ⁻ + p_χ₁)²; verified there against a 4×4 trace).
    Used for the width (:meth:`DarkMatter.chi2_width`) and by the decay sampler."""
    me2 = ml * ml
    p1p2 = (s12 - 2 * me2) / 2
    s13 = m2 * m2 + m1 * m1 + 2 * me2 - s12 - s23
    kp1 = (s13 - me2 - m1 * m1) / 2
    kp2 = (s23 - me2 - m1 * m1) / 2
    kP = kp1 + kp2 + m1 * m1
    Pp1 = me2 + p1p2 + kp1
    Pp2 = me2 + p1p2 + kp2
    xa = kP - m1 * m2
    xb = p1p2 + me2
    tr = 2 * kp1 * Pp2 + 2 * kp2 * Pp1 - 2 * kP * xb - 2 * p1p2 * xa + 4 * xa * xb
    return tr / (s12 - m_x * m_x) ** 2
