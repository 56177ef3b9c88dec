"""X → χχ̄ after a channel that makes an on-shell vector X: dark matter from vector-meson mixing and
proton bremsstrahlung (leptophobic/baryonic mediators, MiniBooNE-DM nucleon and CCM analyses).

``<channel>_dm`` wraps ``<channel>`` (``rho_mixing``, ``omega_mixing``, ``phi_mixing``,
``proton_brem``): the X it makes decays to a χχ̄ pair with the branching ratio
BR(X → χχ̄) = Γ(X → χχ̄)/Γ_X of the model (:meth:`DarkMatter.mediator_width`, Dirac or complex
scalar; the same widths as ``pi0_decay_dm``), and both members fly on, as in
:mod:`.meson_decay_dm`: every X gives two rows, one tracking the χ of its decay and one the χ̄ of
an independent decay, each with weight w_X · BR · (importance), so Σ over rows counts χ and χ̄.
The two rows are one sample for the uncertainty.

Where the X decays: exactly, at a distance drawn from e^{−ℓ/L}, L = (p/m) cτ_X, along its momentum
(time ℓ/(βc) later): prompt for the usual α_D ~ 0.1–1 (cτ ~ 10⁻¹⁴ m), displaced when the
couplings are tiny.

Decay angular distribution: isotropic in the X rest frame. This is exact for an unpolarised X; the
X of vector mixing inherits the meson's polarisation and the X of bremsstrahlung is mostly
transverse, which are not tracked by these channels (the χ angle relative to the X direction then
differs by a 1 + a cos²θ* term with |a| ≤ 1; the effect on an acceptance is smaller than that and
averages out for detectors far wider than the χ opening angle m_X/E_X).

The mediator must be on shell, m_X > 2m_χ: for lighter X (off-shell production, m_X < 2m_χ) the
channels are closed with a notice (the meson-decay channels ``*_decay_dm`` do handle the off-shell
X*). Inelastic dark matter (χ₁χ₂) is not handled here.

Aiming: the inner channel aims its X at the detector as it would for a visible decay; the χ is
then aimed at the detector from the X decay point (:func:`~.aiming.aimed_two_body`, exact weights).
"""

from __future__ import annotations

import copy

import numpy as np

from ..constants import C_M_PER_NS
from ..sources.parents import Parents
from .aiming import aimed_two_body
from .base import Channel, DarkParticles


def dm_branching_ratio(model) -> float:
    """BR(X → χχ̄) of the model's mediator at its mass (0 without dark matter or below threshold)."""
    dm = getattr(model, "dark_matter", None)
    if dm is None or dm.kind == "inelastic":
        return 0.0
    total = model.total_width()
    return dm.mediator_width(model.mass) / total if total > 0 else 0.0


class MediatorDMChannel(Channel):
    """``inner`` (a channel making an on-shell vector X), followed by X → χχ̄."""

    def __init__(self, inner: Channel):
        self.inner = inner
        self.name = f"{inner.name}_dm"
        self.parent = inner.parent
        self.default_aim_fraction = inner.default_aim_fraction

    def __getattr__(self, item):
        # everything else (``meson``, ``target``, … of the inner channel) is the inner channel's
        if item == "inner":
            raise AttributeError(item)
        return getattr(self.inner, item)

    def aimed_at(self, aim) -> MediatorDMChannel:
        out = copy.copy(self)
        out.aim = aim
        out.inner = self.inner.aimed_at(aim)
        return out

    def accepts(self, model) -> bool:
        return self.inner.accepts(model) and getattr(model, "dark_matter", None) is not None

    def closed_reason(self, model) -> str | None:
        dm = model.dark_matter
        if dm.kind == "inelastic":
            return f"{self.name}: inelastic dark matter is not handled by this channel (zero yield)"
        if model.mass <= 2 * dm.mass:
            return (f"{self.name}: m_X = {model.mass:.4g} GeV ≤ 2m_χ = {2 * dm.mass:.4g} GeV, the mediator "
                    "cannot decay to χχ̄ on shell (zero yield; the *_decay_dm meson channels make an "
                    "off-shell X*)")
        if dm.alpha_d == 0:
            return f"{self.name}: α_D = 0 (zero yield)"
        return self.inner.closed_reason(model)

    def rate(self, model, *args, **kwargs):
        """The inner channel's rate × BR(X → χχ̄) (χχ̄ pairs per parent, or per metre of track)."""
        return self.inner.rate(model, *args, **kwargs) * dm_branching_ratio(model)

    def branching_ratio(self, model) -> float:
        return float(self.inner.branching_ratio(model)) * dm_branching_ratio(model)

    def production_scale(self, model) -> float:
        """What the reweighting in the couplings scales (:mod:`darkbeam.scan.reweight`)."""
        inner = self.inner
        scale = inner.production_scale(model) if hasattr(inner, "production_scale") else inner.branching_ratio(model)
        return float(scale) * dm_branching_ratio(model)

    def reweight_caveat(self, ref, new) -> str | None:
        """The X decay point depends on Γ_X: exact in the total, not event by event, when Γ_X changes
        and the X is displaced (cτ of the sample > 1 mm)."""
        if ref.ctau() > 1e-3 and abs(new.total_width() / ref.total_width() - 1) > 1e-2:
            return (f"{self.name}: the X decay point follows its width, cτ = {ref.ctau():.3g} m in the sample; "
                    "the total is reweighted exactly, the decay positions are those of the sample")
        return None

    def parent_rate(self, model, energy):
        inner = self.inner.parent_rate(model, energy)
        return None if inner is None else inner * dm_branching_ratio(model)

    def parent_energy_threshold(self, model) -> float:
        return self.inner.parent_energy_threshold(model)

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        """Two rows per X: rows 0…n−1 follow the χ, rows n…2n−1 the χ̄ of an independent decay."""
        closed = self._closed(model)
        if closed is not None:
            return closed
        dm = model.dark_matter
        x = self.inner.produce(parents, model, rng)
        n = len(x)
        both = np.concatenate([np.arange(n), np.arange(n)])
        xp4 = x.p4[both]
        # X decay point: exact exponential along its momentum
        p = np.linalg.norm(xp4[:, :3], axis=1)
        length = p / model.mass * model.ctau()
        ell = -length * np.log1p(-rng.random(2 * n)) if np.isfinite(model.ctau()) else np.full(2 * n, np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            direction = np.where(p[:, None] > 0, xp4[:, :3] / p[:, None], 0.0)
        vertex = x.vertex[both] + ell[:, None] * direction
        t = x.t[both] + ell / (p / xp4[:, 3] * C_M_PER_NS)
        tracked, other, w_chi, _ = aimed_two_body(xp4, vertex, dm.mass, dm.mass, self.aim, rng)
        importance = w_chi if x.importance is None else x.importance[both] * w_chi
        pdg = np.concatenate([np.full(n, dm.pdgid), np.full(n, -dm.pdgid)])
        siblings = ((-pdg, other),) + tuple((np.asarray(s_pdg)[both] if np.ndim(s_pdg) else s_pdg, s_p4[both])
                                           for s_pdg, s_p4 in x.siblings)
        return DarkParticles(
            pdg=pdg, mass=dm.mass, p4=tracked, vertex=vertex, t=t,
            weight=x.weight[both] * dm_branching_ratio(model) * w_chi,
            origin=x.origin[both], t_origin=x.t_origin[both], parent_pdg=x.parent_pdg[both],
            parent_p4=x.parent_p4[both], parent_vertex=x.parent_vertex[both], siblings=siblings,
            importance=importance, sample=x.samples[both])
