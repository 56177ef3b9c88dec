"""Timing cuts, applied event by event (exact: no binning, no efficiency parametrisation).

Card keys proposed for ``[cuts]`` (times in ns or strings with units):

``time_window = ["0 ns", "1.6 us"]``  keep events with t0 ≤ t ≤ t1 (``t`` from the proton's
                                      arrival at the target, see :mod:`darkbeam.events`)
``delay_min = "2 ns"``                 keep events with delay ≥ delay_min (delay relative to light
                                      from the proton's interaction point)

:func:`parse_time_window` and :func:`parse_delay_min` validate those values for the card schema.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import CardError
from ..units import UnitError, parse_quantity


def timing_cut(t, delay, time_window: tuple[float, float] | None = None,
               delay_min: float | None = None) -> np.ndarray:
    """Boolean mask of the events that pass: t0 ≤ t ≤ t1 (if ``time_window``) and
    delay ≥ ``delay_min`` (if given). ``t`` and ``delay`` in ns, same length."""
    t = np.asarray(t, dtype=float)
    delay = np.asarray(delay, dtype=float)
    if t.shape != delay.shape:
        raise ValueError(f"timing_cut: t and delay differ in shape ({t.shape} vs {delay.shape})")
    mask = np.ones(t.shape, dtype=bool)
    if time_window is not None:
        t0, t1 = parse_time_window(time_window)
        mask &= (t >= t0) & (t <= t1)
    if delay_min is not None:
        mask &= delay >= parse_delay_min(delay_min)
    return mask


def parse_time_window(value: Any, source: str = "<card>") -> tuple[float, float] | None:
    """``[t0, t1]`` (numbers in ns or strings with units) → (t0, t1) in ns, t0 < t1."""
    if value is None:
        return None
    where = f"{source}: [cuts] time_window = {value!r}"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise CardError(f"{where}: expected two times [t0, t1], e.g. ['0 ns', '1.6 us']")
    try:
        t0, t1 = (parse_quantity(_plain(v), "time") for v in value)
    except UnitError as exc:
        raise CardError(f"{where}: {exc}") from None
    if not (math.isfinite(t0) and math.isfinite(t1) and t0 < t1):
        raise CardError(f"{where}: expected finite times with t0 < t1 (ns)")
    return float(t0), float(t1)


def parse_delay_min(value: Any, source: str = "<card>") -> float | None:
    """``delay_min`` (number in ns or string with units) → ns."""
    if value is None:
        return None
    try:
        out = parse_quantity(_plain(value), "time")
    except UnitError as exc:
        raise CardError(f"{source}: [cuts] delay_min = {value!r}: {exc}") from None
    if not math.isfinite(out):
        raise CardError(f"{source}: [cuts] delay_min = {value!r}: expected a finite time (ns)")
    return float(out)


def _plain(value: Any) -> Any:
    """numpy scalars → Python numbers (the unit parser takes int, float or str)."""
    return value.item() if isinstance(value, np.generic) else value
