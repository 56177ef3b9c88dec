"""Loader for the facility and detector data files in ``data/`` (materials: :mod:`.materials`).

One TOML file per facility (``data/facilities/NAME.toml``) and per detector
(``data/detectors/NAME.toml``); ``data/README.md`` documents the layout. Everything is validated on
load; a malformed file or a bad user block raises :class:`~darkbeam.errors.CatalogError` naming the
file (or block), the key, the value and what was expected. Lengths m, energies GeV, masses t.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import numpy as np

from ..errors import CatalogError
from ..geometry import (
    Box,
    Cylinder,
    Placement,
    Shape,
    Sphere,
    Target,
    TargetSegment,
    Union,
    directed_directions,
    hall_level_rotation,
    off_axis_angle,
    rotation_from_axes,
    rotation_from_axis,
)
from .materials import Material, list_materials, load_material, material_from_dict, natural_isotopes

_DATA = resources.files(__package__) / "data"

#: rest masses (GeV) of beam particles, PDG 2024 (as in the ``particle`` package)
_BEAM_MASS = {"proton": 0.93827208816, "electron": 0.00051099895}

__all__ = [
    "Detector", "Facility", "Material", "detector_from_dict", "detector_table", "list_detectors",
    "list_facilities", "list_materials", "load_detector", "load_facility", "load_material",
]


def _read(kind: str, name: str) -> tuple[dict[str, Any], str]:
    path = _DATA / kind / f"{name}.toml"
    if not path.is_file():
        raise KeyError(name)
    with path.open("rb") as fh:
        try:
            return tomllib.load(fh), f"detectors/data/{kind}/{name}.toml"
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"detectors/data/{kind}/{name}.toml: not valid TOML: {exc}") from None


def _names(kind: str) -> list[str]:
    return sorted(p.name[:-5] for p in (_DATA / kind).iterdir() if p.name.endswith(".toml"))


def list_facilities() -> list[str]:
    """Names of the facilities in the catalog."""
    return _names("facilities")


def list_detectors() -> list[str]:
    """Names of the detectors in the catalog."""
    return _names("detectors")


# --------------------------------------------------------------------------- small validators
def _number(where: str, key: str, value: Any, *, positive: bool = False, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CatalogError(f"{where}: {key} = {value!r}: expected a finite number")
    if positive and not value > 0:
        raise CatalogError(f"{where}: {key} = {value!r}: expected a positive number")
    if minimum is not None and value < minimum:
        raise CatalogError(f"{where}: {key} = {value!r}: expected a number ≥ {minimum}")
    return float(value)


def _vector(where: str, key: str, value: Any) -> np.ndarray:
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        raise CatalogError(f"{where}: {key} = {value!r}: expected three numbers [x, y, z] (m)")
    return np.array([_number(where, key, v) for v in value])


def _need(where: str, table: dict[str, Any], key: str) -> Any:
    if key not in table:
        raise CatalogError(f"{where}: missing key {key!r}")
    return table[key]


# ---------------------------------------------------------------------------------- detectors
@dataclass(frozen=True)
class Detector:
    """A detector volume placed in its facility's frame.

    ``mass_t`` is the quoted mass (t) of the volume described by ``shape`` (``mass_volume`` says
    which: active, fiducial, …). ``prism_direction``/``prism_max`` (m) allow off-axis moves
    (DUNE-PRISM); ``offaxis`` is the current move (m).
    """

    name: str
    facility: str
    shape: Shape
    placement: Placement
    material: str
    mass_t: float | None = None
    description: str = ""
    mass_volume: str = ""
    mass_ratio: float | None = None
    mass_note: str = ""
    prism_direction: np.ndarray | None = None
    prism_max: float = 0.0
    offaxis: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)
    #: a composition given in the detector block (``material = {density, formula | mass_fractions}``
    #: or ``{number_densities}``) instead of a catalog name; ``material`` then holds its name
    custom_material: Material | None = None
    #: isotopes chosen for elements of the material, ((symbol, mass number), ...); the other
    #: elements keep their natural isotopic composition
    isotopes: tuple[tuple[str, int], ...] = ()

    def material_properties(self) -> Material:
        """The detector's :class:`Material` (the custom composition, or the catalog entry)."""
        return self.custom_material if self.custom_material is not None else load_material(self.material)

    def intersect(self, origins: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entry/exit distances (m) of rays (facility frame, unit directions); NaN for misses."""
        return self.shape.intersect(origins, directions, self.placement)

    def segments(self, origins: np.ndarray, directions: np.ndarray) -> np.ndarray:
        """Chords per disjoint part (n, k, 2) (m); k = 1 except for unions (ICARUS)."""
        return self.shape.segments(origins, directions, self.placement)

    def bounding_sphere(self) -> tuple[np.ndarray, float]:
        """Centre (m, facility frame) and radius (m) of a sphere containing the detector."""
        return self.placement.centre.copy(), self.shape.bounding_radius()

    def hull(self) -> np.ndarray | None:
        """Points (k, 3) m, facility frame, whose convex hull contains the detector (a box's corners;
        None for a ball: its bounding sphere is exact) — the tighter cone of directed sampling."""
        local = self.shape.hull_local()
        return None if local is None else self.placement.to_facility(local)

    def directed_directions(
        self, apex: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Directions from ``apex`` (n, 3) (m) inside the cone around the detector's bounding
        sphere, with importance weights (solid-angle fraction); see
        :func:`darkbeam.geometry.directed_directions`."""
        centre, radius = self.bounding_sphere()
        return directed_directions(apex, centre, radius, rng)

    @property
    def distance(self) -> float:
        """Distance (m) from the frame origin (target) to the detector centre."""
        return float(np.linalg.norm(self.placement.centre))

    @property
    def off_axis_angle(self) -> float:
        """Angle (rad) between the beam and the line from the origin to the detector centre."""
        return float(off_axis_angle(self.placement.centre))

    def shape_mass_t(self) -> float:
        """Mass (t) of the shape filled with the material: volume (m³) × density (t/m³)."""
        return self.shape.volume() * self.material_properties().density

    def at_offaxis(self, offset: float) -> "Detector":
        """The detector moved off-axis by ``offset`` (m) along its PRISM direction (0 … prism_max)."""
        if self.prism_direction is None:
            raise CatalogError(f"detector {self.name} cannot move off-axis (no [prism] table)")
        x = float(offset)
        if not (0.0 <= x <= self.prism_max + 1e-12):
            raise CatalogError(f"detector {self.name}: offaxis = {offset!r}: expected 0 to "
                               f"{self.prism_max:g} m")
        pl = self.placement.moved((x - self.offaxis) * self.prism_direction)
        return replace(self, placement=pl, offaxis=x)


def _orientation(where: str, spec: dict[str, Any]) -> np.ndarray | None:
    keys = [k for k in ("rotation", "axes", "hall_dip") if k in spec]
    if len(keys) > 1:
        raise CatalogError(f"{where}: give one of rotation, axes, hall_dip (got {', '.join(keys)})")
    if not keys:
        return None
    try:
        if "rotation" in spec:  # columns = local axes, as Placement
            return np.asarray(spec["rotation"], dtype=float).reshape(3, 3)
        if "axes" in spec:
            ax = spec["axes"]
            x = _vector(where, "axes.x", _need(where, ax, "x"))
            y = _vector(where, "axes.y", _need(where, ax, "y"))
            tol = _number(where, "axes.tolerance", ax.get("tolerance", 0.0), minimum=0.0)
            if tol > 1e-3:
                raise CatalogError(f"{where}: axes.tolerance = {tol!r}: expected at most 1e-3")
            if tol > 0.0:
                x, y = _reorthonormalise(where, x, y, tol)
            return rotation_from_axes(x, y)
        return hall_level_rotation(_number(where, "hall_dip", spec["hall_dip"]))
    except ValueError as exc:
        raise CatalogError(f"{where}: {exc}") from None


def _reorthonormalise(where: str, x: np.ndarray, y: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Gram–Schmidt for axes quoted to a few digits; fails if they are further than ``tol`` from
    orthonormal (norms and dot product)."""
    err = max(abs(np.linalg.norm(x) - 1), abs(np.linalg.norm(y) - 1), abs(x @ y))
    if err > tol:
        raise CatalogError(f"{where}: axes x = {x.tolist()}, y = {y.tolist()} are {err:.1e} from "
                           f"orthonormal; expected within axes.tolerance = {tol:g}")
    x = x / np.linalg.norm(x)
    y = y - (y @ x) * x
    return x, y / np.linalg.norm(y)


def _shape(where: str, spec: dict[str, Any]) -> tuple[Shape, np.ndarray | None]:
    """A shape and the rotation implied by a cylinder ``axis`` (or None)."""
    kind = spec.get("kind")
    axis_rot = None
    try:
        if kind == "box":
            size = spec.get("size")
            if not isinstance(size, (list, tuple)) or len(size) != 3:
                raise CatalogError(f"{where}: size = {size!r}: expected three lengths [dx, dy, dz] (m)")
            return Box(tuple(_number(where, "size", v, positive=True) for v in size)), None
        if kind == "cylinder":
            r = _number(where, "radius", _need(where, spec, "radius"), positive=True)
            h = _number(where, "height", _need(where, spec, "height"), positive=True)
            if "axis" in spec:
                axis_rot = rotation_from_axis(_vector(where, "axis", spec["axis"]))
            return Cylinder(r, h), axis_rot
        if kind == "sphere":
            return Sphere(_number(where, "radius", _need(where, spec, "radius"), positive=True)), None
        if kind == "union":
            parts = _need(where, spec, "parts")
            if not isinstance(parts, list) or not parts:
                raise CatalogError(f"{where}: parts: expected a list of [[shape.parts]] tables")
            built = []
            for i, p in enumerate(parts):
                w = f"{where} parts[{i}]"
                s, rot = _shape(w, p)
                r = _orientation(w, p)
                if rot is not None and r is not None:
                    raise CatalogError(f"{w}: give a cylinder axis or an orientation, not both")
                built.append((s, Placement(_vector(w, "centre", _need(w, p, "centre")),
                                           rot if rot is not None else (r if r is not None else np.eye(3)))))
            return Union(tuple(built)), None
    except ValueError as exc:
        raise CatalogError(f"{where}: {exc}") from None
    raise CatalogError(f"{where}: kind = {kind!r}: expected one of box, cylinder, sphere, union")


def detector_from_dict(spec: dict[str, Any], *, name: str | None = None, where: str | None = None) -> Detector:
    """Build a :class:`Detector` from a mapping with the layout of the data files (or a card's
    ``[detector]`` block). Raises :class:`CatalogError` naming the key, value and expectation.

    If ``spec`` has no ``shape`` but its ``name`` is a catalog detector, the catalog entry is the
    base and the keys of ``spec`` replace its top-level keys (e.g. a card's
    ``[detector] name = "DUNE_ND_LAr"`` with ``offaxis = 12.0``, or a new ``placement``).
    If ``facility`` names a catalog facility, the detector is checked not to overlap its target.
    """
    if "shape" not in spec and spec.get("name") in list_detectors():
        base, path = _read("detectors", spec["name"])
        spec = {**base, **spec}
        where = where or f"{path} with the keys of detector {spec['name']}"
    name = name or spec.get("name", "custom")
    where = where or f"detector {name}"
    shape_spec = _need(where, spec, "shape")
    if not isinstance(shape_spec, dict):
        raise CatalogError(f"{where}: shape: expected a table with kind = box/cylinder/sphere/union")
    shape, axis_rot = _shape(f"{where} [shape]", shape_spec)
    pl_spec = _need(where, spec, "placement")
    w_pl = f"{where} [placement]"
    centre = _vector(w_pl, "centre", _need(w_pl, pl_spec, "centre"))
    rot = _orientation(w_pl, pl_spec)
    if rot is not None and axis_rot is not None:
        raise CatalogError(f"{where}: give the cylinder axis in [shape] or an orientation in "
                           "[placement], not both")
    rot = axis_rot if rot is None else rot
    try:
        placement = Placement(centre, np.eye(3) if rot is None else rot)
    except ValueError as exc:
        raise CatalogError(f"{w_pl}: {exc}") from None
    material, custom = _detector_material(where, spec.get("material", "LAr"))
    isotopes = _isotope_choice(where, spec.get("isotopes"), custom or load_material(material))
    mass = spec.get("mass_t")
    if mass is not None:
        mass = _number(where, "mass_t", mass, positive=True)
    check = spec.get("mass_check", {})
    ratio = check.get("ratio")
    if ratio is not None:
        ratio = _number(where, "mass_check.ratio", ratio, positive=True)
    prism = spec.get("prism")
    prism_dir, prism_max = None, 0.0
    if prism is not None:
        prism_dir = _vector(f"{where} [prism]", "direction", _need(where, prism, "direction"))
        if abs(np.linalg.norm(prism_dir) - 1) > 1e-9:
            raise CatalogError(f"{where} [prism]: direction = {prism_dir.tolist()}: expected a unit vector")
        prism_max = _number(f"{where} [prism]", "max_offaxis", _need(where, prism, "max_offaxis"), minimum=0.0)
    facility = str(spec.get("facility", ""))
    det = Detector(name, facility, shape, placement, material, mass, spec.get("description", ""),
                   spec.get("mass_volume", ""), ratio, check.get("note", ""), prism_dir, prism_max,
                   0.0, dict(spec.get("sources", {})), custom, isotopes)
    if facility in list_facilities():
        _check_clear_of_target(det, load_facility(facility), where)
    if "offaxis" in spec:
        det = det.at_offaxis(_number(where, "offaxis", spec["offaxis"], minimum=0.0))
    return det


def _detector_material(where: str, value: Any) -> tuple[str, Material | None]:
    """(name, custom material or None) of a detector's ``material``: a catalog name, or a table
    ``{density = g/cm3, formula | mass_fractions = {symbol = ...}}`` or ``{number_densities =
    {symbol = atoms per cm3}}`` (optional ``name``, ``description``, ``X0``, ``lambda_I``)."""
    if isinstance(value, dict):
        name = str(value.get("name", "custom"))
        return name, material_from_dict(value, name=name, where=f"{where}: material")
    if not isinstance(value, str) or value not in list_materials():
        raise CatalogError(f"{where}: material = {value!r}: expected one of {', '.join(list_materials())}, "
                           "or a table {density, formula | mass_fractions} or {number_densities}")
    return value, None


def _isotope_choice(where: str, value: Any, material: Material) -> tuple[tuple[str, int], ...]:
    """Validated ``isotopes = {symbol = mass number}`` for elements of ``material``."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: isotopes = {value!r}: expected a table {{symbol = mass number}}, "
                           "e.g. isotopes = {Ge = 72}")
    out = []
    for sym, a in value.items():
        if sym not in material.symbols:
            raise CatalogError(f"{where}: isotopes.{sym} = {a!r}: element {sym} is not in material "
                               f"{material.name} ({', '.join(material.symbols)})")
        stable = [i[0] for i in natural_isotopes(sym)]
        if isinstance(a, bool) or not isinstance(a, int) or a not in stable:
            raise CatalogError(f"{where}: isotopes.{sym} = {a!r}: expected the mass number of a stable "
                               f"isotope of {sym}: {', '.join(map(str, stable))}")
        out.append((str(sym), int(a)))
    return tuple(out)


def _check_clear_of_target(det: Detector, fac: "Facility", where: str) -> None:
    """Fail if the detector volume reaches into any target segment (rays along the segment's
    axis and four edge lines, plus its centre)."""
    for seg in fac.target.segments:
        offsets = np.array([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]], float) * seg.radius
        o = np.c_[offsets, np.full(5, seg.z_start)]
        d = np.tile([0.0, 0.0, 1.0], (5, 1))
        l_in, _ = det.intersect(o, d)
        inside = det.shape.contains(np.array([[0.0, 0.0, 0.5 * (seg.z_start + seg.z_end)]]), det.placement)
        if np.any(l_in <= seg.length) or inside.any():
            raise CatalogError(
                f"{where}: the detector (centre {det.placement.centre.tolist()} m) overlaps the "
                f"target of facility {fac.name} (z from {seg.z_start:g} to {seg.z_end:g} m, "
                f"radius {seg.radius:g} m); expected a detector clear of the target"
            )


def load_detector(name: str, *, offaxis: float | None = None) -> Detector:
    """Detector ``name`` from the catalog, optionally moved ``offaxis`` m (DUNE-PRISM)."""
    try:
        spec, path = _read("detectors", name)
    except KeyError:
        raise CatalogError(f"unknown detector {name!r}; known: {', '.join(list_detectors())}") from None
    det = detector_from_dict(spec, name=name, where=path)
    return det if offaxis is None else det.at_offaxis(offaxis)


# ---------------------------------------------------------------------------------- facilities
@dataclass(frozen=True)
class DecayRegion:
    """A facility's decay pipe: a cylinder of ``radius`` (m) about the beam axis (+z of the facility
    frame) from z = ``start`` to z = ``start + length`` (m); ``absorber`` (3,) m: the point of the hadron
    absorber at its end where stopped mesons decay at rest (None if not given). Decays in flight are
    sampled inside this cylinder only (:mod:`darkbeam.sources.meson_decays`); the numbers and their
    sources are in the facility's ``[decay_region]`` table."""

    start: float
    length: float
    radius: float
    absorber: np.ndarray | None = None

    @property
    def end(self) -> float:
        return self.start + self.length


def _decay_region(where: str, spec: dict | None) -> DecayRegion | None:
    if spec is None:
        return None
    known = {"start", "length", "radius", "absorber"}
    extra = set(spec) - known
    if extra:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(sorted(extra))}; expected {', '.join(sorted(known))}")
    absorber = spec.get("absorber")
    return DecayRegion(_number(where, "start", _need(where, spec, "start"), minimum=0.0),
                       _number(where, "length", _need(where, spec, "length"), positive=True),
                       _number(where, "radius", _need(where, spec, "radius"), positive=True),
                       None if absorber is None else _vector(where, "absorber", absorber))


@dataclass(frozen=True)
class Facility:
    """A beam line: beam, target, frame and the default source parameters.

    ``dip`` (rad) is the beam's angle below the horizontal; ``vertical`` marks a beam coming down
    (LANSCE Lujan). ``up`` is the true vertical in the facility frame.
    """

    name: str
    beam_particle: str
    beam_kinetic_energy: float   # GeV
    beam_momentum: float         # GeV
    pot: float                   # default exposure, protons (or electrons) on target
    target_material: str
    target_length: float         # m, material along the beam
    target_radius: float         # m
    description: str = ""
    target: Target | None = None
    dip: float = 0.0
    vertical: bool = False
    frame: str = ""
    pot_per_year: float | None = None
    timing: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    #: the decay region downstream of the target (``[decay_region]``), or None:
    #: :class:`DecayRegion` (start, length, radius in m along the beam axis; absorber point)
    decay_region: DecayRegion | None = None

    @property
    def mode(self) -> str:
        """``"target"`` or ``"dump"``."""
        return self.target.mode if self.target else "target"

    @property
    def up(self) -> np.ndarray:
        """True vertical (unit vector) in the facility frame."""
        if self.vertical:
            return np.array([0.0, 0.0, -1.0])
        return np.array([0.0, math.cos(self.dip), -math.sin(self.dip)])

    def detectors(self) -> list[str]:
        """Names of the catalog detectors placed in this facility's frame."""
        out = []
        for n in list_detectors():
            spec, _ = _read("detectors", n)
            if spec.get("facility") == self.name:
                out.append(n)
        return out


def _target(where: str, spec: dict[str, Any]) -> Target:
    mode = spec.get("mode", "target")
    sigma = _number(where, "beam_sigma", spec.get("beam_sigma", 0.0), minimum=0.0)
    raw = spec.get("segments") or [{
        "material": _need(where, spec, "material"), "length": _need(where, spec, "length"),
        "radius": _need(where, spec, "radius"), "z_start": spec.get("z_start", 0.0)}]
    segs = []
    for i, s in enumerate(raw):
        w = f"{where} segments[{i}]" if "segments" in spec else where
        mat = _need(w, s, "material")
        if mat not in list_materials():
            raise CatalogError(f"{w}: material = {mat!r}: expected one of {', '.join(list_materials())}")
        try:
            segs.append(TargetSegment(_number(w, "z_start", s.get("z_start", 0.0)),
                                      _number(w, "length", _need(w, s, "length"), positive=True),
                                      _number(w, "radius", _need(w, s, "radius"), positive=True),
                                      load_material(mat).interaction_length_m, mat))
        except ValueError as exc:
            raise CatalogError(f"{w}: {exc}") from None
    try:
        return Target(tuple(segs), mode, sigma)
    except ValueError as exc:
        raise CatalogError(f"{where}: {exc}") from None


def load_facility(name: str) -> Facility:
    """Facility ``name`` from the catalog."""
    try:
        spec, path = _read("facilities", name)
    except KeyError:
        raise CatalogError(f"unknown facility {name!r}; known: {', '.join(list_facilities())}") from None
    beam = _need(path, spec, "beam")
    w_b, w_t = f"{path} [beam]", f"{path} [target]"
    particle = _need(w_b, beam, "particle")
    if particle not in _BEAM_MASS:
        raise CatalogError(f"{w_b}: particle = {particle!r}: expected one of {', '.join(_BEAM_MASS)}")
    t_kin = _number(w_b, "kinetic_energy", _need(w_b, beam, "kinetic_energy"), positive=True)
    m = _BEAM_MASS[particle]
    p = beam.get("momentum", math.sqrt(t_kin * (t_kin + 2 * m)))
    target_spec = _need(path, spec, "target")
    target = _target(w_t, target_spec)
    geo = spec.get("geometry", {})
    pot_year = beam.get("pot_per_year")
    return Facility(
        name=name,
        beam_particle=particle,
        beam_kinetic_energy=t_kin,
        beam_momentum=_number(w_b, "momentum", p, positive=True),
        pot=_number(w_b, "pot", _need(w_b, beam, "pot"), positive=True),
        target_material=target.segments[-1].material,
        target_length=float(sum(s.length for s in target.segments)),
        target_radius=target.segments[0].radius,
        description=spec.get("description", ""),
        target=target,
        dip=_number(f"{path} [geometry]", "dip", geo.get("dip", 0.0)),
        vertical=bool(geo.get("vertical", False)),
        frame=spec.get("frame", ""),
        pot_per_year=None if pot_year is None else _number(w_b, "pot_per_year", pot_year, positive=True),
        timing=dict(spec.get("timing", {})),
        sources=dict(spec.get("sources", {})),
        decay_region=_decay_region(f"{path} [decay_region]", spec.get("decay_region")),
    )


# ------------------------------------------------------------------------------------- tables
def detector_table() -> list[dict[str, Any]]:
    """One row per catalog detector for ``darkbeam info detectors``.

    Keys: ``name``, ``facility``, ``distance_m`` (target to centre), ``off_axis_deg``,
    ``off_axis_mrad``, ``mass_t`` (quoted, or None), ``mass_volume``, ``shape``, ``material``.
    """
    rows = []
    for n in list_detectors():
        d = load_detector(n)
        theta = d.off_axis_angle
        rows.append({
            "name": n, "facility": d.facility, "distance_m": d.distance,
            "off_axis_deg": math.degrees(theta), "off_axis_mrad": 1e3 * theta,
            "mass_t": d.mass_t, "mass_volume": d.mass_volume, "shape": d.shape.kind,
            "material": d.material,
        })
    return rows
