"""Run cards: TOML schema, units, validation and ``--set`` overrides.

A card has the sections ``[run]``, ``[facility]``, ``[model]``, ``[production]``, ``[detector]``,
``[signal]`` and ``[cuts]`` (see ``cards/`` for examples and README.md for every key). Numbers are
in GeV / m / ns, or strings with units (``"50 MeV"``, ``"110 m"``). Every mistake is reported as
one line naming the file, the key, the value and what was expected; all mistakes of a card are
reported together.
"""

from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      field_validator)

from .errors import CardError
from .units import UnitError, parse_quantity


def _quantity(dimension: str):
    def convert(value: Any) -> float:
        try:
            return parse_quantity(value, dimension)
        except UnitError as exc:
            raise ValueError(str(exc)) from None
    return BeforeValidator(convert)


Energy = Annotated[float, _quantity("energy")]
Length = Annotated[float, _quantity("length")]
Time = Annotated[float, _quantity("time")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunSection(_Section):
    events: int = Field(100_000, gt=0, description="dark particles generated per channel")
    seed: int = Field(12345, ge=0, description="master seed of all random streams")
    chunk_size: int = Field(1 << 18, gt=0, description="samples per chunk (memory / progress unit)")
    workers: int = Field(1, ge=1, description="parallel worker processes")
    outputs: list[str] = Field(default_factory=list, description="event files; format from extension")
    summary: str | None = Field("{card}.summary.json", description="summary JSON path; {card} stands "
                                "for the card's file name without .toml (false: not written)")
    hepevt_frame: Literal["facility", "detector"] = Field(
        "facility", description="HEPEVT vertices in the facility frame or the detector volume's own")
    compression: Literal["zstd", "lz4", "none"] = Field(
        "zstd", description="codec of Parquet and ROOT outputs: zstd (smallest), lz4 (fastest to "
                            "write, ~14 % larger), none")

    @field_validator("summary", mode="before")
    @classmethod
    def _no_summary(cls, value: Any) -> Any:
        return None if value is False else value     # TOML has no null: summary = false

    @field_validator("outputs")
    @classmethod
    def _known_formats(cls, outputs: list[str]) -> list[str]:
        from .io import format_of
        for path in outputs:
            format_of(path)     # ValueError names the file and the known extensions
        return outputs


class FacilityTarget(_Section):
    """``[facility] target = {kind = "point"}``: all production at the frame origin (the facility's
    target material and interaction probability are kept; only the vertices move)."""

    kind: Literal["point"] = Field(description="target model: 'point' (every production vertex at the origin)")


class FacilitySection(_Section):
    name: str
    target: FacilityTarget | None = Field(
        None, description="target model override: {kind = 'point'} puts all production at the origin")
    pot: float | None = Field(None, gt=0, description="protons on target (default: the facility's)")
    yields: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="parent yields per POT overriding the facility's")
    pulse: dict[str, Any] | None = Field(
        None, description="beam pulse: a new shape (kind = gaussian|flat|triangular|bunched|double|"
                          "table, with its parameters) or changed parameters of the facility's")

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        from .detectors import list_facilities
        if name not in list_facilities():
            raise ValueError(f"unknown facility; known: {', '.join(list_facilities())}")
        return name

    @field_validator("pot")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("expected a finite number of protons on target")
        return v


class ModelSection(BaseModel):
    """``preset`` (or ``type`` with explicit couplings) selects the model; every other key is a
    parameter checked by :func:`darkbeam.models.from_card` (``darkbeam info models``)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    preset: str | None = None
    type: str | None = None
    mass: Energy

    @field_validator("mass")
    @classmethod
    def _positive(cls, m: float) -> float:
        if not m > 0:
            raise ValueError("expected a positive mass (GeV, or a string such as '50 MeV')")
        return m

    def parameters(self) -> dict[str, Any]:
        """The model parameters other than preset/type/mass."""
        return dict(self.model_extra or {})

    def spec(self) -> dict[str, Any]:
        """The block as :func:`darkbeam.models.from_card` takes it."""
        out = {"mass": self.mass, **self.parameters()}
        if self.preset is not None:
            out["preset"] = self.preset
        if self.type is not None:
            out["type"] = self.type
        if self.preset is None and self.type is None:
            out["preset"] = "dark_photon"
        return out


class ProductionSection(_Section):
    channels: list[str] = Field(min_length=1)
    options: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per-channel options, e.g. options.proton_brem = {pt_max = 0.5}")
    cascade_parents: int = Field(
        2000, gt=0, description="primaries of the EM cascade pool that feeds γ/e± channels")
    photon_primaries: int = Field(
        100_000, gt=0, description="mesons of each species whose decay photons join the photon pool "
                                   "(proton beams; the cascade adds its secondaries)")
    aim: bool = Field(
        True, description="draw the dark particles toward the detector with exact importance weights "
                          "(darkbeam.production.aiming); false: plain sampling")
    aim_fraction: float | None = Field(
        None, ge=0, le=1, description="share of the samples drawn in the detector's cone (default: the "
                                      "channel's own, 1 for sources at rest and ½ in flight)")
    tuning: Literal["auto", "long_lived", "card"] = Field(
        "auto", description="weights the warm-up learns from: 'long_lived' (coupling- and window-free: "
                            "a sample reweighted to another coupling equals the regenerated one), 'card' "
                            "(the card's own: efficient for short-lived X and timing windows), 'auto'")
    aim_photons: bool = Field(
        True, description="let the run learn where in the photon pool the signal comes from and draw "
                          "there (exact importance resampling, darkbeam.tuning); false: uniform")
    parents_file: str | None = Field(
        None, description="your beam simulation's parents (CSV, Parquet, ROOT, HepMC3; schema in "
                          "darkbeam.sources.user_files) instead of the facility's parametrizations")
    parents_pot: float | None = Field(None, gt=0, description="POT the parents file stands for")

    @field_validator("channels")
    @classmethod
    def _known(cls, channels: list[str]) -> list[str]:
        from .production import CHANNELS
        bad = [c for c in channels if c not in CHANNELS]
        if bad:
            raise ValueError(f"unknown channel(s) {', '.join(bad)}; known: {', '.join(CHANNELS)}")
        if len(set(channels)) != len(channels):
            raise ValueError("a channel is listed twice")
        return channels


class DetectorSection(BaseModel):
    """Either ``name`` of a catalog detector, or a custom one (``shape``, ``placement``, ``material``)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: str | None = None

    @field_validator("name")
    @classmethod
    def _known(cls, name: str | None) -> str | None:
        from .detectors import list_detectors
        if name is not None and name not in list_detectors():
            raise ValueError(f"unknown detector; known: {', '.join(list_detectors())}")
        return name


class SignalSection(_Section):
    kind: Literal["decay", "scatter"] = "decay"
    final_state: str = "e+e-"
    polarization: Literal["auto", "isotropic"] = "auto"
    process: str | None = Field(None, description="scatter process (darkbeam info channels)")
    efficiency: float = Field(1.0, gt=0, le=1)
    weak_couplings: Literal["radiative", "tree"] | None = Field(
        None, description="CEvNS Standard-Model couplings: radiative (default; PDG one-loop ν-hadron "
                          "couplings, g_n = -0.512) or tree (g_n = -1/2)")


class CutsSection(_Section):
    energy_min: Energy = 0.0
    energy_max: Energy | None = None
    recoil_min: Energy | None = None
    recoil_max: Energy | None = None
    angle_max: float | None = Field(None, gt=0, le=math.pi, description="rad, to the beam axis")
    time_window: Any = Field(None, description="[t0, t1] in ns (or strings with units), counted as "
                                               "time_reference says")
    time_reference: Any = Field(
        "pulse", description="'pulse': time_window on the facility clock t; 'light': on the time after "
                             "light leaving the target at the pulse's leading edge reaches the event vertex")
    delay_min: Any = Field(None, description="minimum delay in ns (or a string with units)")

    @field_validator("time_reference")
    @classmethod
    def _reference(cls, value: Any) -> str:
        from .errors import DarkbeamError
        from .timing import parse_time_reference
        try:
            return parse_time_reference(value, "")
        except DarkbeamError as exc:
            raise ValueError(_what_was_expected(exc)) from None

    @field_validator("time_window")
    @classmethod
    def _window(cls, value: Any) -> tuple[float, float] | None:
        from .errors import DarkbeamError
        from .timing import parse_time_window
        try:
            return parse_time_window(value, "")
        except DarkbeamError as exc:
            raise ValueError(_what_was_expected(exc)) from None

    @field_validator("delay_min")
    @classmethod
    def _delay(cls, value: Any) -> float | None:
        from .errors import DarkbeamError
        from .timing import parse_delay_min
        try:
            return parse_delay_min(value, "")
        except DarkbeamError as exc:
            raise ValueError(_what_was_expected(exc)) from None


def _what_was_expected(exc: Exception) -> str:
    """'file: [section] key = value: expected …' → 'expected …' (the card layer adds the rest)."""
    msg = str(exc)
    head = msg.find(" = ")
    cut = msg.find(": ", head + 3) if head >= 0 else -1
    return msg[cut + 2:] if cut >= 0 else msg


class Card(_Section):
    """A validated run card. ``source`` is the file it came from, ``text`` its raw TOML."""

    @field_validator("scan")
    @classmethod
    def _scan_keys(cls, value: dict | None) -> dict | None:
        from .scan import SCAN_KEYS
        if value is not None:
            bad = sorted(set(value) - set(SCAN_KEYS))
            if bad:
                raise ValueError(f"unknown key(s) {', '.join(bad)}; known: {', '.join(sorted(SCAN_KEYS))}")
        return value

    run: RunSection = RunSection()
    facility: FacilitySection
    model: ModelSection
    production: ProductionSection
    detector: DetectorSection
    signal: SignalSection = SignalSection()
    cuts: CutsSection = CutsSection()
    scan: dict[str, Any] | None = Field(None, description="mass/coupling grid for darkbeam scan")
    source: str = Field("<card>", exclude=True)
    text: str = Field("", exclude=True)


# ---------------------------------------------------------------------------------------------
def _format_errors(exc: ValidationError, source: str, raw: dict) -> list[str]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        section = f"[{loc[0]}]" if loc else ""
        key = ".".join(loc[1:])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            what = f"missing key {key!r}" if key else "missing section"
            out.append(f"{source}: {section} {what}".replace("  ", " "))
            continue
        if err["type"] == "extra_forbidden":
            out.append(f"{source}: {section} unknown key {key!r} = {err['input']!r}")
            continue
        msg = (msg.replace("Input should be", "expected").replace("List should have", "expected")
               .replace("Input", "value"))
        value = err.get("input")
        where = f"{section} {key}" if key else section
        out.append(f"{source}: {where} = {value!r}: {msg}")
    return out


def _parse_override(item: str, source: str) -> tuple[list[str], Any]:
    if "=" not in item:
        raise CardError(f"{source}: --set {item!r}: expected section.key=value")
    key, value = item.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if len(path) < 2:
        raise CardError(f"{source}: --set {item!r}: expected section.key=value")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()          # bare words are strings: --set detector.name=SBND
    return path, parsed


def apply_overrides(raw: dict, overrides: list[str] | dict | None, source: str = "<card>") -> dict:
    """Apply ``section.key=value`` overrides (strings, values in TOML syntax) to a raw card dict."""
    raw = copy.deepcopy(raw)
    if not overrides:
        return raw
    items = ([_parse_override(o, source) for o in overrides] if isinstance(overrides, list)
             else [(k.split("."), v) for k, v in overrides.items()])
    for path, value in items:
        node = raw
        for part in path[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise CardError(f"{source}: --set {'.'.join(path)}: {part!r} is not a section")
        node[path[-1]] = value
    return raw


def card_from_dict(raw: dict, source: str = "<card>", text: str = "") -> Card:
    """Validate a raw card mapping; raises :class:`CardError` listing every problem."""
    try:
        return Card.model_validate({**raw, "source": source, "text": text})
    except ValidationError as exc:
        raise CardError(_format_errors(exc, source, raw)) from None


def _deep_merge(base: dict, top: dict) -> dict:
    """``top`` over ``base``, table by table."""
    out = dict(base)
    for key, value in top.items():
        out[key] = (_deep_merge(out[key], value) if isinstance(value, dict)
                    and isinstance(out.get(key), dict) else value)
    return out


def _read_with_includes(path: Path, chain: tuple[Path, ...]) -> tuple[dict, str]:
    """The TOML mapping of ``path`` with its ``include = [...]`` files merged under it (paths
    relative to the including file; the including file wins), and the text of all of them."""
    if not path.is_file():
        where = f"{chain[-1]}: include " if chain else ""
        raise CardError(f"{where}{path}: no such card file")
    if path.resolve() in [p.resolve() for p in chain]:
        raise CardError(f"{path}: include cycle {' -> '.join(str(p) for p in (*chain, path))}")
    text = path.read_text()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CardError(f"{path}: not valid TOML: {exc}") from None
    includes = raw.pop("include", [])
    if isinstance(includes, str):
        includes = [includes]
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise CardError(f"{path}: include = {includes!r}: expected a file name or a list of file names")
    merged: dict = {}
    texts = []
    for name in includes:
        sub, sub_text = _read_with_includes(path.parent / name, (*chain, path))
        merged = _deep_merge(merged, sub)
        texts.append(f"# --- included from {name} ---\n{sub_text}")
    return _deep_merge(merged, raw), "\n".join([text, *texts])


def card_mapping(path: str | Path) -> dict:
    """The raw TOML mapping of a card with its includes merged (no validation)."""
    return _read_with_includes(Path(path), ())[0]


def load_card(path: str | Path, overrides: list[str] | dict | None = None) -> Card:
    """Read and validate the TOML run card at ``path``, with optional ``--set`` overrides.

    A card may start with ``include = ["common.toml", ...]``: those files (relative to the card)
    are read first and the card's own keys override theirs, table by table.
    """
    path = Path(path)
    raw, text = _read_with_includes(path, ())
    for reserved in ("source", "text"):
        raw.pop(reserved, None)
    return card_from_dict(apply_overrides(raw, overrides, str(path)), str(path), text)


def summary_path(card: Card) -> str | None:
    """Where the run's summary JSON goes: ``[run] summary`` with ``{card}`` replaced by the card's
    file name without ``.toml`` (the default ``"{card}.summary.json"`` gives
    ``sbnd_dark_photon.summary.json``, so that cards run in one folder do not overwrite each
    other's summary); None: no summary."""
    if not card.run.summary:
        return None
    stem = Path(card.source).stem if card.source and not card.source.startswith("<") else "darkbeam"
    return card.run.summary.replace("{card}", stem)
