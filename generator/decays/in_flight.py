"""Decays in flight inside the detector volume.

For each dark particle X whose line crosses the detector on [ℓ_in, ℓ_out] (m from its production
vertex), with lab decay length L = βγcτ:

* the probability to decay inside is P = e^{−ℓ_in/L} − e^{−ℓ_out/L} (formulas-detection.md §5.3,
  evaluated in the expm1 form), and is carried as the event's ``p_decay`` weight;
* the decay point is drawn from the exponential truncated to the chord (exact inverse CDF, §5.4),
  so no event is rejected and the weight is exact;
* the decay X → 1 + 2 is isotropic in the X rest frame (the default of DESIGN.md: the production
  channels here do not fix X's polarization).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import C_M_PER_NS, PDG, mass
from ..kinematics import two_body_decay
from ..production.base import DarkParticles
from ..sampling import probability_in_segment, truncated_exponential

#: detectable two-body final states: name → (pdg of daughter 1, pdg of daughter 2)
FINAL_STATES = {
    "e+e-": (PDG["e-"], PDG["e+"]),
    "mu+mu-": (PDG["mu-"], PDG["mu+"]),
}


@dataclass(frozen=True)
class DecaySignal:
    """X → ``final_state`` inside ``detector``, with a visible-energy window and an efficiency."""

    final_state: str = "e+e-"
    energy_min: float = 0.0
    energy_max: float = np.inf
    efficiency: float = 1.0

    def __post_init__(self) -> None:
        if self.final_state not in FINAL_STATES:
            raise ValueError(f"unknown final state {self.final_state!r}; known: {', '.join(FINAL_STATES)}")

    def closed_reason(self, model) -> str | None:
        d1, d2 = FINAL_STATES[self.final_state]
        if model.mass <= mass(abs(d1)) + mass(abs(d2)):
            return f"decay to {self.final_state} is closed for m_X = {model.mass:.4g} GeV (zero yield)"
        return None

    def apply(self, x: DarkParticles, detector, model, rng: np.random.Generator) -> dict:
        """Event columns for the X that cross the detector (see :mod:`darkbeam.events`)."""
        l_in, l_out = detector.intersect(x.vertex, x.directions)
        x = x.select(np.isfinite(l_in))
        l_in, l_out = l_in[np.isfinite(l_in)], l_out[np.isfinite(l_out)]
        n = len(x)
        p = x.momentum
        beta_gamma = p / x.mass
        decay_length = beta_gamma * model.ctau()
        p_decay = probability_in_segment(l_in, l_out, decay_length)
        u = rng.random((n, 3))
        ell = truncated_exponential(u[:, 0], l_in, l_out, decay_length)
        vtx = x.vertex + ell[:, None] * x.directions
        beta = p / x.p4[:, 3]
        t_vtx = x.t + ell / (beta * C_M_PER_NS)
        light = np.linalg.norm(vtx - x.origin, axis=1) / C_M_PER_NS
        delay = np.maximum(t_vtx - x.t_origin - light, 0.0)

        d1, d2 = FINAL_STATES[self.final_state]
        k1, k2 = two_body_decay(x.p4, mass(abs(d1)), mass(abs(d2)), u[:, 1], u[:, 2])
        br = model.branching_ratios().get(self.final_state, 0.0)
        e_vis = k1[:, 3] + k2[:, 3]
        passed = (e_vis >= self.energy_min) & (e_vis <= self.energy_max)

        return {
            "x": x, "l_in": l_in, "l_out": l_out, "beta_gamma": beta_gamma, "p_decay": p_decay,
            "p_interact": np.ones(n), "br": np.full(n, br), "efficiency": np.full(n, self.efficiency),
            "vtx": vtx, "t": t_vtx, "delay": delay, "passed": passed,
            "products": ((d1, k1), (d2, k2)),
        }
