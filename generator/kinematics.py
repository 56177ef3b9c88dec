"""Relativistic kinematics on arrays: two-body decays and Lorentz boosts.

Four-vectors are (n, 4) arrays (px, py, pz, E) in GeV.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np


def two_body_momentum(m_parent: float | np.ndarray, m1: float, m2: float) -> np.ndarray:
    """Daughter momentum in the parent rest frame, |p| = λ^{1/2}(M², m₁², m₂²)/(2M) (GeV)."""
    M = np.asarray(m_parent, dtype=float)
    lam = (M * M - (m1 + m2) ** 2) * (M * M - (m1 - m2) ** 2)
    return np.sqrt(np.maximum(lam, 0.0)) / (2.0 * M)


@nb.njit(cache=True)
def boost(p4_rest, parent_p4):
    """Boost four-vectors given in the parent's rest frame to the frame where the parent has
    ``parent_p4`` (row by row). Standard boost with β = p/E, γ = E/m (PDG RPP kinematics §49.1)."""
    n = p4_rest.shape[0]
    out = np.empty_like(p4_rest)
    for i in range(n):
        E = parent_p4[i, 3]
        px, py, pz = parent_p4[i, 0], parent_p4[i, 1], parent_p4[i, 2]
        m2 = E * E - px * px - py * py - pz * pz
        m = np.sqrt(m2) if m2 > 0.0 else 0.0
        bx, by, bz = px / E, py / E, pz / E
        b2 = bx * bx + by * by + bz * bz
        qx, qy, qz, qE = p4_rest[i, 0], p4_rest[i, 1], p4_rest[i, 2], p4_rest[i, 3]
        if b2 < 1e-300:
            out[i, 0], out[i, 1], out[i, 2], out[i, 3] = qx, qy, qz, qE
            continue
        gamma = E / m
        bq = bx * qx + by * qy + bz * qz
        # (γ−1)/β² written as γ²/(γ+1), stable for small β
        f = gamma * gamma / (gamma + 1.0) * bq + gamma * qE
        out[i, 0] = qx + f * bx
        out[i, 1] = qy + f * by
        out[i, 2] = qz + f * bz
        out[i, 3] = gamma * (qE + bq)
    return out


def two_body_decay(parent_p4: np.ndarray, m1: float, m2: float, u_cos: np.ndarray,
                   u_phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic two-body decay P → 1 + 2 in the parent rest frame, boosted to the lab.

    ``u_cos`` and ``u_phi`` are uniform deviates giving cos θ* = 2u − 1 and φ* = 2πu of daughter 1
    in the rest frame (axes parallel to the lab axes). Returns the daughters' lab four-momenta.
    """
    m_parent = np.sqrt(np.maximum(
        parent_p4[:, 3] ** 2 - np.sum(parent_p4[:, :3] ** 2, axis=1), 0.0))
    p = two_body_momentum(m_parent, m1, m2)
    cos_t = 2.0 * u_cos - 1.0
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t * cos_t))
    phi = 2.0 * np.pi * u_phi
    k = np.empty((len(p), 4))
    k[:, 0] = p * sin_t * np.cos(phi)
    k[:, 1] = p * sin_t * np.sin(phi)
    k[:, 2] = p * cos_t
    k[:, 3] = np.sqrt(p * p + m1 * m1)
    k2 = np.empty_like(k)
    k2[:, :3] = -k[:, :3]
    k2[:, 3] = np.sqrt(p * p + m2 * m2)
    return boost(k, parent_p4), boost(k2, parent_p4)


@nb.njit(cache=True)
def boost_row(qx, qy, qz, qe, px, py, pz, e):
    """Four-vector q given in the rest frame of a particle of lab four-momentum p, in the lab."""
    m2 = e * e - px * px - py * py - pz * pz
    m = math.sqrt(m2) if m2 > 0.0 else 0.0
    bx, by, bz = px / e, py / e, pz / e
    b2 = bx * bx + by * by + bz * bz
    if b2 < 1e-300 or m == 0.0:
        return qx, qy, qz, qe
    gamma = e / m
    bq = bx * qx + by * qy + bz * qz
    f = gamma * gamma / (gamma + 1.0) * bq + gamma * qe
    return qx + f * bx, qy + f * by, qz + f * bz, gamma * (qe + bq)


@nb.njit(cache=True)
def roots_row(e, px, py, pz, ps, mi, dx, dy, dz):
    """(p₀, J₀, p₁, J₁): the lab momenta (p₀ ≥ p₁; −1 when absent) and dΩ*/dΩ of a daughter
    (rest-frame momentum ``ps``, mass ``mi``) of a parent (e, px, py, pz) flying along the unit
    vector d (one row of :func:`lab_momenta_along`, whose docstring gives the formulas)."""
    pp = math.sqrt(px * px + py * py + pz * pz)
    mp2 = e * e - pp * pp
    gamma = e / math.sqrt(mp2) if mp2 > 0.0 else 1.0
    b = pp / e
    c = (px * dx + py * dy + pz * dz) / pp if pp > 0.0 else 0.0
    e_star = math.sqrt(ps * ps + mi * mi)
    e_g = e_star / gamma
    a = 1.0 - b * b * c * c
    bb = e_g * b * c
    cc = mi * mi - e_g * e_g
    disc = bb * bb - a * cc
    p0, j0, p1, j1 = -1.0, 0.0, -1.0, 0.0
    if disc < 0.0:
        return p0, j0, p1, j1
    sq = math.sqrt(disc)
    q = bb + sq if bb >= 0.0 else bb - sq
    r1 = q / a if a > 0.0 else -1.0
    r2 = cc / q if q != 0.0 else -1.0
    for r in (max(r1, r2), min(r1, r2)):
        if r >= 0.0 and r != p0:
            e_lab = math.sqrt(r * r + mi * mi)
            if e_g + b * r * c > 0.0:
                den = gamma * ps * abs(r - b * e_lab * c)
                if den > 0.0:
                    if p0 < 0.0:
                        p0, j0 = r, r * r / den
                    else:
                        p1, j1 = r, r * r / den
    return p0, j0, p1, j1


@nb.njit(cache=True)
def lab_momenta_along(parent_p4, p_star, m, direction):
    """Lab momenta of a daughter (mass ``m`` (n,), rest-frame momentum ``p_star`` (n,)) of parents
    ``parent_p4`` (n, 4) that fly along the unit vectors ``direction`` (n, 3) in the lab.

    With b = |β| of the parent, γ, c = cos of the angle between ``direction`` and β, and
    E* = √(p*² + m²), energy conservation E* = γ(E − b p c) gives

        (1 − b²c²) p² − 2 (E*/γ) b c p + (m² − E*²/γ²) = 0,

    whose roots with p ≥ 0 and E = E*/γ + b p c > 0 are the lab momenta (two when the parent is
    faster than the daughter in its frame, b > p*/E*, and the direction lies inside the cone
    sin θ ≤ p*/(m γ b); one otherwise). For each root the Jacobian of the rest-frame → lab map of
    the daughter's direction is

        dΩ*/dΩ = p² / (γ p* |p − b E c|)

    (from d³p/E invariant at fixed p*; e.g. Byckling & Kajantie, *Particle Kinematics*, §III.4).
    Returns (p_root (n, 2), jacobian (n, 2)); a missing root has p = −1 and jacobian 0. The first
    root is the larger momentum. Roots use the cancellation-free quadratic formula.
    """
    n = parent_p4.shape[0]
    p_out = np.full((n, 2), -1.0)
    jac = np.zeros((n, 2))
    for i in range(n):
        p0, j0, p1, j1 = roots_row(parent_p4[i, 3], parent_p4[i, 0], parent_p4[i, 1], parent_p4[i, 2],
                                   p_star[i], m[i], direction[i, 0], direction[i, 1], direction[i, 2])
        p_out[i, 0], jac[i, 0], p_out[i, 1], jac[i, 1] = p0, j0, p1, j1
    return p_out, jac
