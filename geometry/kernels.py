"""Numba kernels for ray–shape intersection, in the shape's local frame.

Each kernel takes ray origins ``o`` (n, 3) and unit directions ``d`` (n, 3) and returns the
entry and exit path lengths ``(l_in, l_out)`` (m) along the ray, with ``l_in = 0`` for a ray
that starts inside and NaN for a ray that misses (or only grazes, i.e. a chord of zero length).
Only the part of the line with l ≥ 0 counts: the ray does not look backwards.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def _box_chord(ox, oy, oz, dx, dy, dz, hx, hy, hz):
    """Slab method (Kay & Kajiya 1986) for one ray and the box |x|≤hx, |y|≤hy, |z|≤hz."""
    tmin = -np.inf
    tmax = np.inf
    for o, d, h in ((ox, dx, hx), (oy, dy, hy), (oz, dz, hz)):
        if d == 0.0:
            # parallel to this pair of faces: inside the slab or never
            if o < -h or o > h:
                return np.nan, np.nan
        else:
            t1 = (-h - o) / d
            t2 = (h - o) / d
            if t1 > t2:
                t1, t2 = t2, t1
            if t1 > tmin:
                tmin = t1
            if t2 < tmax:
                tmax = t2
    if tmin < 0.0:
        tmin = 0.0
    if not tmax > tmin:
        return np.nan, np.nan
    return tmin, tmax


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
