"""darkbeam.geometry — shapes, placements in the facility frame, and ray intersection.

Frame (DESIGN.md): origin at the target (or dump face), +z along the incident beam, +y up
(orthogonalised to z), x = y × z. Lengths in metres.

The numerical core is plain functions on arrays (:mod:`darkbeam.geometry.kernels`); shapes and
placements are thin classes that hold parameters and call those kernels.
"""

from .placement import Placement
from .shapes import Box, Shape

__all__ = ["Box", "Placement", "Shape"]
