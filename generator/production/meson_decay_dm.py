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
Dirac 1 + cos²θ + (1 − β²)sin²θ, scalar sin²θ, θ relative to the X* helicity axis
(:func:`darkbeam.decays.two_body.helicity_axis`), β = 2p*/√s. s is drawn from a piecewise
proposal in the Breit–Wigner angle that follows dBR/ds (:meth:`MesonDecayDMChannel.s_proposal`),
with exact weights.

Both members of the pair fly to the detector: each parent gives two rows, one tracking the χ and
one tracking the χ̄ of an independent decay (either aimed at the detector by
:func:`darkbeam.production.aiming.aimed_two_body`), each with its own weight; their sum counts
the χ and χ̄ flux (for vector exchange both scatter alike; a scalar χ's antiparticle likewise).
The two rows of a parent are one sample for the uncertainty (``DarkParticles.sample``). That both
members of one pair scatter in the detector (probability ~ (nσL)² ≲ 10⁻²⁰) is not modelled.
Output: χ (pdg 52 / 51) or χ̄ (−pdg) with the other member and γ as siblings; weight = particles
per POT.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import PDG, branching_ratio_gamma_gamma, mass
from ..decays.two_body import helicity_axis
from ..kinematics import two_body_momentum
from ..sampling import PiecewiseDensity
from ..sources.parents import Parents
from .aiming import aimed_two_body
from .base import Channel, DarkParticles
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

    def s_proposal(self, model) -> PiecewiseDensity:
        """The proposal of s = m_χχ̄²: piecewise constant in the Breit–Wigner angle
        φ = atan((s − m_X²)/(m_XΓ_X)) with cell probabilities ∝ dBR/dφ (:class:`PiecewiseDensity`),
        so the weights dBR/ds / q(s) vary only within a cell (≲ 10⁻³ here)."""
        key = (model.mass, model.total_width(), self._dbr_ds(model, np.array([model.mass**2]))[0])
        if getattr(self, "_proposal_key", None) != key:
            m2, mg, a0, a1, _, _ = self._bw_map(model)

            def dbr_dphi(phi):
                return self._dbr_ds(model, m2 + mg * np.tan(phi)) * mg / np.cos(phi) ** 2
            self._proposal = PiecewiseDensity.from_function(dbr_dphi, a0, a1, n_cells=1024)
            self._proposal_key = key
        return self._proposal

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        """Two tracked particles per parent: rows 0…n−1 follow the χ, rows n…2n−1 the χ̄ of an
        independent decay of the same parent (each aimed at the detector when the channel is
        aimed); each row's weight is that member's expected number per POT, so Σ over rows counts
        χ and χ̄ (both scatter, with the same cross section for vector exchange)."""
        closed = self._closed(model)
        if closed is not None:
            return closed
        dm = model.dark_matter
        n = len(parents)
        both = parents.select(np.concatenate([np.arange(n), np.arange(n)]))
        u = rng.random((2 * n, 3))
        m2, mg, _, _, s_lo, s_hi = self._bw_map(model)
        phi, q_phi = self.s_proposal(model).sample(u[:, 0])
        s = np.clip(m2 + mg * np.tan(phi), s_lo * (1 + 1e-12), s_hi)
        ds_dphi = mg / np.cos(phi) ** 2
        rs = np.sqrt(s)
        # P → γ X*, the X* aimed at the detector's cone opened by the χ's typical angle to it:
        # sin Δ = (k/m_χ)/(βγ)_X*, (βγ)_X* from the X* energy γ_P E*_X in the lab
        mp = self.parent_mass
        k = two_body_momentum(rs, dm.mass, dm.mass)
        e_x = both.p4[:, 3] / mp * (mp * mp + s) / (2 * mp)
        bg_x = np.sqrt(np.maximum(e_x * e_x / s - 1.0, 1e-12))
        widen = np.arcsin(np.minimum(1.0, k / (dm.mass * bg_x))) if dm.mass > 0 else np.full(2 * n, math.pi)
        x_star, gam, w_x, _ = aimed_two_body(both.p4, both.vertex, rs, 0.0, self.aim, rng, widen=widen)
        # X* → χχ̄ about the X* helicity axis, the tracked member aimed at the detector
        axis = helicity_axis(x_star, both.p4)
        beta2 = 1.0 - 4.0 * dm.mass**2 / s
        if dm.kind == "dirac":
            def angular(n_star):
                c2 = np.sum(n_star * axis, axis=1) ** 2
                return ((1 + c2) + (1 - beta2) * (1 - c2)) / (2.0 / 3.0 * (3 - beta2))
        else:
            def angular(n_star):
                return (1 - np.sum(n_star * axis, axis=1) ** 2) / (2.0 / 3.0)
        tracked, other, w_chi, n_star = aimed_two_body(x_star, both.vertex, dm.mass, dm.mass, self.aim, rng, angular)
        w = self._dbr_ds(model, s) / (q_phi / ds_dphi) * w_x * w_chi
        ang = angular(n_star)
        importance = w_x * np.divide(w_chi, ang, out=np.zeros(2 * n), where=ang > 0)
        pdg = np.concatenate([np.full(n, dm.pdgid), np.full(n, -dm.pdgid)])
        return DarkParticles(
            pdg=pdg, mass=dm.mass, p4=tracked, vertex=both.vertex, t=both.t,
            weight=both.weight * w, origin=both.vertex, t_origin=both.t,
            parent_pdg=both.pdg, parent_p4=both.p4, parent_vertex=both.vertex,
            siblings=((-pdg, other), (PDG["gamma"], gam)), importance=importance,
            sample=np.concatenate([np.arange(n), np.arange(n)]))
