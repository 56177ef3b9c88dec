"""Standard-model neutrinos from π± and K± decaying in flight (or at rest): π → μν, K → μν.

The parents are the mesons at their decay points (:mod:`darkbeam.sources.meson_decays`: the target spectrum
decaying in the facility's decay pipe — **no horn focusing** — or a beam simulation's decay-point file with the
focused flux); weight = decays per POT, t = decay time. Each parent decays P → μν with the PDG branching
ratio; the neutrino is drawn in the P rest frame isotropically (spin 0) toward the detector
(:func:`darkbeam.production.aiming.aimed_two_body`, exact importance weight) and boosted exactly, so
E_ν = (m_P² − m_μ²)/(2m_P) at rest and E_ν = γ(1 + β cos θ*)·(m_P² − m_μ²)/(2m_P) in flight.

Branching ratios (PDG RPP 2024 summary tables): BR(π⁺ → μ⁺ν_μ) = 0.999877, BR(K⁺ → μ⁺ν_μ) = 0.6356; charge
conjugates for π⁻, K⁻ (ν̄_μ). Not included (yet): K_e3/K_μ3, K⁰_L semileptonic decays and μ decays in flight
(ν_e and the rest of ν̄_μ/ν_μ), a few per cent of the ν_μ flux of a horn beam and most of its ν_e.

Channels (registry names)::

    pion_dif_numu      π⁺ → μ⁺ν_μ   (PDG 14)     kaon_dif_numu      K⁺ → μ⁺ν_μ   (PDG 14)
    pion_dif_numubar   π⁻ → μ⁻ν̄_μ  (PDG −14)    kaon_dif_numubar   K⁻ → μ⁻ν̄_μ  (PDG −14)
    meson_dif_neutrinos  the four (a group)

Output: the neutrino as the channel's particle (``produced_pdg``) for the CEvNS and ν–e scattering signals.
"""

from __future__ import annotations

from ..constants import mass
from ..sources.parents import Parents
from .aiming import aimed_two_body
from .base import Channel, DarkParticles

#: registry name → (parent name, parent PDG, neutrino PDG, charged-lepton PDG, BR)
CHANNELS = {
    "pion_dif_numu": ("pi+", 211, 14, -13, 0.999877),
    "pion_dif_numubar": ("pi-", -211, -14, 13, 0.999877),
    "kaon_dif_numu": ("K+", 321, 14, -13, 0.6356),
    "kaon_dif_numubar": ("K-", -321, -14, 13, 0.6356),
}
GROUPS = {"meson_dif_neutrinos": tuple(CHANNELS)}


class MesonNeutrinoChannel(Channel):
    """P → μν_μ for P = π±, K± at their decay points (see the module docstring)."""

    #: the source must give the mesons at their decay points in the decay pipe
    parent_in_flight = True
    default_aim_fraction = 0.5

    def __init__(self, name: str):
        if name not in CHANNELS:
            raise ValueError(f"unknown meson → ν channel {name!r}; known: {', '.join(CHANNELS)}")
        self.name = name
        self.parent, self.parent_pdg, self.produced_pdg, self.lepton_pdg, self.br = CHANNELS[name]
        self.m_mu = mass(13)

    def accepts(self, model) -> bool:
        """Any model: the neutrinos are Standard Model."""
        return True

    def rate(self, model=None) -> float:
        """BR(P → μν)."""
        return self.br

    branching_ratio = rate

    def produce(self, parents: Parents, model, rng) -> DarkParticles:
        p_nu, p_mu, w_aim, _ = aimed_two_body(parents.p4, parents.vertex, 0.0, self.m_mu, self.aim, rng)
        return DarkParticles(
            pdg=self.produced_pdg, mass=0.0, p4=p_nu, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * self.br * w_aim, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
            siblings=((self.lepton_pdg, p_mu),), importance=w_aim)


def flux_through_sphere(particles: DarkParticles, centre, radius: float) -> float:
    """Neutrinos per POT per cm² through a sphere (``centre`` (3,) m, ``radius`` m): Σ weight of the rays
    that meet it divided by its cross-section πR² (the flux averaged over the sphere's face). Weights are
    per POT for the sample they come from."""
    import numpy as np

    d = particles.directions
    rel = np.asarray(centre, dtype=float) - particles.vertex
    along = np.einsum("ij,ij->i", rel, d)
    miss2 = np.einsum("ij,ij->i", rel, rel) - along**2
    hit = (along > 0) & (miss2 <= radius * radius)
    return float(particles.weight[hit].sum() / (np.pi * radius * radius * 1e4))
