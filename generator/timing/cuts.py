"""Timing cuts, applied event by event (exact: no binning, no efficiency parametrisation).

Card keys of ``[cuts]`` (times in ns or strings with units):

``time_window = ["0 ns", "100 ns"]``  keep events with t0 ≤ time ≤ t1, the time counted as
                                       ``time_reference`` says
``time_reference = "pulse"``          (default) time = ``t``, the event's time on the facility
                                       clock (ns from the clock zero of the pulse table,
                                       ``darkbeam/timing/data/pulses.toml``: the start of flat
                                       and triangular pulses, the centre of a Gaussian pulse and
                                       of the first bunch of bunched and double pulses; see
                                       :mod:`darkbeam.events`)
``time_reference = "light"``          time = t − t_light, after the **arrival of light**:
                                       t_light = t_edge + |vertex − O|/c, the time at which light
                                       that left the target (the facility frame's origin O, where
                                       the beam hits) at the pulse's leading edge t_edge
                                       (:attr:`darkbeam.timing.Pulse.leading_edge`; 0 without a
                                       pulse) reaches the event vertex. This is the "t = 0" of the
                                       prompt windows of CCM and COHERENT analyses (t < 0.1 µs,
                                       t < 1.5 µs: formulas-detection.md §5.2): the first
                                       beam-related light in the detector. The event's own vertex
                                       is used, not the detector's centre (they differ by ≤ the
                                       detector's half size over c: CCM200 ~4 ns, CsI 0.5 ns).
``delay_min = "2 ns"``                 keep events with delay ≥ delay_min (delay relative to light
                                       from the proton's own interaction point and time)

:func:`parse_time_window`, :func:`parse_time_reference` and :func:`parse_delay_min` validate
those values for the card schema; :func:`time_after_light` gives t − t_light.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..constants import C_M_PER_NS
from ..errors import CardError
from ..units import UnitError, parse_quantity

#: accepted values of ``[cuts] time_reference``
TIME_REFERENCES = ("pulse", "light")


def time_after_light(t, vertex, pulse=None) -> np.ndarray:
    """t − (t_edge + |vertex|/c) in ns: the event time after light that left the target (frame
    origin) at the pulse's leading edge ``pulse.leading_edge`` (0 if ``pulse`` is None) reached
    the vertex. ``t`` (n,) ns on the facility clock, ``vertex`` (n, 3) m in the facility frame."""
    vertex = np.asarray(vertex, dtype=float).reshape(-1, 3)
    t_edge = 0.0 if pulse is None else float(pulse.leading_edge)
    return np.asarray(t, dtype=float) - (t_edge + np.linalg.norm(vertex, axis=-1) / C_M_PER_NS)


def timing_cut(t, delay, time_window: tuple[float, float] | None = None,
               delay_min: float | None = None, *, reference: str = "pulse", vertex=None,
               pulse=None) -> np.ndarray:
    """Boolean mask of the events that pass: t0 ≤ time ≤ t1 (if ``time_window``) and
    delay ≥ ``delay_min`` (if given). ``t`` and ``delay`` in ns, same length. The window's time
    is ``t`` for ``reference = "pulse"`` and :func:`time_after_light` (which needs ``vertex``, m,
    and the run's ``pulse``) for ``reference = "light"``."""
    t = np.asarray(t, dtype=float)
    delay = np.asarray(delay, dtype=float)
    if t.shape != delay.shape:
        raise ValueError(f"timing_cut: t and delay differ in shape ({t.shape} vs {delay.shape})")
    reference = parse_time_reference(reference)
    mask = np.ones(t.shape, dtype=bool)
    if time_window is not None:
        t0, t1 = parse_time_window(time_window)
        if reference == "light":
            if vertex is None:
                raise ValueError("timing_cut: reference = 'light' needs the event vertices")
            time = time_after_light(t, vertex, pulse)
        else:
            time = t
        mask &= (time >= t0) & (time <= t1)
    if delay_min is not None:
        mask &= delay >= parse_delay_min(delay_min)
    return mask


def parse_time_reference(value: Any, source: str = "<card>") -> str:
    """``time_reference`` → ``"pulse"`` (default for None) or ``"light"``."""
    if value is None:
        return "pulse"
    if value not in TIME_REFERENCES:
        raise CardError(f"{source}: [cuts] time_reference = {value!r}: expected 'pulse' (time on the "
                        f"facility clock) or 'light' (time after light from the target reaches the vertex)")
    return value


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
