"""One pass of parents through a channel, the signal and the cuts: the weights a run sums.

Shared by the run loop (:mod:`darkbeam.run`) and the warm-up that learns where to sample
(:mod:`darkbeam.tuning`), so that both see exactly the same weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .timing import timing_cut


@dataclass
class ChainPass:
    """``made``: the channel's dark particles; ``sig``: the signal's columns for those that reached
    the detector (``sig["x"]``); ``weight``: their final weights (0 where cut); ``p_signal``: the
    signal probability × BR × efficiency before cuts; ``sel``: the rows recorded as events."""

    made: object
    sig: dict
    weight: np.ndarray
    p_signal: np.ndarray
    sel: np.ndarray

    def per_sample(self, n_samples: int) -> np.ndarray:
        """Σ of the final weights of each drawn sample (several tracked particles may share one)."""
        x = self.sig["x"]
        return np.bincount(x.samples, weights=self.weight, minlength=n_samples)


def evaluate(plan, channel: int, parents, rng: np.random.Generator, long_lived: bool = False) -> ChainPass:
    """Produce from ``parents`` with channel ``channel`` of ``plan``, apply the signal and the
    card's cuts; weights are expected events for the plan's POT (parents' weights per POT).

    ``long_lived`` (the warm-up's weights, :mod:`darkbeam.tuning`): the decay probability in its
    long-lived limit, Δℓ/(βγcτ), no survival factor for a scattering X, and no timing cuts —
    weights whose shape depends neither on the couplings nor on the timing window, so a run at
    another coupling or with another window learns the same proposal from the same streams."""
    made = plan.channels[channel].produce(parents, plan.model, rng)
    sig = plan.signal.apply(made, plan.detector, plan.model, rng)
    x, keep = sig["x"], sig["passed"]
    cuts = plan.card.cuts
    if not long_lived and (cuts.time_window is not None or cuts.delay_min is not None):
        keep = keep & timing_cut(sig["t"], sig["delay"], cuts.time_window, cuts.delay_min,
                                 reference=cuts.time_reference, vertex=sig["vtx"], pulse=plan.pulse)
    p_decay, p_interact = sig["p_decay"], sig["p_interact"]
    if long_lived:
        if "decay_length" in sig:
            with np.errstate(divide="ignore", invalid="ignore"):
                p_decay = np.where(sig["decay_length"] > 0, (sig["l_out"] - sig["l_in"]) / sig["decay_length"], 0.0)
        p_interact = sig.get("p_interact_stable", p_interact)
    p_signal = p_decay * sig["br"] * sig["efficiency"] * p_interact
    weight = np.where(keep, plan.pot * x.weight * p_signal, 0.0)
    return ChainPass(made, sig, weight, p_signal, keep & (weight > 0))
