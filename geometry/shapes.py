"""Detector and target shapes in their local frame, with ray intersection.

A shape knows its size; a :class:`~darkbeam.geometry.placement.Placement` puts it in the facility
frame. ``Shape.intersect(origins, directions, placement)`` returns the chord ``(l_in, l_out)`` in
metres along each ray (NaN where the ray misses).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kernels
from .placement import Placement


class Shape:
    """Interface of every shape."""

    kind: str = "shape"

    def volume(self) -> float:  # m³
        raise NotImplementedError

    def _intersect_local(self, o: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def intersect(
        self, origins: np.ndarray, directions: np.ndarray, placement: Placement
    ) -> tuple[np.ndarray, np.ndarray]:
        """Entry and exit distances (m) of rays given in the facility frame; NaN for misses.

        ``directions`` must be unit vectors (the distances are then lengths in metres).
        """
        o, d = placement.to_local(origins, directions)
        return self._intersect_local(o, d)


@dataclass(frozen=True)
class Box(Shape):
    """Rectangular box with full edge lengths ``size = (dx, dy, dz)`` (m) along its local axes."""

    size: tuple[float, float, float]
    kind = "box"

    def __post_init__(self) -> None:
        s = tuple(float(v) for v in self.size)
        if len(s) != 3 or not all(np.isfinite(v) and v > 0 for v in s):
            raise ValueError(f"box size must be three positive lengths (m), got {list(self.size)}")
        object.__setattr__(self, "size", s)

    def volume(self) -> float:
        return float(np.prod(self.size))

    def _intersect_local(self, o, d):
        return kernels.box_intersect(o, d, 0.5 * np.asarray(self.size))
