"""Placement of a shape in the facility frame: a centre and a rotation."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Placement:
    """Centre (m) and rotation of a shape in the facility frame.

    ``rotation`` is the 3×3 matrix whose *columns* are the shape's local x, y, z axes written in
    the facility frame, so ``r_facility = centre + rotation @ r_local``. It must be orthonormal
    and right-handed.
    """

    centre: np.ndarray
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))

    def __post_init__(self) -> None:
        c = np.asarray(self.centre, dtype=float).reshape(3)
        r = np.asarray(self.rotation, dtype=float).reshape(3, 3)
        if not np.all(np.isfinite(c)):
            raise ValueError(f"placement centre must be three finite numbers (m), got {c.tolist()}")
        if not np.all(np.isfinite(r)) or not np.allclose(r.T @ r, np.eye(3), atol=1e-6) \
                or np.linalg.det(r) < 0:
            raise ValueError(
                "placement rotation must be orthonormal and right-handed (columns = local x, y, z "
                f"axes in the facility frame), got {r.tolist()}"
            )
        object.__setattr__(self, "centre", c)
        object.__setattr__(self, "rotation", r)

    def to_local(self, points: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Facility-frame points and directions (n, 3) → the shape's local frame."""
        p = (np.asarray(points, dtype=float) - self.centre) @ self.rotation
        d = np.asarray(directions, dtype=float) @ self.rotation
        return np.ascontiguousarray(p), np.ascontiguousarray(d)

    def to_facility(self, points_local: np.ndarray) -> np.ndarray:
        """Local-frame points (n, 3) → facility frame."""
        return np.asarray(points_local, dtype=float) @ self.rotation.T + self.centre

    def compose(self, inner: "Placement") -> "Placement":
        """Placement of something placed by ``inner`` in this placement's local frame.

        ``r_facility = centre + R (c_inner + R_inner r) ``, i.e. centre' = centre + R c_inner and
        R' = R R_inner.
        """
        return Placement(self.centre + self.rotation @ inner.centre, self.rotation @ inner.rotation)

    def moved(self, offset: np.ndarray) -> "Placement":
        """The same placement translated by ``offset`` (m, facility frame)."""
        return Placement(self.centre + np.asarray(offset, dtype=float), self.rotation)
