"""Exclusive multi-hadron channels of a vector mediator, one isospin component (or family) each.

Every channel F is written as an e⁺e⁻ current whose resonances carry the isospin weight of the
mediator's quark current (:func:`darkbeam.models.hadronic.isospin_weights`):
w_ρ = c_u − c_d (isovector, ρ family), w_ω = 3(c_u + c_d) (isoscalar, ω family),
w_φ = −3c_s (φ family); for the photon w = (1, 1, 1) and each R_F is the fitted
σ(e⁺e⁻ → F)/σ⁽⁰⁾_μμ. Widths follow from Γ_F = α m R_F/3. Parameters: ``data/vmd_parameters.toml``
(blocks named below, each with its fit paper); the same fits are used by DeLiVeR
(Foguel, Reimitz, Zukanovich Funchal, arXiv:2201.01788) — formulas re-derived here:

* Two-body V P (``omegapi0``, ``phipi0``, ``etaomega``, ``etaphi``): the current
  J^μ = F(s) ε^{μνρσ} ε*_ν q_ρ p_σ gives Γ(g = 1) = p³|F|²/(12π) and so R = p³|F|²/√s
  (Γ_μμ(g = 1) = √s/(12π)); F is a ρ-, ω- or φ-family Breit–Wigner sum.
* Three-body with the anomalous current J^μ = F ε^{μνρσ} p₁ν p₂ρ p₃σ (``pi+pi-pi0``,
  ``etapi+pi-``): in the X rest frame Σ_pol|ε·J|² = s|p⃗₁×p⃗₂|²|F|², and with
  dΓ = |M̄|² dE₁dE₂/(8√s(2π)³) (PDG kinematics Eq. 49.22) one gets

      R = 1/(16π²) ∫∫ |F|² |p⃗₁ × p⃗₂|² dE₁ dE₂          (derived here).

  For 3π the current of Czyż, Grzelińska, Kühn, Rodrigo (hep-ph/0512180, Eqs. (3)–(6)) is a sum
  of narrow ω, φ, ω′(1420), ω″(1650) propagators in s times ρ-family functions H_ρ of the
  Dalitz variables; the s-propagators factor out, so the Dalitz integrals of H_a H_b* are
  tabulated once (a, b ∈ ρ, ρ′, ρ″) and the line shape is exact in s. The ω, ω′, ω″ terms carry
  w_ω, the φ terms w_φ. The small isospin-violating (ω → π⁺π⁻) I = 1 term of the same paper is
  left out (R < 10⁻³ of the ω peak; DeLiVeR's isovector 3π is < 10⁻⁴ of its ππ).
* ``omegapipi``: ω(ππ)_S with the ω(1650)-like propagator of arXiv:1911.11147,
  R = 3/(16π² s^{3/2}) |Σ a BW|² Σ_modes f ∫dq² p_π p_ω/√q² (1 + p_ω²/(3m_ω²)), f = 1 (π⁺π⁻), ½ (π⁰π⁰).

Validity: the fits cover √s ≲ 2 GeV; above, :mod:`darkbeam.models.hadronic` hands over to the
R-ratio method. Tables are built once on first use (≈0.3 s) and interpolated.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .vmd_data import MPI as _MPI
from .vmd_data import MPI0 as _MPI0
from .vmd_data import META as _META
from .vmd_data import frozen
from .vmd_data import parameters as _par

Weights = tuple[float, float, float]

_MOMEGA = 0.78265
_MPHI = 1.019461

#: √s grid (GeV) of the tabulated Dalitz integrals; above the top the channels are handed over
_GRID_TOP = 2.1
#: midpoint points per Dalitz axis (relative change < 2e-4 against 200, tests/unit/models/test_hadronic_excl.py)
_N_DALITZ = 40


def _p2(s: np.ndarray, m1: float, m2: float) -> np.ndarray:
    """Two-body momentum (GeV) of masses m1, m2 in the rest frame of mass √s (0 below threshold)."""
    s = np.asarray(s, dtype=float)
    lam = np.where(s > (m1 + m2) ** 2, (s - (m1 + m2) ** 2) * (s - (m1 - m2) ** 2), 0.0)
    return np.sqrt(lam / (4.0 * np.maximum(s, 1e-30)))


def _bw_fixed(s: np.ndarray, m: float, g: float) -> np.ndarray:
    """m²/(m² − s − i m Γ)."""
    return m * m / (m * m - s - 1j * m * g)


def _bw_pwave(q2: np.ndarray, m: float, g: float, m1: float, m2: float) -> np.ndarray:
    """P-wave BW m²/(m² − q² − i√q² Γ(q²)), Γ(q²) = Γ (√q²/m)(β(q²)/β(m²))³ (hep-ph/0512180)."""
    q2 = np.asarray(q2, dtype=float)
    beta = 2 * _p2(q2, m1, m2) / np.sqrt(np.maximum(q2, 1e-30))
    beta_m = 2 * _p2(np.array(m * m), m1, m2) / m
    gam = g * np.sqrt(np.maximum(q2, 0.0)) / m * (beta / beta_m) ** 3
    return m * m / (m * m - q2 - 1j * np.sqrt(np.maximum(q2, 0.0)) * gam)


def _weights_by_label(w: Weights) -> dict[str, float]:
    return {"rho": w[0], "omega": w[1], "phi": w[2]}


# ------------------------------------------------------------------------------------------
# Dalitz integration (vectorised over a √s grid)
# ------------------------------------------------------------------------------------------
def _dalitz_points(rs: np.ndarray, m1: float, m2: float, m3: float, n: int):
    """Midpoint grid in (E₁, E₂) over the Dalitz region of √s → 1 2 3, for every √s in ``rs``.

    Returns (s12, s13, s23, G·dE₁dE₂), each of shape (len(rs), n, n); points outside the region
    get weight 0 and invariant masses clipped to the pair threshold. G = |p⃗₁ × p⃗₂|² =
    p₁²p₂² − (p⃗₁·p⃗₂)².
    """
    rs = np.asarray(rs, dtype=float)[:, None, None]
    e1max = (rs * rs + m1 * m1 - (m2 + m3) ** 2) / (2 * rs)
    e2max = (rs * rs + m2 * m2 - (m1 + m3) ** 2) / (2 * rs)
    u = ((np.arange(n) + 0.5) / n)[None, :, None]
    v = ((np.arange(n) + 0.5) / n)[None, None, :]
    d1 = np.clip(e1max - m1, 0, None) / n
    d2 = np.clip(e2max - m2, 0, None) / n
    e1 = m1 + u * n * d1
    e2 = m2 + v * n * d2
    p1s = e1 * e1 - m1 * m1
    p2s = e2 * e2 - m2 * m2
    e3 = rs - e1 - e2
    p3s = e3 * e3 - m3 * m3
    dot = 0.5 * (p3s - p1s - p2s)
    g = p1s * p2s - dot * dot
    g = np.where((e3 > m3) & (g > 0), g, 0.0) * d1 * d2
    s = rs * rs
    s23 = np.maximum(s + m1 * m1 - 2 * rs * e1, (m2 + m3) ** 2)
    s13 = np.maximum(s + m2 * m2 - 2 * rs * e2, (m1 + m3) ** 2)
    s12 = np.maximum(s + m3 * m3 - 2 * rs * e3, (m1 + m2) ** 2)
    return s12, s13, s23, g


@lru_cache(maxsize=1)
def _three_pion_table() -> tuple[np.ndarray, np.ndarray]:
    """√s grid and M_ab(√s) = ∫∫ H_a H_b* |p⃗₊×p⃗₋|² dE₊dE₋ (a, b = ρ, ρ′, ρ″), shape (N, 3, 3)."""
    p = _par()["three_pion_cgkr"]
    lo = 2 * _MPI + _MPI0
    grid = np.concatenate([lo + (0.55 - lo) * np.linspace(0, 1, 40) ** 2, np.linspace(0.56, _GRID_TOP, 160)])
    # 1 = π⁺, 2 = π⁻, 3 = π⁰: s12 = s₀ (π⁺π⁻), s13 = s₊ (π⁺π⁰), s23 = s₋ (π⁻π⁰)
    s0, sp, sm, g = _dalitz_points(grid, _MPI, _MPI, _MPI0, _N_DALITZ)
    hs = [_bw_pwave(s0, m, gw, _MPI, _MPI) + _bw_pwave(sp, m, gw, _MPI, _MPI0) + _bw_pwave(sm, m, gw, _MPI, _MPI0)
          for m, gw in zip(p["rho_masses"], p["rho_widths"])]
    out = np.zeros((grid.size, 3, 3), dtype=complex)
    for a in range(3):
        for b in range(3):
            out[:, a, b] = np.sum(hs[a] * np.conj(hs[b]) * g, axis=(1, 2))
    return frozen(grid, out)


def r_3pi(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(π⁺π⁻π⁰) of the CGKR current (hep-ph/0512180) with isospin weights ``w``."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    p = _par()["three_pion_cgkr"]
    a = p["couplings"]
    (mo, mo1, mo2), (go, go1, go2) = p["omega_masses"], p["omega_widths"]
    bphi = _bw_fixed(s, p["phi_mass"], p["phi_width"])
    bo2 = _bw_fixed(s, mo2, go2)
    k = np.empty((rs.size, 3), dtype=complex)
    k[:, 0] = w[1] * (a[0] * _bw_fixed(s, mo, go) + a[2] * _bw_fixed(s, mo1, go1) + a[3] * bo2) + w[2] * a[1] * bphi
    k[:, 1] = w[2] * a[4] * bphi
    k[:, 2] = w[1] * a[5] * bo2
    grid, tab = _three_pion_table()
    mat = np.empty((rs.size, 3, 3), dtype=complex)
    for i in range(3):
        for j in range(3):
            mat[:, i, j] = np.interp(rs, grid, tab[:, i, j].real) + 1j * np.interp(rs, grid, tab[:, i, j].imag)
    val = np.einsum("ni,nij,nj->n", k, mat, np.conj(k)).real / (16 * math.pi**2)
    return np.where(rs > 2 * _MPI + _MPI0, np.clip(val, 0.0, None), 0.0)


# ------------------------------------------------------------------------------------------
# η π⁺π⁻ (isovector)
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _eta_pipi_table() -> tuple[np.ndarray, np.ndarray]:
    """√s grid and ∫∫ |BW_ρ(s₊₋)|² |p⃗₊×p⃗₋|² dE₊dE₋ (GeV⁶) for √s → π⁺π⁻η."""
    p = _par()["eta_pipi"]
    m0, g0 = p["masses"][0], p["widths"][0]
    lo = 2 * _MPI + _META
    grid = np.linspace(lo, _GRID_TOP, 120)
    s12, _, _, g = _dalitz_points(grid, _MPI, _MPI, _META, _N_DALITZ)
    bw = m0 * m0 / (m0 * m0 - s12 - 1j * np.sqrt(s12) * _gamma_rho_eta(s12, m0, g0))
    out = np.sum(np.abs(bw) ** 2 * g, axis=(1, 2))
    return frozen(grid, out)


def _gamma_rho_eta(q2: np.ndarray, m: float, g: float) -> np.ndarray:
    return g * m * m / q2 * np.clip((q2 - 4 * _MPI**2) / (m * m - 4 * _MPI**2), 0, None) ** 1.5


def r_eta_pipi(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(ηπ⁺π⁻): F = w_ρ/(4√3π²f_π³) Σ_k ĉ_k BW_k(s) · BW_ρ(s₊₋) (arXiv:1306.1985, 1911.11147)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    p = _par()["eta_pipi"]
    c = np.asarray(p["amplitudes"]) * np.exp(1j * np.asarray(p["phases_rad"]))
    c = c / c.sum()
    a = np.zeros_like(rs, dtype=complex)
    for k, (m, g) in enumerate(zip(p["masses"], p["widths"])):
        gam = _gamma_rho_eta(s, m, g) if k == 0 else g * s / (m * m)
        a = a + c[k] * m * m / (m * m - s - 1j * rs * gam)
    pre = 1.0 / (4 * math.sqrt(3) * math.pi**2 * p["f_pi"] ** 3)
    grid, tab = _eta_pipi_table()
    val = (w[0] * pre) ** 2 * np.abs(a) ** 2 * np.interp(rs, grid, tab) / (16 * math.pi**2)
    return np.where(rs > 2 * _MPI + _META, val, 0.0)


# ------------------------------------------------------------------------------------------
# two-body V P channels
# ------------------------------------------------------------------------------------------
def _vp(rs: np.ndarray, f: np.ndarray, mv: float, mp: float) -> np.ndarray:
    return _p2(rs**2, mv, mp) ** 3 * np.abs(f) ** 2 / rs


def r_omega_pi0(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(ωπ⁰) (isovector; arXiv:1610.00235 fit, ρ width with its ωπ part, arXiv:1303.5198)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    p = _par()["omega_pi0"]
    g = p["g_rho_omega_pi"]
    f = np.zeros_like(rs, dtype=complex)
    for k, (m, gw, a, ph) in enumerate(zip(p["masses"], p["widths"], p["amplitudes"], p["phases_deg"])):
        if k == 0:
            gam = (gw * m * m / s * np.clip((s - 4 * _MPI0**2) / (m * m - 4 * _MPI0**2), 0, None) ** 1.5
                   + g * g * _p2(s, _MOMEGA, _MPI0) ** 3 / (12 * math.pi))
        else:
            gam = gw
        f = f + a * np.exp(1j * math.radians(ph)) * m * m / (m * m - s - 1j * rs * gam)
    f = f * w[0] * g / p["f_rho"]
    return _vp(rs, f, _MOMEGA, _MPI0)


def r_phi_pi0(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(φπ⁰) (isovector; arXiv:1911.11147 fit)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    p = _par()["phi_pi0"]
    f = np.zeros_like(rs, dtype=complex)
    for m, gw, a, ph, b4 in zip(p["masses"], p["widths"], p["amplitudes"], p["phases_deg"], p["br_4pi"]):
        ps = np.clip(s - 16 * _MPI0**2, 0, None) ** 1.5 / (m * m - 16 * _MPI0**2) ** 1.5
        gam = gw * (1 - b4 + b4 * m * m / s * ps)
        f = f + a * np.exp(1j * math.radians(ph)) * m * m / (m * m - s - 1j * rs * gam)
    return _vp(rs, w[0] * f, _MPHI, _MPI0)


def _fixed_sum(rs: np.ndarray, block: str, weight: float) -> np.ndarray:
    p = _par()[block]
    s = rs**2
    f = np.zeros_like(rs, dtype=complex)
    for m, gw, a, ph in zip(p["masses"], p["widths"], p["amplitudes"], p["phases_rad"]):
        f = f + a * np.exp(1j * ph) * _bw_fixed(s, m, gw)
    return weight * f


def r_eta_omega(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(ηω) (isoscalar ω family; arXiv:1911.11147 fit)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    return _vp(rs, _fixed_sum(rs, "eta_omega", w[1]), _MOMEGA, _META)


def r_eta_phi(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(ηφ) (φ family; arXiv:1911.11147 fit)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    return _vp(rs, _fixed_sum(rs, "eta_phi", w[2]), _MPHI, _META)


# ------------------------------------------------------------------------------------------
# ω π π (isoscalar)
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _omega_pipi_table() -> tuple[np.ndarray, np.ndarray]:
    """√s grid and Σ_modes f ∫dq² p_π p_ω/√q² (1 + p_ω²/(3m_ω²)) (GeV³), Gauss–Legendre in q²."""
    mo = _par()["omega_pipi"]["omega_mass"]
    grid = np.linspace(mo + 2 * _MPI0, _GRID_TOP, 200)
    x, wt = np.polynomial.legendre.leggauss(64)
    out = np.zeros_like(grid)
    for mpi, f in ((_MPI, 1.0), (_MPI0, 0.5)):
        lo = 4 * mpi**2
        hi = np.clip((grid - mo) ** 2, lo, None)
        q2 = lo + (hi[:, None] - lo) * 0.5 * (x[None, :] + 1)
        ppi = _p2(q2, mpi, mpi)
        pom = _p2(grid[:, None] ** 2, np.sqrt(q2), mo)
        integrand = ppi * pom / np.sqrt(q2) * (1 + pom**2 / (3 * mo * mo))
        out += f * 0.5 * (hi - lo) * (integrand * wt[None, :]).sum(axis=1)
    return frozen(grid, out)


def r_omega_pipi(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(ωπ⁺π⁻ + ωπ⁰π⁰) (isoscalar; arXiv:1911.11147 parametrisation)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    p = _par()["omega_pipi"]
    f = np.zeros_like(rs, dtype=complex)
    for m, gw, a, ph in zip(p["masses"], p["widths"], p["amplitudes"], p["phases_rad"]):
        f = f + a * np.exp(1j * ph) * m * m / (m * m - s - 1j * rs * gw)
    grid, tab = _omega_pipi_table()
    val = 3.0 / (16 * math.pi**2 * s**1.5) * np.abs(w[1] * f) ** 2 * np.interp(rs, grid, tab)
    return np.where(rs > p["omega_mass"] + 2 * _MPI0, val, 0.0)
