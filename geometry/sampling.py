"""Direction sampling: isotropic, and detector-directed (inside the cone around a bounding sphere).

For a source emitting isotropically (in the lab) and a detector inside a sphere of radius R
centred at c, every direction that can hit the detector lies in the cone of half-angle
θc = asin(R/D) around ĉ − apex (D = |c − apex|). Sampling uniformly in that cone and attaching the
importance weight w = Ω_cone/4π = (1 − cos θc)/2 gives an unbiased estimate of any expectation
over isotropic directions that vanishes outside the cone (e.g. the count of rays hitting the
detector), with 1/w fewer wasted rays. If the apex is inside the bounding sphere the directions are
isotropic and w = 1. For an anisotropic source multiply w by 4π × (the source's angular pdf).
"""

from __future__ import annotations

import numpy as np


def isotropic_directions(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 3) unit vectors uniform on the sphere."""
    cos_t = rng.uniform(-1.0, 1.0, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    sin_t = np.sqrt(1.0 - cos_t**2)
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), cos_t], axis=1)


def _basis(axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors (n, 3) completing each unit ``axis`` (n, 3) to a right-handed basis."""
    helper = np.zeros_like(axis)
    use_x = np.abs(axis[:, 0]) < 0.9
    helper[use_x, 0] = 1.0
    helper[~use_x, 1] = 1.0
    e1 = np.cross(helper, axis)
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(axis, e1)
    return e1, e2


def cone_directions(
    axis: np.ndarray, cos_max: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(n, 3) unit vectors uniform within angle acos(cos_max) of the unit vectors ``axis`` (n, 3)."""
    axis = np.atleast_2d(np.asarray(axis, dtype=float))
    n = axis.shape[0]
    cos_t = 1.0 - rng.random(n) * (1.0 - np.asarray(cos_max, dtype=float))
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t**2))
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    e1, e2 = _basis(axis)
    return (
        (sin_t * np.cos(phi))[:, None] * e1
        + (sin_t * np.sin(phi))[:, None] * e2
        + cos_t[:, None] * axis
    )


def directed_directions(
    apex: np.ndarray, centre: np.ndarray, radius: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Directions from each ``apex`` (n, 3) (m) toward a sphere (``centre`` (3,), ``radius`` m).

    Returns ``(directions (n, 3), weight (n,))`` with weight = solid-angle fraction of the cone
    (1 for an apex inside the sphere, where the directions are isotropic). See module docstring.
    """
    apex = np.atleast_2d(np.asarray(apex, dtype=float))
    if not (np.isfinite(radius) and radius > 0):
        raise ValueError(f"bounding radius must be positive (m), got {radius!r}")
    to_c = np.asarray(centre, dtype=float).reshape(1, 3) - apex
    dist = np.linalg.norm(to_c, axis=1)
    inside = dist <= radius
    safe = np.where(inside, 1.0, dist)
    axis = to_c / safe[:, None]
    axis[inside] = (0.0, 0.0, 1.0)
    sin_c = np.where(inside, 1.0, radius / safe)
    cos_c = np.where(inside, -1.0, np.sqrt(np.maximum(0.0, 1.0 - sin_c**2)))
    dirs = cone_directions(axis, cos_c, rng)
    weight = 0.5 * (1.0 - cos_c)
    return dirs, weight


def sphere_solid_angle(distance: np.ndarray, radius: float) -> np.ndarray:
    """Solid angle (sr) of a sphere of ``radius`` seen from ``distance`` > radius (m)."""
    d = np.asarray(distance, dtype=float)
    return 2.0 * np.pi * (1.0 - np.sqrt(1.0 - (radius / d) ** 2))
