"""Neutrino up-scattering through a transition dipole, ν_α T → N T (T = nucleus or electron).

One-photon exchange between the dipole vertex 2d σ_μν q^ν P_L (𝓛 = d ν̄_L σ_μν F^μν N + h.c.,
:mod:`darkbeam.models.dipole`) and a target of charge Z e, summed over the N spins, for a purely
left-handed ν (no average over its helicity):

    dσ/dE_r = 4α d² Z² F²(q) [ 1/E_r − 1/E_ν + m_N² (E_r − 2E_ν − M)/(4 E_ν² M E_r)
                               + m_N⁴ (E_r − M)/(8 E_ν² M² E_r²) ]

with E_r the target's recoil kinetic energy, M its mass, |q| = √(2M E_r + E_r²). This is the form of
Magill, Plestid, Pospelov, Tsai, arXiv:1803.03262 and Brdar et al., arXiv:2007.15563 (written there
with μ = 2d). Checked here against the numerical Dirac traces of the amplitude
(tests/unit/scattering/test_dipole.py): it is exact for a point-like spin-½ target with a Dirac
coupling γ^μ (the free electron, Z = 1, F = 1) at any E_r; for a spin-0 nucleus (vertex
Z e F (p + p′)^μ) the two differ by O(E_r/E_ν · E_ν/M) — 6×10⁻⁴ for argon at E_ν = 1 GeV, 10⁻⁶ at
50 MeV — and the spin-½ form is used, as in the literature. The 1/E_r pole is the photon
propagator's 1/t (t = −2M E_r); for m_N > 0 the kinematic lower end E_r,min ≈ m_N⁴/(8 M E_ν²)
cuts it off.

Validity: Born approximation, nucleus at rest; the coherent form is used for any |q| and should be
complemented by the incoherent ν p → N p part (Dirac and Pauli form factors, not implemented) above
|q| R ≈ 1; electrons are free (binding neglected: fine for E_r ≫ 10 keV).
"""

from __future__ import annotations

import numpy as np

from ..constants import ALPHA_EM, HBARC2_GEV2_CM2
from ..production.quadrature import gauss_legendre


def recoil_range(e_nu, m_n: float, big_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Kinematic range [E_r,min, E_r,max] (GeV) of the target recoil in ν T → N T; NaN below threshold.

    Two-body kinematics in the centre of mass: s = M² + 2M E_ν, p_i = (s − M²)/(2√s),
    p_f = λ^{1/2}(s, m_N², M²)/(2√s), E_f* = (s + m_N² − M²)/(2√s), t = m_N² − 2 p_i (E_f* ∓ p_f),
    E_r = −t/(2M). Threshold E_ν = m_N + m_N²/(2M).
    """
    e = np.asarray(e_nu, dtype=float)
    s = big_m * big_m + 2.0 * big_m * e
    rs = np.sqrt(s)
    p_i = (s - big_m * big_m) / (2.0 * rs)
    lam = (s - (m_n + big_m) ** 2) * (s - (m_n - big_m) ** 2)
    ok = lam >= 0
    p_f = np.sqrt(np.where(ok, lam, 0.0)) / (2.0 * rs)
    e_f = (s + m_n * m_n - big_m * big_m) / (2.0 * rs)
    t_hi = m_n * m_n - 2.0 * p_i * (e_f - p_f)
    t_lo = m_n * m_n - 2.0 * p_i * (e_f + p_f)
    lo = np.where(ok, -t_hi / (2.0 * big_m), np.nan)
    hi = np.where(ok, -t_lo / (2.0 * big_m), np.nan)
    return lo, hi


def dsigma_derecoil(e_r, e_nu, m_n: float, d: float, z: float, big_m: float, form_factor=None) -> np.ndarray:
    """dσ/dE_r in cm²/GeV (module formula); 0 outside the kinematic range.

    ``form_factor``: callable |q| (GeV) → F (e.g. the Helm form factor of
    :func:`darkbeam.scattering.form_factors.helm_form_factor`), None for a point charge.
    """
    er = np.asarray(e_r, dtype=float)
    e = np.asarray(e_nu, dtype=float)
    lo, hi = recoil_range(e, m_n, big_m)
    inside = (er >= lo) & (er <= hi) & (er > 0)
    er_s = np.where(inside, er, 1.0)
    m2 = m_n * m_n
    bracket = (1.0 / er_s - 1.0 / e + m2 * (er_s - 2.0 * e - big_m) / (4.0 * e * e * big_m * er_s)
               + m2 * m2 * (er_s - big_m) / (8.0 * e * e * big_m * big_m * er_s * er_s))
    f2 = 1.0
    if form_factor is not None:
        f2 = np.asarray(form_factor(np.sqrt(2.0 * big_m * er_s + er_s * er_s))) ** 2
    val = 4.0 * ALPHA_EM * d * d * z * z * f2 * bracket * HBARC2_GEV2_CM2
    return np.where(inside, np.maximum(val, 0.0), 0.0)


def sigma(e_nu, m_n: float, d: float, z: float, big_m: float, form_factor=None, recoil_min: float = 0.0,
          n: int = 256) -> np.ndarray:
    """σ(E_ν) in cm² with E_r ≥ ``recoil_min``: Gauss–Legendre in ln E_r (the 1/E_r pole is flat there).

    For m_N = 0 and ``recoil_min`` = 0 the integral diverges logarithmically (the massless-photon
    pole, as for a neutrino magnetic moment): a positive ``recoil_min`` is then required.
    """
    e = np.atleast_1d(np.asarray(e_nu, dtype=float))
    lo, hi = recoil_range(e, m_n, big_m)
    lo = np.maximum(lo, recoil_min)
    if np.any((lo <= 0) & np.isfinite(hi)):
        raise ValueError("σ diverges at E_r → 0 for m_N = 0: give recoil_min > 0 (GeV)")
    ok = np.isfinite(hi) & (hi > lo)
    lo_s, hi_s = np.where(ok, lo, 1.0), np.where(ok, hi, 2.0)
    x, w = gauss_legendre(n)
    a, b = np.log(lo_s)[:, None], np.log(hi_s)[:, None]
    u = 0.5 * (b - a) * x[None, :] + 0.5 * (b + a)
    er = np.exp(u)
    f = dsigma_derecoil(er, e[:, None], m_n, d, z, big_m, form_factor) * er
    val = np.where(ok, 0.5 * (b - a)[:, 0] * np.sum(w * f, axis=1), 0.0)
    return val if np.ndim(e_nu) else val[0]
