"""Loader for the facility / detector / material data files in ``data/``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import CatalogError
from ..geometry import Box, Placement, Shape

_DATA = resources.files(__package__) / "data"


def _read(kind: str, name: str) -> tuple[dict[str, Any], str]:
    path = _DATA / kind / f"{name}.toml"
    if not path.is_file():
        raise KeyError(name)
    with path.open("rb") as fh:
        return tomllib.load(fh), str(path)


def _names(kind: str) -> list[str]:
    return sorted(p.name[:-5] for p in (_DATA / kind).iterdir() if p.name.endswith(".toml"))


def list_facilities() -> list[str]:
    """Names of the facilities in the catalog."""
    return _names("facilities")


def list_detectors() -> list[str]:
    """Names of the detectors in the catalog."""
    return _names("detectors")


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Material:
    """A material: density (g/cm³), components (Z, A, mass fraction), X₀ and λ_I (g/cm²)."""

    name: str
    density: float
    components: tuple[tuple[int, float, float], ...]
    X0: float
    lambda_I: float
    description: str = ""

    @property
    def interaction_length_m(self) -> float:
        """Nuclear interaction length in metres (λ_I / ρ)."""
        return self.lambda_I / self.density / 100.0

    @property
    def radiation_length_m(self) -> float:
        """Radiation length in metres (X₀ / ρ)."""
        return self.X0 / self.density / 100.0


@lru_cache(maxsize=None)
def _materials() -> dict[str, dict[str, Any]]:
    with (_DATA / "materials.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_material(name: str) -> Material:
    """Material ``name`` from ``data/materials.toml``."""
    table = _materials()
    if name not in table:
        raise CatalogError(f"unknown material {name!r}; known: {', '.join(sorted(table))}")
    m = table[name]
    comps = tuple((int(c["Z"]), float(c["A"]), float(c["fraction"])) for c in m["components"])
    return Material(name, float(m["density"]), comps, float(m["X0"]), float(m["lambda_I"]),
                    m.get("description", ""))


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Detector:
    """A detector volume placed in its facility's frame."""

    name: str
    facility: str
    shape: Shape
    placement: Placement
    material: str
    mass_t: float | None = None
    description: str = ""

    def intersect(self, origins: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entry/exit distances (m) of rays (facility frame, unit directions); NaN for misses."""
        return self.shape.intersect(origins, directions, self.placement)


def _shape_from_dict(spec: dict[str, Any]) -> Shape:
    kind = spec.get("kind")
    if kind == "box":
        return Box(tuple(spec["size"]))
    raise ValueError(f"unknown shape kind {kind!r}; known: box")


def detector_from_dict(spec: dict[str, Any], *, name: str | None = None) -> Detector:
    """Build a :class:`Detector` from a mapping with the layout of the data files.

    Raises ``ValueError`` with a message naming the offending key.
    """
    try:
        shape = _shape_from_dict(dict(spec["shape"]))
        placement = spec.get("placement", {})
        rotation = placement.get("rotation", np.eye(3))
        pl = Placement(placement["centre"], rotation)
    except KeyError as exc:
        raise ValueError(f"detector needs key {exc.args[0]!r}") from None
    material = spec.get("material", "LAr")
    load_material(material)
    return Detector(name or spec.get("name", "custom"), spec.get("facility", ""), shape, pl,
                    material, spec.get("mass_t"), spec.get("description", ""))


def load_detector(name: str) -> Detector:
    """Detector ``name`` from the catalog."""
    try:
        spec, path = _read("detectors", name)
    except KeyError:
        raise CatalogError(
            f"unknown detector {name!r}; known: {', '.join(list_detectors())}"
        ) from None
    try:
        return detector_from_dict(spec, name=name)
    except ValueError as exc:
        raise CatalogError(f"{path}: {exc}") from None


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Facility:
    """A beam line: beam, target and the default source parameters."""

    name: str
    beam_particle: str
    beam_kinetic_energy: float   # GeV
    beam_momentum: float         # GeV
    pot: float                   # default exposure, protons (or electrons) on target
    target_material: str
    target_length: float         # m
    target_radius: float         # m
    meson_parametrization: str
    yields: dict[str, float] = field(default_factory=dict)
    yield_sources: dict[str, str] = field(default_factory=dict)
    yield_spread: dict[str, list[float]] = field(default_factory=dict)
    description: str = ""


def load_facility(name: str) -> Facility:
    """Facility ``name`` from the catalog."""
    try:
        spec, path = _read("facilities", name)
    except KeyError:
        raise CatalogError(
            f"unknown facility {name!r}; known: {', '.join(list_facilities())}"
        ) from None
    try:
        beam, target, mesons = spec["beam"], spec["target"], spec.get("mesons", {})
        return Facility(
            name=name,
            beam_particle=beam["particle"],
            beam_kinetic_energy=float(beam["kinetic_energy"]),
            beam_momentum=float(beam["momentum"]),
            pot=float(beam["pot"]),
            target_material=target["material"],
            target_length=float(target["length"]),
            target_radius=float(target["radius"]),
            meson_parametrization=mesons.get("parametrization", ""),
            yields={k: float(v) for k, v in mesons.get("yields", {}).items()},
            yield_sources=dict(mesons.get("yield_sources", {})),
            yield_spread={k: list(v) for k, v in mesons.get("yield_spread", {}).items()},
            description=spec.get("description", ""),
        )
    except KeyError as exc:
        raise CatalogError(f"{path}: missing key {exc.args[0]!r}") from None
