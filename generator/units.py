"""Quantities with units in run cards.

darkbeam works inside in GeV (energy, momentum, mass), m (length), ns (time) and cm² (cross
section). A card may give a plain number (taken in those units) or a string such as
``"50 MeV"``, ``"110 m"``, ``"280 ns"``, ``"1.2 mb"``; unit names are those of :mod:`hepunits`
(its system is MeV/mm/ns, converted here).
"""

from __future__ import annotations

import math
import re

import hepunits

#: internal unit of each dimension, expressed in hepunits' system
INTERNAL = {
    "energy": hepunits.GeV,
    "length": hepunits.m,
    "time": hepunits.ns,
    "area": hepunits.cm2,
    "none": 1.0,
}

#: unit names accepted per dimension (all defined in hepunits)
_ALLOWED = {
    "energy": ("eV", "keV", "MeV", "GeV", "TeV"),
    "length": ("nanometer", "um", "micrometer", "mm", "cm", "m", "km", "fm"),
    "time": ("ps", "ns", "us", "ms", "s"),
    "area": ("cm2", "m2", "mm2", "barn", "mb", "ub", "nb", "pb", "fb"),
}

#: spellings hepunits does not define itself
_ALIASES = {"um": "micrometer"}

_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµ]+\d?)?\s*$")


class UnitError(ValueError):
    """A quantity string could not be parsed or has the wrong dimension."""


def parse_quantity(value: object, dimension: str) -> float:
    """Convert a card value to darkbeam's internal unit of ``dimension``.

    >>> parse_quantity("50 MeV", "energy")
    0.05
    >>> parse_quantity(110, "length")
    110.0
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a number or a string with {dimension} units, got a boolean")
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str):
        match = _NUMBER_UNIT.match(value.replace("µ", "u"))
        if match is None:
            raise UnitError(
                f"cannot read {value!r} as a quantity; write a number and a unit, e.g. "
                f"'{_example(dimension)}'"
            )
        number, unit = match.groups()
        out = float(number)
        if unit is not None:
            allowed = _ALLOWED.get(dimension, ())
            if unit not in allowed:
                raise UnitError(
                    f"unit {unit!r} is not a unit of {dimension}; use one of {', '.join(allowed)}"
                )
            out = out * getattr(hepunits, _ALIASES.get(unit, unit)) / INTERNAL[dimension]
    else:
        raise UnitError(f"expected a number or a string with {dimension} units, got {type(value).__name__}")
    if not math.isfinite(out):
        raise UnitError(f"expected a finite {dimension}, got {value!r}")
    return out


def _example(dimension: str) -> str:
    return {"energy": "50 MeV", "length": "110 m", "time": "280 ns", "area": "1.2 mb"}.get(
        dimension, "1.0"
    )
