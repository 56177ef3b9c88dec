"""Compton-like production γ e → a e (ALP, g_aee) and γ e → X e (vector, electron coupling c_e)
on the target's atomic electrons (at rest), formulas-production.md §5.1–5.2.

dσ/dt = |M|²/(16π S²), S = s − m_e², s = m_e² + 2m_eE_γ; |M|² from :mod:`.qed_amplitudes`.
Check values (F1, F2): σ/g² = 1.282×10⁻²⁵ cm² (E_γ = 10 MeV, m_a = 1 MeV), 3.891×10⁻²⁷ (1 GeV,
10 MeV); σ/ε² = 4.381×10⁻²⁶ (10 MeV, 1 MeV), 9.428×10⁻²⁸ (1 GeV, 10 MeV). Threshold
s ≥ (m + m_e)². Per atom ×Z; each target photon converts with P = Zσ/σ_tot(γ) (§4.3).

Kinematics: exact two-body in the γe centre of mass, cos θ* of X uniform (t is linear in cos θ*),
boosted to the lab, or, with an aim, X drawn toward the detector
(:func:`darkbeam.production.aiming.aimed_two_body` with the angular weight below); weight
w = w_γ · Z (dσ/dt)(dt/dcosθ*)·2 / σ_tot (× the aiming's importance factor). Atomic binding neglected
(valid for E_γ ≫ keV).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import PDG
from ..kinematics import boost, two_body_momentum
from ..sources.parents import Parents
from .aiming import aimed_two_body
from .base import Channel, DarkParticles, tabulated_rate, polar_vectors, rotate_to
from .photon_absorption import GEV2_TO_CM2, M_E, sigma_total_photon
from .qed_amplitudes import m2_compton_alp, m2_compton_vector
from .quadrature import gauss_legendre


def _coupling2(model) -> tuple[float, callable]:
    if hasattr(model, "g_aee"):
        return model.g_aee**2, m2_compton_alp
    return model.coupling("e") ** 2, m2_compton_vector


def t_range(s, m: float, m1: float = 0.0, m2: float = M_E):
    """(t_min, t_max) for a + b → X(m) + e with massless a (m1) on b at rest; returns the CM
    momenta too: (t at cosθ* = −1, t at +1, k_in, k_out)."""
    rs = np.sqrt(s)
    k_in = two_body_momentum(rs, m1, m2)
    k_out = two_body_momentum(rs, m, M_E)
    e1 = np.sqrt(k_in**2 + m1 * m1)
    e3 = np.sqrt(k_out**2 + m * m)
    base = m1 * m1 + m * m - 2 * e1 * e3
    return base - 2 * k_in * k_out, base + 2 * k_in * k_out, k_in, k_out


def sigma_compton(energy, model) -> np.ndarray:
    """σ(γe → Xe) per electron in cm² (Gauss–Legendre over cos θ*)."""
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    c2, m2f = _coupling2(model)
    m = model.mass
    s = M_E * M_E + 2 * M_E * e
    ok = s > (m + M_E) ** 2
    s = np.where(ok, s, (m + M_E) ** 2 * 1.01)
    t_lo, t_hi, _, _ = t_range(s, m)
    x, w = gauss_legendre(200)
    # nodes in ln(−t … ) would be better near forward peaks; t-linear is exact enough for checks
    t = 0.5 * (t_hi - t_lo)[:, None] * (x + 1) + t_lo[:, None]
    f = m2f(s[:, None], t, m, M_E, c2) / (16 * math.pi * (s[:, None] - M_E**2) ** 2)
    val = 0.5 * (t_hi - t_lo) * np.sum(w * f, axis=1) * GEV2_TO_CM2
    val = np.where(ok, val, 0.0)
    return val if np.ndim(energy) else float(val[0])


def two_to_two(parent_p4: np.ndarray, target_mass: float, m3: float, m4: float,
               cos_t: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parent + target at rest → 3 + 4 with particle 3 at (cos θ*, φ) about the parent direction in
    the CM frame; returns (p4_3, p4_4, total p4) in the lab."""
    tot = parent_p4.copy()
    tot[:, 3] += target_mass
    s = tot[:, 3] ** 2 - np.sum(tot[:, :3] ** 2, axis=1)
    k = two_body_momentum(np.sqrt(s), m3, m4)
    local = polar_vectors(k, cos_t, phi)
    d = rotate_to(parent_p4[:, :3], local)
    p3 = np.column_stack([d, np.sqrt(k * k + m3 * m3)])
    p4 = np.column_stack([-d, np.sqrt(k * k + m4 * m4)])
    return boost(p3, tot), boost(p4, tot), tot


class ComptonChannel(Channel):
    """γ e → X e for an ALP (g_aee) or a vector (c_e) in a target element (Z, A)."""

    name = "compton"
    parent = "gamma"

    def __init__(self, z: int = 74, a: float = 183.84):
        if not (z >= 1 and a >= 1):
            raise ValueError(f"compton needs a target with Z ≥ 1 and A ≥ 1 g/mol, got Z={z}, A={a}")
        self.z, self.a = int(z), float(a)

    def accepts(self, model) -> bool:
        return hasattr(model, "g_aee") or hasattr(model, "meson_factor")

    def closed_reason(self, model) -> str | None:
        if _coupling2(model)[0] == 0:
            return f"{self.name}: the model's electron coupling is zero (zero yield)"
        return None

    def parent_rate(self, model, energy):
        """:meth:`rate` on a log grid (the pool is drawn ∝ weight × rate)."""
        return tabulated_rate(lambda e: self.rate(model, e), energy)

    def parent_energy_threshold(self, model) -> float:
        return self.threshold(model)

    def production_scale(self, model) -> float:
        """The coupling factor of the weight at fixed kinematics (|M|² ∝ g_aee² or c_e², the
        angular shape independent of it), for reweighting."""
        return _coupling2(model)[0]

    def threshold(self, model) -> float:
        """Photon energy threshold E_γ = m + m²/(2m_e) (GeV)."""
        return model.mass + model.mass**2 / (2 * M_E)

    def rate(self, model, energy):
        """Conversion probability per photon: Z σ(γe→Xe)/σ_tot(γ)."""
        e = np.asarray(energy, dtype=float)
        return self.z * sigma_compton(e, model) / sigma_total_photon(e, self.z, self.a)

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        m = model.mass
        c2, m2f = _coupling2(model)
        e = parents.p4[:, 3]
        ok = e > self.threshold(model) * (1 + 1e-12)
        p4g = parents.p4.copy()
        p4g[~ok, 3] = self.threshold(model) * 1.001  # placeholder kinematics, weight 0
        p4g[~ok, :3] = p4g[~ok, 3:4] * np.array([0.0, 0.0, 1.0])
        tot = p4g.copy()
        tot[:, 3] += M_E
        s = tot[:, 3] ** 2 - np.sum(tot[:, :3] ** 2, axis=1)
        t_lo, t_hi, k_in, k_out = t_range(s, m)
        e3 = np.sqrt(k_out**2 + m * m)
        sigma_tot = sigma_total_photon(p4g[:, 3], self.z, self.a)
        # the photon's direction in the centre of mass (X's cos θ* is taken about it)
        k_cm = boost(p4g, np.column_stack([-tot[:, :3], tot[:, 3]]))[:, :3]
        k_cm /= np.linalg.norm(k_cm, axis=1)[:, None]

        def angular(n_star):
            """Conversion probability at X's CM direction n*, relative to uniform cos θ*."""
            t = m * m - 2 * k_in * (e3 - k_out * np.sum(n_star * k_cm, axis=1))
            dsdt = m2f(s, t, m, M_E, c2) / (16 * math.pi * (s - M_E**2) ** 2) * GEV2_TO_CM2
            return np.maximum(self.z * dsdt * (t_hi - t_lo) / sigma_tot, 0.0)

        # cos θ* uniform (t is linear in it) or, with an aim, X drawn toward the detector
        px, pe, w, n_star = aimed_two_body(tot, parents.vertex, m, M_E, self.aim, rng, angular)
        w = np.where(ok, w, 0.0)
        a = angular(n_star)
        importance = np.divide(w, a, out=np.zeros(len(w)), where=a > 0)
        return DarkParticles(
            pdg=model.pdgid, mass=m, p4=px, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((PDG["e-"], pe),), importance=importance)
