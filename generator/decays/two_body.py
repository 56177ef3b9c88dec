"""Two-body decays X → 1 + 2 with the rest-frame angular distribution fixed by X's polarization.

Spin-0 X (ALP, scalar) and unpolarized X decay isotropically. A vector X made in P → γX
(P = π⁰, η, η′) is transversely polarized along its direction in the P rest frame (P has spin 0
and the photon helicity is ±1, so λ_X = λ_γ = ±1); relative to that helicity axis the decay
distributions are (massive daughters of velocity β in the X rest frame)

* X → f f̄ :  dN/dcosθ ∝ 1 + cos²θ + (1 − β²) sin²θ = (2 − β²) + β² cos²θ,
* X → π⁺π⁻ (spin-0 pair) : dN/dcosθ ∝ sin²θ (|d¹_{±1,0}(θ)|²),

(helicity formalism, e.g. PDG RPP "Kinematics" and Jacob–Wick, Ann. Phys. 7 (1959) 404; the fermion
form follows from the helicity amplitudes ∝ m_X(1 ± cosθ) for spin-flip and 2m_f sinθ for
non-flip; summed over λ_X = ±1, 0 the distributions add up to isotropy, which the tests check).
"""

from __future__ import annotations

import numpy as np

from ..kinematics import boost, two_body_momentum
from ..scattering.kinematics import direction_at

PSEUDOSCALARS = (111, 221, 331)


def helicity_axis(x_p4: np.ndarray, parent_p4: np.ndarray) -> np.ndarray:
    """X's direction in its parent's rest frame, as seen in the X rest frame (unit vectors):
    the opposite of the parent's momentum boosted into the X rest frame."""
    to_rest = x_p4.copy()
    to_rest[:, :3] *= -1.0
    par = boost(np.ascontiguousarray(parent_p4), to_rest)
    axis = -par[:, :3]
    norm = np.linalg.norm(axis, axis=1)
    ok = norm > 0
    # degenerate input (parent at rest in the X frame: not a two-body P → γX) → +z, harmless
    return np.where(ok[:, None], axis / np.where(ok, norm, 1.0)[:, None], np.array([0.0, 0.0, 1.0]))


def sample_a_plus_b_cos2(a: float, b: float, rng: np.random.Generator, n: int) -> np.ndarray:
    """cosθ on [−1, 1] with density ∝ a + b cos²θ (≥ 0), by accept–reject (exact, vectorised)."""
    top = max(a, a + b)
    out = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        c = 2.0 * rng.random(todo.size) - 1.0
        keep = rng.random(todo.size) * top <= a + b * c * c
        out[todo[keep]] = c[keep]
        todo = todo[~keep]
    return out


def decay_from_directions(parent_p4: np.ndarray, m1: float, m2: float, dirs: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Lab four-momenta of X → 1 + 2 with daughter 1 along ``dirs`` (unit, X rest frame)."""
    m_parent = np.sqrt(np.maximum(parent_p4[:, 3] ** 2 - np.sum(parent_p4[:, :3] ** 2, axis=1), 0.0))
    p = two_body_momentum(m_parent, m1, m2)
    k1 = np.empty((len(p), 4))
    k1[:, :3] = p[:, None] * dirs
    k1[:, 3] = np.sqrt(p * p + m1 * m1)
    k2 = np.empty_like(k1)
    k2[:, :3] = -k1[:, :3]
    k2[:, 3] = np.sqrt(p * p + m2 * m2)
    return boost(k1, parent_p4), boost(k2, parent_p4)


def angular_coefficients(daughter_spin: str, beta: float) -> tuple[float, float]:
    """(a, b) of a + b cos²θ for a transversely polarized vector: fermions or scalars."""
    if daughter_spin == "fermion":
        return 2.0 - beta * beta, beta * beta
    if daughter_spin == "scalar":
        return 1.0, -1.0
    return 1.0, 0.0


def polarized_two_body(x_p4: np.ndarray, m_x: float, axis: np.ndarray, transverse: np.ndarray, m1: float,
                       m2: float, daughter_spin: str, rng: np.random.Generator
                       ) -> tuple[np.ndarray, np.ndarray]:
    """X (mass ``m_x``) → 1 + 2: rows with ``transverse`` True follow the transverse-vector
    distribution about ``axis`` (X rest frame), the others are isotropic."""
    n = len(x_p4)
    beta = float(2 * two_body_momentum(m_x, m1, m2) / m_x) if m1 == m2 else 1.0
    a, b = angular_coefficients(daughter_spin, beta)
    axis = np.where(transverse[:, None], axis, np.array([0.0, 0.0, 1.0]))
    cos_t = np.where(transverse, sample_a_plus_b_cos2(a, b, rng, n), 2.0 * rng.random(n) - 1.0)
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t * cos_t))
    phi = 2 * np.pi * rng.random(n)
    dirs = direction_at(axis, cos_t, sin_t, phi)
    return decay_from_directions(x_p4, m1, m2, dirs)
