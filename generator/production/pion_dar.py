"""Stopped-pion (π-DAR) neutrinos as production channels: one channel per flavour.

A π⁺ stopped in the target decays at rest, π⁺ → μ⁺ν_μ, after T_π ~ Exp(τ_π); the μ⁺ stops and
decays at rest, μ⁺ → e⁺ν_e ν̄_μ, after a further T_μ ~ Exp(τ_μ) (formulas-detection.md §4.1–4.2;
LSND PRD 64 (2001) 112007; COHERENT Science 357 (2017) 1123). Per stopped π⁺ one ν_μ (prompt, the
29.79 MeV line), one ν_e and one ν̄_μ (delayed, Michel spectra) are emitted isotropically.

Channels (registry names in :data:`darkbeam.production.CHANNELS`)::

    pion_dar_numu      ν_μ  (PDG 14)   t = t_p + T_π             parent row: π⁺ at rest
    pion_dar_nue       ν_e  (PDG 12)   t = t_p + T_π + T_μ       parent row: μ⁺ at rest
    pion_dar_numubar   ν̄_μ (PDG −14)  t = t_p + T_π + T_μ       parent row: μ⁺ at rest
    pion_dar_neutrinos the three above (a group, expanded by :func:`expand_channels`)

Why one channel per flavour: a :class:`DarkParticles` batch has one PDG id (the scattering stage
evaluates each process for that flavour's couplings), so the three flavours are three batches.
Each channel is fed by its own N stopped π⁺ (weight = ν per flavour per POT, the facility's
``neutrinos.per_flavor_per_pot``) and returns exactly one neutrino per parent; the run loop's
block normalisation n/N (n parents in the block, N per channel) therefore gives Σ weight = ν of
that flavour per POT towards the detector, and the three channels add up to the three flavours
(no factor 3 to undo). The ν_e and ν̄_μ channels draw independent μ⁺ decays (each channel is an
unbiased estimator of its own flavour; their correlation inside one decay is irrelevant to rates).

Kinematics (exact four-momentum conservation in every event):

* ν_μ: E = (m_π² − m_μ²)/(2m_π) (:func:`darkbeam.sources.stopped_pion.nu_mu_energy`), the μ⁺
  recoils back to back with E_μ = m_π − E (on shell). Sibling: μ⁺.
* μ⁺ → e⁺ν_e ν̄_μ (V−A): |M|² ∝ (p_μ·p_νe)(p_e·p_ν̄μ), the charge conjugate of
  μ⁻ → ν_μ e⁻ ν̄_e with ⟨|M|²⟩ = 2(g_w/M_W)⁴(p_μ·p_ν̄e)(p_νμ·p_e) (Griffiths, *Introduction to
  Elementary Particles*, 2nd ed., ch. 10, "Decay of the muon"; Michel ρ = 3/4). Given p_νe both factors are fixed — p_μ·p_νe = m_μ E_νe and
  p_e·p_ν̄μ = (W² − m_e²)/2 with W² = m_μ² − 2m_μE_νe — so the e⁺ν̄_μ pair is isotropic in its own
  rest frame. The decay is therefore sampled exactly as: E_νe from the ν_e Michel spectrum
  12x²(1 − x) (x = 2E/m_μ, a Beta(3, 2) law, as :mod:`darkbeam.sources.stopped_pion`), then the
  isotropic two-body decay W → e⁺ν̄_μ. The ν̄_μ spectrum 2x²(3 − 2x) then follows (a test checks it
  against :func:`darkbeam.sources.stopped_pion.michel_nubar_mu`). The Michel spectrum neglects m_e;
  its end point is taken as (m_μ² − m_e²)/(2m_μ) so that W ≥ m_e (a 2×10⁻⁵ relative stretch).
* Directions: towards the detector with :func:`darkbeam.production.aiming.aimed_isotropic`
  (uniform in the cone around the detector's bounding sphere, exact importance weight
  w = Ω_cone/4π folded into ``weight`` and kept in ``importance``). For ν̄_μ the whole decay is
  sampled in a random orientation and rotated so that the ν̄_μ points along the sampled
  direction — exact because the decay at rest is rotation invariant. Without an aim
  (:meth:`Channel.aimed_at` not called) the directions are isotropic and the importance is 1.

Times: the parent's ``t`` is the proton time (pulse, added by the run loop); T_π and T_μ come from
:func:`darkbeam.timing.exponential_decay_times` with the PDG lifetimes of
:func:`darkbeam.timing.pion_lifetime_ns` / :func:`~darkbeam.timing.muon_lifetime_ns` (26.033 ns,
2196.98 ns). ``origin``/``t_origin`` are the stopping point and the proton time, so an event's
``delay`` (t − t_origin − L/c, with β = 1) is T_π for ν_μ and T_π + T_μ for ν_e, ν̄_μ.
Regime: decays at rest only (π/μ decay in flight and μ⁻ contaminations, 10⁻³–10⁻², are not
included); the stopping times (≲ 1 ns) and the spread of the stopping points are neglected.
"""

from __future__ import annotations

import numpy as np

from ..constants import PDG, mass
from ..kinematics import two_body_decay
from ..sampling import isotropic_directions
from ..sources.parents import Parents
from ..sources.stopped_pion import nu_mu_energy
from ..timing import exponential_decay_times, muon_lifetime_ns, pion_lifetime_ns
from .aiming import aimed_isotropic
from .base import Channel, DarkParticles, rotate_to
from .meson_dif import GROUPS as DIF_GROUPS

#: flavour name → (registry name, PDG id)
FLAVOURS = {"nu_mu": ("pion_dar_numu", 14), "nu_e": ("pion_dar_nue", 12),
            "nu_mu_bar": ("pion_dar_numubar", -14)}
#: channel groups: a name in a card that stands for several channels
CHANNEL_GROUPS = {"pion_dar_neutrinos": tuple(name for name, _ in FLAVOURS.values()), **DIF_GROUPS}


def expand_channels(names: list[str]) -> list[str]:
    """Card channel names with the groups of :data:`CHANNEL_GROUPS` replaced by their members
    (order kept, duplicates dropped)."""
    out: list[str] = []
    for name in names:
        for member in CHANNEL_GROUPS.get(name, (name,)):
            if member not in out:
                out.append(member)
    return out


def michel_nu_e_energies(rng: np.random.Generator, n: int) -> np.ndarray:
    """n ν_e energies (GeV) of μ⁺ decays at rest: x = E/E_max ~ 12x²(1 − x) = Beta(3, 2)
    (formulas-detection.md §4.1), E_max = (m_μ² − m_e²)/(2m_μ) (see module docstring)."""
    m_mu, m_e = mass(PDG["mu+"]), mass(PDG["e+"])
    return (m_mu * m_mu - m_e * m_e) / (2.0 * m_mu) * rng.beta(3.0, 2.0, n)


def muon_decays_at_rest(rng: np.random.Generator, nu_e_directions: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact V−A decays μ⁺ → e⁺ν_e ν̄_μ at rest with the ν_e along ``nu_e_directions`` (n, 3).

    Returns the four-momenta (n, 4) (px, py, pz, E; GeV) of ν_e, e⁺ and ν̄_μ; they add up to
    (0, 0, 0, m_μ). See the module docstring for the derivation.
    """
    n = len(nu_e_directions)
    m_mu, m_e = mass(PDG["mu+"]), mass(PDG["e+"])
    e_nu = michel_nu_e_energies(rng, n)
    p_nue = np.empty((n, 4))
    p_nue[:, :3] = e_nu[:, None] * nu_e_directions
    p_nue[:, 3] = e_nu
    w = -p_nue
    w[:, 3] = m_mu - e_nu
    u = rng.random((n, 2))
    p_e, p_nubar = two_body_decay(w, m_e, 0.0, u[:, 0], u[:, 1])
    return p_nue, p_e, p_nubar


def _rotate_onto(vectors: np.ndarray, d_from: np.ndarray, d_to: np.ndarray) -> np.ndarray:
    """Apply to ``vectors`` (n, 3) the rotation that takes the unit vectors ``d_from`` to ``d_to``
    (through the orthonormal frames of :func:`~darkbeam.production.base.rotate_to`)."""
    n = len(d_from)
    e1 = rotate_to(d_from, np.tile([1.0, 0.0, 0.0], (n, 1)))
    e2 = rotate_to(d_from, np.tile([0.0, 1.0, 0.0], (n, 1)))
    local = np.stack([np.sum(vectors * e1, axis=1), np.sum(vectors * e2, axis=1),
                      np.sum(vectors * d_from, axis=1)], axis=1)
    return rotate_to(d_to, local)


class PionDARNeutrinoChannel(Channel):
    """One neutrino flavour of the π-DAR chain (``flavour`` = ``'nu_mu'``, ``'nu_e'`` or
    ``'nu_mu_bar'``); see the module docstring. Parents: stopped π⁺ (``parent = 'pi+'``,
    ``parent_at_rest = True``), weight = ν of each flavour per POT.

    With an aim (:meth:`Channel.aimed_at`, the pipeline passes the detector's bounding sphere) the
    neutrinos are drawn in the cone toward it (:func:`darkbeam.production.aiming.aimed_isotropic`);
    without, the emission is isotropic.
    """

    parent = "pi+"
    #: the source must give π⁺ at rest (stopped), not the in-flight π⁺ spectrum
    parent_at_rest = True
    default_aim_fraction = 1.0   # at rest: every direction that can hit lies in the cone

    def __init__(self, flavour: str):
        if flavour not in FLAVOURS:
            raise ValueError(f"flavour must be one of {list(FLAVOURS)}, got {flavour!r}")
        self.flavour = flavour
        self.name, self.produced_pdg = FLAVOURS[flavour]

    def accepts(self, model) -> bool:
        """Any model: the neutrinos are Standard Model; the signal stage uses the couplings."""
        return True

    def closed_reason(self, model) -> str | None:
        return None

    def rate(self, model=None) -> float:
        """Neutrinos of this flavour per stopped π⁺ (= 1)."""
        return 1.0

    branching_ratio = rate

    def _directions(self, vertex: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        return aimed_isotropic(vertex, self.aim, rng)

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        n = len(parents)
        dirs, w_dir = self._directions(parents.vertex, rng)
        t = parents.t + exponential_decay_times(rng, n, pion_lifetime_ns())
        m_pi, m_mu = mass(PDG["pi+"]), mass(PDG["mu+"])
        if self.flavour == "nu_mu":
            e = nu_mu_energy()
            p_x = np.empty((n, 4))
            p_x[:, :3] = e * dirs
            p_x[:, 3] = e
            p_mu = -p_x
            p_mu[:, 3] = m_pi - e
            siblings = ((PDG["mu+"], p_mu),)
            parent_pdg, parent_p4 = parents.pdg, parents.p4
        else:
            t = t + exponential_decay_times(rng, n, muon_lifetime_ns())
            parent_pdg = np.full(n, PDG["mu+"], dtype=np.int32)
            parent_p4 = np.zeros((n, 4))
            parent_p4[:, 3] = m_mu
            if self.flavour == "nu_e":
                p_x, p_e, p_other = muon_decays_at_rest(rng, dirs)
                siblings = ((PDG["e+"], p_e), (-PDG["nu_mu"], p_other))
            else:
                u = rng.random((n, 2))
                p_other, p_e, p_x = muon_decays_at_rest(rng, isotropic_directions(u[:, 0], u[:, 1]))
                d_x = p_x[:, :3] / np.linalg.norm(p_x[:, :3], axis=1)[:, None]
                p_other[:, :3] = _rotate_onto(p_other[:, :3], d_x, dirs)
                p_e[:, :3] = _rotate_onto(p_e[:, :3], d_x, dirs)
                p_x[:, :3] = np.linalg.norm(p_x[:, :3], axis=1)[:, None] * dirs
                siblings = ((PDG["e+"], p_e), (PDG["nu_e"], p_other))
        return DarkParticles(
            pdg=self.produced_pdg, mass=0.0, p4=p_x, vertex=parents.vertex, t=t,
            weight=parents.weight * w_dir, origin=parents.vertex, t_origin=parents.t,
            parent_pdg=parent_pdg, parent_p4=parent_p4, parent_vertex=parents.vertex,
            siblings=siblings, importance=w_dir)
