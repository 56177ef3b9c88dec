"""Numba kernels for ray–shape intersection.

Each kernel takes ray origins ``o`` (n, 3) and directions ``d`` (n, 3) and returns the entry and
exit path lengths ``(l_in, l_out)`` along the ray, in units of ``|d|`` (metres for unit
directions), with ``l_in = 0`` for a ray that starts inside and NaN for a ray that misses, only
grazes (a chord of zero length), or whose chord lies entirely behind its origin: only the part of
the line with l ≥ 0 counts. Rays with a NaN or infinite coordinate, or a zero direction, give NaN.

Two flavours:

* ``*_intersect(o, d, ...)`` — rays already in the shape's local frame (shape centred at the
  origin; cylinders have their axis along local z);
* ``*_intersect_placed(o, d, centre, rotation, ...)`` — rays in the facility frame; the change of
  frame ``r_local = rotationᵀ (r − centre)`` is done per ray inside the loop, so no temporary
  (n, 3) arrays are allocated. ``rotation`` has the shape's local axes as columns.

Shapes are closed sets: a ray lying in a face plane counts as inside that slab. Boundary cases
(zero-length chords, tangents) have measure zero for any continuous ray distribution.
"""

from __future__ import annotations

import numba as nb
import numpy as np

_NAN = np.nan


# ---------------------------------------------------------------------------------------------
# single-ray chords in the local frame
@nb.njit(cache=True, inline="always")
def _slab(o, d, h, tmin, tmax):
    """Clip the interval (tmin, tmax) by the slab |o + t d| ≤ h. Returns the new interval;
    an empty interval is signalled by tmin > tmax."""
    if d == 0.0:
        if o < -h or o > h:
            return 1.0, -1.0
        return tmin, tmax
    inv = 1.0 / d
    t1 = (-h - o) * inv
    t2 = (h - o) * inv
    if t1 > t2:
        t1, t2 = t2, t1
    if t1 > tmin:
        tmin = t1
    if t2 < tmax:
        tmax = t2
    return tmin, tmax


@nb.njit(cache=True, inline="always")
def _finish(tmin, tmax):
    """Keep the l ≥ 0 part; zero-length, empty or unbounded chords (zero direction) become NaN."""
    if tmin < 0.0:
        tmin = 0.0
    if not (tmax > tmin and tmax < np.inf):
        return _NAN, _NAN
    return tmin, tmax


@nb.njit(cache=True, inline="always")
def _bad(ox, oy, oz, dx, dy, dz):
    """True if any coordinate is NaN or infinite (x − x is NaN for both)."""
    return not (ox - ox == 0.0 and oy - oy == 0.0 and oz - oz == 0.0
                and dx - dx == 0.0 and dy - dy == 0.0 and dz - dz == 0.0)


@nb.njit(cache=True)
def _box_chord(ox, oy, oz, dx, dy, dz, hx, hy, hz):
    """Slab method (Kay & Kajiya 1986) for one ray and the box |x|≤hx, |y|≤hy, |z|≤hz."""
    if _bad(ox, oy, oz, dx, dy, dz):
        return _NAN, _NAN
    tmin, tmax = -np.inf, np.inf
    tmin, tmax = _slab(ox, dx, hx, tmin, tmax)
    tmin, tmax = _slab(oy, dy, hy, tmin, tmax)
    tmin, tmax = _slab(oz, dz, hz, tmin, tmax)
    return _finish(tmin, tmax)


@nb.njit(cache=True)
def _quadratic_roots(a, b, c, disc):
    """Ordered roots of a t² + 2 b t + c = 0 given a > 0 and disc = b² − a c > 0 (the caller
    supplies disc in a cancellation-free form). Numerically stable pair (Numerical Recipes §5.6):
    q = −(b + sign(b)√disc), t = q/a and c/q; q ≠ 0 because disc > 0."""
    s = np.sqrt(disc)
    q = -(b + s) if b >= 0.0 else -(b - s)
    t1 = q / a
    t2 = c / q
    if t1 > t2:
        t1, t2 = t2, t1
    return t1, t2


@nb.njit(cache=True)
def _cylinder_chord(ox, oy, oz, dx, dy, dz, r, hz):
    """Chord through the cylinder x² + y² ≤ r², |z| ≤ hz (axis = local z)."""
    if _bad(ox, oy, oz, dx, dy, dz):
        return _NAN, _NAN
    a = dx * dx + dy * dy
    if a == 0.0:
        # parallel to the axis: inside the infinite cylinder or never
        if ox * ox + oy * oy > r * r:
            return _NAN, _NAN
        tmin, tmax = -np.inf, np.inf
    else:
        b = ox * dx + oy * dy
        cross = ox * dy - oy * dx
        disc = a * r * r - cross * cross  # = b² − a(|o⊥|² − r²), Lagrange identity, no cancellation
        if not disc > 0.0:
            return _NAN, _NAN
        tmin, tmax = _quadratic_roots(a, b, ox * ox + oy * oy - r * r, disc)
    tmin, tmax = _slab(oz, dz, hz, tmin, tmax)
    return _finish(tmin, tmax)


@nb.njit(cache=True)
def _sphere_chord(ox, oy, oz, dx, dy, dz, r):
    """Chord through the ball |x| ≤ r."""
    if _bad(ox, oy, oz, dx, dy, dz):
        return _NAN, _NAN
    a = dx * dx + dy * dy + dz * dz
    if a == 0.0:
        return _NAN, _NAN
    b = ox * dx + oy * dy + oz * dz
    cx = oy * dz - oz * dy
    cy = oz * dx - ox * dz
    cz = ox * dy - oy * dx
    disc = a * r * r - (cx * cx + cy * cy + cz * cz)
    if not disc > 0.0:
        return _NAN, _NAN
    tmin, tmax = _quadratic_roots(a, b, ox * ox + oy * oy + oz * oz - r * r, disc)
    return _finish(tmin, tmax)


# ---------------------------------------------------------------------------------------------
# vectorised kernels, local frame
@nb.njit(cache=True)
def box_intersect(o, d, half):
    """Chords of rays through an axis-aligned box centred at the origin with half-lengths ``half``."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        l_in[i], l_out[i] = _box_chord(
            o[i, 0], o[i, 1], o[i, 2], d[i, 0], d[i, 1], d[i, 2], half[0], half[1], half[2]
        )
    return l_in, l_out


@nb.njit(cache=True)
def cylinder_intersect(o, d, radius, half_height):
    """Chords through the cylinder of ``radius`` and half-height along local z, centred at 0."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        l_in[i], l_out[i] = _cylinder_chord(
            o[i, 0], o[i, 1], o[i, 2], d[i, 0], d[i, 1], d[i, 2], radius, half_height
        )
    return l_in, l_out


@nb.njit(cache=True)
def sphere_intersect(o, d, radius):
    """Chords through the ball of ``radius`` centred at the origin."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        l_in[i], l_out[i] = _sphere_chord(
            o[i, 0], o[i, 1], o[i, 2], d[i, 0], d[i, 1], d[i, 2], radius
        )
    return l_in, l_out


# ---------------------------------------------------------------------------------------------
# vectorised kernels, facility frame (frame change fused into the loop)
@nb.njit(cache=True, inline="always")
def _to_local(o, d, i, c, rot):
    px = o[i, 0] - c[0]
    py = o[i, 1] - c[1]
    pz = o[i, 2] - c[2]
    dx, dy, dz = d[i, 0], d[i, 1], d[i, 2]
    lox = px * rot[0, 0] + py * rot[1, 0] + pz * rot[2, 0]
    loy = px * rot[0, 1] + py * rot[1, 1] + pz * rot[2, 1]
    loz = px * rot[0, 2] + py * rot[1, 2] + pz * rot[2, 2]
    ldx = dx * rot[0, 0] + dy * rot[1, 0] + dz * rot[2, 0]
    ldy = dx * rot[0, 1] + dy * rot[1, 1] + dz * rot[2, 1]
    ldz = dx * rot[0, 2] + dy * rot[1, 2] + dz * rot[2, 2]
    return lox, loy, loz, ldx, ldy, ldz


@nb.njit(cache=True)
def box_intersect_placed(o, d, centre, rotation, half):
    """Box chords for rays in the facility frame; see module docstring."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        ox, oy, oz, dx, dy, dz = _to_local(o, d, i, centre, rotation)
        l_in[i], l_out[i] = _box_chord(ox, oy, oz, dx, dy, dz, half[0], half[1], half[2])
    return l_in, l_out


@nb.njit(cache=True)
def cylinder_intersect_placed(o, d, centre, rotation, radius, half_height):
    """Cylinder chords (axis = rotation[:, 2]) for rays in the facility frame."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        ox, oy, oz, dx, dy, dz = _to_local(o, d, i, centre, rotation)
        l_in[i], l_out[i] = _cylinder_chord(ox, oy, oz, dx, dy, dz, radius, half_height)
    return l_in, l_out


@nb.njit(cache=True)
def sphere_intersect_placed(o, d, centre, rotation, radius):
    """Sphere chords for rays in the facility frame (the rotation is irrelevant but accepted)."""
    n = o.shape[0]
    l_in = np.empty(n)
    l_out = np.empty(n)
    for i in range(n):
        ox, oy, oz, dx, dy, dz = _to_local(o, d, i, centre, rotation)
        l_in[i], l_out[i] = _sphere_chord(ox, oy, oz, dx, dy, dz, radius)
    return l_in, l_out


# ---------------------------------------------------------------------------------------------
# several placed convex parts (unions): part kinds 0 = box (half-lengths p0, p1, p2),
# 1 = cylinder (radius p0, half-height p1), 2 = sphere (radius p0)
BOX, CYLINDER, SPHERE = 0, 1, 2


@nb.njit(cache=True)
def _part_chord(kind, ox, oy, oz, dx, dy, dz, p):
    if kind == 0:
        return _box_chord(ox, oy, oz, dx, dy, dz, p[0], p[1], p[2])
    if kind == 1:
        return _cylinder_chord(ox, oy, oz, dx, dy, dz, p[0], p[1])
    return _sphere_chord(ox, oy, oz, dx, dy, dz, p[0])


@nb.njit(cache=True)
def parts_segments_placed(o, d, kinds, centres, rotations, params):
    """Chords (n, k, 2) of rays in the facility frame through k placed parts.

    ``kinds`` (k,) int, ``centres`` (k, 3), ``rotations`` (k, 3, 3) (columns = local axes),
    ``params`` (k, 3) as listed above. NaN pairs where a ray misses a part.
    """
    n = o.shape[0]
    k = kinds.shape[0]
    out = np.empty((n, k, 2))
    for j in range(k):
        c = centres[j]
        rot = rotations[j]
        p = params[j]
        kind = kinds[j]
        for i in range(n):
            ox, oy, oz, dx, dy, dz = _to_local(o, d, i, c, rot)
            out[i, j, 0], out[i, j, 1] = _part_chord(kind, ox, oy, oz, dx, dy, dz, p)
    return out


@nb.njit(cache=True)
def parts_envelope_placed(o, d, kinds, centres, rotations, params):
    """First entry and last exit (n,) over k placed parts; NaN if every part is missed."""
    n = o.shape[0]
    k = kinds.shape[0]
    l_in = np.full(n, np.nan)
    l_out = np.full(n, np.nan)
    for i in range(n):
        for j in range(k):
            ox, oy, oz, dx, dy, dz = _to_local(o, d, i, centres[j], rotations[j])
            a, b = _part_chord(kinds[j], ox, oy, oz, dx, dy, dz, params[j])
            if a == a:  # not NaN
                if not (l_in[i] <= a):
                    l_in[i] = a
                if not (l_out[i] >= b):
                    l_out[i] = b
    return l_in, l_out
