"""Models along a coupling axis, and the reference coupling a scan generates at.

A scan moves along one coupling axis of the card's model:

* a named coupling of ``model.coupling_names`` (``"epsilon"`` for the dark photon, ``"g_agg"`` for
  an ALP, ``"sin_theta"`` for a scalar): the new model is ``model.with_couplings(name=value)``;
* ``"scale"``: every Standard-Model coupling of the card's model multiplied by ``value`` (the ratios
  between couplings of a preset such as B−L stay fixed; the dark coupling α_D is not scaled).

The reference coupling
----------------------
Each mass is generated once, at a reference coupling, and reweighted to every coupling of the grid.
In the record of a decay signal the kinematics (parent, X momentum, βγ, chord ℓ_in..ℓ_out through the
detector, visible energy and cuts) do not depend on the coupling at all; the coupling enters only
through the factors w_production, p_decay and br, which are recomputed exactly. The one way a
reference loses information is an event that is *dropped* at generation because its weight is an
exact zero: p_decay = e^{−ℓ_in/L} − e^{−ℓ_out/L} underflows to 0 when ℓ_in/L ≳ 745 (short-lived X),
and such an X would contribute at a smaller coupling. The reference is therefore chosen in the
long-lived regime, cτ_ref ≥ :data:`REFERENCE_CTAU_M` (10⁸ m): then ℓ_in/L ≤ 10⁻⁴ m⁻¹·ℓ_in/βγ, far
from underflow for any chord (ℓ_in < 10⁴ m) and any βγ > 10⁻⁸, every X that crosses the detector is
kept with p_decay ≈ Δℓ/L > 0, and the reweighted expectation equals the regenerated one event by event
(not only on average). A long-lived reference also gives every crossing X the same p_decay weight
shape (∝ Δℓ/βγ), so the sample is well populated wherever the detector is.
"""

from __future__ import annotations

import math

#: proper decay length (m) above which a reference coupling is long-lived enough (see module doc)
REFERENCE_CTAU_M = 1.0e8

SCALE = "scale"


def default_axis(model) -> str:
    """The natural coupling axis of ``model``: its first coupling if that is the only non-zero one
    (``epsilon`` for the dark photon, ``sin_theta`` for a scalar), else ``"scale"``."""
    values = couplings_of(model)
    nonzero = [k for k, v in values.items() if v != 0.0 and k != "alpha_d"]
    if len(nonzero) == 1:
        return nonzero[0]
    return SCALE


def couplings_of(model) -> dict[str, float]:
    """Current couplings of ``model`` (keys of ``model.coupling_names``)."""
    if hasattr(model, "couplings"):
        return dict(model.couplings())
    return {k: float(getattr(model, k)) for k in model.coupling_names}


def axis_value(model, axis: str) -> float:
    """The value of coupling ``axis`` in ``model`` (1 for ``"scale"``)."""
    if axis == SCALE:
        return 1.0
    check_axis(model, axis)
    return float(couplings_of(model)[axis])


def check_axis(model, axis: str) -> None:
    """ValueError unless ``axis`` is ``"scale"`` or one of the model's couplings."""
    names = tuple(getattr(model, "coupling_names", ()))
    if axis != SCALE and axis not in names:
        raise ValueError(f"coupling {axis!r} is not a coupling of {type(model).__name__}; "
                         f"expected one of {list(names) + [SCALE]}")


def at_coupling(base, axis: str, value: float):
    """``base`` moved to ``value`` along ``axis`` (a new model)."""
    if axis == SCALE:
        if hasattr(base, "scaled"):
            return base.scaled(value)
        return base.with_couplings(**{k: v * value for k, v in couplings_of(base).items()
                                      if k != "alpha_d"})
    check_axis(base, axis)
    return base.with_couplings(**{axis: value})


def reference_coupling(base, axis: str, ctau_min: float = REFERENCE_CTAU_M) -> float:
    """A coupling on ``axis`` at which ``base`` is long-lived (cτ ≥ ``ctau_min``, m).

    Starts from the card's own value and, if that X is shorter-lived, lowers the coupling by
    √(cτ/cτ_min) (exact when the visible widths are quadratic in the coupling, as for every model of
    :mod:`darkbeam.models`), repeated a few times for widths with a coupling-independent part
    (an invisible dark-matter width). Raises ValueError for a zero card coupling (no production to
    reweight from). If the lifetime cannot be made long (a large coupling-independent width) the
    last value is returned: reweighting then stays exact wherever p_decay did not underflow.
    """
    value = axis_value(base, axis)
    if value == 0.0:
        raise ValueError(f"the card's {axis} is 0: nothing is produced, so there is no sample to "
                         f"reweight; give a non-zero {axis} in [model]")
    for _ in range(8):
        ctau = at_coupling(base, axis, value).ctau()
        if not math.isfinite(ctau) or ctau >= ctau_min:
            return value
        value *= math.sqrt(ctau / ctau_min) * 0.5
    return value
