"""Build a model from the ``[model]`` block of a run card.

Accepted forms (values in GeV for masses; strings with units such as "50 MeV" are accepted)::

    {"preset": "dark_photon", "mass": 0.05, "epsilon": 1e-4}
    {"preset": "chargephobic", "mass": 0.2, "g": 1e-5, "phi": "chargephobic"}
    {"type": "vector", "mass": 0.05, "epsilon": 0.0, "couplings": {"u": 1e-4, "e": -1e-4},
     "axial": {"mu": 1e-4}, "light_nu_r": false}
    {"type": "alp", "mass": 0.01, "g_agg": 1e-5, "g_aee": 0.0}
    {"type": "scalar", "mass": 0.3, "sin_theta": 1e-4}
    {"type": "hnl", "mass": 0.25, "U2_mu": 1e-7, "majorana": false}   # U2_e, U2_mu, U2_tau = |U_a4|^2

Any vector model may carry ``dark_matter = {kind, mass, alpha_d[, delta]}`` and
``require_invisible = true`` (then an invisible DM decay must be open).
Every problem raises ``ValueError("model.<key> = <value>: expected ...")``. Choices a run should
report (e.g. ``epsilon_override`` of ``lmu_minus_ltau``) are in the model's ``notices``.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

from ..units import UnitError, parse_quantity
from .alp import ALP
from .dark_matter import KINDS, DarkMatter
from .hnl import HeavyNeutralLepton
from .presets import PRESETS, SPECIAL_ANGLES
from .scalar import DarkScalar
from .vector import CHARGES, LEPTONS, QUARKS, VectorMediator

MODEL_TYPES = ("vector", "alp", "scalar", "hnl")


def _err(key: str, value: Any, expected: str) -> ValueError:
    return ValueError(f"model.{key} = {value!r}: expected {expected}")


def _mass(spec: dict, key: str) -> float:
    if key not in spec:
        raise _err(key, None, "a mass (number in GeV or a string such as '50 MeV')")
    v = spec[key]
    try:
        m = parse_quantity(v, "energy")
    except (UnitError, TypeError, ValueError):
        raise _err(key, v, "a positive mass (number in GeV or a string such as '50 MeV')") from None
    if not math.isfinite(m) or m <= 0:
        raise _err(key, v, "a positive, finite mass")
    return m


def _number(spec: dict, key: str, value: Any = None) -> float:
    v = spec[key] if value is None else value
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
        raise _err(key, v, "a finite real number")
    return float(v)


def _dark_matter(spec: dict) -> DarkMatter | None:
    dm = spec.get("dark_matter")
    if dm is None:
        return None
    if not isinstance(dm, dict):
        raise _err("dark_matter", dm, "a table {kind, mass, alpha_d[, delta]}")
    kind = dm.get("kind")
    if kind not in KINDS:
        raise _err("dark_matter.kind", kind, f"one of {list(KINDS)}")
    unknown = set(dm) - {"kind", "mass", "alpha_d", "delta"}
    if unknown:
        raise _err("dark_matter", dm, f"only the keys kind, mass, alpha_d, delta (unknown: {sorted(unknown)})")
    mass = _mass({"dark_matter.mass": dm.get("mass")} if "mass" in dm else {}, "dark_matter.mass")
    if "alpha_d" not in dm:
        raise _err("dark_matter.alpha_d", None, "alpha_D = g_chi^2/4pi >= 0")
    alpha = _number(dm, "alpha_d")
    if alpha < 0:
        raise _err("dark_matter.alpha_d", dm["alpha_d"], "alpha_D >= 0")
    delta = 0.0
    if "delta" in dm:
        try:
            delta = parse_quantity(dm["delta"], "energy")
        except (UnitError, TypeError, ValueError):
            raise _err("dark_matter.delta", dm["delta"], "a mass splitting in GeV") from None
        if kind != "inelastic" or delta < 0 or not math.isfinite(delta):
            raise _err("dark_matter.delta", dm["delta"], "a splitting >= 0, only for kind = 'inelastic'")
    return DarkMatter(kind, mass, alpha, delta)


def from_card(spec: dict) -> VectorMediator | ALP | DarkScalar | HeavyNeutralLepton:
    """Build a model from a card ``[model]`` table (see module docstring)."""
    if not isinstance(spec, dict):
        raise ValueError(f"model = {spec!r}: expected a table of model parameters")
    spec = dict(spec)
    preset = spec.pop("preset", None)
    mtype = spec.pop("type", None)
    require_inv = spec.pop("require_invisible", False)
    if not isinstance(require_inv, bool):
        raise _err("require_invisible", require_inv, "true or false")
    if preset is not None and preset not in PRESETS:
        raise _err("preset", preset, f"one of {sorted(PRESETS)}")
    if mtype is None:
        mtype = "vector" if (preset is not None or "couplings" in spec or "epsilon" in spec) else None
    if mtype not in MODEL_TYPES:
        raise _err("type", mtype, f"one of {list(MODEL_TYPES)} (or give a preset)")
    mass = _mass(spec, "mass")
    spec.pop("mass")

    if mtype == "alp":
        allowed = {"g_agg", "g_aee", "g_amumu"}
        _no_unknown(spec, allowed)
        return ALP(mass, **{k: _number(spec, k) for k in spec})
    if mtype == "scalar":
        _no_unknown(spec, {"sin_theta"})
        if "sin_theta" not in spec:
            raise _err("sin_theta", None, "the Higgs mixing sin(theta) in [-1, 1]")
        s = _number(spec, "sin_theta")
        if abs(s) > 1:
            raise _err("sin_theta", spec["sin_theta"], "a number in [-1, 1]")
        return DarkScalar(mass, sin_theta=s)
    if mtype == "hnl":
        return _hnl(spec, mass)

    dm = _dark_matter(spec)
    spec.pop("dark_matter", None)
    light_nu_r = spec.pop("light_nu_r", False)
    if not isinstance(light_nu_r, bool):
        raise _err("light_nu_r", light_nu_r, "true or false")
    if preset is not None:
        func, _, _ = PRESETS[preset]
        params = inspect.signature(func).parameters
        if preset == "lmu_minus_ltau" and "epsilon" in spec:
            raise _err("epsilon", spec["epsilon"],
                       "no 'epsilon' for preset 'lmu_minus_ltau': its kinetic mixing is the loop value "
                       "eps = e g ln(m_tau^2/m_mu^2)/(12 pi^2) ~ g/70 (an 'epsilon' left from another preset "
                       "used to replace it silently); to replace it on purpose, write epsilon_override = <value>")
        allowed = set(params) - {"mass"}
        _no_unknown(spec, allowed, f"parameters of preset {preset!r}")
        kwargs = {}
        for k, v in spec.items():
            if k == "running":
                if not isinstance(v, bool):
                    raise _err(k, v, "true (couplings run from m_e to the mediator mass) or false (tree level)")
                kwargs[k] = v
            elif k == "phi" and isinstance(v, str):
                if v not in SPECIAL_ANGLES:
                    raise _err("phi", v, f"an angle in radians or one of {sorted(SPECIAL_ANGLES)}")
                kwargs[k] = v
            elif k == "vev":
                try:
                    kwargs[k] = parse_quantity(v, "energy")
                except (UnitError, TypeError, ValueError):
                    raise _err(k, v, "a vev in GeV") from None
            else:
                kwargs[k] = _number(spec, k)
        missing = [k for k, p in params.items() if k != "mass" and p.default is inspect.Parameter.empty
                   and p.kind is not inspect.Parameter.KEYWORD_ONLY and k not in kwargs]
        if missing and not (preset == "t3r" and "vev" in kwargs):
            raise _err(missing[0], None, f"a value for {missing[0]!r} (preset {preset!r})")
        try:
            base = func(mass, **kwargs)
        except ValueError as exc:
            raise ValueError(f"model (preset {preset!r}): {exc}") from None
        model = VectorMediator(mass, epsilon=base.epsilon, x=base.x, axial=base.axial, dark_matter=dm,
                               light_nu_r=light_nu_r, name=base.name)
        if preset == "lmu_minus_ltau" and "epsilon_override" in kwargs:
            from .presets import loop_epsilon_lmu_ltau
            model.notices = (f"model: lmu_minus_ltau kinetic mixing set by epsilon_override = "
                             f"{kwargs['epsilon_override']:.6g} instead of the loop value "
                             f"{loop_epsilon_lmu_ltau(kwargs['g']):.6g} (g = {kwargs['g']:.6g})",)
    else:
        _no_unknown(spec, {"epsilon", "couplings", "axial", "name"})
        eps = _number(spec, "epsilon") if "epsilon" in spec else 0.0
        x = spec.get("couplings", {})
        if not isinstance(x, dict):
            raise _err("couplings", x, f"a table fermion -> coupling (units of e), fermions {sorted(CHARGES)}")
        for f, v in x.items():
            if f not in CHARGES:
                raise _err(f"couplings.{f}", v, f"a fermion among {sorted(CHARGES)}")
            _number({f"couplings.{f}": v}, f"couplings.{f}")
        ax = spec.get("axial", {})
        if not isinstance(ax, dict):
            raise _err("axial", ax, f"a table fermion -> axial coupling, fermions {list(QUARKS + LEPTONS)}")
        for f, v in ax.items():
            if f not in QUARKS + LEPTONS:
                raise _err(f"axial.{f}", v, f"a fermion among {list(QUARKS + LEPTONS)}")
            _number({f"axial.{f}": v}, f"axial.{f}")
        model = VectorMediator(mass, epsilon=eps, x=x, axial=ax, dark_matter=dm, light_nu_r=light_nu_r,
                               name=str(spec.get("name", "vector")))

    if require_inv:
        if dm is None:
            raise _err("require_invisible", True, "a dark_matter table when an invisible decay is required")
        if model.mass <= dm.threshold():
            raise _err("dark_matter.mass", dm.mass,
                       f"dark matter light enough for X -> {dm.channel} to be open: m_chi1 + m_chi2 = "
                       f"{dm.threshold():.6g} GeV must be below the mediator mass {model.mass:.6g} GeV")
    return model


def _hnl(spec: dict, mass: float) -> HeavyNeutralLepton:
    """``type = "hnl"``: mixings U2_e, U2_mu, U2_tau (|U_a4|^2 in [0, 1], at least one > 0) and
    ``majorana`` (default false: Dirac)."""
    _no_unknown(spec, {"U2_e", "U2_mu", "U2_tau", "majorana"})
    u2 = {}
    for k in ("U2_e", "U2_mu", "U2_tau"):
        if k in spec:
            v = _number(spec, k)
            if not 0.0 <= v <= 1.0:
                raise _err(k, spec[k], "a mixing |U_a4|^2 in [0, 1]")
            u2[k] = v
    if not any(u2.values()):
        raise _err("U2_mu", spec.get("U2_mu"), "at least one of U2_e, U2_mu, U2_tau > 0 (|U_a4|^2)")
    majorana = spec.get("majorana", False)
    if not isinstance(majorana, bool):
        raise _err("majorana", majorana, "true (Majorana N) or false (Dirac N)")
    return HeavyNeutralLepton(mass, majorana=majorana, **u2)


def _no_unknown(spec: dict, allowed: set[str], what: str = "model parameters") -> None:
    for k, v in spec.items():
        if k not in allowed:
            raise _err(k, v, f"one of the {what}: {sorted(allowed)}")
