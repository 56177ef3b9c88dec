"""Target interaction points against scipy's truncated exponential; facility frames against the
numbers in reference/facilities.md."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from darkbeam.geometry import (
    Target,
    TargetSegment,
    dipping_beam_up,
    facility_axes,
    hall_level_rotation,
    off_axis_angle,
    rotation_from_axes,
    rotation_from_axis,
)

LAM_BE = 77.8 / 1.848 / 100  # m, PDG λ_I(Be) / ρ


def test_single_segment_matches_scipy_truncexpon():
    tgt = Target((TargetSegment(0.0, 0.7112, 0.00476, LAM_BE, "Be"),))
    z = tgt.sample_interaction_points(200_000, np.random.default_rng(1))
    assert np.all(z[:, :2] == 0.0)
    assert z[:, 2].min() >= 0.0 and z[:, 2].max() <= 0.7112
    ks = stats.kstest(z[:, 2], stats.truncexpon(b=0.7112 / LAM_BE, scale=LAM_BE).cdf)
    assert ks.pvalue > 1e-3
    # BNB: 71.12 cm of Be is 1.69 λ_I; 1 − e^{−1.689} = 0.8153
    assert tgt.interaction_probability == pytest.approx(1 - np.exp(-0.7112 / LAM_BE), rel=1e-12)
    assert tgt.interaction_probability == pytest.approx(0.8153, abs=1e-4)


def test_split_target_with_gap():
    # Mark-III-like: 9.1 cm W, 18.4 cm gap, 29.8 cm W (λ_W = 191.9/19.3 cm = 9.94 cm)
    lam = 1.919 / 19.3
    segs = (TargetSegment(-0.424, 0.091, 0.05, lam), TargetSegment(-0.149, 0.298, 0.05, lam))
    z = Target(segs).sample_interaction_points(400_000, np.random.default_rng(2))[:, 2]
    in_gap = (z > -0.333 + 1e-12) & (z < -0.149 - 1e-12)
    assert not in_gap.any()
    # fraction in the upper piece: (1 − e^{−τ1}) / (1 − e^{−τ1−τ2})
    t1, t2 = 0.091 / lam, 0.298 / lam
    p1 = -np.expm1(-t1) / -np.expm1(-t1 - t2)
    frac = np.mean(z < -0.333 + 1e-12)
    assert frac == pytest.approx(p1, abs=4 * np.sqrt(p1 * (1 - p1) / len(z)))
    # inside the lower piece the depth is exponential again (memoryless), truncated at 29.8 cm
    lower = z[z > -0.149] + 0.149
    assert stats.kstest(lower, stats.truncexpon(b=0.298 / lam, scale=lam).cdf).pvalue > 1e-3


def test_beam_spot_is_truncated_gaussian():
    sigma, radius = 0.002, 0.00476
    tgt = Target((TargetSegment(0.0, 0.7112, radius, LAM_BE),), beam_sigma=sigma)
    p = tgt.sample_interaction_points(200_000, np.random.default_rng(3))
    r = np.hypot(p[:, 0], p[:, 1])
    assert r.max() <= radius
    # P(r < σ | r < R) = (1 − e^{−1/2}) / (1 − e^{−R²/2σ²})
    want = -np.expm1(-0.5) / -np.expm1(-(radius**2) / (2 * sigma**2))
    assert np.mean(r < sigma) == pytest.approx(want, abs=0.005)


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: TargetSegment(0.0, 0.0, 0.01, 0.4), "length"),
        (lambda: TargetSegment(0.0, 1.0, -0.01, 0.4), "radius"),
        (lambda: Target((TargetSegment(0, 1, 0.1, 0.4), TargetSegment(0.5, 1, 0.1, 0.4))), "overlap"),
        (lambda: Target((TargetSegment(0, 1, 0.1, 0.4),), mode="dumpp"), "mode"),
    ],
)
def test_bad_targets(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ------------------------------------------------------------------------------- frames
def test_lbnf_hall_axes_match_reference():
    # reference/facilities.md §2b: local_z = (0, 0.10083, 0.99490), local_y = (0, 0.99490, −0.10083)
    r = hall_level_rotation(0.101)
    np.testing.assert_allclose(r[:, 2], [0, 0.10083, 0.99490], atol=1e-5)
    np.testing.assert_allclose(r[:, 1], [0, 0.99490, -0.10083], atol=1e-5)
    np.testing.assert_allclose(dipping_beam_up(0.101), r[:, 1], atol=1e-15)


def test_dipping_beam_frame_from_site_vectors():
    # site frame: Y up, Z horizontal; beam dips α below the horizontal
    a = 0.0583
    axes = facility_axes([0, -np.sin(a), np.cos(a)], up=[0, 1, 0])
    np.testing.assert_allclose(axes @ [0, 1, 0], [0, np.cos(a), -np.sin(a)], atol=1e-15)
    np.testing.assert_allclose(axes[0], [1, 0, 0], atol=1e-15)
    assert np.linalg.det(axes) == pytest.approx(1.0)


def test_vertical_beam_frame():
    # LANSCE Lujan: beam comes down (site up = +Z); x toward the detector (site +X); y = z × x
    axes = facility_axes([0, 0, -1], up=[0, 0, 1], toward=[1, 0, 0])
    np.testing.assert_allclose(axes, [[1, 0, 0], [0, -1, 0], [0, 0, -1]], atol=1e-15)
    with pytest.raises(ValueError, match="toward"):
        facility_axes([0, 0, -1], up=[0, 0, 1])


def test_rotation_helpers_and_off_axis_angle():
    r = rotation_from_axis([0, 1, 0])
    np.testing.assert_allclose(r[:, 2], [0, 1, 0])
    np.testing.assert_allclose(r.T @ r, np.eye(3), atol=1e-15)
    assert np.linalg.det(r) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="orthogonal"):
        rotation_from_axes([1, 0, 0], [0.1, 1, 0])
    # MiniBooNE via NuMI: (27.35, 78.90, 741.07) → 112.2 mrad (reference/facilities.md §2c)
    assert off_axis_angle([27.35, 78.90, 741.07]) == pytest.approx(0.1122, abs=2e-4)
