"""The coordinate frame a detector simulation expects its primaries in.

Detector simulations take vertices in the detector's own coordinates (LArSoft: the frame of the
detector's GDML world, e.g. SBND's origin on the TPC front face; edep-sim: its geometry's frame),
not in darkbeam's facility frame (origin at the target, +z along the beam, DESIGN.md "Frames").
A :class:`DetectorFrame` holds where that frame sits in the facility frame: its ``origin`` (m) and a
rotation whose *columns* are its x, y, z axes in facility coordinates (the same convention as
:class:`darkbeam.geometry.Placement`, so ``DetectorFrame.from_placement(detector.placement)`` gives
the frame centred on the detector volume with its axes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class DetectorFrame:
    origin: np.ndarray                                              #: (3,) m, facility frame
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))  #: columns = local axes

    def __post_init__(self) -> None:
        o = np.asarray(self.origin, dtype=float).reshape(3)
        r = np.asarray(self.rotation, dtype=float).reshape(3, 3)
        if not np.all(np.isfinite(o)):
            raise ValueError(f"detector frame origin must be three finite numbers (m), got {o.tolist()}")
        if not np.allclose(r.T @ r, np.eye(3), atol=1e-9) or np.linalg.det(r) < 0:
            raise ValueError("detector frame rotation must be orthonormal and right-handed "
                             f"(columns = the detector's x, y, z axes in the facility frame), got {r.tolist()}")
        object.__setattr__(self, "origin", o)
        object.__setattr__(self, "rotation", r)

    @classmethod
    def from_placement(cls, placement) -> "DetectorFrame":
        """Any object with ``centre`` (m) and ``rotation`` (e.g. :class:`darkbeam.geometry.Placement`)."""
        return cls(placement.centre, placement.rotation)

    @classmethod
    def from_metadata(cls, value) -> "DetectorFrame | None":
        """From the metadata key ``detector_frame``: None, a DetectorFrame / Placement-like object,
        or a dict ``{"origin": [x, y, z] (m), "rotation": 3×3 nested list}``."""
        if value is None or isinstance(value, DetectorFrame):
            return value
        if hasattr(value, "centre"):
            return cls.from_placement(value)
        if isinstance(value, dict) and "origin" in value:
            return cls(value["origin"], value.get("rotation", np.eye(3)))
        raise ValueError(f"metadata 'detector_frame' must be a dict with 'origin' (m) and 'rotation', got {value!r}")

    def to_dict(self) -> dict:
        return {"origin": self.origin.tolist(), "rotation": self.rotation.tolist(), "units": "m"}

    # transformations (arrays of shape (..., 3)) -------------------------------------------------
    def point_to_local(self, xyz: np.ndarray) -> np.ndarray:
        return (np.asarray(xyz, dtype=float) - self.origin) @ self.rotation

    def vector_to_local(self, v: np.ndarray) -> np.ndarray:
        return np.asarray(v, dtype=float) @ self.rotation

    def point_to_facility(self, xyz: np.ndarray) -> np.ndarray:
        return np.asarray(xyz, dtype=float) @ self.rotation.T + self.origin

    def vector_to_facility(self, v: np.ndarray) -> np.ndarray:
        return np.asarray(v, dtype=float) @ self.rotation.T
