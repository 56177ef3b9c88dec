"""Heavy neutral leptons from charged-pion and kaon decays (rates: :mod:`.hnl_rates`).

Channels (one per mixing flavour α, so that each is ∝ |U_α4|² and a coupling scan reweights it
exactly for any combination of mixings):

* ``pion_decay_hnl_e``, ``pion_decay_hnl_mu``: π± → ℓ±N (two-body; parent ``pi+`` — rows with a
  negative PDG id are π⁻ and make N̄);
* ``kaon_decay_hnl_e``, ``kaon_decay_hnl_mu``: K± → ℓ±N (two-body, parent ``K+``);
* ``kaon_pi_decay_hnl_e``, ``kaon_pi_decay_hnl_mu``: K± → π⁰ℓ±N (three-body, parent ``K+``);
* ``kaon_long_decay_hnl_e``, ``kaon_long_decay_hnl_mu``: K_L → π^∓ℓ^±N (parent ``K_L``; the two charge
  modes equally, N for ℓ⁺, N̄ for ℓ⁻);
* groups ``pion_decay_hnl``, ``kaon_decay_hnl`` (two- and three-body), ``kaon_long_decay_hnl``
  (both flavours each).

Charges: a Dirac N (PDG +9900012) comes with ℓ⁺ (π⁺, K⁺ → ℓ⁺N), N̄ (−9900012) with ℓ⁻; for a
Majorana N the same codes are kept as a record of the production charge (its decays draw both
charges). Kinematics: two-body exactly in the parent rest frame (at rest E_N = (m_P² + m_N² −
m_ℓ²)/2m_P), boosted; the N direction is aimed at the detector with exact weights
(:func:`~darkbeam.production.aiming.aimed_two_body`). Three-body: (s_ℓN, s_Nπ) from the K_ℓ3
matrix element (:class:`~darkbeam.decays.dalitz.Dalitz`), then N against the (ℓπ) system of mass
√s_ℓπ is a two-body decay (aimed; the N direction is isotropic in the kaon frame and its momentum
depends on s_ℓπ alone), and the ℓπ system decays with the ℓ–N opening angle fixed by s_ℓN.
Card option ``[production.options.<channel>] parents = "at_rest" | "in_flight"`` (default in flight;
at rest for π⁺ and K⁺ stopped in a target or absorber) sets ``parent_at_rest`` / ``parent_in_flight``,
which tell the pipeline to feed the mesons at their decay points (darkbeam.sources.meson_decays);
weight = decays per POT, t = decay time.
N polarization: N from P → ℓN is polarized (helicity set by m_ℓ, m_N), but darkbeam's decay
samplers take fermions unpolarized; N decays are isotropic in its rest frame (not modelled).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..constants import mass as pdg_mass
from ..decays.dalitz import Dalitz
from ..kinematics import boost, two_body_momentum
from ..models.hnl import HNL_PDG, LEPTON_PDG
from ..scattering.kinematics import direction_at
from ..sources.parents import Parents
from . import hnl_rates
from .aiming import aimed_two_body
from .base import Channel, DarkParticles

_PARENTS = {"pion": ("pi+", "pion_decay_hnl"), "kaon": ("K+", "kaon_decay_hnl"),
            "kaon_pi": ("K+", "kaon_pi_decay_hnl"), "kaon_long": ("K_L", "kaon_long_decay_hnl")}

#: registry name → (meson kind, mixing flavour)
HNL_CHANNELS = {f"{group}_{lep}": (kind, lep) for kind, (_, group) in _PARENTS.items() for lep in ("e", "mu")}
#: card group → member channels
HNL_CHANNEL_GROUPS = {
    "pion_decay_hnl": ("pion_decay_hnl_e", "pion_decay_hnl_mu"),
    "kaon_decay_hnl": ("kaon_decay_hnl_e", "kaon_decay_hnl_mu", "kaon_pi_decay_hnl_e", "kaon_pi_decay_hnl_mu"),
    "kaon_long_decay_hnl": ("kaon_long_decay_hnl_e", "kaon_long_decay_hnl_mu"),
}


class HNLMesonDecayChannel(Channel):
    """Meson → N decays for mixing flavour ``lepton`` ('e' or 'mu'); ``meson`` 'pion', 'kaon'
    (two-body), 'kaon_pi' or 'kaon_long' (three-body) (module docstring)."""

    def __init__(self, meson: str, lepton: str, parents: str = "in_flight"):
        if meson not in _PARENTS:
            raise ValueError(f"meson must be one of {sorted(_PARENTS)}, got {meson!r}")
        if lepton not in ("e", "mu"):
            raise ValueError(f"lepton must be 'e' or 'mu', got {lepton!r}")
        if parents not in ("at_rest", "in_flight"):
            raise ValueError(f"parents must be 'at_rest' or 'in_flight', got {parents!r}")
        if parents == "at_rest" and meson == "kaon_long":
            raise ValueError("parents = 'at_rest' applies to pi+ and K+ only (a K_L does not stop)")
        #: where the mesons decay (the source contract of darkbeam.sources.meson_decays): stopped
        #: (``parent_at_rest``: isotropic, every direction that can hit is in the cone) or in flight
        self.parent_at_rest = parents == "at_rest"
        self.parent_in_flight = not self.parent_at_rest
        self.default_aim_fraction = 1.0 if self.parent_at_rest else 0.5
        self.meson_kind, self.lepton = meson, lepton
        self.parent, group = _PARENTS[meson]
        self.name = f"{group}_{lepton}"
        self.m_l = pdg_mass(LEPTON_PDG[lepton])
        self.three_body = meson in ("kaon_pi", "kaon_long")
        self.m_parent = pdg_mass({"pion": 211, "kaon": 321, "kaon_pi": 321, "kaon_long": 130}[meson])
        self.m_pi = pdg_mass(111 if meson == "kaon_pi" else 211)
        self.pion_pdg = 111 if meson == "kaon_pi" else 211

    @property
    def meson(self) -> str:
        return self.parent

    def accepts(self, model) -> bool:
        return hasattr(model, "mixings")

    def _u2(self, model) -> float:
        return float(model.mixings[self.lepton])

    def unit_branching_ratio(self, m_n: float) -> float:
        """BR per |U_α|² at m_N (GeV)."""
        if self.three_body:
            return hnl_rates.three_body_branching_ratio(self.parent, self.lepton, float(m_n))
        return float(hnl_rates.two_body_branching_ratio(self.parent, self.lepton, m_n))

    def branching_ratio(self, model) -> float:
        return self._u2(model) * self.unit_branching_ratio(model.mass)

    rate = branching_ratio

    def closed_reason(self, model) -> str | None:
        if self._u2(model) == 0:
            return f"{self.name}: |U_{self.lepton}4|^2 = 0 (zero yield)"
        if self.unit_branching_ratio(model.mass) == 0:
            return (f"{self.name}: m_N = {model.mass:.4g} GeV is above the {self.parent} decay threshold "
                    "(zero yield)")
        return None

    @cached_property
    def _dalitz_cache(self) -> dict:
        return {}

    def _dalitz(self, m_n: float) -> Dalitz:
        key = round(m_n, 12)
        if key not in self._dalitz_cache:
            m_k, m_pi, m_l = self.m_parent, self.m_pi, self.m_l
            self._dalitz_cache[key] = Dalitz(m_k, m_l, m_n, m_pi, lambda a, b: np.maximum(
                hnl_rates.k3_matrix_element(a, b, m_k, m_pi, m_l, m_n), 0.0))
        return self._dalitz_cache[key]

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        n, m_n = len(parents), model.mass
        sign = np.where(np.asarray(parents.pdg) < 0, -1, 1)
        if self.meson_kind == "kaon_long":             # K_L → π⁻ℓ⁺N (N) or π⁺ℓ⁻N̄ (N̄), half each
            sign = np.where(rng.random(n) < 0.5, 1, -1)
        # recoil system of N: the lepton (two-body) or the (ℓπ) pair of mass √s_ℓπ (three-body)
        m_rec = np.full(n, self.m_l)
        if self.three_body:
            s_ln, s_npi = self._dalitz(m_n).sample(rng, n)
            s_lpi = self.m_parent**2 + self.m_l**2 + m_n**2 + self.m_pi**2 - s_ln - s_npi
            m_rec = np.sqrt(np.maximum(s_lpi, (self.m_l + self.m_pi) ** 2))
        p_n, p_rec, w_aim, _ = aimed_two_body(parents.p4, parents.vertex, m_n, m_rec, self.aim, rng)
        l_pdg = -sign * LEPTON_PDG[self.lepton]         # ℓ⁺ with N, ℓ⁻ with N̄
        if self.three_body:
            lepton, pion = self._split_recoil(p_rec, p_n, m_rec, s_ln, m_n, rng)
            pi_pdg = -sign * self.pion_pdg if self.meson_kind == "kaon_long" else self.pion_pdg
            siblings = ((l_pdg, lepton), (pi_pdg, pion))
        else:
            siblings = ((l_pdg, p_rec),)
        return DarkParticles(
            pdg=sign * HNL_PDG, mass=m_n, p4=p_n, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * self.branching_ratio(model) * w_aim, origin=parents.vertex,
            t_origin=parents.t, parent_pdg=parents.pdg, parent_p4=parents.p4,
            parent_vertex=parents.vertex, siblings=siblings, importance=w_aim)

    def _split_recoil(self, p_sys, p_n, m_sys, s_ln, m_n, rng):
        """(ℓ, π) lab four-momenta of the (ℓπ) systems ``p_sys`` with N at ``p_n``, the ℓ–N angle
        in the system's rest frame fixed by s_ℓN = (p_ℓ + p_N)², azimuth uniform."""
        to_rest = p_sys.copy()
        to_rest[:, :3] *= -1.0
        n_rest = boost(np.ascontiguousarray(p_n), np.ascontiguousarray(to_rest))   # N in the (ℓπ) frame
        pn = np.linalg.norm(n_rest[:, :3], axis=1)
        d_n = n_rest[:, :3] / np.where(pn > 0, pn, 1.0)[:, None]
        pl = two_body_momentum(m_sys, self.m_l, self.m_pi)
        el = np.sqrt(pl * pl + self.m_l**2)
        with np.errstate(invalid="ignore", divide="ignore"):
            c = (el * n_rest[:, 3] - 0.5 * (s_ln - self.m_l**2 - m_n**2)) / (pl * pn)
        c = np.clip(np.where(np.isfinite(c), c, 1.0), -1.0, 1.0)
        d_l = direction_at(d_n, c, np.sqrt(1 - c * c), 2 * np.pi * rng.random(len(c)))
        q_l = np.column_stack([pl[:, None] * d_l, el])
        q_pi = np.column_stack([-pl[:, None] * d_l, np.sqrt(pl * pl + self.m_pi**2)])
        ps = np.ascontiguousarray(p_sys)
        return boost(np.ascontiguousarray(q_l), ps), boost(np.ascontiguousarray(q_pi), ps)
