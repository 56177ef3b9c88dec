"""Numba kernels of :func:`darkbeam.production.aiming.aimed_two_body` (one row at a time).

Split in two around the channel's angular distribution, which is evaluated in numpy between
them: :func:`candidates` draws the plain and the aimed direction and solves for the lab momenta
along it; :func:`finish` picks the root and computes the weight and the four-momenta. The
formulas are those of the module docstring of :mod:`darkbeam.production.aiming`.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..kinematics import boost_row, roots_row

FOUR_PI = 4.0 * math.pi


#: the largest hull angle (rad) for which the hull's cone is used (a cone wider than a
#: half-space is not convex; the bounding sphere's is used instead)
HULL_MAX_ANGLE = 70.0 * math.pi / 180.0


@nb.njit(cache=True)
def cone_row(vx, vy, vz, centre, radius, hull, widen):
    """(axis x, y, z, half-angle) of the cone from a vertex toward the detector: the narrower of
    the bounding sphere's and the hull's (see :class:`darkbeam.production.aiming.Aim`), opened by
    ``widen``; the whole sky (half-angle π) from inside the sphere."""
    cx, cy, cz = centre[0] - vx, centre[1] - vy, centre[2] - vz
    dist = math.sqrt(cx * cx + cy * cy + cz * cz)
    if dist <= radius:
        return 0.0, 0.0, 1.0, math.pi
    ax, ay, az = cx / dist, cy / dist, cz / dist
    half = math.asin(radius / dist)
    k = hull.shape[0]
    if k > 0:
        worst = 1.0
        for j in range(k):
            hx, hy, hz = hull[j, 0] - vx, hull[j, 1] - vy, hull[j, 2] - vz
            hn = math.sqrt(hx * hx + hy * hy + hz * hz)
            c = (ax * hx + ay * hy + az * hz) / hn if hn > 0.0 else -1.0
            worst = min(worst, c)
        h_half = math.acos(max(-1.0, min(1.0, worst)))
        if h_half < HULL_MAX_ANGLE:
            half = min(half, h_half)
    return ax, ay, az, min(half + widen, math.pi)


@nb.njit(cache=True)
def cone_half_angle(vertex, centre, radius, hull, widen):
    """:func:`cone_row` for every vertex: (axis (n, 3), half-angle (n,))."""
    n = vertex.shape[0]
    axis = np.empty((n, 3))
    half = np.empty(n)
    for i in range(n):
        axis[i, 0], axis[i, 1], axis[i, 2], half[i] = cone_row(vertex[i, 0], vertex[i, 1], vertex[i, 2],
                                                              centre, radius, hull, widen[i])
    return axis, half


@nb.njit(cache=True)
def candidates(parent_p4, m1, p_star, vertex, centre, radius, hull, widen, fraction, u):
    """Per row: the plain rest-frame direction and lab momentum (isotropic, from u[:, 0:2]), the
    branch (aimed if u[:, 2] < the row's fraction), the final lab direction (the cone's from
    u[:, 3:5] when aimed), the cone test and solid angle, and both roots along the direction with
    their Jacobians and rest-frame directions. ``fraction`` is modified in place (0 where the
    kinematic cone of the daughter is smaller than the detector's)."""
    n = parent_p4.shape[0]
    p1_plain = np.empty((n, 4))
    n_plain = np.empty((n, 3))
    dirs = np.empty((n, 3))
    aimed = np.zeros(n, dtype=np.bool_)
    in_cone = np.zeros(n, dtype=np.bool_)
    omega = np.empty(n)
    roots = np.empty((n, 2))
    jac = np.empty((n, 2))
    nstar = np.zeros((n, 2, 3))
    for i in range(n):
        e, px, py, pz = parent_p4[i, 3], parent_p4[i, 0], parent_p4[i, 1], parent_p4[i, 2]
        ps, mi = p_star[i], m1[i]
        e1 = math.sqrt(ps * ps + mi * mi)
        # plain: isotropic in the rest frame
        ct = 2.0 * u[i, 0] - 1.0
        st = math.sqrt(max(0.0, 1.0 - ct * ct))
        ph = 2.0 * math.pi * u[i, 1]
        nx, ny, nz = st * math.cos(ph), st * math.sin(ph), ct
        n_plain[i, 0], n_plain[i, 1], n_plain[i, 2] = nx, ny, nz
        qx, qy, qz, qe = boost_row(ps * nx, ps * ny, ps * nz, e1, px, py, pz, e)
        p1_plain[i, 0], p1_plain[i, 1], p1_plain[i, 2], p1_plain[i, 3] = qx, qy, qz, qe
        # the cone toward the detector, opened by widen
        ax, ay, az, half = cone_row(vertex[i, 0], vertex[i, 1], vertex[i, 2], centre, radius, hull, widen[i])
        s_half = math.sin(0.5 * half)
        one_minus = 2.0 * s_half * s_half          # 1 − cos(half), without cancellation
        cos_c = 1.0 - one_minus
        omega[i] = 2.0 * math.pi * one_minus
        # a daughter confined to a cone smaller than the detector's: keep the plain sample
        mp2 = e * e - px * px - py * py - pz * pz
        pp = math.sqrt(px * px + py * py + pz * pz)
        if mi > 0.0 and mp2 > 0.0 and pp > 0.0:
            sin_max = ps / (mi * pp / math.sqrt(mp2))
            if sin_max < 1.0:
                s2 = sin_max * sin_max
                if 2.0 * math.pi * s2 / (1.0 + math.sqrt(1.0 - s2)) < omega[i]:
                    fraction[i] = 0.0
        aimed[i] = u[i, 2] < fraction[i]
        if aimed[i]:
            c = 1.0 - u[i, 3] * one_minus
            s = math.sqrt(max(0.0, (1.0 - c) * (1.0 + c)))
            phi = 2.0 * math.pi * u[i, 4]
            # basis about the axis (as geometry.sampling._basis)
            if abs(ax) < 0.9:
                hx, hy, hz = 1.0, 0.0, 0.0
            else:
                hx, hy, hz = 0.0, 1.0, 0.0
            e1x, e1y, e1z = hy * az - hz * ay, hz * ax - hx * az, hx * ay - hy * ax
            nrm = math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z)
            e1x, e1y, e1z = e1x / nrm, e1y / nrm, e1z / nrm
            e2x, e2y, e2z = ay * e1z - az * e1y, az * e1x - ax * e1z, ax * e1y - ay * e1x
            cp, sp = math.cos(phi), math.sin(phi)
            dx = s * cp * e1x + s * sp * e2x + c * ax
            dy = s * cp * e1y + s * sp * e2y + c * ay
            dz = s * cp * e1z + s * sp * e2z + c * az
            in_cone[i] = True
        else:
            pn = math.sqrt(qx * qx + qy * qy + qz * qz)
            if pn > 0.0:
                dx, dy, dz = qx / pn, qy / pn, qz / pn
            else:
                dx, dy, dz = 0.0, 0.0, 1.0
            in_cone[i] = ax * dx + ay * dy + az * dz >= cos_c
        dirs[i, 0], dirs[i, 1], dirs[i, 2] = dx, dy, dz
        roots[i, 0], jac[i, 0], roots[i, 1], jac[i, 1] = roots_row(e, px, py, pz, ps, mi, dx, dy, dz)
        for k in range(2):
            if roots[i, k] >= 0.0:
                r = roots[i, k]
                sx, sy, sz, se = boost_row(r * dx, r * dy, r * dz, math.sqrt(r * r + mi * mi), -px, -py, -pz, e)
                sn = math.sqrt(sx * sx + sy * sy + sz * sz)
                if sn > 0.0:
                    nstar[i, k, 0], nstar[i, k, 1], nstar[i, k, 2] = sx / sn, sy / sn, sz / sn
                else:
                    nstar[i, k, 2] = 1.0
            else:
                nstar[i, k, 2] = 1.0
    return p1_plain, n_plain, dirs, aimed, in_cone, omega, roots, jac, nstar


@nb.njit(cache=True)
def finish(parent_p4, m1, p1_plain, n_plain, dirs, aimed, in_cone, omega, fraction, roots, jac,
           nstar, ang, ang_plain, u_root):
    """Root choice (aimed: ∝ J_k a_k; plain: the one of the plain sample), weight
    a / [(1 − α) + α 1_C a/(Ω_C F)] and four-momenta (p2 = parent − p1)."""
    n = parent_p4.shape[0]
    p1 = np.empty((n, 4))
    p2 = np.empty((n, 4))
    weight = np.empty(n)
    n_out = np.empty((n, 3))
    for i in range(n):
        f0 = jac[i, 0] * ang[i, 0] / FOUR_PI
        f1 = jac[i, 1] * ang[i, 1] / FOUR_PI
        big_f = f0 + f1
        if aimed[i]:
            k = 1 if u_root[i] * big_f > f0 else 0
        else:
            pn = math.sqrt(p1_plain[i, 0] ** 2 + p1_plain[i, 1] ** 2 + p1_plain[i, 2] ** 2)
            k = 1 if abs(roots[i, 1] - pn) < abs(roots[i, 0] - pn) else 0
        p_sel = roots[i, k]
        a_sel = ang[i, k]
        reach = p_sel >= 0.0 and big_f > 0.0
        frac = fraction[i]
        if reach:
            cone_term = frac * a_sel / (omega[i] * big_f) if in_cone[i] else 0.0
            weight[i] = a_sel / ((1.0 - frac) + cone_term)
        elif not aimed[i]:
            # the plain sample's root lost to rounding: the edge of the kinematic cone, F → ∞
            weight[i] = ang_plain[i] / (1.0 - frac)
        else:
            weight[i] = 0.0
        if aimed[i] and reach:
            mi = m1[i]
            p1[i, 0], p1[i, 1], p1[i, 2] = p_sel * dirs[i, 0], p_sel * dirs[i, 1], p_sel * dirs[i, 2]
            p1[i, 3] = math.sqrt(p_sel * p_sel + mi * mi)
            n_out[i, 0], n_out[i, 1], n_out[i, 2] = nstar[i, k, 0], nstar[i, k, 1], nstar[i, k, 2]
        else:
            for j in range(4):
                p1[i, j] = p1_plain[i, j]
            n_out[i, 0], n_out[i, 1], n_out[i, 2] = n_plain[i, 0], n_plain[i, 1], n_plain[i, 2]
        for j in range(4):
            p2[i, j] = parent_p4[i, j] - p1[i, j]
    return p1, p2, weight, n_out
