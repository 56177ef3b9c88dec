"""Electron/positron bremsstrahlung e± N → e± N X, improved Weizsäcker–Williams (IWW)
(formulas-production.md §3).

Vector X (electron coupling c_e, ε for the dark photon; Bjorken–Essig–Schuster–Toro
arXiv:0906.0580 Sec. II, App. A):

    d²σ/dx dcosθ = 8α³c_e² E₀² x χ/U² [(1 − x + x²/2) − x(1−x) m² E₀² x θ²/U²],
    U = E₀²xθ² + m²(1−x)/x + m_e²x,

ALP (g_aee; Tsai PRD 34 (1986) 1326 as in alplib, re-derived in §3.2):

    d²σ/dx dcosθ = α²g²χ/(2π) · E₀²x/U² [x² − 2m²x(1−x)/U + 2m²(m²(1−x)² + m_e²x²(1−x))/U²],

with the effective photon flux χ = ∫_{t_min}^{t_max} dt (t − t_min)/t² G₂(t), t_min = (m²/2E₀)²,
t_max = m² + m_e², G₂ = elastic (atomic screening × nuclear) + inelastic (Tsai 1974; BEST App. A).
Check values D1–D3: χ/Z²(W, 10 GeV) = 11.56 (10 MeV), 7.972 (100 MeV); σ/ε²(W, 10 GeV, x ∈
[m/E₀, 1 − m/E₀]) = 6.79×10⁻²⁵ (10 MeV), 3.76×10⁻²⁷ cm² (100 MeV); ALP dσ/dx/g² = 1.740×10⁻²⁵ cm².
Parents with E₀ ≤ 2m_X (empty x range) give weight 0. Validity: E₀ ≫ m_X ≫ m_e, x not close to 1; IWW can be off by O(1) for m_X ≳ 0.1E₀ or low E₀
(Liu–Morrissey–Miller arXiv:1609.06781) — a :class:`BremValidityWarning` is issued there.

The IWW cross section is the same for e⁺ and e⁻ at this order. Parents (interface with ``darkbeam.sources``): e⁻ (``electron_brem``) or e⁺ (``positron_brem``)
samples from the target cascade with **weight = track length [m] per POT** carried by that sample
(i.e. Σ_i w_i/N over N samples estimates ∫dE T(E), the total track length per POT, each sample
standing for a piece of track at its energy and direction; the run divides by N). The channel
multiplies by n_atoms [cm⁻³] × σ [cm²] × 100 cm/m. Target: Z, A [g/mol], density [g/cm³].

Sampling: x from q(x) ∝ 1/(1 − x + δ), δ = max(m_e²/m², m/E₀) on [m/E₀, 1 − m/E₀]; θ² from
q ∝ 1/(E₀²xθ² + U₀)² on [0, θ_max²] (θ_max = 0.5 rad; the small-angle IWW form is meaningless
beyond), mixed with the detector's cone when the channel is aimed
(:func:`darkbeam.production.aiming.aimed_polar`); exact importance weights. The recoil e± gets E₀ − E_X and balances the X transverse
momentum; the nucleus takes the remaining (mostly longitudinal) momentum q, recoil energy
|q|²/2M_A neglected.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..constants import ALPHA_EM, AVOGADRO
from ..sources.parents import Parents
from ._data import table
from .aiming import aimed_polar
from .base import Channel, DarkParticles, tabulated_rate, polar_vectors, rotate_to
from .photon_absorption import GEV2_TO_CM2, M_E
from .primakoff import AMU_GEV, nucleus_pdg
from .splitting import M_P
from .quadrature import gauss_legendre

THETA_MAX = 0.5


class BremValidityWarning(UserWarning):
    """IWW electron bremsstrahlung used where it is known to be inaccurate."""


def g2_elastic_inelastic(t, z: int, a: float):
    """G₂(t) = G₂^el + G₂^in (Tsai 1974; arXiv:0906.0580 App. A; formulas-production.md §3.1)."""
    s = table("tsai_screening")
    aa = s["a_elastic"] * z ** (-1 / 3) / M_E
    ap = s["a_inelastic"] * z ** (-2 / 3) / M_E
    d = s["d_coefficient"] * a ** (-2 / 3)
    el = z * z * (aa * aa * t / (1 + aa * aa * t)) ** 2 * (1 / (1 + t / d)) ** 2
    inel = z * (ap * ap * t / (1 + ap * ap * t)) ** 2 * (
        (1 + t / (4 * M_P * M_P) * (s["mu_p"] ** 2 - 1)) / (1 + t / s["dipole_lambda2"]) ** 4) ** 2
    return el + inel


def chi(energy, m: float, z: int, a: float, n: int = 128):
    """Effective photon flux χ (dimensionless), vectorised over beam energies E₀ (GeV)."""
    e = np.atleast_1d(np.asarray(energy, dtype=float))
    t_min = (m * m / (2 * e)) ** 2
    t_max = np.full_like(e, m * m + M_E * M_E)
    x, w = gauss_legendre(n)
    l0, l1 = np.log(t_min)[:, None], np.log(t_max)[:, None]
    lt = 0.5 * (l1 - l0) * (x + 1) + l0
    t = np.exp(lt)
    val = np.sum(0.5 * (l1 - l0) * w * t * (t - t_min[:, None]) / t**2 * g2_elastic_inelastic(t, z, a), axis=1)
    val = np.where(t_max > t_min, val, 0.0)
    return val if np.ndim(energy) else float(val[0])


def _u(e0, x, theta2, m):
    return e0 * e0 * x * theta2 + m * m * (1 - x) / x + M_E * M_E * x


def d2sigma_vector(e0, x, theta2, m, c2, chi_value):
    """d²σ/dx dcosθ (GeV⁻²) for a vector with electron coupling² c2."""
    u = _u(e0, x, theta2, m)
    return 8 * ALPHA_EM**3 * c2 * e0 * e0 * x * chi_value / u**2 * (
        (1 - x + x * x / 2) - x * (1 - x) * m * m * e0 * e0 * x * theta2 / u**2)


def d2sigma_alp(e0, x, theta2, m, g2, chi_value):
    """d²σ/dx dcosθ (GeV⁻²) for an ALP with g_aee² = g2."""
    u = _u(e0, x, theta2, m)
    return ALPHA_EM**2 * g2 * chi_value / (2 * math.pi) * e0 * e0 * x / u**2 * (
        x * x - 2 * m * m * x * (1 - x) / u + 2 * m * m * (m * m * (1 - x) ** 2 + M_E * M_E * x * x * (1 - x)) / u**2)


def dsigma_dx_vector(e0, x, m, c2, chi_value):
    """Angle-integrated IWW dσ/dx (GeV⁻²) = 4α³c²χ√(1 − m²/E₀²)(1 − x + x²/3)/(m²(1−x)/x + m_e²x)."""
    return (4 * ALPHA_EM**3 * c2 * chi_value * np.sqrt(1 - m * m / (e0 * e0)) * (1 - x + x * x / 3)
            / (m * m * (1 - x) / x + M_E * M_E * x))


def chi_fast(energy: np.ndarray, m: float, z: int, a: float, grid: int = 512) -> np.ndarray:
    """χ for many energies: exact on the distinct values when there are few, else linear
    interpolation of ln χ on a ``grid``-point ln E grid (relative error < 10⁻⁵ for smooth χ)."""
    e = np.asarray(energy, dtype=float)
    uniq, inv = np.unique(e, return_inverse=True)
    if len(uniq) <= grid:
        return chi(uniq, m, z, a)[inv.reshape(e.shape)]
    lg = np.linspace(math.log(uniq[0]), math.log(uniq[-1]), grid)
    table_ = np.log(np.maximum(chi(np.exp(lg), m, z, a), 1e-300))
    return np.exp(np.interp(np.log(e), lg, table_))


class ElectronBremChannel(Channel):
    """e± N → e± N X (vector via c_e, ALP via g_aee) in a target element (Z, A, density)."""

    def __init__(self, charge: int = -1, z: int = 74, a: float = 183.84, density: float = 19.3):
        if charge not in (-1, 1):
            raise ValueError(f"electron brem charge must be -1 (e⁻) or +1 (e⁺), got {charge}")
        if not (z >= 1 and a >= 1 and density > 0):
            raise ValueError(f"electron brem needs Z ≥ 1, A ≥ 1 g/mol, density > 0 g/cm³; got {z}, {a}, {density}")
        self.charge = charge
        self.name = "electron_brem" if charge == -1 else "positron_brem"
        self.parent = "e-" if charge == -1 else "e+"
        self.z, self.a, self.density = int(z), float(a), float(density)
        self.n_atoms = density * AVOGADRO / a  # cm⁻³

    def accepts(self, model) -> bool:
        return hasattr(model, "g_aee") or hasattr(model, "meson_factor")

    def _c2(self, model) -> float:
        return model.g_aee**2 if hasattr(model, "g_aee") else model.coupling("e") ** 2

    def closed_reason(self, model) -> str | None:
        if self._c2(model) == 0:
            return f"{self.name}: the model's electron coupling is zero (zero yield)"
        return None

    def sigma(self, model, energy):
        """σ(e N → e N X) per atom (cm²), integrated over x ∈ [m/E₀, 1 − m/E₀] and θ ≤ θ_max."""
        e = np.atleast_1d(np.asarray(energy, dtype=float))
        m = model.mass
        ok = e > 2 * m
        e = np.where(ok, e, 3 * m)
        xg, wg = gauss_legendre(96)
        ch = chi(e, m, self.z, self.a)
        lo, hi = m / e, 1 - m / e
        x = 0.5 * (hi - lo)[:, None] * (xg + 1) + lo[:, None]
        wx = 0.5 * (hi - lo)[:, None] * wg
        # θ² integral in ln(U) variable
        e3, x3 = e[:, None, None], x[:, :, None]
        u0 = _u(e3, x3, 0.0, m)
        u1 = _u(e3, x3, THETA_MAX**2, m)
        lu = 0.5 * np.log(u1 / u0) * (xg + 1) + np.log(u0)
        uu = np.exp(lu)
        th2 = (uu - u0) / (e3 * e3 * x3)
        jac = 0.5 * np.log(u1 / u0) * wg * uu / (e3 * e3 * x3)
        f = self._d2(model, e3, x3, th2, ch[:, None, None]) * 0.5  # dcosθ = dθ²/2
        val = np.sum(wx * np.sum(jac * f, axis=2), axis=1) * GEV2_TO_CM2
        val = np.where(ok, val, 0.0)
        return val if np.ndim(energy) else float(val[0])

    def _d2(self, model, e0, x, theta2, chi_value):
        if hasattr(model, "g_aee"):
            return d2sigma_alp(e0, x, theta2, model.mass, model.g_aee**2, chi_value)
        return d2sigma_vector(e0, x, theta2, model.mass, model.coupling("e") ** 2, chi_value)

    def parent_rate(self, model, energy):
        """:meth:`rate` on a log grid (the pool is drawn ∝ weight × rate)."""
        return tabulated_rate(lambda e: self.rate(model, e), energy)

    def parent_energy_threshold(self, model) -> float:
        """E₀ > 2m_X (the x range [m/E₀, 1 − m/E₀] is empty below)."""
        return 2.0 * model.mass

    def production_scale(self, model) -> float:
        """The coupling factor of the weight at fixed kinematics (g_aee² or c_e²), for reweighting."""
        return model.g_aee ** 2 if hasattr(model, "g_aee") else model.coupling("e") ** 2

    def rate(self, model, energy):
        """X per metre of e± track at ``energy`` GeV: n_atoms σ × 100."""
        return self.n_atoms * self.sigma(model, energy) * 100.0

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        m = model.mass
        n = len(parents)
        e0 = parents.p4[:, 3]
        ok = e0 > 2 * m
        e0s = np.where(ok, e0, 3 * m)
        if np.any(ok & (m > 0.1 * e0s)):
            warnings.warn(f"{self.name}: IWW used with m_X = {m:.3g} GeV > 0.1 E₀ for some parents "
                          "(O(1) uncertainty, arXiv:1609.06781)", BremValidityWarning, stacklevel=2)
        u = rng.random((n, 3))
        x_lo, x_hi = m / e0s, 1 - m / e0s
        delta = np.maximum(M_E * M_E / (m * m), m / e0s)
        a0, a1 = 1 - x_lo + delta, 1 - x_hi + delta
        y = a0 * (a1 / a0) ** u[:, 0]
        x = 1 + delta - y
        inv_qx = y * np.log(a0 / a1)
        ax = e0s * e0s * x
        u0 = _u(e0s, x, 0.0, m)
        c = 1 / u0 - 1 / (ax * THETA_MAX**2 + u0)
        th2_plain = (1 / (1 / u0 - u[:, 1] * c) - u0) / ax
        ch = chi_fast(e0s, m, self.z, self.a)
        scale = 0.5 * inv_qx * GEV2_TO_CM2 * self.n_atoms * 100.0 * ok

        # densities in θ (θ² = θ·θ, dθ² = 2θ dθ; the small-angle form holds for θ ≤ THETA_MAX):
        # proposal q(θ²) ∝ 1/(E₀²xθ² + U₀)², target d²σ/dx dcosθ · ½ per unit θ² (× the x weight)
        def proposal(theta, rows):
            t2 = theta * theta
            q = ax[rows] / (c[rows] * (ax[rows] * t2 + u0[rows]) ** 2)
            return np.where(theta <= THETA_MAX, q * 2 * theta, 0.0)

        def target(theta, rows):
            t2 = theta * theta
            d2 = self._d2(model, e0s[rows], x[rows], t2, ch[rows]) * scale[rows]
            return np.where(theta <= THETA_MAX, np.maximum(d2, 0.0) * 2 * theta, 0.0)

        theta, phi, w, importance = aimed_polar(parents.p4[:, :3], parents.vertex, np.sqrt(th2_plain),
                                                2 * math.pi * u[:, 2], self.aim, rng, target, proposal)
        w = np.where(ok, w, 0.0)
        # kinematics about the parent direction
        ex = x * e0s
        px_mag = np.sqrt(np.maximum(ex * ex - m * m, 0.0))
        d = parents.p4[:, :3]
        kx = rotate_to(d, polar_vectors(px_mag, np.cos(theta), phi))
        p4x = np.column_stack([kx, np.sqrt(px_mag**2 + m * m)])
        # recoil lepton: energy E₀ − E_X, transverse momentum −p_T,X
        ee = np.maximum(e0s - p4x[:, 3], M_E)
        pe = np.sqrt(np.maximum(ee * ee - M_E * M_E, 0.0))
        pt = px_mag * np.sin(theta)
        pt_e = np.minimum(pt, pe)
        pl_e = np.sqrt(np.maximum(pe * pe - pt_e * pt_e, 0.0))
        local_e = np.stack([-pt_e * np.cos(phi), -pt_e * np.sin(phi), pl_e], axis=1)
        p4e = np.column_stack([rotate_to(d, local_e), ee])
        q = np.where(ok[:, None], parents.p4[:, :3] - kx - p4e[:, :3], 0.0)
        m_n = self.a * AMU_GEV
        nucleus = np.column_stack([q, np.sqrt(np.sum(q * q, axis=1) + m_n * m_n)])
        lepton_pdg = 11 if self.charge == -1 else -11
        return DarkParticles(
            pdg=model.pdgid, mass=m, p4=p4x, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((lepton_pdg, p4e), (nucleus_pdg(self.z, self.a), nucleus)), importance=importance)
