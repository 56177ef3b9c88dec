"""Decays in flight inside the detector volume.

For each dark particle X whose line crosses the detector on [ℓ_in, ℓ_out] (m from its production
vertex), with lab decay length L = βγcτ:

* the probability to decay inside is P = e^{−ℓ_in/L} − e^{−ℓ_out/L} (formulas-detection.md §5.3,
  evaluated in the expm1 form), carried as the event's ``p_decay`` weight; its log, finite even
  when P underflows (ℓ_in/L ≳ 700), is carried as ``log_p_decay`` (:mod:`.probability`);
* the decay point is drawn from the exponential truncated to the chord (exact inverse CDF, §5.4),
  so no event is rejected and the weight is exact;
* two-body decays (ℓ⁺ℓ⁻, π⁺π⁻, γγ) follow the rest-frame angular distribution of X's polarization
  (:mod:`.two_body`): with ``polarization="auto"`` (default) a vector X made in P → γX (parent π⁰,
  η, η′ with one photon sibling) decays as a transversely polarized vector, everything else
  (spin-0 X, other channels, unknown production) isotropically; ``"isotropic"`` forces isotropy;
* ``chi1e+e-`` / ``chi1mu+mu-``: χ₂ → χ₁ℓ⁺ℓ⁻ of inelastic dark matter with its matrix element
  (:mod:`.three_body`); the decaying particle is χ₂ with the width of
  :meth:`darkbeam.models.DarkMatter.chi2_width` (exact Dalitz integral);
* a heavy neutral lepton (:class:`~darkbeam.models.HeavyNeutralLepton`) decays to the model's
  visible channels (``e+e-`` is N → νe⁺e⁻ for it; ``mu pi``, ``e pi``, ``e mu``, ``nu pi0``, …) with
  the kinematics of :mod:`.hnl`;
* ``br`` is the model's branching ratio to the final state (model channel names).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..constants import C_M_PER_NS, HBARC_GEV_M, PDG, mass
from ..production.base import DarkParticles
from ..sampling import probability_in_segment, truncated_exponential
from . import hnl as _hnl
from .probability import log_probability_in_segment
from .three_body import ThreeBodyDalitz
from .two_body import PSEUDOSCALARS, helicity_axis, polarized_two_body

#: detectable two-body final states: name (= model channel name) → (pdg 1, pdg 2, daughter spin)
FINAL_STATES = {
    "e+e-": (PDG["e-"], PDG["e+"]),
    "mu+mu-": (PDG["mu-"], PDG["mu+"]),
    "pi+pi-": (PDG["pi+"], PDG["pi-"]),
    "gammagamma": (PDG["gamma"], PDG["gamma"]),
}
_SPIN = {"e+e-": "fermion", "mu+mu-": "fermion", "pi+pi-": "scalar", "gammagamma": "photon"}
#: three-body final states of inelastic dark matter: name → lepton
THREE_BODY = {"chi1e+e-": "e", "chi1mu+mu-": "mu"}
_LEPTON_PDG = {"e": 11, "mu": 13}
POLARIZATIONS = ("auto", "isotropic")


def _chi2_widths(model) -> dict[str, float]:
    dm = model.dark_matter
    c_l = {lep: model.coupling(lep) for lep in ("e", "mu")}
    return {name: dm.chi2_width(model.mass, c_l[lep], lep) for name, lep in THREE_BODY.items()}


@dataclass(frozen=True)
class DecaySignal:
    """X → ``final_state`` inside ``detector``, with a visible-energy window and an efficiency."""

    final_state: str = "e+e-"
    energy_min: float = 0.0
    energy_max: float = np.inf
    efficiency: float = 1.0
    polarization: str = "auto"

    def __post_init__(self) -> None:
        known = set(FINAL_STATES) | set(THREE_BODY) | set(_hnl.visible_final_states())
        if self.final_state not in known:
            raise ValueError(f"unknown final state {self.final_state!r}; known: "
                             f"{', '.join(list(FINAL_STATES) + list(THREE_BODY))}; for an HNL: "
                             f"{', '.join(_hnl.visible_final_states())}")
        if self.polarization not in POLARIZATIONS:
            raise ValueError(f"polarization must be one of {POLARIZATIONS}, got {self.polarization!r}")

    @property
    def three_body(self) -> bool:
        return self.final_state in THREE_BODY

    def closed_reason(self, model) -> str | None:
        if _hnl.is_hnl(model):
            if self.final_state not in _hnl.visible_final_states() or self.three_body:
                return (f"decay {self.final_state} is not an HNL final state; known: "
                        f"{', '.join(_hnl.visible_final_states())} (zero yield)")
            if model.width(self.final_state) <= 0:
                return (f"HNL decay to {self.final_state} is closed for m_N = {model.mass:.4g} GeV and the "
                        "given mixings (zero yield)")
            return None
        if self.final_state not in FINAL_STATES and not self.three_body:
            return f"decay {self.final_state} needs a heavy-neutral-lepton model (zero yield)"
        if self.three_body:
            dm = getattr(model, "dark_matter", None)
            if dm is None or dm.kind != "inelastic":
                return f"decay {self.final_state} needs inelastic dark matter in the model (zero yield)"
            ml = mass(_LEPTON_PDG[THREE_BODY[self.final_state]])
            if dm.delta <= 2 * ml:
                return (f"chi2 -> {self.final_state} is closed for splitting {dm.delta:.4g} GeV "
                        "(zero yield)")
            if model.mass <= dm.delta:
                return f"chi2 three-body decay needs m_X > delta (m_X = {model.mass:.4g} GeV)"
            return None
        d1, d2 = FINAL_STATES[self.final_state]
        if model.mass <= mass(abs(d1)) * (d1 != 22) + mass(abs(d2)) * (d2 != 22):
            return f"decay to {self.final_state} is closed for m_X = {model.mass:.4g} GeV (zero yield)"
        return None

    def ctau_and_br(self, model) -> tuple[float, float]:
        """(cτ in m of the decaying particle, branching ratio to the final state)."""
        if self.three_body:
            widths = _chi2_widths(model)
            total = sum(widths.values())
            return (HBARC_GEV_M / total if total > 0 else np.inf,
                    widths[self.final_state] / total if total > 0 else 0.0)
        return model.ctau(), model.branching_ratios().get(self.final_state, 0.0)

    def apply(self, x: DarkParticles, detector, model, rng: np.random.Generator) -> dict:
        """Event columns for the X that cross the detector (see :mod:`darkbeam.events`)."""
        l_in, l_out = detector.intersect(x.vertex, x.directions)
        hit = np.isfinite(l_in)
        x = x.select(hit)
        l_in, l_out = l_in[hit], l_out[hit]
        n = len(x)
        p = x.momentum
        beta_gamma = p / x.mass
        ctau, br = self.ctau_and_br(model)
        decay_length = beta_gamma * ctau
        p_decay = probability_in_segment(l_in, l_out, decay_length)
        log_p_decay = log_probability_in_segment(l_in, l_out, decay_length)
        u = rng.random(n)
        ell = truncated_exponential(u, l_in, l_out, decay_length)
        vtx = x.vertex + ell[:, None] * x.directions
        beta = p / x.p4[:, 3]
        t_vtx = x.t + ell / (beta * C_M_PER_NS)
        light = np.linalg.norm(vtx - x.origin, axis=1) / C_M_PER_NS
        delay = np.maximum(t_vtx - x.t_origin - light, 0.0)

        product_pdg = None
        if _hnl.is_hnl(model):
            products, e_vis = _hnl.decay_products(self.final_state, x, model, rng)
            product_pdg = [pdg for pdg, _ in products]        # per-row ids (charges follow N / N̄)
            products = tuple((0, p4) for _, p4 in products)
        elif self.three_body:
            dm = model.dark_matter
            lep = _LEPTON_PDG[THREE_BODY[self.final_state]]
            dalitz = ThreeBodyDalitz(x.mass, dm.m1, mass(lep), model.mass)
            k, q1, q2 = dalitz.decay(x.p4, rng) if n else (np.zeros((0, 4)),) * 3
            products = ((dm.pdgid, k), (lep, q1), (-lep, q2))
            e_vis = q1[:, 3] + q2[:, 3]
        else:
            d1, d2 = FINAL_STATES[self.final_state]
            m1 = 0.0 if d1 == 22 else mass(abs(d1))
            m2 = 0.0 if d2 == 22 else mass(abs(d2))
            transverse = self._transverse(x, model)
            axis = (helicity_axis(x.p4, x.parent_p4) if transverse.any()
                    else np.tile([0.0, 0.0, 1.0], (n, 1)))
            k1, k2 = polarized_two_body(x.p4, x.mass, axis, transverse, m1, m2, _SPIN[self.final_state], rng)
            products = ((d1, k1), (d2, k2))
            e_vis = k1[:, 3] + k2[:, 3]
        passed = (e_vis >= self.energy_min) & (e_vis <= self.energy_max)

        out = {
            "x": x, "l_in": l_in, "l_out": l_out, "beta_gamma": beta_gamma, "p_decay": p_decay,
            "decay_length": decay_length,
            "log_p_decay": log_p_decay,
            "p_interact": np.ones(n), "br": np.full(n, br), "efficiency": np.full(n, self.efficiency),
            "vtx": vtx, "t": t_vtx, "delay": delay, "passed": passed,
            "products": products,
        }
        if product_pdg is not None:
            out["product_pdg"] = product_pdg
        return out

    def _transverse(self, x: DarkParticles, model) -> np.ndarray:
        """Rows whose X is a transversely polarized vector (made in P → γX)."""
        from ..models import VectorMediator
        n = len(x)
        if self.polarization == "isotropic" or not isinstance(model, VectorMediator) or n == 0:
            return np.zeros(n, dtype=bool)
        one_photon = len(x.siblings) == 1 and x.siblings[0][0] == PDG["gamma"]
        if not one_photon:
            return np.zeros(n, dtype=bool)
        return np.isin(np.abs(x.parent_pdg), PSEUDOSCALARS)
