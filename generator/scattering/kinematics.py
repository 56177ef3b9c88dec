"""Final-state four-momenta of 2 → 2 scattering on a target at rest (arrays, GeV).

Elastic recoil at kinetic energy T (formulas-detection.md §3, common notation; PDG RPP
"Kinematics" §49.5): E_r = M + T, |p_r| = √(T(T + 2M)), cosθ_r = (E + M)/p · √(T/(T + 2M)).
The scattered projectile is p_in + (0, M) − p_r, so four-momentum is conserved by construction.
"""

from __future__ import annotations

import numpy as np


def orthonormal_frame(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors e₁, e₂ with (e₁, e₂, d) right-handed and orthonormal; d (n, 3) unit."""
    a = np.zeros_like(d)
    use_x = np.abs(d[:, 0]) < 0.9
    a[use_x, 0] = 1.0
    a[~use_x, 1] = 1.0
    e1 = np.cross(a, d)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(d, e1)
    return e1, e2


def direction_at(d: np.ndarray, cos_t: np.ndarray, sin_t: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Unit vectors at polar angle θ (given by cos, sin) and azimuth φ around the unit vectors d."""
    e1, e2 = orthonormal_frame(d)
    return (cos_t[:, None] * d + (sin_t * np.cos(phi))[:, None] * e1
            + (sin_t * np.sin(phi))[:, None] * e2)


def elastic_recoil(p4: np.ndarray, target_mass: float, t: np.ndarray, phi: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(scattered projectile, recoil) four-momenta for recoil kinetic energy ``t`` and azimuth ``phi``."""
    p = np.linalg.norm(p4[:, :3], axis=1)
    d = p4[:, :3] / p[:, None]
    M = target_mass
    pr = np.sqrt(t * (t + 2 * M))
    cos_r = np.clip((p4[:, 3] + M) / p * np.sqrt(t / (t + 2 * M)), -1.0, 1.0)
    sin_r = np.sqrt(np.maximum(0.0, 1.0 - cos_r * cos_r))
    recoil = np.empty_like(p4)
    recoil[:, :3] = pr[:, None] * direction_at(d, cos_r, sin_r, phi)
    recoil[:, 3] = M + t
    out = p4.copy()
    out[:, 3] += M
    out -= recoil
    return out, recoil


def photon_at_angle(p4: np.ndarray, target_mass: float, v: np.ndarray, e_gamma: np.ndarray,
                    phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(photon, recoil) for a → γ at v = 1 − cosθ with energy ``e_gamma`` (from exact kinematics);
    the recoil takes p_in + (0, M) − k."""
    p = np.linalg.norm(p4[:, :3], axis=1)
    d = p4[:, :3] / p[:, None]
    sin_t = np.sqrt(np.maximum(v * (2 - v), 0.0))
    k = np.empty_like(p4)
    k[:, :3] = e_gamma[:, None] * direction_at(d, 1.0 - v, sin_t, phi)
    k[:, 3] = e_gamma
    rec = p4.copy()
    rec[:, 3] += target_mass
    rec -= k
    return k, rec
