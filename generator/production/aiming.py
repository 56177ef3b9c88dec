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

from ..kinematics import boost, lab_momenta_along, two_body_momentum
from ..sampling import isotropic_directions
from ..geometry.sampling import cone_directions
from .base import polar_vectors, rotate_to

FOUR_PI = 4.0 * math.pi


@dataclass(frozen=True)
class Aim:
    """Where the samples should go: a sphere (``centre`` (3,) m, ``radius`` m) containing the
    detector, and the aimed fraction ``fraction`` = α of the module docstring (0 ≤ α ≤ 1)."""

    centre: np.ndarray
    radius: float
    fraction: float = 0.5

    def __post_init__(self) -> None:
        object.__setattr__(self, "centre", np.asarray(self.centre, dtype=float).reshape(3))
        if not (np.isfinite(self.radius) and self.radius > 0):
            raise ValueError(f"aim radius must be > 0 (m), got {self.radius!r}")
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"aim fraction must be in [0, 1], got {self.fraction!r}")

    def with_fraction(self, fraction: float) -> "Aim":
        return Aim(self.centre, self.radius, fraction)

    def cone(self, vertex: np.ndarray, widen: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(axis (n, 3), cos of the half-angle (n,), solid angle Ω_C (n,) sr) of the cone from each
        ``vertex`` (n, 3) around the sphere; a vertex inside the sphere gets the whole sky.
        ``widen`` (n,) rad adds to each half-angle (capped at π)."""
        to_c = self.centre[None, :] - vertex
        dist = np.linalg.norm(to_c, axis=1)
        inside = dist <= self.radius
        safe = np.where(inside, 1.0, dist)
        axis = to_c / safe[:, None]
        axis[inside] = (0.0, 0.0, 1.0)
        sin_c = np.where(inside, 1.0, self.radius / safe)
        # 1 − cos θc = sin²θc/(1 + cos θc): no cancellation for small cones
        cos_c = np.where(inside, -1.0, np.sqrt(np.maximum(0.0, 1.0 - sin_c**2)))
        one_minus = np.divide(sin_c**2, 1.0 + cos_c, out=np.full(len(dist), 2.0), where=~inside)
        if widen is not None:
            half = np.minimum(np.arcsin(np.clip(sin_c, 0.0, 1.0)) + widen, math.pi)
            half = np.where(inside, math.pi, half)
            cos_c = np.cos(half)
            one_minus = 2.0 * np.sin(0.5 * half) ** 2
        return axis, cos_c, 2.0 * math.pi * one_minus

    def contains(self, vertex: np.ndarray, direction: np.ndarray) -> np.ndarray:
        """Whether each unit ``direction`` from ``vertex`` lies in the cone (boolean (n,))."""
        axis, cos_c, _ = self.cone(vertex)
        return np.sum(axis * direction, axis=1) >= cos_c


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


def _to_rest(p_lab: np.ndarray, parent_p4: np.ndarray) -> np.ndarray:
    """Four-vectors ``p_lab`` seen in the parents' rest frames."""
    back = parent_p4.copy()
    back[:, :3] = -back[:, :3]
    return boost(p_lab, back)


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
    m1 = np.broadcast_to(np.asarray(m1, dtype=float), (n,))
    m_par = np.sqrt(np.maximum(parent_p4[:, 3] ** 2 - np.sum(parent_p4[:, :3] ** 2, axis=1), 0.0))
    p_star = two_body_momentum(m_par, m1, m2)
    e1_star = np.sqrt(p_star**2 + m1 * m1)
    u = rng.random((n, 3))
    # plain sample: isotropic in the rest frame
    n_plain = isotropic_directions(u[:, 0], u[:, 1])
    rest1 = np.column_stack([p_star[:, None] * n_plain, e1_star])
    p1 = boost(rest1, parent_p4)
    ang_plain = np.ones(n) if angular is None else angular(n_plain)
    if aim is None or aim.fraction == 0.0:
        p2 = parent_p4 - p1
        return p1, p2, ang_plain, n_plain
    axis, cos_c, omega_c = aim.cone(vertex, widen)
    # a parent faster than the daughter in its frame confines it to the cone sin θ ≤ p*/(m₁γb)
    # about its direction; where that cone is smaller than the detector's, the plain sample
    # already lands where the detector is and is kept (α = 0 for the row)
    fraction = np.full(n, aim.fraction)
    if np.any(m1 > 0):
        b_gamma = np.linalg.norm(parent_p4[:, :3], axis=1) / np.where(m_par > 0, m_par, 1.0)
        with np.errstate(divide="ignore"):
            sin_max = p_star / (m1 * np.where(b_gamma > 0, b_gamma, 1.0))
        confined = (sin_max < 1.0) & (b_gamma > 0) & (m1 > 0)
        s2 = np.minimum(sin_max, 1.0) ** 2
        omega_kin = 2.0 * math.pi * s2 / (1.0 + np.sqrt(1.0 - s2))
        fraction[confined & (omega_kin < omega_c)] = 0.0
    aimed = rng.random(n) < fraction
    # cone sample for the aimed rows
    dirs = p1[:, :3] / np.linalg.norm(p1[:, :3], axis=1)[:, None]
    k = np.flatnonzero(aimed)
    if len(k):
        dirs[k] = cone_directions(axis[k], cos_c[k], rng)
    # roots and densities at the final direction of every row
    roots, jac = lab_momenta_along(parent_p4, p_star, np.ascontiguousarray(m1), dirs)
    ang = np.zeros((n, 2))
    n_star = np.zeros((n, 2, 3))
    for r in range(2):
        ok = roots[:, r] >= 0
        p_r = np.column_stack([np.maximum(roots[:, r], 0.0)[:, None] * dirs,
                               np.sqrt(np.maximum(roots[:, r], 0.0) ** 2 + m1 * m1)])
        ns = _to_rest(p_r, parent_p4)[:, :3]
        norm = np.linalg.norm(ns, axis=1)
        ns = np.divide(ns, norm[:, None], out=np.tile([0.0, 0.0, 1.0], (n, 1)), where=norm[:, None] > 0)
        n_star[:, r] = ns
        ang[:, r] = np.where(ok, 1.0 if angular is None else angular(ns), 0.0)
    f = jac * ang / FOUR_PI
    big_f = f.sum(axis=1)
    # which root: the plain rows keep their own (the one closest to the plain momentum); the
    # aimed rows choose with probability f_k / F
    p_plain = np.linalg.norm(p1[:, :3], axis=1)
    choose_second = np.where(aimed, u[:, 2] * big_f > f[:, 0],
                             np.abs(roots[:, 1] - p_plain) < np.abs(roots[:, 0] - p_plain))
    r = choose_second.astype(np.int64)
    rows = np.arange(n)
    p_sel = roots[rows, r]
    ang_sel = ang[rows, r]
    ns_sel = n_star[rows, r]
    reach = (p_sel >= 0) & (big_f > 0)
    in_cone = np.sum(axis * dirs, axis=1) >= cos_c
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = (1.0 - fraction) + fraction * in_cone * ang_sel / (omega_c * big_f)
        weight = np.where(reach, ang_sel / denom, 0.0)
    # a plain row whose root is lost to rounding sits on the edge of the kinematic cone, where
    # F → ∞: its weight is the limit a/(1 − α); an aimed row without a root cannot reach the cone
    lost = ~reach & ~aimed
    weight[lost] = ang_plain[lost] / (1.0 - fraction[lost])
    # kinematics: the aimed rows take the root's momentum, the plain rows keep their own sample
    use = reach & aimed
    p_sel = np.where(use, p_sel, 0.0)
    p1_aim = np.column_stack([p_sel[:, None] * dirs, np.sqrt(p_sel**2 + m1 * m1)])
    p1 = np.where(use[:, None], p1_aim, p1)
    n_star = np.where(use[:, None], ns_sel, n_plain)
    p2 = parent_p4 - p1
    return p1, p2, weight, n_star


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
