"""Detector and target shapes in their local frame, with ray intersection.

A shape knows its size; a :class:`~darkbeam.geometry.placement.Placement` puts it in the facility
frame. ``Shape.intersect(origins, directions, placement)`` returns the chord ``(l_in, l_out)`` in
metres along each ray (NaN where the ray misses). Lengths in metres, volumes in m³.

Local frames: a box is centred at the origin with edges along the local axes; a cylinder is
centred at the origin with its axis along local z; a sphere is centred at the origin. A
:class:`Union` holds disjoint parts, each with its own placement relative to the union's frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kernels
from .placement import Placement


def _rays(origins: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    o = np.ascontiguousarray(np.atleast_2d(np.asarray(origins, dtype=np.float64)))
    d = np.ascontiguousarray(np.atleast_2d(np.asarray(directions, dtype=np.float64)))
    if o.shape[-1] != 3 or d.shape[-1] != 3 or o.ndim != 2 or d.ndim != 2:
        raise ValueError(f"rays must be (n, 3) arrays, got origins {o.shape}, directions {d.shape}")
    if o.shape[0] != d.shape[0]:
        if o.shape[0] == 1:
            o = np.ascontiguousarray(np.broadcast_to(o, d.shape))
        else:
            raise ValueError(f"{o.shape[0]} origins for {d.shape[0]} directions")
    return o, d


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a positive finite length (m), got {value!r}")
    return v


def _corners(half: np.ndarray) -> np.ndarray:
    """The 8 corners (8, 3) of a box of half-sizes ``half`` centred at the origin."""
    signs = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=float)
    return signs * np.asarray(half, dtype=float)


class Shape:
    """Interface of every shape."""

    kind: str = "shape"

    def volume(self) -> float:
        """Volume (m³)."""
        raise NotImplementedError

    def bounding_radius(self) -> float:
        """Radius (m) of a sphere about the local origin that contains the shape."""
        raise NotImplementedError

    def hull_local(self) -> np.ndarray | None:
        """Points (k, 3) in the local frame whose convex hull contains the shape (for the cones of
        detector-directed sampling); None when the bounding sphere is the best hull (a ball)."""
        return None

    def contains_local(self, points: np.ndarray) -> np.ndarray:
        """Boolean mask of local-frame points (n, 3) inside the (closed) shape."""
        raise NotImplementedError

    def outline_local(self, n: int = 24) -> np.ndarray:
        """Points (m, 3) on the surface, enough to draw projected outlines."""
        raise NotImplementedError

    def _intersect_placed(self, o, d, centre, rotation) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def intersect(
        self, origins: np.ndarray, directions: np.ndarray, placement: Placement
    ) -> tuple[np.ndarray, np.ndarray]:
        """Entry and exit distances (m) of rays given in the facility frame; NaN for misses.

        ``origins`` (n, 3) or (3,) and ``directions`` (n, 3) in m; directions must be unit vectors
        for the distances to be lengths in metres. ``l_in = 0`` for rays starting inside.
        For a :class:`Union` the pair spans first entry to last exit; use :meth:`segments` for the
        parts.
        """
        o, d = _rays(origins, directions)
        return self._intersect_placed(o, d, placement.centre, placement.rotation)

    def segments(
        self, origins: np.ndarray, directions: np.ndarray, placement: Placement
    ) -> np.ndarray:
        """Chords per disjoint part, shape (n, k, 2) with [..., 0] = l_in, [..., 1] = l_out (m)."""
        l_in, l_out = self.intersect(origins, directions, placement)
        return np.stack([l_in, l_out], axis=-1)[:, None, :]

    def path_length(
        self, origins: np.ndarray, directions: np.ndarray, placement: Placement
    ) -> np.ndarray:
        """Total length (m) of the ray inside the shape (0 for a miss)."""
        seg = self.segments(origins, directions, placement)
        return np.nansum(seg[..., 1] - seg[..., 0], axis=1)

    def contains(self, points: np.ndarray, placement: Placement) -> np.ndarray:
        """Boolean mask of facility-frame points (n, 3) inside the shape."""
        p = (np.atleast_2d(np.asarray(points, dtype=float)) - placement.centre) @ placement.rotation
        return self.contains_local(p)


@dataclass(frozen=True)
class Box(Shape):
    """Rectangular box with full edge lengths ``size = (dx, dy, dz)`` (m) along its local axes."""

    size: tuple[float, float, float]
    kind = "box"

    def __post_init__(self) -> None:
        s = tuple(float(v) for v in np.ravel(np.asarray(self.size, dtype=float)))
        if len(s) != 3 or not all(np.isfinite(v) and v > 0 for v in s):
            raise ValueError(f"box size must be three positive lengths (m), got {list(self.size)}")
        object.__setattr__(self, "size", s)

    @property
    def half(self) -> np.ndarray:
        return 0.5 * np.asarray(self.size)

    def volume(self) -> float:
        return float(np.prod(self.size))

    def bounding_radius(self) -> float:
        return float(np.linalg.norm(self.half))

    def contains_local(self, points):
        return np.all(np.abs(points) <= self.half, axis=-1)

    def hull_local(self) -> np.ndarray:
        """The 8 corners."""
        return _corners(self.half)

    def outline_local(self, n: int = 24) -> np.ndarray:
        corners = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)], float)
        return corners * self.half

    def _kernel_spec(self) -> tuple[int, tuple[float, float, float]]:
        h = self.half
        return kernels.BOX, (float(h[0]), float(h[1]), float(h[2]))

    def _intersect_placed(self, o, d, centre, rotation):
        return kernels.box_intersect_placed(o, d, centre, rotation, self.half)


@dataclass(frozen=True)
class Cylinder(Shape):
    """Right circular cylinder: ``radius`` and full ``height`` (m), axis along local z.

    Orient it with the placement (its rotation's third column is the axis in the facility frame;
    :func:`darkbeam.geometry.frames.rotation_from_axis` builds one from an axis vector).
    """

    radius: float
    height: float
    kind = "cylinder"

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", _positive("cylinder radius", self.radius))
        object.__setattr__(self, "height", _positive("cylinder height", self.height))

    def volume(self) -> float:
        return float(np.pi * self.radius**2 * self.height)

    def bounding_radius(self) -> float:
        return float(np.hypot(self.radius, 0.5 * self.height))

    def contains_local(self, points):
        p = np.asarray(points)
        return (p[..., 0] ** 2 + p[..., 1] ** 2 <= self.radius**2) & (
            np.abs(p[..., 2]) <= 0.5 * self.height
        )

    def hull_local(self) -> np.ndarray:
        """The 8 corners of the box around it."""
        return _corners(np.array([self.radius, self.radius, 0.5 * self.height]))

    def outline_local(self, n: int = 24) -> np.ndarray:
        phi = np.linspace(0, 2 * np.pi, n, endpoint=False)
        ring = np.stack([self.radius * np.cos(phi), self.radius * np.sin(phi)], axis=1)
        h = 0.5 * self.height
        return np.concatenate([np.c_[ring, np.full(n, -h)], np.c_[ring, np.full(n, h)]])

    def _kernel_spec(self) -> tuple[int, tuple[float, float, float]]:
        return kernels.CYLINDER, (self.radius, 0.5 * self.height, 0.0)

    def _intersect_placed(self, o, d, centre, rotation):
        return kernels.cylinder_intersect_placed(
            o, d, centre, rotation, self.radius, 0.5 * self.height
        )


@dataclass(frozen=True)
class Sphere(Shape):
    """Ball of ``radius`` (m) centred at the local origin."""

    radius: float
    kind = "sphere"

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", _positive("sphere radius", self.radius))

    def volume(self) -> float:
        return float(4.0 / 3.0 * np.pi * self.radius**3)

    def bounding_radius(self) -> float:
        return self.radius

    def contains_local(self, points):
        return np.sum(np.asarray(points) ** 2, axis=-1) <= self.radius**2

    def outline_local(self, n: int = 24) -> np.ndarray:
        phi = np.linspace(0, 2 * np.pi, n, endpoint=False)
        c, s, z = self.radius * np.cos(phi), self.radius * np.sin(phi), np.zeros(n)
        return np.concatenate([np.c_[c, s, z], np.c_[c, z, s], np.c_[z, c, s]])

    def _kernel_spec(self) -> tuple[int, tuple[float, float, float]]:
        return kernels.SPHERE, (self.radius, 0.0, 0.0)

    def _intersect_placed(self, o, d, centre, rotation):
        return kernels.sphere_intersect_placed(o, d, centre, rotation, self.radius)


@dataclass(frozen=True)
class Union(Shape):
    """Disjoint parts, each a (shape, placement relative to the union's local frame).

    Example: ICARUS, two 3.0 × 3.16 × 17.95 m boxes at x = ∓2.10215 m. ``intersect`` returns
    first entry and last exit; ``segments`` the chord through each part; ``path_length`` their sum.
    Parts must not overlap: this is checked (exactly for parts with parallel axes, through
    bounding spheres otherwise).
    """

    parts: tuple[tuple[Shape, Placement], ...]
    kind = "union"

    def __post_init__(self) -> None:
        parts = tuple((s, p) for s, p in self.parts)
        if len(parts) < 1:
            raise ValueError("a union needs at least one part")
        for s, p in parts:
            if not isinstance(s, (Box, Cylinder, Sphere)) or not isinstance(p, Placement):
                raise ValueError("union parts must be (Box | Cylinder | Sphere, Placement) pairs")
        for i in range(len(parts)):
            for j in range(i + 1, len(parts)):
                if _may_overlap(parts[i], parts[j]):
                    raise ValueError(
                        f"union parts {i} and {j} overlap (or cannot be shown disjoint); parts "
                        "must be disjoint so that chords and volumes add up"
                    )
        object.__setattr__(self, "parts", parts)

    def volume(self) -> float:
        return float(sum(s.volume() for s, _ in self.parts))

    def bounding_radius(self) -> float:
        return float(max(np.linalg.norm(p.centre) + s.bounding_radius() for s, p in self.parts))

    def contains_local(self, points):
        p = np.atleast_2d(np.asarray(points, dtype=float))
        out = np.zeros(p.shape[0], dtype=bool)
        for s, pl in self.parts:
            out |= s.contains(p, pl)
        return out

    def hull_local(self) -> np.ndarray | None:
        """The parts' hull points in the union's frame (a ball part: the corners of its cube)."""
        pts = []
        for shape, placement in self.placed_parts(Placement()):
            local = shape.hull_local()
            if local is None:
                local = _corners(np.full(3, shape.bounding_radius()))
            pts.append(placement.to_facility(local))
        return np.concatenate(pts)

    def outline_local(self, n: int = 24) -> np.ndarray:
        return np.concatenate([pl.to_facility(s.outline_local(n)) for s, pl in self.parts])

    def placed_parts(self, placement: Placement) -> list[tuple[Shape, Placement]]:
        """The parts with their placements in the facility frame."""
        return [(s, placement.compose(pl)) for s, pl in self.parts]

    def _kernel_arrays(self, placement: Placement):
        placed = self.placed_parts(placement)
        kinds = np.array([s._kernel_spec()[0] for s, _ in placed], dtype=np.int64)
        params = np.array([s._kernel_spec()[1] for s, _ in placed], dtype=np.float64)
        centres = np.ascontiguousarray([pl.centre for _, pl in placed], dtype=np.float64)
        rotations = np.ascontiguousarray([pl.rotation for _, pl in placed], dtype=np.float64)
        return kinds, centres, rotations, params

    def segments(self, origins, directions, placement):
        o, d = _rays(origins, directions)
        return kernels.parts_segments_placed(o, d, *self._kernel_arrays(placement))

    def _intersect_placed(self, o, d, centre, rotation):
        return kernels.parts_envelope_placed(o, d, *self._kernel_arrays(Placement(centre, rotation)))


def _may_overlap(a: tuple[Shape, Placement], b: tuple[Shape, Placement]) -> bool:
    """Conservative overlap test of two placed shapes."""
    (sa, pa), (sb, pb) = a, b
    gap = np.linalg.norm(pa.centre - pb.centre) - sa.bounding_radius() - sb.bounding_radius()
    if gap > 0:
        return False
    if isinstance(sa, Box) and isinstance(sb, Box) and np.allclose(pa.rotation, pb.rotation):
        # same axes: separated iff separated along one local axis
        delta = np.abs((pb.centre - pa.centre) @ pa.rotation)
        return bool(np.all(delta < sa.half + sb.half))
    return True
