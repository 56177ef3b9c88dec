"""Detector-directed sampling of production kinematics, with exact importance weights.

Most dark particles made at a target never reach a small, far or off-axis detector. Instead of
waiting for the few that do, the production channels draw the direction of the particle that must
reach the detector from a *defensive mixture* (Hesterberg, Technometrics 37 (1995) 185; Owen &
Zhou, JASA 95 (2000) 135):

    Q(Ω) = (1 − α) P(Ω) + α 1_C(Ω)/Ω_C,

with P the channel's own (plain) proposal density over the lab direction Ω (sr⁻¹), C the cone
from the production vertex around the detector's bounding sphere (:class:`Aim`), Ω_C its solid
angle and α the aimed fraction. A sample of direction Ω carries the weight T(Ω)/Q(Ω), T the
physical density (the plain weight T/P times P). This is unbiased for any detector (every
direction of positive T has Q > 0 when α < 1, and every direction that can hit the detector lies
in C), and the weight is bounded by (T/P)/(1 − α): unlike pure cone sampling, it stays finite at
the edges of the kinematically allowed cone, where the lab density of a two-body decay diverges.
α = 0 is plain sampling; α = 1 samples only the cone, which is exact when the cone contains
every direction that can contribute (isotropic sources at rest).

Two shapes of kinematics are covered:

* :func:`aimed_two_body` — a two-body decay (or a 2 → 2 process in its centre of mass) where the
  lab direction of daughter 1 fixes its momentum up to the (at most two) roots of
  :func:`darkbeam.kinematics.lab_momenta_along`. The density of the lab direction and root k is
  f_k = J_k a_k /4π, J_k = dΩ*/dΩ and a_k the rest-frame angular distribution (1 for isotropy);
  in the cone branch the root is chosen with probability f_k / Σf. The weight is then

      w = a_k / [(1 − α) + α 1_C a_k / (Ω_C F)],   F = Σ_k f_k.

* :func:`aimed_polar` — emission at polar angle θ about an axis (the parent direction), with
  the azimuth uniform and θ drawn from a channel's proposal of known density (Primakoff,
  bremsstrahlung at fixed energy fraction). The channel supplies T and P as functions of θ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _aim_kernels as _k
from ..kinematics import boost, two_body_momentum
from ..sampling import isotropic_directions
from ..geometry.sampling import cone_directions
from .base import polar_vectors, rotate_to

FOUR_PI = 4.0 * math.pi


@dataclass(frozen=True)
class Aim:
    """Where the samples should go: a sphere (``centre`` (3,) m, ``radius`` m) containing the
    detector, optionally ``hull`` points (k, 3) m whose convex hull contains it (a long box seen
    end-on fills a far smaller cone than its bounding sphere), and the aimed fraction ``fraction``
    = α of the module docstring (0 ≤ α ≤ 1). The cone from a vertex is the narrower of the
    sphere's and the hull's (the cone around the direction to the centre through the farthest
    hull point, when that is within 70° of it; a convex cone holding every hull point holds the
    detector)."""

    centre: np.ndarray
    radius: float
    fraction: float = 0.5
    hull: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "centre", np.asarray(self.centre, dtype=float).reshape(3))
        hull = np.zeros((0, 3)) if self.hull is None else np.ascontiguousarray(self.hull, dtype=float).reshape(-1, 3)
        object.__setattr__(self, "hull", hull)
        if not (np.isfinite(self.radius) and self.radius > 0):
            raise ValueError(f"aim radius must be > 0 (m), got {self.radius!r}")
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"aim fraction must be in [0, 1], got {self.fraction!r}")

    def with_fraction(self, fraction: float) -> "Aim":
        return Aim(self.centre, self.radius, fraction, self.hull)

    def cone(self, vertex: np.ndarray, widen: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(axis (n, 3), cos of the half-angle (n,), solid angle Ω_C (n,) sr) of the cone from each
        ``vertex`` (n, 3) around the sphere; a vertex inside the sphere gets the whole sky.
        ``widen`` (n,) rad adds to each half-angle (capped at π)."""
        axis, half = _k.cone_half_angle(np.ascontiguousarray(vertex, dtype=float), self.centre,
                                        float(self.radius), self.hull,
                                        np.zeros(len(vertex)) if widen is None else np.asarray(widen, dtype=float))
        one_minus = 2.0 * np.sin(0.5 * half) ** 2
        return axis, 1.0 - one_minus, 2.0 * math.pi * one_minus


def _branch(aim: Aim | None, n: int, rng: np.random.Generator) -> np.ndarray:
    """Which rows are drawn in the cone (α of them on average)."""
    if aim is None or aim.fraction == 0.0:
        return np.zeros(n, dtype=bool)
    if aim.fraction == 1.0:
        return np.ones(n, dtype=bool)
    return rng.random(n) < aim.fraction


def aimed_isotropic(vertex: np.ndarray, aim: Aim | None, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Unit directions (n, 3) of an isotropic source at ``vertex`` (n, 3), aimed at ``aim``, and
    their weights 1/[(1 − α) + α 1_C 4π/Ω_C] (module docstring with P = 1/4π; α = 1 gives the
    cone's solid-angle fraction Ω_C/4π). ``aim=None``: isotropic, weight 1."""
    n = len(vertex)
    u = rng.random((n, 2))
    dirs = isotropic_directions(u[:, 0], u[:, 1])
    if aim is None or aim.fraction == 0.0:
        return dirs, np.ones(n)
    aimed = _branch(aim, n, rng)
    axis, cos_c, omega_c = aim.cone(vertex)
    k = np.flatnonzero(aimed)
    if len(k):
        dirs[k] = cone_directions(axis[k], cos_c[k], rng)
    in_cone = np.sum(axis * dirs, axis=1) >= cos_c
    weight = 1.0 / ((1.0 - aim.fraction) + aim.fraction * in_cone * FOUR_PI / omega_c)
    return dirs, weight


def aimed_two_body(parent_p4: np.ndarray, vertex: np.ndarray, m1: float | np.ndarray, m2: float,
                   aim: Aim | None, rng: np.random.Generator,
                   angular: Callable[[np.ndarray], np.ndarray] | None = None,
                   widen: np.ndarray | None = None,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two-body decays parent → 1 + 2 with daughter 1 aimed at ``aim`` (see module docstring).

    ``parent_p4`` (n, 4) lab four-momenta (or the total four-momentum of a 2 → 2 process),
    ``vertex`` (n, 3) m, ``m1`` (a number or (n,)) and ``m2`` GeV. ``angular(n_star)`` gives the rest-frame angular
    distribution of daughter 1 at the unit vectors ``n_star`` (n, 3), normalised to mean 1 over the
    sphere (None: isotropic). ``aim=None`` is plain sampling. Returns (p1 (n, 4), p2 (n, 4),
    weight (n,), n_star (n, 3)): the weight is the importance factor (the angular distribution
    included), n_star the rest-frame direction of daughter 1. A row whose parent cannot reach
    the cone gets weight 0 (and physical kinematics). ``widen`` (n,) rad opens each row's cone by
    that angle (for an intermediate particle whose own daughter must reach the detector: its
    directions within the daughter's opening angle of the cone count).
    """
    n = len(parent_p4)
    parent_p4 = np.ascontiguousarray(parent_p4, dtype=float)
    m1 = np.ascontiguousarray(np.broadcast_to(np.asarray(m1, dtype=float), (n,)))
    m_par = np.sqrt(np.maximum(parent_p4[:, 3] ** 2 - np.einsum("ij,ij->i", parent_p4[:, :3], parent_p4[:, :3]), 0.0))
    p_star = two_body_momentum(m_par, m1, m2)
    u = rng.random((n, 6))
    if aim is None or aim.fraction == 0.0:
        # plain: isotropic in the rest frame
        n_plain = isotropic_directions(u[:, 0], u[:, 1])
        p1 = boost(np.column_stack([p_star[:, None] * n_plain, np.sqrt(p_star**2 + m1 * m1)]), parent_p4)
        ang_plain = np.ones(n) if angular is None else angular(n_plain)
        return p1, parent_p4 - p1, ang_plain, n_plain
    fraction = np.full(n, float(aim.fraction))
    widen = np.zeros(n) if widen is None else np.ascontiguousarray(widen, dtype=float)
    (p1_plain, n_plain, dirs, aimed, in_cone, omega, roots, jac, nstar) = _k.candidates(
        parent_p4, m1, p_star, np.ascontiguousarray(vertex, dtype=float), aim.centre, float(aim.radius),
        aim.hull, widen, fraction, u)
    if angular is None:
        ang = (roots >= 0).astype(float)
        ang_plain = np.ones(n)
    else:
        ang = np.column_stack([angular(nstar[:, 0]), angular(nstar[:, 1])]) * (roots >= 0)
        ang_plain = angular(n_plain)
    return _k.finish(parent_p4, m1, p1_plain, n_plain, dirs, aimed, in_cone, omega, fraction, roots,
                     jac, nstar, np.ascontiguousarray(ang), np.ascontiguousarray(ang_plain, dtype=float),
                     np.ascontiguousarray(u[:, 5]))


def aimed_polar(axis: np.ndarray, vertex: np.ndarray, theta_plain: np.ndarray,
                phi_plain: np.ndarray, aim: Aim | None, rng: np.random.Generator,
                target: Callable[[np.ndarray, np.ndarray], np.ndarray],
                proposal: Callable[[np.ndarray, np.ndarray], np.ndarray],
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Emission angles (θ, φ) about ``axis`` (n, 3) with the direction aimed at ``aim``.

    ``theta_plain``, ``phi_plain``: the channel's own sample; ``target(theta, rows)`` and
    ``proposal(theta, rows)`` the physical and the proposal densities *in θ* (rad⁻¹, φ uniform)
    of the rows ``rows`` (index array) at the angles ``theta`` — the channel's plain weight is
    target/proposal. Returns (θ, φ, weight, importance) with weight = T/Q of the module docstring
    (densities per steradian: T(θ)/(2π sin θ)) and importance = P/Q, the factor by which aiming
    changed the plain weight T/P. ``aim=None`` returns the plain sample with weight T/P.
    """
    n = len(axis)
    rows = np.arange(n)
    if aim is None or aim.fraction == 0.0:
        with np.errstate(divide="ignore", invalid="ignore"):
            w = target(theta_plain, rows) / proposal(theta_plain, rows)
        return theta_plain, phi_plain, np.where(np.isfinite(w), w, 0.0), np.ones(n)
    aimed = _branch(aim, n, rng)
    c_axis, cos_c, omega_c = aim.cone(vertex)
    unit = axis / np.linalg.norm(axis, axis=1)[:, None]
    theta, phi = theta_plain.copy(), phi_plain.copy()
    k = np.flatnonzero(aimed)
    if len(k):
        d = cone_directions(c_axis[k], cos_c[k], rng)
        theta[k], phi[k] = _angles_about(unit[k], d)
    # the lab direction of every row, for the cone test
    dirs = rotate_to(unit, polar_vectors(np.ones(n), np.cos(theta), phi))
    in_cone = np.sum(c_axis * dirs, axis=1) >= cos_c
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sr = 2.0 * math.pi * np.sin(theta)
        t = target(theta, rows) / per_sr
        p = proposal(theta, rows) / per_sr
        q = (1.0 - aim.fraction) * p + aim.fraction * in_cone / omega_c
        w = t / q
        importance = np.where(q > 0, p / q, 0.0)
    return theta, phi, np.where(np.isfinite(w) & (t > 0), w, 0.0), importance


def _angles_about(unit_axis: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polar angle and azimuth of unit vectors ``d`` about ``unit_axis`` in the frame of
    :func:`darkbeam.production.base.rotate_to` (its x′ axis is φ = 0)."""
    n = len(d)
    e1 = rotate_to(unit_axis, np.tile([1.0, 0.0, 0.0], (n, 1)))
    e2 = rotate_to(unit_axis, np.tile([0.0, 1.0, 0.0], (n, 1)))
    x, y, z = np.sum(d * e1, axis=1), np.sum(d * e2, axis=1), np.sum(d * unit_axis, axis=1)
    return np.arctan2(np.hypot(x, y), z), np.arctan2(y, x)
