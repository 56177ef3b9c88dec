"""Differential and total cross sections of the scattering signals (pure functions on arrays).

Units: energies GeV, dσ/dT in cm²/GeV, dσ/dcosθ and σ in cm². Notation (formulas-detection.md §3):
projectile energy E, mass m, momentum p; target at rest with mass M; recoil kinetic energy T;
|q| = √(2MT). Mediator couplings follow darkbeam.models: vector couplings c_f in units of e
(g x_f = e c_f), α_D = g_χ²/4π.

Processes
---------
* χ e → χ e through a vector mediator, Dirac or complex-scalar χ (§3.1; scalar form = deNiverville,
  Pospelov, Ritz arXiv:1107.4580 as in BdNMC; Dirac form derived in the sheet, both trace-verified).
* χ N → χ N coherent with the Helm form factor (§3.2; spin-0 nucleus, charge Q_N = Z c_p + N c_n);
  χ p, χ n → χ p, χ n incoherent with dipole/Galster nucleon form factors (§3.3).
* ν N → ν N (CEvNS), SM + light vector mediator, per flavour (§3.6; arXiv:2112.04020 Eqs. (2.2)–(2.4)
  with the −T/E term and the √2 G_F normalisation of the BSM shift — errata seed001 Eq. (54)). The SM
  couplings g_p, g_n are radiatively corrected by default (:func:`cevns_sm_couplings`, PDG ν–hadron
  parametrization as in Barranco, Miranda, Rashba JHEP 12 (2005) 021; ``couplings="tree"`` for tree level).
* ν e → ν e, SM + light vector, per flavour (§3.7; 't Hooft PLB 37 (1971) 195, Vogel–Engel PRD 39
  (1989) 3378; shift g_{L,R} → g_{L,R} + g²x_νx_e/[2√2 G_F (2m_eT + m_X²)] — erratum seed001 Eq. (52)).
* a N → γ N inverse Primakoff with Tsai screening × Helm (§3.4), a e → γ e inverse Compton (§3.5;
  Brodsky et al. PRL 56 (1986) 1763, Avignone et al. PRD 37 (1988) 618), as dσ/dv with v = 1 − cosθ
  of the photon (dσ/dv = dσ/dcosθ).

Validity: tree level (except the CEvNS SM couplings, see above), free targets at rest; coherent forms
valid while the Helm suppression describes the loss of coherence (q R₁ ≲ 3–4, §3.2) — a warning is
issued beyond. Other radiative corrections (percent level) and axial/spin-dependent nuclear terms are
not included.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..constants import ALPHA_EM, HBARC2_GEV2_CM2, mass
from ._params import parameters
from .form_factors import HBARC_GEV_FM, atomic_screening, helm_form_factor, helm_radius

M_E = mass(11)
FOUR_PI_ALPHA = 4.0 * math.pi * ALPHA_EM
#: neutrino flavours by |PDG id|
NU_FLAVOUR = {12: "nu_e", 14: "nu_mu", 16: "nu_tau"}


class CoherenceWarning(UserWarning):
    """A coherent cross section evaluated where |q| R₁ > 4 (incoherent regime, §3.2)."""


def _g_f() -> float:
    return parameters()["electroweak"]["G_F"]


def _s_w2(s_w2: float | None) -> float:
    return parameters()["electroweak"]["sin2_theta_w"] if s_w2 is None else s_w2


def elastic_t_max(energy: np.ndarray, m: float, big_m: float) -> np.ndarray:
    """Largest recoil kinetic energy T_max = 2M p²/(m² + M² + 2ME) (GeV), elastic 2 → 2."""
    e = np.asarray(energy, dtype=float)
    p2 = np.maximum(e * e - m * m, 0.0)
    return 2.0 * big_m * p2 / (m * m + big_m * big_m + 2.0 * big_m * e)


def _in_range(t, e, m, big_m):
    return (t >= 0) & (t <= elastic_t_max(e, m, big_m)) & (e > m)


def _warn_coherence(t, big_m, a):
    q = np.sqrt(2.0 * big_m * np.max(t, initial=0.0))
    if q / HBARC_GEV_FM * helm_radius(a) > 4.0:
        warnings.warn("coherent chi-N cross section used beyond |q| R1 = 4 (Helm form factor, Lewin & Smith, "
                      "Astropart. Phys. 6 (1996) 87): the Helm F^2 suppresses it there, but the incoherent "
                      "chi-p / chi-n part is not included", CoherenceWarning, stacklevel=3)


# --- dark matter ----------------------------------------------------------------------------
def dsigma_dt_dm_electron(t, energy, m_chi: float, m_med: float, coupling2: float,
                          kind: str = "dirac") -> np.ndarray:
    """dσ/dT (cm²/GeV) of χ e → χ e through a vector of mass ``m_med`` (formulas-detection.md §3.1).

    ``coupling2`` = g_χ²(g x_e)² (= (4π)² α α_D c_e² with c_e in units of e). ``kind``:
    ``"dirac"`` or ``"complex_scalar"``. Zero outside 0 ≤ T ≤ T_max.
    """
    t, e = np.broadcast_arrays(np.asarray(t, float), np.asarray(energy, float))
    p2 = np.maximum(e * e - m_chi**2, 1e-300)
    if kind == "dirac":
        num = 2 * M_E * e * e - t * (2 * M_E * e + m_chi**2 + M_E**2) + M_E * t * t
    elif kind == "complex_scalar":
        num = 2 * M_E * e * e - t * (2 * M_E * e + m_chi**2)
    else:
        raise ValueError(f"kind must be 'dirac' or 'complex_scalar', got {kind!r}")
    out = coupling2 / (4 * math.pi * p2) * num / (2 * M_E * t + m_med**2) ** 2
    return np.where(_in_range(t, e, m_chi, M_E), np.maximum(out, 0.0), 0.0) * HBARC2_GEV2_CM2


def dsigma_dt_dm_nucleus(t, energy, m_chi: float, m_med: float, coupling2: float, a: float,
                         m_nucleus: float, kind: str = "dirac") -> np.ndarray:
    """dσ/dT (cm²/GeV) of coherent χ N → χ N (formulas-detection.md §3.2), Helm F(√(2MT))².

    ``coupling2`` = g_χ² g² Q_N² (Q_N = Z x_p + N x_n; dark photon g Q_N = ε e Z). ``a``: mass
    number for the Helm radius; ``m_nucleus``: M in GeV.
    """
    t, e = np.broadcast_arrays(np.asarray(t, float), np.asarray(energy, float))
    M = m_nucleus
    p2 = np.maximum(e * e - m_chi**2, 1e-300)
    if kind == "dirac":
        num = 2 * M * e * e - 2 * M * e * t - M * M * t
    elif kind == "complex_scalar":
        num = 2 * M * e * e - 2 * M * e * t + 0.5 * M * t * t
    else:
        raise ValueError(f"kind must be 'dirac' or 'complex_scalar', got {kind!r}")
    ok = _in_range(t, e, m_chi, M)
    _warn_coherence(np.where(ok, t, 0.0), M, a)
    f2 = helm_form_factor(np.sqrt(2 * M * np.maximum(t, 0.0)), a) ** 2
    out = coupling2 / (4 * math.pi * p2) * f2 * num / (2 * M * t + m_med**2) ** 2
    return np.where(ok, np.maximum(out, 0.0), 0.0) * HBARC2_GEV2_CM2


# --- neutrinos --------------------------------------------------------------------------------
#: the CEvNS coupling schemes (``data/parameters.toml`` [cevns_couplings])
CEVNS_COUPLINGS = ("radiative", "tree")


def cevns_sm_couplings(couplings: str | None = None, s_w2: float | None = None) -> tuple[float, float]:
    """Standard-Model (g_p, g_n) of CEvNS, 𝒬 = Z g_p F + N g_n F (``data/parameters.toml`` [cevns_couplings]).

    ``"radiative"`` (the file's default scheme): the PDG electroweak review's one-loop ν–hadron
    parametrization (Barranco, Miranda, Rashba, JHEP 12 (2005) 021, hep-ph/0508299; the same numbers
    as pyCEvNS):

        g_p = ρ(½ − 2κ ŝ²) + 2λ_uL + 2λ_uR + λ_dL + λ_dR,   g_n = −ρ/2 + λ_uL + λ_uR + 2λ_dL + 2λ_dR,

    ρ = 1.0086, κ = 0.9978, λ_uL = −0.0031, λ_dL = −0.0025, λ_dR = 2λ_uR = 7.5×10⁻⁵, ŝ² = ŝ²(M_Z) = 0.2312
    → g_p = 0.03040, g_n = −0.51221 (flavour-universal: the flavour-dependent neutrino charge radii of
    Tomalak et al., arXiv:2011.05960, are not included). ``"tree"``: g_p = ½ − 2s_W², g_n = −½ with the
    low-energy s_W² (0.23857). ``s_w2`` replaces the scheme's own sin²θ_W (ŝ²(M_Z) or s_W²(0)).
    """
    p = parameters()["cevns_couplings"]
    scheme = p["scheme"] if couplings is None else couplings
    if scheme == "tree":
        return 0.5 - 2.0 * _s_w2(s_w2), -0.5
    if scheme != "radiative":
        raise ValueError(f"CEvNS couplings must be one of {', '.join(CEVNS_COUPLINGS)}, got {scheme!r}")
    sw = p["sin2_theta_w_mz"] if s_w2 is None else s_w2
    rho, kappa = p["rho_nuN"], p["kappa_nuN"]
    lul, lur, ldl, ldr = p["lambda_uL"], p["lambda_uR"], p["lambda_dL"], p["lambda_dR"]
    g_p = rho * (0.5 - 2.0 * kappa * sw) + 2 * lul + 2 * lur + ldl + ldr
    g_n = -0.5 * rho + lul + lur + 2 * ldl + 2 * ldr
    return g_p, g_n


def cevns_charge(t, z: int, n: int, m_nucleus: float, a: float, *, c_nu: float = 0.0,
                 c_u: float = 0.0, c_d: float = 0.0, m_med: float = 1.0,
                 s_w2: float | None = None, couplings: str | None = None) -> np.ndarray:
    """Weak charge 𝒬(T) = Z g_p F + N g_n F of CEvNS with a light vector (formulas-detection.md §3.6).

    g_p = g_p^SM + (2c_u + c_d) δ, g_n = g_n^SM + (c_u + 2c_d) δ, δ = 4πα c_ν/[√2 G_F (2MT + m_X²)]
    (c in units of e, so g² x_ν x_q = 4πα c_ν c_q; the mediator amplitude adds to the SM one with the
    sign of c_ν c_q, §3.6). g^SM from :func:`cevns_sm_couplings` (``couplings``: "radiative" default,
    or "tree" where g_p = 2g_u + g_d = ½ − 2s_W², g_n = g_u + 2g_d = −½ and 𝒬 = −½ Q_W F).
    F = Helm with ``a`` the nucleus's mass number (:func:`~.form_factors.helm_form_factor`).
    """
    t = np.asarray(t, float)
    gp_sm, gn_sm = cevns_sm_couplings(couplings, s_w2)
    shift = FOUR_PI_ALPHA * c_nu / (math.sqrt(2) * _g_f() * (2 * m_nucleus * t + m_med**2))
    gp = gp_sm + shift * (2 * c_u + c_d)
    gn = gn_sm + shift * (c_u + 2 * c_d)
    f = helm_form_factor(np.sqrt(2 * m_nucleus * np.maximum(t, 0.0)), a)
    return (z * gp + n * gn) * f


def dsigma_dt_cevns(t, energy, z: int, n: int, m_nucleus: float, a: float, *, c_nu: float = 0.0,
                    c_u: float = 0.0, c_d: float = 0.0, m_med: float = 1.0,
                    s_w2: float | None = None, couplings: str | None = None) -> np.ndarray:
    """dσ/dT (cm²/GeV) of ν N → ν N (CEvNS, formulas-detection.md §3.6), neutrino or antineutrino:

        dσ/dT = G_F² M/π (1 − T/E − MT/2E²) 𝒬(T)²,   T_max = 2E²/(M + 2E).

    The mediator enters through ``c_nu`` (the flavour's c_ν), ``c_u``, ``c_d`` and ``m_med``;
    ``couplings`` selects the SM couplings ("radiative", the default, or "tree"; :func:`cevns_sm_couplings`).
    """
    t, e = np.broadcast_arrays(np.asarray(t, float), np.asarray(energy, float))
    M = m_nucleus
    ok = (t >= 0) & (t <= elastic_t_max(e, 0.0, M)) & (e > 0)
    q = cevns_charge(t, z, n, M, a, c_nu=c_nu, c_u=c_u, c_d=c_d, m_med=m_med, s_w2=s_w2,
                     couplings=couplings)
    with np.errstate(divide="ignore", invalid="ignore"):
        kin = 1.0 - t / e - M * t / (2 * e * e)
    out = _g_f() ** 2 * M / math.pi * np.maximum(kin, 0.0) * q * q
    return np.where(ok, out, 0.0) * HBARC2_GEV2_CM2


def nu_e_couplings(pdg: int, t, *, c_nu: float = 0.0, c_e: float = 0.0, m_med: float = 1.0,
                   s_w2: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(g_L, g_R) of ν e → ν e for the neutrino ``pdg`` (±12, ±14, ±16), after the mediator shift
    g_{L,R} += 4πα c_ν c_e/[2√2 G_F (2m_eT + m_X²)] and, for ν̄, the swap g_L ↔ g_R (§3.7)."""
    sw = _s_w2(s_w2)
    gl = (0.5 if abs(pdg) == 12 else -0.5) + sw
    gr = sw
    shift = FOUR_PI_ALPHA * c_nu * c_e / (2 * math.sqrt(2) * _g_f() * (2 * M_E * np.asarray(t, float) + m_med**2))
    gl, gr = gl + shift, gr + shift
    return (gr, gl) if pdg < 0 else (gl, gr)


def dsigma_dt_nu_electron(t, energy, pdg: int, *, c_nu: float = 0.0, c_e: float = 0.0,
                          m_med: float = 1.0, s_w2: float | None = None) -> np.ndarray:
    """dσ/dT (cm²/GeV) of ν e → ν e (formulas-detection.md §3.7):

        dσ/dT = 2G_F² m_e/π [g_L² + g_R²(1 − T/E)² − g_L g_R m_e T/E²],  T_max = 2E²/(m_e + 2E),

    ν_e includes the charged current (g_L = ½ + s_W²); ν_μ, ν_τ: g_L = −½ + s_W²; g_R = s_W².
    """
    if abs(pdg) not in NU_FLAVOUR:
        raise ValueError(f"not a neutrino PDG id: {pdg}")
    t, e = np.broadcast_arrays(np.asarray(t, float), np.asarray(energy, float))
    ok = (t >= 0) & (t <= elastic_t_max(e, 0.0, M_E)) & (e > 0)
    gl, gr = nu_e_couplings(pdg, t, c_nu=c_nu, c_e=c_e, m_med=m_med, s_w2=s_w2)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = t / e
        out = 2 * _g_f() ** 2 * M_E / math.pi * (gl * gl + gr * gr * (1 - y) ** 2 - gl * gr * M_E * t / (e * e))
    return np.where(ok, np.maximum(out, 0.0), 0.0) * HBARC2_GEV2_CM2


# --- ALP conversion ---------------------------------------------------------------------------
def dsigma_dv_primakoff(v, energy, m_a: float, g_agg: float, z: int, a: float) -> np.ndarray:
    """dσ/dcosθ (cm²) of a N → γ N (inverse Primakoff, formulas-detection.md §3.4) at v = 1 − cosθ:

        dσ/dcosθ = g²αZ²/2 · F²(q) · β sin²θ/(1 + β² − 2β cosθ)²,  q² = p² + E² − 2pE cosθ,
        F = [a²q²/(1 + a²q²)]_Tsai × F_Helm(q).

    Written with (1 − β) = m²/[E(E + p)] and sin²θ = v(2 − v) so that v down to 10⁻¹⁸ keeps its digits.
    Heavy-nucleus limit (E_γ = E_a, recoil neglected in σ).
    """
    v, e = np.broadcast_arrays(np.asarray(v, float), np.asarray(energy, float))
    p = np.sqrt(np.maximum(e * e - m_a * m_a, 0.0))
    beta = p / e
    one_m_beta = m_a * m_a / (e * (e + p))
    e_m_p = m_a * m_a / (e + p)
    q = np.sqrt(e_m_p**2 + 2 * p * e * v)
    f = atomic_screening(q, z) * helm_form_factor(q, a)
    den = (one_m_beta**2 + 2 * beta * v) ** 2
    out = g_agg**2 * ALPHA_EM * z * z / 2 * f * f * beta * v * (2 - v) / den
    return np.where((v >= 0) & (v <= 2) & (e > m_a), out, 0.0) * HBARC2_GEV2_CM2


def compton_photon_energy(v, energy, m_a: float, m_target: float = M_E) -> np.ndarray:
    """Photon energy of a + T → γ + T at angle θ (v = 1 − cosθ), target mass ``m_target`` at rest:
    E_γ = (2M E + m_a²)/[2(E + M − p cosθ)] (exact 2 → 2 kinematics, formulas-detection.md §3.5)."""
    v, e = np.broadcast_arrays(np.asarray(v, float), np.asarray(energy, float))
    p = np.sqrt(np.maximum(e * e - m_a * m_a, 0.0))
    e_m_p = m_a * m_a / (e + p)
    return (2 * m_target * e + m_a * m_a) / (2 * (e_m_p + m_target + p * v))


def dsigma_dv_inverse_compton(v, energy, m_a: float, g_ae: float) -> np.ndarray:
    """dσ/dcosθ (cm²) of a e → γ e (inverse Compton, formulas-detection.md §3.5) at v = 1 − cosθ:

        dσ/dcosθ = α g² E_γ/(4m_e² p) [1 + 4m_e²E_γ²/y² − 4m_eE_γ/y − 4m_eE_γ m_a² p² sin²θ/y³],
        y = 2m_eE + m_a².
    """
    v, e = np.broadcast_arrays(np.asarray(v, float), np.asarray(energy, float))
    p = np.sqrt(np.maximum(e * e - m_a * m_a, 1e-300))
    y = 2 * M_E * e + m_a * m_a
    eg = compton_photon_energy(v, e, m_a)
    x = M_E * eg / y
    sin2 = v * (2 - v)
    out = ALPHA_EM * g_ae**2 * eg / (4 * M_E**2 * p) * (
        1 + 4 * x * x - 4 * x - 4 * x * m_a * m_a * p * p * sin2 / (y * y))
    return np.where((v >= 0) & (v <= 2) & (e > m_a), np.maximum(out, 0.0), 0.0) * HBARC2_GEV2_CM2


# --- incoherent χ–nucleon (above coherence) ---------------------------------------------------
class IncoherentRegimeWarning(UserWarning):
    """Incoherent χ–nucleon scattering used at |q| below the stated regime (§3.3)."""


def nucleon_form_factors(q2) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dirac/Pauli (F₁ᵖ, F₂ᵖ, F₁ⁿ, F₂ⁿ) at Q² (GeV²): dipole + Galster (formulas-detection.md §3.3).

    F₁ = (G_E + τG_M)/(1 + τ), F₂ = (G_M − G_E)/(1 + τ), τ = Q²/4M² (M = m_p for both, the
    isospin-averaged convention of the sheet's check values)."""
    p = parameters()["nucleon_form_factors"]
    q2 = np.asarray(q2, float)
    m_n = mass(2212)
    tau = q2 / (4 * m_n * m_n)
    gd = (1 + q2 / p["dipole_mass2"]) ** -2
    gep, gmp = gd, p["mu_p"] * gd
    gmn = p["mu_n"] * gd
    gen = -p["mu_n"] * p["galster_a"] * tau / (1 + p["galster_b"] * tau) * gd
    f1 = lambda ge, gm: (ge + tau * gm) / (1 + tau)
    f2 = lambda ge, gm: (gm - ge) / (1 + tau)
    return f1(gep, gmp), f2(gep, gmp), f1(gen, gmn), f2(gen, gmn)


def dsigma_dt_dm_nucleon(t, energy, m_chi: float, m_med: float, g_chi2: float, c_u: float, c_d: float,
                         nucleon: str = "p", kind: str = "dirac", point_like: bool = False) -> np.ndarray:
    """dσ/dT (cm²/GeV) of incoherent χ N → χ N on a free nucleon (formulas-detection.md §3.3):

        dσ/dT = g_χ² g² /(32π M p² (2MT + m_X²)²) × {Dirac, complex-scalar bracket in F₁, F₂},

    F_i^{X,p} = c_u(2F_iᵖ + F_iⁿ) + c_d(F_iᵖ + 2F_iⁿ), F_i^{X,n} = c_u(F_iᵖ + 2F_iⁿ) + c_d(2F_iᵖ + F_iⁿ)
    (c in units of e, so g² → 4πα). ``point_like``: F₁ = c_p or c_n, F₂ = 0. Scalar form = BdNMC_LANL
    ``dsigmadEdmP`` (arXiv:1609.01770), Dirac form derived in the sheet (both trace-verified there).
    Regime: |q| ≳ 0.2 GeV (Pauli blocking, binding neglected); a warning is issued below.
    """
    t, e = np.broadcast_arrays(np.asarray(t, float), np.asarray(energy, float))
    M = mass(2212) if nucleon == "p" else mass(2112)
    m = m_chi
    q2 = 2 * M * t
    if np.any((q2 > 0) & (q2 < parameters()["nucleon_form_factors"]["q_min_incoherent"] ** 2)):
        warnings.warn("incoherent chi-nucleon scattering used below |q| = 0.2 GeV, where Pauli blocking and "
                      "nuclear binding (neglected) matter: set a recoil threshold", IncoherentRegimeWarning, stacklevel=2)
    if point_like:
        cp, cn = 2 * c_u + c_d, c_u + 2 * c_d
        f1 = np.full_like(t, cp if nucleon == "p" else cn)
        f2 = np.zeros_like(t)
    else:
        f1p, f2p, f1n, f2n = nucleon_form_factors(q2)
        if nucleon == "p":
            f1 = c_u * (2 * f1p + f1n) + c_d * (f1p + 2 * f1n)
            f2 = c_u * (2 * f2p + f2n) + c_d * (f2p + 2 * f2n)
        else:
            f1 = c_u * (f1p + 2 * f1n) + c_d * (2 * f1p + f1n)
            f2 = c_u * (f2p + 2 * f2n) + c_d * (2 * f2p + f2n)
    if kind == "dirac":
        br = (8 * M * (2 * M * e * e - 2 * M * e * t - M * M * t + M * t * t - m * m * t) * f1 * f1
              + 16 * M * t * (M * t - m * m) * f1 * f2
              + 4 * M * t * (2 * e * e - 2 * e * t + M * t - 2 * m * m) * f2 * f2)
    elif kind == "complex_scalar":
        br = 8 * M * (f1 * f1 * (2 * M * e * (e - t) - m * m * t) - f1 * f2 * t * (M * t + 2 * m * m)
                      + 0.25 * f2 * f2 * t * ((2 * e - t) ** 2 - 2 * M * t - 4 * m * m))
    else:
        raise ValueError(f"kind must be 'dirac' or 'complex_scalar', got {kind!r}")
    p2 = np.maximum(e * e - m * m, 1e-300)
    out = g_chi2 * FOUR_PI_ALPHA / (32 * math.pi * M * p2 * (2 * M * t + m_med**2) ** 2) * br
    return np.where(_in_range(t, e, m, M), np.maximum(out, 0.0), 0.0) * HBARC2_GEV2_CM2
