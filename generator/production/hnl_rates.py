"""Branching ratios of meson decays to a heavy neutral lepton N (per |U_α4|² unless said).

Two-body, P⁺ → ℓ_α⁺ N (Shrock, Phys. Rev. D 24 (1981) 1232; Bondarenko et al. arXiv:1805.08567
§2.1.1, the leptonic-decay formula, eq. no. UNVERIFIED), x_i = m_i²/m_P²::

    Γ = G_F² f_P² m_P³ |V_qq'|² |U_α|²/(8π) · [x_N + x_ℓ − (x_N − x_ℓ)²] · λ^{1/2}(1, x_N, x_ℓ)

(tree level; at x_N = 0 it is the SM Γ(P → ℓν), 0.623 for K → μν with f_K = 155.7 MeV against
PDG 0.636: radiative corrections are not included). Helicity un-suppression makes
BR(K⁺→μ⁺N)/|U_μ|² = 1.18, 2.26, 2.43 at m_N = 0.1, 0.2, 0.3 GeV (darkbeam issue 21, checked in the
tests).

Three-body, K → π ℓ_α N (the K_ℓ3 matrix element with a massive neutrino; Shrock 1981; BBGR §2.1.1
semileptonic decays), hadronic current ⟨π|s̄γ^μu|K⟩ = c_K [f₊(q²)(p_K + p_π)^μ + f₋(q²) q^μ],
q = p_ℓ + p_N, f₋ = (f₀ − f₊)(m_K² − m_π²)/q², linear f₊,₀(q²) = f₊(0)(1 + λ₊,₀ q²/m_π±²)
(PDG K_ℓ3 parametrisation), c_K² = ½ for K⁺ → π⁰ℓ⁺N and for each charge mode of K_L → π^∓ℓ^±N.
Spin-summed (trace algebra, written out in the code)::

    |M|² = 4 G_F² |V_us|² |U_α|² c_K² [2(H·p_N)(H·p_ℓ) − H²(p_N·p_ℓ)],   H = f₊(p_K + p_π) + f₋ q,

integrated over the Dalitz plot, dΓ = |M|²/(256π³m_K³) ds₁₂ ds₂₃ (PDG RPP Eq. 49.22), with
Gauss–Legendre quadrature (numpy; the tests use scipy). BR = Γ τ_P/ħ with PDG lifetimes.
D⁺, D_s⁺ → ℓN use the same two-body formula (rates only: darkbeam has no charm source yet, so no
channel). τ⁻ → h⁻N (h = π, K, ρ, K*) for |U_τ4|²: the N → ℓh widths of :mod:`darkbeam.models.hnl`
with the τ as the decaying fermion and N as the lepton (the spin-averaged |M|² is symmetric in the
two fermions; BBGR §2.2, Eqs. of τ → hN, UNVERIFIED); rates only (no τ source). Leptonic τ → ℓνN
and multi-hadron τ modes are not implemented.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..constants import C_M_PER_NS, HBARC_GEV_M
from ..constants import mass as pdg_mass
from ..models.hnl import (
    LEPTON_PDG,
    data,
    kallen,
    width_lepton_pseudoscalar,
    width_lepton_vector,
)

#: meson name → (PDG id, decay-constant key, CKM key, lifetime key)
TWO_BODY_MESONS = {"pi+": (211, "f_pi", "v_ud", "tau_pi_charged_s"),
                   "K+": (321, "f_k", "v_us", "tau_k_charged_s"),
                   "D+": (411, "f_d", "v_cd", "tau_d_charged_s"),
                   "D_s+": (431, "f_ds", "v_cs", "tau_ds_s")}
#: τ⁻ → h⁻ N: hadron → (PDG id, decay-constant key, CKM key, vector?)
TAU_HADRONS = {"pi": (211, "f_pi", "v_ud", False), "K": (321, "f_k", "v_us", False),
               "rho": (213, "f_rho", "v_ud", True), "K*": (323, "f_kstar", "v_us", True)}
#: kaon → (PDG id of K, PDG id of π, lifetime key, charge modes summed)
THREE_BODY_KAONS = {"K+": (321, 111, "tau_k_charged_s", 1), "K_L": (130, 211, "tau_k_long_s", 2)}


def _to_br(width: float | np.ndarray, tau_s: float):
    """Width (GeV) × lifetime (s) / ħ."""
    return np.asarray(width) * tau_s * 1e9 * C_M_PER_NS / HBARC_GEV_M


def two_body_width(m_p: float, m_l: float, m_n, f_p: float, v_ckm: float):
    """Γ(P⁺ → ℓ⁺N)/|U|² in GeV (module docstring), vectorised over m_N; 0 when closed."""
    m_n = np.asarray(m_n, dtype=float)
    xn, xl = (m_n / m_p) ** 2, (m_l / m_p) ** 2
    g = data("electroweak")["g_fermi"]
    out = g * g * f_p**2 * m_p**3 * v_ckm**2 / (8 * math.pi) * (xn + xl - (xn - xl) ** 2) \
        * np.sqrt(np.maximum(kallen(1.0, xn, xl), 0.0))
    return np.where(m_n + m_l < m_p, out, 0.0)


def two_body_branching_ratio(meson: str, lepton: str, m_n, u2: float = 1.0):
    """BR(P⁺ → ℓ⁺N) for ``meson`` in ``pi+``, ``K+``, ``lepton`` in ``e``, ``mu``, times ``u2``."""
    pid, fkey, vkey, tkey = TWO_BODY_MESONS[meson]
    width = two_body_width(pdg_mass(pid), pdg_mass(LEPTON_PDG[lepton]), m_n, data("decay_constants")[fkey],
                           data("ckm")[vkey])
    return u2 * _to_br(width, data("lifetimes")[tkey])


def tau_branching_ratio(hadron: str, m_n, u2: float = 1.0):
    """BR(τ⁻ → h⁻N) × ``u2`` (= |U_τ4|²) for ``hadron`` in π, K, ρ, K* (module docstring)."""
    pid, fkey, vkey, vector = TAU_HADRONS[hadron]
    f, v, m_tau = data("decay_constants")[fkey], data("ckm")[vkey], pdg_mass(15)
    m_n = np.asarray(m_n, dtype=float)
    kernel = width_lepton_vector if vector else width_lepton_pseudoscalar
    width = np.where(m_n + pdg_mass(pid) < m_tau, kernel(m_tau, m_n, pdg_mass(pid), f, v), 0.0)
    return u2 * _to_br(width, data("lifetimes")["tau_tau_s"])


_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)
_GL_X4, _GL_W4 = np.polynomial.legendre.leggauss(4)


def k3_matrix_element(s12, s23, m_k: float, m_pi: float, m_l: float, m_n: float):
    """Spin-summed |M|²/(G_F²|V_us|²|U|²c_K²) of K → π ℓ N; 1 = ℓ, 2 = N, 3 = π (module docstring)."""
    kl3 = data("kl3")
    mpc = pdg_mass(211)
    q2 = s12
    fp = kl3["f_plus_0"] * (1 + kl3["lambda_plus"] * q2 / mpc**2)
    f0 = kl3["f_plus_0"] * (1 + kl3["lambda_zero"] * q2 / mpc**2)
    fm = (f0 - fp) * (m_k**2 - m_pi**2) / q2
    s13 = m_k**2 + m_pi**2 + m_l**2 + m_n**2 - s12 - s23
    k_n, pi_n = 0.5 * (m_k**2 + m_n**2 - s13), 0.5 * (s23 - m_n**2 - m_pi**2)
    k_l, pi_l = 0.5 * (m_k**2 + m_l**2 - s23), 0.5 * (s13 - m_l**2 - m_pi**2)
    h_n = fp * (k_n + pi_n) + fm * (k_n - pi_n)
    h_l = fp * (k_l + pi_l) + fm * (k_l - pi_l)
    h2 = fp * fp * (2 * m_k**2 + 2 * m_pi**2 - q2) + 2 * fp * fm * (m_k**2 - m_pi**2) + fm * fm * q2
    n_l = 0.5 * (s12 - m_l**2 - m_n**2)
    return 4.0 * (2 * h_n * h_l - h2 * n_l)


def three_body_width(kaon: str, lepton: str, m_n: float) -> float:
    """Γ(K → πℓN)/|U|² in GeV (c_K² = ½ per charge mode; K_L: both modes summed)."""
    kid, pid, _, modes = THREE_BODY_KAONS[kaon]
    m_k, m_pi, m_l = pdg_mass(kid), pdg_mass(pid), pdg_mass(LEPTON_PDG[lepton])
    m_n = float(m_n)
    if m_n + m_l + m_pi >= m_k:
        return 0.0
    a0, a1 = (m_l + m_n) ** 2, (m_k - m_pi) ** 2
    th = 0.5 * math.pi * (_GL_X + 1.0)
    s12 = a0 + (a1 - a0) * 0.5 * (1 - np.cos(th))
    jac = (a1 - a0) * 0.25 * math.pi * np.sin(th)
    from ..decays.dalitz import s23_limits
    lo, hi = s23_limits(s12, m_k, m_l, m_n, m_pi)
    s23 = lo[:, None] + (hi - lo)[:, None] * 0.5 * (_GL_X4[None, :] + 1.0)   # |M|² is quadratic in s23
    inner = (k3_matrix_element(s12[:, None], s23, m_k, m_pi, m_l, m_n) @ _GL_W4) * 0.5 * (hi - lo)
    g, v = data("electroweak")["g_fermi"], data("ckm")["v_us"]
    return float(modes * 0.5 * g * g * v * v * np.sum(inner * jac * _GL_W) / (256 * math.pi**3 * m_k**3))


@lru_cache(maxsize=4096)
def three_body_branching_ratio(kaon: str, lepton: str, m_n: float, u2: float = 1.0) -> float:
    """BR(K → πℓN) × ``u2`` (K⁺ → π⁰ℓ⁺N, or K_L → π^∓ℓ^±N both modes)."""
    return float(u2 * _to_br(three_body_width(kaon, lepton, m_n), data("lifetimes")[THREE_BODY_KAONS[kaon][2]]))
