"""Facility frames (DESIGN.md): origin at the target or dump face, +z along the incident beam,
+y the local vertical with its z component removed, x = y × z.

All functions return plain numpy arrays. A *rotation* is a 3×3 matrix whose columns are a
shape's local axes written in the facility frame (as :class:`~darkbeam.geometry.Placement`
expects). Angles in radians, lengths in metres.
"""

from __future__ import annotations

import numpy as np


def _unit(v: np.ndarray, name: str) -> np.ndarray:
    v = np.asarray(v, dtype=float).reshape(3)
    n = np.linalg.norm(v)
    if not np.isfinite(n) or n == 0:
        raise ValueError(f"{name} must be a non-zero finite 3-vector, got {v.tolist()}")
    return v / n


def facility_axes(
    beam_direction: np.ndarray, up: np.ndarray = (0.0, 0.0, 1.0), toward: np.ndarray | None = None
) -> np.ndarray:
    """Axes of the facility frame written in a site frame; rows are x, y, z.

    ``beam_direction`` and ``up`` (the local vertical) are site-frame vectors. z = beam,
    y = up orthogonalised to z, x = y × z. For a vertical beam (up ∥ beam, e.g. LANSCE Lujan,
    where the beam comes down) y is undefined; then ``toward`` (a horizontal site vector, e.g.
    toward the detector) is taken as x (orthogonalised to z) and y = z × x.
    A site-frame vector ``r`` has facility coordinates ``facility_axes(...) @ r``.
    """
    z = _unit(beam_direction, "beam direction")
    u = _unit(up, "up")
    y = u - (u @ z) * z
    if np.linalg.norm(y) < 1e-9:
        if toward is None:
            raise ValueError(
                "the beam is vertical, so 'up' does not fix the frame; give 'toward', a horizontal "
                "direction (e.g. toward the detector) to use as +x"
            )
        t = _unit(toward, "toward")
        x = t - (t @ z) * z
        if np.linalg.norm(x) < 1e-9:
            raise ValueError("'toward' must not be parallel to the beam")
        x /= np.linalg.norm(x)
        y = np.cross(z, x)
    else:
        y /= np.linalg.norm(y)
        x = np.cross(y, z)
    return np.stack([x, y, z])


def dipping_beam_up(dip: float) -> np.ndarray:
    """True vertical (up) in the frame of a beam dipping by ``dip`` rad below the horizontal.

    The beam direction in a level site frame (X, Y up, Z horizontal downstream) is
    (0, −sin dip, cos dip); up (0, 1, 0) has facility coordinates (0, cos dip, −sin dip).
    """
    return np.array([0.0, np.cos(dip), -np.sin(dip)])


def hall_level_rotation(dip: float) -> np.ndarray:
    """Rotation (columns = local x, y, z in the facility frame) of a level detector hall below a
    beam dipping by ``dip`` rad: local y = true up, local z = horizontal downstream, local x = x.

    For LBNF (dip 0.101 rad) local z = (0, 0.10083, 0.99490), local y = (0, 0.99490, −0.10083).
    """
    c, s = np.cos(dip), np.sin(dip)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])


def rotation_from_axis(axis: np.ndarray) -> np.ndarray:
    """A right-handed rotation whose third column (local z) is ``axis`` (for cylinders)."""
    z = _unit(axis, "axis")
    helper = np.array([1.0, 0.0, 0.0]) if abs(z[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    x = np.cross(helper, z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    return np.stack([x, y, z], axis=1)


def rotation_from_axes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rotation from local x and y axes given in the facility frame (z = x × y).

    Raises ``ValueError`` unless x and y are orthogonal unit vectors (tolerance 1e-6).
    """
    x = np.asarray(x, dtype=float).reshape(3)
    y = np.asarray(y, dtype=float).reshape(3)
    if abs(np.linalg.norm(x) - 1) > 1e-6 or abs(np.linalg.norm(y) - 1) > 1e-6 or abs(x @ y) > 1e-6:
        raise ValueError(
            f"local axes must be orthogonal unit vectors, got x = {x.tolist()}, y = {y.tolist()}"
        )
    return np.stack([x, y, np.cross(x, y)], axis=1)


def off_axis_angle(position: np.ndarray) -> np.ndarray:
    """Angle (rad) between the beam (+z) and the line from the origin to ``position`` (…, 3)."""
    p = np.asarray(position, dtype=float)
    return np.arctan2(np.hypot(p[..., 0], p[..., 1]), p[..., 2])
