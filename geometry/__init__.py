"""darkbeam.geometry — shapes, placements in the facility frame, ray intersection, the target
model and detector-directed direction sampling.

Frame (DESIGN.md): origin at the target (or dump face), +z along the incident beam, +y up
(orthogonalised to z), x = y × z. Lengths in metres.

The numerical core is plain functions on arrays (:mod:`darkbeam.geometry.kernels`,
:mod:`darkbeam.geometry.sampling`); shapes and placements are thin classes that hold parameters
and call those kernels.
"""

from .frames import (
    dipping_beam_up,
    facility_axes,
    hall_level_rotation,
    off_axis_angle,
    rotation_from_axes,
    rotation_from_axis,
)
from .placement import Placement
from .sampling import cone_directions, directed_directions, isotropic_directions, sphere_solid_angle
from .shapes import Box, Cylinder, Shape, Sphere, Union
from .target import Target, TargetSegment

__all__ = [
    "Box", "Cylinder", "Placement", "Shape", "Sphere", "Target", "TargetSegment", "Union",
    "cone_directions", "dipping_beam_up", "directed_directions", "facility_axes",
    "hall_level_rotation", "isotropic_directions", "off_axis_angle", "rotation_from_axes",
    "rotation_from_axis", "sphere_solid_angle",
]
