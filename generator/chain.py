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

    weight_card: np.ndarray | None = None

    def per_sample(self, n_samples: int, weight: np.ndarray | None = None) -> np.ndarray:
        """Σ of the final weights (or of ``weight``) of each drawn sample (several tracked particles
        may share one)."""
        x = self.sig["x"]
        return np.bincount(x.samples, weights=self.weight if weight is None else weight, minlength=n_samples)


#: what the weights of :func:`evaluate` stand for
MODES = ("run", "long_lived", "card")


def evaluate(plan, channel: int, parents, rng: np.random.Generator, mode: str = "run") -> ChainPass:
    """Produce from ``parents`` with channel ``channel`` of ``plan``, apply the signal and the
    card's cuts; weights are expected events for the plan's POT (parents' weights per POT).

    ``mode`` (the warm-up's weights, :mod:`darkbeam.tuning`): ``"run"`` and ``"card"`` the run's
    weights; ``"long_lived"`` without the timing cuts, with the decay probability in its
    long-lived limit Δℓ/(βγcτ) and no survival factor for a scattering X — a shape that depends
    neither on the couplings nor on the timing window, so a run at another coupling or window
    learns the same proposal from the same streams. In ``"long_lived"`` mode the pass also keeps
    the card's weights (``weight_card``)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    made = plan.channels[channel].produce(parents, plan.model, rng)
    sig = plan.signal.apply(made, plan.detector, plan.model, rng)
    x, keep = sig["x"], sig["passed"]
    cuts = plan.card.cuts
    timed = cuts.time_window is not None or cuts.delay_min is not None
    keep_ll = keep
    if timed:
        keep = keep & timing_cut(sig["t"], sig["delay"], cuts.time_window, cuts.delay_min,
                                 reference=cuts.time_reference, vertex=sig["vtx"], pulse=plan.pulse)
    rest = sig["br"] * sig["efficiency"] * plan.pot * x.weight
    p_signal = sig["p_decay"] * sig["p_interact"] * sig["br"] * sig["efficiency"]
    weight = np.where(keep, rest * sig["p_decay"] * sig["p_interact"], 0.0)
    out = ChainPass(made, sig, weight, p_signal, keep & (weight > 0))
    if mode == "long_lived":
        p_decay = sig["p_decay"]
        if "decay_length" in sig:
            with np.errstate(divide="ignore", invalid="ignore"):
                p_decay = np.where(sig["decay_length"] > 0, (sig["l_out"] - sig["l_in"]) / sig["decay_length"], 0.0)
        p_interact = sig.get("p_interact_stable", sig["p_interact"])
        out.weight_card = weight
        out.weight = np.where(keep_ll, rest * p_decay * p_interact, 0.0)
    return out
