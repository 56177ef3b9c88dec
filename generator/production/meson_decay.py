"""Neutral pseudoscalar meson decays P → γX (P = π⁰, η, η′) for a vector X.

BR(P → γX) = 2 |F_P|² (1 − m_X²/m_P²)³ BR(P → γγ)

with F_P the model's coupling factor (ε for the dark photon). Two choices of F_P:

* ``bw='none'``: the chiral-anomaly limit F_π⁰ = 2c_u + c_d, F_η = ¾(2c_u − c_d + c_s),
  F_η′ = 3/7(2c_u − c_d − 2c_s) (arXiv:1801.04847 Eqs. 2.7–2.10 with all Breit–Wigners = 1;
  formulas-production.md §1.2), i.e. ``model.meson_factor``;
* ``bw='run'`` (default, as Darkcast) or ``'fix'``: the VMD-weighted F_P(m) of §1.3
  (:func:`darkbeam.production.vmd.meson_form_factor`), which keeps the dark-photon rate and adds
  the mass dependence for other couplings (B−L, protophobic, chargephobic …).

Sampling: with an aim (:meth:`Channel.aimed_at`) the X direction is drawn toward the detector by
:func:`darkbeam.production.aiming.aimed_two_body` (exact importance weight in ``importance``).

The power 3 comes from |p|² of the anomaly vertex (2) times the two-body phase space (1). The
η/η′ generators are those of Darkcast (θ_P = −19.47°). Kinematics: isotropic two-body decay in
the meson rest frame (summed over the X helicities); the meson's lifetime is neglected
(cτ(π⁰) = 25 nm, cτ(η) = 0.15 nm). Off-shell X* → χχ̄ (m_X > m_P) is not implemented.
"""

from __future__ import annotations

import numpy as np

from ..constants import PDG, branching_ratio_gamma_gamma, mass
from ..sources.parents import Parents
from .aiming import aimed_two_body
from .base import Channel, DarkParticles
from .vmd import BW_CHOICES, meson_form_factor


def branching_ratio(meson: str, m_x: float, coupling_factor: float | complex) -> float:
    """BR(P → γX) for coupling factor F_P (0 when m_X ≥ m_P)."""
    m_p = mass(PDG[meson])
    if m_x >= m_p:
        return 0.0
    return (2.0 * abs(coupling_factor) ** 2 * (1.0 - (m_x / m_p) ** 2) ** 3
            * branching_ratio_gamma_gamma(PDG[meson]))


def coupling_factor(meson: str, model, bw: str = "run") -> complex:
    """F_P for ``model`` (a vector mediator) with the Breit–Wigner prescription ``bw``."""
    if bw == "none":
        return model.meson_factor(meson)
    cu, cd, cs = model.coupling("u"), model.coupling("d"), model.coupling("s")
    return complex(meson_form_factor(meson, model.mass, cu, cd, cs, bw))


def check_meson_options(meson: str, bw: str, process: str) -> None:
    """The options every P → γX(*) channel takes: a neutral pseudoscalar and a BW prescription."""
    if meson not in ("pi0", "eta", "etaprime"):
        raise ValueError(f"{process} is defined for pi0, eta, etaprime, not {meson!r}")
    if bw not in BW_CHOICES:
        raise ValueError(f"bw must be one of {BW_CHOICES}, got {bw!r}")


class MesonDecayChannel(Channel):
    """P → γX with P one of ``pi0``, ``eta``, ``etaprime``; ``bw`` in run|fix|none."""

    def __init__(self, meson: str, bw: str = "run"):
        check_meson_options(meson, bw, "P → γX")
        self.parent = meson
        self.name = f"{meson}_decay"
        self.bw = bw
        self.parent_mass = mass(PDG[meson])

    @property
    def meson(self) -> str:
        """Alias of :attr:`parent` (the meson the source must provide)."""
        return self.parent

    def accepts(self, model) -> bool:
        """P → γX needs a vector X (one with quark couplings, ``meson_factor``)."""
        return hasattr(model, "meson_factor")

    def closed_reason(self, model) -> str | None:
        if model.mass >= self.parent_mass:
            return (f"{self.name}: m_X = {model.mass:.4g} GeV ≥ m_{self.meson} = "
                    f"{self.parent_mass:.4g} GeV, channel closed (zero yield)")
        return None

    def branching_ratio(self, model) -> float:
        return branching_ratio(self.meson, model.mass, coupling_factor(self.meson, model, self.bw))

    rate = branching_ratio

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        """One X per parent meson, weight = parent weight × BR(P → γX) × the aiming weight."""
        closed = self._closed(model)
        if closed is not None:
            return closed
        p_x, p_gamma, w_aim, _ = aimed_two_body(parents.p4, parents.vertex, model.mass, 0.0, self.aim, rng)
        br = self.branching_ratio(model)
        return DarkParticles(
            pdg=model.pdgid, mass=model.mass, p4=p_x, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * br * w_aim, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((PDG["gamma"], p_gamma),), importance=w_aim)
