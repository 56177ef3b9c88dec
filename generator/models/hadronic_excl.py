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
  left out: for a pure isovector current DeLiVeR's 3π (which has it) is ≤ 4×10⁻⁵ of its ππ at
  0.85–1.0 GeV and not among its ten largest channels above.
* ``KKbarpi``: X → K*(892)K̄ → KK̄π with the current of arXiv:1911.11147 (isoscalar φ-family
  A₀ and isovector ρ-family A₁ amplitudes, K* P-wave propagators in both Kπ pairs, same
  three-body formula); all six charge modes, K_{S,L}K∓π± included (DeLiVeR's ``FKKpi.GammaDM``
  sums K_SK_Lπ⁰, K⁺K⁻π⁰ and K_SK∓π± only, i.e. 2/3 of this total).
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

_MK = 0.493677
_MK0 = 0.497611
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


# ------------------------------------------------------------------------------------------
# K K̄: dual-QCD towers (arXiv:1002.0279) with the arXiv:1911.11147 fit
# ------------------------------------------------------------------------------------------
def dual_tower_coefficients(beta: float, n_terms: int) -> np.ndarray:
    """c_n = Γ(β−½) sin(π(β−1)) Γ(2−β+n) / (π^{3/2} (n+½) n!) (arXiv:1002.0279 Eq. (33)
    with (−1)ⁿ sin(π(β−1−n)) = sin(π(β−1))); Σ_n c_n = 1 for β > 3/2 (the tower's F(0) = 1)."""
    from scipy.special import gammaln, gammasgn

    n = np.arange(n_terms, dtype=float)
    x = 2.0 - beta + n
    lg = gammaln(x) - gammaln(n + 1) + gammaln(beta - 0.5)
    return gammasgn(x) * np.exp(lg) * math.sin(math.pi * (beta - 1)) / (math.pi**1.5 * (n + 0.5))


def _beta_from_c0(c0: float) -> float:
    """Solve c_0(β) = (2/√π) Γ(β−½)/Γ(β−1) = c0 for β (> 1)."""
    from scipy.optimize import brentq
    from scipy.special import gammaln

    return brentq(lambda b: math.log(2 / math.sqrt(math.pi)) + gammaln(b - 0.5) - gammaln(b - 1) - math.log(c0),
                  1.0 + 1e-9, 60.0, xtol=1e-13)


@lru_cache(maxsize=1)
def _kaon_towers() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(c_n, m_n, Γ_n) of the ρ, ω, φ towers of the kaon form factor (``[kaon_ff]``)."""
    p = _par()["kaon_ff"]
    n_terms = int(p["n_terms"])
    out = {}
    for v in ("rho", "omega", "phi"):
        mags = np.asarray(p[f"{v}_magnitudes"], dtype=float)
        c = dual_tower_coefficients(_beta_from_c0(mags[0]), n_terms)
        k = mags.size
        c[:k] = mags
        c[k] += 1.0 - c.sum()
        m0, g0 = p[f"{v}_masses"][0], p[f"{v}_widths"][0]
        masses = m0 * np.sqrt(1.0 + 2.0 * np.arange(n_terms))
        gam = g0 / m0 if v == "rho" else p[f"{v}_gamma"]
        widths = gam * masses
        nm = len(p[f"{v}_masses"])
        masses[:nm] = p[f"{v}_masses"]
        widths[:nm] = p[f"{v}_widths"]
        out[v] = frozen(c, masses, widths)
    return out


def r_kk(sqrt_s: np.ndarray, w: Weights, channel: str) -> np.ndarray:
    """R_{KK̄} = β_K³|F_K|²/4 for ``K+K-`` or ``K0K0bar`` (arXiv:1002.0279 towers, 1911.11147 fit)."""
    from .hadronic import _gounaris_sakurai  # ρ propagators normalised at s = 0 (formulas-detection §1.4 a)

    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    mk = _MK if channel == "K+K-" else _MK0
    out = np.zeros_like(rs)
    ok = rs > 2 * mk
    if not ok.any():
        return out
    s = rs[ok] ** 2
    t = _kaon_towers()
    sign = 1.0 if channel == "K+K-" else -1.0
    f = np.zeros(s.shape, dtype=complex)
    if w[0] != 0.0:
        c, m, g = t["rho"]
        f += sign * 0.5 * w[0] * (_gounaris_sakurai(s[:, None], m, g, _MPI) @ c)
    if w[1] != 0.0:
        c, m, g = t["omega"]
        f += w[1] / 6.0 * ((m * m / (m * m - s[:, None] - 1j * m * g)) @ c)
    if w[2] != 0.0:
        c, m, g = t["phi"]
        c = c.copy()
        c[0] *= _phi_peak_factor(channel) * (_par()["kaon_ff"]["eta_phi"] if channel == "K0K0bar" else 1.0)
        f += w[2] / 3.0 * (_bw_pwave(s[:, None], m, g, mk, mk) @ c)
    beta = np.sqrt(1 - 4 * mk * mk / s)
    out[ok] = beta**3 * np.abs(f) ** 2 / 4
    return out


@lru_cache(maxsize=2)
def _phi_peak_factor(channel: str) -> float:
    """Factor κ on the φ(1020) coefficient (× η_φ for K⁰K̄⁰) such that the photon's R_KK̄ at
    m_φ equals the PDG peak 9 B(φ→ee) B(φ→KK̄)/α² (PDG block ``[phi]``): κ = 1.034 (K⁺K⁻),
    1.012 (K⁰K̄⁰); the 1911.11147 fit alone is 6.5 %/2.5 % below PDG there.
    Solves |κa + b|² β³/4 = R_peak for κ > 0, a the φ(1020) term, b the rest."""
    from ..constants import ALPHA_EM
    from .hadronic import _gounaris_sakurai

    pdg = _par()["phi"]
    mphi = pdg["mass"]
    s = np.array([[mphi * mphi]])
    mk = _MK if channel == "K+K-" else _MK0
    sign = 1.0 if channel == "K+K-" else -1.0
    t = _kaon_towers()
    c, m, g = t["phi"]
    bw = _bw_pwave(s, m, g, mk, mk)[0]
    a = c[0] * bw[0] / 3.0 * (_par()["kaon_ff"]["eta_phi"] if channel == "K0K0bar" else 1.0)
    b = (c[1:] @ bw[1:]) / 3.0
    cr, mr, gr = t["rho"]
    b += sign * 0.5 * (_gounaris_sakurai(s, mr, gr, _MPI)[0] @ cr)
    co, mo, go = t["omega"]
    b += (mo * mo / (mo * mo - s[0, 0] - 1j * mo * go)) @ co / 6.0
    beta3 = (1 - 4 * mk * mk / (mphi * mphi)) ** 1.5
    target = 9 * pdg["br_ee"] * pdg["channels"][channel] / ALPHA_EM**2 / (beta3 / 4)   # |F|² wanted
    # |κa + b|² = κ²|a|² + 2κ Re(a b*) + |b|² = target
    qa, qb, qc = abs(a) ** 2, 2 * (a * np.conj(b)).real, abs(b) ** 2 - target
    return float((-qb + math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa))


# ------------------------------------------------------------------------------------------
# K K̄ π through K*(892) K̄ (arXiv:1911.11147)
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _kkpi_tables() -> tuple[np.ndarray, np.ndarray]:
    """√s grid and the Dalitz integrals ∫∫ r_a r_b* G dE₁dE₂ (GeV⁴; r = BW_K*/m_K*²) per mode:
    columns 0: K_SK_Lπ⁰ |r₁+r₂|², 1: K⁺K⁻π⁰ |r₁+r₂|², 2–4: K⁰K⁻π⁺ r₁r₁*, r₂r₂*, r₁r₂*."""
    p = _par()["kkpi"]
    (mc, gc), (mn, gn) = p["kstar_charged"], p["kstar_neutral"]
    lo = _MK + _MK0 + _MPI0
    grid = np.linspace(lo, _GRID_TOP, 120)
    out = np.zeros((grid.size, 5), dtype=complex)

    def r(q2, m, g, m1, m2):
        return _bw_pwave(q2, m, g, m1, m2) / (m * m)

    # 1 = K, 2 = K̄, 3 = π: s13 = (K π), s23 = (K̄ π)
    _, s13, s23, g = _dalitz_points(grid, _MK0, _MK0, _MPI0, _N_DALITZ)
    out[:, 0] = np.sum(np.abs(r(s13, mn, gn, _MK0, _MPI0) + r(s23, mn, gn, _MK0, _MPI0)) ** 2 * g, axis=(1, 2))
    _, s13, s23, g = _dalitz_points(grid, _MK, _MK, _MPI0, _N_DALITZ)
    out[:, 1] = np.sum(np.abs(r(s13, mc, gc, _MK, _MPI0) + r(s23, mc, gc, _MK, _MPI0)) ** 2 * g, axis=(1, 2))
    _, s13, s23, g = _dalitz_points(grid, _MK0, _MK, _MPI, _N_DALITZ)
    r1, r2 = r(s13, mc, gc, _MK0, _MPI), r(s23, mn, gn, _MK, _MPI)
    out[:, 2] = np.sum(np.abs(r1) ** 2 * g, axis=(1, 2))
    out[:, 3] = np.sum(np.abs(r2) ** 2 * g, axis=(1, 2))
    out[:, 4] = np.sum(r1 * np.conj(r2) * g, axis=(1, 2))
    return frozen(grid, out)


def _kkpi_isospin_amplitudes(s: np.ndarray, w: Weights) -> tuple[np.ndarray, np.ndarray]:
    p = _par()["kkpi"]
    a0 = np.zeros(s.shape, dtype=complex)
    for m, g, a, ph in zip(p["isoscalar_masses"], p["isoscalar_widths"], p["isoscalar_amplitudes"],
                           p["isoscalar_phases_rad"]):
        a0 = a0 + w[2] * a * np.exp(1j * ph) * _bw_fixed(s, m, g)
    a1 = np.zeros(s.shape, dtype=complex)
    for m, g, a, ph in zip(p["isovector_masses"], p["isovector_widths"], p["isovector_amplitudes"],
                           p["isovector_phases_rad"]):
        a1 = a1 + w[0] * a * np.exp(1j * ph) * _bw_fixed(s, m, g)
    return a0, a1


def r_kkpi_modes(sqrt_s: np.ndarray, w: Weights) -> dict[str, np.ndarray]:
    """R of K_SK_Lπ⁰, K⁺K⁻π⁰ and of one K_S K∓π± charge mode (the K_L and other-sign modes are
    equal by isospin and CP): R = (1/16π²)(2g_K*)²/6 ∫∫|Σ A r|² G (three-body formula above)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    a0, a1 = _kkpi_isospin_amplitudes(rs**2, w)
    grid, tab = _kkpi_tables()
    t = [np.interp(rs, grid, tab[:, k].real) + 1j * np.interp(rs, grid, tab[:, k].imag) for k in range(5)]
    pre = (2 * _par()["kkpi"]["g_kstar"]) ** 2 / 6 / (16 * math.pi**2)
    ap, am = a0 + a1, a0 - a1
    mixed = (np.abs(ap) ** 2 * t[2].real + np.abs(am) ** 2 * t[3].real + 2 * (ap * np.conj(am) * t[4]).real)
    on = rs > grid[0]
    return {"KSKLpi0": np.where(on, pre * np.abs(am) ** 2 * t[0].real, 0.0),
            "K+K-pi0": np.where(on, pre * np.abs(ap) ** 2 * t[1].real, 0.0),
            "KSK-pi+": np.where(on, pre * mixed, 0.0)}


def r_kkpi(sqrt_s: np.ndarray, w: Weights) -> np.ndarray:
    """R(K K̄ π), all charge modes: K_SK_Lπ⁰ + K⁺K⁻π⁰ + 4 × K_S K⁻π⁺ (K_{S,L} K∓π±)."""
    m = r_kkpi_modes(sqrt_s, w)
    return m["KSKLpi0"] + m["K+K-pi0"] + 4 * m["KSK-pi+"]
