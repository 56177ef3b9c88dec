"""Quasi-real splitting p → p′ + X: kernels, hadronic factors and an exact-weight sampler.

Used by :mod:`.proton_brem` (vector X) and :mod:`.scalar_brem` (scalar S). Variables: z = X
longitudinal momentum fraction along the proton, p_T² = X transverse momentum squared (GeV²),
H = p_T² + (1−z)m_X² + z²m_p² (formulas-production.md §2.1). Kernels return d²N/dz dp_T² in
GeV⁻² per interacting proton (couplings factored out as stated).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..constants import ALPHA_EM
from ._data import table
from .quadrature import gauss_legendre

M_P = 0.93827208816  # proton mass, GeV (CODATA 2018)
_MPI = 0.13957039


class QuasiRealValidityWarning(UserWarning):
    """The quasi-real (Fermi–Weizsäcker–Williams) approximation is used outside its range."""


def h_function(z, pt2, m):
    """H = p_T² + (1−z) m_X² + z² m_p² (GeV²)."""
    return pt2 + (1.0 - z) * m * m + z * z * M_P * M_P


def sigma_pp(s):
    """σ_pp^tot(s) in mb: Z + B ln²(s/s₀) + Y₁(s₁/s)^η₁ − Y₂(s₁/s)^η₂ (PDG 2012 fit used by
    Blümlein–Brunner arXiv:1311.3870; formulas-production.md §2.1; check C1)."""
    t = table("sigma_pp")
    s = np.asarray(s, dtype=float)
    return (t["Z"] + t["B"] * np.log(s / t["sqrt_s0"] ** 2) ** 2
            + t["Y1"] * (t["s1"] / s) ** t["eta1"] - t["Y2"] * (t["s1"] / s) ** t["eta2"])


def sigma_ratio(e_p, e_x):
    """σ_pp(s′)/σ_pp(s), s = 2m_p(E_p + m_p), s′ = 2m_p(E_p − E_X) + 2m_p² (§2.1)."""
    s = 2 * M_P * (e_p + M_P)
    s_prime = 2 * M_P * (e_p - e_x) + 2 * M_P * M_P
    return sigma_pp(np.maximum(s_prime, 4 * M_P * M_P)) / sigma_pp(s)


# -- vector kernels ------------------------------------------------------------------------------
def w_blumlein_brunner(z, pt2, m, third: str = "z"):
    """Blümlein–Brunner w_ba(z, p_T²) per unit coupling (multiply by |F_1^X|²), GeV⁻²
    (arXiv:1311.3870 Sec. 2; formulas-production.md §2.1).

    ``third`` = ``'z'``: coefficient (z + (1−z)²) of the third term (BdNMC, original FairShip,
    default); ``'one'``: (1 + (1−z)²) (later FairShip, ALPINIST): +3–5 % in the yield (§8 item 1).
    """
    h = h_function(z, pt2, m)
    mp2, m2 = M_P * M_P, m * m
    c3 = (z + (1 - z) ** 2) if third == "z" else (1 + (1 - z) ** 2)
    return ALPHA_EM / (2 * math.pi * h) * (
        (1 + (1 - z) ** 2) / z
        - 2 * z * (1 - z) * ((2 * mp2 + m2) / h - 2 * z * z * mp2 * mp2 / (h * h))
        + 2 * z * (1 - z) * c3 * mp2 * m2 / (h * h)
        + 2 * z * (1 - z) ** 2 * m2 * m2 / (h * h))


def w_transverse(z, pt2, m):
    """Exact light-cone kernel for a transverse massive vector (formulas-production.md §2.4):
    α/(2πH²)[(1+(1−z)²)p_T²/z + z³m_p²] — a documented alternative to BB."""
    h = h_function(z, pt2, m)
    return ALPHA_EM / (2 * math.pi * h * h) * ((1 + (1 - z) ** 2) * pt2 / z + z**3 * M_P * M_P)


def w_transverse_longitudinal(z, pt2, m):
    """Light-cone kernel with the longitudinal X (Foroughi-Abari–Ritz arXiv:2108.05900 as in
    ALPINIST; formulas-production.md §2.4): α/(2πH)·z[1 − (1−z)(2m_p²+m_X²)/H + H/(2z²m_X²)]."""
    h = h_function(z, pt2, m)
    return ALPHA_EM / (2 * math.pi * h) * z * (
        1 - (1 - z) * (2 * M_P * M_P + m * m) / h + h / (2 * z * z * m * m))


def offshell_form_factor(z, pt2, m, lambda_p: float):
    """|F(p′²)|² with F = Λ⁴/(Λ⁴ + (p′² − m_p²)²), p′² − m_p² = −H/z (arXiv:2108.05900;
    formulas-production.md §2.5 item 2)."""
    x = h_function(z, pt2, m) / z
    f = lambda_p**4 / (lambda_p**4 + x * x)
    return f * f


# -- proton form factor ----------------------------------------------------------------------
def _family_sum(q2, f, m, g, widths: str):
    q2 = np.asarray(q2, dtype=float)
    out = np.zeros_like(q2, dtype=complex)
    for fi, mi, gi in zip(f, m, g):
        if widths == "threshold":
            gi = np.where(q2 > 4 * _MPI**2, gi, 0.0)
        out = out + fi * mi * mi / (mi * mi - q2 - 1j * mi * gi)
    return out


def proton_vmd_families(q2, widths: str = "constant", params=None):
    """(F_ρ(q²), F_ω(q²)): the ρ-family and ω-family sums of the timelike proton Dirac form
    factor (Faessler et al. arXiv:0910.5589; formulas-production.md §2.2); each → ½ at q² = 0.

    ``widths='constant'`` (as in BdNMC, ALPINIST and the check values C2; F_1(0) = 0.975+0.071i),
    or ``'threshold'`` (widths switched off below 4m_π², restoring F_1(0) = 1 to 10⁻³).
    ``params``: a mapping like the ``proton_form_factor`` data block to override the pole set.
    """
    p = params or table("proton_form_factor")
    return (_family_sum(q2, p["f_rho"], p["m_rho"], p["gamma_rho"], widths),
            _family_sum(q2, p["f_omega"], p["m_omega"], p["gamma_omega"], widths))


def vector_form_factor_squared(m, cu: float, cd: float, widths: str = "constant", params=None):
    """|F_1^X(m²)|² = |(c_u−c_d)F_ρ + 3(c_u+c_d)F_ω|² (couplings in units of e; ε²|F_1^p|² for the
    dark photon, F_1^X(0) = 2c_u + c_d; formulas-production.md §2.2)."""
    f_rho, f_omega = proton_vmd_families(m * m, widths, params)
    return float(abs((cu - cd) * f_rho + 3 * (cu + cd) * f_omega) ** 2)


def scalar_form_factor_squared(m) -> float:
    """|F_S(m²)|², sum of f₀ Breit–Wigners (ALPINIST; provenance UNVERIFIED, §2.5 item 4)."""
    t = table("scalar_form_factor")
    q2 = m * m
    f = sum(fi * mi * mi / (mi * mi - q2 - 1j * mi * gi) for fi, mi, gi in zip(t["f"], t["mass"], t["width"]))
    return float(abs(f) ** 2)


# -- sampling and integration ------------------------------------------------------------------
def sample_z_pt2(u1, u2, m, z_min: float, z_max: float, pt2_max: float, z_proposal: str = "log"):
    """Sample (z, p_T²) from a proposal that follows the kernels' poles; returns (z, pt2, 1/q).

    z: ∝ 1/z on [z_min, z_max] (``'log'``) or uniform (``'uniform'``); p_T² | z: ∝ 1/(p_T² + H₀),
    H₀ = (1−z)m_X² + z²m_p², by the exact inverse CDF. 1/q is the inverse proposal density, so
    kernel × (1/q) is an exact importance weight.
    """
    if z_proposal == "log":
        r = math.log(z_max / z_min)
        z = z_min * np.exp(u1 * r)
        inv_qz = z * r
    else:
        z = z_min + u1 * (z_max - z_min)
        inv_qz = np.full_like(z, z_max - z_min)
    h0 = (1 - z) * m * m + z * z * M_P * M_P
    lg = np.log1p(pt2_max / h0)
    pt2 = h0 * np.expm1(u2 * lg)
    inv_q = inv_qz * (pt2 + h0) * lg
    return z, pt2, inv_q


def integrate_kernel(kernel, m, z_min, z_max, pt2_max, n: int = 200):
    """∫dz∫dp_T² kernel(z, p_T²) by Gauss–Legendre in (ln z, ln(p_T² + H₀)) with n×n nodes."""
    x, w = gauss_legendre(n)
    lz0, lz1 = math.log(z_min), math.log(z_max)
    lz = 0.5 * (lz1 - lz0) * (x + 1) + lz0
    z = np.exp(lz)[:, None]
    wz = (0.5 * (lz1 - lz0) * w)[:, None] * z
    h0 = (1 - z) * m * m + z * z * M_P * M_P
    l0, l1 = np.log(h0), np.log(h0 + pt2_max)
    lp = 0.5 * (l1 - l0) * (x[None, :] + 1) + l0
    y = np.exp(lp)
    pt2 = y - h0
    wp = 0.5 * (l1 - l0) * w[None, :] * y
    return float(np.sum(wz * wp * kernel(z, pt2)))


def check_quasi_real(p_beam, m: float, z_min: float, z_max: float, pt2_max: float, name: str) -> None:
    """Warn when E_X, E_p − E_X are not ≫ m_p, m_X, p_T (quasi-real approximation, §2.1)."""
    scale = max(M_P, m, math.sqrt(pt2_max))
    p_min = float(np.min(p_beam)) if np.size(p_beam) else math.inf
    if p_min * min(z_min, 1 - z_max) < 2 * scale:
        warnings.warn(f"{name}: quasi-real approximation used at p_beam = {p_min:.3g} GeV with z in "
                      f"[{z_min}, {z_max}], p_T ≤ {math.sqrt(pt2_max):.3g} GeV, m = {m:.3g} GeV: it needs "
                      "z·p, (1−z)·p ≫ m_p, m_X, p_T (Blümlein & Brunner, arXiv:1311.3870, Sec. 2)",
                      QuasiRealValidityWarning, stacklevel=3)
