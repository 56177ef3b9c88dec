"""Monte Carlo solid angles against analytic ones; detector-directed sampling is unbiased."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam.geometry import (
    Box,
    Cylinder,
    Placement,
    Sphere,
    directed_directions,
    isotropic_directions,
)


def hit_fraction(shape, pl, apex, dirs, weight=None):
    l_in, _ = shape.intersect(apex, dirs, pl)
    w = np.ones(len(dirs)) if weight is None else weight
    x = np.where(np.isnan(l_in), 0.0, w)
    return x.mean(), x.std() / np.sqrt(len(x))


def test_isotropic_directions_are_uniform():
    d = isotropic_directions(400_000, np.random.default_rng(1))
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0, atol=1e-12)
    # uniform on the sphere: each component has mean 0 and variance 1/3
    np.testing.assert_allclose(d.mean(axis=0), 0.0, atol=4e-3)
    np.testing.assert_allclose(d.var(axis=0), 1 / 3, atol=4e-3)


def test_mc_solid_angle_of_a_sphere():
    # Ω = 2π(1 − √(1 − R²/D²)), here R = 1, D = 3
    rng = np.random.default_rng(2)
    n = 2_000_000
    frac, err = hit_fraction(Sphere(1.0), Placement([0, 0, 3.0]), np.zeros(3), isotropic_directions(n, rng))
    expected = 2 * np.pi * (1 - np.sqrt(1 - 1 / 9)) / (4 * np.pi)
    assert abs(frac - expected) < 4 * err


def test_mc_solid_angle_of_a_disk():
    # a thin cylinder seen on axis subtends the cone of its near face: a disk of radius R at d
    # Ω = 2π(1 − d/√(d² + R²)), R = 1, d = 2 (face at z = 2, thickness 1 mm)
    rng = np.random.default_rng(3)
    n = 2_000_000
    pl = Placement([0, 0, 2.0005])
    frac, err = hit_fraction(Cylinder(1.0, 0.001), pl, np.zeros(3), isotropic_directions(n, rng))
    expected = 2 * np.pi * (1 - 2 / np.sqrt(5)) / (4 * np.pi)
    assert abs(frac - expected) < 4 * err


def test_directed_sampling_stays_in_the_cone_with_the_right_weight():
    rng = np.random.default_rng(4)
    apex = rng.normal(size=(10_000, 3))
    centre, radius = np.array([20.0, 1.0, 2.0]), 2.0
    dirs, w = directed_directions(apex, centre, radius, rng)
    to_c = centre - apex
    dist = np.linalg.norm(to_c, axis=1)
    cos_angle = np.sum(dirs * to_c, axis=1) / dist
    cos_half = np.sqrt(1 - (radius / dist) ** 2)
    assert np.all(cos_angle >= cos_half - 1e-12)
    np.testing.assert_allclose(w, 0.5 * (1 - cos_half), rtol=1e-12)
    # every sampled ray hits the bounding sphere, so Σw/N is its exact solid-angle fraction
    l_in, _ = Sphere(radius).intersect(apex, dirs, Placement(centre))
    assert np.isnan(l_in).sum() == 0


def test_directed_sampling_apex_inside_falls_back_to_isotropic():
    rng = np.random.default_rng(5)
    dirs, w = directed_directions(np.zeros((1000, 3)), [0.5, 0, 0], 1.0, rng)
    assert np.all(w == 1.0)
    assert abs(dirs[:, 2].mean()) < 0.1


def test_directed_equals_isotropic_expected_count_and_is_more_efficient():
    """A 2×1×0.5 m box 20 m away at 90° (a stopped-pion-source-like setup), seen from points
    spread in a 10 cm target: the expected count (solid-angle fraction) from isotropic sampling,
    from directed sampling, and the analytic face-on rectangle value agree."""
    rng = np.random.default_rng(6)
    box, pl = Box((0.5, 2.0, 1.0)), Placement([20.0, 0.0, 0.0])
    # analytic, from the centre: the near face (2 × 1 m, half-sides a = 1, b = 0.5) at d = 19.75 m
    # Ω = 4 arcsin(ab / √((a² + d²)(b² + d²)))
    a, b, d = 1.0, 0.5, 19.75
    omega = 4 * np.arcsin(a * b / np.sqrt((a * a + d * d) * (b * b + d * d)))
    n_iso, n_dir = 4_000_000, 200_000
    apex_iso = rng.uniform(-0.05, 0.05, (n_iso, 3))
    iso, iso_err = hit_fraction(box, pl, apex_iso, isotropic_directions(n_iso, rng))
    apex_dir = rng.uniform(-0.05, 0.05, (n_dir, 3))
    dirs, w = directed_directions(apex_dir, pl.centre, box.bounding_radius(), rng)
    dire, dir_err = hit_fraction(box, pl, apex_dir, dirs, w)
    assert abs(iso - dire) < 4 * np.hypot(iso_err, dir_err)
    assert dire == pytest.approx(omega / (4 * np.pi), rel=5 * dir_err / dire)
    # efficiency gain at equal precision: ratio of per-ray variances
    gain = (iso_err**2 * n_iso) / (dir_err**2 * n_dir)
    print(f"\ndirected sampling: expected fraction {dire:.4e} ± {dir_err:.1e} "
          f"(isotropic {iso:.4e} ± {iso_err:.1e}, analytic {omega / 4 / np.pi:.4e}); "
          f"variance gain per ray {gain:.0f}")
    assert gain > 100


def test_bad_radius():
    with pytest.raises(ValueError, match="bounding radius"):
        directed_directions(np.zeros((1, 3)), [1, 0, 0], 0.0, np.random.default_rng())
