"""The production target (or dump) along the beam, and where the beam protons interact in it.

The beam runs along +z of the facility frame. A target is one or more coaxial cylindrical
segments on the beam axis (the LANSCE Lujan Mark-III target has two tungsten pieces with a gap).
A proton's first inelastic interaction is sampled from the exponential law in the nuclear
interaction length λ_I of each segment's material, truncated to the material the beam crosses:
with total optical depth τ = Σ Lᵢ/λᵢ, the depth reached is τ' = −log1p(u·expm1(−τ)) for u ~ U(0,1)
(for one segment ℓ = −λ log1p(u·expm1(−L/λ))), then mapped back to z through the segments.
Protons that pass through without interacting are not sampled: weights per POT carry the
interaction probability 1 − e^{−τ} where the physics needs it.

Lengths in metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .placement import Placement
from .shapes import Cylinder


@dataclass(frozen=True)
class TargetSegment:
    """A cylinder of material on the beam axis from ``z_start`` to ``z_start + length`` (m).

    ``interaction_length`` is λ_I/ρ (m) of its material.
    """

    z_start: float
    length: float
    radius: float
    interaction_length: float
    material: str = ""

    def __post_init__(self) -> None:
        for key in ("length", "radius", "interaction_length"):
            v = float(getattr(self, key))
            if not (np.isfinite(v) and v > 0):
                raise ValueError(f"target {key} must be positive and finite (m), got {v!r}")
            object.__setattr__(self, key, v)
        if not np.isfinite(self.z_start):
            raise ValueError(f"target z_start must be finite (m), got {self.z_start!r}")
        object.__setattr__(self, "z_start", float(self.z_start))

    @property
    def z_end(self) -> float:
        return self.z_start + self.length

    def shape_and_placement(self) -> tuple[Cylinder, Placement]:
        """The segment as a cylinder placed in the facility frame (axis = beam)."""
        return Cylinder(self.radius, self.length), Placement([0.0, 0.0, self.z_start + 0.5 * self.length])


@dataclass(frozen=True)
class Target:
    """A target or dump: ordered, non-overlapping segments along the beam.

    ``mode`` is ``"target"`` or ``"dump"`` (beam stopped in a thick absorber, e.g. the BNB
    off-target run onto the steel absorber). ``beam_sigma`` (m) is the RMS of a round Gaussian
    beam spot; it is truncated at each segment's radius (all protons are assumed to hit).
    ``point_like``: every interaction point is the frame origin (a point-like source, as in peer
    codes that place all production at one point); the segments still give the material and the
    interaction probability 1 − e^{−τ}, so the normalisation per POT is unchanged.
    """

    segments: tuple[TargetSegment, ...]
    mode: str = "target"
    beam_sigma: float = 0.0
    point_like: bool = False

    def __post_init__(self) -> None:
        segs = tuple(self.segments)
        if not segs:
            raise ValueError("a target needs at least one segment")
        for a, b in zip(segs, segs[1:]):
            if b.z_start < a.z_end - 1e-12:
                raise ValueError(
                    f"target segments must be ordered along the beam and not overlap: segment at "
                    f"z = {b.z_start} m starts before the previous one ends at {a.z_end} m"
                )
        if self.mode not in ("target", "dump"):
            raise ValueError(f"target mode must be 'target' or 'dump', got {self.mode!r}")
        if not (np.isfinite(self.beam_sigma) and self.beam_sigma >= 0):
            raise ValueError(f"beam_sigma must be ≥ 0 (m), got {self.beam_sigma!r}")
        if not isinstance(self.point_like, bool):
            raise ValueError(f"point_like must be true or false, got {self.point_like!r}")
        object.__setattr__(self, "segments", segs)

    @property
    def optical_depth(self) -> float:
        """Total thickness in nuclear interaction lengths, Σ Lᵢ/λᵢ."""
        return float(sum(s.length / s.interaction_length for s in self.segments))

    @property
    def interaction_probability(self) -> float:
        """Probability that a beam proton interacts in the target, 1 − e^{−τ}."""
        return float(-np.expm1(-self.optical_depth))

    @property
    def z_range(self) -> tuple[float, float]:
        return self.segments[0].z_start, self.segments[-1].z_end

    def sample_interaction_points(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """(n, 3) first-interaction points (m, facility frame); all at the origin if ``point_like``."""
        if self.point_like:
            return np.zeros((n, 3))
        lam = np.array([s.interaction_length for s in self.segments])
        length = np.array([s.length for s in self.segments])
        z0 = np.array([s.z_start for s in self.segments])
        radius = np.array([s.radius for s in self.segments])
        cum = np.concatenate([[0.0], np.cumsum(length / lam)])
        u = rng.random(n)
        tau = -np.log1p(u * np.expm1(-cum[-1]))
        k = np.clip(np.searchsorted(cum, tau, side="right") - 1, 0, len(lam) - 1)
        z = z0[k] + np.minimum((tau - cum[k]) * lam[k], length[k])
        out = np.zeros((n, 3))
        out[:, 2] = z
        if self.beam_sigma > 0:
            # Rayleigh radius truncated at the segment radius, by inverse CDF
            v = rng.random(n)
            s2 = 2.0 * self.beam_sigma**2
            r = np.sqrt(-s2 * np.log1p(v * np.expm1(-radius[k] ** 2 / s2)))
            phi = rng.uniform(0.0, 2.0 * np.pi, n)
            out[:, 0] = r * np.cos(phi)
            out[:, 1] = r * np.sin(phi)
        return out
