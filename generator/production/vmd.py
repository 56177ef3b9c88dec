"""Vector-meson dominance pieces of the meson channels (Darkcast, arXiv:1801.04847).

* :func:`breit_wigner` — BW_V(m) of Darkcast App. A: running width (Eq. A.3, default),
  fixed width (Eq. A.2) or none (BW = 1, the chiral-anomaly limit).
* :func:`meson_form_factor` — F_P(m) for P = π⁰, η, η′ with quark couplings (c_u, c_d, c_s),
  the ratio of the VMD sums of Darkcast Eqs. 2.7–2.10 (formulas-production.md §1.3):

      F_π⁰ = [(c_u−c_d)BW_ρ + 3(c_u+c_d)BW_ω] / [BW_ρ + BW_ω]
      F_η  = 3[3(c_u−c_d)BW_ρ + (c_u+c_d)BW_ω + 2c_s BW_φ] / [9BW_ρ + BW_ω − 2BW_φ]
      F_η′ = 3[3(c_u−c_d)BW_ρ + (c_u+c_d)BW_ω − 4c_s BW_φ] / [9BW_ρ + BW_ω + 4BW_φ]

  so that BR(P→γX) = 2|F_P(m)|²(1−m²/m_P²)³ BR(P→γγ); F_P = ε for the dark photon for any BW,
  and F_P reduces to the chiral-limit factors of §1.2 for BW = 1.
* :func:`mixing_ratio` — |Tr(T_V C)/Tr(T_V Q)|² (Darkcast Eq. 2.11): ρ (c_u−c_d)², ω 9(c_u+c_d)²,
  φ 9c_s² (in units where the dark photon gives ε²).

Caveat (formulas-production.md §1.3, seed001 §2.1): when 2c_u + c_d = 0 (protophobic,
chargephobic) F_π⁰ comes only from the ρ–ω splitting and depends on the width prescription by
orders of magnitude; isospin breaking is not in VMD.
"""

from __future__ import annotations

import numpy as np

from ..kinematics import two_body_momentum
from ._data import table

BW_CHOICES = ("run", "fix", "none")


def _vm(name: str) -> tuple[float, float, list]:
    t = table("darkcast_vmd")[name]
    return t["mass"], t["width"], t["channels"]


def running_width_factor(name: str, m: np.ndarray) -> np.ndarray:
    """k(m) = Σ_i BR_i [p_i(m)/p_i(m_V)]³ (p-wave), channels contributing above threshold
    (Darkcast Eq. A.3)."""
    m_v, _, channels = _vm(name)
    m = np.asarray(m, dtype=float)
    k = np.zeros_like(m)
    for br, m1, m2 in channels:
        open_ = m > m1 + m2
        p = np.where(open_, two_body_momentum(np.where(open_, m, m1 + m2 + 1.0), m1, m2), 0.0)
        k = k + br * (p / two_body_momentum(m_v, m1, m2)) ** 3
    return k


def breit_wigner(name: str, m: np.ndarray | float, bw: str = "run") -> np.ndarray:
    """BW_V(m) for V = ``rho``, ``omega``, ``phi`` (complex, → 1 at m → 0).

    ``run``: m_V²/(m_V² − m² − i m_V² Γ_V k(m)/m) (Darkcast Eq. A.3);
    ``fix``: m_V²/(m_V² − m² − i m Γ_V) (Eq. A.2); ``none``: 1.
    """
    if bw not in BW_CHOICES:
        raise ValueError(f"bw must be one of {BW_CHOICES}, got {bw!r}")
    m = np.asarray(m, dtype=float)
    if bw == "none":
        return np.ones_like(m, dtype=complex)
    m_v, g_v, _ = _vm(name)
    if bw == "fix":
        return m_v**2 / (m_v**2 - m * m - 1j * m * g_v)
    with np.errstate(divide="ignore", invalid="ignore"):
        im = np.where(m > 0, m_v**2 * g_v * running_width_factor(name, m) / np.where(m > 0, m, 1.0), 0.0)
    return m_v**2 / (m_v**2 - m * m - 1j * im)


def meson_form_factor(meson: str, m: np.ndarray | float, cu: float, cd: float, cs: float,
                      bw: str = "run") -> np.ndarray:
    """F_P(m) (complex) for ``meson`` in pi0, eta, etaprime; couplings in units of e."""
    b_r, b_w, b_f = (breit_wigner(v, m, bw) for v in ("rho", "omega", "phi"))
    if meson == "pi0":
        return ((cu - cd) * b_r + 3 * (cu + cd) * b_w) / (b_r + b_w)
    if meson == "eta":
        return 3 * (3 * (cu - cd) * b_r + (cu + cd) * b_w + 2 * cs * b_f) / (9 * b_r + b_w - 2 * b_f)
    if meson == "etaprime":
        return 3 * (3 * (cu - cd) * b_r + (cu + cd) * b_w - 4 * cs * b_f) / (9 * b_r + b_w + 4 * b_f)
    raise ValueError(f"meson must be pi0, eta or etaprime, got {meson!r}")


def mixing_ratio(vector: str, cu: float, cd: float, cs: float) -> float:
    """|Tr(T_V C)/Tr(T_V Q)|² for V = ``rho0``, ``omega``, ``phi`` (Darkcast Eq. 2.11)."""
    ratios = {"rho0": (cu - cd) ** 2, "omega": 9 * (cu + cd) ** 2, "phi": 9 * cs**2}
    if vector not in ratios:
        raise ValueError(f"vector must be rho0, omega or phi, got {vector!r}")
    return ratios[vector]
