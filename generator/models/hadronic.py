"""Hadronic decays of a vector mediator X with arbitrary quark couplings (data-driven VMD).

Method (formulas-detection.md §1.3–1.5; Ilten, Soreq, Williams, Xue, arXiv:1801.04847, and
Foguel, Reimitz, Zukanovich Funchal, arXiv:2201.01788 "DeLiVeR"):

* The hadronic current of X, with vector couplings c_q (units of e), contains a ρ-like
  (isovector), an ω-like (isoscalar light) and a φ-like (strange) piece with amplitude weights

      w_ρ = c_u − c_d,   w_ω = 3 (c_u + c_d),   w_φ = −3 c_s

  (DeLiVeR convention c_I1, c_I0, c_S of §1.4; the photon, c_q = Q_q, has w = (1, 1, 1)).
  Each exclusive channel F is built from e⁺e⁻ fits as an amplitude sum Σ_V w_V A_V^F(s), and

      Γ(X → F) = (α m_X / 3) · R_F(m_X; w),

  where R_F(m; w) is the channel's R ratio σ(e⁺e⁻→F)/σ⁽⁰⁾_μμ evaluated with the weights w
  (for the dark photon R_F(m; ε·(1,1,1)) = ε² R_F^data).
* Exclusive channels (all below ~2 GeV) and their parametrisations:

  ``pi+pi-``     CGK dual-QCD pion form factor, arXiv:1002.0279 (§1.4 a); the ρ–ω mixing term is
                 weighted by w_ω (it is the ω component of the current; the published form puts it
                 under w_ρ, which gives an isoscalar X no ππ at all, formulas-detection.md §6.10).
  ``pi0gamma``,  DeLiVeR transition form factors with ρ, ω, φ pieces (§1.4 b, arXiv:1601.08061).
  ``etagamma``
  ``pi+pi-pi0``  Czyż–Grzelińska–Kühn–Rodrigo current (hep-ph/0512180): ω, φ, ω(1420), ω(1650)
                 in s (w_ω; φ terms w_φ) times ρ-family Dalitz functions, :mod:`.hadronic_excl`.
  ``K+K-``,      F_K± = ½w_ρS_ρ + ⅙w_ωS_ω + ⅓w_φS_φ, F_K0 = −½w_ρS_ρ + ⅙w_ωS_ω + ⅓w_φS_φ with
  ``K0K0bar``    dual-QCD towers S_V of ρ, ω, φ states (Czyż–Grzelińska–Kühn arXiv:1002.0279,
                 refit arXiv:1911.11147), the φ(1020) coefficient scaled so that the φ peak
                 reproduces the PDG Γ(φ→e⁺e⁻)·BR(φ→KK̄) (:mod:`.hadronic_excl`).
  ``omegapi0``, ``phipi0``, ``etapi+pi-`` (isovector, ρ family), ``etaomega``, ``omegapipi``
                 (isoscalar, ω family), ``etaphi`` (φ family), ``KKbarpi`` (K*K̄: φ family and
                 ρ family, all six charge modes): e⁺e⁻ fits of arXiv:1610.00235, 1306.1985 and
                 1911.11147, :mod:`.hadronic_excl`.
  ``hadrons_other``  what the exclusive channels do not cover. Below the hand-over window
                 (1.7–1.9 GeV) it is the photon's residual R_data − Σ exclusive (from 1.04 GeV, faded
                 in from 1.00 GeV) — 4π (2π⁺2π⁻, π⁺π⁻2π⁰ without ωπ⁰), 6π, and the smaller
                 KK̄ππ, φππ, pp̄ — attributed to the isovector current, R_other = w_ρ² R_res:
                 4π and 6π have G = +1 and so couple only to the ρ-like current (the isoscalar
                 KK̄ππ/φππ/pp̄ pieces are thereby dropped for a pure isoscalar X; DeLiVeR has
                 them at ≤ 0.05 of R for B−L below 1.7 GeV). Above the window it is the R-ratio
                 method: PDG R × quark-charge ratio Σ_q N_c (c_q² + a_q²) / Σ_q N_c Q_q² over
                 open flavours (seed001 Eq. (26), formulas-detection.md §1.5), which replaces
                 all exclusive channels; in the window both are blended with a smoothstep. For
                 the photon the total is R_data throughout (≥ 1.04 GeV).

Validity and caveats: exclusive fits cover 2m_π – 2 GeV, the R data 1.04–11.09 GeV. VMD assumes
the X current has the same form factors as the photon's isospin components; axial quark
couplings have no VMD contribution here (they enter only the charge ratio of ``hadrons_other``,
i.e. from the hand-over window up); near m_ρ,ω,φ X–meson mixing can invalidate the perturbative
width when ε is large (arXiv:2404.06793); narrow J/ψ, ψ(2S), Υ are not in the smooth R data.
Above the last R point (11.09 GeV) R is held constant and a warning is issued.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np

from ..constants import ALPHA_EM
from . import hadronic_excl as _excl
from ._common import ModelValidityWarning
from .vmd_data import MPI as _MPI
from .vmd_data import MPI0 as _MPI0
from .vmd_data import META as _META
from .vmd_data import parameters

#: names of the exclusive hadronic channels, in output order
HADRONIC_CHANNELS = ("pi+pi-", "pi+pi-pi0", "pi0gamma", "etagamma", "K+K-", "K0K0bar", "omegapi0", "phipi0",
                     "etapi+pi-", "etaomega", "etaphi", "omegapipi", "KKbarpi", "hadrons_other")

#: channels built from e⁺e⁻ fits (everything but ``hadrons_other``)
EXCLUSIVE_CHANNELS = HADRONIC_CHANNELS[:-1]

#: √s window (GeV) over which ``hadrons_other`` is switched on (smoothstep)
OTHER_ON = (1.00, 1.04)

_MK = 0.493677
_MK0 = 0.497611
_MD0 = 1.86484
_MB = 5.27934


@lru_cache(maxsize=1)
def r_ratio_data() -> tuple[np.ndarray, np.ndarray]:
    """PDG 2020 R-ratio compilation (1.04–11.1 GeV), duplicates averaged (1/σ² weights).

    Returns read-only arrays (√s in GeV, R).
    """
    text = resources.files("darkbeam.models").joinpath("data/r_ratio_pdg2020.csv").read_text()
    rows = [line.split(",") for line in text.splitlines()
            if line.strip() and not line.startswith("#") and not line.startswith("sqrt_s")]
    e, r, err = np.array(rows, dtype=float).T
    uniq, inv = np.unique(e, return_inverse=True)
    w = 1.0 / np.maximum(err, 1e-6) ** 2
    rmean = np.bincount(inv, weights=w * r) / np.bincount(inv, weights=w)
    uniq.flags.writeable = False
    rmean.flags.writeable = False
    return uniq, rmean


# ------------------------------------------------------------------------------------------
# kinematics helpers
# ------------------------------------------------------------------------------------------
def three_pion_phase_space(sqrt_s: np.ndarray, n_grid: int = 160) -> np.ndarray:
    """J(√s) = ∫∫ |p⃗₊ × p⃗₋|² dE₊ dE₋ over the π⁺π⁻π⁰ Dalitz region (GeV⁸).

    The decay rate of a vector into 3π through the Wess–Zumino/Gell-Mann–Sharp–Wagner
    amplitude ε^{μνρσ}ε_μ p₊ν p₋ρ p₀σ is Γ ∝ J(√s)/√s (rest-frame phase space dΦ₃ ∝ dE₊dE₋).
    Midpoint rule on an ``n_grid``² grid; the integrand vanishes on the Dalitz boundary, so the
    rule converges fast (relative error < 1e-5 at 160², checked against 1000²).
    """
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    out = np.zeros_like(rs)
    ok = rs > 2 * _MPI + _MPI0
    for i in np.nonzero(ok)[0]:
        m = rs[i]
        emax = (m * m + _MPI**2 - (_MPI + _MPI0) ** 2) / (2 * m)
        edges = np.linspace(_MPI, emax, n_grid + 1)
        e = 0.5 * (edges[1:] + edges[:-1])
        de = edges[1] - edges[0]
        ep, em = np.meshgrid(e, e, indexing="ij")
        pp2 = ep * ep - _MPI**2
        pm2 = em * em - _MPI**2
        e0 = m - ep - em
        p02 = e0 * e0 - _MPI0**2
        dot = 0.5 * (p02 - pp2 - pm2)
        g = pp2 * pm2 - dot * dot
        g = np.where((e0 > _MPI0) & (g > 0), g, 0.0)
        out[i] = g.sum() * de * de
    return out


def isospin_weights(cu: float, cd: float, cs: float) -> tuple[float, float, float]:
    """(w_ρ, w_ω, w_φ) = (c_u − c_d, 3(c_u + c_d), −3c_s); = (1, 1, 1) for the photon."""
    return cu - cd, 3.0 * (cu + cd), -3.0 * cs


# ------------------------------------------------------------------------------------------
# π⁺π⁻: CGK dual-QCD tower with Gounaris–Sakurai propagators (formulas-detection.md §1.4 a)
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _pion_tower() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Couplings c_n (complex), masses m_n and widths Γ_n of the CGK ρ tower."""
    p = parameters()["pion_ff"]
    beta, n_terms = p["beta"], int(p["n_terms"])
    n = np.arange(n_terms, dtype=float)
    # c_n = (−1)^n Γ(β−½)/(√π (n+½)) · sin(π(β−1−n))/π · Γ(2−β+n)/Γ(n+1); (−1)^n sin(π(β−1−n))
    # = sin(π(β−1)) for integer n.  Logs of Γ for large n.
    pref = math.gamma(beta - 0.5) / (math.sqrt(math.pi) * (n + 0.5)) * math.sin(math.pi * (beta - 1)) / math.pi
    from scipy.special import gammaln      # on first use: not at `import darkbeam.models`

    with np.errstate(invalid="ignore"):
        ratio = np.exp(gammaln(2 - beta + n[1:]) - gammaln(n[1:] + 1))
    c = np.empty(n_terms, dtype=complex)
    c[0] = p["c0"]
    c[1:] = pref[1:] * ratio
    w = np.asarray(p["weight_abs"]) * np.exp(1j * np.asarray(p["weight_phase"]))
    c[1:6] = w[1:6] * c[1:6].sum() / w[1:6].sum()
    m0, g0 = p["masses"][0], p["widths"][0]
    masses = m0 * np.sqrt(1 + 2 * n)
    widths = g0 * masses / m0
    masses[:6] = p["masses"]
    widths[:6] = p["widths"]
    for arr in (c, masses, widths):
        arr.flags.writeable = False
    return c, masses, widths


def _gounaris_sakurai(s: np.ndarray, m: np.ndarray, g: np.ndarray, mpi: float) -> np.ndarray:
    """GS propagator normalised to 1 at s = 0 (formulas-detection.md §1.4 a), s > 4mπ².

    Broadcasts ``s`` (shape (S, 1)) against resonance arrays ``m``, ``g`` (shape (N,)).
    Ĥ′(m²) is written in the simplified form Γ/(πm v²)[(1+r)L(v) + v], algebraically equal to
    the sheet's expression (1 − v² = 2r).
    """
    v = np.sqrt(1 - 4 * mpi**2 / s)
    vn = np.sqrt(1 - 4 * mpi**2 / m**2)
    lv = np.log((1 + v) / (1 - v))
    lvn = np.log((1 + vn) / (1 - vn))
    r = 2 * mpi**2 / m**2
    hhat = g / (np.pi * m) * s * v**3 / vn**3 * lv
    hhat_m = g / (np.pi * m) * m**2 * lvn
    dhhat = g / (np.pi * m * vn**2) * ((1 + r) * lvn + vn)
    h = hhat - hhat_m - (s - m**2) * dhhat
    h0 = -8 * mpi**2 / np.pi * g / (m * vn**3) - hhat_m + m**2 * dhhat
    gs = g * np.sqrt(s) / m * (v / vn) ** 3
    return (m**2 + h0) / (m**2 - s + h - 1j * np.sqrt(s) * gs)


def pion_form_factor(sqrt_s: np.ndarray, w_rho: float = 1.0, w_omega: float = 1.0) -> np.ndarray:
    """F_π^X(s) for √s > 2m_π (complex); the photon's form factor for w = (1, 1)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = (rs**2)[:, None]
    c, m, g = _pion_tower()
    p = parameters()["pion_ff"]
    bw = _gounaris_sakurai(s, m, g, _MPI)
    a_om = p["a_omega_abs"] * np.exp(1j * p["a_omega_phase"])
    mo, go = p["omega_mass"], p["omega_width"]
    bw_om = mo**2 / (mo**2 - s[:, 0] - 1j * mo * go)
    first = c[0] * bw[:, 0] * (w_rho + w_omega * a_om * bw_om) / (1 + a_om)
    rest = w_rho * (bw[:, 1:] @ c[1:])
    return first + rest


def r_pipi(sqrt_s: np.ndarray, w: tuple[float, float, float]) -> np.ndarray:
    """R_ππ = β³|F_π^X|²/4 (zero below 2m_π)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    out = np.zeros_like(rs)
    ok = rs > 2 * _MPI * (1 + 1e-12)
    if ok.any():
        beta = np.sqrt(1 - 4 * _MPI**2 / rs[ok] ** 2)
        out[ok] = beta**3 * np.abs(pion_form_factor(rs[ok], w[0], w[1])) ** 2 / 4
    return out


# ------------------------------------------------------------------------------------------
# P γ (DeLiVeR form factors, §1.4 b)
# ------------------------------------------------------------------------------------------
def r_pgamma(sqrt_s: np.ndarray, w: tuple[float, float, float], which: str) -> np.ndarray:
    """R_{Pγ} = p_γ³|F_{Pγ}|²/√s for P = π⁰ (``pi0gamma``) or η (``etagamma``)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    s = rs**2
    par = parameters()[which]
    mp = _MPI0 if which == "pi0gamma" else _META
    weight = {"rho": w[0], "omega": w[1], "phi": w[2]}
    f = np.zeros_like(rs, dtype=complex)
    for i, (mv, gv, a, ph, lab) in enumerate(zip(par["masses"], par["widths"], par["amplitudes"],
                                                  par["phases_deg"], par["weights"])):
        if i == 0:
            with np.errstate(invalid="ignore", divide="ignore"):
                gs = gv * mv**2 / s * np.clip((s - 4 * _MPI**2) / (mv**2 - 4 * _MPI**2), 0, None) ** 1.5
        else:
            gs = gv
        f = f + weight[lab] * a * np.exp(1j * math.radians(ph)) * mv**2 / (mv**2 - s - 1j * rs * gs)
    k = np.clip((s - mp**2) / (2 * rs), 0, None)
    return k**3 * np.abs(f) ** 2 / rs


# ------------------------------------------------------------------------------------------
# π⁺π⁻π⁰: CGKR current with excited ω states (hadronic_excl)
# ------------------------------------------------------------------------------------------
def r_3pi(sqrt_s: np.ndarray, w: tuple[float, float, float]) -> np.ndarray:
    """R_{π⁺π⁻π⁰} of the Czyż–Grzelińska–Kühn–Rodrigo current, hep-ph/0512180 (ω, φ, ω′, ω″)."""
    return _excl.r_3pi(sqrt_s, w)


# ------------------------------------------------------------------------------------------
# K K̄: dual-QCD towers with the arXiv:1911.11147 fit (hadronic_excl)
# ------------------------------------------------------------------------------------------
def r_kk(sqrt_s: np.ndarray, w: tuple[float, float, float], channel: str) -> np.ndarray:
    """R_{KK̄} = β_K³|F_K|²/4 for ``K+K-`` or ``K0K0bar`` (:func:`.hadronic_excl.r_kk`)."""
    return _excl.r_kk(sqrt_s, w, channel)


# ------------------------------------------------------------------------------------------
# everything else: PDG R data minus the exclusive photon channels
# ------------------------------------------------------------------------------------------
def _smoothstep(x: np.ndarray) -> np.ndarray:
    t = np.clip(x, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def r_data(sqrt_s: np.ndarray) -> np.ndarray:
    """Interpolated PDG R (1.04–11.09 GeV; constant outside, with a warning above)."""
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    e, r = r_ratio_data()
    if np.any(rs > e[-1]):
        warnings.warn(f"R-ratio data end at {e[-1]} GeV; R is held constant above "
                      f"(asked for up to {rs.max():.3g} GeV)", ModelValidityWarning, stacklevel=3)
    return np.interp(rs, e, r)


def exclusive_r(sqrt_s: np.ndarray, w: tuple[float, float, float]) -> dict[str, np.ndarray]:
    """R of every exclusive channel (names of :data:`EXCLUSIVE_CHANNELS`) for isospin weights w."""
    x = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    return {
        "pi+pi-": r_pipi(x, w),
        "pi+pi-pi0": r_3pi(x, w),
        "pi0gamma": r_pgamma(x, w, "pi0gamma"),
        "etagamma": r_pgamma(x, w, "etagamma"),
        "K+K-": r_kk(x, w, "K+K-"),
        "K0K0bar": r_kk(x, w, "K0K0bar"),
        "omegapi0": _excl.r_omega_pi0(x, w),
        "phipi0": _excl.r_phi_pi0(x, w),
        "etapi+pi-": _excl.r_eta_pipi(x, w),
        "etaomega": _excl.r_eta_omega(x, w),
        "etaphi": _excl.r_eta_phi(x, w),
        "omegapipi": _excl.r_omega_pipi(x, w),
        "KKbarpi": _excl.r_kkpi(x, w),
    }


def _residual_photon(x: np.ndarray) -> np.ndarray:
    """max(R_data − Σ exclusive photon channels, 0) for √s ≥ 1.04 GeV."""
    excl = sum(exclusive_r(x, (1.0, 1.0, 1.0)).values())
    return np.clip(r_data(x) - excl, 0.0, None)


@lru_cache(maxsize=1)
def _residual_table() -> tuple[np.ndarray, np.ndarray]:
    """The photon residual on the R-data nodes from 1.04 to 2.1 GeV (R_data is linear between
    nodes; the exclusive sum is smooth on their ≤ 10 MeV spacing there)."""
    e, _ = r_ratio_data()
    nodes = e[(e >= OTHER_ON[1]) & (e <= 2.1)]
    tab = _residual_photon(nodes)
    tab.flags.writeable = False
    return nodes, tab


def r_other_photon(sqrt_s: np.ndarray) -> np.ndarray:
    """R of the photon's hadronic final states not modelled exclusively (below the hand-over).

    For √s ≥ 1.04 GeV (start of the R data kept): PDG R minus the exclusive channels (≥ 0).
    Below, the value at 1.04 GeV is faded out with a smoothstep to zero at 1.00 GeV, keeping
    the width continuous; what it stands for (4π without ωπ⁰) is R ≲ 0.03 there (DeLiVeR
    arXiv:2201.01788 4π minus ωπ⁰ at 1.0 GeV).
    """
    rs = np.atleast_1d(np.asarray(sqrt_s, dtype=float))
    lo, hi = OTHER_ON
    out = np.zeros_like(rs)
    above = rs >= hi
    nodes, tab = _residual_table()
    if above.any():
        inside = above & (rs <= nodes[-1])
        out[inside] = np.interp(rs[inside], nodes, tab)
        if (above & ~inside).any():
            out[above & ~inside] = _residual_photon(rs[above & ~inside])
    ramp = (rs > lo) & ~above
    if ramp.any():
        out[ramp] = _smoothstep((rs[ramp] - lo) / (hi - lo)) * tab[0]
    return out


def handover_fraction(sqrt_s: np.ndarray) -> np.ndarray:
    """Weight t(√s) of the R-ratio method (0 below, 1 above the ``[handover]`` window, smoothstep)."""
    lo, hi = parameters()["handover"]["window"]
    return _smoothstep((np.asarray(sqrt_s, dtype=float) - lo) / (hi - lo))


def quark_charge_ratio(sqrt_s: float, vector: dict[str, float], axial: dict[str, float] | None = None) -> float:
    """Σ_q N_c (c_q² + a_q²) / Σ_q N_c Q_q² over quarks open at √s (u, d, s; c above 2m_D⁰;
    b above 2m_B) — seed001 Eq. (26), formulas-detection.md §1.5."""
    axial = axial or {}
    charges = {"u": 2 / 3, "d": -1 / 3, "s": -1 / 3, "c": 2 / 3, "b": -1 / 3}
    open_q = ["u", "d", "s"]
    if sqrt_s > 2 * _MD0:
        open_q.append("c")
    if sqrt_s > 2 * _MB:
        open_q.append("b")
    num = sum(vector.get(q, 0.0) ** 2 + axial.get(q, 0.0) ** 2 for q in open_q)
    den = sum(charges[q] ** 2 for q in open_q)
    return num / den


def _photon_like(vector: dict[str, float], axial: dict[str, float]) -> bool:
    """True if the light (u, d, s) vector couplings are proportional to the quark charges, no axial."""
    charges = {"u": 2 / 3, "d": -1 / 3, "s": -1 / 3, "c": 2 / 3, "b": -1 / 3}
    k = vector.get("u", 0.0) / charges["u"]
    return (not any(axial.values())
            and all(math.isclose(vector.get(q, 0.0), k * charges[q], rel_tol=1e-9, abs_tol=1e-15) for q in "uds"))


def hadronic_r(mass: float, vector: dict[str, float], axial: dict[str, float] | None = None) -> dict[str, float]:
    """R-equivalents of every hadronic channel for a mediator of ``mass`` (GeV) with quark
    vector couplings ``vector`` (keys u, d, s, c, b; units of e): Γ_F = α m R_F / 3.

    Below the ``[handover]`` window (1.7 GeV): exclusive channels with isospin weights plus the
    isovector residual w_ρ² R_res (``hadrons_other``); above it (1.9 GeV): only
    ``hadrons_other`` = R_data × quark-charge ratio; blended in between. A
    ``ModelValidityWarning`` is issued inside the window for a mediator that is not photon-like
    (there the two descriptions differ by up to ~40 % for B−L; for the photon they agree).
    """
    axial = axial or {}
    w = isospin_weights(vector.get("u", 0.0), vector.get("d", 0.0), vector.get("s", 0.0))
    m = np.array([float(mass)])
    t = float(handover_fraction(m)[0])
    out = {ch: 0.0 for ch in HADRONIC_CHANNELS}
    if t < 1.0:
        for ch, r in exclusive_r(m, w).items():
            out[ch] = (1.0 - t) * float(r[0])
        if w[0] != 0.0:
            out["hadrons_other"] = (1.0 - t) * w[0] ** 2 * float(r_other_photon(m)[0])
    if t > 0.0:
        out["hadrons_other"] += t * float(r_data(m)[0]) * quark_charge_ratio(mass, vector, axial)
        if t < 1.0 and not _photon_like(vector, axial):
            lo, hi = parameters()["handover"]["window"]
            warnings.warn(f"m = {mass:.4g} GeV is in the {lo}-{hi} GeV hand-over from exclusive hadronic channels "
                          "to the R-ratio method; hadronic widths of a non-photon-like mediator are uncertain "
                          "there (tens of per cent)", ModelValidityWarning, stacklevel=3)
    return out


def hadronic_widths(mass: float, vector: dict[str, float], axial: dict[str, float] | None = None) -> dict[str, float]:
    """Partial widths (GeV) of the hadronic channels: Γ_F = α m R_F / 3."""
    return {k: ALPHA_EM * mass / 3.0 * v for k, v in hadronic_r(mass, vector, axial).items()}
