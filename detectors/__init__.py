"""darkbeam.detectors — the catalog of facilities, detectors and materials.

Data live in ``data/`` (one TOML file per facility and per detector, each number with its source);
this package only loads and validates them.
"""

from .catalog import (
    Detector,
    Facility,
    Material,
    detector_from_dict,
    list_detectors,
    list_facilities,
    load_detector,
    load_facility,
    load_material,
)

__all__ = [
    "Detector", "Facility", "Material", "detector_from_dict", "list_detectors",
    "list_facilities", "load_detector", "load_facility", "load_material",
]
