"""P → γ X* → γ χχ̄ (P = π⁰, η, η′): dark-matter pairs through an on- or off-shell vector X
(formulas-production.md §1.3 "Off-shell X").

    dBR/ds = BR(P → γX)|_{m_X² → s} · (1/π) √s Γ(X*(√s) → χχ̄) / [(s − m_X²)² + m_X²Γ_X²],

4m_χ² < s < m_P², with BR(P → γX) of :mod:`.meson_decay` (F_P(√s) with the chosen ``bw``) and
Γ_X the total on-shell width (constant-width propagator). In the narrow-width limit the integral
is BR(P → γX)·BR(X → χχ̄) (∫ds (mΓ/π)/((s−m²)² + m²Γ²) = 1); for m_X > m_P it gives the off-shell
yield. Use either this channel or ``<meson>_decay`` followed by the X → χχ̄ decay, not both.

Widths Γ(X*(√s) → χχ̄) (formulas-detection.md §1.7, as :meth:`DarkMatter.mediator_width`):
Dirac α_D√s/3 (1+2r)√(1−4r), complex scalar α_D√s/12 (1−4r)^{3/2}, r = m_χ²/s. Inelastic DM is
not handled here (closed with a notice).

Kinematics: P → γX* isotropic in the P rest frame; X* → χχ̄ in the X* rest frame with the
angular distribution of a transversely polarised X* (P → γX* fixes the X* helicity to ±1):
Dirac 1 + cos²θ + (1 − β²)sin²θ, scalar sin²θ, θ relative to the X* direction, β = 2p*/√s —
applied as a normalised weight on a uniform cos θ. s is sampled from ½[BW + uniform] with exact
weights. Output: χ (pdg 52 / 51) with siblings χ̄ (−pdg) and γ; weight = pairs per POT.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import PDG, branching_ratio_gamma_gamma, mass
from ..kinematics import boost, two_body_momentum
from ..sources.parents import Parents
from .base import Channel, DarkParticles, polar_vectors, rotate_to
from .meson_decay import check_meson_options
from .vmd import meson_form_factor
from .quadrature import gauss_legendre


def dm_width(dm, sqrt_s: np.ndarray) -> np.ndarray:
    """Γ(X*(√s) → χχ̄) in GeV, vectorised (Dirac or complex scalar)."""
    w = np.asarray(sqrt_s, dtype=float)
    r = np.where(w > 0, (dm.mass / np.where(w > 0, w, 1.0)) ** 2, 1.0)
    x = np.clip(1 - 4 * r, 0.0, None)
    if dm.kind == "dirac":
        out = dm.alpha_d * w / 3.0 * (1 + 2 * r) * np.sqrt(x)
    else:
        out = dm.alpha_d * w / 12.0 * x**1.5
    return np.where(w > 2 * dm.mass, out, 0.0)


class MesonDecayDMChannel(Channel):
    """P → γχχ̄ through X(*); ``meson`` in pi0, eta, etaprime; ``bw`` in run|fix|none."""

    def __init__(self, meson: str, bw: str = "run"):
        check_meson_options(meson, bw, "P → γχχ̄")
        self.parent = meson
        self.name = f"{meson}_decay_dm"
        self.bw = bw
        self.parent_mass = mass(PDG[meson])
        self.br_gg = branching_ratio_gamma_gamma(PDG[meson])

    @property
    def meson(self) -> str:
        return self.parent

    def accepts(self, model) -> bool:
        return hasattr(model, "meson_factor") and getattr(model, "dark_matter", None) is not None

    def closed_reason(self, model) -> str | None:
        dm = model.dark_matter
        if dm.kind == "inelastic":
            return f"{self.name}: inelastic dark matter is not handled by this channel (zero yield)"
        if 2 * dm.mass >= self.parent_mass:
            return (f"{self.name}: 2m_χ = {2 * dm.mass:.4g} GeV ≥ m_{self.meson} = {self.parent_mass:.4g} GeV, "
                    "channel closed (zero yield)")
        if dm.alpha_d == 0:
            return f"{self.name}: α_D = 0 (zero yield)"
        return None

    def _dbr_ds(self, model, s: np.ndarray) -> np.ndarray:
        m_x, g_x = model.mass, model.total_width()
        rs = np.sqrt(s)
        cu, cd, cs = model.coupling("u"), model.coupling("d"), model.coupling("s")
        f2 = np.abs(meson_form_factor(self.meson, rs, cu, cd, cs, self.bw)) ** 2
        br = 2 * f2 * np.clip(1 - s / self.parent_mass**2, 0, None) ** 3 * self.br_gg
        return br / math.pi * rs * dm_width(model.dark_matter, rs) / ((s - m_x**2) ** 2 + (m_x * g_x) ** 2)

    def _bw_map(self, model):
        m_x = model.mass
        mg = m_x * max(model.total_width(), 1e-12 * m_x)
        s_lo, s_hi = (2 * model.dark_matter.mass) ** 2, self.parent_mass**2
        return m_x * m_x, mg, math.atan((s_lo - m_x * m_x) / mg), math.atan((s_hi - m_x * m_x) / mg), s_lo, s_hi

    def rate(self, model, n: int = 4000) -> float:
        """BR(P → γχχ̄) = ∫ds dBR/ds (Gauss–Legendre in the Breit–Wigner angle)."""
        if self.closed_reason(model):
            return 0.0
        m2, mg, a0, a1, _, _ = self._bw_map(model)
        x, w = gauss_legendre(n)
        phi = 0.5 * (a1 - a0) * (x + 1) + a0
        s = m2 + mg * np.tan(phi)
        return float(np.sum(0.5 * (a1 - a0) * w * self._dbr_ds(model, s) * mg / np.cos(phi) ** 2))

    branching_ratio = rate

    def reweight_caveat(self, ref, new) -> str | None:
        """Why reweighting a sample of ``ref`` to ``new`` is not exact event by event, or None.

        The χχ̄ mass √s is sampled along the mediator's Breit–Wigner, whose width Γ differs
        between the models when α_D (or the couplings that dominate Γ) change: the total BR stays
        exact (``branching_ratio``), the √s spectrum, hence the kinematics and the acceptance, do
        not. Negligible when Γ/m is small at the reference or hardly changes (ε scans at fixed
        α_D: Γ_SM/Γ ~ 10⁻⁶)."""
        g_ref, g_new = ref.total_width() / ref.mass, new.total_width() / new.mass
        if g_ref > 1e-3 and abs(g_new / g_ref - 1) > 1e-2:
            return (f"{self.name}: the χχ̄ mass follows the mediator's Breit–Wigner, Γ/m = {g_ref:.3g} in "
                    f"the sample and {g_new:.3g} at the new couplings; the total is reweighted exactly, the "
                    "kinematics (acceptance) are those of the sample. Generate at the new α_D for precision.")
        return None

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        dm = model.dark_matter
        n = len(parents)
        u = rng.random((n, 6))
        m2, mg, a0, a1, s_lo, s_hi = self._bw_map(model)
        s_bw = m2 + mg * np.tan(a0 + u[:, 0] * (a1 - a0))
        s_un = s_lo + u[:, 0] * (s_hi - s_lo)
        s = np.clip(np.where(u[:, 1] < 0.5, s_bw, s_un), s_lo * (1 + 1e-12), s_hi)
        q = 0.5 * (mg / ((s - m2) ** 2 + mg * mg) / (a1 - a0) + 1 / (s_hi - s_lo))
        rs = np.sqrt(s)
        # P → γ X*
        mp = self.parent_mass
        p_star = two_body_momentum(mp, rs, 0.0)
        n_hat = polar_vectors(np.ones(n), 2 * u[:, 2] - 1, 2 * math.pi * u[:, 3])
        x_rest = np.column_stack([p_star[:, None] * n_hat, np.sqrt(p_star**2 + s)])
        g_rest = np.column_stack([-p_star[:, None] * n_hat, p_star])
        # X* → χχ̄ about the helicity axis n̂
        k = two_body_momentum(rs, dm.mass, dm.mass)
        cos_h = 2 * u[:, 4] - 1
        d = rotate_to(n_hat, polar_vectors(np.ones(n), cos_h, 2 * math.pi * u[:, 5]))
        e_chi = np.sqrt(k * k + dm.mass**2)
        chi_x = np.column_stack([k[:, None] * d, e_chi])
        chib_x = np.column_stack([-k[:, None] * d, e_chi])
        beta2 = (2 * k / rs) ** 2
        if dm.kind == "dirac":
            ang = ((1 + cos_h**2) + (1 - beta2) * (1 - cos_h**2)) / (2.0 / 3.0 * (3 - beta2))
        else:
            ang = (1 - cos_h**2) / (2.0 / 3.0)
        chi_p = boost(chi_x, x_rest)
        chib_p = boost(chib_x, x_rest)
        chi = boost(chi_p, parents.p4)
        chib = boost(chib_p, parents.p4)
        gam = boost(g_rest, parents.p4)
        w = self._dbr_ds(model, s) / q * ang
        pdg = dm.pdgid
        return DarkParticles(
            pdg=pdg, mass=dm.mass, p4=chi, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((-pdg, chib), (PDG["gamma"], gam)))


