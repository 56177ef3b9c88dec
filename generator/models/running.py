"""One-loop running of the couplings of a light vector X to the EM and a second U(1) current.

X couples as 𝓛 ⊃ X_μ Σ_f f̄γ^μ(εe Q_f + g_B q_f)f, with q a second U(1) charge (B−L for the
Esseili–Kribs mixture of seed001: εe = g_X cos φ, g_B = g_X sin φ). Below the electroweak scale
and for g_X ≪ e the RGEs are seed001 Eqs. (65)–(66) (Esseili & Kribs, App. B):

    μ de/dμ    = e³/(12π²) Σ_i N_c^i Q_i²,
    μ d(εe)/dμ = e²/(6π²) Σ_i N_c^i [(εe) Q_i² + g_B Q_i q_i],     g_B constant

(the O(g_X³) running of g_B, Eq. (63), is dropped, as in the paper). With S₁₁(μ) = Σ N_c Q² and
S₁₂(μ) = Σ N_c Q q over the fermions active at μ, both equations are linear in t = ln μ once
written for 1/e² and εe/e² (derived here: d(1/e²)/dt = −S₁₁/6π², d(εe/e²)/dt = g_B S₁₂/6π²):

    1/e²(μ) = 1/e²(μ₀) − A/(6π²),   εe(μ) = e²(μ) [εe(μ₀)/e²(μ₀) + g_B B/(6π²)],
    A = Σ_f N_c Q_f² [ℓ_f(μ) − ℓ_f(μ₀)],  B = Σ_f N_c Q_f q_f [ℓ_f(μ) − ℓ_f(μ₀)],  ℓ_f(μ) = max(0, ln μ/m_f),

exactly (closed form of Eq. (66) with step-function thresholds). Thresholds m_f (seed001 App. B):
leptons at their masses; "the up and down quark charges are added at the pion mass, the strange
quark at the mass of the lightest Kaon, and the charm at the mass of the lightest D meson" (π±, K±,
D⁰); the b quark, by the same rule, at the lightest B meson (B±; the paper's rule is stated below
2 GeV). Masses from the PDG tables of ``particle``. Neutrinos (Q = 0) do not contribute.

At the chargephobic point (φ = 3π/4, εe = −g_B) leptons drop out (Q² = Q q) and only quarks
move the angle, so nothing runs below m_π (seed001 App. B). Linearised, the electron
coupling in units of g_X is x_e(μ) ≈ (√2/24π²)(8/3) e² ln(μ/m_π) for m_π < μ < m_K (u and d:
Σ N_c(Q² − Qq) = 4/3). The paper's "simple analytic approximation" Eq. (67) has 11/3 instead of
8/3: it runs e with e, μ, u, d and scales εe with it, dropping the g_X Q q term of its own
Eq. (66); its x_e is 11/8 of the Eq. (66) solution (its ~10⁻⁶ lepton BR above 200 MeV becomes
(8/11)² ≈ 0.53 of it). The full numerical solution of Eqs. (62)–(64) agrees with the closed form
here to O(g_X²/e²) (tests/unit/models/test_running.py integrates them with scipy).
"""

from __future__ import annotations

import math
from typing import Mapping

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass

#: fermion → PDG id of the particle whose mass is its threshold (seed001 App. B prescription)
THRESHOLD_PDG = {"e": 11, "mu": 13, "tau": 15, "u": 211, "d": 211, "s": 321, "c": 421, "b": 521}
#: colour factors
N_COLOUR = {"e": 1, "mu": 1, "tau": 1, "u": 3, "d": 3, "s": 3, "c": 3, "b": 3}


def reference_scale() -> float:
    """Default reference scale μ₀ of the couplings (GeV): the electron mass, as in seed001
    Fig. 4 ("we made the particular choice φ(μ = m_e) = 3π/4")."""
    return pdg_mass(11)


def _log_above(mu: float, threshold: float) -> float:
    return math.log(mu / threshold) if mu > threshold else 0.0


def charge_sums(mu: float, mu0: float, q_em: Mapping[str, float], q_b: Mapping[str, float]
                ) -> tuple[float, float]:
    """(A, B) = ∫_{ln μ₀}^{ln μ} (S₁₁, S₁₂) dt with the thresholds of :data:`THRESHOLD_PDG`."""
    a = b = 0.0
    for f, pid in THRESHOLD_PDG.items():
        m_f = pdg_mass(pid)
        span = _log_above(mu, m_f) - _log_above(mu0, m_f)
        a += N_COLOUR[f] * q_em[f] ** 2 * span
        b += N_COLOUR[f] * q_em[f] * q_b.get(f, 0.0) * span
    return a, b


def run_mixing(mu: float, eps_e0: float, g_b: float, q_em: Mapping[str, float],
               q_b: Mapping[str, float], mu0: float | None = None) -> tuple[float, float]:
    """(e(μ), εe(μ)) from εe(μ₀) = ``eps_e0`` and the constant coupling ``g_b`` to the charges
    ``q_b`` (closed form of seed001 Eq. (66); μ, μ₀ in GeV; e(μ₀) = √(4πα(0)), μ₀ = m_e by
    default)."""
    mu0 = reference_scale() if mu0 is None else mu0
    if not (mu > 0 and mu0 > 0):
        raise ValueError(f"run_mixing: scales must be positive, got mu = {mu!r}, mu0 = {mu0!r}")
    e0_sq = 4 * math.pi * ALPHA_EM
    a, b = charge_sums(mu, mu0, q_em, q_b)
    inv_e_sq = 1 / e0_sq - a / (6 * math.pi**2)
    e_sq = 1 / inv_e_sq
    return math.sqrt(e_sq), e_sq * (eps_e0 / e0_sq + g_b * b / (6 * math.pi**2))
