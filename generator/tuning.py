"""The warm-up: learn, before a run, where each channel's parents should be drawn.

For every open channel whose source can be tilted (meson spectra, photon and e± pools; not the
beam protons, which are all alike), a few short rounds draw parents, push them through the
channel, the signal and the cuts (:func:`darkbeam.chain.evaluate`), and learn a
:class:`~darkbeam.sources.importance.ParentImportance` from the weights they end with (round 0
from the plain source, each later round from the importance learned so far; all rounds pooled,
vegas-style, Lepage J. Comput. Phys. 27 (1978) 192). The result is frozen before the production
run: it depends on the card and the seed only (the warm-up has random streams of its own), so a
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


def learn_channel(plan, channel: int, n: int, rounds: int = ROUNDS) -> tuple[object, dict]:
    """(importance or None, report) for one channel of ``plan`` (see module docstring)."""
    src = plan.sources[channel]
    seed = plan.card.run.seed
    p_edges, t_edges, prior = src.importance_bins()
    centre, _ = plan.detector.bounding_sphere()
    phi0 = float(math.atan2(centre[1], centre[0])) if getattr(src, "symmetric", False) else None
    pooled = {k: [] for k in ("p", "theta", "phi", "w", "r_cell", "r_phi")}
    imp, rel_var = None, []
    for r in range(rounds):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(channel, _KEY, r)))
        source = src if imp is None else src.tilted(imp)
        parents = source.sample(rng, n)
        if plan.pulse is not None:
            parents = dataclasses.replace(
                parents, t=parents.t + proton_times(plan.pulse, seed, channel, _PULSE_BLOCK + r, n))
        w = evaluate(plan, channel, parents, rng).per_sample(n)
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


def learn_importance(plan) -> tuple[dict[int, object], dict[str, dict]]:
    """Importance per open channel of ``plan`` whose source can be tilted, and the reports by
    channel name. Nothing is learned when the card asks for plain sampling (``[production]
    aim = false``)."""
    if not plan.card.production.aim:
        return {}, {}
    n = warmup_size(plan.card.run.events)
    learned, reports = {}, {}
    for c in plan.open_channels:
        src = plan.sources[c]
        if not hasattr(src, "tilted") or not getattr(src, "tunable", True):
            continue
        imp, report = learn_channel(plan, c, n)
        reports[plan.channels[c].name] = report
        if imp is not None:
            learned[c] = imp
    return learned, reports


def apply_importance(plan, learned: dict[int, object]):
    """The plan with each learned importance applied to its channel's source."""
    sources = list(plan.sources)
    for c, imp in learned.items():
        sources[c] = sources[c].tilted(imp)
    return dataclasses.replace(plan, sources=sources)
