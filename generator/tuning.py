"""The warm-up: learn, before a run, how each channel should be sampled.

First, for an aimed channel (:mod:`darkbeam.production.aiming`), the aimed fraction α is chosen
among :data:`FRACTIONS` by the variance per sample it gives in one short round each (the same
parents for every candidate): α = 0 wins where the plain sample already lands in the detector
(a boosted, collimated X toward a large cone), large α where almost nothing would. Then, for every
open channel whose source can be tilted (meson spectra, photon and e± pools; not the
beam protons, which are all alike), a few short rounds draw parents, push them through the
channel, the signal and the cuts (:func:`darkbeam.chain.evaluate`), and learn a
:class:`~darkbeam.sources.importance.ParentImportance` from the weights they end with (round 0
from the plain source, each later round from the importance learned so far; all rounds pooled,
vegas-style, Lepage J. Comput. Phys. 27 (1978) 192). The result is frozen before the production
run. Which weights the warm-up learns from (``[production] tuning``, :func:`darkbeam.chain.evaluate`):

* ``"long_lived"``: the decay probability in its long-lived limit (and no survival for a
  scattering X), no timing window: a shape that depends neither on the couplings nor on the
  window — a run at any coupling or window learns the same proposal from the same streams, so a
  sample reweighted to another coupling is exactly the regenerated one (the scans generate this
  way), and one sample serves a study of windows;
* ``"card"``: the card's own weights, decay probability and timing window included — for a
  short-lived X, whose signal comes from the fastest parents, or a window that keeps a corner of
  the sample, the efficient choice (the long-lived shape favours the slow parents);
* ``"auto"`` (default): ``"card"`` when the card has a timing window or its weights are below
  half their long-lived, window-free limit on the plain source, else ``"long_lived"``.

It depends on the card and the seed only (the warm-up has random streams of its own), so a
run's output does not depend on chunking or on the number of workers, and the warm-up samples are
not part of the estimate. The measured gain — the variance per sample of the plain source over
that of the last round — is reported per channel.

Why not the ``vegas`` package here: the sources are already discretised (a (p, θ) grid of cells,
or a finite pool), and an exact weight needs the proposal's probability of each cell or entry; a
factor per coarse bin of that discretisation is what a VEGAS map would converge to for these
variables, without mapping the sources' own variables onto a hypercube.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .chain import evaluate
from .sources.importance import learn
from .timing import proton_times

#: warm-up rounds per channel
ROUNDS = 3
#: candidate aimed fractions α (the channel's own default is always tried too). Larger α bound
#: the weights less tightly (by 1/(1 − α)): on MiniBooNE χe, α = 0.9 won a 25 000-sample round
#: (relative variance 348 vs 385) and then gave an ESS of 344 against 4 062 for α = ½ in the run
FRACTIONS = (0.0, 0.5)
#: stream keys of the warm-up (far from the run's (channel, block) keys)
_KEY = 2**21
_PULSE_BLOCK = 2**30


def warmup_size(events: int) -> int:
    """Samples per warm-up round: an eighth of the run, between 2¹³ and 2¹⁶."""
    return int(min(max(events // 8, 2**13), 2**16))


def _kinematics(parents) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p3 = parents.p4[:, :3]
    p = np.linalg.norm(p3, axis=1)
    theta = np.arccos(np.clip(np.divide(p3[:, 2], p, out=np.ones_like(p), where=p > 0), -1.0, 1.0))
    return p, theta, np.arctan2(p3[:, 1], p3[:, 0])


def _relative_variance(w: np.ndarray) -> float:
    m = w.mean()
    return float(w.var() / m**2) if m > 0 else math.inf


def _round(plan, channel: int, source, n: int, key: tuple, mode: str = "long_lived") -> tuple:
    """One warm-up round: (parents, per-sample weights, the pass)."""
    seed = plan.card.run.seed
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(channel, _KEY) + key))
    parents = source.sample(rng, n)
    if plan.pulse is not None:
        parents = dataclasses.replace(
            parents, t=parents.t + proton_times(plan.pulse, seed, channel, _PULSE_BLOCK + key[-1], n))
    c = evaluate(plan, channel, parents, rng, mode)
    return parents, c.per_sample(n), c


def learn_channel(plan, channel: int, n: int, rounds: int = ROUNDS, mode: str = "long_lived") -> tuple[object, dict]:
    """(importance or None, report) for one channel of ``plan`` (see module docstring)."""
    src = plan.sources[channel]
    p_edges, t_edges, prior = src.importance_bins()
    centre, _ = plan.detector.bounding_sphere()
    phi0 = float(math.atan2(centre[1], centre[0])) if getattr(src, "symmetric", False) else None
    pooled = {k: [] for k in ("p", "theta", "phi", "w", "r_cell", "r_phi")}
    imp, rel_var = None, []
    for r in range(rounds):
        parents, w, _ = _round(plan, channel, src if imp is None else src.tilted(imp), n, (r,), mode)
        rel_var.append(_relative_variance(w))
        p, theta, phi = _kinematics(parents)
        if imp is None:
            r_cell, r_phi = np.ones(n), np.ones(n)
        else:
            r_cell = 1.0 / imp.factor_at(p, theta)
            r_phi = (np.ones(n) if imp.phi is None else
                     1.0 / (2 * math.pi * imp.phi.density(np.mod(phi - imp.phi0 + math.pi, 2 * math.pi) - math.pi)))
        for k, v in zip(pooled, (p, theta, phi, w, r_cell, r_phi)):
            pooled[k].append(v)
        cat = {k: np.concatenate(v) for k, v in pooled.items()}
        new = learn(cat["p"], cat["theta"], cat["phi"], cat["w"], cat["r_cell"], cat["r_phi"],
                    p_edges, t_edges, prior, phi0)
        if new is None:
            break
        imp = new
    report = {"warmup_samples": int(n * len(rel_var)),
              "relative_variance_plain": rel_var[0],
              "relative_variance_tuned": rel_var[-1] if len(rel_var) > 1 else None}
    if len(rel_var) > 1 and math.isfinite(rel_var[-1]) and rel_var[-1] > 0:
        report["variance_gain"] = rel_var[0] / rel_var[-1]
    return imp, report


def choose_fraction(plan, channel: int, n: int, mode: str = "long_lived") -> tuple[float, dict]:
    """The aimed fraction with the smallest variance per sample (see module docstring), and the
    relative variance of each candidate."""
    ch = plan.channels[channel]
    candidates = sorted(set(FRACTIONS) | {ch.aim.fraction})
    rel = {}
    for k, fraction in enumerate(candidates):
        trial = dataclasses.replace(plan, channels=[c.aimed_at(c.aim.with_fraction(fraction)) if i == channel
                                                    else c for i, c in enumerate(plan.channels)])
        # the same parents and streams for every candidate (common random numbers)
        _, w, _ = _round(trial, channel, plan.sources[channel], n, (1, 0), mode)
        rel[fraction] = _relative_variance(w)
    # a candidate wins only by more than rounding (runs at two couplings must choose alike)
    low = min(rel.values())
    if not math.isfinite(low):
        return ch.aim.fraction, rel
    close = [f for f in candidates if rel[f] <= low * (1 + 1e-6)]
    best = ch.aim.fraction if ch.aim.fraction in close else max(close)
    return best, rel


def weights_mode(plan, channel: int, n: int) -> tuple[str, float]:
    """``"long_lived"`` or ``"card"`` for ``[production] tuning = "auto"`` (module docstring):
    "card" when the card has a timing window or its weights fall below half their long-lived,
    window-free limit on the plain source (the X decays on its way and the signal comes from the
    fastest parents, or the window keeps a corner of the sample), with that ratio."""
    _, w_ll, c = _round(plan, channel, plan.sources[channel], n, (2, 0), "long_lived")
    w_card = c.per_sample(n, c.weight_card)
    total = w_ll.sum()
    ratio = float(w_card.sum() / total) if total > 0 else 1.0
    cuts = plan.card.cuts
    timed = cuts.time_window is not None or cuts.delay_min is not None
    return ("card" if ratio < 0.5 or timed else "long_lived"), ratio


def learn_importance(plan) -> tuple[dict[int, tuple], dict[str, dict]]:
    """What the warm-up learned per open channel — (aimed fraction or None, parent importance or
    None) — and the reports by channel name. Nothing is learned when the card asks for plain
    sampling (``[production] aim = false``); only the importance when it fixes ``aim_fraction``."""
    if not plan.card.production.aim:
        return {}, {}
    n = warmup_size(plan.card.run.events)
    learned, reports = {}, {}
    for c in plan.open_channels:
        report, fraction = {}, None
        mode = plan.card.production.tuning
        if mode == "auto":
            mode, ratio = weights_mode(plan, c, n)
            report["decay_probability_over_long_lived"] = ratio
        report["weights"] = mode
        if plan.channels[c].aim is not None and plan.card.production.aim_fraction is None:
            fraction, rel = choose_fraction(plan, c, n, mode)
            report["aim_fraction"] = fraction
            report["relative_variance_by_fraction"] = {str(k): v for k, v in rel.items()}
            plan = apply_importance(plan, {c: (fraction, None)})
        src = plan.sources[c]
        imp = None
        if hasattr(src, "tilted") and getattr(src, "tunable", True):
            imp, more = learn_channel(plan, c, n, mode=mode)
            report |= more
        reports[plan.channels[c].name] = report
        if fraction is not None or imp is not None:
            learned[c] = (fraction, imp)
    return learned, reports


def apply_importance(plan, learned: dict[int, tuple]):
    """The plan with each channel's learned aimed fraction and source importance applied."""
    sources, channels = list(plan.sources), list(plan.channels)
    for c, (fraction, imp) in learned.items():
        if fraction is not None and channels[c].aim is not None:
            channels[c] = channels[c].aimed_at(channels[c].aim.with_fraction(fraction))
        if imp is not None:
            sources[c] = sources[c].tilted(imp)
    return dataclasses.replace(plan, sources=sources, channels=channels)
