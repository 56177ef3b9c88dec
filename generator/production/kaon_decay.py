"""K⁺ → π⁺S and K_L → π⁰S for a Higgs-mixed dark scalar (formulas-production.md §6.2).

Γ(K⁺ → π⁺S) = sin²θ/(16π m_K) · |3V_ts*V_td m_t² M²/(32π² v³)|² · λ^{1/2}(1, m_S²/m_K², m_π²/m_K²)

(Snowmass white paper, seed002a Eq. 10 = Batell–Berger–Ismail arXiv:1909.11670), with
``hadronic='mK2'``: M² = m_K² (default, as the paper), or ``'f0'``: M² = (m_K² − m_π²)·f₀,
f₀ = 1 (the ⟨π|s̄d|K⟩ matrix element; −15 %, UNVERIFIED which the paper intends; §8 item 7).
K_L: m_K → m_K⁰, m_π → m_π⁰, |V_ts*V_td| → Im(V_ts*V_td) (CP-odd; the 1/√2 of π⁰ and of K_L
cancel). BR = Γ τ/ħ with PDG lifetimes. Checks G1/G2: BR/sin²θ = 1.900×10⁻³ (K⁺, m_S → 0),
1.488×10⁻³ (0.2 GeV); K_L 1.247×10⁻³, 9.87×10⁻⁴.

Parents: K⁺ or K_L at their decay points, weight = decays per POT, t = decay time
(:mod:`darkbeam.sources.meson_decays`): ``parents = "at_rest"`` (K⁺ only: kaons stopped in the
facility's absorber or target, KDAR; S monoenergetic, E_S = (m_K² + m_S² − m_π²)/(2m_K), isotropic) or
``"in_flight"`` (the default: the target's K⁺/K⁰_L spectrum decaying in the decay pipe, no horn
focusing). Kinematics: isotropic two-body in the kaon rest frame, boosted exactly; aimed at the
detector with exact weights (:mod:`.aiming`).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import C_M_PER_NS, HBARC_GEV_M, mass
from ..sources.parents import Parents
from ._data import table
from .aiming import aimed_two_body
from .base import Channel, DarkParticles

_KAONS = {"K+": ("kaon_decay_charged", 321, 211, "tau_k_charged_s"),
          "K_L": ("kaon_decay_long", 130, 111, "tau_k_long_s")}


def kaon_branching_ratio(kaon: str, m_s: float, sin_theta: float, hadronic: str = "mK2") -> float:
    """BR(K → πS) for ``kaon`` in K+, K_L (0 when closed)."""
    _, kid, pid, tau_key = _KAONS[kaon]
    t = table("kaon_scalar")
    m_k, m_pi = mass(kid), mass(pid)
    if m_s >= m_k - m_pi:
        return 0.0
    ckm = t["v_ts"] * t["v_td"] if kaon == "K+" else t["im_vts_vtd"]
    big_m2 = m_k**2 if hadronic == "mK2" else (m_k**2 - m_pi**2)
    a, b, c = 1.0, (m_s / m_k) ** 2, (m_pi / m_k) ** 2
    lam = a * a + b * b + c * c - 2 * a * b - 2 * a * c - 2 * b * c
    amp = 3 * ckm * t["m_top"] ** 2 * big_m2 / (32 * math.pi**2 * t["vev"] ** 3)
    width = sin_theta**2 / (16 * math.pi * m_k) * amp**2 * math.sqrt(max(lam, 0.0))
    tau_ns = t[tau_key] * 1e9
    return width * tau_ns * C_M_PER_NS / HBARC_GEV_M


class KaonDecayChannel(Channel):
    """K → πS, ``kaon`` = ``'K+'`` (kaon_decay_charged) or ``'K_L'`` (kaon_decay_long)."""

    def __init__(self, kaon: str, hadronic: str = "mK2", parents: str = "in_flight"):
        if kaon not in _KAONS:
            raise ValueError(f"kaon must be one of {sorted(_KAONS)}, got {kaon!r}")
        if hadronic not in ("mK2", "f0"):
            raise ValueError(f"hadronic must be 'mK2' or 'f0', got {hadronic!r}")
        if parents not in ("at_rest", "in_flight"):
            raise ValueError(f"parents must be 'at_rest' or 'in_flight', got {parents!r}")
        if parents == "at_rest" and kaon != "K+":
            raise ValueError("parents = 'at_rest' applies to K+ only (a K_L is neutral: it does not stop)")
        #: where the kaons decay: stopped (``parent_at_rest``) or along the decay pipe
        self.parent_at_rest = parents == "at_rest"
        self.parent_in_flight = not self.parent_at_rest
        #: at rest every direction that can hit lies in the cone; in flight the defensive ½
        self.default_aim_fraction = 1.0 if self.parent_at_rest else 0.5
        self.parent = kaon
        self.name, kid, pid, _ = _KAONS[kaon]
        self.pion_pdg = pid
        self.m_k, self.m_pi = mass(kid), mass(pid)
        self.hadronic = hadronic

    @property
    def meson(self) -> str:
        return self.parent

    def accepts(self, model) -> bool:
        return hasattr(model, "sin_theta")

    def closed_reason(self, model) -> str | None:
        if model.mass >= self.m_k - self.m_pi:
            return (f"{self.name}: m_S = {model.mass:.4g} GeV ≥ m_K − m_π = {self.m_k - self.m_pi:.4g} GeV, "
                    "channel closed (zero yield)")
        if model.sin_theta == 0:
            return f"{self.name}: sin θ = 0 (zero yield)"
        return None

    def branching_ratio(self, model) -> float:
        return kaon_branching_ratio(self.parent, model.mass, model.sin_theta, self.hadronic)

    rate = branching_ratio

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        p_s, p_pi, w_aim, _ = aimed_two_body(parents.p4, parents.vertex, model.mass, self.m_pi, self.aim, rng)
        return DarkParticles(
            pdg=model.pdgid, mass=model.mass, p4=p_s, vertex=parents.vertex, t=parents.t,
            weight=parents.weight * self.branching_ratio(model) * w_aim, origin=parents.vertex,
            t_origin=parents.t, parent_pdg=parents.pdg, parent_p4=parents.p4,
            parent_vertex=parents.vertex, siblings=((self.pion_pdg, p_pi),), importance=w_aim)


