"""darkbeam.detectors — the catalog of facilities, detectors and materials.

Data live in ``data/`` (one TOML file per facility and per detector, each number with its source);
this package only loads and validates them, and draws facilities.
"""

from .catalog import (
    Detector,
    Facility,
    detector_from_dict,
    detector_table,
    list_detectors,
    list_facilities,
    load_detector,
    load_facility,
)
from .materials import Material, list_materials, load_material, material_from_dict

__all__ = [
    "Detector", "Facility", "Material", "detector_from_dict", "detector_table", "draw_facility",
    "list_detectors", "list_facilities", "list_materials", "load_detector", "load_facility",
    "load_material", "material_from_dict",
]


def draw_facility(name: str, path: str) -> str:
    """Write a top and side view of facility ``name`` to ``path`` (PNG); see :mod:`.draw`."""
    from .draw import draw_facility as _draw

    return _draw(name, path)
