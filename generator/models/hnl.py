"""Heavy neutral lepton N mixing with the active neutrinos (the neutrino portal).

𝓛 ⊃ −(g/√2) W⁺_μ Σ_α U_α4* N̄ γ^μ P_L ℓ_α − (g/2c_W) Z_μ Σ_α U_α4* N̄ γ^μ P_L ν_α + h.c.: N interacts
as a light neutrino of flavour α with strength |U_α4|². Parameters: ``mass`` (GeV), ``U2_e``,
``U2_mu``, ``U2_tau`` = |U_e4|², |U_μ4|², |U_τ4|² (any combination), ``majorana`` (bool).

Widths — Bondarenko, Boyarsky, Gorbunov, Ruchayskiy, "Phenomenology of GeV-scale heavy neutral
leptons", JHEP 11 (2018) 032, arXiv:1805.08567 (hereafter BBGR). The section numbers are those of
the paper's arXiv v3; the equation numbers quoted below are transcribed from memory of that
version and are marked UNVERIFIED (every formula is instead checked independently in
tests/unit/models/test_hnl.py: by trace algebra and scipy quadrature of the matrix elements, the
muon lifetime, and published numbers). y_i = m_i/m_N, λ the Källén function.

* N → ℓ_α⁻ P⁺ (P = π, K), BBGR §3.2.1 (Eq. 3.6, UNVERIFIED)::

      Γ = G_F² f_P² |V_qq'|² |U_α|² m_N³/(16π) · [(1 − y_ℓ²)² − y_P²(1 + y_ℓ²)] · λ^{1/2}(1, y_P², y_ℓ²)

* N → ν_α P⁰ (π⁰, η, η′), BBGR §3.2.1 (Eq. 3.7, UNVERIFIED)::

      Γ = G_F² f_P² |U_α|² m_N³/(32π) · (1 − y_P²)²

* N → ℓ_α⁻ V⁺ (ρ⁺, K*⁺), BBGR §3.2.1 (Eq. 3.8, UNVERIFIED), with g_V = f_V m_V::

      Γ = G_F² f_V² |V_qq'|² |U_α|² m_N³/(16π) · [(1 − y_ℓ²)² + y_V²(1 + y_ℓ²) − 2y_V⁴] · λ^{1/2}(1, y_V², y_ℓ²)

* N → ν_α V⁰ (ρ⁰, ω, φ), BBGR §3.2.1 (Eq. 3.9, UNVERIFIED)::

      Γ = G_F² κ_V² f_V² |U_α|² m_N³/(32π) · (1 + 2y_V²)(1 − y_V²)²,
      κ_ρ = 1 − 2s_W², κ_ω = 4s_W²/3, κ_φ = 4s_W²/3 − 1

* N → ν_α ν_β ν̄_β summed over β, BBGR §3.1.2 (Eq. 3.5, UNVERIFIED)::  Γ = G_F² m_N⁵ |U_α|²/(192π³)

* N → ℓ_α⁻ ℓ_β⁺ ν_β (α ≠ β, W exchange only), BBGR §3.1.1 (Eq. 3.2, the integral I(x_u, x_d, x_l)
  with x_u = y_ℓβ, x_d = 0, x_l = y_ℓα, UNVERIFIED). Computed here from the matrix element
  |M̄|² = 64 G_F²|U_α|² (p_N·p_ℓβ⁺)(p_ℓα⁻·p_νβ) (the muon-decay structure, Fierz-ordered), which
  factorises over the (ℓ_α, ν_β) pair mass s: Γ = (1/2m_N) ∫ ds/2π |M̄|² Φ₂(m_N²; m_ℓβ², s) Φ₂(s; m_ℓα², 0),
  Φ₂(s; a, b) = λ^{1/2}(s, a, b)/(8πs) (Gauss–Legendre in s, vectorised over the mass).

* N → ν_α ℓ_β⁻ ℓ_β⁺ (Z exchange, and W for α = β with interference), BBGR §3.1.2 (Eq. 3.4, UNVERIFIED),
  x = y_ℓβ::

      Γ = G_F² m_N⁵ |U_α|²/(192π³) · { C₁ [(1 − 14x² − 2x⁴ − 12x⁶)√(1 − 4x²) + 12x⁴(x⁴ − 1) L]
                                     + 4C₂ [x²(2 + 10x² − 12x⁴)√(1 − 4x²) + 6x⁴(1 − 2x² + 2x⁴) L] },
      L = ln[(1 − 3x² − (1 − x²)√(1 − 4x²)) / (x²(1 + √(1 − 4x²)))],
      α ≠ β: C₁ = ¼(1 − 4s_W² + 8s_W⁴), C₂ = ½ s_W²(2s_W² − 1);
      α = β: C₁ = ¼(1 + 4s_W² + 8s_W⁴), C₂ = ½ s_W²(2s_W² + 1)

  (C₁ = g_L² + g_R², C₂ = g_L g_R with g_L = −½ + s_W² (+1 for α = β, the W graph Fierz-ordered),
  g_R = s_W²: BBGR's Table 5 lists these four numbers as C₁..C₄ of the two cases).

* N → ν_α γ (one loop), Pal & Wolfenstein, Phys. Rev. D 25 (1982) 766, in the form of BBGR §3.4
  (Eq. 3.19, UNVERIFIED)::  Γ = 9 α G_F² m_N⁵ |U_α|²/(512π⁴)  (Dirac; ×2 Majorana, Pal–Wolfenstein's
  9αG_F²m⁵/256π⁴).

Dirac and Majorana (the factor-2 convention, stated once)
--------------------------------------------------------
Every formula above is the width of one Dirac channel: a Dirac N (lepton number +1, made with an
ℓ⁺ in π⁺, K⁺ → ℓ⁺N) decays only to ℓ⁻P⁺, ℓ⁻V⁺, ν P⁰, ν ℓℓ, …; its antiparticle N̄ to the charge
conjugates with the same widths. A Majorana N decays to both a channel and its charge conjugate
(ℓ⁻π⁺ and the lepton-number-violating ℓ⁺π⁻; ν and ν̄ final states), each with the Dirac width,
so **every Majorana partial width, and the total width, is 2 × the Dirac one** and the branching
ratios are the same. Production (meson → ℓN) does not depend on the nature of N. The channel
names below sum over the neutrino flavours and over the charge-conjugate pair; the sampled
charges follow the N/N̄ code of the row (Dirac) or are drawn 50/50 (Majorana).

Validity. Exclusive hadronic channels (one meson) describe the hadronic width up to m_N ≈ 1 GeV
(BBGR §3.3 and Fig. 10: above ~1–1.5 GeV multi-meson final states, described there by quark
decays with QCD corrections, take over; they are not implemented here): a
:class:`ModelValidityWarning` is issued above 1 GeV.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import DecayingModel, ModelValidityWarning, check_coupling, check_mass

_DATA = Path(__file__).with_name("data") / "hnl.toml"

#: heavy-neutrino code of the HeavyN UFO models (N1 = 9900012; the Dirac N̄ is −9900012)
HNL_PDG = 9900012
FLAVOURS = ("e", "mu", "tau")
LEPTON_PDG = {"e": 11, "mu": 13, "tau": 15}
NU_PDG = {"e": 12, "mu": 14, "tau": 16}
#: m_N above which the exclusive hadronic widths miss multi-meson channels (BBGR §3.3)
EXCLUSIVE_MAX = 1.0


@cache
def data(block: str) -> MappingProxyType:
    """Block ``block`` of ``models/data/hnl.toml`` (read once, read-only)."""
    with open(_DATA, "rb") as fh:
        return MappingProxyType(tomllib.load(fh)[block])


def kallen(a, b, c):
    """Källén function λ(a, b, c) = a² + b² + c² − 2ab − 2ac − 2bc (elementwise)."""
    return a * a + b * b + c * c - 2 * a * b - 2 * a * c - 2 * b * c


def _sqrt_pos(x):
    return np.sqrt(np.maximum(x, 0.0))


def _gf() -> float:
    return float(data("electroweak")["g_fermi"])


def _sw2() -> float:
    return float(data("electroweak")["sin2_theta_w"])


# ----------------------------------------------------------------------------- width kernels
# Each returns the Dirac width in GeV for |U_α|² = 1, elementwise over the HNL mass m (GeV); 0 where closed.

def width_lepton_pseudoscalar(m, m_l: float, m_p: float, f_p: float, v_ckm: float):
    """Γ(N → ℓ⁻P⁺)/|U|² (BBGR §3.2.1, module docstring)."""
    m = np.asarray(m, dtype=float)
    yl2, yp2 = (m_l / m) ** 2, (m_p / m) ** 2
    open_ = m > m_l + m_p
    shape = (1 - yl2) ** 2 - yp2 * (1 + yl2)
    out = _gf() ** 2 * f_p**2 * v_ckm**2 * m**3 / (16 * math.pi) * shape * _sqrt_pos(kallen(1.0, yp2, yl2))
    return np.where(open_, out, 0.0)


def width_nu_pseudoscalar(m, m_p: float, f_p: float):
    """Γ(N → ν P⁰)/|U|² (BBGR §3.2.1)."""
    m = np.asarray(m, dtype=float)
    yp2 = (m_p / m) ** 2
    return np.where(m > m_p, _gf() ** 2 * f_p**2 * m**3 / (32 * math.pi) * (1 - yp2) ** 2, 0.0)


def width_lepton_vector(m, m_l: float, m_v: float, f_v: float, v_ckm: float):
    """Γ(N → ℓ⁻V⁺)/|U|² (BBGR §3.2.1)."""
    m = np.asarray(m, dtype=float)
    yl2, yv2 = (m_l / m) ** 2, (m_v / m) ** 2
    shape = (1 - yl2) ** 2 + yv2 * (1 + yl2) - 2 * yv2 * yv2
    out = _gf() ** 2 * f_v**2 * v_ckm**2 * m**3 / (16 * math.pi) * shape * _sqrt_pos(kallen(1.0, yv2, yl2))
    return np.where(m > m_l + m_v, out, 0.0)


def width_nu_vector(m, m_v: float, f_v: float, kappa: float):
    """Γ(N → ν V⁰)/|U|² (BBGR §3.2.1)."""
    m = np.asarray(m, dtype=float)
    yv2 = (m_v / m) ** 2
    out = _gf() ** 2 * kappa**2 * f_v**2 * m**3 / (32 * math.pi) * (1 + 2 * yv2) * (1 - yv2) ** 2
    return np.where(m > m_v, out, 0.0)


def width_three_nu(m):
    """Σ_β Γ(N → ν_α ν_β ν̄_β)/|U_α|² = G_F² m⁵/(192π³) (BBGR §3.1.2)."""
    m = np.asarray(m, dtype=float)
    return _gf() ** 2 * m**5 / (192 * math.pi**3)


def width_nu_gamma(m):
    """Γ(N → νγ)/|U|² = 9αG_F²m⁵/(512π⁴) (Pal & Wolfenstein 1982; BBGR §3.4)."""
    m = np.asarray(m, dtype=float)
    return 9 * ALPHA_EM * _gf() ** 2 * m**5 / (512 * math.pi**4)


def nc_coefficients(same_flavour: bool) -> tuple[float, float]:
    """(C₁, C₂) of N → ν_α ℓ_βℓ_β for α = β (``same_flavour``) or α ≠ β (BBGR §3.1.2)."""
    s2 = _sw2()
    if same_flavour:
        return 0.25 * (1 + 4 * s2 + 8 * s2 * s2), 0.5 * s2 * (2 * s2 + 1)
    return 0.25 * (1 - 4 * s2 + 8 * s2 * s2), 0.5 * s2 * (2 * s2 - 1)


def width_nu_ll(m, m_l: float, same_flavour: bool):
    """Γ(N → ν_α ℓ_β⁻ℓ_β⁺)/|U_α|² (BBGR §3.1.2, closed form of the module docstring)."""
    m = np.asarray(m, dtype=float)
    c1, c2 = nc_coefficients(same_flavour)
    x = np.minimum(m_l / m, 0.5)
    x2 = x * x
    r = _sqrt_pos(1 - 4 * x2)
    # the numerator of L cancels to 2x⁶ + 6x⁸ + 18x¹⁰ + … for small x (series below x = 0.01)
    num = np.where(x < 1e-2, 2 * x2**3 + 6 * x2**4 + 18 * x2**5, 1 - 3 * x2 - (1 - x2) * r)
    with np.errstate(divide="ignore", invalid="ignore"):
        big_l = np.log(num / (x2 * (1 + r)))
    f1 = (1 - 14 * x2 - 2 * x2**2 - 12 * x2**3) * r + 12 * x2**2 * (x2**2 - 1) * big_l
    f2 = x2 * (2 + 10 * x2 - 12 * x2**2) * r + 6 * x2**2 * (1 - 2 * x2 + 2 * x2**2) * big_l
    out = _gf() ** 2 * m**5 / (192 * math.pi**3) * (c1 * f1 + 4 * c2 * f2)
    return np.where(m > 2 * m_l, np.maximum(out, 0.0), 0.0)


_GL_T, _GL_W = np.polynomial.legendre.leggauss(64)


def width_ll_nu(m, m_a: float, m_b: float):
    """Γ(N → ℓ_α⁻ ℓ_β⁺ ν_β)/|U_α|² for charged-lepton masses m_a = m_ℓα, m_b = m_ℓβ (W exchange;
    BBGR §3.1.1). Factorised matrix element of the module docstring, integrated over the
    (ℓ_α ν_β) mass² s with s = s₀ + (s₁ − s₀)(1 − cos θ)/2 (smooth at both square-root ends) and
    64-point Gauss–Legendre in θ."""
    scalar = np.ndim(m) == 0
    m = np.atleast_1d(np.asarray(m, dtype=float))
    s0 = m_a**2
    s1 = np.maximum(m - m_b, m_a) ** 2
    theta = 0.5 * math.pi * (_GL_T + 1.0)                    # (k,)
    s = s0 + (s1[:, None] - s0) * 0.5 * (1 - np.cos(theta))  # (n, k)
    jac = (s1[:, None] - s0) * 0.5 * np.sin(theta) * 0.5 * math.pi
    M2 = (m * m)[:, None]
    pa = 0.5 * (M2 + m_b**2 - s)                 # p_N·p_ℓβ
    bc = 0.5 * (s - m_a**2)                      # p_ℓα·p_ν
    phi_out = _sqrt_pos(kallen(M2, m_b**2, s)) / (8 * math.pi * M2)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi_in = np.where(s > 0, _sqrt_pos(kallen(s, m_a**2, 0.0)) / (8 * math.pi * s), 0.0)
    integrand = 64 * _gf() ** 2 * pa * bc * phi_out * phi_in / (2 * math.pi)
    out = (integrand * jac) @ _GL_W / (2 * m)
    out = np.where(m > m_a + m_b, out, 0.0)
    return out[0] if scalar else out


# ----------------------------------------------------------------------------- channel table

def _mesons():
    dc, ckm = data("decay_constants"), data("ckm")
    s2 = _sw2()
    charged_p = {"pi": (211, dc["f_pi"], ckm["v_ud"]), "K": (321, dc["f_k"], ckm["v_us"])}
    neutral_p = {"pi0": (111, dc["f_pi0"]), "eta": (221, dc["f_eta"]), "etaprime": (331, dc["f_etaprime"])}
    charged_v = {"rho": (213, dc["f_rho"], ckm["v_ud"]), "K*": (323, dc["f_kstar"], ckm["v_us"])}
    neutral_v = {"rho0": (113, dc["f_rho"], 1 - 2 * s2), "omega": (223, dc["f_omega"], 4 * s2 / 3),
                 "phi": (333, dc["f_phi"], 4 * s2 / 3 - 1)}
    return charged_p, neutral_p, charged_v, neutral_v


_PAIR_NAMES = {("e", "mu"): "e mu", ("e", "tau"): "e tau", ("mu", "tau"): "mu tau"}
_SAME_NAMES = {"e": "e+e-", "mu": "mu+mu-", "tau": "tau+tau-"}


def channel_components(mass, u2: dict[str, float]) -> dict[str, list[tuple[str, float]]]:
    """Dirac widths (GeV) of every visible channel split into components: channel name →
    [(component label, width)]. Component labels say which flavour α of mixing makes it (the
    sampler of :mod:`darkbeam.decays.hnl` draws the component of each decay). ``mass`` a number."""
    charged_p, neutral_p, charged_v, neutral_v = _mesons()
    m = float(mass)
    ml = {a: pdg_mass(LEPTON_PDG[a]) for a in FLAVOURS}
    out: dict[str, list[tuple[str, float]]] = {}
    u_tot = sum(u2.values())
    out["nu nu nu"] = [("sum", u_tot * float(width_three_nu(m)))]
    out["nu gamma"] = [("sum", u_tot * float(width_nu_gamma(m)))]
    for b in FLAVOURS:
        out[_SAME_NAMES[b]] = [(a, u2[a] * float(width_nu_ll(m, ml[b], a == b))) for a in FLAVOURS]
    for (a, b), name in _PAIR_NAMES.items():
        # ℓ_a⁻ ℓ_b⁺ ν_b needs U_a; ℓ_b⁻ ℓ_a⁺ ν_a needs U_b
        out[name] = [(a, u2[a] * float(width_ll_nu(m, ml[a], ml[b]))),
                     (b, u2[b] * float(width_ll_nu(m, ml[b], ml[a])))]
    for a in FLAVOURS:
        for p, (pid, f, v) in charged_p.items():
            out[f"{a} {p}"] = [(a, u2[a] * float(width_lepton_pseudoscalar(m, ml[a], pdg_mass(pid), f, v)))]
        for p, (pid, f, v) in charged_v.items():
            out[f"{a} {p}"] = [(a, u2[a] * float(width_lepton_vector(m, ml[a], pdg_mass(pid), f, v)))]
    for p, (pid, f) in neutral_p.items():
        out[f"nu {p}"] = [("sum", u_tot * float(width_nu_pseudoscalar(m, pdg_mass(pid), f)))]
    for p, (pid, f, k) in neutral_v.items():
        out[f"nu {p}"] = [("sum", u_tot * float(width_nu_vector(m, pdg_mass(pid), f, k)))]
    return out


class HeavyNeutralLepton(DecayingModel):
    """Heavy neutral lepton of ``mass`` (GeV) with mixings ``U2_e``, ``U2_mu``, ``U2_tau`` (= |U_α4|²,
    each in [0, 1]) and ``majorana`` (False: Dirac). See the module docstring for the widths and the
    factor-2 convention (Majorana widths = 2 × Dirac, same branching ratios).

    Channel names (visible final state; neutrino flavours and charge conjugates summed):
    ``nu nu nu``, ``nu gamma``, ``e+e-``, ``mu+mu-``, ``tau+tau-`` (ν ℓℓ), ``e mu``, ``e tau``,
    ``mu tau`` (ℓ_α ℓ_β ν), ``e pi``, ``mu pi``, ``tau pi``, ``e K``, ``mu K``, ``tau K``,
    ``e rho``, ``mu rho``, ``tau rho``, ``e K*``, ``mu K*``, ``tau K*``, ``nu pi0``, ``nu eta``,
    ``nu etaprime``, ``nu rho0``, ``nu omega``, ``nu phi``. Groups: ``invisible`` (ν ν ν).
    """

    pdgid = HNL_PDG
    coupling_names = ("U2_e", "U2_mu", "U2_tau")

    def __init__(self, mass: float, *, U2_e: float = 0.0, U2_mu: float = 0.0, U2_tau: float = 0.0,
                 majorana: bool = False, name: str = "hnl"):
        self.mass = check_mass(mass, "HNL mass")
        u = {}
        for key, v in (("U2_e", U2_e), ("U2_mu", U2_mu), ("U2_tau", U2_tau)):
            v = check_coupling(v, key)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{key} = |U|^2 must be in [0, 1], got {v!r}")
            u[key] = v
        if not isinstance(majorana, bool):
            raise ValueError(f"majorana must be true or false, got {majorana!r}")  # noqa: TRY004  # noqa: TRY004 (model errors are ValueError)
        self.U2_e, self.U2_mu, self.U2_tau = u["U2_e"], u["U2_mu"], u["U2_tau"]
        self.majorana = majorana
        self.name = name

    def __repr__(self) -> str:
        return (f"HeavyNeutralLepton(mass={self.mass!r}, U2_e={self.U2_e!r}, U2_mu={self.U2_mu!r}, "
                f"U2_tau={self.U2_tau!r}, majorana={self.majorana!r})")

    @property
    def mixings(self) -> dict[str, float]:
        """Flavour → |U_α4|²."""
        return {"e": self.U2_e, "mu": self.U2_mu, "tau": self.U2_tau}

    def couplings(self) -> dict[str, float]:
        return {"U2_e": self.U2_e, "U2_mu": self.U2_mu, "U2_tau": self.U2_tau}

    def with_couplings(self, **kw: float) -> HeavyNeutralLepton:
        """A copy with some of ``U2_e``, ``U2_mu``, ``U2_tau`` replaced (every width and every
        production rate is linear in each |U_α|²)."""
        bad = set(kw) - set(self.coupling_names)
        if bad:
            raise ValueError(f"unknown couplings {sorted(bad)}; known: {list(self.coupling_names)}")
        cur = self.couplings()
        cur.update(kw)
        return HeavyNeutralLepton(self.mass, majorana=self.majorana, name=self.name, **cur)

    def scaled(self, factor: float) -> HeavyNeutralLepton:
        """All |U_α|² multiplied by ``factor`` (a scan along ``scale`` moves |U|², not |U|)."""
        return self.with_couplings(**{k: v * factor for k, v in self.couplings().items()})

    @property
    def nature_factor(self) -> float:
        """2 for a Majorana N (charge-conjugate channels added), 1 for Dirac."""
        return 2.0 if self.majorana else 1.0

    def components(self) -> dict[str, list[tuple[str, float]]]:
        """Channel → [(mixing flavour, width GeV)] including the Majorana factor."""
        k = self.nature_factor
        return {ch: [(a, k * w) for a, w in parts]
                for ch, parts in channel_components(self.mass, self.mixings).items()}

    def _partial_widths(self) -> dict[str, float]:
        if self.mass > EXCLUSIVE_MAX:
            warnings.warn(f"HNL: at m_N = {self.mass:.3g} GeV the exclusive one-meson channels miss the "
                          "multi-meson hadronic width (arXiv:1805.08567 Sec. 3.3; not implemented): the "
                          "lifetime is too long and the branching ratios too large", ModelValidityWarning,
                          stacklevel=3)
        return {ch: sum(w for _, w in parts) for ch, parts in self.components().items()}

    def _aggregates(self) -> dict[str, tuple[str, ...]]:
        return {"invisible": ("nu nu nu",)}
