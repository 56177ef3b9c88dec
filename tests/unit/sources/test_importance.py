"""Learned importance over the parents (sources.importance) keeps every estimate unbiased.

References are computed here independently of the samplers: exact sums over a finite pool, its
average over rotations about the beam axis, and scipy integrals of a grid source's density.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate

from darkbeam.sampling import PiecewiseDensity
from darkbeam.sources.channel_parents import Pool
from darkbeam.sources.grid_sampler import GridSampler
from darkbeam.sources.importance import N_PHI, ParentImportance, learn
from darkbeam.sources.parents import Parents


def pool(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    e = rng.uniform(0.01, 1.0, n)
    p4 = np.column_stack([d * e[:, None], e])
    vertex = np.column_stack([rng.normal(0, 0.1, n), rng.normal(0, 0.1, n), rng.uniform(0, 1, n)])
    return Parents(np.full(n, 22, dtype=np.int32), p4, vertex, np.zeros(n), rng.uniform(0.5, 1.5, n) / n)


def _importance(p_edges, t_edges):
    """A deliberately lopsided importance: ×8 in one (p, θ) bin, a peaked Δφ density at 1 rad."""
    factor = np.ones((len(p_edges) - 1, len(t_edges) - 1))
    factor[2, 3] = 8.0
    edges = np.linspace(-math.pi, math.pi, N_PHI + 1)
    mid = 0.5 * (edges[1:] + edges[:-1])
    return ParentImportance(p_edges, t_edges, factor, PiecewiseDensity(edges, 0.05 + np.exp(-mid**2 / 0.1)), 1.0)


def _repeat(sample, f, n_rep=200):
    """Mean and its error of Σ weight·f over ``n_rep`` independent draws ``sample(k)``."""
    vals = []
    for k in range(n_rep):
        s = sample(k)
        vals.append(np.sum(s.weight * f(s)))
    vals = np.array(vals)
    return vals.mean(), vals.std() / math.sqrt(n_rep)


def test_preference_resampling_is_unbiased():
    parents = pool()
    pref = 1.0 + 50.0 * (parents.p4[:, 0] > 0.5)       # any positive preference
    exact = np.sum(parents.weight * parents.p4[:, 0] ** 2)
    mean, err = _repeat(lambda k: Pool(parents, pref).sample(np.random.default_rng(k), 2000),
                        lambda s: s.p4[:, 0] ** 2)
    assert abs(mean - exact) < 4 * err


def test_tilted_symmetric_pool_is_unbiased_for_azimuth_dependent_functions():
    parents = pool()
    base = Pool(parents, symmetric=True)
    p_edges, t_edges, prior = base.importance_bins()
    assert prior.shape == (16, 16) and abs(prior.sum() - 1) < 1e-12
    imp = _importance(p_edges, t_edges)
    tilted = base.tilted(imp)
    # exact average over rotations about z of Σ w (p_x + x)²: ½ Σ w (p_T² + r_T² + 2 p_T·r_T)
    pt2 = parents.p4[:, 0] ** 2 + parents.p4[:, 1] ** 2
    rt2 = parents.vertex[:, 0] ** 2 + parents.vertex[:, 1] ** 2
    cross = parents.p4[:, 0] * parents.vertex[:, 0] + parents.p4[:, 1] * parents.vertex[:, 1]
    exact = 0.5 * np.sum(parents.weight * (pt2 + rt2 + 2 * cross))
    mean, err = _repeat(lambda k: tilted.sample(np.random.default_rng(k), 4000),
                        lambda s: (s.p4[:, 0] + s.vertex[:, 0]) ** 2)
    assert abs(mean - exact) < 4 * err
    # and it does move the samples: most azimuths now lie near φ0 = 1 rad
    s = tilted.sample(np.random.default_rng(7), 20000)
    near = np.abs(np.mod(np.arctan2(s.p4[:, 1], s.p4[:, 0]) - 1.0 + math.pi, 2 * math.pi) - math.pi) < 0.5
    assert near.mean() > 0.5


def test_tilted_grid_sampler_is_unbiased():
    def density(p, theta):
        return p**2 * np.exp(-3 * p) * np.exp(-theta / 0.3)

    grid = GridSampler(density, p_max=4.0, theta_max=math.pi / 2, n_p=64, n_theta=64)
    p_edges, t_edges, prior = grid.importance_bins()
    tilted = grid.tilted(_importance(p_edges, t_edges))
    # reference: ∫ f·p cosθ dp dΩ / ∫ f dp dΩ with scipy
    num = integrate.dblquad(lambda t, p: density(p, t) * p * math.cos(t) * 2 * math.pi * math.sin(t),
                            0, 4, 0, math.pi / 2)[0]
    den = integrate.dblquad(lambda t, p: density(p, t) * 2 * math.pi * math.sin(t), 0, 4, 0, math.pi / 2)[0]
    rng = np.random.default_rng(3)
    p, theta, phi, w = tilted.sample(rng, 2_000_000)
    est = np.mean(w * p * np.cos(theta))
    err = np.std(w * p * np.cos(theta)) / math.sqrt(len(w))
    assert abs(np.mean(w) - 1) < 5 * np.std(w) / math.sqrt(len(w))
    assert abs(est - num / den) < 4 * err
    # the favoured bin is sampled more than the plain sampler does
    in_bin = (p >= p_edges[2]) & (p < p_edges[3]) & (theta >= t_edges[3]) & (theta < t_edges[4])
    p0, t0, _, _ = grid.sample(np.random.default_rng(4), 2_000_000)
    in_bin0 = (p0 >= p_edges[2]) & (p0 < p_edges[3]) & (t0 >= t_edges[3]) & (t0 < t_edges[4])
    assert in_bin.mean() > 4 * in_bin0.mean()


def test_learn_favours_where_the_weight_is():
    rng = np.random.default_rng(5)
    n = 50_000
    p, theta, phi = rng.uniform(0, 4, n), rng.uniform(0, 1.5, n), rng.uniform(-math.pi, math.pi, n)
    w = np.where((p > 2) & (p < 2.5) & (np.abs(phi - 2.0) < 0.3), 1.0, 0.0)
    p_edges, t_edges = np.linspace(0, 4, 9), np.linspace(0, 1.5, 4)
    prior = np.full((8, 3), 1 / 24)
    imp = learn(p, theta, phi, w, np.ones(n), np.ones(n), p_edges, t_edges, prior, phi0=2.0)
    assert abs(np.sum(prior * imp.factor) - 1) < 1e-12
    assert imp.factor[4].min() > 3 * imp.factor[0].max()        # the 2–2.5 GeV bin dominates
    assert imp.factor.min() > 0                                  # the defensive floor keeps q > 0
    assert imp.phi.density(np.array([0.0]))[0] > 5 * imp.phi.density(np.array([2.5]))[0]
    assert learn(p, theta, phi, 0 * w, np.ones(n), np.ones(n), p_edges, t_edges, prior, 2.0) is None


def test_pool_units():
    """A sampled pool labels each draw with its unit (the entry's family); an exact list does not."""
    parents = pool(n=100)
    fam = Parents(parents.pdg, parents.p4, parents.vertex, parents.t, parents.weight, np.arange(100) // 2)
    draws = Pool(fam).sample(np.random.default_rng(0), 1000)
    # each draw's unit is the family of the entry it copies (the entries' p_x are all distinct)
    entry = np.array([np.flatnonzero(fam.p4[:, 0] == px)[0] for px in draws.p4[:, 0]])
    assert np.array_equal(draws.index, entry // 2)
    assert Pool(parents, sampled=False).sample(np.random.default_rng(0), 10).index is None
