"""Primakoff production γ N → a N of an ALP (g_aγγ) on target nuclei (formulas-production.md §4).

Static (recoil-free) nucleus of charge Ze, Born approximation; k = E_γ = E_a, p_a = √(E_γ² − m_a²):

    dσ/dθ = (g²αZ²/4) |F(t)|² E_γ p_a³ sin³θ / t²,   t = m_a² − 2E_γ(E_a − p_a cosθ),

(derived in formulas-production.md §4.1 from |M|² = g²Z²e²F²k²p²sin²θ/(2t²); the literature form
with p_a⁴ (Döbrich et al. arXiv:1512.03069; alplib) is ≤ 1 % smaller for m_a/E_γ ≤ 0.1).
Form factor (``form_factor='tsai'``, default): Tsai 1986 atomic screening × nuclear,
F = a²|t|/(1+a²|t|) · 1/(1+|t|/d), a = 111 Z^{-1/3}/m_e, d = 0.164 A^{-2/3} GeV²; or
(``'helm'``) the same screening × the Helm nuclear form factor (Lewin–Smith 1996; Dutta/CCM-style,
alplib ``PrimakoffSigmaFF``). The two differ only where |t| reaches the nuclear scale (m_a ≳ 50 MeV
at GeV energies). Validity: E_γ ≪ M_N (no recoil), coherent part only.
Check values E2 (W, E_γ = 1 GeV, g = 10⁻⁵ GeV⁻¹): 2.805×10⁻³⁶, 2.408×10⁻³⁶, 6.516×10⁻³⁷ cm² for
m_a = 1 keV, 10 MeV, 100 MeV.

Each target photon converts with P = σ_P(E_γ)/σ_tot(E_γ) (:mod:`.photon_absorption`; E3: W 7.97×10⁻¹⁴,
C 6.19×10⁻¹⁴ at 1 GeV, m → 0, g = 10⁻⁵). The ALP angle to the photon is sampled in ln θ, or, with an aim, from the
mixture of that and the cone toward the detector (:func:`darkbeam.production.aiming.aimed_polar`:
MeV photons convert at wide angles, θ ≲ 2 rad·GeV/E_γ), with the exact importance weight
w = w_γ · (dσ/dθ)/(σ_tot · Q(θ)).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import ALPHA_EM
from ..sources.parents import Parents
from ._data import table
from .aiming import aimed_polar
from .base import Channel, DarkParticles, tabulated_rate, polar_vectors, rotate_to
from .photon_absorption import GEV2_TO_CM2, M_E, sigma_total_photon
from .quadrature import gauss_legendre

AMU_GEV = 0.93149410242  # atomic mass unit (CODATA 2018)


def tsai_form_factor(t_abs, z: int, a: float):
    """F(|t|) = a²|t|/(1+a²|t|) · 1/(1+|t|/d) (Tsai 1986; formulas-production.md §4.1)."""
    s = table("tsai_screening")
    aa = s["a_elastic"] * z ** (-1 / 3) / M_E
    d = s["d_coefficient"] * a ** (-2 / 3)
    x = aa * aa * t_abs
    return x / (1 + x) / (1 + t_abs / d)


def helm_form_factor(t_abs, a: float):
    """Helm nuclear form factor F(q) = 3j₁(qR)/(qR)·exp(−q²s²/2), q = √|t| (Lewin–Smith 1996
    Sec. 4.1): R² = c² + (7/3)π²a² − 5s², c = 1.23A^{1/3} − 0.60 fm, a = 0.52 fm, s = 0.9 fm."""
    from ..constants import HBARC_GEV_M

    h = table("helm")
    c = h["c_slope_fm"] * a ** (1 / 3) + h["c_offset_fm"]
    r = math.sqrt(c * c + 7 / 3 * math.pi**2 * h["a_fm"] ** 2 - 5 * h["s_fm"] ** 2)
    q = np.sqrt(np.asarray(t_abs, dtype=float)) / (HBARC_GEV_M * 1e15)  # fm⁻¹
    x = q * r
    small = x < 1e-3
    xs = np.where(small, 1.0, x)
    j1 = (np.sin(xs) / xs**2 - np.cos(xs) / xs)
    f = np.where(small, 1.0 - x * x / 10, 3 * j1 / xs)
    return f * np.exp(-0.5 * (q * h["s_fm"]) ** 2)


def form_factor(t_abs, z: int, a: float, kind: str = "tsai"):
    """Atomic screening × nuclear form factor: ``'tsai'`` (dipole-like 1/(1+|t|/d)) or ``'helm'``."""
    if kind == "tsai":
        return tsai_form_factor(t_abs, z, a)
    s = table("tsai_screening")
    aa = s["a_elastic"] * z ** (-1 / 3) / M_E
    x = aa * aa * t_abs
    return x / (1 + x) * helm_form_factor(t_abs, a)


def dsigma_dtheta(theta, energy, m: float, g: float, z: int, a: float, kind: str = "tsai"):
    """dσ/dθ in cm² rad⁻¹ (arrays broadcast); ``kind`` selects the form factor."""
    e = np.asarray(energy, dtype=float)
    p = np.sqrt(np.maximum(e * e - m * m, 0.0))
    t = m * m - 2 * e * (e - p * np.cos(theta))
    # |t| written stably: 2E(E − p cosθ) − m² = 2E(E − p) − m² + 2Ep(1 − cosθ)
    t_abs = 2 * e * (e - p) - m * m + 4 * e * p * np.sin(theta / 2) ** 2
    t_abs = np.maximum(t_abs, 0.0)
    del t
    f = form_factor(t_abs, z, a, kind)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = g * g * ALPHA_EM * z * z / 4 * f * f * e * p**3 * np.sin(theta) ** 3 / t_abs**2
    return np.where(t_abs > 0, out, 0.0) * GEV2_TO_CM2


def theta_range(energy, m: float, z: int, a: float):
    """(θ_lo, θ_hi) of the ln θ proposal: 10⁻⁴ × the coherence/screening angle to 30√d/E (≤ π)."""
    s = table("tsai_screening")
    aa = s["a_elastic"] * z ** (-1 / 3) / M_E
    d = s["d_coefficient"] * a ** (-2 / 3)
    e = np.asarray(energy, dtype=float)
    theta0 = np.maximum(m * m / (2 * e * e), 1 / (aa * e))
    lo = 1e-4 * theta0
    hi = np.minimum(math.pi, 30 * math.sqrt(d) / e)
    return lo, np.maximum(hi, 10 * lo)


def sigma_primakoff(energy, m: float, g: float, z: int, a: float, n: int = 400, kind: str = "tsai"):
    """σ(γN → aN) in cm² by Gauss–Legendre in ln θ (vectorised over energies)."""
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    lo, hi = theta_range(e, m, z, a)
    x, w = gauss_legendre(n)
    l0, l1 = np.log(lo)[:, None], np.log(hi)[:, None]
    lt = 0.5 * (l1 - l0) * (x + 1) + l0
    th = np.exp(lt)
    val = np.sum(0.5 * (l1 - l0) * w * th * dsigma_dtheta(th, e[:, None], m, g, z, a, kind), axis=1)
    val = np.where(e > m, val, 0.0)
    return val if np.ndim(energy) else float(val[0])


class PrimakoffChannel(Channel):
    """γ N → a N in a target element (Z, A [g/mol]); parents: photons in the target."""

    name = "primakoff"
    parent = "gamma"

    def __init__(self, z: int = 74, a: float = 183.84, form_factor: str = "tsai"):
        if not (z >= 1 and a >= 1):
            raise ValueError(f"primakoff needs a target with Z ≥ 1 and A ≥ 1 g/mol, got Z={z}, A={a}")
        if form_factor not in ("tsai", "helm"):
            raise ValueError(f"primakoff form_factor must be 'tsai' or 'helm', got {form_factor!r}")
        self.z, self.a, self.form_factor = int(z), float(a), form_factor

    def accepts(self, model) -> bool:
        return hasattr(model, "g_agg")

    def closed_reason(self, model) -> str | None:
        if model.g_agg == 0:
            return f"{self.name}: g_aγγ = 0 (zero yield)"
        return None

    def parent_rate(self, model, energy):
        """:meth:`rate` on a log grid (the pool is drawn ∝ weight × rate)."""
        return tabulated_rate(lambda e: self.rate(model, e), energy)

    def parent_energy_threshold(self, model) -> float:
        """E_γ > m_a."""
        return model.mass

    def production_scale(self, model) -> float:
        """The coupling factor of the weight at fixed kinematics (dσ/dθ ∝ g_aγγ²), for reweighting."""
        return model.g_agg ** 2

    def rate(self, model, energy):
        """Conversion probability per photon of ``energy`` GeV: σ_P/σ_tot (0 below m_a)."""
        e = np.asarray(energy, dtype=float)
        return (sigma_primakoff(e, model.mass, model.g_agg, self.z, self.a, kind=self.form_factor)
                / sigma_total_photon(e, self.z, self.a))

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        m = model.mass
        e = parents.p4[:, 3]
        u = rng.random((len(parents), 2))
        lo, hi = theta_range(e, m, self.z, self.a)
        r = np.log(hi / lo)
        sigma_tot = sigma_total_photon(e, self.z, self.a)

        def target(theta, rows):   # conversion probability per rad (0 outside the proposal's range)
            inside = (theta >= lo[rows]) & (theta <= hi[rows]) & (e[rows] > m)
            return np.where(inside, dsigma_dtheta(theta, e[rows], m, model.g_agg, self.z, self.a,
                                                  self.form_factor) / sigma_tot[rows], 0.0)

        def proposal(theta, rows):  # ln θ uniform on [lo, hi]
            inside = (theta >= lo[rows]) & (theta <= hi[rows])
            return np.where(inside, 1.0 / (theta * r[rows]), 0.0)

        theta, phi, w, importance = aimed_polar(parents.p4[:, :3], parents.vertex, lo * np.exp(u[:, 0] * r),
                                    2 * math.pi * u[:, 1], self.aim, rng, target, proposal)
        p = np.sqrt(np.maximum(e * e - m * m, 0.0))
        local = polar_vectors(p, np.cos(theta), phi)
        p4 = np.empty((len(e), 4))
        p4[:, :3] = rotate_to(parents.p4[:, :3], local)
        p4[:, 3] = np.where(e > m, e, m)
        w = np.where(e > m, w, 0.0)
        q = parents.p4[:, :3] - p4[:, :3]
        m_n = self.a * AMU_GEV
        nucleus = np.column_stack([q, np.sqrt(np.sum(q * q, axis=1) + m_n * m_n)])
        return DarkParticles(
            pdg=model.pdgid, mass=m, p4=p4, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((nucleus_pdg(self.z, self.a), nucleus),), importance=importance)


def nucleus_pdg(z: int, a: float) -> int:
    """PDG nuclear code 10LZZZAAAI with A rounded (PDG MC numbering scheme)."""
    return 1000000000 + 10000 * int(z) + 10 * int(round(a))
