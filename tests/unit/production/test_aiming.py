"""Detector-directed sampling (production.aiming) gives the expectations of plain sampling.

Every case is checked twice: against the plain sampler run in the same test (same expectation
within errors), and against a deterministic quadrature over the rest-frame sphere written here
with its own boost (independent of the code under test). Detectors: on axis, off axis, at 90° and
backward; parents faster and slower than the daughter in their frame, and tilted.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize

from darkbeam.kinematics import lab_momenta_along
from darkbeam.production.aiming import Aim, aimed_isotropic, aimed_polar, aimed_two_body

M_P, M1 = 0.1349768, 0.05          # π⁰ → γ A′(50 MeV)
P_STAR = (M_P**2 - M1**2) / (2 * M_P)
E_STAR = math.sqrt(P_STAR**2 + M1**2)

DETECTORS = {"on_axis": ([0.0, 0.0, 50.0], 2.0), "off_axis": ([6.0, 0.0, 50.0], 2.0),
             "perpendicular": ([0.0, 20.0, 0.0], 1.5), "backward": ([0.0, 0.0, -20.0], 1.5)}
#: parent momentum (GeV) and polar angle: fast (β = 0.99 > β* = 0.76 of the A′), slow, tilted
PARENTS = {"fast": (1.0, 0.0), "slow": (0.1, 0.0), "fast_tilted": (0.4, 0.25)}


def parents(p, theta, n):
    p4 = np.zeros((n, 4))
    p4[:, 0], p4[:, 2] = p * math.sin(theta), p * math.cos(theta)
    p4[:, 3] = math.hypot(p, M_P)
    return p4


def hits(direction, centre, radius):
    c = np.asarray(centre)
    d = np.linalg.norm(c)
    return direction @ (c / d) >= math.sqrt(1 - (radius / d) ** 2)


def axial_reference(p, centre, radius):
    """E[hit·E₁] for a parent along +z and a detector on the z axis: a 1-D integral over cos θ*
    (scipy quad between the roots of θ_lab(θ*) = the cone's edge, found with brentq)."""
    e_par = math.hypot(p, M_P)
    beta, gam = p / e_par, e_par / M_P
    forward = centre[2] > 0
    cos_edge = math.sqrt(1 - (radius / abs(centre[2])) ** 2)

    def lab(c):   # cos of the lab angle to the detector axis and the lab energy, at cos θ* = c
        pz = gam * (P_STAR * c + beta * E_STAR)
        pt = P_STAR * math.sqrt(max(0.0, 1 - c * c))
        return (pz if forward else -pz) / math.hypot(pz, pt), gam * (E_STAR + beta * P_STAR * c)

    grid = np.linspace(-1, 1, 20001)
    g = np.array([lab(c)[0] - cos_edge for c in grid])
    roots = [optimize.brentq(lambda c: lab(c)[0] - cos_edge, a, b, xtol=1e-15)
             for a, b, ga, gb in zip(grid[:-1], grid[1:], g[:-1], g[1:]) if ga * gb < 0]
    points = [-1.0, *roots, 1.0]
    total = 0.0
    for a, b in zip(points[:-1], points[1:]):
        if lab(0.5 * (a + b))[0] >= cos_edge:
            total += integrate.quad(lambda c: lab(c)[1], a, b, epsabs=0, epsrel=1e-12)[0] / 2
    return total


def quadrature_reference(p, theta, centre, radius, angular=None, n=1500):
    """E[hit·E₁·a] over the rest-frame sphere, midpoint rule in (cos θ*, φ*), boost written here.
    Axially symmetric cases (parent and detector on the z axis) use :func:`axial_reference`."""
    if theta == 0 and centre[0] == centre[1] == 0 and angular is None:
        return axial_reference(p, centre, radius)
    c = -1 + (np.arange(n) + 0.5) * 2 / n
    phi = (np.arange(2 * n) + 0.5) * math.pi / n
    cc, pp = np.meshgrid(c, phi, indexing="ij")
    s = np.sqrt(1 - cc**2)
    k = np.stack([s * np.cos(pp), s * np.sin(pp), cc], axis=-1) * P_STAR      # rest frame
    e_par = math.hypot(p, M_P)
    beta = p / e_par * np.array([math.sin(theta), 0.0, math.cos(theta)])
    gam = e_par / M_P
    b2 = beta @ beta
    bk = k @ beta
    k_lab = k + ((gam - 1) * bk / b2 + gam * E_STAR)[..., None] * beta if b2 > 0 else k
    e_lab = gam * (E_STAR + bk)
    d = k_lab / np.linalg.norm(k_lab, axis=-1)[..., None]
    a = 1.0 if angular is None else angular(k / P_STAR)
    return float(np.mean(hits(d.reshape(-1, 3), centre, radius).reshape(cc.shape) * e_lab * a))


def estimate(p, theta, centre, radius, fraction, n=300_000, seed=1, angular=None):
    rng = np.random.default_rng(seed)
    aim = None if fraction == 0 else Aim(np.array(centre), radius, fraction)
    p1, p2, w, n_star = aimed_two_body(parents(p, theta, n), np.zeros((n, 3)), M1, 0.0, aim, rng,
                                       None if angular is None else lambda ns: angular(ns))
    d = p1[:, :3] / np.linalg.norm(p1[:, :3], axis=1)[:, None]
    f = w * hits(d, centre, radius) * p1[:, 3]
    return f.mean(), f.std() / math.sqrt(n), (p1, p2, w)


@pytest.mark.parametrize("detector", DETECTORS)
@pytest.mark.parametrize("parent", PARENTS)
def test_two_body_aimed_equals_plain_and_quadrature(detector, parent):
    centre, radius = DETECTORS[detector]
    p, theta = PARENTS[parent]
    ref = quadrature_reference(p, theta, centre, radius)
    plain, plain_err, _ = estimate(p, theta, centre, radius, 0.0)
    for fraction in (0.5, 0.9):
        aimed, err, (p1, p2, w) = estimate(p, theta, centre, radius, fraction)
        assert abs(aimed - plain) < 4 * math.hypot(err, plain_err) + 1e-15
        # the quadrature's own error: the hit boundary cuts the grid (≲ 1 % of the value)
        assert abs(aimed - ref) < 4 * err + 0.01 * ref + 1e-15
        assert np.all(np.isfinite(w)) and np.all(w >= 0) and w.max() <= 1 / (1 - fraction) + 1e-9
        # four-momentum conserved, daughters on shell
        total = parents(p, theta, len(w))
        assert np.allclose(p1 + p2, total, atol=1e-12)
        m1 = np.sqrt(np.maximum(p1[:, 3] ** 2 - np.sum(p1[:, :3] ** 2, axis=1), 0))
        assert np.allclose(m1, M1, rtol=1e-6)
        m2sq = p2[:, 3] ** 2 - np.sum(p2[:, :3] ** 2, axis=1)
        assert np.allclose(m2sq, 0.0, atol=1e-9)
        if ref > 0 and detector != "on_axis":
            assert err < 0.5 * plain_err    # the point of aiming: off-axis detectors converge faster


def test_anisotropic_decay_is_aimed_exactly():
    """a(n*) = ¾(1 + (n*·ẑ)²): transverse vector → fermions (mean 1 over the sphere)."""
    def angular(ns):
        return 0.75 * (1 + ns[..., 2] ** 2)
    centre, radius = DETECTORS["perpendicular"]
    ref = quadrature_reference(0.1, 0.0, centre, radius, angular)
    plain, e0, _ = estimate(0.1, 0.0, centre, radius, 0.0, angular=angular)
    aimed, e1, (_, _, w) = estimate(0.1, 0.0, centre, radius, 0.9, angular=angular)
    assert abs(aimed - ref) < 4 * e1 + 0.01 * ref
    assert abs(aimed - plain) < 4 * math.hypot(e0, e1)
    assert w.max() <= 1.5 / (1 - 0.9) + 1e-9


def test_roots_and_jacobian():
    """Each root is a decay with the rest-frame momentum p*; dΩ*/dΩ against a finite difference of
    the lab angle θ(θ*) = atan2(p* sin θ*, γ(p* cos θ* + βE*)) for a parent along z."""
    p = 1.0
    e_par = math.hypot(p, M_P)
    beta, gam = p / e_par, e_par / M_P
    for t_star in (0.3, 1.2, 2.5):
        th = math.atan2(P_STAR * math.sin(t_star), gam * (P_STAR * math.cos(t_star) + beta * E_STAR))
        d = np.array([[math.sin(th), 0.0, math.cos(th)]])
        roots, jac = lab_momenta_along(parents(p, 0.0, 1), np.array([P_STAR]), np.array([M1]), d)
        # the root that belongs to this θ*: pz = γ(p* cos θ* + β E*) cos... compare momenta
        p_lab = math.hypot(P_STAR * math.sin(t_star), gam * (P_STAR * math.cos(t_star) + beta * E_STAR))
        k = int(np.argmin(np.abs(roots[0] - p_lab)))
        assert roots[0, k] == pytest.approx(p_lab, rel=1e-10)
        h = 1e-6

        def cos_lab(ts):
            return math.cos(math.atan2(P_STAR * math.sin(ts), gam * (P_STAR * math.cos(ts) + beta * E_STAR)))
        dcos = (cos_lab(t_star + h) - cos_lab(t_star - h)) / (math.cos(t_star + h) - math.cos(t_star - h))
        assert jac[0, k] == pytest.approx(1 / abs(dcos), rel=1e-6)
    # a slow parent has one root for every direction, the fast one none outside its cone
    back = np.array([[0.0, 0.0, -1.0]])
    roots, _ = lab_momenta_along(parents(0.05, 0.0, 1), np.array([P_STAR]), np.array([M1]), back)
    assert (roots[0] >= 0).sum() == 1
    roots, _ = lab_momenta_along(parents(1.0, 0.0, 1), np.array([P_STAR]), np.array([M1]), back)
    assert (roots[0] >= 0).sum() == 0


@pytest.mark.parametrize("fraction", [1.0, 0.5])
def test_isotropic_source_weight(fraction):
    """Hit fraction of an isotropic point source: Ω/4π = (1 − √(1 − (R/D)²))/2 exactly."""
    centre, radius = np.array([0.0, 19.3, 0.0]), 0.9
    rng = np.random.default_rng(4)
    n = 400_000
    dirs, w = aimed_isotropic(np.zeros((n, 3)), Aim(centre, radius, fraction), rng)
    f = w * hits(dirs, centre, radius)
    exact = (1 - math.sqrt(1 - (radius / 19.3) ** 2)) / 2
    assert abs(f.mean() - exact) < 4 * f.std() / math.sqrt(n) + 1e-9 * exact
    if fraction == 1.0:
        assert np.allclose(w, exact, rtol=1e-12, atol=0)


@pytest.mark.parametrize("detector", DETECTORS)
def test_polar_emission_aimed(detector):
    """Emission about +z with θ ~ e^{−θ/θ₀} on [0, π] (φ uniform): the hit probability against a
    midpoint quadrature over the cone's directions."""
    centre, radius = DETECTORS[detector]
    theta0 = 0.3
    norm = theta0 * (1 - math.exp(-math.pi / theta0))

    def density(theta, rows):
        return np.exp(-theta / theta0) / norm

    rng = np.random.default_rng(6)
    n = 300_000
    u = rng.random(n)
    theta_plain = -theta0 * np.log1p(-u * (1 - math.exp(-math.pi / theta0)))
    phi_plain = 2 * math.pi * rng.random(n)
    axis = np.tile([0.0, 0.0, 1.0], (n, 1))
    # quadrature: ∫ over θ, φ of density/(2π) inside the cone
    t = (np.arange(3000) + 0.5) * math.pi / 3000
    ph = (np.arange(3000) + 0.5) * 2 * math.pi / 3000
    tt, pp = np.meshgrid(t, ph, indexing="ij")
    d = np.stack([np.sin(tt) * np.cos(pp), np.sin(tt) * np.sin(pp), np.cos(tt)], axis=-1).reshape(-1, 3)
    ref = float(np.sum(hits(d, centre, radius).reshape(tt.shape) * density(tt, None) / (2 * math.pi))
                * (math.pi / 3000) * (2 * math.pi / 3000))
    results = {}
    for fraction in (0.0, 0.8):
        aim = None if fraction == 0 else Aim(np.array(centre), radius, fraction)
        theta, phi, w, imp = aimed_polar(axis, np.zeros((n, 3)), theta_plain, phi_plain, aim, rng, density, density)
        d = np.column_stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
        f = w * hits(d, centre, radius)
        results[fraction] = (f.mean(), f.std() / math.sqrt(n))
        assert np.all(np.isfinite(w)) and np.all(w >= 0)
        assert np.allclose(w, imp, atol=0)     # target = proposal here: the weight is the importance
    (a, ea), (b, eb) = results[0.0], results[0.8]
    assert abs(b - ref) < 4 * eb + 0.01 * ref
    assert abs(a - b) < 4 * math.hypot(ea, eb)
    if detector != "on_axis":
        assert eb < 0.3 * ea
