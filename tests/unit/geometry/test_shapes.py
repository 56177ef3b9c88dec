"""Ray intersection against chords computed by hand (see each test's comment)."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam.geometry import (
    Box,
    Cylinder,
    Placement,
    Sphere,
    Union,
    hall_level_rotation,
    rotation_from_axis,
)

S2, S3 = np.sqrt(2.0), np.sqrt(3.0)
ID = Placement([0.0, 0.0, 0.0])


def chord(shape, o, d, placement=ID):
    d = np.asarray(d, float)
    d = d / np.linalg.norm(d)
    l_in, l_out = shape.intersect(np.array([o], float), np.array([d]), placement)
    return float(l_in[0]), float(l_out[0])


def assert_chord(got, want, rel=1e-12, abs_=1e-12):
    assert got == pytest.approx(want, rel=rel, abs=abs_)


def assert_miss(got):
    assert np.isnan(got[0]) and np.isnan(got[1])


# ------------------------------------------------------------------------------------ box
class TestBox:
    box = Box((2.0, 4.0, 6.0))
    pl = Placement([1.0, 2.0, 3.0])

    def test_along_each_axis(self):
        # faces at x ∈ [0, 2], y ∈ [0, 4], z ∈ [0, 6]
        assert_chord(chord(self.box, (-10, 2, 3), (1, 0, 0), self.pl), (10.0, 12.0))
        assert_chord(chord(self.box, (1, -10, 3), (0, 1, 0), self.pl), (10.0, 14.0))
        assert_chord(chord(self.box, (1, 2, -10), (0, 0, 1), self.pl), (10.0, 16.0))
        assert_chord(chord(self.box, (1, 2, 20), (0, 0, -1), self.pl), (14.0, 20.0))

    def test_space_diagonal(self):
        # cube of side 2 at the origin, ray from (-5,-5,-5) along (1,1,1): enters at (-1,-1,-1)
        # after 4√3, leaves at (1,1,1) after 6√3
        assert_chord(chord(Box((2, 2, 2)), (-5, -5, -5), (1, 1, 1)), (4 * S3, 6 * S3))

    def test_starting_inside_and_behind(self):
        assert_chord(chord(self.box, (1, 2, 3), (0, 0, 1), self.pl), (0.0, 3.0))
        assert_chord(chord(self.box, (0.5, 2, 3), (-1, 0, 0), self.pl), (0.0, 0.5))
        assert_miss(chord(self.box, (1, 2, 10), (0, 0, 1), self.pl))

    def test_parallel_to_faces(self):
        # in the slab |y| ≤ 1 → hits; just outside → misses; in the face plane → closed set, hits
        cube = Box((2, 2, 2))
        assert_chord(chord(cube, (-5, 0.5, 0), (1, 0, 0)), (4.0, 6.0))
        assert_miss(chord(cube, (-5, 1.0 + 1e-9, 0), (1, 0, 0)))
        assert_chord(chord(cube, (-5, 1.0, 0), (1, 0, 0)), (4.0, 6.0))

    def test_grazing_a_corner_is_a_miss(self):
        # (t/√2, 2 − t/√2, 1) touches the cube only at the corner (1, 1, 1)
        assert_miss(chord(Box((2, 2, 2)), (0, 2, 1), (1, -1, 0)))

    def test_rotated_quarter_turn(self):
        # local x = facility y, local y = −facility x: extent along facility x is the local y size
        rot = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
        assert_chord(chord(self.box, (-10, 0, 0), (1, 0, 0), Placement([0, 0, 0], rot)), (8.0, 12.0))
        assert_chord(chord(self.box, (0, -10, 0), (0, 1, 0), Placement([0, 0, 0], rot)), (9.0, 11.0))

    def test_hall_level_box_under_dipping_beam(self):
        # ND-LAr-like 7×3×5 m box, hall level, beam dips 0.101 rad: along the beam the chord is
        # limited by the 5 m faces crossed at angle α: half-chord 2.5/cos α (1.5/sin α = 14.9 m)
        a = 0.101
        pl = Placement([0, 0, 574.0], hall_level_rotation(a))
        h = 2.5 / np.cos(a)
        assert_chord(chord(Box((7, 3, 5)), (0, 0, 0), (0, 0, 1), pl), (574 - h, 574 + h), rel=1e-13)

    def test_far_detector_precision(self):
        # SBND box at (0.7378, 0, 110) m, ray parallel to z through the centre
        pl = Placement([0.7378, 0.0, 110.0])
        assert_chord(chord(Box((4, 4, 5)), (0.7378, 0, 0), (0, 0, 1), pl), (107.5, 112.5))


# ------------------------------------------------------------------------------- cylinder
class TestCylinder:
    cyl = Cylinder(1.0, 4.0)  # axis z, z ∈ [−2, 2]

    def test_across_the_side(self):
        assert_chord(chord(self.cyl, (-5, 0, 0), (1, 0, 0)), (4.0, 6.0))
        # impact parameter 0.6: half-chord √(1 − 0.36) = 0.8
        assert_chord(chord(self.cyl, (-5, 0.6, 0), (1, 0, 0)), (4.2, 5.8))

    def test_along_and_parallel_to_the_axis(self):
        assert_chord(chord(self.cyl, (0, 0, -10), (0, 0, 1)), (8.0, 12.0))
        assert_chord(chord(self.cyl, (0.5, 0.5, -10), (0, 0, 1)), (8.0, 12.0))
        assert_miss(chord(self.cyl, (1.5, 0, -10), (0, 0, 1)))

    def test_tangent_is_a_miss(self):
        assert_miss(chord(self.cyl, (-5, 1.0, 0), (1, 0, 0)))

    def test_oblique_from_inside_leaves_through_the_side(self):
        # from the centre at 45°: side x = 1 at √2, cap z = 2 at 2√2
        assert_chord(chord(self.cyl, (0, 0, 0), (1, 0, 1)), (0.0, S2))
        # at 20° from the axis the cap comes first: 2 / cos 20°
        t = np.radians(20.0)
        assert_chord(chord(self.cyl, (0, 0, 0), (np.sin(t), 0, np.cos(t))), (0.0, 2 / np.cos(t)))

    def test_through_side_and_cap(self):
        # from (−3, 0, −1) along (1, 0, 1)/√2: side x = −1 at t = 2√2 (z = 1), cap z = 2 at 3√2
        assert_chord(chord(self.cyl, (-3, 0, -1), (1, 0, 1)), (2 * S2, 3 * S2))

    def test_any_axis(self):
        # axis (1,1,0)/√2 through (10,0,0), r = 1, long: a ray along x through the centre has
        # perpendicular distance |t − 10|/√2 from the axis → chord 10 ∓ √2
        pl = Placement([10.0, 0, 0], rotation_from_axis([1, 1, 0]))
        assert_chord(chord(Cylinder(1.0, 40.0), (0, 0, 0), (1, 0, 0), pl), (10 - S2, 10 + S2), rel=1e-12)
        # axis along x (a cylinder lying across the beam): a ray along z crosses the diameter
        pl = Placement([0, 0, 19.3], rotation_from_axis([1, 0, 0]))
        assert_chord(chord(Cylinder(0.08, 0.16), (0, 0, 0), (0, 0, 1), pl), (19.22, 19.38), rel=1e-12)

    def test_nearly_parallel_ray(self):
        # direction (ε, 0, 1): the quadratic coefficient is ε²; the caps decide the chord
        eps = 1e-9
        l = chord(self.cyl, (0, 0, -10), (eps, 0, 1))
        assert_chord(l, (8.0, 12.0), rel=1e-9)


# --------------------------------------------------------------------------------- sphere
class TestSphere:
    sph = Sphere(2.0)
    pl = Placement([0, 0, 10.0])

    def test_central_and_offset(self):
        assert_chord(chord(self.sph, (0, 0, 0), (0, 0, 1), self.pl), (8.0, 12.0))
        # impact 1.2: half-chord √(4 − 1.44) = 1.6
        assert_chord(chord(self.sph, (1.2, 0, 0), (0, 0, 1), self.pl), (8.4, 11.6))

    def test_tangent_inside_behind(self):
        assert_miss(chord(self.sph, (2.0, 0, 0), (0, 0, 1), self.pl))
        assert_chord(chord(self.sph, (0, 0, 10), (1, 0, 0), self.pl), (0.0, 2.0))
        assert_miss(chord(self.sph, (0, 0, 13), (0, 0, 1), self.pl))

    def test_miniboone_distance_precision(self):
        # tank R = 6.096 m at 541.34 m, impact 5 m: 541.34 ∓ √(6.096² − 25)
        h = np.sqrt(6.096**2 - 25.0)
        l = chord(Sphere(6.096), (5.0, 0, 0), (0, 0, 1), Placement([0, 0, 541.34]))
        assert_chord(l, (541.34 - h, 541.34 + h), rel=1e-13)


# ---------------------------------------------------------------------------------- union
class TestUnion:
    # ICARUS: two 3.0 × 3.16 × 17.95 m modules at x = ∓2.10215 m, centre z = 600 m
    mod = Box((3.0, 3.16, 17.95))
    icarus = Union(((mod, Placement([-2.10215, 0, 0])), (mod, Placement([2.10215, 0, 0]))))
    pl = Placement([0, 0, 600.0])

    def test_one_module_along_the_beam(self):
        assert_chord(chord(self.icarus, (-2.0, 0, 0), (0, 0, 1), self.pl), (591.025, 608.975))
        assert_chord(chord(self.icarus, (2.0, 0, 0), (0, 0, 1), self.pl), (591.025, 608.975))

    def test_gap_is_a_miss(self):
        assert_miss(chord(self.icarus, (0.0, 0, 0), (0, 0, 1), self.pl))

    def test_across_both_modules(self):
        o, d = np.array([[-10.0, 0, 600]]), np.array([[1.0, 0, 0]])
        l_in, l_out = self.icarus.intersect(o, d, self.pl)
        assert_chord((l_in[0], l_out[0]), (10 - 3.60215, 10 + 3.60215))
        seg = self.icarus.segments(o, d, self.pl)[0]
        np.testing.assert_allclose(seg, [[6.39785, 9.39785], [10.60215, 13.60215]], rtol=1e-12)
        assert self.icarus.path_length(o, d, self.pl)[0] == pytest.approx(6.0)

    def test_overlapping_parts_rejected(self):
        with pytest.raises(ValueError, match="overlap"):
            Union(((self.mod, Placement([0, 0, 0])), (self.mod, Placement([1.0, 0, 0]))))


# ---------------------------------------------------- random rays: end points on the surface
@pytest.mark.parametrize(
    "shape,surface",
    [
        (Box((2.0, 4.0, 6.0)), lambda p: np.max(np.abs(p) / [1.0, 2.0, 3.0], axis=1)),
        (Cylinder(1.5, 3.0), lambda p: np.maximum(np.hypot(p[:, 0], p[:, 1]) / 1.5, np.abs(p[:, 2]) / 1.5)),
        (Sphere(2.5), lambda p: np.linalg.norm(p, axis=1) / 2.5),
    ],
    ids=["box", "cylinder", "sphere"],
)
def test_random_rays_end_on_the_surface(shape, surface):
    """For 20 000 random rays in a rotated frame, entry/exit points satisfy the surface equation
    (written independently here as a 'norm' equal to 1), midpoints are inside, misses never pass
    through the interior (checked on 200 points per ray)."""
    rng = np.random.default_rng(7)
    rot = rotation_from_axis([0.3, -0.5, 0.8])
    pl = Placement([1.0, -2.0, 3.0], rot)
    n = 20_000
    o = pl.centre + rng.uniform(-4, 4, (n, 3))
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    l_in, l_out = shape.intersect(o, d, pl)
    hit = ~np.isnan(l_in)
    assert 0.05 < hit.mean() < 0.95
    local = lambda p: (p - pl.centre) @ rot  # noqa: E731
    starts_inside = surface(local(o)) <= 1.0
    assert np.all(l_in[starts_inside] == 0.0)
    ext = hit & ~starts_inside
    np.testing.assert_allclose(surface(local(o[ext] + l_in[ext, None] * d[ext])), 1.0, atol=1e-12)
    np.testing.assert_allclose(surface(local(o[hit] + l_out[hit, None] * d[hit])), 1.0, atol=1e-12)
    mid = 0.5 * (l_in + l_out)
    assert np.all(surface(local(o[hit] + mid[hit, None] * d[hit])) < 1.0)
    t = np.linspace(0.0, 20.0, 200)
    miss = ~hit
    pts = o[miss, None, :] + t[None, :, None] * d[miss, None, :]
    assert np.all(surface(local(pts.reshape(-1, 3))) > 1.0 - 1e-12)


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: Box((0.0, 1.0, 1.0)), "box size"),
        (lambda: Box((-1.0, 1.0, 1.0)), "box size"),
        (lambda: Box((1.0, 1.0)), "box size"),
        (lambda: Cylinder(0.0, 1.0), "cylinder radius"),
        (lambda: Cylinder(1.0, -2.0), "cylinder height"),
        (lambda: Sphere(-1.0), "sphere radius"),
        (lambda: Sphere(float("nan")), "sphere radius"),
        (lambda: Placement([0, 0, 0], [[1, 0, 0], [0, 2, 0], [0, 0, 1]]), "orthonormal"),
        (lambda: Placement([0, 0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, -1]]), "right-handed"),
        (lambda: Placement([0, np.inf, 0]), "finite"),
    ],
)
def test_bad_input_fails_clearly(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_volumes():
    assert Box((2, 3, 4)).volume() == pytest.approx(24.0)
    assert Cylinder(1.0, 2.0).volume() == pytest.approx(2 * np.pi)
    assert Sphere(3.0).volume() == pytest.approx(36 * np.pi)
    assert TestUnion.icarus.volume() == pytest.approx(2 * 3.0 * 3.16 * 17.95)


def test_union_of_mixed_parts():
    # sphere r = 1 at the origin and a cylinder r = 1, h = 2 with its axis along x at x = 5:
    # a ray along x from x = −10 crosses the sphere on [9, 11] and the cylinder on [14, 16]
    u = Union(((Sphere(1.0), Placement([0, 0, 0])),
               (Cylinder(1.0, 2.0), Placement([5.0, 0, 0], rotation_from_axis([1, 0, 0])))))
    o, d = np.array([[-10.0, 0, 0]]), np.array([[1.0, 0, 0]])
    l_in, l_out = u.intersect(o, d, ID)
    assert (l_in[0], l_out[0]) == pytest.approx((9.0, 16.0))
    np.testing.assert_allclose(u.segments(o, d, ID)[0], [[9, 11], [14, 16]], rtol=1e-12)
    assert u.path_length(o, d, ID)[0] == pytest.approx(4.0)
    # the ray through the gap between the parts along y misses both
    assert_miss(chord(u, (2.5, -10, 0), (0, 1, 0)))
    with pytest.raises(ValueError, match="union parts must be"):
        Union(((u, Placement([0, 0, 0])),))


@pytest.mark.parametrize("shape", [Box((2, 2, 2)), Cylinder(1.0, 2.0), Sphere(1.0)], ids=["box", "cyl", "sph"])
def test_invalid_rays_give_nan(shape):
    o = np.array([[np.nan, 0, -5], [0, 0, -5], [0, 0, 0], [np.inf, 0, -5]])
    d = np.array([[0, 0, 1.0], [0, np.nan, 1.0], [0, 0, 0.0], [0, 0, 1.0]])
    l_in, l_out = shape.intersect(o, d, ID)
    assert np.all(np.isnan(l_in)) and np.all(np.isnan(l_out))
