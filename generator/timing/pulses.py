"""Beam-pulse time structures: when does a proton reach the target within a spill?

A :class:`Pulse` is a probability density of the proton arrival time ``t`` (ns). It samples
(vectorized, through a passed :class:`numpy.random.Generator`) and knows its mean, standard
deviation, density and distribution function in closed form, so samplers can be tested against
exact numbers.

Shapes (the card's ``kind``):

``gaussian``    N(mean, σ); ``fwhm`` = 2√(2 ln 2) σ may be given instead of ``sigma``.
``flat``        uniform on [start, start + width].
``triangular``  triangle on [start, start + width] with its mode at ``peak``.
``bunched``     a train of equal Gaussian bunches (RF buckets): ``n_batches`` batches, each of
                ``buckets_per_batch`` buckets ``bunch_spacing`` apart of which the first
                ``filled_per_batch`` are filled; batch b starts at ``start + b·batch_period``.
``double``      two Gaussian bunches (FWHM ``width``) centred at ``first`` and
                ``first + separation``, the first holding the fraction ``fraction_first``.
``table``       a piecewise-linear density through the points (``t``, ``density``), inline or
                from a two-column CSV ``file``.

Every pulse has a **leading edge** (:attr:`Pulse.leading_edge`, ns), the time from which the
``light`` time reference of the timing cuts counts (:mod:`darkbeam.timing.cuts`): where the
density begins for flat, triangular and table pulses; ``LEADING_EDGE_SIGMAS`` = 3 standard
deviations before the centre of the first Gaussian bunch for gaussian, bunched and double pulses
(0.135 % of that bunch's protons come earlier).

Bunched and double pulses are Gaussian mixtures: mean = Σ wᵢcᵢ and
variance = Σ wᵢ(σᵢ² + cᵢ²) − mean² (law of total variance). Triangle moments: mean (a+b+c)/3,
variance (a²+b²+c²−ab−ac−bc)/18 (e.g. Johnson, Kotz & Balakrishnan, *Continuous Univariate
Distributions* vol. 2, ch. 26). Uniform: mean a + w/2, σ = w/√12.

Per-facility parameters, each with its source, are data: ``data/pulses.toml`` (see the README
there). :func:`pulse_for` reads them and applies a card's ``[facility.pulse]`` override.
"""

from __future__ import annotations

import copy
import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..errors import CardError, CatalogError, InputFileError
from ..units import UnitError, parse_quantity

#: FWHM / σ of a Gaussian, 2√(2 ln 2)
FWHM_PER_SIGMA: float = 2.0 * math.sqrt(2.0 * math.log(2.0))
#: the leading edge of a Gaussian bunch: this many σ before its centre
LEADING_EDGE_SIGMAS: float = 3.0

DATA_FILE = Path(__file__).with_name("data") / "pulses.toml"


# ---------------------------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------------------------
class Pulse:
    """Base of the pulse shapes: a density of the proton arrival time (ns)."""

    kind: str = ""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @property
    def mean(self) -> float:  # pragma: no cover
        raise NotImplementedError

    @property
    def std(self) -> float:  # pragma: no cover
        raise NotImplementedError

    def cdf(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def pdf(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    @property
    def leading_edge(self) -> float:  # pragma: no cover
        """Time (ns) at which the pulse begins (see the module docstring)."""
        raise NotImplementedError


@dataclass(frozen=True)
class GaussianPulse(Pulse):
    """Gaussian pulse N(``centre``, ``sigma``²), ns."""

    centre: float
    sigma: float
    kind: str = field(default="gaussian", init=False)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.centre + self.sigma * rng.standard_normal(n)

    @property
    def mean(self) -> float:
        return self.centre

    @property
    def std(self) -> float:
        return self.sigma

    def cdf(self, t):
        from scipy import special       # on first use: not at `import darkbeam.timing`

        return special.ndtr((np.asarray(t, float) - self.centre) / self.sigma)

    def pdf(self, t):
        z = (np.asarray(t, float) - self.centre) / self.sigma
        return np.exp(-0.5 * z * z) / (self.sigma * math.sqrt(2.0 * math.pi))

    @property
    def leading_edge(self) -> float:
        return self.centre - LEADING_EDGE_SIGMAS * self.sigma


@dataclass(frozen=True)
class FlatPulse(Pulse):
    """Uniform pulse on [``start``, ``start + width``], ns."""

    start: float
    width: float
    kind: str = field(default="flat", init=False)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.start + self.width * rng.random(n)

    @property
    def mean(self) -> float:
        return self.start + 0.5 * self.width

    @property
    def std(self) -> float:
        return self.width / math.sqrt(12.0)

    def cdf(self, t):
        return np.clip((np.asarray(t, float) - self.start) / self.width, 0.0, 1.0)

    def pdf(self, t):
        t = np.asarray(t, float)
        return np.where((t >= self.start) & (t <= self.start + self.width), 1.0 / self.width, 0.0)

    @property
    def leading_edge(self) -> float:
        return self.start


@dataclass(frozen=True)
class TriangularPulse(Pulse):
    """Triangle on [``start``, ``start + width``] with its mode at ``peak``, ns."""

    start: float
    width: float
    peak: float
    kind: str = field(default="triangular", init=False)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        a, b, c = self.start, self.start + self.width, self.peak
        return rng.triangular(a, c, b, n) if a < c < b else self._inverse(rng.random(n))

    def _inverse(self, u: np.ndarray) -> np.ndarray:
        # exact inverse CDF (also covers the degenerate right-angled triangles c = a or c = b)
        a, b, c = self.start, self.start + self.width, self.peak
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    # moments in coordinates relative to the start (a = 0, b = w, c = peak − start), which avoids
    # the cancellation of (a² + b² + c² − ab − ac − bc) for a narrow pulse far from t = 0

    @property
    def mean(self) -> float:
        return self.start + (self.width + (self.peak - self.start)) / 3.0

    @property
    def std(self) -> float:
        w, c = self.width, self.peak - self.start
        return math.sqrt(max(w * w + c * c - w * c, 0.0) / 18.0)

    def cdf(self, t):
        a, b, c = self.start, self.start + self.width, self.peak
        t = np.clip(np.asarray(t, float), a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            left = (t - a) ** 2 / ((b - a) * (c - a))
            right = 1.0 - (b - t) ** 2 / ((b - a) * (b - c))
        return np.where(t <= c, np.nan_to_num(left, nan=0.0), np.nan_to_num(right, nan=1.0))

    def pdf(self, t):
        a, b, c = self.start, self.start + self.width, self.peak
        t = np.asarray(t, float)
        h = 2.0 / (b - a)
        with np.errstate(divide="ignore", invalid="ignore"):
            up = h * (t - a) / (c - a)
            down = h * (b - t) / (b - c)
        out = np.where(t <= c, up, down)
        return np.where((t >= a) & (t <= b), np.nan_to_num(out, nan=h, posinf=h), 0.0)

    @property
    def leading_edge(self) -> float:
        return self.start


@dataclass(frozen=True)
class GaussianMixturePulse(Pulse):
    """Gaussian bunches of width ``sigma`` centred at ``centres`` with weights ``weights`` (ns).

    Used for the ``bunched`` (RF-bucket trains) and ``double`` (two-bunch) pulses.
    """

    centres: np.ndarray
    sigma: float
    weights: np.ndarray
    kind: str = "bunched"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if np.all(self.weights == self.weights[0]):      # equal bunches: a uniform bunch index
            k = rng.integers(0, len(self.centres), n)
        else:
            cum = np.cumsum(self.weights)
            k = np.searchsorted(cum / cum[-1], rng.random(n), side="right")
            k = np.minimum(k, len(self.centres) - 1)
        return self.centres[k] + self.sigma * rng.standard_normal(n)

    @property
    def mean(self) -> float:
        return float(np.dot(self.weights, self.centres))

    @property
    def std(self) -> float:
        m = self.mean
        var = self.sigma ** 2 + float(np.dot(self.weights, (self.centres - m) ** 2))
        return math.sqrt(var)

    def cdf(self, t):
        t = np.asarray(t, float)
        from scipy import special

        out = np.zeros(t.shape)
        for c, w in zip(self.centres, self.weights):   # loop over bunches (≤ a few hundred)
            out += w * special.ndtr((t - c) / self.sigma)
        return out

    def pdf(self, t):
        t = np.asarray(t, float)
        out = np.zeros(t.shape)
        norm = 1.0 / (self.sigma * math.sqrt(2.0 * math.pi))
        for c, w in zip(self.centres, self.weights):
            out += w * norm * np.exp(-0.5 * ((t - c) / self.sigma) ** 2)
        return out

    @property
    def leading_edge(self) -> float:
        first = float(np.min(self.centres[self.weights > 0]))
        return first - LEADING_EDGE_SIGMAS * self.sigma

    def __eq__(self, other) -> bool:
        return (isinstance(other, GaussianMixturePulse) and self.kind == other.kind
                and self.sigma == other.sigma and np.array_equal(self.centres, other.centres)
                and np.array_equal(self.weights, other.weights))

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class TablePulse(Pulse):
    """Piecewise-linear density through (``t``, ``density``) (ns; density in any unit).

    Sampling is exact: a segment is chosen with probability equal to its trapezoid area, then the
    quadratic CDF inside it is inverted, x = h·u(a+b)/(a + √(a² + (b²−a²)u)) for a density going
    from a to b over the segment length h (the rationalised root of a·x + (b−a)x²/2h = u(a+b)h/2).
    Moments are exact (two-point Gauss–Legendre integrates t·f and t²·f, polynomials of degree ≤ 3,
    exactly on each segment).
    """

    t: np.ndarray
    density: np.ndarray
    kind: str = field(default="table", init=False)

    def _scaled(self) -> np.ndarray:
        # the density scaled to a maximum of 1 (the shape is scale-free; avoids under/overflow)
        return self.density / self.density.max()

    def _segments(self):
        h = np.diff(self.t)
        d = self._scaled()
        a, b = d[:-1], d[1:]
        mass = 0.5 * (a + b) * h
        return h, a, b, mass / mass.sum()

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        h, a, b, p = self._segments()
        u = rng.random((2, n))
        k = np.minimum(np.searchsorted(np.cumsum(p), u[0], side="right"), len(p) - 1)
        hk, ak, bk, v = h[k], a[k], b[k], u[1]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = hk * v * (ak + bk) / (ak + np.sqrt(ak * ak + (bk * bk - ak * ak) * v))
        return self.t[k] + np.clip(np.nan_to_num(x, nan=0.0), 0.0, hk)

    def _moment(self, power: int) -> float:
        h, a, b, _ = self._segments()
        total = float(np.sum(0.5 * (a + b) * h))
        nodes = np.array([-1.0, 1.0]) / math.sqrt(3.0)      # two-point Gauss–Legendre, weights 1
        acc = 0.0
        for x in nodes:
            s = 0.5 * (1.0 + x)                              # position within the segment, 0..1
            tt = (self.t[:-1] - self.t[0]) + s * h           # about t[0]: no cancellation
            acc += float(np.sum(0.5 * h * tt ** power * (a + (b - a) * s)))
        return acc / total

    @property
    def mean(self) -> float:
        return float(self.t[0]) + self._moment(1)

    @property
    def std(self) -> float:
        return math.sqrt(max(self._moment(2) - self._moment(1) ** 2, 0.0))

    def cdf(self, t):
        h, a, b, p = self._segments()
        t = np.asarray(t, float)
        k = np.clip(np.searchsorted(self.t, t, side="right") - 1, 0, len(h) - 1)
        x = np.clip(t - self.t[k], 0.0, h[k])
        total = float(np.sum(0.5 * (a + b) * h))
        inside = (a[k] * x + 0.5 * (b[k] - a[k]) * x * x / h[k]) / total
        before = np.concatenate([[0.0], np.cumsum(p)])[k]
        out = before + inside
        return np.where(t < self.t[0], 0.0, np.where(t >= self.t[-1], 1.0, out))

    def pdf(self, t):
        h, a, b, _ = self._segments()
        total = float(np.sum(0.5 * (a + b) * h))
        t = np.asarray(t, float)
        return np.interp(t, self.t, self._scaled(), left=0.0, right=0.0) / total

    @property
    def leading_edge(self) -> float:
        d = self.density
        # the first segment with positive area begins the density
        first = int(np.argmax((d[:-1] > 0) | (d[1:] > 0)))
        return float(self.t[first])

    def __eq__(self, other) -> bool:
        return (isinstance(other, TablePulse) and np.array_equal(self.t, other.t)
                and np.array_equal(self.density, other.density))

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# building pulses from a mapping (data file or card block)
# ---------------------------------------------------------------------------------------------
#: parameters per kind: name → (dimension, required); "time" values accept units ("280 ns")
_PARAMETERS: dict[str, dict[str, tuple[str, bool]]] = {
    "gaussian": {"mean": ("time", False), "sigma": ("time", False), "fwhm": ("time", False)},
    "flat": {"start": ("time", False), "width": ("time", True)},
    "triangular": {"start": ("time", False), "width": ("time", True), "peak": ("time", False)},
    "bunched": {"start": ("time", False), "bunch_spacing": ("time", True),
                "buckets_per_batch": ("count", True), "filled_per_batch": ("count", False),
                "n_batches": ("count", False), "batch_period": ("time", False),
                "bunch_sigma": ("time", False), "bunch_fwhm": ("time", False)},
    "double": {"first": ("time", False), "separation": ("time", True), "width": ("time", False),
               "sigma": ("time", False), "fraction_first": ("fraction", False)},
    "table": {"t": ("times", False), "density": ("numbers", False), "file": ("path", False)},
}
#: keys that document a pulse without changing it
_META = {"kind", "sources", "unconfirmed", "note"}
#: alternative spellings of one parameter (giving one drops the catalog's other)
_EXCLUSIVE = [("sigma", "fwhm"), ("bunch_sigma", "bunch_fwhm"), ("sigma", "width")]

KINDS = tuple(_PARAMETERS)


def pulse_from_spec(spec: Mapping[str, Any], where: str = "[facility.pulse]",
                    source: str = "<card>") -> Pulse:
    """Build a :class:`Pulse` from a mapping with ``kind`` and its parameters.

    Raises :class:`~darkbeam.errors.CardError` listing every problem (file, key, value, what was
    expected).
    """
    problems: list[str] = []
    kind = spec.get("kind")
    if kind not in _PARAMETERS:
        raise CardError(f"{source}: {where} kind = {kind!r}: expected one of {', '.join(KINDS)}")
    allowed = _PARAMETERS[kind]
    values: dict[str, Any] = {}
    for key, value in spec.items():
        if key in _META:
            continue
        if key not in allowed:
            problems.append(f"{source}: {where} unknown key {key!r} = {value!r} for kind "
                            f"{kind!r}; expected one of {', '.join(allowed)}")
            continue
        try:
            values[key] = _convert(value, allowed[key][0])
        except ValueError as exc:
            problems.append(f"{source}: {where} {key} = {value!r}: {exc}")
    for key, (_, required) in allowed.items():
        if required and key not in spec:
            problems.append(f"{source}: {where} missing key {key!r} for kind {kind!r}")
    if problems:
        raise CardError(problems)
    try:
        return _BUILDERS[kind](values, source)
    except ValueError as exc:
        raise CardError(f"{source}: {where} {exc}") from None


def _convert(value: Any, dimension: str) -> Any:
    if dimension == "time":
        try:
            return parse_quantity(value, "time")
        except UnitError as exc:
            raise ValueError(str(exc)) from None
    if dimension == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("expected a positive integer")
        return value
    if dimension == "fraction":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ValueError("expected a number between 0 and 1")
        return float(value)
    if dimension in ("times", "numbers"):
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise ValueError("expected a list of at least two numbers")
        try:
            if dimension == "times":
                return np.array([parse_quantity(v, "time") for v in value])
            if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
                raise ValueError
            return np.asarray(value, dtype=float)
        except (UnitError, ValueError):
            raise ValueError("expected a list of numbers") from None
    if dimension == "path":
        if not isinstance(value, str):
            raise ValueError("expected a file name (string)")
        return value
    raise AssertionError(dimension)


def _positive(name: str, value: float) -> float:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} = {value!r}: expected a positive time (ns)")
    return value


def _one_of(values: dict, sigma_key: str, fwhm_key: str, default: float | None = None) -> float:
    if sigma_key in values and fwhm_key in values:
        raise ValueError(f"give {sigma_key} or {fwhm_key}, not both")
    if sigma_key in values:
        return _positive(sigma_key, values[sigma_key])
    if fwhm_key in values:
        return _positive(fwhm_key, values[fwhm_key]) / FWHM_PER_SIGMA
    if default is not None:
        return default
    raise ValueError(f"missing key {sigma_key!r} or {fwhm_key!r}")


def _gaussian(v: dict, source: str) -> Pulse:
    return GaussianPulse(v.get("mean", 0.0), _one_of(v, "sigma", "fwhm"))


def _flat(v: dict, source: str) -> Pulse:
    return FlatPulse(v.get("start", 0.0), _positive("width", v["width"]))


def _triangular(v: dict, source: str) -> Pulse:
    start, width = v.get("start", 0.0), _positive("width", v["width"])
    peak = v.get("peak", start + 0.5 * width)
    if not start <= peak <= start + width:
        raise ValueError(f"peak = {peak!r}: expected a time within [start, start + width] = "
                         f"[{start}, {start + width}] ns")
    return TriangularPulse(start, width, peak)


def _bunched(v: dict, source: str) -> Pulse:
    spacing = _positive("bunch_spacing", v["bunch_spacing"])
    buckets = v["buckets_per_batch"]
    filled = v.get("filled_per_batch", buckets)
    if filled > buckets:
        raise ValueError(f"filled_per_batch = {filled}: expected at most buckets_per_batch = {buckets}")
    n_batches = v.get("n_batches", 1)
    period = v.get("batch_period", buckets * spacing)
    if period < filled * spacing:
        raise ValueError(f"batch_period = {period!r}: expected at least filled_per_batch × "
                         f"bunch_spacing = {filled * spacing} ns (batches would overlap)")
    sigma = _one_of(v, "bunch_sigma", "bunch_fwhm")
    start = v.get("start", 0.0)
    centres = (start + period * np.arange(n_batches)[:, None] + spacing * np.arange(filled)).ravel()
    return GaussianMixturePulse(centres, sigma, np.full(centres.size, 1.0 / centres.size), "bunched")


def _double(v: dict, source: str) -> Pulse:
    sigma = _one_of(v, "sigma", "width")
    first = v.get("first", 0.0)
    sep = _positive("separation", v["separation"])
    f = v.get("fraction_first", 0.5)
    return GaussianMixturePulse(np.array([first, first + sep]), sigma, np.array([f, 1.0 - f]), "double")


def _table(v: dict, source: str) -> Pulse:
    if "file" in v:
        if "t" in v or "density" in v:
            raise ValueError("give file or t and density, not both")
        path = Path(v["file"])
        if not path.is_absolute() and source not in ("<card>", ""):
            path = Path(source).parent / path
        try:
            data = np.loadtxt(path, delimiter=",", comments="#", ndmin=2)
        except (OSError, ValueError) as exc:
            raise InputFileError(f"{path}: cannot read a pulse table (two columns t_ns, density; "
                                 f"'#' comments): {exc}") from None
        if data.shape[1] != 2:
            raise InputFileError(f"{path}: expected two columns (t_ns, density), got {data.shape[1]}")
        t, d = data[:, 0], data[:, 1]
    else:
        if "t" not in v or "density" not in v:
            raise ValueError("kind 'table' needs t and density (lists) or file")
        t, d = v["t"], v["density"]
    if len(t) != len(d) or len(t) < 2:
        raise ValueError(f"t and density: expected lists of equal length ≥ 2, got {len(t)} and {len(d)}")
    if np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise ValueError("t: expected strictly increasing finite times")
    if np.any(d < 0) or not np.all(np.isfinite(d)) or not np.max(d) > 0:
        raise ValueError("density: expected finite values ≥ 0 with a positive integral")
    return TablePulse(np.asarray(t, float), np.asarray(d, float))


_BUILDERS = {"gaussian": _gaussian, "flat": _flat, "triangular": _triangular,
             "bunched": _bunched, "double": _double, "table": _table}


# ---------------------------------------------------------------------------------------------
# facility catalog
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict]:
    try:
        with DATA_FILE.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{DATA_FILE}: cannot read the pulse catalog: {exc}") from None
    return data


def pulse_catalog() -> dict[str, dict]:
    """The per-facility pulse specifications of ``data/pulses.toml`` (a copy)."""
    return copy.deepcopy(_catalog())


def list_pulse_facilities() -> list[str]:
    """Facility names with a documented pulse."""
    return sorted(_catalog())


def pulse_for(facility_name: str, override: Mapping[str, Any] | None = None, *,
              source: str = "<card>") -> Pulse:
    """The proton pulse of ``facility_name``, with the card's ``[facility.pulse]`` block applied.

    ``override`` with a ``kind`` different from the facility's replaces the shape entirely (and is
    the only way to give a pulse for a facility without a documented one); without ``kind`` or with
    the same ``kind`` it changes single parameters (e.g. ``{bunch_fwhm = "1.3 ns"}`` for the BNB).
    """
    override = dict(override or {})
    catalog = _catalog()
    base = copy.deepcopy(catalog.get(facility_name))
    if base is None and "kind" not in override:
        raise CatalogError(
            f"no beam pulse documented for facility {facility_name!r} (known: "
            f"{', '.join(sorted(catalog))}); give one in the card: [facility.pulse] kind = ... "
            f"({', '.join(KINDS)})")
    if base is None or ("kind" in override and override["kind"] != base.get("kind")):
        spec = override
    else:
        for a, b in _EXCLUSIVE:
            if a in override:
                base.pop(b, None)
            if b in override:
                base.pop(a, None)
        spec = {**base, **override}
    where = "[facility.pulse]" if override else f"pulses.toml [{facility_name}]"
    return pulse_from_spec(spec, where, source if override else str(DATA_FILE))


def pulse_or_notice(facility_name: str, override: Mapping[str, Any] | None = None, *,
                    source: str = "<card>") -> tuple[Pulse | None, str | None]:
    """:func:`pulse_for`, except that a facility without a documented pulse (and no
    ``[facility.pulse]`` block) gives ``(None, notice)`` instead of an error, so a run can go on
    with every proton at t = 0. Invalid ``[facility.pulse]`` blocks still raise
    :class:`~darkbeam.errors.CardError`."""
    if facility_name not in _catalog() and not (override and "kind" in override):
        return None, (f"no beam pulse documented for facility {facility_name!r}: all protons at "
                      f"t = 0 (give one with [facility.pulse] kind = ...)")
    return pulse_for(facility_name, override, source=source), None
