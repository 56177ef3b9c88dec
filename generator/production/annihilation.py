"""Positron annihilation on atomic electrons (at rest): resonant e⁺e⁻ → X and e⁺e⁻ → γX
(formulas-production.md §5.3–5.4).

Resonant (narrow width), E_R = (m² − 2m_e²)/(2m_e), β = √(1 − 4m_e²/m²):

* ALP: σ = πg²/(4m_eβ) δ(E₊ − E_R) (from |M|² = 2g²s summed; check F3: 5.996×10⁻²⁵ cm² GeV g²
  at m = 17 MeV);
* vector: σ = 2π²αc_e²/(m_eβ) (1 + 2m_e²/m²) δ(E₊ − E_R) (check F3: 1.1016×10⁻²⁵ cm² GeV ε²).

The yield is n_e · coefficient · T₊(E_R) with T₊ = dℓ/dE the positron differential track length.
From a positron *sample* (weights = track length per POT, see :mod:`.electron_brem`), T₊(E_R) is
estimated by the samples within a relative energy window ±``window`` of E_R: each such sample gets
weight w · n_e · coefficient/(2·window·E_R) (a histogram estimator; bias O(window²·T″/T), default
window 3 %). The X takes the positron direction with, exactly,
p_X = p₊(E_R), E_X = E_R + m_e (four-momentum of a positron of energy E_R plus an electron at
rest). Atomic-electron motion (which smears E_R) is neglected.

e⁺e⁻ → γX (vector only): dσ/dt = |M|²/(16π s(s − 4m_e²)), exact two-body kinematics, cos θ*
of the photon sampled from ½[q(c) + q(−c)], q ∝ 1/(E₁ − p c) (the collinear 1/T, 1/U peaks);
weight = w · 100 · n_e · (dσ/dt)(dt/dcosθ*)/q. Check F4: σ/ε² =
2.078×10⁻²⁷ cm² at E₊ = 1 GeV, m = 10 MeV.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import ALPHA_EM, AVOGADRO, PDG
from ..kinematics import two_body_momentum
from ..sources.parents import Parents
from .base import Channel, DarkParticles
from .compton import two_to_two
from .photon_absorption import GEV2_TO_CM2, M_E
from .qed_amplitudes import m2_annihilation_gamma
from .quadrature import gauss_legendre


def resonance_energy(m: float) -> float:
    """Positron energy E_R = (m² − 2m_e²)/(2m_e) (GeV) for e⁺e⁻(at rest) → X(m)."""
    return (m * m - 2 * M_E * M_E) / (2 * M_E)


def resonant_coefficient(model) -> float:
    """C in σ = C δ(E₊ − E_R), cm² GeV."""
    m = model.mass
    if m <= 2 * M_E:
        return 0.0
    beta = math.sqrt(1 - 4 * M_E * M_E / (m * m))
    if hasattr(model, "g_aee"):
        c = math.pi * model.g_aee**2 / (4 * M_E * beta)
    else:
        c = 2 * math.pi**2 * ALPHA_EM * model.coupling("e") ** 2 / (M_E * beta) * (1 + 2 * M_E * M_E / (m * m))
    return c * GEV2_TO_CM2


class _PositronTarget(Channel):
    parent = "e+"

    def __init__(self, z: int = 74, a: float = 183.84, density: float = 19.3):
        if not (z >= 1 and a >= 1 and density > 0):
            raise ValueError(f"{self.name} needs Z ≥ 1, A ≥ 1 g/mol, density > 0 g/cm³; got {z}, {a}, {density}")
        self.z, self.a, self.density = int(z), float(a), float(density)
        self.n_electrons = z * density * AVOGADRO / a  # cm⁻³

    def _c2(self, model) -> float:
        return model.g_aee**2 if hasattr(model, "g_aee") else model.coupling("e") ** 2

    def production_scale(self, model) -> float:
        """The coupling factor of the weight at fixed kinematics (σ ∝ g_aee² or c_e² for both
        e⁺e⁻ → X and e⁺e⁻ → γX), for reweighting."""
        return self._c2(model)

    def closed_reason(self, model) -> str | None:
        if model.mass <= 2 * M_E:
            return f"{self.name}: m_X = {model.mass:.4g} GeV ≤ 2m_e, channel closed (zero yield)"
        if self._c2(model) == 0:
            return f"{self.name}: the model's electron coupling is zero (zero yield)"
        return None


class ResonantAnnihilationChannel(_PositronTarget):
    """e⁺e⁻ → X (ALP or vector), parents: positrons with track-length weights."""

    name = "annihilation_resonant"

    def __init__(self, z: int = 74, a: float = 183.84, density: float = 19.3, window: float = 0.03):
        super().__init__(z, a, density)
        if not 0 < window < 0.5:
            raise ValueError(f"annihilation_resonant window must be in (0, 0.5), got {window}")
        self.window = window

    def accepts(self, model) -> bool:
        return hasattr(model, "g_aee") or hasattr(model, "meson_factor")

    def parent_energy_threshold(self, model) -> float:
        """The lower edge of the resonance window, (1 − window) E_R."""
        return (1.0 - self.window) * resonance_energy(model.mass)

    def rate(self, model) -> float:
        """X per POT per unit positron differential track length at E_R: n_e·C·100 [GeV/m · (m/GeV)]."""
        return self.n_electrons * resonant_coefficient(model) * 100.0

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        m = model.mass
        e_r = resonance_energy(m)
        e = parents.p4[:, 3]
        inside = np.abs(e - e_r) < self.window * e_r
        w = np.where(inside, self.rate(model) / (2 * self.window * e_r), 0.0)
        d = parents.p4[:, :3] / np.linalg.norm(parents.p4[:, :3], axis=1)[:, None]
        p_r = math.sqrt(e_r * e_r - M_E * M_E)
        p4 = np.column_stack([d * p_r, np.full(len(e), e_r + M_E)])
        return DarkParticles(
            pdg=model.pdgid, mass=m, p4=p4, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex)


def sigma_annihilation_gamma(energy, model, n: int = 400):
    """σ(e⁺e⁻ → γX) in cm² for positron energy ``energy`` on an electron at rest."""
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    m = model.mass
    s = 2 * M_E * M_E + 2 * M_E * e
    ok = s > m * m * (1 + 1e-12)
    s = np.where(ok, s, m * m * 1.5 + 4 * M_E * M_E)
    rs = np.sqrt(s)
    p_in, k = two_body_momentum(rs, M_E, M_E), two_body_momentum(rs, 0.0, m)
    e1 = np.sqrt(p_in**2 + M_E**2)
    # t = (p₁ − k_γ)² = m_e² − 2(E₁k − p k cosθ*). The collinear peaks 1/T, 1/U ∝ 1/(1 ∓ βc) have a
    # width 1 − β (5×10⁻⁵ at 10 GeV), which Gauss–Legendre in c does not resolve (−5.6×10⁻⁴ there):
    # integrate in η = atanh(βc), dc = (1 − β²c²)/β dη, which turns the peaks into plateaus.
    x, w = gauss_legendre(n)
    beta = (p_in / e1)[:, None]
    eta_max = np.arctanh(beta)
    cos_t = np.tanh(eta_max * x[None, :]) / beta
    jac = eta_max * (1 - (beta * cos_t) ** 2) / beta
    t = M_E**2 - 2 * (e1[:, None] * k[:, None] - p_in[:, None] * k[:, None] * cos_t)
    f = m2_annihilation_gamma(s[:, None], t, m, M_E, model.coupling("e") ** 2) / (16 * math.pi * s[:, None] * (s[:, None] - 4 * M_E**2))
    val = np.sum(w * jac * f * 2 * p_in[:, None] * k[:, None], axis=1) * GEV2_TO_CM2
    val = np.where(ok, val, 0.0)
    return val if np.ndim(energy) else float(val[0])


class GammaAnnihilationChannel(_PositronTarget):
    """e⁺e⁻ → γX for a vector X (c_e); parents: positrons with track-length weights."""

    name = "annihilation_gamma"

    def accepts(self, model) -> bool:
        return hasattr(model, "meson_factor")

    def parent_energy_threshold(self, model) -> float:
        """s = 2m_e² + 2m_eE₊ > m_X²."""
        return max(model.mass**2 - 2 * M_E * M_E, 0.0) / (2 * M_E)

    def rate(self, model, energy):
        """X per metre of positron track at ``energy``: n_e σ × 100."""
        return self.n_electrons * sigma_annihilation_gamma(energy, model) * 100.0

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        m = model.mass
        p4p = parents.p4.copy()
        s = 2 * M_E * M_E + 2 * M_E * p4p[:, 3]
        ok = s > m * m * (1 + 1e-9)
        e_safe = (m * m * 1.5 + 2 * M_E * M_E) / (2 * M_E)
        p4p[~ok, :3] = math.sqrt(e_safe**2 - M_E**2) * np.array([0.0, 0.0, 1.0])
        p4p[~ok, 3] = e_safe
        u = rng.random((len(parents), 3))
        # cos θ* of the photon from ½[q(c) + q(−c)], q ∝ 1/(E₁ − p c): follows the 1/T and 1/U
        # collinear peaks of |M|² (T = −2k(E₁ − p c) in the CM), exact inverse CDF
        s0 = 2 * M_E * M_E + 2 * M_E * p4p[:, 3]
        e1 = np.sqrt(s0) / 2
        pc = np.sqrt(np.maximum(s0 / 4 - M_E * M_E, 0.0))
        lg = np.log((e1 + pc) / (e1 - pc))
        c = (e1 - (e1 + pc) * np.exp(-u[:, 0] * lg)) / pc
        cos_t = np.clip(np.where(u[:, 2] < 0.5, c, -c), -1.0, 1.0)
        q = 0.5 * pc / lg * (1 / (e1 - pc * cos_t) + 1 / (e1 + pc * cos_t))
        pg, px, tot = two_to_two(p4p, M_E, 0.0, m, cos_t, 2 * math.pi * u[:, 1])
        s = tot[:, 3] ** 2 - np.sum(tot[:, :3] ** 2, axis=1)
        rs = np.sqrt(s)
        p_in, k = two_body_momentum(rs, M_E, M_E), two_body_momentum(rs, 0.0, m)
        t = M_E**2 - 2 * (p4p[:, 3] * pg[:, 3] - np.sum(p4p[:, :3] * pg[:, :3], axis=1))
        dsdt = m2_annihilation_gamma(s, t, m, M_E, model.coupling("e") ** 2) / (16 * math.pi * s * (s - 4 * M_E**2))
        w = dsdt * 2 * p_in * k / q * GEV2_TO_CM2 * self.n_electrons * 100.0
        w = np.where(ok, np.maximum(w, 0.0), 0.0)
        return DarkParticles(
            pdg=model.pdgid, mass=m, p4=px, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((PDG["gamma"], pg),))
