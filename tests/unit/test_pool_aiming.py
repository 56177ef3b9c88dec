"""Importance resampling of a parent pool (Pool with preference) is unbiased."""

from __future__ import annotations

import numpy as np

from darkbeam.sources.channel_parents import Pool, aim_preference
from darkbeam.sources.parents import Parents


def pool(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    e = rng.uniform(0.01, 1.0, n)
    p4 = np.column_stack([d * e[:, None], e])
    return Parents(np.full(n, 22, dtype=np.int32), p4, np.zeros((n, 3)), np.zeros(n),
                   rng.uniform(0.5, 1.5, n) / n)


def test_preference_is_unbiased_and_aims():
    parents = pool()
    centre, radius = np.array([20.0, 0.0, 0.0]), 1.0
    pref = aim_preference(parents, centre, radius)
    assert pref is not None and pref.max() > 10
    f = parents.p4[:, 0] ** 2                        # any function of the parents
    exact = np.sum(parents.weight * f)               # what the pool stands for
    rng = np.random.default_rng(1)
    est, aimed = [], []
    for _ in range(200):
        s = Pool(parents, pref).sample(rng, 2000)
        est.append(np.sum(s.weight * s.p4[:, 0] ** 2))
        aimed.append(np.mean(s.p4[:, 0] / s.p4[:, 3] > np.cos(np.arcsin(radius / 20) + 0.15)))
    est = np.array(est)
    assert abs(est.mean() - exact) < 4 * est.std() / np.sqrt(len(est))
    assert np.mean(aimed) > 0.3                      # ~half of the draws now fly to the detector
    uniform = Pool(parents).sample(np.random.default_rng(2), 200_000)
    assert abs(np.sum(uniform.weight * uniform.p4[:, 0] ** 2) - exact) < 0.02 * exact
